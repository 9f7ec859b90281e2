//! The Monitor window: the folder of new photos, the baseline, Run (then progress and Cancel),
//! and the report (`report_view`). Reads the form; every action is a `MonitorCommand`.

use crate::domain::Split;
use crate::ui::jobs::monitor::MonitorProgress;
use crate::ui::monitor::command::MonitorCommand;
use crate::ui::monitor::form::{Ended, MonitorForm};
use crate::ui::monitor::report_view;

pub(in crate::ui) fn show(ctx: &egui::Context, form: &mut MonitorForm) -> Vec<MonitorCommand> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new("Monitor")
        .open(&mut open)
        .collapsible(false)
        .pivot(egui::Align2::CENTER_TOP)
        .default_pos(ctx.content_rect().center_top() + egui::vec2(0.0, 40.0))
        .default_width(900.0)
        .max_height(ctx.content_rect().height() - 60.0)
        .show(ctx, |ui| {
            ui.weak(
                "Are new photos (a folder, without labels) like the project's? Each measure is compared by the \
                 KS test and the PSI, as `pairscope monitor` does.",
            );
            let busy = form.busy();
            ui.add_enabled_ui(!busy, |ui| choices(ui, form, &mut commands));
            run_or_progress(ui, form, &mut commands);
            ui.separator();
            // A report fills the window's height at once (a window keeps the size of its first,
            // short content otherwise), and scrolls under the controls.
            let body = (ctx.content_rect().height() - 260.0).max(160.0);
            let shown = matches!(form.ended, Some(Ended::Compared(_)));
            let scroll = egui::ScrollArea::vertical().max_height(body).auto_shrink([false, true]);
            let scroll = if shown { scroll.min_scrolled_height(body) } else { scroll };
            scroll.show(ui, |ui| match &form.ended {
                Some(Ended::Compared(report)) => report_view::show(ui, report),
                Some(Ended::Failed(why)) => {
                    ui.colored_label(ui.visuals().error_fg_color, why);
                }
                Some(Ended::Cancelled) => {
                    ui.weak("Cancelled: nothing was compared.");
                }
                None if !busy => {
                    ui.weak("Choose a folder and Run to see each measure's two sides here.");
                }
                None => {}
            });
        });
    if !open {
        commands.push(MonitorCommand::Show(false));
    }
    commands
}

fn choices(ui: &mut egui::Ui, form: &mut MonitorForm, commands: &mut Vec<MonitorCommand>) {
    egui::Grid::new("monitor fields").num_columns(3).spacing([8.0, 6.0]).show(ui, |ui| {
        let label = ui.label("Folder of new photos");
        let edit = egui::TextEdit::singleline(&mut form.folder).desired_width(460.0).min_size(egui::vec2(460.0, 0.0));
        ui.add(edit).labelled_by(label.id);
        let browse =
            ui.button("Browse…").on_hover_text("Choose the folder in a file dialog (sub-folders are read too)");
        if browse.clicked() {
            commands.push(MonitorCommand::Browse);
        }
        ui.end_row();
        ui.label("Baseline");
        ui.horizontal_wrapped(|ui| {
            let all = ui.selectable_label(form.baseline.is_none(), "All photos");
            if all.on_hover_text("All the project's photos").clicked() {
                commands.push(MonitorCommand::Baseline(None));
            }
            for split in Split::ALL {
                let chosen = form.baseline == Some(split);
                let button = ui.selectable_label(chosen, split.as_str());
                if button.on_hover_text(format!("The photos of the pairs of split {}", split.as_str())).clicked() {
                    commands.push(MonitorCommand::Baseline(Some(split)));
                }
            }
        });
        ui.end_row();
    });
}

/// Run (disabled with the reason while no folder is chosen), or the progress and Cancel.
fn run_or_progress(ui: &mut egui::Ui, form: &MonitorForm, commands: &mut Vec<MonitorCommand>) {
    let Some(job) = &form.job else {
        let folder = form.folder();
        ui.horizontal(|ui| {
            let run = ui.add_enabled(folder.is_ok(), egui::Button::new("Run"));
            let run = run
                .on_hover_text("Run the face pass over the new photos and compare them with the baseline")
                .on_disabled_hover_text(folder.as_ref().err().cloned().unwrap_or_default());
            if run.clicked() {
                commands.push(MonitorCommand::Run);
            }
            if let Err(why) = &folder {
                ui.weak(why);
            }
        });
        return;
    };
    ui.horizontal(|ui| {
        match job.progress() {
            Some(MonitorProgress::Measuring { done, total }) if total > 0 => {
                let text = format!("Photos measured: {done} / {total}");
                ui.add(egui::ProgressBar::new(done as f32 / total as f32).desired_width(320.0).text(text));
            }
            Some(MonitorProgress::Comparing) => {
                ui.spinner();
                ui.label("Comparing with the project's scores and slices…");
            }
            _ => {
                ui.spinner();
                ui.label("Loading the face model and the project's photos…");
            }
        }
        if job.cancelled() {
            ui.weak("Cancelling…");
        } else if ui.button("Cancel").on_hover_text("Stop; nothing is written anywhere.").clicked() {
            commands.push(MonitorCommand::Cancel);
        }
    });
}
