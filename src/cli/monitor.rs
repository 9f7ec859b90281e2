//! `pairscope monitor`: compare a folder of new photos with the project's photos, measure by
//! measure, and say whether the input has drifted (issue 18).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::Args;

use super::common::open_project;
use crate::domain::Split;
use crate::face::FaceEngine;
use crate::monitor::{baseline, compare, dark_slice, measure_folder, render_text};

/// The exit status of `--fail-on-drift` when a measure drifted (1 stays "the command failed").
pub const EXIT_DRIFTED: u8 = 3;

#[derive(Debug, Args)]
pub struct MonitorArgs {
    project: PathBuf,
    /// The folder of new photos (read with its sub-folders; nothing is written there).
    #[arg(long, value_name = "DIR")]
    images: PathBuf,
    /// Compare with the photos of one split's pairs instead of all the project's photos.
    #[arg(long, value_name = "SPLIT", value_parser = parse_split)]
    baseline: Option<Split>,
    /// One JSON object instead of the table.
    #[arg(long)]
    json: bool,
    /// Exit with status 3 when a measure drifted (after printing the report).
    #[arg(long)]
    fail_on_drift: bool,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

fn parse_split(text: &str) -> Result<Split, String> {
    Split::parse(text)?.ok_or_else(|| "name a split: train, train-dev, dev or test".to_string())
}

impl MonitorArgs {
    pub(super) fn run(self) -> anyhow::Result<ExitCode> {
        let mut store = open_project(&self.project)?;
        let engine = FaceEngine::builtin()?;
        let base = baseline(&mut store, &engine, self.baseline)?;
        let bar =
            if self.quiet || self.json { indicatif::ProgressBar::hidden() } else { indicatif::ProgressBar::new(0) };
        let new = measure_folder(&engine, &self.images, &AtomicBool::new(false), |done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        })?;
        bar.finish_and_clear();
        let name = match self.baseline {
            Some(split) => format!("the photos of split {}", split.as_str()),
            None => "the project's photos".to_owned(),
        };
        let mut report = compare(name, &base, &new);
        if report.drifted_darker() {
            report.dark_slice = dark_slice(&mut store)?;
        }
        if self.json {
            println!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            print!("{}", render_text(&report));
        }
        Ok(if self.fail_on_drift && report.drifted { ExitCode::from(EXIT_DRIFTED) } else { ExitCode::SUCCESS })
    }
}
