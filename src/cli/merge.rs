//! `pairscope merge-labels`: take the labels of another project of the same pairs.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::common::{listed, open_project};
use crate::curate;

#[derive(Debug, Args)]
pub struct MergeLabelsArgs {
    project: PathBuf,
    /// The project to take labels from.
    #[arg(long)]
    from: PathBuf,
    /// List every conflict and unmatched pair, not just the first few.
    #[arg(long, short)]
    verbose: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

impl MergeLabelsArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let report = curate::merge_labels(&mut open_project(&self.project)?, &self.from)?;
        if self.json {
            println!("{}", serde_json::to_string_pretty(&report).context("serialising the report")?);
        } else {
            println!("{}", report.summary(listed(self.verbose)));
        }
        Ok(())
    }
}
