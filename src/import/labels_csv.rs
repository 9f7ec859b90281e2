//! Labels CSV: `pair_id,labeler,verdict,tags[,blind]` (tags `;`-separated; new labelers and
//! tags are created). `blind` (true/false, 1/0, yes/no; empty or no column: true) says whether
//! the labeler gave the row's labels without seeing the truth or others' labels. Every change is recorded in the audit log like a change made in the GUI. A label
//! that contradicts what the labeler already said is a conflict, never an overwrite; tags are
//! only ever added.

use std::collections::HashMap;
use std::path::Path;

use super::csv_table::read_csv;
use super::{ImportError, ImportReport, Problem, file_label, refuse_unless_skipping};
use crate::domain::Truth;
use crate::store::{LabelChange, NewTag, Origin, PairId, Store, StoreError, validate_tag_name};

struct LabelRow {
    line: u64,
    pair_id: String,
    labeler: String,
    verdict: Option<Truth>,
    tags: Vec<String>,
    /// Given without the answer in view.
    blind: bool,
}

/// The `blind` column's value; empty means blind, as labels made elsewhere count unless their
/// file says otherwise.
fn parse_blind(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" | "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        other => Err(format!("blind {other:?} is not true/false, 1/0 or yes/no")),
    }
}

pub fn import_labels(store: &mut Store, csv_file: &Path, skip_bad: bool) -> Result<ImportReport, ImportError> {
    let (table, mut problems) = read_csv(csv_file, &["pair_id", "labeler"])?;
    let (col_pair, col_labeler) = (table.column("pair_id"), table.column("labeler"));
    let (col_verdict, col_tags) = (table.column("verdict"), table.column("tags"));
    let col_blind = table.column("blind");
    if col_verdict.is_none() && col_tags.is_none() {
        return Err(ImportError::file(csv_file, "line 1: needs a verdict column, a tags column, or both"));
    }
    let mut rows = Vec::new();
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    for row in &table.rows {
        let parsed = (|| -> Result<LabelRow, String> {
            let pair_id = row.get(col_pair).to_owned();
            if pair_id.is_empty() {
                return Err("pair_id is empty".into());
            }
            let labeler = row.get(col_labeler).to_owned();
            if labeler.is_empty() {
                return Err("labeler is empty".into());
            }
            let verdict = match row.get(col_verdict).trim().to_ascii_lowercase().as_str() {
                "" => None,
                "same" => Some(Truth::Same),
                "different" => Some(Truth::Different),
                other => return Err(format!("verdict {other:?} is not same or different")),
            };
            let tags: Vec<String> =
                row.get(col_tags).split(';').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect();
            for tag in &tags {
                validate_tag_name(tag).map_err(|e| format!("tags: {e}"))?;
            }
            if verdict.is_none() && tags.is_empty() {
                return Err("neither a verdict nor a tag".into());
            }
            let blind = parse_blind(row.get(col_blind))?;
            Ok(LabelRow { line: row.line, pair_id, labeler, verdict, tags, blind })
        })();
        match parsed {
            Ok(parsed) => {
                let key = (parsed.pair_id.clone(), parsed.labeler.clone());
                if let Some(first) = seen.insert(key, row.line) {
                    problems.push(Problem::at(
                        csv_file,
                        Some(row.line),
                        format!(
                            "a second label by {:?} on pair {:?} (the first is on line {first})",
                            parsed.labeler, parsed.pair_id
                        ),
                    ));
                } else {
                    rows.push(parsed);
                }
            }
            Err(msg) => problems.push(Problem::at(csv_file, Some(row.line), msg)),
        }
    }
    // Pairs are never deleted, so which pair each row means is settled before the write, and
    // a file naming unknown pairs is refused without ever taking the file's write lock.
    let pair_ids: HashMap<String, PairId> =
        store.read(|tx| tx.pairs())?.into_iter().filter_map(|p| Some((p.external_id?, p.id))).collect();
    let mut known = Vec::with_capacity(rows.len());
    for row in rows {
        match pair_ids.get(&row.pair_id) {
            Some(&pair) => known.push((pair, row)),
            None => problems.push(Problem::at(
                csv_file,
                Some(row.line),
                format!("unknown pair_id {:?} (import the pairs first)", row.pair_id),
            )),
        }
    }
    refuse_unless_skipping(csv_file, &problems, skip_bad)?;

    // One transaction, as short as the data allows: only what depends on what others wrote
    // meanwhile (labelers, tags, each labeler's earlier verdicts) is looked up inside it.
    let origin_label = file_label(csv_file);
    let origin = Origin::Import(&origin_label);
    store
        .write(|tx| {
            let mut problems = problems;
            let mut report = ImportReport::new("labels");
            let mut labelers = HashMap::new();
            let mut tags = HashMap::new();
            for (pair, row) in &known {
                let pair = *pair;
                let problem = |msg: String| Problem::at(csv_file, Some(row.line), msg);
                if !labelers.contains_key(&row.labeler) {
                    let (labeler, created) = tx.labeler_or_create(&row.labeler)?;
                    if created {
                        report.created.push(format!("labeler {:?}", labeler.name));
                    }
                    labelers.insert(row.labeler.clone(), labeler.id);
                }
                let labeler = labelers[&row.labeler];
                let before = tx.verdict(pair, labeler)?;
                if let (Some(before), Some(now)) = (before, row.verdict)
                    && before != now
                {
                    problems.push(problem(format!(
                        "{} already said {} on pair {:?}; this file says {} (not overwritten)",
                        row.labeler,
                        before.as_str(),
                        row.pair_id,
                        now.as_str()
                    )));
                    continue;
                }
                let mut changed = false;
                if row.verdict.is_some() {
                    changed |=
                        tx.set_verdict_marked(pair, labeler, row.verdict, row.blind, origin)? == LabelChange::Changed;
                }
                for name in &row.tags {
                    let key = name.to_lowercase();
                    if !tags.contains_key(&key) {
                        let (tag, created) = tx.tag_or_create(&NewTag { name, description: "", colour: "" })?;
                        if created {
                            report.created.push(format!("tag {:?}", tag.name));
                        }
                        tags.insert(key.clone(), tag.id);
                    }
                    changed |= tx.set_pair_tag_marked(pair, labeler, tags[&key], true, row.blind, origin)?
                        == LabelChange::Changed;
                }
                if changed {
                    report.added += 1;
                } else {
                    report.unchanged += 1;
                }
            }
            refuse_unless_skipping(csv_file, &problems, skip_bad)?;
            problems.sort_by_key(|p| p.line);
            report.skipped = std::mem::take(&mut problems);
            Ok::<_, ImportError>(report)
        })
        .map_err(|e| match e {
            ImportError::Store(StoreError::Invalid(msg)) => ImportError::file(csv_file, msg),
            other => other,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_util::{store_with_two_pairs, write};

    #[test]
    fn malformed_label_rows_are_all_reported_by_line() {
        let (dir, mut store) = store_with_two_pairs();
        let csv = write(
            &dir,
            "l.csv",
            "pair_id,labeler,verdict,tags\np1,ann,same,dark\np1,ann,same,\np2,,same,\np2,bob,unsure,\np2,bob,,\np2,cy,same,a\u{7}b\np2,dee\n"
                .as_bytes(),
        );
        let err = import_labels(&mut store, &csv, false).unwrap_err();
        let found: Vec<(u64, &str)> = err.problems().iter().map(|p| (p.line.unwrap(), p.message.as_str())).collect();
        assert_eq!(found.len(), 6, "{found:?}");
        assert!(found[0].1.contains("a second label by \"ann\""));
        assert!(found[1].1.contains("labeler is empty"));
        assert!(found[2].1.contains("verdict \"unsure\""));
        assert!(found[3].1.contains("neither a verdict nor a tag"));
        assert!(found[4].1.contains("control characters"));
        assert!(found[5].1.contains("fields"));
    }

    #[test]
    fn tags_only_add_and_new_labelers_and_tags_are_reported() {
        let (dir, mut store) = store_with_two_pairs();
        let csv = write(&dir, "l.csv", b"pair_id,labeler,tags\np1,ann,Dark; glare\n");
        let report = import_labels(&mut store, &csv, false).unwrap();
        assert_eq!(report.added, 1);
        assert_eq!(report.created, ["labeler \"ann\"", "tag \"glare\""], "Dark matches the seeded dark");
        let info = store.read(|tx| tx.info()).unwrap();
        assert_eq!(info.labelers[0].verdicts, 0);
        assert_eq!(info.labelers[0].tags_applied, 2);
        assert_eq!(info.label_events, 2);
    }
}
