//! The error-analysis screen: where the model fails, ranked by what fixing it could gain.
//! Per tag, per metadata value and per tag combination, plus bias / variance / mismatch by
//! split. The tables are computed from the prepared analysis once per change of the
//! threshold, the data or a sort order (`tables.rs`), so they follow the threshold slider
//! live and cost nothing while nothing changes. Clicking a slice opens the error browser.

use crate::analysis::SplitTable;
use crate::ui::analysis::AnalysisView;
use crate::ui::analysis::command::AnalysisCommand;
use crate::ui::analysis::error_browser;
use crate::ui::analysis::header;
use crate::ui::analysis::slice_table;
use crate::ui::analysis::suggestions;
use crate::ui::analysis::tables::{MIN_COMBINATION_PAIRS, Tables, TablesKey};
use crate::ui::analysis::view_state::AnalysisUi;
use crate::ui::widgets::format::{count, csv_line, pct, pp, right};

/// What the tag tables count, for their headings: not the sidebar's or the overview's count.
const CONSENSUS_HINT: &str = "Consensus tags: a pair is in a tag's slice when at least half of its labelers \
    applied the tag (or an adjudicator set it), and it counts once it has a truth and a score. Review's \
    sidebar counts your own tags in blind mode; the overview counts the tags of any labeler.";

pub(in crate::ui) fn show(ui: &mut egui::Ui, at: AnalysisView<'_>, view: &mut AnalysisUi) -> Vec<AnalysisCommand> {
    let mut commands = Vec::new();
    let threshold = header::show(ui, at.data, at.selection, view, &mut commands);
    ui.separator();
    if view.browsing.is_some() {
        commands.extend(error_browser::show(ui, at, view, threshold));
        return commands;
    }
    let data = at.data;
    let prepared = &data.prepared;
    let names: Vec<&str> = prepared.metadata_names().collect();
    view.metadata_column = view.metadata_column.min(names.len().saturating_sub(1));
    let key = TablesKey {
        generation: data.generation,
        threshold: threshold.to_bits(),
        metadata_column: view.metadata_column,
        tag_sort: view.tag_sort,
        metadata_sort: view.metadata_sort,
        combo_sort: view.combo_sort,
    };
    let AnalysisUi {
        tables,
        computations,
        tag_sort,
        metadata_sort,
        combo_sort,
        metadata_column,
        dark_below,
        blurry_below,
        reviewed_suggestions,
        suggestions: suggestion_lists,
        ..
    } = view;
    let tables = tables.get(key, &mut computations.tables, || Tables::compute(data, threshold, &key));
    let op = &tables.confusion;
    ui.label(format!(
        "At this threshold the model makes {} errors on {} pairs ({} FP, {} FN): accuracy {}.",
        count(op.errors()),
        count(op.total()),
        count(op.fp),
        count(op.fn_),
        pct(op.rates().accuracy)
    ));
    let mut browse = None;
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.heading("By tag (consensus)").on_hover_text(CONSENSUS_HINT);
            commands.extend(header::export_button(ui, "tags.csv", || slice_table::to_csv(&tables.tags)));
        });
        if tables.tags.is_empty() {
            ui.weak("No tagged pair has a truth and a score yet.");
        } else if let Some(key) = slice_table::show(ui, "tags", &tables.tags, tag_sort, 260.0) {
            browse = Some(key);
        }

        ui.add_space(12.0);
        ui.horizontal(|ui| {
            ui.heading("By metadata");
            if names.is_empty() {
                return;
            }
            let label = ui.label("column");
            egui::ComboBox::from_id_salt("metadata column")
                .selected_text(names[*metadata_column])
                .show_ui(ui, |ui| {
                    for (i, name) in names.iter().enumerate() {
                        ui.selectable_value(metadata_column, i, *name);
                    }
                })
                .response
                .labelled_by(label.id);
            if let Some(rows) = &tables.metadata {
                let name = format!("{}.csv", names[key.metadata_column]);
                commands.extend(header::export_button(ui, &name, || slice_table::to_csv(rows)));
            }
        });
        match &tables.metadata {
            Some(rows) if !rows.is_empty() => {
                if let Some(key) = slice_table::show(ui, "metadata", rows, metadata_sort, 220.0) {
                    browse = Some(key);
                }
            }
            _ => {
                ui.weak("The pairs have no metadata columns.");
            }
        }

        ui.add_space(12.0);
        ui.heading("Worst tag combinations (consensus)").on_hover_text(CONSENSUS_HINT);
        if tables.combinations.is_empty() {
            ui.weak(format!("No two tags share {MIN_COMBINATION_PAIRS} or more evaluable pairs."));
        } else if let Some(key) = slice_table::show(ui, "combinations", &tables.combinations, combo_sort, 220.0) {
            browse = Some(key);
        }

        ui.add_space(12.0);
        ui.horizontal(|ui| {
            ui.heading("By split");
            commands.extend(header::export_button(ui, "splits.csv", || split_csv(&tables.splits)));
        });
        split_table(ui, &tables.splits);

        ui.add_space(12.0);
        let state = suggestions::State {
            below: [dark_below, blurry_below],
            reviewed: reviewed_suggestions,
            lists: suggestion_lists,
            computations: &mut computations.suggestions,
        };
        commands.extend(suggestions::show(ui, at, state));
    });
    if let Some(key) = browse {
        commands.push(AnalysisCommand::Browse(Some(key)));
    }
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
    format!("The largest gap is {name} ({}): {}.", pp(value), largest.advice())
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
            right(ui, pp(value));
            ui.end_row();
        }
    });
    ui.label(egui::RichText::new(diagnosis_sentence(table)).strong());
}
