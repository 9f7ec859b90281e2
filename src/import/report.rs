use std::fmt;
use std::path::PathBuf;

/// One bad or skipped input row, located precisely enough to fix it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub file: PathBuf,
    /// 1-based line in the file (row in a Parquet file), when the problem belongs to one.
    pub line: Option<u64>,
    pub message: String,
}

impl Problem {
    pub fn at(file: &std::path::Path, line: Option<u64>, message: impl Into<String>) -> Self {
        Problem { file: file.to_owned(), line, message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(row) if self.file.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet")) => {
                write!(f, "{}: row {}: {}", self.file.display(), row, self.message)
            }
            Some(line) => write!(f, "{}:{}: {}", self.file.display(), line, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// What an import did. Counts are of the importer's own rows: pairs, labels or scores.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct ImportReport {
    /// "pairs", "labels" or "scores".
    pub rows_are: &'static str,
    pub added: u64,
    /// Already in the project exactly as the file says.
    pub unchanged: u64,
    /// Changed by this import (e.g. a corrected score), counted so nothing changes silently.
    pub updated: u64,
    pub images_added: u64,
    /// Images that got an identity (who is in the photo) from this import.
    pub identities_set: u64,
    /// Labelers, tags or models that the import created.
    pub created: Vec<String>,
    /// Rows not imported, with the reason for each.
    pub skipped: Vec<Problem>,
}

impl ImportReport {
    pub(crate) fn new(rows_are: &'static str) -> Self {
        ImportReport { rows_are, ..Default::default() }
    }

    /// A human summary: the counts, then at most `max_problems` skipped rows.
    pub fn summary(&self, max_problems: usize) -> String {
        let mut out = format!("imported {} {}", self.added, self.rows_are);
        if self.unchanged > 0 {
            out += &format!(", {} already present", self.unchanged);
        }
        if self.updated > 0 {
            out += &format!(", {} updated", self.updated);
        }
        if self.images_added > 0 {
            out += &format!(", {} new images", self.images_added);
        }
        if self.identities_set > 0 {
            out += &format!(", {} identities set", self.identities_set);
        }
        if !self.skipped.is_empty() {
            out += &format!(", {} skipped", self.skipped.len());
        }
        for created in &self.created {
            out += &format!("\ncreated {created}");
        }
        if !self.skipped.is_empty() {
            out += "\nskipped:";
            for problem in self.skipped.iter().take(max_problems) {
                out += &format!("\n  {problem}");
            }
            if self.skipped.len() > max_problems {
                out += &format!("\n  … and {} more (--verbose lists them all)", self.skipped.len() - max_problems);
            }
        }
        out
    }
}
