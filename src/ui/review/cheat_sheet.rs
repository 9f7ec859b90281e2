//! The `?` overlay: every key of the review screen, and the keys that work everywhere.

use crate::store::PairId;
use crate::ui::review::command::ReviewCommand;
use crate::ui::review::labeling::Labeling;

pub(in crate::ui) const KEYS: [(&str, &str); 16] = [
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
    ("G", "adjudicators: mark the pair gold, or unmark it"),
    ("?", "show or hide this sheet"),
    ("Esc", "close this sheet"),
    ("Ctrl+1 to Ctrl+5", "Review, Model, Agreement, Error analysis, Curate"),
    ("Left / Right (Model, Error analysis)", "nudge the threshold (Shift: 10 times as far)"),
    ("F12", "for developers: how soon each page turn was drawn"),
];

/// A tag's definition and pinned examples, as the tag strip's tooltip and this sheet say them.
pub(in crate::ui) fn tag_definition(labeling: &Labeling, tag: &crate::store::Tag) -> String {
    let mut text = if tag.description.trim().is_empty() {
        format!("{}: no definition yet (an adjudicator writes one in the tag editor)", tag.name)
    } else {
        format!("{}: {}", tag.name, tag.description.trim())
    };
    let name =
        |pair: PairId| labeling.pair(pair).and_then(|p| p.external_id.clone()).unwrap_or_else(|| format!("#{pair}"));
    for (positive, word) in [(true, "Is"), (false, "Is not")] {
        let examples: Vec<String> = labeling
            .data
            .tag_examples
            .iter()
            .filter(|e| e.tag == tag.id && e.positive == positive)
            .map(|e| name(e.pair))
            .collect();
        if !examples.is_empty() {
            text.push_str(&format!("\n{word} {}: {}", tag.name, examples.join(", ")));
        }
    }
    text
}

pub(in crate::ui) fn show(ctx: &egui::Context, open: bool, labeling: &Labeling) -> Vec<ReviewCommand> {
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
            ui.strong("Tags");
            egui::ScrollArea::vertical().max_height(220.0).show(ui, |ui| {
                for tag in &labeling.data.tags {
                    ui.label(tag_definition(labeling, tag));
                }
            });
            ui.add_space(6.0);
            ui.label("Mouse wheel over a photo zooms both; dragging pans them.");
            ui.weak("Every action is saved at once; there is no save button.");
            close = ui.button("Close").clicked();
        });
    if close { vec![ReviewCommand::CloseCheatSheet] } else { Vec::new() }
}
