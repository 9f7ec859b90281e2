//! On the demo project, until dismissed: what the demo is and what to try first, in one short
//! panel above the labeler picker. A new user otherwise meets "Who is labeling?" with no idea
//! what the pairs are or where the interesting screens are.

use crate::ui::review::command::ReviewCommand;

pub(in crate::ui) fn show(ui: &mut egui::Ui) -> Vec<ReviewCommand> {
    let mut commands = Vec::new();
    egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.strong("This is the demo project");
        ui.label(
            "Six group photos, cut into faces. Two faces of one photo are different people; a face and a changed \
             copy of itself (darker, blurred, sunset colours, shifted, JPEG noise) are the same person, so the \
             truth is exact. Three simulated labelers (sim-ana, sim-ben, sim-cy) have labeled it, and the \
             built-in face model has scored it.",
        );
        ui.label("Try first:");
        for step in [
            "1. Label as yourself below: S same, D different, 1-4 tags, Space the next unlabeled pair, ? all keys.",
            "2. Agreement: how far the simulated labelers agree (κ, α), and where they disagree.",
            "3. Error analysis: which tag the model fails on most, beside human-level performance.",
        ] {
            ui.label(step);
        }
        if ui.button("Got it").on_hover_text("Hide this; the README's tour says the same").clicked() {
            commands.push(ReviewCommand::DismissDemoIntro);
        }
    });
    ui.add_space(6.0);
    commands
}
