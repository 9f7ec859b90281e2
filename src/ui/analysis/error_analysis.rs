//! The error-analysis screen: where the model fails, ranked by what fixing it could gain.
//! Per tag, per metadata value and per tag combination, plus bias / variance / mismatch by
//! split. Every table is recomputed from the prepared analysis on every frame (~0.1 ms),
//! so they follow the threshold slider live. Clicking a slice opens the error browser.

use crate::analysis::{SplitTable, tag_indices};
use crate::ui::analysis::error_browser;
use crate::ui::analysis::slice_table;
use crate::ui::analysis::suggestions;
use crate::ui::app::PairscopeApp;
use crate::ui::app::command::Command;
use crate::ui::app::screens::{self, count, csv_line, pct, right};

/// Tag combinations need at least this many pairs to be listed.
const MIN_COMBINATION_PAIRS: u64 = 5;
/// The worst combinations shown.
const COMBINATIONS: usize = 10;
/// What the tag tables count, for their headings: not the sidebar's or the overview's count.
const CONSENSUS_HINT: &str = "Consensus tags: a pair is in a tag's slice when at least half of its labelers \
    applied the tag (or an adjudicator set it), and it counts once it has a truth and a score. Review's \
    sidebar counts your own tags in blind mode; the overview counts the tags of any labeler.";

pub(in crate::ui) fn show(ui: &mut egui::Ui, app: &mut PairscopeApp) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(threshold) = screens::header(ui, app) else { return commands };
    ui.separator();
    if app.ui.analysis.browsing.is_some() {
        commands.extend(error_browser::show(ui, app, threshold));
        return commands;
    }
    let PairscopeApp { analysis, ui: transient, images, project, .. } = app;
    let Some(data) = analysis.as_ref() else { return commands };
    let view = &mut transient.analysis;
    let reviewer = suggestions::Reviewer {
        labeling: project.as_ref().map(|p| &p.labeling),
        me: project.as_ref().and_then(|p| p.session.as_ref()).map(|s| s.me.id),
        images,
        reviewed: &mut transient.reviewed_suggestions,
    };
    let prepared = &data.prepared;
    let op = prepared.confusion_at(threshold);
    ui.label(format!(
        "At this threshold the model makes {} errors on {} pairs ({} FP, {} FN): accuracy {}.",
        count(op.errors()),
        count(op.total()),
        count(op.fp),
        count(op.fn_),
        pct(op.rates().accuracy)
    ));
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.heading("By tag (consensus)").on_hover_text(CONSENSUS_HINT);
            let mut rows = prepared.tag_table(threshold);
            slice_table::sort(&mut rows, view.tag_sort);
            commands.extend(screens::export_button(ui, "tags.csv", || slice_table::to_csv(&rows)));
        });
        let mut rows = prepared.tag_table(threshold);
        if rows.is_empty() {
            ui.weak("No tagged pair has a truth and a score yet.");
        } else if let Some(key) = slice_table::show(ui, "tags", &mut rows, &mut view.tag_sort, 260.0) {
            view.browsing = Some(key);
        }

        ui.add_space(12.0);
        ui.horizontal(|ui| {
            ui.heading("By metadata");
            let names: Vec<&str> = prepared.metadata_names().collect();
            if names.is_empty() {
                return;
            }
            view.metadata_column = view.metadata_column.min(names.len() - 1);
            let label = ui.label("column");
            egui::ComboBox::from_id_salt("metadata column")
                .selected_text(names[view.metadata_column])
                .show_ui(ui, |ui| {
                    for (i, name) in names.iter().enumerate() {
                        ui.selectable_value(&mut view.metadata_column, i, *name);
                    }
                })
                .response
                .labelled_by(label.id);
            if let Some(mut rows) = prepared.metadata_table(view.metadata_column, threshold) {
                slice_table::sort(&mut rows, view.metadata_sort);
                let name = format!("{}.csv", names[view.metadata_column]);
                commands.extend(screens::export_button(ui, &name, || slice_table::to_csv(&rows)));
            }
        });
        match prepared.metadata_table(view.metadata_column, threshold) {
            Some(mut rows) if !rows.is_empty() => {
                if let Some(key) = slice_table::show(ui, "metadata", &mut rows, &mut view.metadata_sort, 220.0) {
                    view.browsing = Some(key);
                }
            }
            _ => {
                ui.weak("The pairs have no metadata columns.");
            }
        }

        ui.add_space(12.0);
        ui.heading("Worst tag combinations (consensus)").on_hover_text(CONSENSUS_HINT);
        let mut combos = prepared.tag_pair_table(threshold, MIN_COMBINATION_PAIRS);
        slice_table::sort(&mut combos, Default::default());
        combos.truncate(COMBINATIONS);
        if combos.is_empty() {
            ui.weak(format!("No two tags share {MIN_COMBINATION_PAIRS} or more evaluable pairs."));
        } else if let Some(key) = slice_table::show(ui, "combinations", &mut combos, &mut view.combo_sort, 220.0) {
            view.browsing = Some(key);
        }

        ui.add_space(12.0);
        ui.horizontal(|ui| {
            ui.heading("By split");
            let table = prepared.split_table(threshold);
            commands.extend(screens::export_button(ui, "splits.csv", || split_csv(&table)));
        });
        split_table(ui, &prepared.split_table(threshold));

        ui.add_space(12.0);
        commands.extend(suggestions::show(ui, data, view, reviewer));
    });
    commands
}

