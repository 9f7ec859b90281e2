//! Hostile Parquet files for `import-pairs`, `import-labels` and `import-scores`: truncated,
//! a column missing, a column of the wrong type, a null where a value is required, a nested
//! column. Each is refused with the file (and row) named, and the project stays as it was.

use std::path::Path;
use std::sync::Arc;

use parquet::data_type::{BoolType, ByteArray, ByteArrayType};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use crate::common::sitcom_project;
use crate::harness::{ProjectBytes, refused};

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// One column as the test writes it.
enum Column<'a> {
    Text(&'a [Option<&'a str>]),
    Bools(&'a [bool]),
}

/// Writes a one-row-group Parquet file of these columns (`schema` a Parquet message type
/// whose leaves match them, in order).
fn write_parquet(path: &Path, schema: &str, columns: &[Column]) {
    let schema = Arc::new(parse_message_type(schema).unwrap());
    let file = std::fs::File::create(path).unwrap();
    let mut writer = SerializedFileWriter::new(file, schema, Arc::new(WriterProperties::builder().build())).unwrap();
    let mut group = writer.next_row_group().unwrap();
    for column in columns {
        let mut out = group.next_column().unwrap().unwrap();
        match column {
            Column::Text(cells) => {
                let values: Vec<ByteArray> = cells.iter().flatten().map(|s| ByteArray::from(*s)).collect();
                let levels: Vec<i16> = cells.iter().map(|c| i16::from(c.is_some())).collect();
                let optional = out.typed::<ByteArrayType>().get_descriptor().max_def_level() > 0;
                let levels = optional.then_some(levels.as_slice());
                out.typed::<ByteArrayType>().write_batch(&values, levels, None).unwrap();
            }
            Column::Bools(values) => {
                out.typed::<BoolType>().write_batch(values, None, None).unwrap();
            }
        }
        out.close().unwrap();
    }
    group.close().unwrap();
    writer.close().unwrap();
}

/// The import must refuse; returns stderr after checking the project is byte for byte the same.
fn import_refused(case: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let before = ProjectBytes::of(&project);
    let mut all = vec![args[0], arg(&project)];
    all.extend(&args[1..]);
    let err = refused(all);
    before.assert_unchanged(&project, case);
    assert!(!err.contains("panicked"), "{case}: {err}");
    err
}

const PAIRS: &str = "message pairs { required binary image_a (STRING); required binary image_b (STRING); }";

#[test]
fn truncated_parquet_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pairs.parquet");
    let (a, b) = (["Chandler/1.jpg", "Joey/1.jpg"].map(Some), ["Chandler/2.jpg", "Ross/1.jpg"].map(Some));
    write_parquet(&file, PAIRS, &[Column::Text(&a), Column::Text(&b)]);
    let bytes = std::fs::read(&file).unwrap();
    for keep in [bytes.len() / 2, bytes.len() - 3, 4] {
        std::fs::write(&file, &bytes[..keep]).unwrap();
        let err = import_refused("truncated", &["import-pairs", "--csv", arg(&file), "--images", arg(dir.path())]);
        assert!(err.contains("pairs.parquet: not a Parquet file pairscope can read"), "{keep} bytes: {err}");
    }
}

#[test]
fn parquet_without_a_required_column_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pairs.parquet");
    write_parquet(&file, "message pairs { required binary image_a (STRING); }", &[Column::Text(&[Some("a.jpg")])]);
    let err = import_refused("missing column", &["import-pairs", "--csv", arg(&file), "--images", arg(dir.path())]);
    assert!(err.contains("pairs.parquet: missing column image_b; the header has: image_a"), "{err}");
}

#[test]
fn parquet_score_of_the_wrong_type_is_refused_with_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scores.parquet");
    let schema = "message scores { required binary pair_id (STRING); required boolean score; }";
    write_parquet(&file, schema, &[Column::Text(&[Some("p1"), Some("p2")]), Column::Bools(&[true, false])]);
    let err = import_refused("wrong type", &["import-scores", "--csv", arg(&file), "--model", "m"]);
    assert!(err.contains("scores.parquet: row 1: score \"true\" is not a finite number"), "{err}");
    assert!(err.contains("scores.parquet: row 2: score \"false\""), "{err}");
}

#[test]
fn parquet_null_in_a_required_column_is_refused_with_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("labels.parquet");
    let schema = "message labels { required binary pair_id (STRING); optional binary labeler (STRING); \
                  optional binary verdict (STRING); }";
    let columns = [
        Column::Text(&[Some("x|y"), Some("x|z")]),
        Column::Text(&[Some("ana"), None]),
        Column::Text(&[Some("same"), Some("same")]),
    ];
    write_parquet(&file, schema, &columns);
    let err = import_refused("null", &["import-labels", "--csv", arg(&file)]);
    assert!(err.contains("labels.parquet: row 2: labeler is empty"), "{err}");
}

#[test]
fn parquet_nested_column_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scores.parquet");
    let schema =
        "message scores { required binary pair_id (STRING); required group score { required binary v (STRING); } }";
    write_parquet(&file, schema, &[Column::Text(&[Some("p1")]), Column::Text(&[Some("0.5")])]);
    let err = import_refused("nested", &["import-scores", "--csv", arg(&file), "--model", "m"]);
    assert!(err.contains("scores.parquet: column \"score\" holds nested records"), "{err}");
}
