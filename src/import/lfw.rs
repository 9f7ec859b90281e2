//! The LFW protocol file: first line `folds pairs_per_fold`, then per fold `pairs_per_fold`
//! same-person lines `name i j` and as many different-person lines `name1 i name2 j`.
//! Images are at `DIR/<name>/<name>_<NNNN>.jpg`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::json;

use super::control::{ImportControl, ImportStage};
use super::image_files::{clean_relative_path, image_problem, images_root, prepare_images};
use super::image_identity::record_identity;
use super::pair_upsert::{PairOutcome, upsert_pair};
use super::{ImportError, ImportReport, Problem, refuse_unless_skipping};
use crate::domain::Truth;
use crate::quote::quote;
use crate::store::{NewPair, Store};

#[derive(Debug, PartialEq)]
pub(crate) struct LfwPair {
    pub line: u64,
    pub fold: u32,
    /// 1-based position inside its fold.
    pub index_in_fold: u32,
    pub a: (String, u32),
    pub b: (String, u32),
    pub truth: Truth,
}

impl LfwPair {
    pub fn image_path(person: &(String, u32)) -> String {
        format!("{0}/{0}_{1:04}.jpg", person.0, person.1)
    }

    pub fn external_id(&self) -> String {
        format!("lfw:{}:{}", self.fold, self.index_in_fold)
    }
}

/// The most pairs a header may promise. LFW itself has 6,000; at one line of at least 6 bytes
/// per pair, 100 million is a pairs.txt of over 600 MB, which is read whole into memory, so no
/// real protocol comes near it. The bound also keeps every fold and position inside a `u32`.
const MAX_PAIRS: u64 = 100_000_000;

/// Parses the protocol text. Malformed lines become problems; the layout (folds) is kept by
/// line position, so one bad line does not shift the folds of the lines after it.
pub(crate) fn parse(file: &Path, text: &str) -> Result<(Vec<LfwPair>, Vec<Problem>), ImportError> {
    // A leading byte order mark (as some editors save) is read past, as in the CSV files.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut lines = text.lines().enumerate().map(|(i, l)| (i as u64 + 1, l)).filter(|(_, l)| !l.trim().is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(ImportError::file(
            file,
            "the file is empty; expected a first line 'folds pairs_per_fold' (e.g. '10 300')",
        ));
    };
    let numbers: Vec<u32> = header.split_whitespace().filter_map(|f| f.parse().ok()).collect();
    let (folds, per_fold) = match (numbers.as_slice(), header.split_whitespace().count()) {
        ([folds, per_fold], 2) if *folds > 0 && *per_fold > 0 => (*folds, *per_fold),
        _ => {
            return Err(ImportError::file(
                file,
                format!(
                    "line {header_line}: expected 'folds pairs_per_fold' (e.g. '10 300'), found {}",
                    quote(header.trim())
                ),
            ));
        }
    };
    // In u64 and checked: 2147483648 folds × 2 once wrapped a u32 to 0 expected pairs.
    let block = 2 * u64::from(per_fold);
    let Some(expected) = u64::from(folds).checked_mul(block).filter(|&n| n <= MAX_PAIRS) else {
        return Err(ImportError::file(
            file,
            format!(
                "line {header_line}: the header promises {} pairs ({folds} folds × {block}), more than the {MAX_PAIRS} pairscope reads",
                u128::from(folds) * u128::from(block)
            ),
        ));
    };
    let mut pairs = Vec::new();
    let mut problems = Vec::new();
    let mut position = 0u64;
    for (line, content) in lines {
        // Both fit a u32 once `fold <= folds` is checked below: expected <= MAX_PAIRS.
        let fold = position / block + 1;
        let index_in_fold = (position % block + 1) as u32;
        position += 1;
        let fields: Vec<&str> = content.split_whitespace().collect();
        let index = |s: &str| s.parse::<u32>().ok().filter(|&n| n > 0);
        let parsed = match fields.as_slice() {
            [name, i, j] => {
                index(i).zip(index(j)).map(|(i, j)| ((name.to_string(), i), (name.to_string(), j), Truth::Same))
            }
            [n1, i, n2, j] => {
                index(i).zip(index(j)).map(|(i, j)| ((n1.to_string(), i), (n2.to_string(), j), Truth::Different))
            }
            _ => {
                problems.push(Problem::at(
                    file,
                    Some(line),
                    format!("expected 'name i j' or 'name1 i name2 j', found {} fields", fields.len()),
                ));
                continue;
            }
        };
        match parsed {
            Some((a, b, truth)) => {
                if fold > u64::from(folds) {
                    problems.push(Problem::at(
                        file,
                        Some(line),
                        format!("more pairs than the header's {folds} folds × {block}"),
                    ));
                    continue;
                }
                // A name is a folder under the images folder: import-pairs' rule keeps it there.
                if let Some(escape) =
                    [&a, &b].into_iter().find_map(|p| clean_relative_path(&LfwPair::image_path(p)).err())
                {
                    problems.push(Problem::at(file, Some(line), escape));
                    continue;
                }
                pairs.push(LfwPair { line, fold: fold as u32, index_in_fold, a, b, truth });
            }
            None => problems.push(Problem::at(file, Some(line), "image numbers must be positive whole numbers")),
        }
    }
    if position < expected {
        problems.push(Problem::at(
            file,
            Some(header_line),
            format!(
                "the header promises {expected} pairs ({folds} folds × {block}) but the file has {position}: truncated?"
            ),
        ));
    }
    Ok((pairs, problems))
}

