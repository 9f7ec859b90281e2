//! The error-analysis screen: where the model fails, ranked by what fixing it could gain.
//! Per tag, per metadata value and per tag combination, plus bias / variance / mismatch by
//! split. The tables are computed from the prepared analysis once per change of the
//! threshold, the data or a sort order (`tables.rs`), so they follow the threshold slider
//! live and cost nothing while nothing changes. Clicking a slice opens the error browser.

use crate::ui::analysis::AnalysisView;
use crate::ui::analysis::command::AnalysisCommand;
use crate::ui::analysis::error_browser;
use crate::ui::analysis::header;
use crate::ui::analysis::slice_table::{self, SliceClick};
use crate::ui::analysis::split_table;
use crate::ui::analysis::suggestions;
use crate::ui::analysis::tables::{MIN_COMBINATION_PAIRS, Tables, TablesKey};
use crate::ui::analysis::view_state::AnalysisUi;
use crate::ui::widgets::format::{count, pct};

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
        min_support: at.min_support,
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
        commands.extend(min_support_setting(ui, at.min_support));
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
            commands.extend(header::export_button(ui, "splits.csv", || split_table::to_csv(&tables.splits)));
        });
        let trained = data.model.as_ref().map(|m| m.trained_on_train);
        split_table::show(ui, &tables.splits, &tables.split_points, at.selection, trained);

        ui.add_space(12.0);
        let state = suggestions::State {
            below: [dark_below, blurry_below],
            reviewed: reviewed_suggestions,
            lists: suggestion_lists,
            computations: &mut computations.suggestions,
        };
        commands.extend(suggestions::show(ui, at, state));
    });
    match browse {
        Some(SliceClick::Browse(key)) => commands.push(AnalysisCommand::Browse(Some(key))),
        Some(SliceClick::Augment(tag)) => commands.push(AnalysisCommand::AugmentTag(tag)),
        None => {}
    }
    commands
}

/// The minimum support of a ranked slice: fewer pairs and a slice is listed, never ranked.
fn min_support_setting(ui: &mut egui::Ui, min_support: u64) -> Option<AnalysisCommand> {
    let mut value = min_support;
    let changed = ui
        .horizontal(|ui| {
            let label = ui.label("Minimum pairs to rank a slice");
            ui.add(egui::DragValue::new(&mut value).range(1..=1_000_000).speed(0.2))
                .labelled_by(label.id)
                .on_hover_text(
                    "Slices with fewer evaluable pairs are listed below the ranked ones, \"too few pairs to rank\": \
                     a rate from a handful of pairs says little (see its 95% interval).",
                )
                .changed()
        })
        .inner;
    (changed && value != min_support).then_some(AnalysisCommand::SetMinSupport(value))
}
