use std::path::PathBuf;

/// Everything a view can ask for. Views push commands; the app applies them after the frame
/// is drawn, so no view mutates shared state while others are still reading it.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    OpenProject(PathBuf),
    CreateProject(PathBuf),
    CloseProject,
    /// Reload everything shown about the open project from disk.
    Refresh,
    DismissError,
}
