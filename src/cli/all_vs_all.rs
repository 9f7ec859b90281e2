//! `pairscope all-vs-all`: every image with an identity against every other one, with a
//! progress bar and Ctrl-C; optionally adds the hardest comparisons as pairs to review.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;
use clap::Args;

use super::common::open_project;
use crate::all_vs_all::{AllVsAllRecord, KEEP, RunProgress, add_hardest, run};
use crate::face::FaceEngine;

#[derive(Debug, Args)]
pub struct AllVsAllArgs {
    project: PathBuf,
    /// The model whose embeddings are compared, by its name in the project (see `pairscope
    /// info`). The built-in model computes missing embeddings itself; another model's must
    /// be computed first with `pairscope embed --model FILE --name NAME`.
    #[arg(long, default_value = "builtin")]
    model: String,
    /// Add the K hardest impostors and the K weakest genuine comparisons as pairs to review
    /// (source all-vs-all, truth from identity); pairs already in the project are skipped.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u16).range(1..=KEEP as i64))]
    add_hardest: Option<u16>,
    /// No progress bar (for logs).
    #[arg(long, short)]
    quiet: bool,
}

impl AllVsAllArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let mut store = open_project(&self.project)?;
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        ctrlc::set_handler(move || {
            if flag.swap(true, Ordering::SeqCst) {
                std::process::exit(130); // a second Ctrl-C: the user really wants out
            }
            eprintln!("\nstopping (Ctrl-C again to quit at once)…");
        })
        .context("installing the Ctrl-C handler")?;

        let bar = if self.quiet { indicatif::ProgressBar::hidden() } else { indicatif::ProgressBar::new(0) };
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg:12} {bar:40} {pos}/{len}  ETA {eta}")
                .expect("a valid progress template"),
        );
        let outcome = run(&mut store, &self.model, FaceEngine::builtin, &cancel, &|p| match p {
            RunProgress::Embedding { done, total } => {
                bar.set_message("embedding");
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            }
            RunProgress::Comparing(p) => {
                bar.set_message("comparing");
                bar.set_length(p.total);
                bar.set_position(p.done);
            }
        });
        bar.finish_and_clear();
        let outcome = outcome.with_context(|| self.project.display().to_string())?;
        if outcome.images_embedded > 0 {
            println!("embedded {} images first", outcome.images_embedded);
        }
        print_summary(&outcome.record, outcome.cached);
        if let Some(k) = self.add_hardest {
            let added = add_hardest(&mut store, &outcome.record, k as usize)?;
            println!(
                "added {} impostor and {} genuine pairs to review (source all-vs-all); {} were already in the project",
                added.impostors, added.genuine, added.existing
            );
        }
        Ok(())
    }
}

fn print_summary(r: &AllVsAllRecord, cached: bool) {
    let from = if cached { " (unchanged since the last run: from the project)" } else { "" };
    println!(
        "model {}: {} images of {} identities, {} comparisons: {} genuine, {} impostor{from}",
        r.model,
        r.images,
        r.identities,
        r.genuine + r.impostors,
        r.genuine,
        r.impostors
    );
    if r.left_out > 0 {
        println!("left out: {} images with an identity but no embedding (no face, unreadable, missing)", r.left_out);
    }
    if let Some(eer) = r.eer {
        let t = eer.threshold.map_or("none".to_owned(), |t| format!("{t:.4}"));
        println!("EER {:.4} % at threshold {t}", 100.0 * eer.rate);
    }
    for p in &r.points {
        let o = &p.observed;
        let t = o.threshold.map_or("none".to_owned(), |t| format!("{t:.4}"));
        let demonstrated = match &p.demonstrated {
            Some(d) if d.threshold.is_some() => format!("demonstrated at {:.4}", d.threshold.unwrap_or_default()),
            _ => "not demonstrated".to_owned(),
        };
        println!(
            "FMR {}: threshold {t}, {} of {} impostors accepted, {} of {} genuine accepted; {demonstrated}",
            p.key, o.false_accepts, r.impostors, o.true_accepts, r.genuine
        );
    }
    println!("computed in {:.2} s", r.seconds);
}
