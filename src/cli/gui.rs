//! `pairscope gui`: open the app, optionally straight into review as a labeler.

use std::path::PathBuf;

use clap::Args;

use super::common::parse_labeler_name;

#[derive(Debug, Args)]
pub struct GuiArgs {
    /// Project file to open (default: the last one opened).
    project: Option<PathBuf>,
    /// Open straight into review as this labeler (created if new).
    #[arg(long, value_name = "NAME", value_parser = parse_labeler_name)]
    labeler: Option<String>,
}

impl GuiArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        crate::ui::run(self.project, self.labeler)
    }
}
