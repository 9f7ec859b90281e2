//! The bar across the top: the project, who is labeling, blind mode, and the windows.

use crate::store::Role;
use crate::ui::app::PairscopeApp;
use crate::ui::app::blind_badge;
use crate::ui::app::command::Command;
use crate::ui::app::screen_keys;
use crate::ui::app::screens::Screen;
use crate::ui::import::command::ImportCommand;
use crate::ui::jobs::hub_sync::HubState;
use crate::ui::monitor::command::MonitorCommand;
use crate::ui::review::command::ReviewCommand;

/// Reads the app; every change it asks for is a command.
pub(in crate::ui) fn show(ui: &mut egui::Ui, app: &PairscopeApp) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::Panel::top("menu").show(ui, |ui| {
        // Wrapped, not clipped: at 1024 px every control stays on screen, on a second row if
        // need be. Rarely used controls sit in the Project and labeler menus.
        ui.horizontal_wrapped(|ui| {
            ui.strong("pairscope");
            let Some(project) = &app.project else {
                theme_choice(ui);
                return;
            };
            ui.menu_button("Project", |ui| {
                if ui.button("Close project").clicked() {
                    commands.push(Command::CloseProject);
                }
                let import = app.may_import().err();
                let button = ui.add_enabled(import.is_none(), egui::Button::new("Import…"));
                let button = button
                    .on_hover_text("Pairs, labels, scores or identities, from LFW pairs.txt, CSV or folders")
                    .on_disabled_hover_text(import.unwrap_or(""));
                if button.clicked() {
                    commands.push(ImportCommand::Show(true).into());
                }
                let monitor = app.may_monitor().err();
                let button = ui.add_enabled(monitor.is_none(), egui::Button::new("Monitor…"));
                let button = button
                    .on_hover_text("Compare a folder of new photos with the project's: has the input drifted?")
                    .on_disabled_hover_text(monitor.unwrap_or(""));
                if button.clicked() {
                    commands.push(MonitorCommand::Show(true).into());
                }
                if ui.button("Reload").on_hover_text("Read everything shown from the project file again").clicked() {
                    commands.push(Command::Refresh);
                }
                if ui.button("Tags…").clicked() {
                    commands.push(ReviewCommand::OpenTagEditor.into());
                }
                if ui.button("Keys (?)").clicked() {
                    commands.push(ReviewCommand::ToggleCheatSheet.into());
                }
                ui.separator();
                theme_choice(ui);
            });
            if let Some(hub) = &project.hub {
                ui.separator();
                let label = match &hub.state {
                    HubState::Offline(_) => ui.colored_label(ui.visuals().warn_fg_color, hub.summary()),
                    HubState::NeedsPassword { .. } => {
                        let label = ui.colored_label(ui.visuals().warn_fg_color, hub.summary());
                        if ui.button("Enter password…").clicked() {
                            commands.push(Command::HubPasswordWindow(true));
                        }
                        label
                    }
                    _ if !hub.conflicts.is_empty() => ui.colored_label(ui.visuals().warn_fg_color, hub.summary()),
                    _ => ui.label(hub.summary()),
                };
                let mut why = match &hub.state {
                    HubState::Offline(why) => format!("\n\nLast try: {why}"),
                    _ => String::new(),
                };
                if !hub.conflicts.is_empty() {
                    why.push_str(
                        "\n\nConflicts (adjudications, truths or tag definitions changed here and by someone else):",
                    );
                    for conflict in &hub.conflicts {
                        why.push_str(&format!("\n• {conflict}"));
                    }
                }
                label.on_hover_text(format!(
                    "This project is a copy of the team hub at {}. Your labels are saved here first, then sent; \
                     the other labelers' arrive by themselves. {} changes brought since opening.{why}",
                    hub.url, hub.brought
                ));
            }
            ui.separator();
            for (_, screen) in screen_keys::SCREENS {
                let closed = app.may_open(screen).err();
                let tab =
                    ui.add_enabled(closed.is_none(), egui::Button::selectable(app.ui.screen == screen, screen.title()));
                let tab =
                    tab.on_hover_text(screen_keys::shortcut_text(screen)).on_disabled_hover_text(closed.unwrap_or(""));
                if tab.clicked() && app.ui.screen != screen {
                    commands.push(Command::ShowScreen(screen));
                }
            }
            let Some(session) = &project.session else { return };
            ui.separator();
            let role = match session.me.role {
                Role::Labeler => String::new(),
                role => format!(" ({})", role.as_str()),
            };
            ui.menu_button(format!("Labeler: {}{role}", session.me.name), |ui| {
                if ui.button("Switch labeler").clicked() {
                    commands.push(ReviewCommand::SwitchLabeler.into());
                }
            });
            let mut blind = app.state.blind;
            if session.me.role.may_unblind() {
                blind_badge::toggle(ui, &mut blind);
            } else {
                blind_badge::locked(ui);
            }
            if blind != app.state.blind {
                commands.push(ReviewCommand::SetBlind(blind).into());
            }
            // Lit only where it shows: the overview replaces the Review screen, not the others.
            let on_review = app.ui.screen == Screen::Review;
            let mut overview = app.ui.show_overview && on_review;
            if ui.toggle_value(&mut overview, "Overview").clicked() {
                if !on_review {
                    commands.push(Command::ShowScreen(Screen::Review));
                    overview = true;
                }
                commands.push(ReviewCommand::ShowOverview(overview).into());
            }
        });
    });
    commands
}

/// Dark, light, or follow the system (in words: the bundled fonts lack egui's icons).
fn theme_choice(ui: &mut egui::Ui) {
    let current = ui.options(|o| o.theme_preference);
    ui.horizontal(|ui| {
        for (pref, name) in [
            (egui::ThemePreference::Dark, "Dark"),
            (egui::ThemePreference::Light, "Light"),
            (egui::ThemePreference::System, "System"),
        ] {
            if ui.selectable_label(current == pref, name).on_hover_text("Theme").clicked() {
                ui.ctx().set_theme(pref);
            }
        }
    });
}
