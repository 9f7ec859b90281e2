//! How an import reports its progress and learns that it should stop. The app's Import window
//! shows the one and offers the other; the CLI passes [`ImportControl::none`].
//!
//! Cancel is honoured up to the write: an import hashes its images first (the long part), then
//! writes everything in one transaction, so a cancelled import has written nothing.

use std::sync::atomic::{AtomicBool, Ordering};

use super::ImportError;

/// Where an import is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportProgress {
    pub stage: ImportStage,
    /// Items of this stage done, of `total` (0 when the stage has no count).
    pub done: u64,
    pub total: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportStage {
    /// Hashing and probing the image files the project does not know yet.
    HashingImages,
    /// Writing everything, in one transaction.
    Writing,
}

impl ImportStage {
    pub fn describe(self) -> &'static str {
        match self {
            ImportStage::HashingImages => "Hashing images",
            ImportStage::Writing => "Writing to the project",
        }
    }
}

/// Progress and Cancel for one import.
#[derive(Clone, Copy, Default)]
pub struct ImportControl<'a> {
    cancel: Option<&'a AtomicBool>,
    progress: Option<&'a (dyn Fn(ImportProgress) + Sync)>,
}

impl<'a> ImportControl<'a> {
    /// No progress shown, no way to stop (the CLI: Ctrl-C ends the process before the write).
    pub fn none() -> Self {
        ImportControl::default()
    }

    pub fn new(cancel: &'a AtomicBool, progress: &'a (dyn Fn(ImportProgress) + Sync)) -> Self {
        ImportControl { cancel: Some(cancel), progress: Some(progress) }
    }

    pub(crate) fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// Err once Cancel was asked for: called before each stage and before the write.
    pub(crate) fn check(&self) -> Result<(), ImportError> {
        if self.cancelled() { Err(ImportError::Cancelled) } else { Ok(()) }
    }

    pub(crate) fn report(&self, stage: ImportStage, done: u64, total: u64) {
        if let Some(progress) = self.progress {
            progress(ImportProgress { stage, done, total });
        }
    }
}
