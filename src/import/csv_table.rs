//! Reads a CSV file into trimmed UTF-8 rows, turning every malformed row into a located
//! [`Problem`] instead of an early abort.

use std::path::Path;

use super::{ImportError, Problem};
use crate::csv_cells::read_back;
use crate::quote::quote;

pub(crate) struct CsvTable {
    /// Lower-cased, trimmed column names.
    pub headers: Vec<String>,
    pub rows: Vec<CsvRow>,
}

pub(crate) struct CsvRow {
    pub line: u64,
    pub fields: Vec<String>,
}

impl CsvTable {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }
}

impl CsvRow {
    /// The cell of an optional column, "" when the column is absent.
    pub fn get(&self, column: Option<usize>) -> &str {
        column.and_then(|c| self.fields.get(c)).map(String::as_str).unwrap_or("")
    }
}

/// Reads `file`, requiring the `required` columns, without holding the rows: `visit` gets each
/// good row in file order, so an importer of millions of rows keeps only what it makes of them.
/// File-level faults are errors; row-level faults come back as problems beside the good rows. Returns the lower-cased
/// header names and the row-level problems. `visit` also gets the header names.
pub(crate) fn for_each_row(
    file: &Path,
    required: &[&str],
    mut visit: impl FnMut(&[String], CsvRow),
) -> Result<(Vec<String>, Vec<Problem>), ImportError> {
    let bytes = std::fs::read(file).map_err(|e| ImportError::file(file, format!("cannot read: {e}")))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::file(
            file,
            format!("the file is empty; expected a header line with the columns {}", required.join(",")),
        ));
    }
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(bytes.as_slice());
    let header = reader.byte_headers().map_err(|e| ImportError::file(file, format!("line 1: {e}")))?.clone();
    let mut names = Vec::with_capacity(header.len());
    for (i, raw) in header.iter().enumerate() {
        let raw = if i == 0 { raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw) } else { raw };
        let name = std::str::from_utf8(raw).map_err(|_| {
            ImportError::file(file, format!("line 1: column {} of the header is not valid UTF-8", i + 1))
        })?;
        names.push(name.to_owned());
    }
    let headers = check_header(file, names, required, "line 1: ")?;

    // The csv crate's own line counter skips blank lines; byte offsets are exact.
    let mut lines = LineCounter::new(&bytes);
    let mut good = 0usize;
    let mut problems = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        let line_hint = lines.line_at(reader.position().byte());
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| lines.line_at(p.byte())).unwrap_or(line_hint);
                problems.push(Problem::at(file, Some(line), format!("unreadable CSV row: {e}")));
                continue;
            }
        }
        let line = record.position().map(|p| lines.line_at(p.byte())).unwrap_or(line_hint);
        if record.len() != headers.len() {
            problems.push(Problem::at(
                file,
                Some(line),
                format!(
                    "{} field{}, but the header has {} column{} (a truncated line, or an unquoted comma?)",
                    record.len(),
                    plural(record.len()),
                    headers.len(),
                    plural(headers.len())
                ),
            ));
            continue;
        }
        match decode_fields(&record, &headers) {
            Ok(fields) => {
                good += 1;
                visit(&headers, CsvRow { line, fields });
            }
            Err(message) => problems.push(Problem::at(file, Some(line), message)),
        }
    }
    if good == 0 && problems.is_empty() {
        return Err(ImportError::file(file, "has a header but no rows"));
    }
    Ok((headers, problems))
}

/// The column names lower-cased and trimmed, each at most once, with every `required` one
/// present; `at` says where the names are (`line 1: ` in a CSV file). Shared with Parquet.
pub(crate) fn check_header(
    file: &Path,
    names: Vec<String>,
    required: &[&str],
    at: &str,
) -> Result<Vec<String>, ImportError> {
    let mut headers: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let name = name.trim().to_ascii_lowercase();
        if !name.is_empty() && headers.contains(&name) {
            return Err(ImportError::file(file, format!("{at}column {} appears twice in the header", quote(&name))));
        }
        headers.push(name);
    }
    let missing: Vec<&str> = required.iter().copied().filter(|r| !headers.iter().any(|h| h == r)).collect();
    if !missing.is_empty() {
        return Err(ImportError::file(
            file,
            format!(
                "{at}missing column{} {}; the header has: {}",
                plural(missing.len()),
                missing.join(", "),
                headers.join(", ")
            ),
        ));
    }
    Ok(headers)
}

