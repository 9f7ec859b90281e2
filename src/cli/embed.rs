//! `pairscope embed`: score a project from the terminal with a progress bar.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;
use clap::Args;

use super::common::open_project;
use crate::face::{EmbedderSpec, FaceEngine};
use crate::scoring::{Progress, ScoreSummary, score_project};
use crate::store::ModelKind;

#[derive(Debug, Args)]
pub struct EmbedArgs {
    project: PathBuf,
    /// An ONNX face embedder to use instead of the built-in one (the built-in detector and
    /// alignment still make the 112x112 crop it sees).
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// The input spec of --model, e.g. "size=112x112,order=rgb,mean=127.5,std=127.5,layout=nchw".
    #[arg(long, requires = "model", default_value = "size=112x112,order=rgb,mean=127,std=128,layout=nchw")]
    spec: String,
    /// Name under which the scores are stored (default: "builtin", or the file name of --model).
    #[arg(long)]
    name: Option<String>,
    /// No progress bar (for logs).
    #[arg(long, short)]
    quiet: bool,
}

impl EmbedArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        embed(self)
    }
}

fn embed(args: EmbedArgs) -> anyhow::Result<()> {
    // The spec is checked before the project is opened, so a bad one leaves it untouched.
    let spec: Option<EmbedderSpec> =
        args.model.as_ref().map(|_| args.spec.parse()).transpose().map_err(|e| anyhow::anyhow!("--spec: {e}"))?;
    let mut store = open_project(&args.project)?;
    let (engine, kind, default_name) = match (&args.model, spec) {
        (Some(file), Some(spec)) => {
            let engine = FaceEngine::with_embedder_file(file, spec).with_context(|| file.display().to_string())?;
            let name = file.file_stem().map_or("onnx".into(), |s| s.to_string_lossy().into_owned());
            (engine, ModelKind::Onnx, name)
        }
        _ => (FaceEngine::builtin()?, ModelKind::Embedded, "builtin".to_owned()),
    };
    let name = args.name.unwrap_or(default_name);

    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130); // a second Ctrl-C: the user really wants out
        }
        eprintln!("\nstopping after the images in flight (Ctrl-C again to quit at once)…");
    })
    .context("installing the Ctrl-C handler")?;

    let bar = if args.quiet { indicatif::ProgressBar::hidden() } else { indicatif::ProgressBar::new(0) };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} images  {per_sec}  ETA {eta}  {msg}")
            .expect("a valid progress template"),
    );
    let summary = score_project(&mut store, &engine, &name, kind, &cancel, |p: Progress| {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
    })?;
    bar.finish_and_clear();

    println!(
        "model {}: {} images ({} from the cache, {} processed in {:.1} s)",
        summary.model, summary.images_total, summary.images_cached, summary.images_processed, summary.seconds
    );
    print_outcome(&summary);
    Ok(())
}

/// The statuses, then the images without an embedding and the pairs without a score, each
/// counted on its own line (one bad image leaves every pair it is in without a score).
fn print_outcome(summary: &ScoreSummary) {
    let counts = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter().map(|(s, n)| format!("{s} {n}")).collect::<Vec<_>>().join(", ")
    };
    if !summary.statuses.is_empty() {
        println!("statuses: {}", counts(&summary.statuses));
    }
    let unembedded: u64 = summary.images_unembedded.values().sum();
    if unembedded > 0 {
        let noun = if unembedded == 1 { "image" } else { "images" };
        println!("{unembedded} {noun} without an embedding ({})", counts(&summary.images_unembedded));
        print_some(&summary.image_problems);
    }
    if summary.cancelled {
        println!("cancelled: what was done is saved; run `pairscope embed` again to finish");
    } else {
        println!("scored {} pairs; {} without a score", summary.pairs_scored, summary.pairs_unscored.len());
        print_some(&summary.pairs_unscored);
    }
}

/// The first ten lines, then how many more.
fn print_some(lines: &[String]) {
    for line in lines.iter().take(10) {
        println!("  {line}");
    }
    if lines.len() > 10 {
        println!("  … and {} more", lines.len() - 10);
    }
}
