//! The export form (the filters of `pairscope export`), the export's report, and "Save HTML
//! report…". The export itself runs on a thread of its own and cannot be started twice.

use std::path::PathBuf;

use crate::curate::ExportReport;
use crate::domain::Split;
use crate::store::ProjectInfo;
use crate::ui::curate::state::{CurateCommand, ExportUi};
use crate::ui::widgets::format::count;

pub(in crate::ui) fn show(
    ui: &mut egui::Ui,
    export: &mut ExportUi,
    info: &ProjectInfo,
    tags: &[String],
    analysed: Option<(&str, f64)>,
    report_at: &str,
) -> Vec<CurateCommand> {
    let mut commands = Vec::new();
    form(ui, export, info, tags, analysed, &mut commands);
    let options = export.options(analysed);
    ui.weak(format!("Exports {}.", options.selection.describe()));
    let folder = export.folder.trim();
    ui.horizontal(|ui| {
        let start = ui
            .add_enabled(export.job.is_none() && !folder.is_empty(), egui::Button::new("Export"))
            .on_hover_text(
                "Copy the images and write pairs.csv, labels.csv (and both as .parquet), pairs.txt and manifest.json into the folder.",
            )
            .on_disabled_hover_text("Choose a new or empty folder first (an export never overwrites anything).");
        if start.clicked() {
            commands.push(CurateCommand::StartExport { target: PathBuf::from(folder), options });
        }
        if let Some(job) = &export.job {
            match job.progress() {
                Some(p) => {
                    let fraction = p.done as f32 / p.total.max(1) as f32;
                    ui.add(egui::ProgressBar::new(fraction).desired_width(200.0).show_percentage());
                    ui.label(format!("{}/{} images copied to {}", p.done, p.total, job.target.display()));
                }
                None => {
                    ui.spinner();
                    ui.label(format!("Exporting to {}…", job.target.display()));
                }
            }
            if job.cancelled() {
                ui.weak("Cancelling…");
            } else if ui.button("Cancel").on_hover_text("Stop; nothing of this export is kept.").clicked() {
                commands.push(CurateCommand::CancelExport);
            }
        }
    });
    match &export.outcome {
        Some(Ok(report)) => exported(ui, report),
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, format!("Not exported: {e}"));
        }
        None => {}
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let save = ui
            .add_enabled(!export.html_busy, egui::Button::new("Save HTML report…"))
            .on_hover_text("The error analysis at the current threshold as one HTML file, to mail or archive.");
        if save.clicked() {
            commands.push(CurateCommand::BrowseHtmlReport);
        }
        ui.weak(report_at);
        if export.html_busy {
            ui.spinner();
        }
    });
    match &export.html {
        Some(Ok(path)) => {
            ui.label(format!("Saved the report to {}", path.display()));
        }
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, format!("Report not saved: {e}"));
        }
        None => {}
    }
    commands
}

