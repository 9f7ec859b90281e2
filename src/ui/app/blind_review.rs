//! Blind review in the app: when the answer on a pair (truth, model score, others' work, file
//! names) becomes visible to the labeler, and whether a label they give is blind.
//!
//! The answer shows when the labeler leaves a pair they gave a verdict on (so coming back
//! shows it), when they press the reveal key, or at once with blind mode off. Each reveal is
//! saved (`reveals` and the audit log); a label given after it is saved as not blind.

use crate::store::{LabelerId, PairId, RevealHow};
use crate::ui::app::PairscopeApp;
use crate::ui::app::save_queue::Edit;
use crate::ui::app::screens::Screen;

impl PairscopeApp {
    /// Shows the answer on `pair` to the labeler at work, and saves that it was shown.
    pub(in crate::ui) fn reveal(&mut self, pair: PairId, how: RevealHow) {
        let Some(project) = &mut self.project else { return };
        let Some(me) = project.session.as_ref().map(|s| s.me.id) else { return };
        if !project.labeling.note_reveal(pair, me, how) {
            return;
        }
        // Saved in order with the labels (a label after it is not blind), and shown again after
        // a read that started before it was written.
        self.queue_save(Edit::Reveal { pair, labeler: me, how });
    }

    /// The labeler left `pair` (turned the page, changed queue or labeler): a pair with their
    /// verdict is done, its answer shows from now on.
    pub(in crate::ui) fn left_pair(&mut self, pair: Option<PairId>) {
        let Some(pair) = pair else { return };
        let Some(project) = &self.project else { return };
        let Some(me) = project.session.as_ref().map(|s| s.me.id) else { return };
        if project.labeling.verdict(pair, me).is_some() {
            self.reveal(pair, RevealHow::Left);
        }
    }

    /// Whether a label the labeler gives on `pair` now is blind: blind mode is on and the
    /// answer on the pair has not been shown to them.
    pub(in crate::ui) fn label_is_blind(&self, pair: PairId, labeler: LabelerId) -> bool {
        self.state.blind && self.project.as_ref().is_some_and(|p| p.labeling.revealed(pair, labeler).is_none())
    }

    /// At the end of a frame: the queue follows blind mode (shuffled or in the project's
    /// order, on the same pair), and with blind mode off the pair on screen counts as seen.
    pub(in crate::ui) fn follow_blind_mode(&mut self) {
        let blind = self.state.blind;
        let reviewing = self.ui.screen == Screen::Review && !self.ui.show_overview;
        let Some(project) = &mut self.project else { return };
        let Some(session) = &mut project.session else { return };
        session.reorder(&project.labeling, blind);
        if !blind
            && reviewing
            && let Some(pair) = session.current()
        {
            self.reveal(pair, RevealHow::BlindOff);
        }
    }
}
