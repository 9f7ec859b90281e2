//! `pairscope share`, `clone` and `sync`: a project shared through a team hub (see `hub`).

use std::path::PathBuf;

use clap::Args;

use super::common::open_project_to_write;
use crate::hub::{self, HubUrl};

#[derive(Debug, Args)]
pub struct ShareArgs {
    project: PathBuf,
    /// The empty hub to publish to, as its owner: postgres://ROLE@HOST:PORT/DATABASE.
    #[arg(long)]
    hub: String,
}

impl ShareArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let url = HubUrl::parse(&self.hub)?;
        let mut store = open_project_to_write(&self.project)?;
        let name = self.project.file_stem().map_or_else(|| "project".into(), |s| s.to_string_lossy().into_owned());
        let shared = hub::share(&mut store, &url, &name)?;
        println!(
            "shared {} to {url}: {} pairs, {} images, {} labelers, {} labels, {} audit events",
            self.project.display(),
            shared.pairs,
            shared.images,
            shared.labelers,
            shared.labels,
            shared.events
        );
        println!(
            "labelers clone it with: pairscope clone postgres://ROLE@{}:{}/{} COPY --images DIR",
            url.host, url.port, url.database
        );
        Ok(())
    }
}

#[derive(Debug, Args)]
pub struct CloneArgs {
    /// The hub, as the labeler's own role: postgres://ROLE@HOST:PORT/DATABASE.
    url: String,
    /// The new project file: the labeler's copy.
    project: PathBuf,
    /// The folder that holds the hub's images at their relative paths.
    #[arg(long)]
    images: PathBuf,
}

impl CloneArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let url = HubUrl::parse(&self.url)?;
        let made = hub::clone_hub(&url, &self.project, &self.images)?;
        println!(
            "{} is {}'s copy of {url}: {} pairs, {} images (every sha256 checked), {} audit events",
            self.project.display(),
            made.labeler,
            made.pairs,
            made.images,
            made.events
        );
        Ok(())
    }
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    project: PathBuf,
    /// Then take up to N pairs to label from the hub (a labeler's copy): their unexpired
    /// assignments first, then pairs fewer than the hub's overlap of labelers hold. Review
    /// shows them as "My assignments".
    #[arg(long, value_name = "N")]
    take: Option<u32>,
}

impl SyncArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let store = std::sync::Mutex::new(open_project_to_write(&self.project)?);
        let done = match hub::sync(&store) {
            Ok(done) => done,
            Err(error) => {
                // Nothing is lost: say what stays here for the next sync.
                let waiting = hub::waiting(&store).ok().flatten().unwrap_or(0);
                return Err(anyhow::anyhow!(
                    "{error}\n{waiting} changes wait in {} and go with the next sync; nothing is lost",
                    self.project.display()
                ));
            }
        };
        println!("sent {} changes, brought {}", done.sent, done.brought);
        if done.kept_local > 0 {
            println!(
                "kept here: {} changes the hub does not take from this copy (roles, settings, hotkeys, tag \
                 merges, a labeler's edits of tag definitions, or another labeler's changes)",
                done.kept_local
            );
        }
        if !done.conflicts.is_empty() {
            println!(
                "conflicts: {} (adjudications, truths or tag definitions changed here and on the hub since they last \
                 agreed)",
                done.conflicts.len()
            );
            for conflict in &done.conflicts {
                println!("  {conflict}");
            }
        }
        if let Some(how_many) = self.take {
            let assigned = hub::take_assignments(&store, how_many)?;
            match assigned.iter().map(|(_, until)| until).min() {
                Some(until) => println!("assigned to you: {} pairs, leased until {until}", assigned.len()),
                None => println!("assigned to you: none (every pair has its labelers)"),
            }
        }
        Ok(())
    }
}
