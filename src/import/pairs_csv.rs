//! Pairs CSV: `image_a,image_b` required; `pair_id`, `truth`, `split` optional; every other
//! column is kept as metadata. The optional `identity_a` / `identity_b` (who is in each image;
//! empty = unknown) are also recorded on the images; they must agree with each other, with the
//! row's truth and with the identities the project already holds.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::control::{ImportControl, ImportStage};
use super::image_files::{clean_relative_path, image_problem, images_root, prepare_images};
use super::image_identity::{identity_conflict, record_identity};
use super::pair_upsert::{PairOutcome, upsert_pair};
use super::table::read_table;
use super::{ImportError, ImportReport, Problem, refuse_unless_skipping};
use crate::domain::{Split, Truth};
use crate::quote::{quote, shortened};
use crate::store::{NewPair, Store};

/// The columns a file must have (the Import window's preview checks the same).
pub(super) const REQUIRED: [&str; 2] = ["image_a", "image_b"];

struct PairRow {
    line: u64,
    pair_id: String,
    a: String,
    b: String,
    truth: Option<Truth>,
    split: Option<Split>,
    /// Who is in image a and image b, when the row says.
    identities: [Option<String>; 2],
    metadata: serde_json::Value,
}

impl PairRow {
    /// (image, identity) for each side whose identity the row gives.
    fn identified(&self) -> impl Iterator<Item = (&str, &str)> {
        [&self.a, &self.b]
            .into_iter()
            .zip(&self.identities)
            .filter_map(|(rel, id)| Some((rel.as_str(), id.as_deref()?)))
    }
}

/// A row whose identities contradict its own truth.
fn truth_contradiction(truth: Option<Truth>, identities: &[Option<String>; 2]) -> Option<String> {
    let [Some(a), Some(b)] = identities else { return None };
    match truth {
        Some(Truth::Same) if a != b => {
            Some(format!("truth is same, but identity_a {} and identity_b {} are different people", quote(a), quote(b)))
        }
        Some(Truth::Different) if a == b => {
            Some(format!("truth is different, but identity_a and identity_b are both {}", quote(a)))
        }
        _ => None,
    }
}

const KNOWN: [&str; 5] = ["image_a", "image_b", "pair_id", "truth", "split"];

pub fn import_pairs(
    store: &mut Store,
    csv_file: &Path,
    images_dir: &Path,
    skip_bad: bool,
) -> Result<ImportReport, ImportError> {
    import_pairs_watched(store, csv_file, images_dir, skip_bad, ImportControl::none())
}

