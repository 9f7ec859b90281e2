//! Which pairs the threshold rules run on: all of them, or one split's (`report
//! --threshold-from SPLIT`): set the threshold on dev, then read every split at it.

use crate::analysis::SPLITS;
use crate::ui::analysis::command::AnalysisCommand;
use crate::ui::analysis::data::AnalysisData;
use crate::ui::analysis::selection::{AnalysisSelection, SelectionChange};
use crate::ui::widgets::format::count;

/// The choice, beside the rule buttons. Offers the splits with evaluable pairs (and the one
/// chosen, whatever it holds now).
pub(in crate::ui) fn show(
    ui: &mut egui::Ui,
    data: &AnalysisData,
    selection: &AnalysisSelection,
    commands: &mut Vec<AnalysisCommand>,
) {
    let name = |split: Option<crate::analysis::Split>| split.map_or("all pairs", |s| s.name());
    let label = ui.label("Rules on");
    egui::ComboBox::from_id_salt("threshold split")
        .selected_text(name(selection.threshold_split))
        .show_ui(ui, |ui| {
            if ui.selectable_label(selection.threshold_split.is_none(), "all pairs").clicked() {
                commands.push(AnalysisCommand::Select(SelectionChange::ThresholdSplit(None)));
            }
            for split in SPLITS {
                let pairs = data.prepared.split_confusion(split, f64::INFINITY).total();
                let chosen = selection.threshold_split == Some(split);
                if pairs == 0 && !chosen {
                    continue;
                }
                let text = format!("{} ({} pairs)", split.name(), count(pairs));
                if ui.selectable_label(chosen, text).clicked() {
                    commands.push(AnalysisCommand::Select(SelectionChange::ThresholdSplit(Some(split))));
                }
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(
            "The pairs a rule sets the threshold on. Set it on dev, then read test at it (By split, on the \
             Error analysis screen): how a deployment threshold is really set.",
        );
}
