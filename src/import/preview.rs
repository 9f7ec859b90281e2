//! A look at an input before importing it: its first rows, and what pairscope makes of each
//! column. Reads at most the first rows of a CSV (and counts its lines), so a preview of a
//! million-row file costs one pass over its bytes and nothing else.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use super::{ImportError, ImportKind};
use crate::quote::quote;

/// Rows shown in a preview.
pub const PREVIEW_ROWS: usize = 6;

/// What an importer does with a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnRole {
    /// A column the importer reads; `meaning` says as what.
    Read { meaning: &'static str },
    /// Kept with each pair as metadata (pairs CSV only).
    Metadata,
    /// Not read by this importer.
    Ignored,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PreviewColumn {
    pub name: String,
    pub role: ColumnRole,
}

/// The first rows of an input and how they will be read.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ImportPreview {
    /// Column headers (for LFW and folders: the columns pairscope derives).
    pub columns: Vec<PreviewColumn>,
    /// At most [`PREVIEW_ROWS`] rows, each with one cell per column.
    pub rows: Vec<Vec<String>>,
    /// Required columns the file lacks: importing it will be refused.
    pub missing: Vec<&'static str>,
    /// Data rows (CSV lines after the header, LFW pairs, folder pairs' identities), when known.
    pub total_rows: Option<u64>,
    /// What else is worth knowing before importing, in words.
    pub notes: Vec<String>,
}

/// The columns an importer of `kind` reads: (name, meaning).
fn known_columns(kind: ImportKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        ImportKind::PairsCsv => &[
            ("image_a", "first photo (path in the images folder)"),
            ("image_b", "second photo"),
            ("pair_id", "the pair's id"),
            ("truth", "same / different"),
            ("split", "train, dev, test…"),
            ("identity_a", "who is in the first photo"),
            ("identity_b", "who is in the second photo"),
        ],
        ImportKind::LabelsCsv => &[
            ("pair_id", "the pair's id"),
            ("labeler", "who labeled"),
            ("verdict", "same / different / unsure"),
            ("tags", "tags, ;-separated"),
            ("blind", "given without the answer in view"),
        ],
        ImportKind::ScoresCsv => &[("pair_id", "the pair's id"), ("score", "higher = more likely the same")],
        ImportKind::IdentitiesCsv => &[("image", "photo (path in the images folder)"), ("identity", "who is in it")],
        ImportKind::Lfw | ImportKind::Folders => &[],
    }
}

/// Previews `input` (a file, or the images folder for [`ImportKind::Folders`]).
pub fn preview(kind: ImportKind, input: &Path) -> Result<ImportPreview, ImportError> {
    match kind {
        ImportKind::Lfw => preview_lfw(input),
        ImportKind::Folders => preview_folders(input),
        _ => preview_csv(kind, input),
    }
}

/// The columns of a table file, each with what the importer of `kind` makes of it.
fn columns_of<'h>(kind: ImportKind, header: impl Iterator<Item = &'h str>) -> Vec<PreviewColumn> {
    let known = known_columns(kind);
    header
        .enumerate()
        .map(|(i, raw)| {
            let raw = if i == 0 { raw.trim_start_matches('\u{FEFF}') } else { raw };
            let name = raw.trim().to_ascii_lowercase();
            let role = match known.iter().find(|(n, _)| *n == name) {
                Some((_, meaning)) => ColumnRole::Read { meaning },
                None if kind == ImportKind::PairsCsv && !name.is_empty() => ColumnRole::Metadata,
                None => ColumnRole::Ignored,
            };
            PreviewColumn { name, role }
        })
        .collect()
}

/// The columns the importer of `kind` requires: its own list, so the two cannot differ.
fn required_columns(kind: ImportKind) -> &'static [&'static str] {
    match kind {
        ImportKind::PairsCsv => &super::pairs_csv::REQUIRED,
        ImportKind::LabelsCsv => &super::labels_csv::REQUIRED,
        ImportKind::ScoresCsv => &super::scores_csv::REQUIRED,
        ImportKind::IdentitiesCsv => &super::identities_csv::REQUIRED,
        ImportKind::Lfw | ImportKind::Folders => &[],
    }
}

/// The required columns of `kind` that `columns` lacks.
fn missing(kind: ImportKind, columns: &[PreviewColumn]) -> Vec<&'static str> {
    required_columns(kind).iter().copied().filter(|r| !columns.iter().any(|c| c.name == *r)).collect()
}

/// A Parquet file is compact: it is read whole, as the importers read it.
fn preview_parquet(kind: ImportKind, file: &Path) -> Result<ImportPreview, ImportError> {
    let (table, problems) = super::table::read_table(file, &[])?;
    let columns = columns_of(kind, table.headers.iter().map(String::as_str));
    let rows = table.rows.iter().take(PREVIEW_ROWS).map(|r| r.fields.clone()).collect();
    let mut notes = Vec::new();
    if let Some(first) = problems.first() {
        notes.push(format!("{} unreadable rows (the first: {first})", problems.len()));
    }
    let total_rows = Some((table.rows.len() + problems.len()) as u64);
    Ok(ImportPreview { missing: missing(kind, &columns), columns, rows, total_rows, notes })
}

