//! Labels CSV: `pair_id,labeler,verdict,tags[,blind]` (tags `;`-separated; new labelers and
//! tags are created). `blind` (true/false, 1/0, yes/no; empty or no column: true) says whether
//! the labeler gave the row's labels without seeing the truth or others' labels. Every change is recorded in the audit log like a change made in the GUI. A label
//! that contradicts what the labeler already said is a conflict, never an overwrite; tags are
//! only ever added.

use std::collections::HashMap;
use std::path::Path;

use super::csv_table::CsvRow;
use super::table::for_each_row;
use super::{ImportError, ImportReport, Problem, file_label, refuse_unless_skipping};
use crate::domain::Truth;
use crate::quote::{quote, shortened};
use crate::store::{
    LabelChange, LabelerId, NewTag, Origin, PairId, Store, StoreError, TagId, validate_labeler_name, validate_tag_name,
};

/// The columns a file must have (the Import window's preview checks the same).
pub(super) const REQUIRED: [&str; 2] = ["pair_id", "labeler"];

/// One good row, kept small: a labels file can hold millions. Labelers and tags are indexes
/// into the names read so far; the pair is resolved as the row is read.
struct LabelRow {
    line: u64,
    pair: PairKey,
    labeler: u32,
    verdict: Option<Truth>,
    /// Given without the answer in view.
    blind: bool,
    /// This row's tags: `tags[first..first + count]` of [`Rows::tags`].
    first_tag: u32,
    tag_count: u16,
}

/// A pair as a row names it: one of the project's, or an id the project does not know
/// (index into [`Rows::unknown`]).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum PairKey {
    Known(PairId),
    Unknown(u32),
}

