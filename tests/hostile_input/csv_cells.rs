//! CSV formula injection (issue 14, item 1): a cell that starts with `=`, `+`, `-`, `@`, a tab
//! or a carriage return is written with a `'` in front into an export's `pairs.csv` and
//! `labels.csv` and into every `report --csv` table, and pairscope's importers read such a
//! cell back to the value that was exported.
//!
//! The project is built with pairscope's own importers from `csv_cells/` (pair ids, labelers
//! and tags that start with `=`, `+`, `-`, `@`). Tab and CR cannot come in through a CSV (its
//! cells are trimmed, and labelers and tags refuse control characters), but an older project
//! may hold them, so those cases put them into the project file directly.

use std::path::{Path, PathBuf};

use crate::common::{datasets, ok};
use crate::harness::corpus;

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The corpus project: six pairs over sitcom photos, six labelers, tags and an outside
/// model's scores (some negative), all through the importers.
fn hostile_project(dir: &Path) -> PathBuf {
    let project = dir.join("hostile.pairscope");
    let sitcom = datasets().join("sitcom");
    ok(["import-pairs", arg(&project), "--csv", arg(&corpus("csv_cells/pairs.csv")), "--images", arg(&sitcom)]);
    ok(["import-labels", arg(&project), "--csv", arg(&corpus("csv_cells/labels.csv"))]);
    ok(["import-scores", arg(&project), "--csv", arg(&corpus("csv_cells/scores.csv")), "--model", "outside"]);
    project
}

/// What an older project may hold: renames a pair id or a labeler in the project file.
fn rename(project: &Path, table: &str, column: &str, from: &str, to: &str) {
    let conn = rusqlite::Connection::open(project).unwrap();
    let changed = conn.execute(&format!("UPDATE {table} SET {column} = ?1 WHERE {column} = ?2"), [to, from]).unwrap();
    assert_eq!(changed, 1, "{table}.{column} {from:?}");
}

/// The cells of a CSV file as a spreadsheet sees them (nothing trimmed).
fn cells(file: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(file).unwrap();
    reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
}

/// The cells of `column` (by header name) of a CSV file.
fn column(file: &Path, name: &str) -> Vec<String> {
    let rows = cells(file);
    let at = rows[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("{}: no column {name}", file.display()));
    rows[1..].iter().map(|r| r[at].clone()).collect()
}

/// Exports the whole project with the outside model's scores; returns the export folder.
fn export(project: &Path, dir: &Path) -> PathBuf {
    let out = dir.join("export");
    ok(["export", arg(project), "--out", arg(&out), "--model", "outside", "--threshold", "0.1"]);
    out
}

/// Writes every report table; returns their folder.
fn report_tables(project: &Path, dir: &Path) -> PathBuf {
    let tables = dir.join("tables");
    ok(["report", arg(project), "--model", "outside", "--csv", arg(&tables)]);
    tables
}

/// Asserts that `value` is in `cells` with a `'` in front, and never raw.
fn assert_neutralised(cells: &[String], value: &str, case: &str) {
    let escaped = format!("'{value}");
    assert!(cells.contains(&escaped), "{case}: no cell {escaped:?} in {cells:?}");
    assert!(!cells.iter().any(|c| c == value), "{case}: the raw cell {value:?} is in {cells:?}");
}

fn pairs_csv_case(value: &str, legacy_name: Option<&str>, case: &str) {
    let dir = tempfile::tempdir().unwrap();
    let project = hostile_project(dir.path());
    if let Some(old) = legacy_name {
        rename(&project, "pairs", "external_id", old, value);
    }
    let out = export(&project, dir.path());
    assert_neutralised(&column(&out.join("pairs.csv"), "pair_id"), value, case);
}

fn labels_csv_case(value: &str, legacy_name: Option<&str>, case: &str) {
    let dir = tempfile::tempdir().unwrap();
    let project = hostile_project(dir.path());
    if let Some(old) = legacy_name {
        rename(&project, "labelers", "name", old, value);
    }
    let out = export(&project, dir.path());
    assert_neutralised(&column(&out.join("labels.csv"), "labeler"), value, case);
}

fn report_csv_case(value: &str, legacy_name: Option<&str>, case: &str) {
    let dir = tempfile::tempdir().unwrap();
    let project = hostile_project(dir.path());
    if let Some(old) = legacy_name {
        rename(&project, "labelers", "name", old, value);
    }
    let tables = report_tables(&project, dir.path());
    assert_neutralised(&column(&tables.join("labelers.csv"), "labeler"), value, case);
}

#[test]
fn pairs_csv_equals() {
    pairs_csv_case("=1+1", None, "pairs.csv =");
}

#[test]
fn pairs_csv_plus() {
    pairs_csv_case("+1+1", None, "pairs.csv +");
}

#[test]
fn pairs_csv_minus() {
    pairs_csv_case("-1+1", None, "pairs.csv -");
}

#[test]
fn pairs_csv_at() {
    pairs_csv_case("@SUM(1)", None, "pairs.csv @");
}