/// [`import_pairs`] with progress and Cancel (the app's Import window).
pub fn import_pairs_watched(
    store: &mut Store,
    csv_file: &Path,
    images_dir: &Path,
    skip_bad: bool,
    control: ImportControl<'_>,
) -> Result<ImportReport, ImportError> {
    let (table, mut problems) = read_table(csv_file, &REQUIRED)?;
    let (col_a, col_b) = (table.column("image_a"), table.column("image_b"));
    let (col_id, col_truth, col_split) = (table.column("pair_id"), table.column("truth"), table.column("split"));
    let col_identity = [table.column("identity_a"), table.column("identity_b")];
    let extra: Vec<(usize, String)> = table
        .headers
        .iter()
        .enumerate()
        .filter(|(_, h)| !KNOWN.contains(&h.as_str()))
        .map(|(i, h)| (i, if h.is_empty() { format!("column_{}", i + 1) } else { h.clone() }))
        .collect();

    let mut rows = Vec::new();
    let mut ids_seen: HashMap<String, u64> = HashMap::new();
    let mut pairs_seen: HashMap<(String, String), u64> = HashMap::new();
    // Image → (identity, line) as the file's earlier rows gave it.
    let mut identities_seen: HashMap<String, (String, u64)> = HashMap::new();
    for row in &table.rows {
        let problem = |msg: String| Problem::at(csv_file, Some(row.line), msg);
        let parsed = (|| -> Result<PairRow, String> {
            let a = clean_relative_path(row.get(col_a)).map_err(|e| format!("image_a: {e}"))?;
            let b = clean_relative_path(row.get(col_b)).map_err(|e| format!("image_b: {e}"))?;
            if a == b {
                return Err(format!("image_a and image_b are the same file ({})", shortened(&a)));
            }
            let truth = Truth::parse_lenient(row.get(col_truth)).map_err(|e| format!("truth: {e}"))?;
            let split = Split::parse(row.get(col_split)).map_err(|e| format!("split: {e}"))?;
            let identities = col_identity.map(|c| Some(row.get(c).to_owned()).filter(|s| !s.is_empty()));
            if let Some(contradiction) = truth_contradiction(truth, &identities) {
                return Err(contradiction);
            }
            // Without an id of the user's own, "image_a|image_b" names the pair, so that the
            // labels and scores CSVs can still refer to it.
            let pair_id =
                Some(row.get(col_id).to_owned()).filter(|s| !s.is_empty()).unwrap_or_else(|| format!("{a}|{b}"));
            let metadata = extra
                .iter()
                .filter(|(i, _)| !row.fields[*i].is_empty())
                .map(|(i, name)| (name.clone(), serde_json::Value::String(row.fields[*i].clone())))
                .collect::<serde_json::Map<_, _>>();
            Ok(PairRow { line: row.line, pair_id, a, b, truth, split, identities, metadata: metadata.into() })
        })();
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(msg) => {
                problems.push(problem(msg));
                continue;
            }
        };
        if let Some(first) = ids_seen.insert(parsed.pair_id.clone(), row.line) {
            problems.push(problem(format!("pair_id {} is already used on line {first}", quote(&parsed.pair_id))));
            continue;
        }
        let key = if parsed.a < parsed.b {
            (parsed.a.clone(), parsed.b.clone())
        } else {
            (parsed.b.clone(), parsed.a.clone())
        };
        if let Some(first) = pairs_seen.insert(key, row.line) {
            problems.push(problem(format!("the same two images already form a pair on line {first}")));
            continue;
        }
        let contradiction = parsed.identified().find_map(|(rel, identity)| {
            let (earlier, line) = identities_seen.get(rel).filter(|(earlier, _)| earlier != identity)?;
            Some(format!(
                "image {} is identity {} on line {line}; this row says {}",
                shortened(rel),
                quote(earlier),
                quote(identity)
            ))
        });
        if let Some(contradiction) = contradiction {
            problems.push(problem(contradiction));
            continue;
        }
        for (rel, identity) in parsed.identified() {
            identities_seen.entry(rel.to_owned()).or_insert_with(|| (identity.to_owned(), row.line));
        }
        rows.push(parsed);
    }
    let root = match images_root(images_dir) {
        Ok(root) => root,
        Err(e) => {
            refuse_unless_skipping(csv_file, &problems, skip_bad)?;
            return Err(e);
        }
    };
    let rels: BTreeSet<String> = rows.iter().flat_map(|r| [r.a.clone(), r.b.clone()]).collect();
    let prepared = prepare_images(store, &root, &rels, control)?;
    control.report(ImportStage::Writing, 0, 0);
    // The bad rows and the rows whose image is missing are told in one list, so that fixing
    // the first does not merely reveal the second.
    if !skip_bad {
        let missing = rows.iter().filter_map(|r| image_problem(csv_file, r.line, &prepared, &[&r.a, &r.b]));
        let all: Vec<Problem> = problems.iter().cloned().chain(missing).collect();
        refuse_unless_skipping(csv_file, &all, skip_bad)?;
    }
    let source = format!("csv:{}", super::file_label(csv_file));

    store.write(|tx| {
        let (ids, images_added) = prepared.register(tx)?;
        let mut report = ImportReport::new("pairs");
        report.images_added = images_added;
        for row in &rows {
            if let Some(problem) = image_problem(csv_file, row.line, &prepared, &[&row.a, &row.b]) {
                problems.push(problem);
                continue;
            }
            // Checked before anything of the row is written, so a skipped row leaves nothing.
            let mut conflict = None;
            for (rel, identity) in row.identified() {
                conflict = conflict.or(identity_conflict(tx, ids[rel], rel, identity)?);
            }
            if let Some(conflict) = conflict {
                problems.push(Problem::at(csv_file, Some(row.line), conflict));
                continue;
            }
            let new = NewPair {
                external_id: Some(&row.pair_id),
                image_a: ids[&row.a],
                image_b: ids[&row.b],
                truth: row.truth,
                split: row.split,
                source: &source,
                metadata: &row.metadata,
            };
            match upsert_pair(tx, &new)? {
                Ok(PairOutcome::Added) => report.added += 1,
                Ok(PairOutcome::Unchanged) => report.unchanged += 1,
                Err(conflict) => {
                    problems.push(Problem::at(csv_file, Some(row.line), conflict));
                    continue;
                }
            }
            // No conflict is expected here (checked above, and the file's rows agree with each
            // other), but one would still be reported rather than lost.
            for (rel, identity) in row.identified() {
                match record_identity(tx, ids[rel], rel, identity)? {
                    Ok(set) => report.identities_set += u64::from(set),
                    Err(conflict) => problems.push(Problem::at(csv_file, Some(row.line), conflict)),
                }
            }
        }
        refuse_unless_skipping(csv_file, &problems, skip_bad)?;
        problems.sort_by_key(|p| p.line);
        report.skipped = std::mem::take(&mut problems);
        Ok(report)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(a: &str, b: &str) -> [Option<String>; 2] {
        [a, b].map(|s| Some(s.to_owned()).filter(|s| !s.is_empty()))
    }

    #[test]
    fn identities_contradict_a_truth_only_when_both_are_known() {
        assert!(truth_contradiction(Some(Truth::Same), &ids("Ann", "Bob")).unwrap().contains("different people"));
        assert!(truth_contradiction(Some(Truth::Different), &ids("Ann", "Ann")).unwrap().contains("both \"Ann\""));
        assert_eq!(truth_contradiction(Some(Truth::Same), &ids("Ann", "Ann")), None);
        assert_eq!(truth_contradiction(Some(Truth::Different), &ids("Ann", "Bob")), None);
        assert_eq!(truth_contradiction(Some(Truth::Same), &ids("Ann", "")), None);
        assert_eq!(truth_contradiction(None, &ids("Ann", "Bob")), None);
    }
}
