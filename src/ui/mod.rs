//! The eframe app. One file per view. `app.rs` holds the state and draws the frame;
//! `command_handling.rs` applies the commands the views emit, at the end of the frame;
//! `background.rs` runs disk work off the UI thread, so that no frame ever waits on it, and
//! `background_results.rs` takes in what it finished.

mod analysis;
mod app;
mod curate;
mod import;
mod jobs;
mod monitor;
mod review;
mod widgets;
mod window_icon;

use std::path::PathBuf;

pub use analysis::command::AnalysisCommand;
pub use analysis::selection::{AnalysisSelection, SelectionChange};
pub use analysis::suggestions::ListedPhoto;
pub use analysis::tables::Computations;
pub use app::command::Command;
pub use app::file_dialogs::{FileDialogs, PathRequest, SystemDialogs};
pub use app::screens::Screen;
pub use app::{PageTurn, PairscopeApp, State};
pub use curate::state::CurateCommand;
pub use review::command::{Nav, ReviewCommand};
pub use review::labeling::{LabelEdit, QueueKind};

/// Opens the main window; `project` (if any) is opened on start, else the last project. With
/// `labeler`, the app opens straight into review as that labeler (created if new).
pub fn run(project: Option<PathBuf>, labeler: Option<String>) -> anyhow::Result<()> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("pairscope")
        // The desktop entry's name (assets/pairscope.desktop), so a desktop groups the window
        // under the installed launcher and its icon.
        .with_app_id("pairscope")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([720.0, 480.0])
        .with_drag_and_drop(true);
    if let Some(icon) = window_icon::window_icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions { viewport, ..Default::default() };
    eframe::run_native(
        "pairscope",
        options,
        Box::new(move |cc| Ok(Box::new(PairscopeApp::new(cc, project).labeling_as(labeler)))),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}
