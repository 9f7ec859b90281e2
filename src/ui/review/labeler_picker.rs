//! Who is labeling: pick a labeler of this project or create one. Labels are per labeler, so
//! this comes before the review screen.

use crate::store::{Labeler, Role, validate_labeler_name};
use crate::ui::review::command::ReviewCommand;

/// The picker over the project's `labelers`; `name_field` and `new_role` are the form for a new
/// labeler (this view's own state).
pub(in crate::ui) fn show(
    ui: &mut egui::Ui,
    labelers: &[Labeler],
    name_field: &mut String,
    new_role: &mut Role,
) -> Vec<ReviewCommand> {
    let mut commands = Vec::new();
    ui.heading("Who is labeling?");
    ui.label("Each labeler's verdicts and tags are their own; nobody overwrites anybody else's.");
    ui.weak(
        "Labelers work blind and see only the review screen. Adjudicators settle disagreements; \
         adjudicators and engineers may turn blind mode off and open the analysis screens. \
         Role changes are written to the audit log.",
    );
    ui.add_space(6.0);
    let labelers: Vec<_> = labelers.iter().filter(|l| !l.simulated).collect();
    if !labelers.is_empty() {
        egui::Grid::new("labelers").num_columns(2).show(ui, |ui| {
            for labeler in labelers {
                if ui.button(format!("Label as {}", labeler.name)).clicked() {
                    commands.push(ReviewCommand::PickLabeler { name: labeler.name.clone(), role: Role::Labeler });
                }
                let mut role = labeler.role;
                egui::ComboBox::from_label(format!("{}'s role", labeler.name)).selected_text(role.as_str()).show_ui(
                    ui,
                    |ui| {
                        for option in Role::ALL {
                            ui.selectable_value(&mut role, option, option.as_str());
                        }
                    },
                );
                if role != labeler.role {
                    commands.push(ReviewCommand::SetRole(labeler.id, role));
                }
                ui.end_row();
            }
        });
        ui.add_space(6.0);
    }
    ui.horizontal(|ui| {
        let label = ui.label("New labeler:");
        let field = ui
            .add(egui::TextEdit::singleline(name_field).hint_text("your name").desired_width(200.0))
            .labelled_by(label.id);
        for (role, text) in
            [(Role::Labeler, "Labeler"), (Role::Adjudicator, "Adjudicator"), (Role::Engineer, "Engineer")]
        {
            ui.radio_value(new_role, role, text);
        }
        let name = name_field.trim().to_owned();
        // A name the store would refuse is refused here, as the user types it.
        let ok = !name.is_empty() && refused_name(&name).is_none();
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let clicked = ui.add_enabled(ok, egui::Button::new("Start labeling")).clicked();
        if (clicked || entered) && ok {
            commands.push(ReviewCommand::PickLabeler { name, role: *new_role });
        }
    });
    if let Some(refused) = refused_name(name_field) {
        ui.colored_label(ui.visuals().error_fg_color, refused);
    }
    commands
}

/// Why the name typed so far cannot be a labeler's, if it cannot.
fn refused_name(field: &str) -> Option<String> {
    let name = field.trim();
    if name.is_empty() { None } else { validate_labeler_name(name).err().map(|e| e.to_string()) }
}
