//! No project open: open or create one, or pick a recent one.

use std::path::PathBuf;

use crate::ui::app::State;
use crate::ui::app::command::Command;
use crate::ui::import::command::ImportCommand;

pub(in crate::ui) fn show(
    ui: &mut egui::Ui,
    state: &State,
    path_field: &mut String,
    busy: Option<&str>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.vertical_centered(|ui| {
        if let Some(busy) = busy {
            ui.add_space(40.0);
            ui.spinner();
            ui.label(busy);
            return;
        }
        ui.add_space(40.0);
        ui.heading("pairscope");
        ui.label("Find where a face-verification model fails, and why.");
        ui.add_space(20.0);
        ui.horizontal(|ui| {
            if ui.button("Open project…").clicked() {
                commands.push(Command::BrowseProject { create: false });
            }
            if ui
                .button("Open the demo project")
                .on_hover_text("Real photos, simulated labelers, scored by the built-in model")
                .clicked()
            {
                commands.push(Command::OpenDemo);
            }
            if ui.button("New project…").clicked() {
                commands.push(Command::BrowseProject { create: true });
            }
            if ui
                .button("Import…")
                .on_hover_text("Make a project from LFW pairs.txt, a pairs CSV or one folder per person")
                .clicked()
            {
                commands.push(ImportCommand::Show(true).into());
            }
        });
        // The file dialog needs a desktop portal; without one this field is the way in.
        ui.horizontal(|ui| {
            let label = ui.label("Project file:");
            ui.add(egui::TextEdit::singleline(path_field).hint_text("/path/to/project.pairscope").desired_width(360.0))
                .labelled_by(label.id);
            let path = PathBuf::from(path_field.trim());
            if ui.add_enabled(!path_field.trim().is_empty(), egui::Button::new("Open")).clicked() {
                commands.push(Command::OpenProject(path.clone()));
            }
            if ui.add_enabled(!path_field.trim().is_empty(), egui::Button::new("Create")).clicked() {
                commands.push(Command::CreateProject(path));
            }
        });
        ui.label(egui::RichText::new("…or drop a .pairscope file onto this window.").weak());
        if !state.recent_projects.is_empty() {
            ui.add_space(20.0);
            ui.strong("Recent projects");
            for path in &state.recent_projects {
                if ui.link(path.display().to_string()).clicked() {
                    commands.push(Command::OpenProject(path.clone()));
                }
            }
        }
    });
    commands
}
