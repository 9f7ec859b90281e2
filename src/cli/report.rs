//! `pairscope report`: every number of the error analysis of a project, for people and scripts.

use std::path::PathBuf;

use clap::Args;

use crate::analysis::{DEFAULT_MIN_SUPPORT, ReportOptions, ThresholdRule, render_text};
use crate::curate::ProjectReport;
use crate::curate::report_csv::write_report_csvs;
use crate::curate::report_parquet::write_report_parquet;
use crate::domain::Split;
use crate::store::Store;

#[derive(Debug, Args)]
pub struct ReportArgs {
    project: PathBuf,
    /// One JSON object instead of tables.
    #[arg(long)]
    json: bool,
    /// The model whose scores to use (default: the only one, or the built-in one).
    #[arg(long)]
    model: Option<String>,
    /// Use this threshold.
    #[arg(long, group = "rule")]
    threshold: Option<f64>,
    /// The smallest threshold with FPR <= F (e.g. 0.0001 for 0.01%).
    #[arg(long, group = "rule", value_name = "F")]
    max_fpr: Option<f64>,
    /// With --max-fpr: the smallest threshold whose one-sided 95 % upper bound on the FPR is
    /// <= F ("FPR <= F demonstrated at 95 %"). When the data cannot demonstrate F, the report
    /// accepts nothing, says how many different-person pairs F needs, and the exit code is 1.
    #[arg(long, requires = "max_fpr")]
    demonstrated: bool,
    /// The threshold where FPR and FNR cross.
    #[arg(long, group = "rule")]
    eer: bool,
    /// Also write a self-contained HTML report (tables and plots) to FILE.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Also write every table as a CSV file into DIR.
    #[arg(long, value_name = "DIR")]
    csv: Option<PathBuf>,
    /// Also write every table as a Parquet file into DIR (the tables of --csv, typed).
    #[arg(long, value_name = "DIR")]
    parquet: Option<PathBuf>,
    /// Apply the threshold rule to this split's pairs only (train, train-dev, dev, test), then
    /// report at that threshold on every split.
    #[arg(long, value_name = "SPLIT", value_parser = parse_split)]
    threshold_from: Option<Split>,
    /// Slices with fewer pairs are listed below the ranked ones, "too few pairs to rank".
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MIN_SUPPORT)]
    min_support: u64,
}

fn parse_split(text: &str) -> Result<Split, String> {
    Split::parse(text)?.ok_or_else(|| "name a split: train, train-dev, dev or test".to_string())
}

impl ReportArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        report(self)
    }
}

fn report(args: ReportArgs) -> anyhow::Result<()> {
    let rule = match (args.threshold, args.max_fpr, args.eer) {
        (Some(t), _, _) => ThresholdRule::Fixed(t),
        (_, Some(f), _) if args.demonstrated => ThresholdRule::MaxFprDemonstrated(f),
        (_, Some(f), _) => ThresholdRule::MaxFpr(f),
        (_, _, true) => ThresholdRule::Eer,
        _ => ThresholdRule::MaxAccuracy,
    };
    let mut store = Store::open_to_read(&args.project)?;
    let options = ReportOptions {
        min_support: args.min_support,
        threshold_from: args.threshold_from,
        ..ReportOptions::default()
    };
    let loaded = ProjectReport::load_with(&mut store, args.model.as_deref(), rule, options)?;
    let report = &loaded.report;
    if let Some(file) = &args.html {
        loaded.write_html(&args.project, file)?;
        eprintln!("wrote {}", file.display());
    }
    if let Some(dir) = &args.csv {
        let files = write_report_csvs(report, dir).map_err(|e| anyhow::anyhow!(e))?;
        eprintln!("wrote {} tables into {}", files.len(), dir.display());
    }
    if let Some(dir) = &args.parquet {
        let files = write_report_parquet(report, dir).map_err(|e| anyhow::anyhow!(e))?;
        eprintln!("wrote {} tables into {}", files.len(), dir.display());
    }
    if args.json {
        println!("{}", report.to_json());
    } else {
        print!("{}", render_text(report));
    }
    // The whole report is written first, so the reader sees how far the data is from the
    // target; then a failure status, so a script gating on a demonstrated bound cannot pass.
    if let ThresholdRule::MaxFprDemonstrated(f) = rule {
        let target = loaded.prepared.fpr_target(f);
        if target.demonstrated.is_none() {
            anyhow::bail!("{}", target.claim());
        }
    }
    Ok(())
}
