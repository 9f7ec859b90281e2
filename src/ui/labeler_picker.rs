//! Who is labeling: pick a labeler of this project or create one. Labels are per labeler, so
//! this comes before the review screen.

use super::app::{OpenProject, Transient};
use super::command::Command;
use crate::store::Role;

pub(super) fn show(ui: &mut egui::Ui, project: &OpenProject, state: &mut Transient) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.heading("Who is labeling?");
    ui.label("Each labeler's verdicts and tags are their own; nobody overwrites anybody else's.");
    ui.add_space(6.0);
    let labelers: Vec<_> = project.labeling.data.labelers.iter().filter(|l| !l.simulated).collect();
    if !labelers.is_empty() {
        egui::Grid::new("labelers").num_columns(2).show(ui, |ui| {
            for labeler in labelers {
                if ui.button(format!("Label as {}", labeler.name)).clicked() {
                    commands.push(Command::PickLabeler { name: labeler.name.clone(), adjudicator: false });
                }
                let mut adjudicator = labeler.role == Role::Adjudicator;
                if ui.checkbox(&mut adjudicator, format!("{} adjudicates", labeler.name)).changed() {
                    let role = if adjudicator { Role::Adjudicator } else { Role::Labeler };
                    commands.push(Command::SetRole(labeler.id, role));
                }
                ui.end_row();
            }
        });
        ui.add_space(6.0);
    }
    ui.horizontal(|ui| {
        let label = ui.label("New labeler:");
        let field = ui
            .add(egui::TextEdit::singleline(&mut state.labeler_field).hint_text("your name").desired_width(200.0))
            .labelled_by(label.id);
        ui.checkbox(&mut state.new_is_adjudicator, "Adjudicator");
        let name = state.labeler_field.trim().to_owned();
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let clicked = ui.add_enabled(!name.is_empty(), egui::Button::new("Start labeling")).clicked();
        if (clicked || entered) && !name.is_empty() {
            commands.push(Command::PickLabeler { name, adjudicator: state.new_is_adjudicator });
        }
    });
    commands
}
