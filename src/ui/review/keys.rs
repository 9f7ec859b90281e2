//! The review keys, read one event at a time in the order they arrived.
//!
//! A slow frame (a large photo decoding, software rendering, a busy machine) can hold many key
//! presses. Each must act on the pair that was current when it was typed: a verdict or a tag
//! goes to the pair on screen at that moment, a page turn changes that pair for the keys after
//! it, and a key pressed five times acts five times. So the keys are taken out of the frame's
//! events in order, and the app applies each before resolving the next (`app/review_keys.rs`):
//! [`ReviewKey::command`] turns a key into a command against the pair current at its turn.

use egui::{Event, Key, Modifiers};

use crate::domain::Truth;
use crate::store::{PairId, Tag};
use crate::ui::review::command::{Nav, ReviewCommand};

/// What one key press asks of the review screen. The pair it acts on is not part of it: that
/// is the pair current when the key's turn comes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::ui) enum ReviewKey {
    Verdict(Truth),
    /// Toggle the tag with this hotkey (1–9).
    Tag(u8),
    Go(Nav),
    Undo,
    Redo,
    /// Open the note editor on the pair.
    Note,
    /// Show the answer (truth, model, others' labels) on the pair now, before leaving it.
    Reveal,
    ToggleCheatSheet,
    CloseCheatSheet,
    ResetZoom,
    /// Mark the pair gold, or unmark it (adjudicators).
    ToggleGold,
}

const DIGITS: [Key; 9] =
    [Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Num5, Key::Num6, Key::Num7, Key::Num8, Key::Num9];

impl ReviewKey {
    /// The review action of a pressed key, if it is one of ours. Ctrl (⌘) combinations other
    /// than undo and redo belong to others (Ctrl+1 … Ctrl+5 switch screens); Shift and Alt do
    /// not change a plain key's meaning (`S` and `Shift+S` both say "same").
    fn of(key: Key, modifiers: Modifiers) -> Option<ReviewKey> {
        if modifiers.command || modifiers.ctrl {
            return match key {
                Key::Z if modifiers.shift => Some(ReviewKey::Redo),
                Key::Z => Some(ReviewKey::Undo),
                _ => None,
            };
        }
        Some(match key {
            Key::S => ReviewKey::Verdict(Truth::Same),
            Key::D => ReviewKey::Verdict(Truth::Different),
            Key::ArrowLeft => ReviewKey::Go(Nav::Previous),
            Key::ArrowRight => ReviewKey::Go(Nav::Next),
            Key::Space => ReviewKey::Go(Nav::NextUnlabeled),
            Key::N => ReviewKey::Note,
            Key::R => ReviewKey::Reveal,
            Key::G => ReviewKey::ToggleGold,
            Key::Z => ReviewKey::ResetZoom,
            Key::Questionmark => ReviewKey::ToggleCheatSheet,
            Key::Slash if modifiers.shift => ReviewKey::ToggleCheatSheet,
            Key::Escape => ReviewKey::CloseCheatSheet,
            _ => {
                let digit = DIGITS.iter().position(|&d| d == key)?;
                ReviewKey::Tag(digit as u8 + 1)
            }
        })
    }
}

/// Takes this frame's review key presses out of the input, in the order they were typed, so
/// that no widget sees them too (Space would click a focused button). Stops after `N`: the keys
/// after it are typed into the note, not applied to the pair.
pub(in crate::ui) fn take(ctx: &egui::Context) -> Vec<ReviewKey> {
    // Esc closes an open menu first (egui's own use of it); the key sheet's use comes after.
    let menu_open = egui::Popup::is_any_open(ctx);
    let keys = ctx.input_mut(|input| {
        let mut keys = Vec::new();
        let mut stopped = false;
        input.events.retain(|event| {
            if stopped {
                return true;
            }
            let Event::Key { key, pressed, modifiers, .. } = *event else { return true };
            let Some(action) = ReviewKey::of(key, modifiers) else { return true };
            if menu_open && action == ReviewKey::CloseCheatSheet {
                return true;
            }
            // The release of one of our keys is ours too: nothing else may act on half a press.
            if pressed {
                keys.push(action);
                stopped = action == ReviewKey::Note;
            }
            false
        });
        keys
    });
    if !keys.is_empty()
        && let Some(focused) = ctx.memory(|m| m.focused())
    {
        // Our keys act on the pair, not on whatever widget was clicked last (Tab and Enter
        // still move between and press buttons).
        ctx.memory_mut(|m| m.surrender_focus(focused));
    }
    keys
}

