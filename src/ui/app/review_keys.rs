//! Applying the review keys: each key of the frame, in the order typed, becomes a command
//! against the pair current when its turn comes ([`ReviewKey::command`]) and is applied before
//! the next key is resolved (see `review/keys.rs` for why).

use crate::ui::app::PairscopeApp;
use crate::ui::review::command::ReviewCommand;
use crate::ui::review::keys::{self, ReviewKey};

impl PairscopeApp {
    /// Reads and applies the review keys of this frame, each against the pair current when its
    /// turn comes. Runs before any view has drawn, so the page a key turned is drawn in the same
    /// frame. Skipped while a text field or the note editor has the keyboard, and while the Import
    /// window is open (a task of its own: keys typed there are not verdicts).
    pub(in crate::ui) fn apply_review_keys(&mut self, ctx: &egui::Context) {
        if ctx.text_edit_focused() || self.ui.note.is_some() || self.import.is_some() {
            return;
        }
        for key in keys::take(ctx) {
            if let Some(command) = self.review_key_command(key) {
                self.apply(ctx, command.into());
            }
        }
    }

    /// The command of one review key now: against the pair on screen and the project's tags.
    fn review_key_command(&self, key: ReviewKey) -> Option<ReviewCommand> {
        let project = self.project.as_ref()?;
        let session = project.session.as_ref()?;
        key.command(session.current(), &project.labeling.data.tags)
    }
}