/// `pairscope import-lfw`: pairs whose image is missing are skipped and reported, always;
/// malformed lines refuse the import unless `skip_bad`.
pub fn import_lfw(
    store: &mut Store,
    pairs_file: &Path,
    images_dir: &Path,
    skip_bad: bool,
) -> Result<ImportReport, ImportError> {
    import_lfw_watched(store, pairs_file, images_dir, skip_bad, ImportControl::none())
}

/// [`import_lfw`] with progress and Cancel (the app's Import window).
pub fn import_lfw_watched(
    store: &mut Store,
    pairs_file: &Path,
    images_dir: &Path,
    skip_bad: bool,
    control: ImportControl<'_>,
) -> Result<ImportReport, ImportError> {
    let bytes = std::fs::read(pairs_file).map_err(|e| ImportError::file(pairs_file, format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        ImportError::file(pairs_file, format!("line {line}: not valid UTF-8"))
    })?;
    let (pairs, problems) = parse(pairs_file, &text)?;
    refuse_unless_skipping(pairs_file, &problems, skip_bad)?;

    let root = images_root(images_dir)?;
    // Each image's identity is its person folder, the name the line gives it; the first line
    // naming an image is where a conflict with the project is reported.
    let mut identities: BTreeMap<String, (&str, u64)> = BTreeMap::new();
    for pair in &pairs {
        for person in [&pair.a, &pair.b] {
            identities.entry(LfwPair::image_path(person)).or_insert((person.0.as_str(), pair.line));
        }
    }
    let rels: BTreeSet<String> = identities.keys().cloned().collect();
    let prepared = prepare_images(store, &root, &rels, control)?;
    control.report(ImportStage::Writing, 0, 0);
    let source = format!("lfw:{}", super::file_label(pairs_file));

    store.write(|tx| {
        let mut report = ImportReport::new("pairs");
        report.skipped = problems;
        let mut conflicts = Vec::new();
        let (ids, images_added) = prepared.register(tx)?;
        report.images_added = images_added;
        for pair in &pairs {
            let (a, b) = (LfwPair::image_path(&pair.a), LfwPair::image_path(&pair.b));
            if let Some(problem) = image_problem(pairs_file, pair.line, &prepared, &[&a, &b]) {
                report.skipped.push(problem);
                continue;
            }
            let external_id = pair.external_id();
            let metadata = json!({ "fold": pair.fold, "identity_a": pair.a.0, "identity_b": pair.b.0 });
            let new = NewPair {
                external_id: Some(&external_id),
                image_a: ids[&a],
                image_b: ids[&b],
                truth: Some(pair.truth),
                split: None,
                source: &source,
                metadata: &metadata,
            };
            match upsert_pair(tx, &new)? {
                Ok(PairOutcome::Added) => report.added += 1,
                Ok(PairOutcome::Unchanged) => report.unchanged += 1,
                Err(conflict) => conflicts.push(Problem::at(pairs_file, Some(pair.line), conflict)),
            }
        }
        for (rel, (identity, line)) in &identities {
            let Some(&id) = ids.get(rel) else { continue };
            match record_identity(tx, id, rel, identity)? {
                Ok(set) => report.identities_set += u64::from(set),
                Err(conflict) => conflicts.push(Problem::at(pairs_file, Some(*line), conflict)),
            }
        }
        // A missing image is always a reported skip; a contradiction refuses, unless skipping.
        refuse_unless_skipping(pairs_file, &conflicts, skip_bad)?;
        report.skipped.extend(conflicts);
        Ok(report)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<(Vec<LfwPair>, Vec<Problem>), ImportError> {
        parse(Path::new("pairs.txt"), text)
    }

    #[test]
    fn parses_folds_and_both_line_kinds() {
        let (pairs, problems) = parse_str("2\t1\nAl 1 2\nAl 1 Bo 3\nCy 2 4\nCy 1 Di 1\n").unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(pairs.len(), 4);
        assert_eq!(pairs[0].truth, Truth::Same);
        assert_eq!(pairs[1].truth, Truth::Different);
        assert_eq!(pairs[1].b, ("Bo".to_string(), 3));
        assert_eq!(pairs.iter().map(|p| p.fold).collect::<Vec<_>>(), [1, 1, 2, 2]);
        assert_eq!(pairs[3].external_id(), "lfw:2:2");
        assert_eq!(LfwPair::image_path(&pairs[1].b), "Bo/Bo_0003.jpg");
    }

    #[test]
    fn bad_lines_are_located_and_do_not_shift_folds() {
        let (pairs, problems) = parse_str("2 1\nAl 1\nAl 1 Bo x\nCy 2 4\nCy 1 Di 1\n").unwrap();
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].line, Some(2));
        assert!(problems[0].message.contains("2 fields"));
        assert_eq!(problems[1].line, Some(3));
        assert_eq!(pairs.iter().map(|p| p.fold).collect::<Vec<_>>(), [2, 2]);
    }

    #[test]
    fn truncated_file_and_bad_header_are_reported() {
        let (_, problems) = parse_str("1 2\nAl 1 2\n").unwrap();
        assert!(problems[0].message.contains("truncated"), "{problems:?}");
        let err = parse_str("ten 300\n").err().unwrap();
        assert!(err.to_string().contains("line 1"), "{err}");
        assert!(parse_str("").is_err());
    }

    #[test]
    fn header_counts_are_checked_not_wrapped() {
        let err = parse_str("2147483648 1\nAl 1 2\n").err().unwrap().to_string();
        assert!(err.contains("line 1: the header promises 4294967296 pairs"), "{err}");
        let err = parse_str("4294967295 4294967295\nAl 1 2\n").err().unwrap().to_string();
        assert!(err.contains("more than the 100000000"), "{err}");
        let (_, problems) = parse_str("\n3 1\nAl 1 2\n").unwrap();
        assert_eq!(problems[0].line, Some(2), "the header's line: {problems:?}");
        assert!(problems[0].message.contains("promises 6 pairs") && problems[0].message.contains("has 1"));
    }

    #[test]
    fn a_byte_order_mark_is_read_past() {
        let (pairs, problems) = parse_str("\u{FEFF}1 1\nAl 1 2\nAl 1 Bo 3\n").unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(pairs.len(), 2);
    }

    #[test]
    fn names_that_leave_the_images_folder_are_located_problems() {
        let (pairs, problems) = parse_str("1 2\n../x 1 2\nAl 1 /etc 3\n..\\x 1 2\nAl 1 Bo 2\n").unwrap();
        assert_eq!(problems.iter().map(|p| p.line).collect::<Vec<_>>(), [Some(2), Some(3), Some(4)]);
        assert!(problems.iter().all(|p| p.message.contains("stay inside it")), "{problems:?}");
        assert_eq!(pairs.len(), 1);
    }
}