fn preview_csv(kind: ImportKind, file: &Path) -> Result<ImportPreview, ImportError> {
    if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet")) {
        return preview_parquet(kind, file);
    }
    let open = || std::fs::File::open(file).map_err(|e| ImportError::file(file, format!("cannot read: {e}")));
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(BufReader::new(open()?));
    let header = reader.headers().map_err(|e| ImportError::file(file, format!("line 1: {e}")))?.clone();
    let columns = columns_of(kind, header.iter());
    if columns.iter().all(|c| c.name.is_empty()) {
        return Err(ImportError::file(file, "the file is empty; expected a header line"));
    }
    let missing = missing(kind, &columns);
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for record in reader.records().take(PREVIEW_ROWS) {
        match record {
            Ok(record) => rows.push(record.iter().map(str::to_owned).collect()),
            Err(e) => {
                notes.push(format!("a row near the top cannot be read: {e}"));
                break;
            }
        }
    }
    let total_rows = count_lines(open()?).map(|lines| lines.saturating_sub(1));
    let mut preview = ImportPreview { columns, rows, missing, total_rows, notes };
    if preview.columns.iter().any(|c| c.role == ColumnRole::Ignored) {
        let ignored: Vec<String> = preview
            .columns
            .iter()
            .filter(|c| c.role == ColumnRole::Ignored)
            .map(|c| quote(&c.name).to_string())
            .collect();
        preview.notes.push(format!("not read: {}", ignored.join(", ")));
    }
    Ok(preview)
}

/// Non-empty lines, reading the file once; None if it cannot be read to the end.
fn count_lines(file: impl Read) -> Option<u64> {
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let (mut lines, mut last) = (0u64, b'\n');
    loop {
        let buf = reader.fill_buf().ok()?;
        if buf.is_empty() {
            break;
        }
        lines += buf.iter().filter(|&&b| b == b'\n').count() as u64;
        last = *buf.last().expect("not empty");
        let n = buf.len();
        reader.consume(n);
    }
    Some(lines + u64::from(last != b'\n'))
}

fn preview_lfw(file: &Path) -> Result<ImportPreview, ImportError> {
    let bytes = std::fs::read(file).map_err(|e| ImportError::file(file, format!("cannot read: {e}")))?;
    let text = String::from_utf8_lossy(&bytes);
    let (pairs, problems) = super::lfw::parse(file, &text)?;
    let column = |name: &str, meaning| PreviewColumn { name: name.into(), role: ColumnRole::Read { meaning } };
    let columns = vec![
        PreviewColumn { name: "line".into(), role: ColumnRole::Ignored },
        column("fold", "cross-validation fold"),
        column("image_a", "first photo"),
        column("image_b", "second photo"),
        column("truth", "same / different"),
    ];
    let rows = pairs
        .iter()
        .take(PREVIEW_ROWS)
        .map(|p| {
            let (a, b) = (super::lfw::LfwPair::image_path(&p.a), super::lfw::LfwPair::image_path(&p.b));
            vec![p.line.to_string(), p.fold.to_string(), a, b, p.truth.as_str().to_owned()]
        })
        .collect();
    let mut notes = Vec::new();
    if !problems.is_empty() {
        notes.push(format!(
            "{} bad line{} (the first: {})",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" },
            problems[0]
        ));
    }
    Ok(ImportPreview { columns, rows, missing: Vec::new(), total_rows: Some(pairs.len() as u64), notes })
}