#[test]
fn pairs_csv_tab() {
    pairs_csv_case("\t=1+1", Some("tab-pair"), "pairs.csv tab");
}

#[test]
fn pairs_csv_carriage_return() {
    pairs_csv_case("\r=1+1", Some("cr-pair"), "pairs.csv CR");
}

#[test]
fn labels_csv_equals() {
    labels_csv_case("=cmd|' /C calc'!A0", None, "labels.csv =");
}

#[test]
fn labels_csv_plus() {
    labels_csv_case("+ana", None, "labels.csv +");
}

#[test]
fn labels_csv_minus() {
    labels_csv_case("-ben", None, "labels.csv -");
}

#[test]
fn labels_csv_at() {
    labels_csv_case("@cy", None, "labels.csv @");
}

#[test]
fn labels_csv_tab() {
    labels_csv_case("\t=1+1", Some("tab"), "labels.csv tab");
}

#[test]
fn labels_csv_carriage_return() {
    labels_csv_case("\r=1+1", Some("cr"), "labels.csv CR");
}

#[test]
fn report_csv_equals() {
    report_csv_case("=cmd|' /C calc'!A0", None, "report --csv =");
}

#[test]
fn report_csv_plus() {
    report_csv_case("+ana", None, "report --csv +");
}

#[test]
fn report_csv_minus() {
    report_csv_case("-ben", None, "report --csv -");
}

#[test]
fn report_csv_at() {
    report_csv_case("@cy", None, "report --csv @");
}

#[test]
fn report_csv_tab() {
    report_csv_case("\t=1+1", Some("tab"), "report --csv tab");
}

#[test]
fn report_csv_carriage_return() {
    report_csv_case("\r=1+1", Some("cr"), "report --csv CR");
}

/// Tags (the first of a row's `;`-joined list) and the other user-named tables of the report
/// are neutralised too; numbers pairscope writes (negative scores) are data and stay as they
/// are.
#[test]
fn tags_and_every_named_table_are_neutralised_and_numbers_kept() {
    let dir = tempfile::tempdir().unwrap();
    let project = hostile_project(dir.path());
    let out = export(&project, dir.path());
    let tags = column(&out.join("labels.csv"), "tags");
    assert_neutralised(&tags, "=HYPERLINK(\"x\")", "labels.csv tags");
    assert_neutralised(&tags, "@t;dark", "labels.csv tags");
    let scores = column(&out.join("pairs.csv"), "score");
    assert!(scores.contains(&"-0.25".to_owned()) && scores.contains(&"-0.5".to_owned()), "{scores:?}");

    let tables = report_tables(&project, dir.path());
    assert_neutralised(&column(&tables.join("tags.csv"), "tag"), "=HYPERLINK(\"x\")", "tags.csv");
    assert_neutralised(&column(&tables.join("tag_agreement.csv"), "tag"), "-t", "tag_agreement.csv");
    assert_neutralised(&column(&tables.join("cohen_kappa.csv"), "a"), "+ana", "cohen_kappa.csv");
}

/// The round trip: export, then import the export's pairs.csv and labels.csv into a new
/// project, gives back exactly the pair ids, labelers and tags; the exported cells start
/// with `'`.
#[test]
fn export_then_import_gives_back_the_exact_values() {
    let dir = tempfile::tempdir().unwrap();
    let project = hostile_project(dir.path());
    let out = export(&project, dir.path());
    let labelers = column(&out.join("labels.csv"), "labeler");
    for name in ["=cmd|' /C calc'!A0", "@cy"] {
        assert!(labelers.contains(&format!("'{name}")), "{name:?} is not neutralised: {labelers:?}");
    }

    let copy = dir.path().join("copy.pairscope");
    ok(["import-pairs", arg(&copy), "--csv", arg(&out.join("pairs.csv")), "--images", arg(&out)]);
    ok(["import-labels", arg(&copy), "--csv", arg(&out.join("labels.csv"))]);

    let names = |p: &Path| {
        let mut store = pairscope::store::Store::open(p).unwrap();
        let mut labelers: Vec<String> = store.read(|tx| tx.labelers()).unwrap().into_iter().map(|l| l.name).collect();
        let mut tags: Vec<String> = store.read(|tx| tx.tags()).unwrap().into_iter().map(|t| t.name).collect();
        let mut pairs: Vec<Option<String>> =
            store.read(|tx| tx.pairs()).unwrap().into_iter().map(|p| p.external_id).collect();
        labelers.sort();
        tags.sort();
        pairs.sort();
        (labelers, tags, pairs)
    };
    let (labelers, tags, pairs) = names(&copy);
    for name in ["=cmd|' /C calc'!A0", "+ana", "-ben", "@cy"] {
        assert!(labelers.contains(&name.to_owned()), "labeler {name:?} is not in {labelers:?}");
    }
    for tag in ["=HYPERLINK(\"x\")", "+t", "-t", "@t"] {
        assert!(tags.iter().any(|t| t.eq_ignore_ascii_case(tag)), "tag {tag:?} is not in {tags:?}");
    }
    assert_eq!((labelers, tags, pairs), names(&project), "the copy holds other names than the original");
}
