//! The Curate screen: balanced splits, exports and merging labels from another project, with
//! a preview of each before anything is written.

use crate::store::ProjectInfo;
use crate::ui::curate::augment_panel::{self, AugmentData};
use crate::ui::curate::export_panel;
use crate::ui::curate::merge_panel;
use crate::ui::curate::split_panel;
use crate::ui::curate::state::{CurateCommand, CurateUi};

/// What the Curate screen shows of the open project and of the analysis screens.
pub(in crate::ui) struct CurateData<'a> {
    /// None while the first read of the project is in flight.
    pub info: Option<&'a ProjectInfo>,
    /// The project's tag names.
    pub tags: Vec<String>,
    /// The analysis screens' threshold (the export's "predicted" column starts there).
    pub threshold: f64,
    /// The model the analysis screens show (the HTML report is theirs).
    pub model: Option<&'a str>,
    /// The project's adjudicators.
    pub adjudicators: Vec<String>,
}

pub(in crate::ui) fn show(ui: &mut egui::Ui, data: CurateData<'_>, curate: &mut CurateUi) -> Vec<CurateCommand> {
    let mut commands = Vec::new();
    let Some(info) = data.info else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Reading the project…");
        });
        return commands;
    };
    let threshold = data.threshold;
    // The model and threshold of the analysis: what "model errors only" means, as in Review.
    let analysed = data.model.map(|model| (model, threshold));
    let report_at = match analysed {
        Some((model, _)) => format!("model {model}, threshold {threshold:.4}, as on the analysis screens"),
        None => "as on the analysis screens".to_owned(),
    };
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        section(ui, "Split", "Balanced train / dev / test splits; no person is ever in two splits.");
        commands.extend(split_panel::show(ui, &mut curate.split, info));
        ui.add_space(8.0);
        ui.separator();
        section(ui, "Export", "A selection of pairs with their images, labels, LFW pairs.txt and a manifest.");
        commands.extend(export_panel::show(ui, &mut curate.export, info, &data.tags, analysed, &report_at));
        ui.add_space(8.0);
        ui.separator();
        let augment = &mut curate.augment;
        let header = egui::CollapsingHeader::new(egui::RichText::new("Augment").heading())
            .id_salt("augment panel")
            .open(Some(augment.open))
            .show(ui, |ui| {
                let data = AugmentData { info, tags: &data.tags, adjudicators: &data.adjudicators, analysed };
                augment_panel::show(ui, augment, &data)
            });
        if header.header_response.clicked() {
            augment.open = !augment.open;
        }
        if std::mem::take(&mut augment.reveal) {
            header.header_response.scroll_to_me(Some(egui::Align::TOP));
        }
        commands.extend(header.body_returned.unwrap_or_default());
        if !augment.open {
            ui.weak("Synthesise more pairs like a slice (darker, blurred, a sunset cast…), previewed before anything is written.");
        }
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
