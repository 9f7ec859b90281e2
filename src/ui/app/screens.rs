//! The analysis screens' shared parts: which screen is shown, their view state, the
//! threshold controls every screen carries, number formatting and CSV.

use crate::analysis::{SliceKey, ThresholdRule};

use crate::ui::analysis::data::AnalysisData;
use crate::ui::analysis::slice_table::SortState;
use crate::ui::app::PairscopeApp;
use crate::ui::app::command::Command;
// Moved to widgets/ (the feature views use them too); still here for the views that name them so.
pub use crate::ui::widgets::numbers::{count, right};

/// The central view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Screen {
    /// Labeling (or, before a labeler is picked, the project overview).
    #[default]
    Review,
    Model,
    Agreement,
    ErrorAnalysis,
    /// Splits, exports, merging labels.
    Curate,
}

impl Screen {
    pub const ANALYSIS: [Screen; 3] = [Screen::Model, Screen::Agreement, Screen::ErrorAnalysis];

    pub fn title(self) -> &'static str {
        match self {
            Screen::Review => "Review",
            Screen::Model => "Model",
            Screen::Agreement => "Agreement",
            Screen::ErrorAnalysis => "Error analysis",
            Screen::Curate => "Curate",
        }
    }
}

/// View state of the analysis screens (lives as long as the window).
#[derive(Default)]
pub(in crate::ui) struct AnalysisUi {
    /// The rule that set the threshold last (None once the slider moved it).
    pub rule: Option<ThresholdRule>,
    /// The user set the threshold in this project (slider, rule button or the review queue's
    /// field). Until then it follows max accuracy, the default of `pairscope report` too.
    pub touched: bool,
    /// The FPR bound of the "custom" rule.
    pub custom_fpr: f64,
    pub tag_sort: SortState,
    pub metadata_sort: SortState,
    pub combo_sort: SortState,
    pub metadata_column: usize,
    /// The slice whose errors the error browser shows.
    pub browsing: Option<SliceKey>,
    /// Runs picked for comparison (ids).
    pub compare: [Option<i64>; 2],
    pub run_name: String,
    /// Suggestion thresholds: brightness below, sharpness below.
    pub dark_below: Option<f64>,
    pub blurry_below: Option<f64>,
    pub loading: bool,
    /// The Agreement screen leaves out labels given with the answer in view (not blind).
    pub blind_labels_only: bool,
}

/// `0.1234` → `12.3 %`; None → `–`.
pub fn pct(x: Option<f64>) -> String {
    match x {
        Some(x) if x.is_finite() => format!("{:.1} %", x * 100.0),
        _ => "–".into(),
    }
}

/// A signed percentage-point difference: `+1.2 pp`.
pub fn pp(x: Option<f64>) -> String {
    match x {
        Some(x) if x.is_finite() => format!("{:+.1} pp", x * 100.0),
        _ => "–".into(),
    }
}

/// A statistic in [−1, 1] (κ, α) with three decimals.
pub fn stat(x: Option<f64>) -> String {
    match x {
        Some(x) if x.is_finite() => format!("{x:.3}"),
        _ => "–".into(),
    }
}

/// One CSV field, quoted when it must be.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
}

/// A line of CSV.
pub fn csv_line<S: AsRef<str>>(fields: impl IntoIterator<Item = S>) -> String {
    let fields: Vec<String> = fields.into_iter().map(|f| csv_field(f.as_ref())).collect();
    fields.join(",") + "\n"
}

/// The threshold slider and the rule buttons. Returns the threshold to use this frame.
pub(in crate::ui) fn threshold_controls(
    ui: &mut egui::Ui,
    threshold: &mut f64,
    view: &mut AnalysisUi,
    data: &AnalysisData,
) -> f64 {
    let (lo, hi) = data.histograms.range().unwrap_or((0.0, 1.0));
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Threshold");
        ui.spacing_mut().slider_width = 320.0;
        let slider = egui::Slider::new(threshold, lo..=hi)
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
            view.rule = None;
            view.touched = true;
        }
        ui.separator();
        let mut rule_button = |ui: &mut egui::Ui, rule: ThresholdRule, text: &str| {
            let selected = view.rule == Some(rule);
            let response = ui.selectable_label(selected, text);
            if response.clicked()
                && let Ok(op) = data.prepared.operating_point(rule)
            {
                // +∞ (nothing predicted same) shows as the top of the slider.
                *threshold = op.finite_threshold().unwrap_or(hi);
                view.rule = Some(rule);
                view.touched = true;
            }
            response
        };
        rule_button(ui, ThresholdRule::MaxAccuracy, "Max accuracy");
        rule_button(ui, ThresholdRule::Eer, "EER");
        rule_button(ui, ThresholdRule::MaxFpr(1e-4), "FPR ≤ 1e-4");
        rule_button(ui, ThresholdRule::MaxFpr(1e-3), "FPR ≤ 1e-3");
        if view.custom_fpr <= 0.0 {
            view.custom_fpr = 0.01;
        }
        let custom = view.custom_fpr;
        let custom_button = rule_button(ui, ThresholdRule::MaxFpr(custom), "FPR ≤");
        ui.add(egui::DragValue::new(&mut view.custom_fpr).range(1e-6..=1.0).speed(0.0005).max_decimals(6))
            .labelled_by(custom_button.id)
            .on_hover_text("The custom FPR bound");
    });
    *threshold
}

/// The threshold every screen shows (the slider's value).
pub(in crate::ui) fn header(ui: &mut egui::Ui, app: &mut PairscopeApp) -> Option<f64> {
    let data = app.analysis.as_ref()?;
    let model = data.model.as_ref().map(|m| m.name.as_str()).unwrap_or("no scores");
    ui.horizontal(|ui| {
        ui.strong(format!("Model: {model}"));
        let counts = data.prepared.pair_counts();
        ui.weak(format!("{} pairs · {} with truth and score", count(counts.total), count(counts.evaluable)));
    });
    Some(threshold_controls(ui, &mut app.state.threshold, &mut app.ui.analysis, data))
}

/// A button that exports a table as CSV.
pub(in crate::ui) fn export_button(ui: &mut egui::Ui, name: &str, csv: impl FnOnce() -> String) -> Option<Command> {
    ui.small_button("Export CSV…")
        .on_hover_text("Save this table as a CSV file.")
        .clicked()
        .then(|| Command::ExportCsv { suggested_name: name.into(), csv: csv() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        assert_eq!(pct(Some(0.1234)), "12.3 %");
        assert_eq!(pct(None), "–");
        assert_eq!(pp(Some(-0.012)), "-1.2 pp");
        assert_eq!(count(1234567), "1 234 567");
        assert_eq!(count(12), "12");
        assert_eq!(csv_line(["a,b", "c\"d", "e"]), "\"a,b\",\"c\"\"d\",e\n");
    }
}
