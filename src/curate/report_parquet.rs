//! `report --parquet DIR`: the tables of `report --csv`, one Parquet file each, typed: counts
//! as INT64, flags as BOOLEAN, names as strings, every other column DOUBLE. Every column is
//! optional, as a table leaves a cell empty where a number is undefined.

use std::path::{Path, PathBuf};

use super::report_csv::report_tables;
use super::typed_parquet::{TypedColumn, parquet_bytes};
use crate::analysis::Report;

/// Columns of names and rules, whatever their cells look like (an FPR target such as 0.001
/// names a row, it is not a measurement).
const TEXT: [&str; 9] = ["rule", "tag", "split", "labeler", "a", "b", "term", "fpr_target", "threshold_from"];
/// Columns of counts.
const COUNTS: [&str; 13] = [
    "tp",
    "fp",
    "tn",
    "fn",
    "positives",
    "negatives",
    "pairs",
    "errors",
    "verdicts",
    "n",
    "fleiss_pairs",
    "false_accepts",
    "negatives_needed",
];
const FLAGS: [&str; 3] = ["demonstrated", "largest", "ranked"];

/// One column of text cells, typed by its name. A cell that does not parse as the name's type
/// (none is expected) keeps the whole column as text rather than losing the value.
fn typed(name: &str, cells: Vec<String>) -> TypedColumn {
    fn parse<T: std::str::FromStr>(cells: &[String]) -> Option<Vec<Option<T>>> {
        cells.iter().map(|c| if c.is_empty() { Some(None) } else { c.parse().ok().map(Some) }).collect()
    }
    let parsed = if TEXT.contains(&name) {
        None
    } else if COUNTS.contains(&name) {
        parse::<i64>(&cells).map(TypedColumn::OptionalInts)
    } else if FLAGS.contains(&name) {
        parse::<bool>(&cells).map(TypedColumn::OptionalBools)
    } else {
        parse::<f64>(&cells).map(TypedColumn::OptionalDoubles)
    };
    parsed.unwrap_or_else(|| {
        TypedColumn::OptionalStrings(cells.into_iter().map(|c| Some(c).filter(|c| !c.is_empty())).collect())
    })
}

/// Writes `<table>.parquet` for every table of [`report_tables`] into `dir` (created if
/// needed). Returns the files written.
pub fn write_report_parquet(report: &Report, dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create the folder: {e}", dir.display()))?;
    let mut written = Vec::new();
    for (name, header, rows) in report_tables(report) {
        let path = dir.join(format!("{name}.parquet"));
        let mut cells: Vec<Vec<String>> = vec![Vec::with_capacity(rows.len()); header.len()];
        for row in rows {
            for (column, cell) in cells.iter_mut().zip(row) {
                column.push(cell);
            }
        }
        let columns: Vec<(&str, TypedColumn)> =
            header.iter().zip(cells).map(|(name, cells)| (*name, typed(name, cells))).collect();
        let bytes = parquet_bytes(&columns).map_err(|e| format!("{}: {e}", path.display()))?;
        std::fs::write(&path, bytes).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_typed_by_name_and_keep_text_that_does_not_parse() {
        let cells = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(typed("tp", cells(&["3", ""])), TypedColumn::OptionalInts(vec![Some(3), None]));
        assert_eq!(typed("accuracy", cells(&["1", "0.5"])), TypedColumn::OptionalDoubles(vec![Some(1.0), Some(0.5)]));
        assert_eq!(typed("largest", cells(&["true"])), TypedColumn::OptionalBools(vec![Some(true)]));
        assert_eq!(typed("fpr_target", cells(&["0.001"])), TypedColumn::OptionalStrings(vec![Some("0.001".into())]));
        assert_eq!(typed("tp", cells(&["x"])), TypedColumn::OptionalStrings(vec![Some("x".into())]));
    }
}
