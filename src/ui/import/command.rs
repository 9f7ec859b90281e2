use std::path::PathBuf;

use crate::import::ImportKind;

/// A path field of the Import window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportField {
    /// The file to import (the images folder itself for identity folders).
    Input,
    /// The folder the file's image paths are relative to.
    Images,
    /// Where the new project goes (importing with no project open).
    NewProject,
}

/// What the Import window asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportCommand {
    /// Open the window (None: close it).
    Show(bool),
    Kind(ImportKind),
    /// Ask for a path in a file dialog.
    Browse(ImportField),
    /// A path picked in a dialog.
    Picked(ImportField, PathBuf),
    Start,
    /// Import again, skipping the bad rows the last try listed.
    SkipBadRows,
    Cancel,
    /// Score the imported pairs with the built-in model (the Model screen's Score).
    ScoreWithBuiltinModel,
}
