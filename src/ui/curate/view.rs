//! The Curate screen: balanced splits, exports and merging labels from another project, with
//! a preview of each before anything is written.

use crate::ui::app::PairscopeApp;
use crate::ui::app::command::Command;
use crate::ui::curate::export_panel;
use crate::ui::curate::merge_panel;
use crate::ui::curate::split_panel;

pub(in crate::ui) fn show(ui: &mut egui::Ui, app: &mut PairscopeApp) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(project) = &app.project else { return commands };
    let Some(info) = &project.info else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Reading the project…");
        });
        return commands;
    };
    let tags: Vec<String> = project.labeling.data.tags.iter().map(|t| t.name.clone()).collect();
    let threshold = app.state.selection.threshold;
    // The model and threshold of the analysis: what "model errors only" means, as in Review.
    let analysed = app.analysis.as_ref().and_then(|a| a.model.as_ref()).map(|m| (m.name.as_str(), threshold));
    let report_at = match analysed {
        Some((model, _)) => format!("model {model}, threshold {threshold:.4}, as on the analysis screens"),
        None => "as on the analysis screens".to_owned(),
    };
    let curate = &mut app.ui.curate;
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        section(ui, "Split", "Balanced train / dev / test splits; no person is ever in two splits.");
        commands.extend(split_panel::show(ui, &mut curate.split, info));
        ui.add_space(8.0);
        ui.separator();
        section(ui, "Export", "A selection of pairs with their images, labels, LFW pairs.txt and a manifest.");
        commands.extend(export_panel::show(ui, &mut curate.export, info, &tags, analysed, &report_at));
        ui.add_space(8.0);
        ui.separator();
        section(ui, "Merge labels", "Bring in the labels of another project of the same pairs (e.g. an offline copy).");
        commands.extend(merge_panel::show(ui, &mut curate.merge));
    });
    commands
}

fn section(ui: &mut egui::Ui, title: &str, what: &str) {
    ui.horizontal(|ui| {
        ui.heading(title);
        ui.weak(what);
    });
    ui.add_space(4.0);
}
