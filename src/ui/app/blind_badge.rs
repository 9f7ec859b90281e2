//! Blind mode in the top bar. A labeler cannot turn it off, so theirs is a disabled checkbox;
//! egui draws a disabled widget at half opacity, which in the light theme left it barely
//! readable. Here it is drawn opaque in the normal text colour, behind a padlock, so it reads
//! as a fact and not as a control.

const LOCKED_HINT: &str = "Labelers always work blind; adjudicators and engineers can turn it off.";

/// The checkbox for who may turn blind mode off; `blind` changes when clicked.
pub(in crate::ui) fn toggle(ui: &mut egui::Ui, blind: &mut bool) {
    ui.checkbox(blind, "Blind mode").on_hover_text(
        "Hide the truth, the model score, other labelers' work and the file names of a pair until you \
         leave it after your verdict (or press R). Labels given with the answer in view count as not blind.",
    );
}

/// Blind mode for a labeler: a padlock and the disabled, checked box, both readable.
pub(in crate::ui) fn locked(ui: &mut egui::Ui) {
    ui.scope(|ui| {
        let visuals = ui.visuals_mut();
        visuals.disabled_alpha = 1.0;
        let text = visuals.text_color();
        visuals.widgets.noninteractive.fg_stroke.color = text;
        padlock(ui, text).on_hover_text(LOCKED_HINT);
        let mut on = true;
        ui.add_enabled(false, egui::Checkbox::new(&mut on, "Blind mode")).on_disabled_hover_text(LOCKED_HINT);
    });
}

/// A small padlock drawn with the painter (the bundled fonts have no icon glyphs).
fn padlock(ui: &mut egui::Ui, color: egui::Color32) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(10.0, 14.0), egui::Sense::hover());
    let body = egui::Rect::from_min_max(egui::pos2(rect.left(), rect.top() + 6.0), rect.right_bottom());
    ui.painter().rect_filled(body, 1.5, color);
    let (centre, r) = (egui::pos2(rect.center().x, rect.top() + 6.0), 3.2);
    let arc: Vec<egui::Pos2> = (0..=12)
        .map(|i| {
            let a = std::f32::consts::PI * (1.0 + i as f32 / 12.0);
            centre + r * egui::vec2(a.cos(), a.sin())
        })
        .collect();
    ui.painter().add(egui::Shape::line(arc, egui::Stroke::new(1.6, color)));
    response
}
