//! A minimal Parquet writer for flat tables of strings and fixed-size float lists: one row
//! group, PLAIN encoding, uncompressed, version-1 data pages of at most [`ROWS_PER_PAGE`] rows.
//! Written here rather than taken from the `parquet` crate: with its `arrow` feature that crate
//! and its 24 new dependencies took 5m22s of CPU to build cold (issue 13), a lot of CI time for
//! these few structures. The typed tables (export, report) and the importers' reader use the
//! crate without `arrow` (features snap and zstd only; about 185 s of CPU cold, of which zstd
//! about 57 s), see `typed_parquet.rs` and `import/parquet_table.rs`.
//!
//! The Arrow schema travels in the `ARROW:schema` footer entry, so Arrow readers see a
//! fixed-size list where Parquet itself only knows a LIST.

mod arrow_schema;
mod thrift;

use std::io::{self, Write};

pub(crate) use arrow_schema::{ArrowField, ArrowType};
use thrift::CompactWriter;

/// Rows per data page: pages stay a few megabytes whatever the project's size.
pub(crate) const ROWS_PER_PAGE: usize = 1024;

/// One column's values, one entry per row.
pub(crate) enum Column<'a> {
    /// Required UTF-8 strings.
    Strings(&'a [String]),
    /// UTF-8 strings, null where `None`.
    OptionalStrings(&'a [Option<String>]),
    /// Required fixed-size lists of required float32, row after row (`size` values each).
    FloatLists { size: usize, values: &'a [f32] },
}

impl Column<'_> {
    fn rows(&self) -> usize {
        match self {
            Column::Strings(v) => v.len(),
            Column::OptionalStrings(v) => v.len(),
            Column::FloatLists { size, values } => values.len() / size.max(&1),
        }
    }
}

// Parquet's enums (parquet.thrift).
const BYTE_ARRAY: i32 = 6;
const FLOAT: i32 = 4;
const REQUIRED: i32 = 0;
const OPTIONAL: i32 = 1;
const REPEATED: i32 = 2;
const CONVERTED_UTF8: i32 = 0;
const CONVERTED_LIST: i32 = 3;
const PLAIN: i32 = 0;
const RLE: i32 = 3;
const DATA_PAGE: i32 = 0;
const UNCOMPRESSED: i32 = 0;

/// Where one column chunk landed in the file.
struct Chunk {
    physical_type: i32,
    path: Vec<String>,
    encodings: Vec<i32>,
    num_values: i64,
    offset: i64,
    size: i64,
}

/// Writes `columns` (named, all of the same row count) as a Parquet file to `out`.
/// `progress(rows_written, rows_total)` is called after each page of each column.
pub(crate) fn write_table(
    out: &mut impl Write,
    columns: &[(&str, Column)],
    mut progress: impl FnMut(usize, usize),
) -> io::Result<()> {
    let rows = columns.first().map_or(0, |(_, c)| c.rows());
    for (name, column) in columns {
        if column.rows() != rows || matches!(column, Column::FloatLists { size: 0, .. }) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("column {name}: bad row count or list size"),
            ));
        }
    }
    let mut out = Counted { out, at: 0 };
    out.put(b"PAR1")?;
    let mut chunks = Vec::with_capacity(columns.len());
    let total_work = rows * columns.len();
    for (index, (name, column)) in columns.iter().enumerate() {
        let offset = out.at as i64;
        let mut num_values = 0i64;
        for first in (0..rows.max(1)).step_by(ROWS_PER_PAGE) {
            let end = (first + ROWS_PER_PAGE).min(rows);
            let (values, body) = page_body(column, first..end);
            num_values += values as i64;
            out.put(&page_header(values, body.len())?)?;
            out.put(&body)?;
            progress(index * rows + end, total_work);
        }
        chunks.push(chunk_of(name, column, num_values, offset, out.at as i64 - offset));
    }
    let footer = file_metadata(columns, rows, &chunks);
    out.put(&footer)?;
    out.put(&(footer.len() as u32).to_le_bytes())?;
    out.put(b"PAR1")
}

/// The output and how many bytes went into it: column chunks are located by offset.
struct Counted<'a, W> {
    out: &'a mut W,
    at: u64,
}

impl<W: Write> Counted<'_, W> {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.at += bytes.len() as u64;
        Ok(())
    }
}

fn chunk_of(name: &str, column: &Column, num_values: i64, offset: i64, size: i64) -> Chunk {
    let (physical_type, path, encodings) = match column {
        Column::Strings(_) => (BYTE_ARRAY, vec![name.to_owned()], vec![PLAIN]),
        Column::OptionalStrings(_) => (BYTE_ARRAY, vec![name.to_owned()], vec![PLAIN, RLE]),
        Column::FloatLists { .. } => (FLOAT, vec![name.to_owned(), "list".into(), "element".into()], vec![PLAIN, RLE]),
    };
    Chunk { physical_type, path, encodings, num_values, offset, size }
}

