//! Parquet in and out through the CLI on the celebrity pairs: `export` writes pairs.parquet
//! and labels.parquet holding exactly the rows of its CSVs, `import-*` read them back into a
//! new project, and `report --parquet` writes its tables typed.

use crate::common;

use std::path::Path;

use common::{datasets, info, ok};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// One value as the text its CSV cell holds.
fn text(field: &Field) -> String {
    match field {
        Field::Null => String::new(),
        Field::Str(s) => s.clone(),
        Field::Double(v) => v.to_string(),
        Field::Bool(v) => v.to_string(),
        Field::Long(v) => v.to_string(),
        Field::ListInternal(list) => list.elements().iter().map(text).collect::<Vec<_>>().join(";"),
        other => panic!("unexpected value {other:?}"),
    }
}

/// The column names and the rows of a Parquet file as text, and each column's Parquet type.
fn parquet_table(file: &Path) -> (Vec<String>, Vec<Vec<String>>, Vec<String>) {
    let reader = SerializedFileReader::new(std::fs::File::open(file).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let fields = schema.root_schema().get_fields();
    let names = fields.iter().map(|f| f.name().to_owned()).collect();
    let types = fields
        .iter()
        .map(|f| if f.is_primitive() { format!("{:?}", f.get_physical_type()) } else { "LIST".into() })
        .collect();
    let rows = reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| row.unwrap().get_column_iter().map(|(_, f)| text(f)).collect())
        .collect();
    (names, rows, types)
}

/// The header and rows of a CSV file pairscope wrote, cells read back from their
/// spreadsheet-safe form.
fn csv_table(file: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(file).unwrap();
    let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(|c| pairscope::csv_cells::read_back(c).to_owned()).collect())
        .collect();
    (header, rows)
}

fn model_scores(project: &Path) -> serde_json::Value {
    info(project)["models"].clone()
}

#[test]
fn export_writes_parquet_twins_of_its_csvs_that_import_back_into_a_new_project() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("celeb.pairscope");
    let celeb = datasets().join("celebrity-pairs");
    ok(["import-pairs", arg(&project), "--csv", arg(&celeb.join("pairs.csv")), "--images", arg(&celeb)]);
    ok(["split", arg(&project), "--seed", "3", "--apply"]);
    // A score for every pair (so pairs.parquet's score column imports as scores), spread over
    // values with long decimals.
    let pairs_csv = std::fs::read_to_string(celeb.join("pairs.csv")).unwrap();
    let mut scores = String::from("pair_id,score\n");
    for (i, line) in pairs_csv.lines().skip(1).enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        scores += &format!("{}|{},{}\n", cells[0], cells[1], (i * 37 % 300) as f64 / 299.0 - 0.1);
    }
    let scores_file = dir.path().join("scores.csv");
    std::fs::write(&scores_file, scores).unwrap();
    ok(["import-scores", arg(&project), "--csv", arg(&scores_file), "--model", "outside"]);
    let labels = dir.path().join("labels.csv");
    std::fs::write(
        &labels,
        "pair_id,labeler,verdict,tags,blind\n\
         img20.jpg|img21.jpg,ana,same,borderline;dark,true\n\
         img20.jpg|img21.jpg,ben,same,dark,false\n\
         img16.jpg|img17.jpg,ana,different,,true\n\
         img16.jpg|img17.jpg,ben,,blurry,true\n",
    )
    .unwrap();
    ok(["import-labels", arg(&project), "--csv", arg(&labels)]);

    let out = dir.path().join("export");
    ok(["export", arg(&project), "--out", arg(&out), "--model", "outside", "--threshold", "0.4"]);
    assert!(ok(["verify-export", arg(&out)]).contains("every file matches manifest.json"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let listed: Vec<&str> = manifest["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert!(listed.contains(&"pairs.parquet") && listed.contains(&"labels.parquet"), "{listed:?}");

    let (names, rows, types) = parquet_table(&out.join("pairs.parquet"));
    let (header, csv_rows) = csv_table(&out.join("pairs.csv"));
    assert_eq!(names, header);
    assert_eq!(
        types,
        [
            "BYTE_ARRAY",
            "BYTE_ARRAY",
            "BYTE_ARRAY",
            "BYTE_ARRAY",
            "BYTE_ARRAY",
            "LIST",
            "DOUBLE",
            "BYTE_ARRAY",
            "DOUBLE"
        ]
    );
    assert_eq!(rows.len(), 300);
    assert_eq!(rows, csv_rows, "every pair, cell for cell");
    let (names, rows, types) = parquet_table(&out.join("labels.parquet"));
    let (header, csv_rows) = csv_table(&out.join("labels.csv"));
    assert_eq!(names, header);
    assert_eq!(types, ["BYTE_ARRAY", "BYTE_ARRAY", "BYTE_ARRAY", "LIST", "BOOLEAN"]);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows, csv_rows, "every label, cell for cell");

    // A new project from the Parquet files alone: the same pairs, labels and scores.
    let back = dir.path().join("back.pairscope");
    let said = ok(["import-pairs", arg(&back), "--parquet", arg(&out.join("pairs.parquet")), "--images", arg(&out)]);
    assert!(said.contains("imported 300 pairs"), "{said}");
    let said = ok(["import-labels", arg(&back), "--parquet", arg(&out.join("labels.parquet"))]);
    assert!(said.contains("imported 4 labels"), "{said}");
    let said = ok(["import-scores", arg(&back), "--csv", arg(&out.join("pairs.parquet")), "--model", "outside"]);
    assert!(said.contains("imported 300 scores"), "{said}");
    let (a, b) = (info(&project), info(&back));
    for key in ["pairs", "truth_same", "truth_different", "splits", "labelers", "label_events"] {
        assert_eq!(a[key], b[key], "{key}");
    }
    assert_eq!(model_scores(&project), model_scores(&back));
}

#[test]
fn report_parquet_writes_every_table_typed() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let tables = dir.path().join("tables");
    let csvs = dir.path().join("csv");
    ok(["report", arg(&project), "--parquet", arg(&tables), "--csv", arg(&csvs)]);
    let mut written: Vec<String> =
        std::fs::read_dir(&tables).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    written.sort();
    let mut expected: Vec<String> = std::fs::read_dir(&csvs)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap().replace(".csv", ".parquet"))
        .collect();
    expected.sort();
    assert_eq!(written, expected, "one Parquet file per table");
    let (names, rows, types) = parquet_table(&tables.join("operating_point.parquet"));
    let (header, csv_rows) = csv_table(&csvs.join("operating_point.csv"));
    assert_eq!(names, header);
    let column = |name: &str| names.iter().position(|n| n == name).unwrap();
    assert_eq!(types[column("rule")], "BYTE_ARRAY");
    assert_eq!(types[column("tp")], "INT64");
    assert_eq!(types[column("accuracy")], "DOUBLE");
    assert_eq!(rows, csv_rows);
    let (_, rows, types) = parquet_table(&tables.join("tags.parquet"));
    assert_eq!(types.last().unwrap(), "BOOLEAN", "ranked");
    assert_eq!(rows, csv_table(&csvs.join("tags.csv")).1);
}