fn form(
    ui: &mut egui::Ui,
    export: &mut ExportUi,
    info: &ProjectInfo,
    tags: &[String],
    analysed: Option<(&str, f64)>,
    commands: &mut Vec<CurateCommand>,
) {
    egui::Grid::new("export options").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
        let label = ui.label("Pairs");
        ui.horizontal(|ui| {
            let shown = export.split.map_or("The whole project".to_owned(), |s| format!("Split {}", s.as_str()));
            egui::ComboBox::from_id_salt("export split")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut export.split, None, "The whole project");
                    for split in Split::ALL {
                        ui.selectable_value(&mut export.split, Some(split), format!("Split {}", split.as_str()));
                    }
                })
                .response
                .labelled_by(label.id);
            ui.checkbox(&mut export.consensus_only, "Consensus only")
                .on_hover_text("Only pairs whose labelers reach a majority verdict (or an adjudication).");
        });
        ui.end_row();
        ui.label("Only with tags");
        tag_choice(ui, &mut export.require_tags, tags);
        ui.end_row();
        ui.label("Without tags");
        tag_choice(ui, &mut export.exclude_tags, tags);
        ui.end_row();
        ui.label("Agreement");
        ui.horizontal(|ui| {
            optional(ui, &mut export.min_agreement, "at least", 0.75, 0.0..=1.0);
            optional(ui, &mut export.max_agreement, "at most", 0.99, 0.0..=1.0);
            ui.weak("share of verdicts agreeing with the most common one");
        });
        ui.end_row();
        let label = ui.label("Scores");
        ui.horizontal(|ui| {
            if let (true, Some((model, threshold))) = (export.model_errors, analysed) {
                // The errors are the analysis': its model's scores at its threshold.
                ui.label(format!("{model}, predicted column at threshold {threshold:.4}"));
            } else {
                egui::ComboBox::from_id_salt("export model")
                    .selected_text(export.model.as_deref().unwrap_or("No scores"))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut export.model, None, "No scores");
                        for m in &info.models {
                            let text = format!("{} ({} scores)", m.name, count(m.scores));
                            ui.selectable_value(&mut export.model, Some(m.name.clone()), text);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if export.model.is_some() {
                    let default = analysed.map_or(0.5, |(_, t)| t);
                    optional(ui, &mut export.threshold, "predicted column at threshold", default, f64::MIN..=f64::MAX);
                }
            }
            ui.add_enabled(analysed.is_some(), egui::Checkbox::new(&mut export.model_errors, "model errors only"))
                .on_hover_text(
                    "Only the pairs the model of the analysis gets wrong at its threshold (false accepts and \
                     rejects): Review's Model errors.",
                )
                .on_disabled_hover_text("The analysis has no model with scores yet.");
        });
        ui.end_row();
        ui.label("");
        ui.checkbox(&mut export.stamp, "Put the export time in the manifest")
            .on_hover_text("Re-exports of the same selection are then no longer byte-identical.");
        ui.end_row();
        let label = ui.label("Folder");
        ui.horizontal(|ui| {
            // The file dialog needs a desktop portal; without one the path is typed here.
            ui.add(
                egui::TextEdit::singleline(&mut export.folder).hint_text("/path/to/new-folder").desired_width(420.0),
            )
            .labelled_by(label.id);
            if ui.button("Choose folder…").clicked() {
                commands.push(CurateCommand::BrowseExportFolder);
            }
            ui.weak("new or empty");
        });
        ui.end_row();
    });
}

fn tag_choice(ui: &mut egui::Ui, chosen: &mut Vec<String>, tags: &[String]) {
    ui.horizontal_wrapped(|ui| {
        if tags.is_empty() {
            ui.weak("the project has no tags");
        }
        for tag in tags {
            let mut on = chosen.contains(tag);
            if ui.checkbox(&mut on, tag).changed() {
                chosen.retain(|t| t != tag);
                if on {
                    chosen.push(tag.clone());
                }
            }
        }
    });
}

/// A checkbox that turns a number on (at `default`) or off.
fn optional(
    ui: &mut egui::Ui,
    value: &mut Option<f64>,
    text: &str,
    default: f64,
    range: std::ops::RangeInclusive<f64>,
) {
    let mut on = value.is_some();
    let check = ui.checkbox(&mut on, text);
    if on != value.is_some() {
        *value = on.then_some(default);
    }
    if let Some(v) = value {
        ui.add(egui::DragValue::new(v).range(range).speed(0.01).max_decimals(4)).labelled_by(check.id);
    }
}

fn exported(ui: &mut egui::Ui, report: &ExportReport) {
    ui.label(format!("Exported {} pairs to {}", count(report.pairs as u64), report.target.display()));
    egui::Grid::new("export report").num_columns(2).spacing([12.0, 2.0]).show(ui, |ui| {
        let mut row = |name: &str, value: String| {
            ui.weak(name);
            ui.label(value);
            ui.end_row();
        };
        row("Images", count(report.images as u64));
        row("Labels", count(report.labels as u64));
        let left_out = if report.lfw_left_out > 0 {
            format!(" ({} cannot be written in LFW format; listed in manifest.json)", count(report.lfw_left_out as u64))
        } else {
            String::new()
        };
        if report.lfw_pairs == 0 {
            row("LFW pairs.txt", "not written: no pair fits LFW's format (why is in manifest.json)".into());
            row("Files", "images/, pairs.csv, labels.csv, pairs.parquet, labels.parquet, manifest.json".into());
        } else {
            row("LFW pairs.txt", format!("{} pairs{left_out}", count(report.lfw_pairs as u64)));
            row(
                "Files",
                "images/, pairs.csv, labels.csv, pairs.parquet, labels.parquet, pairs.txt, manifest.json".into(),
            );
        }
        row("Manifest", format!("sha256 {}", report.manifest_sha256));
        row("Lineage", format!("recorded in the project as export #{}", report.lineage_id));
    });
    if let Some(stale) = &report.stale_removed {
        ui.label(stale);
    }
}
