//! What every analysis screen carries on top: the model, the pair counts, the threshold slider
//! and the rule buttons. They only ask for a change of the selection; the app applies it.

use crate::analysis::ThresholdRule;
use crate::ui::analysis::command::AnalysisCommand;
use crate::ui::analysis::data::AnalysisData;
use crate::ui::analysis::selection::{AnalysisSelection, SelectionChange};
use crate::ui::analysis::split_choice;
use crate::ui::analysis::view_state::AnalysisUi;
use crate::ui::widgets::format::count;

/// The model line and the threshold controls. Returns the threshold to draw this frame: the
/// slider's while it is dragged (its command applies at the end of the frame).
pub(in crate::ui) fn show(
    ui: &mut egui::Ui,
    data: &AnalysisData,
    selection: &AnalysisSelection,
    view: &mut AnalysisUi,
    commands: &mut Vec<AnalysisCommand>,
) -> f64 {
    let model = data.model.as_ref().map(|m| m.name.as_str()).unwrap_or("no scores");
    ui.horizontal(|ui| {
        ui.strong(format!("Model: {model}"));
        let counts = data.prepared.pair_counts();
        ui.weak(format!("{} pairs · {} with truth and score", count(counts.total), count(counts.evaluable)));
    });
    threshold_controls(ui, data, selection, view, commands)
}

fn threshold_controls(
    ui: &mut egui::Ui,
    data: &AnalysisData,
    selection: &AnalysisSelection,
    view: &mut AnalysisUi,
    commands: &mut Vec<AnalysisCommand>,
) -> f64 {
    let (lo, hi) = data.histograms.range().unwrap_or((0.0, 1.0));
    let mut threshold = selection.threshold;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Threshold");
        ui.spacing_mut().slider_width = 320.0;
        let slider = egui::Slider::new(&mut threshold, lo..=hi)
            .max_decimals(4)
            .min_decimals(4)
            // Clamping on every frame would round a rule's exact threshold to the shown decimals.
            .clamping(egui::SliderClamping::Edits);
        if ui
            .add(slider)
            .labelled_by(label.id)
            .on_hover_text("Pairs scoring at or above it are predicted same.")
            .changed()
        {
            commands.push(AnalysisCommand::Select(SelectionChange::Threshold(threshold)));
        }
        ui.separator();
        let mut rule_button = |ui: &mut egui::Ui, rule: ThresholdRule, text: &str| {
            let response = ui.selectable_label(selection.rule == Some(rule), text);
            if response.clicked() {
                commands.push(AnalysisCommand::Select(SelectionChange::Rule(rule)));
            }
            response
        };
        rule_button(ui, ThresholdRule::MaxAccuracy, "Max accuracy");
        rule_button(ui, ThresholdRule::Eer, "EER");
        rule_button(ui, ThresholdRule::MaxFpr(1e-4), "FPR ≤ 1e-4");
        rule_button(ui, ThresholdRule::MaxFpr(1e-3), "FPR ≤ 1e-3");
        rule_button(ui, ThresholdRule::MaxFprDemonstrated(1e-4), "FPR ≤ 1e-4 demonstrated").on_hover_text(
            "The smallest threshold whose 95 % upper bound of the FPR is ≤ 1e-4; none when the data cannot show it.",
        );
        if view.custom_fpr <= 0.0 {
            view.custom_fpr = 0.01;
        }
        let custom = view.custom_fpr;
        let custom_button = rule_button(ui, ThresholdRule::MaxFpr(custom), "FPR ≤");
        ui.add(egui::DragValue::new(&mut view.custom_fpr).range(1e-6..=1.0).speed(0.0005).max_decimals(6))
            .labelled_by(custom_button.id)
            .on_hover_text("The custom FPR bound");
        ui.separator();
        split_choice::show(ui, data, selection, commands);
    });
    threshold
}

/// A button that exports a table as CSV.
pub(in crate::ui) fn export_button(
    ui: &mut egui::Ui,
    name: &str,
    csv: impl FnOnce() -> String,
) -> Option<AnalysisCommand> {
    ui.small_button("Export CSV…")
        .on_hover_text("Save this table as a CSV file.")
        .clicked()
        .then(|| AnalysisCommand::ExportCsv { suggested_name: name.into(), csv: csv() })
}
