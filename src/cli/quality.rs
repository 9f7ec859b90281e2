//! `pairscope quality`: which truths are likely wrong, which pairs need another label, and
//! how good each labeler is (issue 15).

use std::path::PathBuf;

use clap::Args;

use crate::curate::quality::ProjectQuality;
use crate::store::Store;

#[derive(Debug, Args)]
pub struct QualityArgs {
    project: PathBuf,
    /// One JSON object (the per-pair and per-labeler tables) instead of the summary.
    #[arg(long)]
    json: bool,
    /// Also write quality_pairs.csv and quality_labelers.csv into DIR.
    #[arg(long, value_name = "DIR")]
    csv: Option<PathBuf>,
    /// The model whose scores to calibrate (default: the only one, or the built-in one).
    #[arg(long)]
    model: Option<String>,
    /// Pairs of each queue listed in the summary.
    #[arg(long, value_name = "N", default_value_t = 20)]
    head: usize,
}

impl QualityArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let mut store = Store::open_to_read(&self.project)?;
        let quality = ProjectQuality::load(&mut store, self.model.as_deref())?;
        if let Some(dir) = &self.csv {
            let files = quality.write_csvs(dir)?;
            eprintln!("wrote {} tables into {}", files.len(), dir.display());
        }
        if self.json {
            println!("{}", quality.to_json());
        } else {
            print!("{}", quality.render_text(self.head));
        }
        Ok(())
    }
}
