//! `pairscope export` and `pairscope verify-export`: write a selection of pairs with their
//! images, labels and a manifest, and check such a folder against its manifest later.

use std::path::PathBuf;

use clap::Args;

use super::common::open_project_to_write;
use super::selection_args::SelectionArgs;
use crate::curate;

#[derive(Debug, Args)]
pub struct ExportArgs {
    project: PathBuf,
    /// The folder to create (it must not exist, or be empty).
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    selection: SelectionArgs,
    /// Put the export time into the manifest (re-exports then differ in that line).
    #[arg(long)]
    stamp: bool,
}

impl ExportArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let ExportArgs { project, out, selection: args, stamp } = self;
        let selection = args.selection();
        let described = selection.describe();
        let options = curate::ExportOptions {
            selection,
            model: args.model,
            threshold: args.threshold,
            stamp,
            origin: "cli".into(),
        };
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
    /// Also re-derive every image `pairscope augment` made from its source and the changes
    /// the manifest records, and compare the bytes (the sources must still be where they were).
    #[arg(long)]
    reapply: bool,
}

impl VerifyExportArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let folder = &self.folder;
        let mut problems = curate::verify_export(folder)?;
        let mut reapplied = None;
        if self.reapply {
            let (more, checked) = curate::augment_derive::reapply_manifest(folder)?;
            problems.extend(more);
            reapplied = Some(checked);
        }
        if problems.is_empty() {
            println!("{}: every file matches manifest.json", folder.display());
            match reapplied {
                Some(0) => println!("no derived images to re-apply (not an augment folder)"),
                Some(n) => println!("{n} derived images re-made from their sources give the same bytes"),
                None => {}
            }
            return Ok(());
        }
        for problem in &problems {
            eprintln!("  {problem}");
        }
        let what = if self.reapply { "problems against" } else { "files do not match" };
        anyhow::bail!("{}: {} {what} manifest.json", folder.display(), problems.len())
    }
}
