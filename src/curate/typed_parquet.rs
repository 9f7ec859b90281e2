//! Flat typed tables as Parquet files (one row group, snappy), through the `parquet` crate's
//! column writer: the export's `pairs.parquet` and `labels.parquet` and the report's tables.
//! pandas, polars, DuckDB and Hugging Face datasets read them with their types.

use std::sync::Arc;

use ::parquet::basic::Compression;
use ::parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use ::parquet::errors::ParquetError;
use ::parquet::file::properties::WriterProperties;
use ::parquet::file::writer::SerializedFileWriter;
use ::parquet::schema::parser::parse_message_type;

/// One column's values, one entry per row.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TypedColumn {
    /// Required UTF-8 strings.
    Strings(Vec<String>),
    /// UTF-8 strings, null where `None`.
    OptionalStrings(Vec<Option<String>>),
    /// INT64, null where `None`.
    OptionalInts(Vec<Option<i64>>),
    /// DOUBLE, null where `None`.
    OptionalDoubles(Vec<Option<f64>>),
    /// Required booleans.
    Bools(Vec<bool>),
    /// BOOLEAN, null where `None`.
    OptionalBools(Vec<Option<bool>>),
    /// A required LIST of required UTF-8 strings (empty lists allowed).
    StringLists(Vec<Vec<String>>),
}

impl TypedColumn {
    fn rows(&self) -> usize {
        match self {
            TypedColumn::Strings(v) => v.len(),
            TypedColumn::OptionalStrings(v) => v.len(),
            TypedColumn::OptionalInts(v) => v.len(),
            TypedColumn::OptionalDoubles(v) => v.len(),
            TypedColumn::Bools(v) => v.len(),
            TypedColumn::OptionalBools(v) => v.len(),
            TypedColumn::StringLists(v) => v.len(),
        }
    }

    /// The column's line in the Parquet schema.
    fn schema(&self, name: &str) -> String {
        match self {
            TypedColumn::Strings(_) => format!("required binary {name} (STRING);"),
            TypedColumn::OptionalStrings(_) => format!("optional binary {name} (STRING);"),
            TypedColumn::OptionalInts(_) => format!("optional int64 {name};"),
            TypedColumn::OptionalDoubles(_) => format!("optional double {name};"),
            TypedColumn::Bools(_) => format!("required boolean {name};"),
            TypedColumn::OptionalBools(_) => format!("optional boolean {name};"),
            TypedColumn::StringLists(_) => {
                format!(
                    "required group {name} (LIST) {{ repeated group list {{ required binary element (STRING); }} }}"
                )
            }
        }
    }
}

/// The present values of an optional column and its definition levels (1 present, 0 null).
fn present<T: Clone>(values: &[Option<T>]) -> (Vec<T>, Vec<i16>) {
    let levels = values.iter().map(|v| i16::from(v.is_some())).collect();
    (values.iter().flatten().cloned().collect(), levels)
}

fn bytes<'a>(values: impl IntoIterator<Item = &'a String>) -> Vec<ByteArray> {
    values.into_iter().map(|s| ByteArray::from(s.as_str())).collect()
}

/// The table as the bytes of a Parquet file. Column names are ours (plain identifiers); every
/// column must have the same number of rows.
pub(crate) fn parquet_bytes(columns: &[(&str, TypedColumn)]) -> Result<Vec<u8>, String> {
    let rows = columns.first().map_or(0, |(_, c)| c.rows());
    if let Some((name, _)) = columns.iter().find(|(_, c)| c.rows() != rows) {
        return Err(format!("column {name} has a different number of rows"));
    }
    write(columns).map_err(|e| format!("writing Parquet: {e}"))
}