impl ReviewKey {
    /// The command of this key against the pair on screen now (`current`, with the project's
    /// `tags`), or None when there is no pair to act on or no tag has that hotkey.
    pub(in crate::ui) fn command(self, current: Option<PairId>, tags: &[Tag]) -> Option<ReviewCommand> {
        let pair = current?;
        Some(match self {
            ReviewKey::Verdict(verdict) => ReviewCommand::SetVerdict { pair, verdict },
            ReviewKey::Tag(hotkey) => {
                let tag = tags.iter().find(|t| t.hotkey == Some(hotkey))?;
                ReviewCommand::ToggleTag { pair, tag: tag.id }
            }
            ReviewKey::Go(nav) => ReviewCommand::Go(nav),
            ReviewKey::Undo => ReviewCommand::Undo,
            ReviewKey::Redo => ReviewCommand::Redo,
            ReviewKey::Reveal => ReviewCommand::Reveal(pair),
            ReviewKey::Note => ReviewCommand::OpenNote(pair),
            ReviewKey::ToggleCheatSheet => ReviewCommand::ToggleCheatSheet,
            ReviewKey::CloseCheatSheet => ReviewCommand::CloseCheatSheet,
            ReviewKey::ResetZoom => ReviewCommand::ResetZoom,
            ReviewKey::ToggleGold => ReviewCommand::ToggleGold(pair),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(key: Key, modifiers: Modifiers) -> Event {
        Event::Key { key, physical_key: None, pressed: true, repeat: false, modifiers }
    }

    fn release(key: Key) -> Event {
        Event::Key { key, physical_key: None, pressed: false, repeat: false, modifiers: Modifiers::NONE }
    }

    /// Runs `take` on one frame holding these events; returns the keys and the events left.
    fn frame(events: Vec<Event>) -> (Vec<ReviewKey>, Vec<Event>) {
        let ctx = egui::Context::default();
        let mut taken = Vec::new();
        let mut left = Vec::new();
        let input = egui::RawInput { events, ..Default::default() };
        let mut output = ctx.run_ui(input, |ui| {
            taken = take(ui.ctx());
            left = ui.ctx().input(|i| i.events.clone());
        });
        // The font atlas this first frame made is never uploaded anywhere.
        output.textures_delta.clear();
        (taken, left)
    }

    #[test]
    fn keys_come_out_in_the_order_typed_and_repeats_count() {
        let n = Modifiers::NONE;
        let events = vec![
            press(Key::D, n),
            release(Key::D),
            press(Key::ArrowRight, n),
            press(Key::S, n),
            press(Key::ArrowRight, n),
            press(Key::ArrowRight, n),
            press(Key::Num2, n),
            press(Key::R, n),
            press(Key::Space, n),
        ];
        let (keys, left) = frame(events);
        assert_eq!(
            keys,
            [
                ReviewKey::Verdict(Truth::Different),
                ReviewKey::Go(Nav::Next),
                ReviewKey::Verdict(Truth::Same),
                ReviewKey::Go(Nav::Next),
                ReviewKey::Go(Nav::Next),
                ReviewKey::Tag(2),
                ReviewKey::Reveal,
                ReviewKey::Go(Nav::NextUnlabeled),
            ]
        );
        assert!(left.is_empty(), "our presses and releases are consumed: {left:?}");
    }

    #[test]
    fn modifiers_pick_undo_redo_and_leave_other_shortcuts_alone() {
        let (keys, left) = frame(vec![
            press(Key::Z, Modifiers::COMMAND),
            press(Key::Z, Modifiers::COMMAND | Modifiers::SHIFT),
            press(Key::Num2, Modifiers::COMMAND),
            press(Key::S, Modifiers::SHIFT),
            press(Key::Slash, Modifiers::SHIFT),
            press(Key::Z, Modifiers::NONE),
            press(Key::X, Modifiers::NONE),
        ]);
        assert_eq!(
            keys,
            [
                ReviewKey::Undo,
                ReviewKey::Redo,
                ReviewKey::Verdict(Truth::Same),
                ReviewKey::ToggleCheatSheet,
                ReviewKey::ResetZoom,
            ]
        );
        assert_eq!(left, [press(Key::Num2, Modifiers::COMMAND), press(Key::X, Modifiers::NONE)]);
    }

    #[test]
    fn a_key_acts_on_the_pair_given_and_finds_tags_by_hotkey() {
        use crate::store::TagId;
        let tag = |id, hotkey| Tag {
            id: TagId(id),
            name: format!("t{id}"),
            description: String::new(),
            colour: "#000000".into(),
            hotkey,
        };
        let tags = [tag(7, Some(2)), tag(8, None)];
        let pair = Some(PairId(5));
        assert_eq!(
            ReviewKey::Verdict(Truth::Same).command(pair, &tags),
            Some(ReviewCommand::SetVerdict { pair: PairId(5), verdict: Truth::Same })
        );
        assert_eq!(
            ReviewKey::Tag(2).command(pair, &tags),
            Some(ReviewCommand::ToggleTag { pair: PairId(5), tag: TagId(7) })
        );
        assert_eq!(ReviewKey::Tag(3).command(pair, &tags), None, "no tag has key 3");
        assert_eq!(ReviewKey::Note.command(pair, &tags), Some(ReviewCommand::OpenNote(PairId(5))));
        assert_eq!(ReviewKey::Reveal.command(pair, &tags), Some(ReviewCommand::Reveal(PairId(5))));
        // An empty queue: no key acts, not even the ones that only change the view (as before
        // the keys were commands).
        for key in [ReviewKey::Go(Nav::Next), ReviewKey::ToggleCheatSheet, ReviewKey::ResetZoom, ReviewKey::Undo] {
            assert_eq!(key.command(None, &tags), None, "{key:?}");
        }
    }

    #[test]
    fn keys_after_n_are_left_for_the_note() {
        let n = Modifiers::NONE;
        let events = vec![press(Key::S, n), release(Key::S), press(Key::N, n), press(Key::D, n), press(Key::S, n)];
        let (keys, left) = frame(events);
        assert_eq!(keys, [ReviewKey::Verdict(Truth::Same), ReviewKey::Note]);
        assert_eq!(left, [press(Key::D, n), press(Key::S, n)]);
    }
}
