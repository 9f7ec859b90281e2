//! What the analysis screens ask of the app (applied at the end of the frame, in
//! `app/handle_analysis.rs`).

use std::path::PathBuf;

use crate::analysis::SliceKey;
use crate::face::EmbedderSpec;
use crate::store::{PairId, TagId};
use crate::ui::analysis::selection::SelectionChange;

#[derive(Clone, Debug, PartialEq)]
pub enum AnalysisCommand {
    /// Change the model, the threshold or its rule: the one way the selection changes.
    Select(SelectionChange),
    /// Re-read and re-prepare the analysis of the open project (on the I/O thread).
    Load,
    /// Rank only slices with at least this many evaluable pairs (the rest are listed below,
    /// "too few pairs to rank").
    SetMinSupport(u64),
    /// Browse this slice's errors (None: back to the tables).
    Browse(Option<SliceKey>),
    /// Switch to Curate with the Augment panel open on this tag's pairs and its proposed recipe.
    AugmentTag(String),
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
    /// Apply a tag as the current labeler on many pairs (the error browser's menu).
    ApplyTag {
        pairs: Vec<PairId>,
        tag: TagId,
    },
    /// Accept suggested tags: applied as the labeler at work, and off the list at once.
    AcceptSuggestion {
        pairs: Vec<PairId>,
        tag: TagId,
        /// The suggestion's name (lower case), as rejected suggestions are stored.
        name: String,
    },
    /// Stop suggesting this tag (by name) for these pairs: suggestions the user rejected.
    RejectSuggestion {
        pairs: Vec<PairId>,
        tag: String,
    },
}
