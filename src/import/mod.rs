//! Importers: LFW `pairs.txt`, pairs/labels/scores CSV or Parquet, identities CSV, and
//! identity folders.
//!
//! Every importer works the same way: parse the whole input first, collecting a [`Problem`]
//! (file, line, what is wrong) for every bad row; then either refuse the whole import with the
//! list of problems, or, with `skip_bad`, write the good rows in ONE transaction and report
//! every skipped row. Importing the same file twice adds nothing the second time.

mod control;
mod csv_table;
mod folders;
mod identities_csv;
mod image_files;
pub(crate) use folders::has_image_extension;
pub(crate) use image_files::probe_all;
mod image_identity;
mod labels_csv;
mod lfw;
mod pair_upsert;
mod pairs_csv;
mod parquet_table;
mod preview;
mod report;
mod request;
mod scores_csv;
mod table;

use std::path::{Path, PathBuf};

pub use control::{ImportControl, ImportProgress, ImportStage};
pub use folders::{FolderOptions, import_folders, import_folders_watched};
pub use identities_csv::{IdentityReport, import_identities};
pub use labels_csv::import_labels;
pub use lfw::{import_lfw, import_lfw_watched};
pub use pairs_csv::{import_pairs, import_pairs_watched};
pub use preview::{ColumnRole, ImportPreview, PreviewColumn, preview};
pub use report::{ImportReport, Problem};
pub use request::{ImagesFolder, ImportKind, ImportOutcome, ImportRequest, run_import};
pub use scores_csv::import_scores;

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input as a whole cannot be used (unreadable, empty, missing columns).
    #[error("{}: {message}", file.display())]
    File { file: PathBuf, message: String },
    /// Some rows are bad and `skip_bad` was not given: nothing was written.
    #[error(
        "{}: {} bad row{}; nothing was imported (fix them, or pass --skip-bad to import the good rows)",
        file.display(), problems.len(), if problems.len() == 1 { "" } else { "s" }
    )]
    Refused { file: PathBuf, problems: Vec<Problem> },
    /// Some rows are bad in an importer that is all or nothing: nothing was written.
    #[error(
        "{}: {} bad row{}; nothing was imported (fix them and import the file again)",
        file.display(), problems.len(), if problems.len() == 1 { "" } else { "s" }
    )]
    RefusedWhole { file: PathBuf, problems: Vec<Problem> },
    /// Cancel was pressed before the write: nothing was written.
    #[error("cancelled; nothing was imported")]
    Cancelled,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ImportError {
    pub(crate) fn file(file: &Path, message: impl Into<String>) -> Self {
        ImportError::File { file: file.to_owned(), message: message.into() }
    }

    /// The row-level problems behind a refusal (empty for other errors).
    pub fn problems(&self) -> &[Problem] {
        match self {
            ImportError::Refused { problems, .. } | ImportError::RefusedWhole { problems, .. } => problems,
            _ => &[],
        }
    }
}

/// Turns collected row problems into a refusal, unless the caller accepts skipping them.
fn refuse_unless_skipping(file: &Path, problems: &[Problem], skip_bad: bool) -> Result<(), ImportError> {
    if problems.is_empty() || skip_bad {
        Ok(())
    } else {
        let mut problems = problems.to_vec();
        problems.sort_by_key(|p| p.line);
        Err(ImportError::Refused { file: file.to_owned(), problems })
    }
}

/// Turns collected row problems into a refusal, for importers without `skip_bad`.
fn refuse_any(file: &Path, problems: &[Problem]) -> Result<(), ImportError> {
    refuse_unless_skipping(file, problems, false).map_err(|e| match e {
        ImportError::Refused { file, problems } => ImportError::RefusedWhole { file, problems },
        other => other,
    })
}

/// The display name of an input file, as recorded in the audit log's origin.
fn file_label(file: &Path) -> String {
    file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| file.display().to_string())
}

#[cfg(test)]
pub(crate) mod test_util {
    use crate::domain::Truth;
    use crate::store::{NewImage, NewPair, Store, StoreError};

    /// A project with pairs "p1" (same) and "p2" (different) over four fake images.
    pub fn store_with_two_pairs() -> (tempfile::TempDir, Store) {
        let (dir, mut store) = crate::store::test_util::temp_store();
        store
            .write(|tx| {
                let root = tx.image_root("/fake")?;
                let meta = serde_json::json!({});
                for (id, a, b, truth) in
                    [("p1", "a.jpg", "b.jpg", Truth::Same), ("p2", "c.jpg", "d.jpg", Truth::Different)]
                {
                    let image = |p| NewImage { root, path: p, sha256: p, bytes: 1, dimensions: None };
                    let (a, _) = tx.upsert_image(&image(a))?;
                    let (b, _) = tx.upsert_image(&image(b))?;
                    tx.insert_pair(&NewPair {
                        external_id: Some(id),
                        image_a: a,
                        image_b: b,
                        truth: Some(truth),
                        split: None,
                        source: "test",
                        metadata: &meta,
                    })?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        (dir, store)
    }

    pub fn write(dir: &tempfile::TempDir, name: &str, content: &[u8]) -> std::path::PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        path
    }
}
