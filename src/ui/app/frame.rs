//! One frame: take in results, apply keys, draw the screen, then apply the commands the views
//! emitted.

use std::time::Instant;

use crate::ui::analysis::model_picker;
use crate::ui::app::command::Command;
use crate::ui::app::screens::Screen;

use super::*;

impl eframe::App for PairscopeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.frame += 1;
        self.frame_started = Some(Instant::now());
        self.receive(&ctx);
        self.poll_import(&ctx);
        self.poll_monitor();
        self.take_outside_changes();
        self.keep_label_quality_live(&ctx);
        self.keep_hub_synced(&ctx);
        if let Some(path) = Self::dropped_project(&ctx) {
            self.push(Command::OpenProject(path));
        }

        let analysing = self.project.is_some() && self.ui.screen != Screen::Review;
        let labeling = !analysing && self.project.as_ref().is_some_and(|p| p.session.is_some());
        if labeling && !self.ui.show_overview {
            // No view has drawn yet this frame, so the keys can be applied now, one by one: the
            // page turned by a key is drawn in the same frame that read the key.
            self.apply_review_keys(&ctx);
        }
        let keys = screen_keys::shortcuts(&ctx, self);
        self.commands.extend(keys);
        let commands = top_bar::show(ui, self);
        self.commands.extend(commands);
        self.show_hub_password(&ctx);
        if let Some(why) = self.project.as_ref().and_then(|p| p.read_only.as_deref()) {
            egui::Panel::top("read_only").show(ui, |ui| {
                ui.colored_label(ui.visuals().warn_fg_color, format!("read-only: {why}; changes cannot be saved"));
            });
        }
        if let Some(error) = self.error.clone() {
            egui::Panel::bottom("error").show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.colored_label(ui.visuals().error_fg_color, format!("Error: {error}"));
                    if ui.button("Dismiss").clicked() {
                        self.push(Command::DismissError);
                    }
                });
            });
        }

        if analysing {
            egui::CentralPanel::default().show(ui, |ui| {
                let commands = match self.ui.screen {
                    Screen::Curate => self.show_curate(ui),
                    _ if self.analysis.is_none() => {
                        ui.horizontal(|ui| {
                            ui.spinner();
                            ui.label("Preparing the analysis…");
                        });
                        Vec::new()
                    }
                    _ => self.show_analysis(ui),
                };
                self.commands.extend(commands);
            });
        } else if labeling && !self.ui.show_overview {
            self.show_review(ui, &ctx);
        } else {
            egui::CentralPanel::default().show(ui, |ui| {
                if self.project.is_some() {
                    self.show_overview(ui);
                } else {
                    let commands = welcome::show(ui, &self.state, &mut self.path_field, self.ui.busy.as_deref());
                    self.commands.extend(commands);
                }
            });
        }
        if labeling {
            self.show_review_windows(&ctx);
        }
        if self.project.is_some() {
            let commands = model_picker::show(&ctx, &mut self.ui.model_picker, self.scoring.is_some());
            self.commands.extend(commands.into_iter().map(Command::from));
        }
        self.show_tag_editor(&ctx);
        self.show_import(&ctx);
        self.show_monitor(&ctx);

        self.apply_commands(&ctx);
        if let Some(started) = self.frame_started {
            let elapsed = started.elapsed();
            self.last_frame_time = Some(elapsed);
            if let Some(what) = self.paint_pending.take() {
                tracing::info!(frame = self.frame, millis = self.created.elapsed().as_millis() as u64, "{what}");
            }
            tracing::debug!(frame = self.frame, micros = elapsed.as_micros() as u64, "ui pass");
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.state);
    }
}
