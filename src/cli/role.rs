//! `pairscope role`: show or set what a labeler may do.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::common::parse_labeler_name;
use crate::store::{LabelChange, Origin, Role, Store};

#[derive(Debug, Args)]
pub struct RoleArgs {
    project: PathBuf,
    /// The labeler's name.
    #[arg(value_parser = parse_labeler_name)]
    labeler: String,
    /// The new role; without it, the current one is printed.
    role: Option<Role>,
}

impl RoleArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let (project, name) = (&self.project, &self.labeler);
        let mut store = Store::open(project)?;
        let Some(role) = self.role else {
            let labeler = store.read(|tx| tx.find_labeler(name))?;
            let labeler = labeler
                .with_context(|| format!("{}: no labeler named {}", project.display(), crate::quote::quote(name)))?;
            println!("{}: {}", labeler.name, labeler.role.as_str());
            return Ok(());
        };
        let change = store.write(|tx| {
            let (labeler, _) = tx.labeler_or_create(name)?;
            tx.set_labeler_role(labeler.id, role, Origin::Cli)
        })?;
        let done = if change == LabelChange::Changed { "is now" } else { "was already" };
        println!("{name} {done} {}", role.as_str());
        Ok(())
    }
}
