//! A table file of the importers, CSV or Parquet by its extension (`.parquet`), as the same
//! rows of text cells, so that every importer validates both the same way.

use std::path::Path;

use super::csv_table::{CsvRow, CsvTable};
use super::{ImportError, Problem, csv_table, parquet_table};

fn is_parquet(file: &Path) -> bool {
    file.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// Every row of a CSV or Parquet file, read by [`for_each_row`].
pub(crate) fn read_table(file: &Path, required: &[&str]) -> Result<(CsvTable, Vec<Problem>), ImportError> {
    let mut rows = Vec::new();
    let (headers, problems) = for_each_row(file, required, |_, row| rows.push(row))?;
    Ok((CsvTable { headers, rows }, problems))
}

/// [`csv_table::for_each_row`] or its Parquet twin.
pub(crate) fn for_each_row(
    file: &Path,
    required: &[&str],
    visit: impl FnMut(&[String], CsvRow),
) -> Result<(Vec<String>, Vec<Problem>), ImportError> {
    if is_parquet(file) {
        parquet_table::for_each_row(file, required, visit)
    } else {
        csv_table::for_each_row(file, required, visit)
    }
}