fn split_csv(table: &SplitTable) -> String {
    let mut out = csv_line(["split", "pairs", "errors", "error_rate", "human_error"]);
    for r in &table.rows {
        out += &csv_line([
            r.split.name().to_string(),
            r.pairs.to_string(),
            r.errors.to_string(),
            r.error_rate.to_string(),
            r.human_error.map(|x| x.to_string()).unwrap_or_default(),
        ]);
    }
    out
}

/// The one-sentence diagnosis of the split table.
pub fn diagnosis_sentence(table: &SplitTable) -> String {
    let d = &table.diagnosis;
    let Some(largest) = d.largest else {
        return if table.rows.is_empty() {
            "No split has pairs with a truth and a score yet.".into()
        } else {
            "No gap between the error levels is positive: nothing to diagnose yet (are train, train-dev, dev and test all assigned?).".into()
        };
    };
    let value = d.terms().into_iter().find(|(c, _)| *c == largest).and_then(|(_, v)| v);
    let name = largest.name().replace('_', " ");
    format!("The largest gap is {name} ({}): {}.", screens::pp(value), largest.advice())
}

fn split_table(ui: &mut egui::Ui, table: &SplitTable) {
    egui::Grid::new("splits").striped(true).min_col_width(90.0).show(ui, |ui| {
        ui.strong("Split");
        for h in ["Pairs", "Errors", "Error rate", "Human error"] {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| ui.strong(h));
        }
        ui.end_row();
        ui.label("human");
        right(ui, "");
        right(ui, "");
        right(ui, pct(table.human_error));
        right(ui, "");
        ui.end_row();
        for r in &table.rows {
            ui.label(r.split.name());
            right(ui, count(r.pairs));
            right(ui, count(r.errors));
            right(ui, pct(Some(r.error_rate)));
            right(ui, pct(r.human_error));
            ui.end_row();
        }
    });
    egui::Grid::new("diagnosis").min_col_width(90.0).show(ui, |ui| {
        for (component, value) in table.diagnosis.terms() {
            ui.label(component.name().replace('_', " "));
            right(ui, screens::pp(value));
            ui.end_row();
        }
    });
    ui.label(egui::RichText::new(diagnosis_sentence(table)).strong());
}

/// Names of the tags in `bits`, for the browser and lists.
pub fn tag_list(names: &[String], bits: u64) -> String {
    tag_indices(bits).filter_map(|t| names.get(t).map(String::as_str)).collect::<Vec<_>>().join(", ")
}
