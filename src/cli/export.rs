//! `pairscope export` and `pairscope verify-export`: write a selection of pairs with their
//! images, labels and a manifest, and check such a folder against its manifest later.

use std::path::PathBuf;

use clap::Args;

use super::common::open_project_to_write;
use crate::curate;
use crate::domain::Split;

#[derive(Debug, Args)]
pub struct ExportArgs {
    project: PathBuf,
    /// The folder to create (it must not exist, or be empty).
    #[arg(long)]
    out: PathBuf,
    /// Only this split (train, train-dev, dev, test).
    #[arg(long, value_parser = parse_split)]
    split: Option<Split>,
    /// Only pairs whose labelers reach a majority verdict.
    #[arg(long)]
    consensus_only: bool,
    /// Only pairs with this consensus tag (repeatable).
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Leave out pairs with this consensus tag (repeatable), e.g. borderline.
    #[arg(long = "exclude-tag")]
    exclude_tags: Vec<String>,
    /// Only pairs whose verdicts agree at least this much (0-1).
    #[arg(long)]
    min_agreement: Option<f64>,
    /// Only pairs whose verdicts agree at most this much (0-1; e.g. 0.99 for the
    /// disagreement queue).
    #[arg(long)]
    max_agreement: Option<f64>,
    /// Only the pairs --model gets wrong at --threshold (false accepts and rejects).
    #[arg(long, requires = "threshold")]
    errors_only: bool,
    /// Include this model's scores.
    #[arg(long)]
    model: Option<String>,
    /// The operating threshold of --model (adds a predicted column).
    #[arg(long, requires = "model")]
    threshold: Option<f64>,
    /// Put the export time into the manifest (re-exports then differ in that line).
    #[arg(long)]
    stamp: bool,
}

fn parse_split(text: &str) -> Result<Split, String> {
    Split::parse(text)?.ok_or_else(|| "name a split: train, train-dev, dev or test".to_string())
}

impl ExportArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let ExportArgs {
            project,
            out,
            split,
            consensus_only,
            tags,
            exclude_tags,
            min_agreement,
            max_agreement,
            errors_only,
            model,
            threshold,
            stamp,
        } = self;
        let selection = curate::Selection {
            split,
            consensus_only,
            require_tags: tags,
            exclude_tags,
            min_agreement,
            max_agreement,
            model_errors: errors_only,
        };
        let described = selection.describe();
        let options = curate::ExportOptions { selection, model, threshold, stamp, origin: "cli".into() };
        let report = curate::export(&mut open_project_to_write(&project)?, &out, &options)?;
        if let Some(stale) = &report.stale_removed {
            eprintln!("{stale}");
        }
        println!(
            "exported {} pairs, {} images, {} labels ({described}) to {}",
            report.pairs,
            report.images,
            report.labels,
            report.target.display()
        );
        if report.lfw_pairs == 0 && report.pairs > 0 {
            println!("no pairs.txt: no pair can be written in LFW format (why is in manifest.json)");
        } else if report.lfw_left_out > 0 {
            println!(
                "pairs.txt holds {} pairs; {} cannot be written in LFW format (listed in manifest.json)",
                report.lfw_pairs, report.lfw_left_out
            );
        }
        println!(
            "manifest sha256 {} (recorded in the project as export #{})",
            report.manifest_sha256, report.lineage_id
        );
        Ok(())
    }
}

#[derive(Debug, Args)]
pub struct VerifyExportArgs {
    folder: PathBuf,
}

impl VerifyExportArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let folder = &self.folder;
        let problems = curate::verify_export(folder)?;
        if problems.is_empty() {
            println!("{}: every file matches manifest.json", folder.display());
            return Ok(());
        }
        for problem in &problems {
            eprintln!("  {problem}");
        }
        anyhow::bail!("{}: {} files do not match manifest.json", folder.display(), problems.len())
    }
}
