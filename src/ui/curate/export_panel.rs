//! The export form (the filters of `pairscope export`), the export's report, and "Save HTML
//! report…". The export itself runs on a thread of its own and cannot be started twice.

use std::path::PathBuf;

use crate::curate::ExportReport;
use crate::store::ProjectInfo;
use crate::ui::curate::pick_form;
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
        pick_form::rows(ui, "export", &mut export.pick, info, tags, analysed, true);
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
