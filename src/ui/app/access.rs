//! Who may see what. Blind review is only blind if a labeler cannot look the answer up: the
//! analysis screens show the truth, the model and everyone's labels, so they open only for
//! roles that may see the answers (adjudicators and engineers), and only with blind mode off.
//! A labeler always works blind.
//!
//! pairscope has no accounts on one machine: the role is a guard against looking by accident
//! or by habit, and every role change is in the audit log.

use crate::store::Role;
use crate::ui::app::PairscopeApp;
use crate::ui::app::screens::Screen;

/// Why a screen is closed to the person at work, in words for its tab's tooltip.
pub(in crate::ui) fn screen_closed(screen: Screen, role: Option<Role>, blind: bool) -> Option<&'static str> {
    match (screen, role) {
        // Nobody is labeling: nothing anybody does now is a label, so nothing is unblinded.
        (Screen::Review, _) | (_, None) => None,
        (_, Some(Role::Labeler)) => Some(
            "Labelers see only the review screen: the analysis shows the truth and the model. \
             An adjudicator or an engineer can open it.",
        ),
        (_, Some(_)) if blind => {
            Some("Turn blind mode off to open the analysis: it shows the truth, the model and everyone's labels.")
        }
        _ => None,
    }
}

impl PairscopeApp {
    /// The role of the labeler at work, if any.
    pub(in crate::ui) fn role(&self) -> Option<Role> {
        self.project.as_ref()?.session.as_ref().map(|s| s.me.role)
    }

    pub(in crate::ui) fn may_open(&self, screen: Screen) -> Result<(), &'static str> {
        screen_closed(screen, self.role(), self.state.blind).map_or(Ok(()), Err)
    }

    pub(in crate::ui) fn set_blind(&mut self, blind: bool) {
        if !blind && self.role().is_some_and(|r| !r.may_unblind()) {
            self.error = Some("Only adjudicators and engineers can turn blind mode off.".into());
            return;
        }
        self.state.blind = blind;
        self.enforce_access();
    }

    /// Puts the window back inside what the labeler at work may see: after a session starts,
    /// after a role changes (here or in another process), after blind mode goes on.
    pub(in crate::ui) fn enforce_access(&mut self) {
        if self.role().is_some_and(|r| !r.may_unblind()) {
            self.state.blind = true;
        }
        if self.may_open(self.ui.screen).is_err() {
            self.ui.screen = Screen::Review;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labelers_see_review_only_and_others_need_blind_mode_off() {
        for screen in [Screen::Model, Screen::Agreement, Screen::ErrorAnalysis, Screen::Curate] {
            assert!(screen_closed(screen, Some(Role::Labeler), true).is_some());
            assert!(screen_closed(screen, Some(Role::Labeler), false).is_some(), "a labeler is blind regardless");
            for role in [Role::Adjudicator, Role::Engineer] {
                assert!(screen_closed(screen, Some(role), true).unwrap().contains("blind mode off"));
                assert_eq!(screen_closed(screen, Some(role), false), None);
            }
            assert_eq!(screen_closed(screen, None, true), None, "nobody labeling");
        }
        for role in Role::ALL.map(Some).into_iter().chain([None]) {
            assert_eq!(screen_closed(Screen::Review, role, true), None);
        }
    }
}
