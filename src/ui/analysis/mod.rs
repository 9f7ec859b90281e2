//! The analysis screens: the model, agreement, error analysis with its error browser and
//! suggested tags. Views draw what they borrow and answer with `AnalysisCommand`s; they know
//! nothing of the app.

pub(in crate::ui) mod agreement_screen;
pub(in crate::ui) mod all_vs_all_view;
pub(in crate::ui) mod calibration_view;
pub(in crate::ui) mod command;
pub(in crate::ui) mod data;
pub(in crate::ui) mod edc_view;
pub(in crate::ui) mod error_analysis;
pub(in crate::ui) mod error_browser;
pub(in crate::ui) mod fpr_claims;
pub(in crate::ui) mod header;
pub(in crate::ui) mod label_edits;
pub(in crate::ui) mod labeler_quality;
pub(in crate::ui) mod model_picker;
pub(in crate::ui) mod model_screen;
pub(in crate::ui) mod runs;
pub(in crate::ui) mod selection;
pub(in crate::ui) mod slice_table;
pub(in crate::ui) mod split_choice;
pub(in crate::ui) mod split_table;
pub(in crate::ui) mod suggestion_rows;
pub(in crate::ui) mod suggestions;
pub(in crate::ui) mod tables;
pub(in crate::ui) mod thumbnail;
pub(in crate::ui) mod view_state;

use crate::store::LabelerId;
use crate::ui::review::labeling::Labeling;
use crate::ui::widgets::image_cache::ImageCache;

/// What an analysis screen draws besides its own view state, borrowed from the app for one
/// frame.
pub(in crate::ui) struct AnalysisView<'a> {
    pub data: &'a data::AnalysisData,
    pub selection: &'a selection::AnalysisSelection,
    /// Slices with fewer evaluable pairs are listed below the ranked ones.
    pub min_support: u64,
    /// The labels of the open project: pair names, photos, my own tags.
    pub labeling: Option<&'a Labeling>,
    /// The labeler at work (suggestions are accepted in their name).
    pub me: Option<LabelerId>,
    pub images: &'a mut ImageCache,
    /// The last label-quality computation, and whether a newer one is running.
    pub quality: (Option<&'a crate::curate::quality::ProjectQuality>, bool),
}
