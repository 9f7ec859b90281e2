//! `pairscope augment`: synthesise more pairs like a slice (darker, blurred, a sunset cast…)
//! into an export folder, and optionally into the project.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Args;

use super::common::open_project_to_write;
use super::selection_args::SelectionArgs;
use crate::curate::{self, AugmentOptions, Recipe};

#[derive(Debug, Args)]
pub struct AugmentArgs {
    project: PathBuf,
    /// The folder to create (it must not exist, or be empty).
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    selection: SelectionArgs,
    /// The changes, e.g. "darken=0.3..0.6, blur=1.5, copies=2" (see the long help).
    #[arg(long, value_parser = Recipe::parse)]
    recipe: Recipe,
    /// The seed ranges are drawn with: the same seed gives byte-identical files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Bring the derived pairs into the project (source augment, with their lineage).
    #[arg(long)]
    add_to_project: bool,
    /// With --add-to-project: record each derived pair's tags (its source's, and the recipe's:
    /// dark, blurry, sunset) as this adjudicator's decision, so they join their slice at once.
    #[arg(long, value_name = "NAME", requires = "add_to_project")]
    adjudicate_as: Option<String>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

impl AugmentArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let selection = self.selection.selection();
        let described = selection.describe();
        let options = AugmentOptions {
            selection,
            model: self.selection.model.clone(),
            threshold: self.selection.threshold,
            recipe: self.recipe,
            seed: self.seed,
            add_to_project: self.add_to_project,
            adjudicate_as: self.adjudicate_as,
            origin: "cli".into(),
        };
        let mut store = open_project_to_write(&self.project)?;
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        // Ctrl-C stops between images; the staging folder is removed and nothing is recorded.
        let _ = ctrlc::set_handler(move || {
            if flag.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            eprintln!("\nstopping; nothing will be written (Ctrl-C again to quit at once)…");
        });
        let bar = if self.quiet { indicatif::ProgressBar::hidden() } else { indicatif::ProgressBar::new(0) };
        let result = curate::augment(&mut store, &self.out, &options, &cancel, |p| {
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
        });
        bar.finish_and_clear();
        let report = match result {
            Err(curate::CurateError::Cancelled) => anyhow::bail!("cancelled: nothing was written or recorded"),
            other => other?,
        };
        if let Some(stale) = &report.stale_removed {
            eprintln!("{stale}");
        }
        println!(
            "augmented {} pairs ({} images; {described}) with {}: {} derived pairs, {} derived images in {}",
            report.source_pairs,
            report.source_images,
            options.recipe,
            report.pairs,
            report.images,
            report.target.display()
        );
        if report.synthetic_left_out > 0 {
            eprintln!(
                "note: {} synthetic pairs (source augment) also match the selection; they are not augmented again",
                report.synthetic_left_out
            );
        }
        if report.outside_train > 0 {
            eprintln!(
                "note: {} of the pairs are outside train; synthetic pairs in dev or test change what those splits measure",
                report.outside_train
            );
        }
        println!(
            "manifest sha256 {} (recorded in the project as export #{}); check it with `pairscope verify-export {} --reapply`",
            report.manifest_sha256,
            report.lineage_id,
            report.target.display()
        );
        if let Some(added) = &report.added {
            println!(
                "added {} pairs and {} images to the project (source augment){}; score them with `pairscope embed`",
                added.pairs,
                added.images,
                if added.adjudicated > 0 {
                    format!(", {} tagged by adjudication", added.adjudicated)
                } else {
                    String::new()
                }
            );
        }
        Ok(())
    }
}
