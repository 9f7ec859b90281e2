//! The "Hub password" window: when the team hub asks for this labeler's password (none in the
//! URL or `.pgpass`, or a wrong one), the app asks for it here instead of retrying. The
//! password is kept in this process's memory only, never in the project file.

use crate::ui::app::PairscopeApp;
use crate::ui::app::command::Command;
use crate::ui::jobs::hub_sync::HubState;

impl PairscopeApp {
    pub(in crate::ui) fn show_hub_password(&mut self, ctx: &egui::Context) {
        let Some(hub) = self.project.as_mut().and_then(|p| p.hub.as_mut()) else { return };
        let HubState::NeedsPassword { refused } = hub.state else { return };
        if !hub.password_window {
            return;
        }
        let role = crate::hub::HubUrl::parse(&hub.url).map(|u| u.user).unwrap_or_default();
        let mut command = None;
        egui::Window::new("Hub password").collapsible(false).resizable(false).show(ctx, |ui| {
            if refused {
                ui.colored_label(ui.visuals().error_fg_color, "The hub refused that password.");
            }
            ui.label(format!("The team hub at {} asks for the password of role {role}.", hub.url));
            let field = ui.horizontal(|ui| {
                let label = ui.label("Password");
                let field =
                    ui.add(egui::TextEdit::singleline(&mut hub.password_field).password(true).desired_width(220.0));
                field.labelled_by(label.id)
            });
            // Not focused by itself: the window may open while the labeler types verdicts,
            // and those keys must not land in the password.
            let field = field.inner;
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.label(
                "Kept in memory until the app closes, never in the project file. To skip this, put it in ~/.pgpass.",
            );
            ui.horizontal(|ui| {
                let ready = !hub.password_field.is_empty();
                if ui.add_enabled(ready, egui::Button::new("Connect")).clicked() || (entered && ready) {
                    command = Some(Command::GiveHubPassword);
                }
                if ui
                    .button("Later")
                    .on_hover_text("Stay offline; your labels wait here and nothing is lost.")
                    .clicked()
                {
                    command = Some(Command::HubPasswordWindow(false));
                }
            });
        });
        self.commands.extend(command);
    }
}
