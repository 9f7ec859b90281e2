//! The analysis follows the project without reading it again where it can. A verdict or tag
//! given in this window updates the prepared analysis in place (`ui/analysis/label_edits.rs`);
//! a tab switch reads nothing. Changes edits in place do not cover (another process's
//! commits, tags, adjudications, scores, splits) read the analysis again, once: at once when
//! an analysis screen shows, else when one opens.

use crate::store::LabelerId;
use crate::ui::analysis::data::AnalysisData;
use crate::ui::analysis::label_edits::{LabelChange, NeedsReload};
use crate::ui::app::PairscopeApp;
use crate::ui::app::save_queue::Edit;
use crate::ui::app::screens::Screen;
use crate::ui::review::labeling::LabelEdit;

impl PairscopeApp {
    /// Shows a label edit (already in the review labels) in the analysis at once. While a
    /// reload is on its way the edit is also kept for it, as the read may have missed it.
    pub(in crate::ui) fn show_in_analysis(&mut self, edit: &LabelEdit, blind: bool) {
        if let Some(data) = &mut self.analysis
            && let Err(NeedsReload(why)) = apply(data, edit, blind)
        {
            // A labeler or tag added since the last read (once per new labeler or tag).
            tracing::info!(why, "the analysis is read again");
            self.analysis_outdated();
        }
        if self.ui.analysis.loading {
            self.analysis_edits.push((edit.clone(), blind));
        }
    }

    /// The project changed in a way label edits in place do not cover.
    pub(in crate::ui) fn analysis_outdated(&mut self) {
        if self.ui.screen == Screen::Review {
            self.analysis_stale = true;
        } else {
            self.load_analysis();
        }
    }

    /// Labeling starts as `labeler`: one the analysis has not read (just created) makes it
    /// outdated, so that it is read before this labeler's edits can be shown in place.
    pub(in crate::ui) fn labeler_for_analysis(&mut self, labeler: LabelerId) {
        if !self.analysis.as_ref().is_some_and(|a| a.labeler_ids.contains(&labeler)) {
            self.analysis_outdated();
        }
    }

    /// An analysis screen (or Curate) opens: the analysis is read only if it is outdated.
    pub(in crate::ui) fn analysis_for_screen(&mut self) {
        if self.analysis_stale || (self.analysis.is_none() && !self.ui.analysis.loading) {
            self.load_analysis();
        }
    }

    /// A reread analysis arrived: the label edits made since it was asked for, and those not
    /// committed yet, are applied to it (each sets a label outright, so applying one the read
    /// already saw changes nothing).
    pub(in crate::ui) fn catch_up(&mut self, data: &mut AnalysisData) {
        let pending = match &self.project {
            Some(project) => self.saves.pending_for(&project.store),
            None => Vec::new(),
        };
        let uncommitted = pending.into_iter().filter_map(|edit| match edit {
            Edit::Label { edit, blind, .. } => Some((edit, blind)),
            _ => None,
        });
        let since: Vec<(LabelEdit, bool)> = std::mem::take(&mut self.analysis_edits);
        for (edit, blind) in uncommitted.chain(since) {
            if let Err(NeedsReload(why)) = apply(data, &edit, blind) {
                // Not in what was read (a labeler or tag gone since): read again on the next
                // screen change rather than loop.
                tracing::warn!(why, "an edit could not be shown in the analysis");
                self.analysis_stale = true;
            }
        }
    }
}

fn apply(data: &mut AnalysisData, edit: &LabelEdit, blind: bool) -> Result<(), NeedsReload> {
    match *edit {
        LabelEdit::Verdict { pair, labeler, after, .. } => {
            data.apply_label(pair, labeler, LabelChange::Verdict(after), blind)
        }
        LabelEdit::Tag { pair, labeler, tag, applied } => {
            data.apply_label(pair, labeler, LabelChange::Tag { tag, applied }, blind)
        }
    }
}
