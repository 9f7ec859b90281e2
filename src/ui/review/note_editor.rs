//! The `N` note: a labeler's free-text remark on a pair, saved when they press Save.

use crate::store::PairId;
use crate::ui::review::command::ReviewCommand;

pub struct NoteDraft {
    pair: PairId,
    text: String,
    focused: bool,
}

impl NoteDraft {
    pub fn new(pair: PairId, text: &str) -> Self {
        NoteDraft { pair, text: text.to_owned(), focused: false }
    }
}

/// The note editor while a note is open; `note` is its draft (this view's own state). Saving or
/// cancelling closes it, by command.
pub(in crate::ui) fn show(ctx: &egui::Context, note: Option<&mut NoteDraft>) -> Vec<ReviewCommand> {
    let mut commands = Vec::new();
    let Some(note) = note else { return commands };
    egui::Window::new("Note on this pair")
        .collapsible(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            let label = ui.label("Note");
            let field = ui
                .add(egui::TextEdit::multiline(&mut note.text).desired_rows(4).desired_width(360.0))
                .labelled_by(label.id);
            if !note.focused {
                field.request_focus();
                note.focused = true;
            }
            ui.horizontal(|ui| {
                let ctrl_enter = ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter));
                let save = ui.button("Save note").clicked() || ctrl_enter;
                let cancel = ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape));
                if save {
                    commands.push(ReviewCommand::SaveNote { pair: note.pair, text: note.text.clone() });
                } else if cancel {
                    commands.push(ReviewCommand::CloseNote);
                }
            });
            ui.weak("Ctrl+Enter saves, Esc cancels. An empty note removes it.");
        });
    commands
}
