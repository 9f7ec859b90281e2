//! `pairscope lineage`: the split runs and exports recorded in a project.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::curate;
use crate::store::Store;

#[derive(Debug, Args)]
pub struct LineageArgs {
    project: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

impl LineageArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let (project, json) = (&self.project, self.json);
        let (splits, exports) = Store::open_to_read(project)?.read(|tx| Ok((tx.split_runs()?, tx.exports()?)))?;
        if json {
            let out = serde_json::json!({ "split_runs": splits, "exports": exports });
            println!("{}", serde_json::to_string_pretty(&out).context("serialising the lineage")?);
            return Ok(());
        }
        println!("split runs {}", splits.len());
        for run in &splits {
            let ratios = serde_json::from_value::<curate::Ratios>(run.params["ratios"].clone())
                .map(|r| r.label())
                .unwrap_or_else(|_| "?".into());
            println!(
                "  #{} {}  {} seed {}  {} pairs changed  ({})",
                run.id, run.at, ratios, run.params["requested"]["seed"], run.changed, run.origin
            );
        }
        println!("exports    {}", exports.len());
        for export in &exports {
            println!(
                "  #{} {}  {} pairs, {} images -> {}  manifest sha256 {}  filter {}  ({})",
                export.id,
                export.at,
                export.pairs,
                export.images,
                export.target,
                export.manifest_sha256,
                export.selection,
                export.origin
            );
        }
        Ok(())
    }
}
