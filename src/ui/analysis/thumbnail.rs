//! A photo drawn small, in a fixed square: decoded, failed (with why), or still loading.

use crate::ui::widgets::image_cache::Entry;

/// Draws the photo (or a placeholder) in a `side` × `side` square.
pub(in crate::ui) fn thumbnail(ui: &mut egui::Ui, entry: Option<&Entry>, side: f32) {
    let size = egui::vec2(side, side);
    match entry {
        Some(Entry::Ready(texture, _)) => {
            ui.add(egui::Image::new(texture).fit_to_exact_size(size).maintain_aspect_ratio(true));
        }
        Some(Entry::Failed(why)) => {
            let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, ui.visuals().faint_bg_color);
            ui.painter().text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                "?",
                egui::FontId::proportional(20.0),
                ui.visuals().weak_text_color(),
            );
            response.on_hover_text(why.as_str());
        }
        _ => {
            let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, ui.visuals().faint_bg_color);
        }
    }
}
