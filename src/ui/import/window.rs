//! The Import window: choose the kind and the files, look at the first rows and how each
//! column is read, import, and read what happened (the CLI's summary, or its problems with
//! file and line). Reads the form; every action is an `ImportCommand`.

use crate::import::{ColumnRole, ImagesFolder, ImportKind, ImportPreview, ImportStage};
use crate::ui::import::command::{ImportCommand, ImportField};
use crate::ui::import::form::{Ended, ImportForm, PreviewState};

/// Problems listed in the window (the rest are counted).
const LISTED_PROBLEMS: usize = 200;

pub(in crate::ui) fn show(ctx: &egui::Context, form: &mut ImportForm, opening_project: bool) -> Vec<ImportCommand> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new("Import")
        .open(&mut open)
        .collapsible(false)
        .pivot(egui::Align2::CENTER_TOP)
        .default_pos(ctx.content_rect().center_top() + egui::vec2(0.0, 60.0))
        .default_width(680.0)
        .max_height(ctx.content_rect().height() - 80.0)
        .show(ctx, |ui| {
            // The buttons stay in view below the body, whatever its length.
            let body = (ctx.content_rect().height() - 220.0).max(160.0);
            egui::ScrollArea::vertical().max_height(body).auto_shrink([false, true]).show(ui, |ui| {
                if form.new_project.is_some() {
                    ui.label("No project is open: this import makes a new one.");
                }
                let busy = form.job.is_some();
                ui.add_enabled_ui(!busy, |ui| choices(ui, form, &mut commands));
                ui.separator();
                preview(ui, form);
                outcome(ui, form);
            });
            ui.separator();
            buttons(ui, form, opening_project, &mut commands);
        });
    if !open {
        commands.push(ImportCommand::Show(false));
    }
    commands
}

fn choices(ui: &mut egui::Ui, form: &mut ImportForm, commands: &mut Vec<ImportCommand>) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Kind:");
        for kind in ImportKind::ALL {
            let allowed = form.allows(kind);
            let button = ui
                .add_enabled(allowed, egui::Button::selectable(form.kind == kind, kind.title()))
                .on_hover_text(kind.describe())
                .on_disabled_hover_text("Needs a project with pairs: import pairs first, or open a project.");
            if button.clicked() {
                commands.push(ImportCommand::Kind(kind));
            }
        }
    });
    ui.weak(form.kind.describe());
    egui::Grid::new("import fields").num_columns(3).spacing([8.0, 6.0]).show(ui, |ui| {
        let input_label = if form.kind == ImportKind::Folders { "Folder" } else { "File" };
        let mut changed = path_row(ui, input_label, &mut form.input, ImportField::Input, commands);
        let images_label = match form.kind.images_folder() {
            Some(ImagesFolder::Required) if form.kind != ImportKind::Folders => Some("Images folder"),
            Some(ImagesFolder::Optional) => Some("Images folder (optional)"),
            _ => None,
        };
        if let Some(name) = images_label {
            changed |= path_row(ui, name, &mut form.images, ImportField::Images, commands);
        }
        match form.kind {
            ImportKind::ScoresCsv => {
                let label = ui.label("Model name");
                let field = egui::TextEdit::singleline(&mut form.model).min_size(egui::vec2(260.0, 0.0));
                ui.add(field).labelled_by(label.id);
                ui.checkbox(&mut form.trained_on_train, "Trained on this project's train split");
                ui.end_row();
            }
            ImportKind::IdentitiesCsv => {
                ui.label("");
                ui.checkbox(&mut form.replace, "Replace identities the project already holds");
                ui.end_row();
            }
            ImportKind::Folders => {
                let label = ui.label("Different-person pairs");
                ui.add(
                    egui::TextEdit::singleline(&mut form.different)
                        .hint_text("as many as same-person")
                        .desired_width(160.0),
                )
                .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Seed");
                ui.add(egui::TextEdit::singleline(&mut form.seed).desired_width(80.0)).labelled_by(label.id);
                ui.end_row();
            }
            _ => {}
        }
        if let Some(new_project) = form.new_project.as_mut() {
            changed |= path_row(ui, "New project file", new_project, ImportField::NewProject, commands);
        }
        if changed {
            form.typed();
        }
    });
}

/// A labelled path field with a Browse button: typed paths work where no dialog is available.
/// True when the text changed.
fn path_row(
    ui: &mut egui::Ui,
    name: &str,
    text: &mut String,
    field: ImportField,
    commands: &mut Vec<ImportCommand>,
) -> bool {
    let label = ui.label(name);
    // A minimum size too: a grid cell would otherwise shrink the field to its first width.
    let edit = egui::TextEdit::singleline(text).desired_width(420.0).min_size(egui::vec2(420.0, 0.0));
    let changed = ui.add(edit).labelled_by(label.id).changed();
    if ui.button("Browse…").on_hover_text(format!("Choose the {} in a file dialog", name.to_lowercase())).clicked() {
        commands.push(ImportCommand::Browse(field));
    }
    ui.end_row();
    changed
}

fn preview(ui: &mut egui::Ui, form: &ImportForm) {
    match &form.preview {
        PreviewState::Empty => {
            ui.weak("Choose a file to see its first rows here.");
        }
        PreviewState::Loading(_) => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Reading the first rows…");
            });
        }
        PreviewState::Failed { message, .. } => {
            ui.colored_label(ui.visuals().error_fg_color, message);
        }
        PreviewState::Ready { preview, .. } => preview_table(ui, preview),
    }
}