fn write(columns: &[(&str, TypedColumn)]) -> Result<Vec<u8>, ParquetError> {
    let fields: String = columns.iter().map(|(name, c)| c.schema(name)).collect::<Vec<_>>().join(" ");
    let schema = Arc::new(parse_message_type(&format!("message table {{ {fields} }}"))?);
    // No clock time and no version in the file: the same table gives the same bytes.
    let properties =
        WriterProperties::builder().set_compression(Compression::SNAPPY).set_created_by("pairscope".into()).build();
    let mut writer = SerializedFileWriter::new(Vec::new(), schema, Arc::new(properties))?;
    let mut group = writer.next_row_group()?;
    for (_, column) in columns {
        let mut out = group.next_column()?.ok_or_else(|| ParquetError::General("a column too few".into()))?;
        match column {
            TypedColumn::Strings(v) => {
                out.typed::<ByteArrayType>().write_batch(&bytes(v), None, None)?;
            }
            TypedColumn::OptionalStrings(v) => {
                let (values, levels) = present(v);
                out.typed::<ByteArrayType>().write_batch(&bytes(&values), Some(&levels), None)?;
            }
            TypedColumn::OptionalInts(v) => {
                let (values, levels) = present(v);
                out.typed::<Int64Type>().write_batch(&values, Some(&levels), None)?;
            }
            TypedColumn::OptionalDoubles(v) => {
                let (values, levels) = present(v);
                out.typed::<DoubleType>().write_batch(&values, Some(&levels), None)?;
            }
            TypedColumn::Bools(v) => {
                out.typed::<BoolType>().write_batch(v, None, None)?;
            }
            TypedColumn::OptionalBools(v) => {
                let (values, levels) = present(v);
                out.typed::<BoolType>().write_batch(&values, Some(&levels), None)?;
            }
            TypedColumn::StringLists(lists) => {
                // An empty list: one level pair (0, 0) and no value; each element: definition
                // 1, repetition 0 for a list's first element and 1 for the rest.
                let (mut definition, mut repetition) = (Vec::new(), Vec::new());
                for list in lists {
                    if list.is_empty() {
                        definition.push(0);
                        repetition.push(0);
                    }
                    for i in 0..list.len() {
                        definition.push(1);
                        repetition.push(i16::from(i > 0));
                    }
                }
                let values = bytes(lists.iter().flatten());
                out.typed::<ByteArrayType>().write_batch(&values, Some(&definition), Some(&repetition))?;
            }
        }
        out.close()?;
    }
    group.close()?;
    writer.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::parquet::file::reader::{FileReader, SerializedFileReader};
    use ::parquet::record::Field;

    #[test]
    fn every_column_kind_reads_back_with_its_nulls_and_lists() {
        let table = [
            ("id", TypedColumn::Strings(vec!["a".into(), "b".into()])),
            ("truth", TypedColumn::OptionalStrings(vec![Some("same".into()), None])),
            ("n", TypedColumn::OptionalInts(vec![None, Some(-7)])),
            ("score", TypedColumn::OptionalDoubles(vec![Some(0.25), None])),
            ("blind", TypedColumn::Bools(vec![true, false])),
            ("largest", TypedColumn::OptionalBools(vec![None, Some(true)])),
            ("tags", TypedColumn::StringLists(vec![vec![], vec!["dark".into(), "blurry".into()]])),
        ];
        let bytes = parquet_bytes(&table).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.parquet"), bytes).unwrap();
        let reader = SerializedFileReader::new(std::fs::File::open(dir.path().join("t.parquet")).unwrap()).unwrap();
        let rows: Vec<Vec<String>> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|row| row.unwrap().get_column_iter().map(|(_, f)| f.to_string()).collect())
            .collect();
        assert_eq!(rows[0], ["\"a\"", "\"same\"", "null", "0.25", "true", "null", "[]"]);
        assert_eq!(rows[1], ["\"b\"", "null", "-7", "null", "false", "true", "[\"dark\", \"blurry\"]"]);
        let second = reader.get_row_iter(None).unwrap().nth(1).unwrap().unwrap();
        assert!(matches!(second.get_column_iter().nth(2).unwrap().1, Field::Long(-7)));
    }

    #[test]
    fn columns_of_different_lengths_are_refused() {
        let table = [("a", TypedColumn::Bools(vec![true])), ("b", TypedColumn::Bools(vec![]))];
        assert!(parquet_bytes(&table).unwrap_err().contains("column b"));
    }
}
