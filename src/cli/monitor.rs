//! `pairscope monitor`: compare a folder of new photos with the project's photos, measure by
//! measure, and say whether the input has drifted (issue 18).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;
use clap::Args;

use super::common::open_project;
use crate::domain::Split;
use crate::face::FaceEngine;
use crate::monitor::{DEFAULT_MAX_PAIRS, MonitorRequest, MonitorStage, render_text, run};

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
    /// At most this many same-person pairs of the batch's identity folders (a seeded sample),
    /// and as many different-person pairs, for the score comparison.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_PAIRS, value_parser = clap::value_parser!(u32).range(1..))]
    max_pairs: u32,
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
        let bar =
            if self.quiet || self.json { indicatif::ProgressBar::hidden() } else { indicatif::ProgressBar::new(0) };
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        ctrlc::set_handler(move || {
            if flag.swap(true, Ordering::SeqCst) {
                std::process::exit(130); // a second Ctrl-C: the user really wants out
            }
            eprintln!("\nstopping after the photos in flight (Ctrl-C again to quit at once)…");
        })
        .context("installing the Ctrl-C handler")?;
        if !self.quiet {
            let dir = self.images.display().to_string();
            eprintln!("measuring the photos of {} (Ctrl-C stops)", crate::quote::quote(&dir));
        }
        let request =
            MonitorRequest { folder: &self.images, baseline: self.baseline, max_pairs: self.max_pairs as usize };
        let report = run(
            &mut store,
            &engine,
            &request,
            &cancel,
            |stage| {
                if let MonitorStage::Measuring { done, total } = stage {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                }
            },
            |_| Ok(()),
        );
        bar.finish_and_clear();
        let report = report?;
        if self.json {
            println!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            print!("{}", render_text(&report));
        }
        Ok(if self.fail_on_drift && report.drifted { ExitCode::from(EXIT_DRIFTED) } else { ExitCode::SUCCESS })
    }
}