fn preview_table(ui: &mut egui::Ui, preview: &ImportPreview) {
    let mut heading = String::from("Preview");
    if let Some(total) = preview.total_rows {
        heading += &format!(": {} of {total} rows", preview.rows.len().min(total as usize));
    }
    ui.strong(heading);
    if !preview.missing.is_empty() {
        ui.colored_label(
            ui.visuals().error_fg_color,
            format!(
                "Missing column{}: {}",
                if preview.missing.len() == 1 { "" } else { "s" },
                preview.missing.join(", ")
            ),
        );
    }
    egui::ScrollArea::horizontal().id_salt("import preview").show(ui, |ui| {
        egui::Grid::new("import preview rows").striped(true).show(ui, |ui| {
            for column in &preview.columns {
                ui.vertical(|ui| {
                    ui.strong(&column.name);
                    match column.role {
                        ColumnRole::Read { meaning } => {
                            ui.add(egui::Label::new(egui::RichText::new(meaning).small()).extend())
                        }
                        ColumnRole::Metadata => ui.small("kept as metadata"),
                        ColumnRole::Ignored => ui.small(egui::RichText::new("not read").weak()),
                    };
                });
            }
            ui.end_row();
            for row in &preview.rows {
                for cell in row {
                    // A cell is cut, not the table: the whole value is on hover.
                    let shown: String = cell.chars().take(40).collect();
                    let label = ui.label(if shown.len() < cell.len() { format!("{shown}…") } else { shown });
                    if cell.chars().count() > 40 {
                        label.on_hover_text(cell);
                    }
                }
                ui.end_row();
            }
        });
    });
    for note in &preview.notes {
        ui.weak(note);
    }
}

/// How the last import ended: the summary, or the error and its problems.
fn outcome(ui: &mut egui::Ui, form: &ImportForm) {
    match &form.ended {
        Some(Ended::Imported { summary, project, .. }) => {
            ui.label(egui::RichText::new(format!("Imported into {}.", project.display())).strong());
            for line in summary.lines() {
                ui.label(line);
            }
        }
        Some(Ended::Failed { failure, .. }) if failure.cancelled => {
            ui.weak("Cancelled: nothing was imported.");
        }
        Some(Ended::Failed { failure, .. }) => {
            ui.colored_label(ui.visuals().error_fg_color, &failure.message);
            for problem in failure.problems.iter().take(LISTED_PROBLEMS) {
                ui.label(problem.to_string());
            }
            if failure.problems.len() > LISTED_PROBLEMS {
                ui.weak(format!("…and {} more", failure.problems.len() - LISTED_PROBLEMS));
            }
        }
        None => {}
    }
}

/// The buttons under the scrolling body, always in view: Import (or Cancel, with the progress),
/// then what the outcome offers.
fn buttons(ui: &mut egui::Ui, form: &ImportForm, opening_project: bool, commands: &mut Vec<ImportCommand>) {
    if let Some(job) = &form.job {
        let (text, fraction) = match job.progress() {
            Some(p) if p.stage == ImportStage::HashingImages && p.total > 0 => {
                (format!("{} {}/{}", p.stage.describe(), p.done, p.total), Some(p.done as f32 / p.total as f32))
            }
            Some(p) => (format!("{}…", p.stage.describe()), None),
            None => ("Reading the file…".to_string(), None),
        };
        ui.horizontal(|ui| {
            match fraction {
                Some(f) => ui.add(egui::ProgressBar::new(f).desired_width(300.0).text(text)),
                None => {
                    ui.spinner();
                    ui.label(text)
                }
            };
            if job.cancelled() {
                ui.weak("Cancelling…");
            } else if ui.button("Cancel").on_hover_text("Stop; nothing of this import is written.").clicked() {
                commands.push(ImportCommand::Cancel);
            }
        });
        return;
    }
    ui.horizontal(|ui| {
        match &form.ended {
            Some(Ended::Imported { pairs_added, .. }) => {
                if *pairs_added > 0 {
                    let score = ui
                        .add_enabled(!opening_project, egui::Button::new("Score with the built-in model"))
                        .on_hover_text(
                            "Detect, align and embed every photo, then score every pair (progress and Cancel on \
                             the Model screen)",
                        )
                        .on_disabled_hover_text("Opening the project…");
                    if score.clicked() {
                        commands.push(ImportCommand::ScoreWithBuiltinModel);
                    }
                }
                if ui.button("Close").clicked() {
                    commands.push(ImportCommand::Show(false));
                }
                return;
            }
            Some(Ended::Failed { failure, .. }) if failure.may_skip_bad => {
                let n = failure.problems.len();
                let text = format!("Import the good rows, skip the {n} bad one{}", if n == 1 { "" } else { "s" });
                if ui.button(text).on_hover_text("The skipped rows are listed after the import.").clicked() {
                    commands.push(ImportCommand::SkipBadRows);
                }
            }
            _ => {}
        }
        let request = form.request();
        let import = ui.add_enabled(request.is_ok(), egui::Button::new("Import"));
        if import.on_disabled_hover_text(request.as_ref().err().cloned().unwrap_or_default()).clicked() {
            commands.push(ImportCommand::Start);
        }
        if let Err(why) = &request {
            ui.weak(why);
        }
    });
}
