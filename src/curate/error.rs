use std::path::PathBuf;

use crate::store::StoreError;

/// What can go wrong while curating, phrased for the person who asked for it.
#[derive(Debug, thiserror::Error)]
pub enum CurateError {
    /// A file or folder that cannot be used as asked.
    #[error("{}: {message}", path.display())]
    Path { path: PathBuf, message: String },
    /// A request that does not make sense (bad ratios, unknown tag or model, empty selection).
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The user stopped it; nothing was kept.
    #[error("cancelled; nothing was written")]
    Cancelled,
}

impl CurateError {
    pub(crate) fn path(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        CurateError::Path { path: path.into(), message: message.into() }
    }
}
