//! Merging labels from another project: pick the file, see what would come in and what
//! conflicts (nothing written), then merge.

use std::path::PathBuf;

use crate::curate::MergeReport;
use crate::ui::curate::state::{CurateCommand, MergeUi, merge_summary};
use crate::ui::widgets::format::{count, right};

pub(in crate::ui) fn show(ui: &mut egui::Ui, merge: &mut MergeUi) -> Vec<CurateCommand> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        let label = ui.label("Other project");
        // The file dialog needs a desktop portal; without one the path is typed here.
        ui.add(egui::TextEdit::singleline(&mut merge.path).hint_text("/path/to/copy.pairscope").desired_width(420.0))
            .labelled_by(label.id);
        if ui.button("Choose file…").clicked() {
            commands.push(CurateCommand::BrowseMergeSource);
        }
        let path = merge.path.trim();
        let preview = ui
            .add_enabled(!path.is_empty() && !merge.busy, egui::Button::new("Preview merge"))
            .on_hover_text("Show what merging would change; nothing is written.");
        if preview.clicked() {
            commands.push(CurateCommand::PreviewMerge(PathBuf::from(path)));
        }
        if merge.busy {
            ui.spinner();
        }
    });
    match &merge.outcome {
        Some(Ok(done)) => {
            ui.label(done);
        }
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, format!("Not merged: {e}"));
        }
        None => {}
    }
    if let Some((from, report)) = &merge.preview {
        ui.add_space(4.0);
        ui.strong(format!("Merging from {} would bring in:", from.display()));
        ui.label(merge_summary(report));
        // The button comes before the details, which can be long (conflicts).
        ui.horizontal(|ui| {
            let go = ui
                .add_enabled(!merge.busy, egui::Button::new("Merge"))
                .on_hover_text("Bring these labels in, with their history; conflicts keep this project's label.");
            if go.clicked() {
                commands.push(CurateCommand::Merge(from.clone()));
            }
            ui.weak("Nothing is written until you press Merge.");
        });
        details(ui, report);
    }
    commands
}

fn details(ui: &mut egui::Ui, report: &MergeReport) {
    egui::Grid::new("merge counts").striped(true).min_col_width(64.0).show(ui, |ui| {
        let mut row = |name: &str, n: usize| {
            ui.label(name);
            right(ui, count(n as u64));
            ui.end_row();
        };
        row("Pairs matched", report.pairs_matched);
        row("Verdicts changed", report.verdicts_changed);
        row("Tags applied", report.tags_applied);
        row("Tags removed", report.tags_removed);
        row("Notes changed", report.notes_changed);
        row("Adjudications merged", report.adjudications_merged);
        row("Audit events copied", report.events_copied);
        row("Already equal", report.already_equal);
        row("Newer here", report.newer_here);
        row("Conflicts", report.conflicts.len());
    });
    if !report.labelers_created.is_empty() {
        ui.label(format!("New labelers: {}", report.labelers_created.join(", ")));
    }
    if !report.tags_created.is_empty() {
        ui.label(format!("New tags: {}", report.tags_created.join(", ")));
    }
    if !report.conflicts.is_empty() {
        ui.add_space(4.0);
        ui.strong(format!("Conflicts ({}): changed in both projects, kept as they are here", report.conflicts.len()));
        egui::ScrollArea::vertical().id_salt("merge conflicts").max_height(220.0).show(ui, |ui| {
            egui::Grid::new("conflicts").num_columns(5).striped(true).spacing([16.0, 2.0]).show(ui, |ui| {
                for title in ["Pair", "Labeler", "Label", "Here", "There"] {
                    ui.strong(title);
                }
                ui.end_row();
                for c in &report.conflicts {
                    for cell in [&c.pair, &c.labeler, &c.label, &c.here, &c.there] {
                        ui.label(cell);
                    }
                    ui.end_row();
                }
            });
        });
    }
    for (title, items) in [
        ("Pairs not in this project, not merged", &report.pairs_not_here),
        ("Pairs that match ambiguously, not merged", &report.pairs_ambiguous),
        ("Pairs matched by id although their images differ", &report.matched_by_id_only),
        ("Pairs whose ground truth differs (a merge never changes it)", &report.truth_differs),
    ] {
        if !items.is_empty() {
            egui::CollapsingHeader::new(format!("{title} ({})", items.len())).show(ui, |ui| {
                for item in items {
                    ui.label(item);
                }
            });
        }
    }
}