/// Names seen in the file, each kept once.
#[derive(Default)]
struct Names {
    names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Names {
    fn intern(&mut self, name: &str) -> (u32, bool) {
        if let Some(&i) = self.index.get(name) {
            return (i, false);
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.index.insert(name.to_owned(), i);
        (i, true)
    }
}

/// What the first pass keeps of the file.
#[derive(Default)]
struct Rows {
    rows: Vec<LabelRow>,
    labelers: Names,
    tag_names: Names,
    tags: Vec<u32>,
    unknown: Names,
}

/// The `blind` column's value; empty means blind, as labels made elsewhere count unless their
/// file says otherwise.
fn parse_blind(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" | "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        other => Err(format!("blind {} is not true/false, 1/0 or yes/no", quote(other))),
    }
}

/// The columns of a labels file.
struct Columns {
    pair: Option<usize>,
    labeler: Option<usize>,
    verdict: Option<usize>,
    tags: Option<usize>,
    blind: Option<usize>,
}

impl Columns {
    fn of(headers: &[String]) -> Columns {
        let column = |name: &str| headers.iter().position(|h| h == name);
        Columns {
            pair: column("pair_id"),
            labeler: column("labeler"),
            verdict: column("verdict"),
            tags: column("tags"),
            blind: column("blind"),
        }
    }
}

/// Reads one row into `rows`, or says what is wrong with it.
fn parse_row(
    row: &CsvRow,
    c: &Columns,
    rows: &mut Rows,
    pair_of: &dyn Fn(&str) -> Option<PairId>,
) -> Result<(), String> {
    let pair_id = row.get(c.pair);
    if pair_id.is_empty() {
        return Err("pair_id is empty".into());
    }
    let labeler = row.get(c.labeler);
    if labeler.is_empty() {
        return Err("labeler is empty".into());
    }
    validate_labeler_name(labeler.trim()).map_err(|e| format!("labeler: {e}"))?;
    let verdict = match row.get(c.verdict).trim().to_ascii_lowercase().as_str() {
        "" => None,
        "same" => Some(Truth::Same),
        "different" => Some(Truth::Different),
        other => return Err(format!("verdict {} is not same or different", quote(other))),
    };
    let first_tag = rows.tags.len();
    for tag in row.get(c.tags).split(';').map(str::trim).filter(|t| !t.is_empty()) {
        let (index, new) = rows.tag_names.intern(tag);
        if new && let Err(e) = validate_tag_name(tag) {
            // Checked once per name; a name that failed is taken out again.
            rows.tag_names.index.remove(tag);
            rows.tag_names.names.pop();
            rows.tags.truncate(first_tag);
            return Err(format!("tags: {e}"));
        }
        rows.tags.push(index);
    }
    let tag_count = rows.tags.len() - first_tag;
    // Rows keep their tags as a (u32 start, u16 count) slice of one shared list; a row or a file
    // past those bounds is refused, never cut short.
    let (Ok(first_tag_index), Ok(row_tag_count)) = (u32::try_from(first_tag), u16::try_from(tag_count)) else {
        rows.tags.truncate(first_tag);
        return Err(format!("{tag_count} tags in one row (at most {}), or too many tags in the file", u16::MAX));
    };
    if verdict.is_none() && tag_count == 0 {
        return Err("neither a verdict nor a tag".into());
    }
    let blind = match parse_blind(row.get(c.blind)) {
        Ok(blind) => blind,
        Err(e) => {
            rows.tags.truncate(first_tag);
            return Err(e);
        }
    };
    let pair = match pair_of(pair_id) {
        Some(pair) => PairKey::Known(pair),
        None => PairKey::Unknown(rows.unknown.intern(pair_id).0),
    };
    rows.rows.push(LabelRow {
        line: row.line,
        pair,
        labeler: rows.labelers.intern(labeler).0,
        verdict,
        blind,
        first_tag: first_tag_index,
        tag_count: row_tag_count,
    });
    Ok(())
}

pub fn import_labels(store: &mut Store, csv_file: &Path, skip_bad: bool) -> Result<ImportReport, ImportError> {
    // First pass: the file, row by row, into small rows. Pairs are never deleted, so which
    // pair each row means is settled before the write, and a file naming unknown pairs is
    // refused without ever taking the file's write lock.
    let mut pair_ids: Option<HashMap<String, PairId>> = None;
    let mut failed: Option<StoreError> = None;
    let mut rows = Rows::default();
    let mut columns: Option<Columns> = None;
    let mut problems = Vec::new();
    let (headers, read_problems) = for_each_row(csv_file, &REQUIRED, |headers, row| {
        if failed.is_some() {
            return;
        }
        if pair_ids.is_none() {
            match store.read(|tx| tx.pair_ids_by_external_id()) {
                Ok(ids) => pair_ids = Some(ids),
                Err(e) => {
                    failed = Some(e);
                    return;
                }
            }
        }
        let ids = pair_ids.as_ref().expect("read above");
        let c = columns.get_or_insert_with(|| Columns::of(headers));
        if let Err(msg) = parse_row(&row, c, &mut rows, &|id| ids.get(id).copied()) {
            problems.push(Problem::at(csv_file, Some(row.line), msg));
        }
    })?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    let c = Columns::of(&headers);
    if c.verdict.is_none() && c.tags.is_none() {
        return Err(ImportError::file(csv_file, "line 1: needs a verdict column, a tags column, or both"));
    }
    problems.extend(read_problems);
    let pair_ids = pair_ids.unwrap_or_default();
    // Names of pairs for messages, built only when a message needs one.
    let mut names_of_pairs: Option<HashMap<PairId, &str>> = None;
    let mut pair_name = |key: PairKey, rows: &Rows| -> String {
        match key {
            PairKey::Known(pair) => names_of_pairs
                .get_or_insert_with(|| pair_ids.iter().map(|(name, id)| (*id, name.as_str())).collect())
                .get(&pair)
                .map_or_else(|| pair.to_string(), |name| (*name).to_owned()),
            PairKey::Unknown(i) => rows.unknown.names[i as usize].clone(),
        }
    };

    // A second label by the same labeler on the same pair: the first in the file counts.
    let mut keys: Vec<(PairKey, u32, u32)> =
        rows.rows.iter().enumerate().map(|(i, r)| (r.pair, r.labeler, i as u32)).collect();
    keys.sort_unstable();
    let mut dropped = vec![false; rows.rows.len()];
    for run in keys.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let first = &rows.rows[run[0].2 as usize];
        for &(pair, labeler, i) in &run[1..] {
            dropped[i as usize] = true;
            problems.push(Problem::at(
                csv_file,
                Some(rows.rows[i as usize].line),
                format!(
                    "a second label by {} on pair {} (the first is on line {})",
                    quote(&rows.labelers.names[labeler as usize]),
                    quote(&pair_name(pair, &rows)),
                    first.line
                ),
            ));
        }
    }
    drop(keys);
    for (row, dropped) in rows.rows.iter().zip(&mut dropped) {
        if let (PairKey::Unknown(i), false) = (row.pair, *dropped) {
            *dropped = true;
            problems.push(Problem::at(
                csv_file,
                Some(row.line),
                format!("unknown pair_id {} (import the pairs first)", quote(&rows.unknown.names[i as usize])),
            ));
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
            // (id, created by this import): a labeler new in this transaction has no labels but
            // the ones written here, each (pair, labeler) once, so nothing needs looking up.
            let mut labelers: Vec<Option<(LabelerId, bool)>> = vec![None; rows.labelers.names.len()];
            let mut tags: HashMap<String, TagId> = HashMap::new();
            for (row, _) in rows.rows.iter().zip(&dropped).filter(|(_, dropped)| !**dropped) {
                let PairKey::Known(pair) = row.pair else { continue };
                let name = &rows.labelers.names[row.labeler as usize];
                let (labeler, fresh) = match labelers[row.labeler as usize] {
                    Some(known) => known,
                    None => {
                        let (labeler, created) = tx.labeler_or_create(name)?;
                        if created {
                            report.created.push(format!("labeler {}", quote(&labeler.name)));
                        }
                        labelers[row.labeler as usize] = Some((labeler.id, created));
                        (labeler.id, created)
                    }
                };
                let before = if fresh { None } else { tx.verdict(pair, labeler)? };
                if let (Some(before), Some(now)) = (before, row.verdict)
                    && before != now
                {
                    problems.push(Problem::at(
                        csv_file,
                        Some(row.line),
                        format!(
                            "{} already said {} on pair {}; this file says {} (not overwritten)",
                            shortened(name),
                            before.as_str(),
                            quote(&pair_name(row.pair, &rows)),
                            now.as_str()
                        ),
                    ));
                    continue;
                }
                let mut changed = false;
                if row.verdict.is_some() {
                    changed |= tx.change_verdict(pair, labeler, before, row.verdict, row.blind, origin)?
                        == LabelChange::Changed;
                }
                let mut applied: Vec<TagId> = Vec::new();
                let first = row.first_tag as usize;
                for &tag in &rows.tags[first..first + row.tag_count as usize] {
                    let name = &rows.tag_names.names[tag as usize];
                    let key = name.to_lowercase();
                    let id = match tags.get(&key) {
                        Some(&id) => id,
                        None => {
                            let (tag, created) = tx.tag_or_create(&NewTag { name, description: "", colour: "" })?;
                            if created {
                                report.created.push(format!("tag {}", quote(&tag.name)));
                            }
                            tags.insert(key, tag.id);
                            tag.id
                        }
                    };
                    let change = if !fresh {
                        tx.set_pair_tag_marked(pair, labeler, id, true, row.blind, origin)?
                    } else if applied.contains(&id) {
                        LabelChange::Unchanged // the same tag twice in the row
                    } else {
                        tx.change_pair_tag(pair, labeler, id, false, true, row.blind, origin)?
                    };
                    applied.push(id);
                    changed |= change == LabelChange::Changed;
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
    fn a_tag_named_twice_in_a_row_of_a_new_labeler_is_applied_and_logged_once() {
        let (dir, mut store) = store_with_two_pairs();
        let csv = write(&dir, "l.csv", b"pair_id,labeler,verdict,tags\np1,ann,same,dark;Dark;glare\n");
        let report = import_labels(&mut store, &csv, false).unwrap();
        assert_eq!(report.added, 1);
        let info = store.read(|tx| tx.info()).unwrap();
        assert_eq!((info.labelers[0].verdicts, info.labelers[0].tags_applied), (1, 2));
        assert_eq!(info.label_events, 3, "one verdict and two tags");
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

    #[test]
    fn a_row_with_more_tags_than_a_row_holds_is_refused_not_cut_short() {
        // 65,536 tags once wrapped to a count of 0: the row went in with its verdict and no tags.
        let (dir, mut store) = store_with_two_pairs();
        let tags = vec!["dark"; usize::from(u16::MAX) + 1].join(";");
        let csv = write(&dir, "l.csv", format!("pair_id,labeler,verdict,tags\np1,ann,same,{tags}\n").as_bytes());
        let err = import_labels(&mut store, &csv, false).unwrap_err();
        let found: Vec<(u64, &str)> = err.problems().iter().map(|p| (p.line.unwrap(), p.message.as_str())).collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 2);
        assert!(found[0].1.contains("65536 tags in one row (at most 65535)"), "{found:?}");
        assert_eq!(store.read(|tx| tx.info()).unwrap().label_events, 0);
    }
}
