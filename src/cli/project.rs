//! `pairscope new` and `pairscope info`: create a project file, and say what one holds.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::store::Store;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Path of the project file to create (refuses to overwrite).
    project: PathBuf,
}

impl NewArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        Store::create(&self.project)?;
        println!("created {}", self.project.display());
        Ok(())
    }
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    project: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

impl InfoArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let project = &self.project;
        let info = Store::open_to_read(project)?.read(|tx| tx.info())?;
        if self.json {
            println!("{}", serde_json::to_string_pretty(&info).context("serialising info")?);
            return Ok(());
        }
        println!("{} (schema {})", project.display(), info.schema_version);
        println!("images   {}", info.images);
        for root in &info.image_roots {
            println!("  under  {root}");
        }
        println!(
            "pairs    {}  ({} same, {} different, {} unknown)",
            info.pairs, info.truth_same, info.truth_different, info.truth_unknown
        );
        let splits: Vec<String> = info.splits.iter().map(|(s, n)| format!("{s} {n}")).collect();
        println!("splits   {}", splits.join(", "));
        println!("labelers {}", info.labelers.len());
        for l in &info.labelers {
            let simulated = if l.simulated { ", simulated" } else { "" };
            let name = printable(&l.name);
            println!("  {name:<20} {:>7} verdicts {:>7} tags  ({}{simulated})", l.verdicts, l.tags_applied, l.role);
        }
        println!("tags     {}", info.tags.len());
        for t in &info.tags {
            let key = t.hotkey.map(|k| k.to_string()).unwrap_or_else(|| "-".into());
            let name = printable(&t.name);
            println!("  [{key}] {name:<16} {:>7} pairs {:>7} applications", t.pairs, t.applications);
        }
        println!("models   {}", info.models.len());
        for m in &info.models {
            println!("  {:<20} {:>7} scores  ({})", m.name, m.scores, m.kind);
        }
        println!("events   {}", info.label_events);
        Ok(())
    }
}

/// A name as the terminal should see it: one made before names were checked may hold a newline
/// or an ESC, which are printed escaped ("\u{1b}"), never raw.
fn printable(name: &str) -> std::borrow::Cow<'_, str> {
    if name.chars().any(char::is_control) { format!("{name:?}").into() } else { name.into() }
}
