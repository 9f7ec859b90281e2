//! `pairscope export-embeddings`: every image's embedding as a Parquet file, for notebooks.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;

use super::common::open_project;
use crate::curate::embeddings_parquet::export_embeddings;

#[derive(Debug, Args)]
pub struct ExportEmbeddingsArgs {
    project: PathBuf,
    /// The Parquet file to write (replaced if it exists).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// The model whose embeddings to export (default: the only one, or the built-in one).
    #[arg(long)]
    model: Option<String>,
}

/// The bar appears only when the export takes longer than this.
const QUIET_FOR: Duration = Duration::from_secs(1);

impl ExportEmbeddingsArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let mut store = open_project(&self.project)?;
        let started = Instant::now();
        let bar = indicatif::ProgressBar::hidden();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {percent}%  writing embeddings  ETA {eta}")
                .expect("a valid progress template"),
        );
        let progress = |done: usize, total: usize| {
            if bar.is_hidden() && started.elapsed() > QUIET_FOR {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        };
        let report = export_embeddings(&mut store, self.model.as_deref(), &self.out, progress)?;
        bar.finish_and_clear();
        println!(
            "{}: {} images, {} with an identity, embeddings of model {} ({} float32 each), {} bytes",
            self.out.display(),
            report.rows,
            report.with_identity,
            report.model,
            report.dimension,
            report.bytes
        );
        Ok(())
    }
}
