//! The `?` overlay: every key of the review screen, and the keys that work everywhere.

use crate::ui::review::command::ReviewCommand;

pub(in crate::ui) const KEYS: [(&str, &str); 14] = [
    ("S", "same person"),
    ("D", "different people"),
    ("1 to 9", "toggle the tag with that key"),
    ("Left / Right", "previous / next pair"),
    ("Space", "next pair without your verdict"),
    ("Ctrl+Z", "undo"),
    ("Ctrl+Shift+Z", "redo"),
    ("N", "note on this pair"),
    ("R", "reveal now: truth, score, others' labels, file names (later labels count as not blind)"),
    ("Z", "reset zoom and pan"),
    ("?", "show or hide this sheet"),
    ("Esc", "close this sheet"),
    ("Ctrl+1 to Ctrl+5", "Review, Model, Agreement, Error analysis, Curate"),
    ("Left / Right (Model, Error analysis)", "nudge the threshold (Shift: 10 times as far)"),
];

pub(in crate::ui) fn show(ctx: &egui::Context, open: bool) -> Vec<ReviewCommand> {
    if !open {
        return Vec::new();
    }
    let mut close = false;
    egui::Window::new("Keyboard shortcuts")
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            egui::Grid::new("keys").num_columns(2).striped(true).show(ui, |ui| {
                for (key, what) in KEYS {
                    ui.strong(key);
                    ui.label(what);
                    ui.end_row();
                }
            });
            ui.add_space(6.0);
            ui.label("Mouse wheel over a photo zooms both; dragging pans them.");
            ui.weak("Every action is saved at once; there is no save button.");
            close = ui.button("Close").clicked();
        });
    if close { vec![ReviewCommand::CloseCheatSheet] } else { Vec::new() }
}
