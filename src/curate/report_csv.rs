//! The analysis tables as CSV files, one per table, for spreadsheets and scripts.

use std::path::{Path, PathBuf};

use crate::analysis::{Report, SliceStats};

fn cell(v: Option<f64>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

/// Writes tags.csv, splits.csv, labelers.csv, cohen_kappa.csv, tag_agreement.csv and
/// operating_point.csv into `dir` (created if needed). Returns the files written.
pub fn write_report_csvs(report: &Report, dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create the folder: {e}", dir.display()))?;
    let mut written = Vec::new();
    let mut write = |name: &str, header: &[&str], rows: Vec<Vec<String>>| -> Result<(), String> {
        let path = dir.join(name);
        let fail = |e: csv::Error| format!("{}: {e}", path.display());
        let mut w = csv::Writer::from_path(&path).map_err(fail)?;
        w.write_record(header).map_err(fail)?;
        for row in rows {
            w.write_record(&row).map_err(fail)?;
        }
        w.flush().map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
        Ok(())
    };
    let op = &report.operating_point;
    write(
        "operating_point.csv",
        &["rule", "threshold", "tp", "fp", "tn", "fn", "accuracy", "precision", "recall", "f1", "fpr"],
        vec![vec![
            op.rule.to_string(),
            cell(op.threshold),
            op.tp.to_string(),
            op.fp.to_string(),
            op.tn.to_string(),
            op.fn_.to_string(),
            cell(op.accuracy),
            cell(op.precision),
            cell(op.recall),
            cell(op.f1),
            cell(op.fpr),
        ]],
    )?;
    let tag_header: Vec<&str> = ["tag"].into_iter().chain(SliceStats::CSV_COLUMNS).collect();
    write(
        "tags.csv",
        &tag_header,
        report.tags.iter().map(|r| [r.tag.clone()].into_iter().chain(r.stats.csv_cells()).collect()).collect(),
    )?;
    let mut splits: Vec<Vec<String>> = report
        .splits
        .splits
        .0
        .iter()
        .map(|(n, s)| vec![n.clone(), s.pairs.to_string(), s.error_rate.to_string()])
        .collect();
    splits.push(vec!["human".into(), String::new(), cell(report.splits.human_error)]);
    write("splits.csv", &["split", "pairs", "error_rate"], splits)?;
    write(
        "labelers.csv",
        &["labeler", "hlp"],
        report.hlp.labelers.0.iter().map(|(n, v)| vec![n.clone(), cell(*v)]).collect(),
    )?;
    write(
        "cohen_kappa.csv",
        &["a", "b", "n", "kappa"],
        report
            .agreement
            .cohen_kappa
            .iter()
            .map(|c| vec![c.a.clone(), c.b.clone(), c.n.to_string(), cell(c.kappa)])
            .collect(),
    )?;
    write(
        "tag_agreement.csv",
        &["tag", "percent_agreement", "krippendorff_alpha"],
        report
            .agreement
            .tags
            .0
            .iter()
            .map(|(n, t)| vec![n.clone(), cell(t.percent_agreement), cell(t.krippendorff_alpha)])
            .collect(),
    )?;
    Ok(written)
}
