//! The analysis tables as CSV files, one per table, for spreadsheets and scripts; the same
//! tables feed the Parquet files of `report --parquet` ([`super::report_parquet`]).

use std::path::{Path, PathBuf};

use crate::analysis::{Report, SliceStats};

fn cell(v: Option<f64>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

/// An interval as two cells, `lo` and `hi` (both empty when undefined).
fn ci(v: Option<[f64; 2]>) -> [String; 2] {
    [cell(v.map(|c| c[0])), cell(v.map(|c| c[1]))]
}

/// Writes tags.csv, splits.csv, diagnosis.csv, labelers.csv, cohen_kappa.csv,
/// tag_agreement.csv, agreement.csv, tpr_at_fpr.csv and operating_point.csv (and
/// threshold_from.csv with `--threshold-from`) into `dir` (created if needed). Returns the
/// files written. Every cell is spreadsheet-safe ([`crate::csv_cells`]).
pub fn write_report_csvs(report: &Report, dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create the folder: {e}", dir.display()))?;
    let mut written = Vec::new();
    for (name, header, rows) in report_tables(report) {
        let path = dir.join(format!("{name}.csv"));
        let fail = |e: csv::Error| format!("{}: {e}", path.display());
        let mut w = csv::Writer::from_path(&path).map_err(fail)?;
        w.write_record(&header).map_err(fail)?;
        for row in rows {
            w.write_record(row.iter().map(|cell| crate::csv_cells::neutralise(cell).into_owned())).map_err(fail)?;
        }
        w.flush().map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// Every table of the report: its name (the file's, without extension), header and rows of
/// text cells (numbers as their shortest exact text, empty where undefined).
pub(crate) fn report_tables(report: &Report) -> Vec<Table> {
    let mut tables = Vec::new();
    let mut write = |name: &'static str, header: &[&'static str], rows: Vec<Vec<String>>| {
        tables.push((name, header.to_vec(), rows));
    };
    let op = &report.operating_point;
    write(
        "operating_point",
        &[
            "rule",
            "threshold",
            "tp",
            "fp",
            "tn",
            "fn",
            "accuracy",
            "precision",
            "recall",
            "f1",
            "fpr",
            "positives",
            "negatives",
            "fpr_ci95_lo",
            "fpr_ci95_hi",
            "fnr_ci95_lo",
            "fnr_ci95_hi",
            "tpr_ci95_lo",
            "tpr_ci95_hi",
            "accuracy_ci95_lo",
            "accuracy_ci95_hi",
            "fpr_upper95",
        ],
        vec![
            [
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
                op.intervals.positives.to_string(),
                op.intervals.negatives.to_string(),
            ]
            .into_iter()
            .chain(
                [op.intervals.fpr_ci95, op.intervals.fnr_ci95, op.intervals.tpr_ci95, op.intervals.accuracy_ci95]
                    .into_iter()
                    .flat_map(ci),
            )
            .chain([cell(op.intervals.fpr_upper95)])
            .collect(),
        ],
    );
    write(
        "tpr_at_fpr",
        &[
            "fpr_target",
            "threshold",
            "tpr",
            "fpr",
            "false_accepts",
            "negatives",
            "tpr_ci95_lo",
            "tpr_ci95_hi",
            "fpr_ci95_lo",
            "fpr_ci95_hi",
            "fpr_upper95",
            "demonstrated",
            "demonstrated_threshold",
            "demonstrated_tpr",
            "negatives_needed",
        ],
        report
            .roc
            .targets
            .points
            .0
            .iter()
            .map(|(key, p)| {
                [key.clone(), cell(p.threshold), cell(p.tpr), cell(p.fpr)]
                    .into_iter()
                    .chain([p.false_accepts.to_string(), p.negatives.to_string()])
                    .chain(ci(p.tpr_ci95))
                    .chain(ci(p.fpr_ci95))
                    .chain([
                        cell(p.fpr_upper95),
                        p.demonstrated.to_string(),
                        cell(p.demonstrated_threshold),
                        cell(p.demonstrated_tpr),
                        p.negatives_needed.to_string(),
                    ])
                    .collect()
            })
            .collect(),
    );
    let tag_header: Vec<&str> = ["tag"].into_iter().chain(SliceStats::CSV_COLUMNS).collect();
    write(
        "tags",
        &tag_header,
        report.tags.iter().map(|r| [r.tag.clone()].into_iter().chain(r.stats.csv_cells()).collect()).collect(),
    );
    for (name, header, rows) in split_tables(report) {
        write(name, &header, rows);
    }
    write(
        "labelers",
        &["labeler", "hlp", "verdicts", "hlp_ci95_lo", "hlp_ci95_hi"],
        report
            .hlp
            .intervals
            .labelers_detail
            .0
            .iter()
            .map(|(n, l)| {
                [n.clone(), cell(l.accuracy), l.verdicts.to_string()].into_iter().chain(ci(l.accuracy_ci95)).collect()
            })
            .collect(),
    );
    let a = &report.agreement;
    write(
        "agreement",
        &["percent_agreement", "fleiss_kappa", "fleiss_pairs", "krippendorff_alpha"],
        vec![vec![
            cell(a.percent_agreement),
            cell(a.fleiss_kappa),
            a.fleiss_pairs.to_string(),
            cell(a.krippendorff_alpha),
        ]],
    );
    write(
        "cohen_kappa",
        &["a", "b", "n", "kappa"],
        report
            .agreement
            .cohen_kappa
            .iter()
            .map(|c| vec![c.a.clone(), c.b.clone(), c.n.to_string(), cell(c.kappa)])
            .collect(),
    );
    write(
        "tag_agreement",
        &["tag", "percent_agreement", "krippendorff_alpha"],
        report
            .agreement
            .tags
            .0
            .iter()
            .map(|(n, t)| vec![n.clone(), cell(t.percent_agreement), cell(t.krippendorff_alpha)])
            .collect(),
    );
    tables
}

pub(crate) type Table = (&'static str, Vec<&'static str>, Vec<Vec<String>>);

/// splits.csv (with counts and 95 % intervals), diagnosis.csv and, when the threshold was set
/// on one split, threshold_from.csv.
fn split_tables(report: &Report) -> Vec<Table> {
    let lo = |ci: Option<[f64; 2]>| cell(ci.map(|c| c[0]));
    let hi = |ci: Option<[f64; 2]>| cell(ci.map(|c| c[1]));
    let s = &report.splits;
    let mut splits: Vec<Vec<String>> = s
        .splits
        .0
        .iter()
        .map(|(n, r)| {
            vec![
                n.clone(),
                r.pairs.to_string(),
                r.error_rate.to_string(),
                r.errors.to_string(),
                lo(r.error_rate_ci95),
                hi(r.error_rate_ci95),
            ]
        })
        .collect();
    let human = crate::analysis::intervals::Proportion::new(s.human.total - s.human.correct, s.human.total);
    splits.push(vec![
        "human".into(),
        String::new(),
        cell(s.human_error),
        String::new(),
        lo(human.ci95()),
        hi(human.ci95()),
    ]);
    let d = &s.diagnosis;
    let diagnosis = d
        .terms()
        .iter()
        .map(|&(c, v)| {
            let ci = d.interval(c);
            vec![c.name().to_string(), cell(v), lo(ci), hi(ci), (d.largest == Some(c)).to_string()]
        })
        .collect();
    let mut tables = vec![
        ("splits", vec!["split", "pairs", "error_rate", "errors", "error_rate_ci95_lo", "error_rate_ci95_hi"], splits),
        ("diagnosis", vec!["term", "value", "ci95_lo", "ci95_hi", "largest"], diagnosis),
    ];
    if let Some(from) = &report.threshold_from {
        let rows = from
            .splits
            .0
            .iter()
            .map(|(n, p)| {
                vec![
                    n.clone(),
                    from.split.name().to_string(),
                    from.rule.to_string(),
                    cell(from.threshold),
                    p.pairs.to_string(),
                    p.tp.to_string(),
                    p.fp.to_string(),
                    p.tn.to_string(),
                    p.fn_.to_string(),
                    cell(p.accuracy),
                    lo(p.accuracy_ci95),
                    hi(p.accuracy_ci95),
                    cell(p.fpr),
                    lo(p.fpr_ci95),
                    hi(p.fpr_ci95),
                    cell(p.fnr),
                    lo(p.fnr_ci95),
                    hi(p.fnr_ci95),
                ]
            })
            .collect();
        let header = vec![
            "split",
            "threshold_from",
            "rule",
            "threshold",
            "pairs",
            "tp",
            "fp",
            "tn",
            "fn",
            "accuracy",
            "accuracy_ci95_lo",
            "accuracy_ci95_hi",
            "fpr",
            "fpr_ci95_lo",
            "fpr_ci95_hi",
            "fnr",
            "fnr_ci95_lo",
            "fnr_ci95_hi",
        ];
        tables.push(("threshold_from", header, rows));
    }
    tables
}