fn preview_folders(root: &Path) -> Result<ImportPreview, ImportError> {
    let root = super::image_files::images_root(root)?;
    let (identities, problems) = super::folders::scan(&root)?;
    let images: usize = identities.iter().map(|i| i.images.len()).sum();
    let column = |name: &str, meaning| PreviewColumn { name: name.into(), role: ColumnRole::Read { meaning } };
    let columns = vec![column("identity", "folder name = who is in the photos"), column("images", "photos in it")];
    let rows = identities.iter().take(PREVIEW_ROWS).map(|i| vec![i.name.clone(), i.images.len().to_string()]).collect();
    let mut notes = vec![format!("{} identities, {images} photos", identities.len())];
    let alone = identities.iter().filter(|i| i.images.len() < 2).count();
    if alone > 0 {
        notes.push(format!("{alone} identities have one photo: they appear only in different-person pairs"));
    }
    if !problems.is_empty() {
        notes.push(format!("{} entries ignored (the first: {})", problems.len(), problems[0]));
    }
    Ok(ImportPreview { columns, rows, missing: Vec::new(), total_rows: None, notes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_pairs_csv_maps_known_columns_keeps_others_as_metadata_and_counts_rows() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(
            &dir,
            "p.csv",
            "\u{FEFF}Image_A,image_b,truth,camera\na.jpg,b.jpg,same,door\nc.jpg,d.jpg,different,hall",
        );
        let preview = preview(ImportKind::PairsCsv, &file).unwrap();
        let roles: Vec<_> = preview.columns.iter().map(|c| (c.name.as_str(), c.role)).collect();
        assert_eq!(roles[0], ("image_a", ColumnRole::Read { meaning: "first photo (path in the images folder)" }));
        assert_eq!(roles[3], ("camera", ColumnRole::Metadata));
        assert_eq!(preview.rows, [["a.jpg", "b.jpg", "same", "door"], ["c.jpg", "d.jpg", "different", "hall"]]);
        assert_eq!(preview.total_rows, Some(2), "no newline after the last row");
        assert!(preview.missing.is_empty());
    }

    #[test]
    fn a_labels_csv_without_labeler_is_flagged_and_strangers_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(&dir, "l.csv", "pair_id,verdict,comment\np1,same,hmm\n");
        let preview = preview(ImportKind::LabelsCsv, &file).unwrap();
        assert_eq!(preview.missing, ["labeler"]);
        assert_eq!(preview.columns[2].role, ColumnRole::Ignored);
        assert!(preview.notes.iter().any(|n| n.contains("comment")), "{:?}", preview.notes);
    }

    #[test]
    fn only_the_first_rows_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from("pair_id,score\n");
        for i in 0..1000 {
            text += &format!("p{i},0.{i}\n");
        }
        let preview = preview(ImportKind::ScoresCsv, &write(&dir, "s.csv", &text)).unwrap();
        assert_eq!(preview.rows.len(), PREVIEW_ROWS);
        assert_eq!(preview.total_rows, Some(1000));
    }

    #[test]
    fn a_parquet_scores_file_is_previewed_with_typed_cells_as_text() {
        use crate::curate::typed_parquet::{TypedColumn, parquet_bytes};
        let dir = tempfile::tempdir().unwrap();
        let ids = (0..10).map(|i| format!("p{i}")).collect();
        let scores = (0..10).map(|i| Some(f64::from(i) / 10.0)).collect();
        let bytes =
            parquet_bytes(&[("pair_id", TypedColumn::Strings(ids)), ("score", TypedColumn::OptionalDoubles(scores))])
                .unwrap();
        let file = dir.path().join("scores.parquet");
        std::fs::write(&file, bytes).unwrap();
        let preview = preview(ImportKind::ScoresCsv, &file).unwrap();
        assert!(preview.missing.is_empty());
        assert_eq!(preview.rows[1], ["p1", "0.1"]);
        assert_eq!(preview.rows.len(), PREVIEW_ROWS);
        assert_eq!(preview.total_rows, Some(10));
        let labels = preview_parquet(ImportKind::LabelsCsv, &file).unwrap();
        assert_eq!(labels.missing, ["labeler"]);
    }

    #[test]
    fn lfw_shows_pairs_with_their_paths_and_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(&dir, "pairs.txt", "1\t2\nAl 1 2\nAl 1 Bo 3\nCy x 4\nCy 1 Di 1\n");
        let preview = preview(ImportKind::Lfw, &file).unwrap();
        assert_eq!(preview.rows[0], ["2", "1", "Al/Al_0001.jpg", "Al/Al_0002.jpg", "same"]);
        assert_eq!(preview.total_rows, Some(3));
        assert!(preview.notes[0].starts_with("1 bad line"), "{:?}", preview.notes);
    }

    #[test]
    fn folders_list_identities_and_refuse_an_empty_folder() {
        let dir = tempfile::tempdir().unwrap();
        assert!(preview(ImportKind::Folders, dir.path()).is_err());
        for (person, n) in [("ann", 2), ("bob", 1)] {
            std::fs::create_dir(dir.path().join(person)).unwrap();
            for i in 0..n {
                std::fs::write(dir.path().join(person).join(format!("{i}.jpg")), b"x").unwrap();
            }
        }
        let preview = preview(ImportKind::Folders, dir.path()).unwrap();
        assert_eq!(preview.rows, [["ann", "2"], ["bob", "1"]]);
        assert_eq!(preview.notes[0], "2 identities, 3 photos");
    }

    #[test]
    fn a_missing_or_empty_file_is_a_located_error() {
        let dir = tempfile::tempdir().unwrap();
        let error = preview(ImportKind::PairsCsv, &dir.path().join("nope.csv")).unwrap_err().to_string();
        assert!(error.contains("nope.csv") && error.contains("cannot read"), "{error}");
        let empty = write(&dir, "empty.csv", "");
        assert!(preview(ImportKind::ScoresCsv, &empty).unwrap_err().to_string().contains("empty"));
    }
}