/// One data page's body (levels, then PLAIN values) for `rows`, and its count of values
/// (level entries, as Parquet counts them).
fn page_body(column: &Column, rows: std::ops::Range<usize>) -> (usize, Vec<u8>) {
    let mut body = Vec::new();
    match column {
        Column::Strings(values) => {
            for v in &values[rows.clone()] {
                plain_string(&mut body, v);
            }
            (rows.len(), body)
        }
        Column::OptionalStrings(values) => {
            let page = &values[rows.clone()];
            let mut levels = RleRuns::default();
            for v in page {
                levels.push(u8::from(v.is_some()), 1);
            }
            levels.write_prefixed(&mut body);
            for v in page.iter().flatten() {
                plain_string(&mut body, v);
            }
            (rows.len(), body)
        }
        Column::FloatLists { size, values } => {
            // Repetition 0 starts a row's list, 1 continues it; every element is defined.
            let mut repetition = RleRuns::default();
            for _ in rows.clone() {
                repetition.push(0, 1);
                repetition.push(1, size - 1);
            }
            let mut definition = RleRuns::default();
            definition.push(1, rows.len() * size);
            repetition.write_prefixed(&mut body);
            definition.write_prefixed(&mut body);
            for v in &values[rows.start * size..rows.end * size] {
                body.extend_from_slice(&v.to_le_bytes());
            }
            (rows.len() * size, body)
        }
    }
}

fn plain_string(body: &mut Vec<u8>, value: &str) {
    body.extend_from_slice(&(value.len() as u32).to_le_bytes());
    body.extend_from_slice(value.as_bytes());
}

/// Levels of bit width 1 in the RLE/bit-packed hybrid encoding, as RLE runs only.
#[derive(Default)]
struct RleRuns {
    runs: Vec<(u8, usize)>,
}

impl RleRuns {
    fn push(&mut self, level: u8, count: usize) {
        match self.runs.last_mut() {
            _ if count == 0 => {}
            Some((last, n)) if *last == level => *n += count,
            _ => self.runs.push((level, count)),
        }
    }

    /// The runs after their byte length (4 bytes little-endian), as data page v1 stores levels.
    fn write_prefixed(&self, body: &mut Vec<u8>) {
        let mut encoded = Vec::new();
        for &(level, count) in &self.runs {
            let mut header = (count as u64) << 1; // low bit 0: an RLE run
            while header >= 0x80 {
                encoded.push((header as u8) | 0x80);
                header >>= 7;
            }
            encoded.push(header as u8);
            encoded.push(level);
        }
        body.extend_from_slice(&(encoded.len() as u32).to_le_bytes());
        body.extend_from_slice(&encoded);
    }
}

fn page_header(values: usize, body_len: usize) -> io::Result<Vec<u8>> {
    let too_big = |_| io::Error::new(io::ErrorKind::InvalidInput, "a Parquet page over 2 GiB");
    let size = i32::try_from(body_len).map_err(too_big)?;
    let values = i32::try_from(values).map_err(too_big)?;
    let mut w = CompactWriter::new();
    w.i32_field(1, DATA_PAGE);
    w.i32_field(2, size); // uncompressed
    w.i32_field(3, size); // compressed: the same, nothing is compressed
    w.begin_struct_field(5); // DataPageHeader
    w.i32_field(1, values);
    w.i32_field(2, PLAIN);
    w.i32_field(3, RLE); // definition levels
    w.i32_field(4, RLE); // repetition levels
    w.end_struct();
    Ok(w.finish())
}

fn file_metadata(columns: &[(&str, Column)], rows: usize, chunks: &[Chunk]) -> Vec<u8> {
    let mut w = CompactWriter::new();
    w.i32_field(1, 1); // format version
    schema_elements(&mut w, columns);
    w.i64_field(3, rows as i64);
    w.list_field(4, thrift::STRUCT, 1); // one row group
    w.begin_struct();
    w.list_field(1, thrift::STRUCT, chunks.len());
    for chunk in chunks {
        w.begin_struct(); // ColumnChunk
        w.i64_field(2, 0); // file_offset: no metadata beside the pages (as pyarrow and parquet-rs write)
        w.begin_struct_field(3); // ColumnMetaData
        w.i32_field(1, chunk.physical_type);
        w.list_field(2, thrift::I32, chunk.encodings.len());
        for &e in &chunk.encodings {
            w.i32(e);
        }
        w.list_field(3, thrift::BINARY, chunk.path.len());
        for part in &chunk.path {
            w.binary(part.as_bytes());
        }
        w.i32_field(4, UNCOMPRESSED);
        w.i64_field(5, chunk.num_values);
        w.i64_field(6, chunk.size); // uncompressed, page headers included
        w.i64_field(7, chunk.size); // compressed
        w.i64_field(9, chunk.offset); // data_page_offset
        w.end_struct();
        w.end_struct();
    }
    let total: i64 = chunks.iter().map(|c| c.size).sum();
    w.i64_field(2, total); // total_byte_size
    w.i64_field(3, rows as i64);
    w.i64_field(5, chunks.first().map_or(4, |c| c.offset)); // file_offset
    w.i64_field(6, total); // total_compressed_size
    w.end_struct();
    let arrow = arrow_schema::schema_message(&columns.iter().map(|(name, c)| arrow_field(name, c)).collect::<Vec<_>>());
    w.list_field(5, thrift::STRUCT, 1); // key_value_metadata
    w.begin_struct();
    w.binary_field(1, b"ARROW:schema");
    w.binary_field(2, base64(&arrow).as_bytes());
    w.end_struct();
    w.binary_field(6, concat!("pairscope version ", env!("CARGO_PKG_VERSION")).as_bytes());
    w.finish()
}

