//! The eframe app. One file per view. `app.rs` holds the state and draws the frame;
//! `command_handling.rs` applies the commands the views emit, at the end of the frame;
//! `background.rs` runs disk work off the UI thread, so that no frame ever waits on it, and
//! `background_results.rs` takes in what it finished.

mod access;
mod adjudication;
mod agreement_screen;
mod analysis_data;
mod app;
mod background;
mod background_results;
mod blind_review;
mod cheat_sheet;
mod command;
mod command_handling;
mod curate;
mod curate_handling;
mod curate_screen;
mod error_analysis;
mod error_browser;
mod export_job;
mod export_panel;
mod file_dialogs;
mod image_cache;
mod labeler_picker;
mod labeling;
mod merge_panel;
mod model_picker;
mod model_screen;
mod note_editor;
mod outside_changes;
mod overview;
mod plots;
mod queue_order;
mod queues;
mod review;
mod review_keys;
mod runs;
mod save_queue;
mod scoring_job;
mod screen_keys;
mod screens;
mod session;
mod slice_table;
mod split_panel;
mod suggestions;
mod tag_editor;
mod top_bar;
mod welcome;

use std::path::PathBuf;

pub use app::{PageTurn, PairscopeApp, State};
pub use command::{Command, Nav};
pub use curate::CurateCommand;
pub use file_dialogs::{FileDialogs, PathRequest, SystemDialogs};
pub use labeling::{LabelEdit, QueueKind};
pub use screens::Screen;

/// Opens the main window; `project` (if any) is opened on start, else the last project. With
/// `labeler`, the app opens straight into review as that labeler (created if new).
pub fn run(project: Option<PathBuf>, labeler: Option<String>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("pairscope")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([720.0, 480.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "pairscope",
        options,
        Box::new(move |cc| Ok(Box::new(PairscopeApp::new(cc, project).labeling_as(labeler)))),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}
