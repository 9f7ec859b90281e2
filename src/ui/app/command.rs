use std::path::PathBuf;

use crate::face::EmbedderSpec;
use crate::store::{PairId, TagId};
use crate::ui::app::screens::Screen;
use crate::ui::curate::state::CurateCommand;
use crate::ui::review::command::ReviewCommand;

/// Everything a view can ask for. Views push commands; the app applies them after the frame
/// is drawn, so no view mutates shared state while others are still reading it.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    OpenProject(PathBuf),
    CreateProject(PathBuf),
    /// Ask for a project file to open (or a new one to create) in a file dialog.
    BrowseProject {
        create: bool,
    },
    /// Open the demo project, creating it first if this is the first run.
    OpenDemo,
    CloseProject,
    /// Reload everything shown about the open project from disk.
    Refresh,
    DismissError,
    /// Switch the central view (review, model, agreement, error analysis).
    ShowScreen(Screen),
    /// Move the threshold by this many steps of a thousandth of the score range.
    NudgeThreshold(i32),
    /// Re-read and re-prepare the analysis of the open project (on the I/O thread).
    LoadAnalysis,
    /// Analyse the scores of this model.
    ChooseModel(String),
    /// Open this pair in review (in the queue on screen if it holds the pair, else all pairs).
    OpenInReview(PairId),
    /// Open this error of a slice in review, in a queue of the slice's errors (in the error
    /// browser's order), so that "next" is the next error.
    OpenErrorInReview {
        /// The slice as a reader names it ("tag dark").
        slice: String,
        errors: Vec<PairId>,
        pair: PairId,
    },
    /// Store a run (model, threshold, every metric) under this name.
    SaveRun(String),
    /// Write this CSV text to a file the user picks.
    ExportCsv {
        suggested_name: String,
        csv: String,
    },
    /// Write this CSV text to this file (the answer to `ExportCsv`'s dialog).
    WriteCsv {
        path: PathBuf,
        csv: String,
    },
    /// Save the part of the window showing a plot as a PNG file the user picks.
    SavePlotPng {
        suggested_name: String,
        rect: egui::Rect,
    },
    /// Score every pair with the built-in face model (on a thread of its own).
    ScoreProject,
    CancelScoring,
    /// Pick an `.onnx` embedder in a file dialog, then describe its input.
    BrowseEmbedder,
    /// Describe this `.onnx` embedder's input (the spec dialog) before scoring with it.
    SetUpEmbedder(PathBuf),
    /// Score every pair with the user's ONNX embedder, its scores stored as model `name`.
    ScoreWithModel {
        name: String,
        path: PathBuf,
        spec: EmbedderSpec,
    },
    /// Apply (or take back) a tag as the current labeler on many pairs: accepted suggestions.
    ApplyTag {
        pairs: Vec<PairId>,
        tag: TagId,
    },
    /// Stop suggesting this tag (by name) for these pairs: suggestions the user rejected.
    RejectSuggestion {
        pairs: Vec<PairId>,
        tag: String,
    },
    /// Splits, exports, merges (the Curate screen).
    Curate(CurateCommand),
    /// Labeling: the labeler, blind mode, verdicts, tags, notes, queues, adjudication.
    Review(ReviewCommand),
}

impl From<CurateCommand> for Command {
    fn from(command: CurateCommand) -> Self {
        Command::Curate(command)
    }
}

impl From<ReviewCommand> for Command {
    fn from(command: ReviewCommand) -> Self {
        Command::Review(command)
    }
}