/// The flattened Parquet schema: the root, then each column (a list as the standard
/// three-level LIST: `group (LIST) { repeated group list { element } }`).
fn schema_elements(w: &mut CompactWriter, columns: &[(&str, Column)]) {
    let count =
        1 + columns.iter().map(|(_, c)| if matches!(c, Column::FloatLists { .. }) { 3 } else { 1 }).sum::<usize>();
    w.list_field(2, thrift::STRUCT, count);
    w.begin_struct();
    w.binary_field(4, b"schema");
    w.i32_field(5, columns.len() as i32);
    w.end_struct();
    for (name, column) in columns {
        match column {
            Column::Strings(_) | Column::OptionalStrings(_) => {
                let repetition = if matches!(column, Column::Strings(_)) { REQUIRED } else { OPTIONAL };
                w.begin_struct();
                w.i32_field(1, BYTE_ARRAY);
                w.i32_field(3, repetition);
                w.binary_field(4, name.as_bytes());
                w.i32_field(6, CONVERTED_UTF8);
                w.begin_struct_field(10); // LogicalType
                w.begin_struct_field(1); // STRING
                w.end_struct();
                w.end_struct();
                w.end_struct();
            }
            Column::FloatLists { .. } => {
                w.begin_struct();
                w.i32_field(3, REQUIRED);
                w.binary_field(4, name.as_bytes());
                w.i32_field(5, 1);
                w.i32_field(6, CONVERTED_LIST);
                w.begin_struct_field(10); // LogicalType
                w.begin_struct_field(3); // LIST
                w.end_struct();
                w.end_struct();
                w.end_struct();
                w.begin_struct();
                w.i32_field(3, REPEATED);
                w.binary_field(4, b"list");
                w.i32_field(5, 1);
                w.end_struct();
                w.begin_struct();
                w.i32_field(1, FLOAT);
                w.i32_field(3, REQUIRED);
                w.binary_field(4, b"element");
                w.end_struct();
            }
        }
    }
}

fn arrow_field(name: &str, column: &Column) -> ArrowField {
    let data_type = match column {
        Column::Strings(_) | Column::OptionalStrings(_) => ArrowType::Utf8,
        Column::FloatLists { size, .. } => ArrowType::FixedSizeList {
            item: Box::new(ArrowField { name: "element".into(), nullable: false, data_type: ArrowType::Float32 }),
            size: *size as i32,
        },
    };
    ArrowField { name: name.to_owned(), nullable: matches!(column, Column::OptionalStrings(_)), data_type }
}

/// Standard base64 with padding, as Arrow writes `ARROW:schema`.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let n = group.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= group.len() {
                text.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                text.push('=');
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_4648_vectors() {
        let cases =
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("foobar", "Zm9vYmFy")];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn levels_are_rle_runs_after_their_byte_length() {
        let mut runs = RleRuns::default();
        runs.push(0, 1);
        runs.push(1, 0); // nothing
        runs.push(1, 511);
        runs.push(1, 1); // extends the run: 512 ones
        let mut body = Vec::new();
        runs.write_prefixed(&mut body);
        // run of one 0: header 1 << 1 = 2; run of 512 ones: header 1024 = varint 0x80 0x08.
        assert_eq!(body, [5, 0, 0, 0, 2, 0, 0x80, 0x08, 1]);
    }

    #[test]
    fn a_list_page_repeats_each_row_and_defines_every_element() {
        let values = [1.0f32, 2.0, 3.0, 4.0];
        let (count, body) = page_body(&Column::FloatLists { size: 2, values: &values }, 0..2);
        assert_eq!(count, 4, "level entries: two rows of two");
        let mut expected = vec![8, 0, 0, 0, 2, 0, 2, 1, 2, 0, 2, 1]; // repetition: 0 1 0 1
        expected.extend([2, 0, 0, 0, 8, 1]); // definition: four ones
        expected.extend(values.iter().flat_map(|v| v.to_le_bytes()));
        assert_eq!(body, expected);
    }

    #[test]
    fn columns_of_different_lengths_are_refused() {
        let names = ["a".to_string()];
        let columns = [("name", Column::Strings(&names)), ("embedding", Column::FloatLists { size: 2, values: &[] })];
        assert!(write_table(&mut Vec::new(), &columns, |_, _| {}).is_err());
    }
}
