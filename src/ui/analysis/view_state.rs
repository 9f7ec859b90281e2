//! The analysis screens' own state (lives as long as the window): sort orders, the browsed
//! slice, form fields, and what was computed for the selection and data on screen.

use std::collections::HashSet;

use crate::analysis::SliceKey;
use crate::store::PairId;
use crate::ui::analysis::slice_table::SortState;
use crate::ui::analysis::tables::{BrowserCache, Computations, SuggestionCache, TablesCache};

#[derive(Default)]
pub(in crate::ui) struct AnalysisUi {
    /// The FPR bound of the "custom" rule.
    pub custom_fpr: f64,
    pub tag_sort: SortState,
    pub metadata_sort: SortState,
    pub combo_sort: SortState,
    pub metadata_column: usize,
    /// The slice whose errors the error browser shows (changed by `AnalysisCommand::Browse`).
    pub browsing: Option<SliceKey>,
    /// Runs picked for comparison (ids).
    pub compare: [Option<i64>; 2],
    pub run_name: String,
    /// Suggestion thresholds: brightness below, sharpness below.
    pub dark_below: Option<f64>,
    pub blurry_below: Option<f64>,
    pub loading: bool,
    /// The Model screen's path field for another `.onnx` (for desktops without a file dialog).
    pub embedder_path: String,
    /// The Agreement screen leaves out labels given with the answer in view (not blind).
    pub blind_labels_only: bool,
    /// The tag (bit) whose disagreements the Agreement screen lists, picked in its α table.
    pub disagreements_on_tag: Option<usize>,
    /// Suggestions accepted or rejected in this window, off the list before the reload shows it.
    pub reviewed_suggestions: HashSet<(PairId, String)>,
    /// The error-analysis tables for the selection and data on screen.
    pub tables: TablesCache,
    /// The error browser's list for the slice, selection and data on screen.
    pub browser: BrowserCache,
    /// The suggestion lists (dark, blurry).
    pub suggestions: [SuggestionCache; 2],
    /// How many times a table or list was computed (tests check it stays put between changes).
    pub computations: Computations,
}
