use std::path::{Path, PathBuf};

/// Everything that can go wrong with a project file, phrased for the person who owns it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}: no such project file")]
    NotFound(PathBuf),
    #[error("{0}: already exists; refusing to overwrite it")]
    AlreadyExists(PathBuf),
    #[error(
        "{path}: written by a newer pairscope (schema version {found}; this build knows up to \
         {known}). Upgrade pairscope to open it; the file was not modified"
    )]
    TooNew { path: PathBuf, found: i64, known: i64 },
    #[error("{path}: not a pairscope project ({why}); the file was not modified")]
    NotAProject { path: PathBuf, why: String },
    #[error("{path}: integrity check failed: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error("{path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("{0}")]
    Sql(#[from] rusqlite::Error),
    #[error("{0}")]
    Invalid(String),
}

impl StoreError {
    pub(crate) fn at(path: &Path, source: rusqlite::Error) -> Self {
        StoreError::Sqlite { path: path.to_owned(), source }
    }
}
