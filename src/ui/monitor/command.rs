use std::path::PathBuf;

use crate::domain::Split;

/// What the Monitor window asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum MonitorCommand {
    /// Open the window (false: close it, cancelling a run).
    Show(bool),
    /// Ask for the folder of new photos in a file dialog.
    Browse,
    /// The folder picked in that dialog.
    Picked(PathBuf),
    /// Compare with all the project's photos (None) or one split's.
    Baseline(Option<Split>),
    Run,
    Cancel,
}
