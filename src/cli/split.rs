//! `pairscope split`: plan balanced train/dev/test splits, show the preview, write with --apply.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::common::open_project;
use crate::curate;

#[derive(Debug, Args)]
pub struct SplitArgs {
    project: PathBuf,
    /// small (60/20/20), large (98/1/1), auto (large from 100,000 pairs), or train/dev/test
    /// such as 70/15/15.
    #[arg(long, default_value = "auto")]
    ratios: String,
    /// Percent of train to carve out as train-dev (same distribution as train, held out).
    #[arg(long, default_value_t = 0.0)]
    train_dev: f64,
    /// Seed: the same seed always gives the same split.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Write the split into the project (without it nothing is written).
    #[arg(long)]
    apply: bool,
    /// Confirm moving pairs that already have another split.
    #[arg(long, requires = "apply")]
    replace_existing: bool,
    /// Keep pairs that have a split where they are; place only the others (new pairs join
    /// the split of the people they share with existing ones).
    #[arg(long, conflicts_with = "replace_existing")]
    keep_existing: bool,
    /// Print the plan's preview as JSON.
    #[arg(long)]
    json: bool,
}

impl SplitArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let SplitArgs { project, ratios, train_dev, seed, apply, replace_existing, keep_existing, json } = self;
        let ratios = match ratios.trim().to_ascii_lowercase().as_str() {
            "auto" => None,
            other => Some(curate::Ratios::parse(other).map_err(anyhow::Error::msg)?),
        };
        let store = &mut open_project(&project)?;
        let options = curate::SplitOptions { ratios, train_dev_percent: train_dev, seed, keep_existing };
        let plan = curate::plan_split(store, &options)?;
        if json {
            let out = serde_json::json!({
                "ratios": plan.ratios,
                "seed": seed,
                "components": plan.components,
                "largest_component": plan.largest_component,
                "would_change": plan.changed(),
                "would_replace": plan.replaced(),
                "warnings": plan.warnings,
                "rows": plan.preview.rows,
            });
            println!("{}", serde_json::to_string_pretty(&out).context("serialising the preview")?);
        } else {
            println!(
                "split {} pairs {} (train/train-dev/dev/test %), seed {}: {} groups linked by identity or image, \
                 the largest {} pairs",
                plan.moves.len(),
                plan.ratios.label(),
                seed,
                plan.components,
                plan.largest_component
            );
            println!("{}", plan.preview.table());
        }
        for warning in &plan.warnings {
            eprintln!("warning: {warning}");
        }
        if !apply {
            // With --json, stdout holds only the JSON.
            let say = |text: String| if json { eprintln!("{text}") } else { println!("{text}") };
            say(format!(
                "preview only: nothing was written ({} pairs would change, {} of them already in another split); \
                 run again with --apply to write it",
                plan.changed(),
                plan.replaced()
            ));
            return Ok(());
        }
        if plan.replaced() > 0 && !replace_existing {
            anyhow::bail!(
                "{}: {} pairs already have a different split; nothing was written \
                 (add --replace-existing to confirm moving them, or --keep-existing to place only the pairs without a split)",
                project.display(),
                plan.replaced()
            );
        }
        let changed = curate::apply_split(store, &plan, replace_existing, "cli")?;
        println!("wrote the split: {changed} pairs changed");
        Ok(())
    }
}
