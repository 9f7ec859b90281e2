//! Scores CSV: `pair_id,score` from a model evaluated outside pairscope (higher = more likely
//! the same person). A changed score is counted as updated, so re-importing a corrected file
//! is visible in the report.

use std::collections::HashMap;
use std::path::Path;

use super::table::read_table;
use super::{ImportError, ImportReport, Problem, refuse_unless_skipping};
use crate::quote::quote;
use crate::store::{ModelKind, ScoreChange, Store};

/// The columns a file must have (the Import window's preview checks the same).
pub(super) const REQUIRED: [&str; 2] = ["pair_id", "score"];

pub fn import_scores(
    store: &mut Store,
    csv_file: &Path,
    model: &str,
    skip_bad: bool,
) -> Result<ImportReport, ImportError> {
    let (table, mut problems) = read_table(csv_file, &REQUIRED)?;
    let (col_pair, col_score) = (table.column("pair_id"), table.column("score"));
    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for row in &table.rows {
        let problem = |msg: String| Problem::at(csv_file, Some(row.line), msg);
        let pair_id = row.get(col_pair);
        let raw = row.get(col_score);
        if pair_id.is_empty() {
            problems.push(problem("pair_id is empty".into()));
            continue;
        }
        let score = match raw.parse::<f64>() {
            Ok(s) if s.is_finite() => s,
            _ => {
                problems.push(problem(format!("score {} is not a finite number", quote(raw))));
                continue;
            }
        };
        if let Some(first) = seen.insert(pair_id.to_owned(), row.line) {
            problems.push(problem(format!("pair_id {} already has a score on line {first}", quote(pair_id))));
            continue;
        }
        rows.push((row.line, pair_id.to_owned(), score));
    }
    refuse_unless_skipping(csv_file, &problems, skip_bad)?;

    store.write(|tx| {
        let mut report = ImportReport::new("scores");
        let (model_id, created) = tx
            .model_or_create(model, ModelKind::Imported, None)
            .map_err(|e| ImportError::file(csv_file, e.to_string()))?;
        if created {
            report.created.push(format!("model {}", quote(model)));
        }
        for (line, pair_id, score) in &rows {
            let Some(pair) = tx.find_pair_by_external_id(pair_id)? else {
                problems.push(Problem::at(csv_file, Some(*line), format!("unknown pair_id {}", quote(pair_id))));
                continue;
            };
            match tx.set_score(pair.id, model_id, *score)? {
                ScoreChange::Added => report.added += 1,
                ScoreChange::Unchanged => report.unchanged += 1,
                ScoreChange::Updated { .. } => report.updated += 1,
            }
        }
        refuse_unless_skipping(csv_file, &problems, skip_bad)?;
        report.skipped = std::mem::take(&mut problems);
        Ok(report)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_util::{store_with_two_pairs, write};

    #[test]
    fn bad_scores_refuse_the_file_with_their_lines() {
        let (dir, mut store) = store_with_two_pairs();
        let csv = write(&dir, "s.csv", b"pair_id,score\np1,0.9\np2,NaN\np1,0.3\nzz,0.1\n,0.2\np2,high\n");
        let err = import_scores(&mut store, &csv, "m", false).unwrap_err();
        let lines: Vec<_> = err.problems().iter().map(|p| p.line.unwrap()).collect();
        assert_eq!(lines, [3, 4, 6, 7], "{err}: {:?}", err.problems());
        assert!(err.problems()[1].message.contains("already has a score on line 2"));
        assert_eq!(store.read(|tx| tx.info()).unwrap().models.len(), 0, "nothing written");
    }

    #[test]
    fn skip_bad_imports_the_good_rows_and_reports_unknown_pairs() {
        let (dir, mut store) = store_with_two_pairs();
        let csv = write(&dir, "s.csv", b"pair_id,score\np1,0.9\nzz,0.1\np2,-0.2\n");
        let report = import_scores(&mut store, &csv, "m", true).unwrap();
        assert_eq!((report.added, report.skipped.len()), (2, 1));
        assert!(report.skipped[0].to_string().ends_with("s.csv:3: unknown pair_id \"zz\""), "{}", report.skipped[0]);
    }

    #[test]
    fn a_model_name_of_another_kind_is_refused() {
        let (dir, mut store) = store_with_two_pairs();
        store.write(|tx| tx.model_or_create("face", ModelKind::Embedded, Some("abc"))).unwrap();
        let csv = write(&dir, "s.csv", b"pair_id,score\np1,0.9\n");
        let err = import_scores(&mut store, &csv, "face", false).unwrap_err();
        assert!(err.to_string().contains("already used by a model of kind embedded"), "{err}");
    }
}
