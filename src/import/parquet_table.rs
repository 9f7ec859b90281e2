//! Reads a Parquet file into the same rows of text cells as a CSV file ([`super::csv_table`]),
//! so one validation serves both: numbers and booleans become their text, a null an empty
//! cell, a list of text (tags) its elements joined by `;`. Files from pandas/pyarrow (snappy,
//! dictionary pages) and polars (zstd) are read by the `parquet` crate's record reader.

use std::path::Path;

use parquet::errors::ParquetError;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

use super::csv_table::{CsvRow, check_header};
use super::{ImportError, Problem};
use crate::quote::quote;

/// Like [`super::csv_table::for_each_row`]: `visit` gets each good row in file order, its
/// `line` the 1-based row number. A file the reader cannot decode, or a column that is not
/// flat, refuses the whole file.
pub(crate) fn for_each_row(
    file: &Path,
    required: &[&str],
    mut visit: impl FnMut(&[String], CsvRow),
) -> Result<(Vec<String>, Vec<Problem>), ImportError> {
    let unreadable = |e: ParquetError| ImportError::file(file, format!("not a Parquet file pairscope can read: {e}"));
    let opened = std::fs::File::open(file).map_err(|e| ImportError::file(file, format!("cannot read: {e}")))?;
    let reader = SerializedFileReader::new(opened).map_err(unreadable)?;
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let names = schema.root_schema().get_fields().iter().map(|f| f.name().to_owned()).collect();
    let headers = check_header(file, names, required, "")?;
    let mut problems = Vec::new();
    let mut row_number = 0u64;
    for row in reader.get_row_iter(None).map_err(unreadable)? {
        row_number += 1;
        let row = row.map_err(|e| ImportError::file(file, format!("row {row_number}: not readable: {e}")))?;
        let mut fields = Vec::with_capacity(headers.len());
        let mut fault = None;
        for ((_, field), column) in row.get_column_iter().zip(&headers) {
            match cell(field) {
                Ok(text) => fields.push(text),
                Err(Fault::Nested) => {
                    return Err(ImportError::file(
                        file,
                        format!(
                            "column {} holds nested records; pairscope reads text, numbers, booleans and lists of text",
                            quote(column)
                        ),
                    ));
                }
                Err(Fault::NotUtf8) => {
                    fault.get_or_insert(format!("column {} is not valid UTF-8 text", quote(column)));
                }
            }
        }
        match fault {
            Some(message) => problems.push(Problem::at(file, Some(row_number), message)),
            None => visit(&headers, CsvRow { line: row_number, fields }),
        }
    }
    if row_number == 0 {
        return Err(ImportError::file(file, "has columns but no rows"));
    }
    Ok((headers, problems))
}

enum Fault {
    Nested,
    NotUtf8,
}

/// One value as the text a CSV cell would hold.
fn cell(field: &Field) -> Result<String, Fault> {
    Ok(match field {
        Field::Null => String::new(),
        Field::Str(s) => s.clone(),
        Field::Bytes(b) => b.as_utf8().map_err(|_| Fault::NotUtf8)?.to_owned(),
        // Shortest text that reads back to the same number (an f32 as an f32, so 0.9 stays 0.9).
        Field::Float(v) => v.to_string(),
        Field::Double(v) => v.to_string(),
        Field::ListInternal(list) => {
            let mut items = Vec::new();
            for element in list.elements() {
                match element {
                    Field::Group(_) | Field::ListInternal(_) | Field::MapInternal(_) => return Err(Fault::Nested),
                    element => items.push(cell(element)?),
                }
            }
            items.retain(|s| !s.is_empty());
            items.join(";")
        }
        Field::Group(_) | Field::MapInternal(_) => return Err(Fault::Nested),
        // Booleans, integers, decimals, dates and times as Parquet's own text of them.
        other => other.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use parquet::basic::{Compression, ZstdLevel};
    use parquet::data_type::{ByteArray, ByteArrayType, FloatType, Int32Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;

    use super::*;

    /// A file as pandas and polars write them: dictionary pages, compressed, float32 and int32
    /// columns with nulls, tags as a list.
    fn write(path: &Path, compression: Compression) {
        let schema = "message t { required binary Pair_ID (STRING); optional float score; optional int32 n; \
                      required group tags (LIST) { repeated group list { required binary element (STRING); } } }";
        let properties = WriterProperties::builder().set_compression(compression).set_dictionary_enabled(true).build();
        let file = std::fs::File::create(path).unwrap();
        let schema = Arc::new(parse_message_type(schema).unwrap());
        let mut writer = SerializedFileWriter::new(file, schema, Arc::new(properties)).unwrap();
        let mut group = writer.next_row_group().unwrap();
        let mut column = group.next_column().unwrap().unwrap();
        let ids: Vec<ByteArray> = ["p1", "p2", "p1"].map(ByteArray::from).to_vec();
        column.typed::<ByteArrayType>().write_batch(&ids, None, None).unwrap();
        column.close().unwrap();
        let mut column = group.next_column().unwrap().unwrap();
        column.typed::<FloatType>().write_batch(&[0.9, 0.25], Some(&[1, 0, 1]), None).unwrap();
        column.close().unwrap();
        let mut column = group.next_column().unwrap().unwrap();
        column.typed::<Int32Type>().write_batch(&[-3], Some(&[0, 1, 0]), None).unwrap();
        column.close().unwrap();
        let mut column = group.next_column().unwrap().unwrap();
        let tags: Vec<ByteArray> = ["dark", "blurry", "dark"].map(ByteArray::from).to_vec();
        column.typed::<ByteArrayType>().write_batch(&tags, Some(&[1, 1, 0, 1]), Some(&[0, 1, 0, 0])).unwrap();
        column.close().unwrap();
        group.close().unwrap();
        writer.close().unwrap();
    }

    #[test]
    fn compressed_dictionary_files_read_as_text_cells() {
        let dir = tempfile::tempdir().unwrap();
        for compression in [Compression::SNAPPY, Compression::ZSTD(ZstdLevel::default())] {
            let path = dir.path().join("t.parquet");
            write(&path, compression);
            let mut rows = Vec::new();
            let (headers, problems) = for_each_row(&path, &["pair_id"], |_, row| rows.push(row)).unwrap();
            assert!(problems.is_empty());
            assert_eq!(headers, ["pair_id", "score", "n", "tags"], "names lower-cased as a CSV header's");
            let cells: Vec<(u64, Vec<String>)> = rows.into_iter().map(|r| (r.line, r.fields)).collect();
            let expected = [["p1", "0.9", "", "dark;blurry"], ["p2", "", "-3", ""], ["p1", "0.25", "", "dark"]];
            for (i, (line, fields)) in cells.iter().enumerate() {
                assert_eq!(
                    (*line, fields.clone()),
                    (i as u64 + 1, expected[i].map(String::from).to_vec()),
                    "{compression:?}"
                );
            }
        }
    }

    #[test]
    fn a_file_with_no_rows_or_no_footer_is_a_file_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        std::fs::write(&path, b"PAR1 not really").unwrap();
        let err = for_each_row(&path, &[], |_, _| {}).err().unwrap();
        assert!(err.to_string().contains("t.parquet: not a Parquet file pairscope can read"), "{err}");
    }
}