/// Line numbers of byte offsets, asked in increasing order (as a CSV reader moves on): counts
/// the newlines it passes instead of keeping an offset per line.
struct LineCounter<'a> {
    bytes: &'a [u8],
    /// Newlines before `at`.
    counted: u64,
    at: usize,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter { bytes, counted: 0, at: 0 }
    }

    /// The line of the record at `byte`: that of its first byte, past any blank lines before it.
    fn line_at(&mut self, byte: u64) -> u64 {
        let byte = (byte as usize).min(self.bytes.len());
        let start = self.bytes[byte..].iter().position(|b| !matches!(b, b'\r' | b'\n')).map_or(byte, |k| byte + k);
        if start < self.at {
            // Asked out of order (an error's position): count from the beginning.
            return self.bytes[..start].iter().filter(|b| **b == b'\n').count() as u64 + 1;
        }
        self.counted += self.bytes[self.at..start].iter().filter(|b| **b == b'\n').count() as u64;
        self.at = start;
        self.counted + 1
    }
}

/// The row's cells as UTF-8, each read back from its spreadsheet-safe form (a `'` that
/// pairscope's export put before `=`, `+`, `-`, `@`, tab or CR is taken off again).
fn decode_fields(record: &csv::ByteRecord, headers: &[String]) -> Result<Vec<String>, String> {
    record
        .iter()
        .zip(headers)
        .map(|(raw, column)| {
            std::str::from_utf8(raw).map(|cell| read_back(cell).to_owned()).map_err(|e| {
                format!(
                    "column {} is not valid UTF-8 (bad byte at offset {}); save the file as UTF-8",
                    quote(column),
                    e.valid_up_to()
                )
            })
        })
        .collect()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(content: &[u8]) -> Result<(CsvTable, Vec<Problem>), ImportError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv");
        std::fs::write(&path, content).unwrap();
        super::super::table::read_table(&path, &["image_a", "image_b"])
    }

    #[test]
    fn reads_rows_with_line_numbers_trimmed_and_bom_stripped() {
        let (table, problems) =
            read(b"\xEF\xBB\xBFImage_A, image_b ,truth\na.jpg, b.jpg,same\n\nc.jpg,d.jpg,\n").unwrap();
        assert!(problems.is_empty());
        assert_eq!(table.headers, ["image_a", "image_b", "truth"]);
        assert_eq!(table.rows[0].fields, ["a.jpg", "b.jpg", "same"]);
        assert_eq!(table.rows[1].line, 4);
        assert_eq!(table.rows[1].get(table.column("truth")), "");
    }

    #[test]
    fn empty_file_and_header_only_are_file_errors() {
        let err = read(b"").err().unwrap();
        assert!(err.to_string().contains("empty"), "{err}");
        let err = read(b"image_a,image_b\n").err().unwrap();
        assert!(err.to_string().contains("no rows"), "{err}");
    }

    #[test]
    fn missing_and_duplicate_columns_are_named() {
        let err = read(b"image_a,truth\nx,y\n").err().unwrap();
        assert!(err.to_string().contains("missing column image_b"), "{err}");
        let err = read(b"image_a,image_b,image_a\nx,y,z\n").err().unwrap();
        assert!(err.to_string().contains("appears twice"), "{err}");
    }

    #[test]
    fn bad_rows_become_located_problems() {
        let (table, problems) = read(b"image_a,image_b,truth\na,b,same\nc,d\ne,f,\xff\xfe\ng,h,i,j\n").unwrap();
        assert_eq!(table.rows.len(), 1);
        let lines: Vec<_> = problems.iter().map(|p| p.line.unwrap()).collect();
        assert_eq!(lines, [3, 4, 5]);
        assert!(problems[0].message.contains("2 fields"), "{}", problems[0].message);
        assert!(problems[1].message.contains("UTF-8"), "{}", problems[1].message);
        assert!(problems[2].to_string().contains("in.csv:5:"), "{}", problems[2]);
    }

    #[test]
    fn spreadsheet_safe_cells_are_read_back() {
        let (table, problems) = read(b"image_a,image_b,truth\n'=a.jpg,''@b,'x\n").unwrap();
        assert!(problems.is_empty());
        assert_eq!(table.rows[0].fields, ["=a.jpg", "'@b", "'x"]);
    }

    #[test]
    fn truncated_last_line_without_newline_is_reported() {
        let (table, problems) = read(b"image_a,image_b,truth\na,b,same\nc,").unwrap();
        assert_eq!(table.rows.len(), 1);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, Some(3));
    }
}
