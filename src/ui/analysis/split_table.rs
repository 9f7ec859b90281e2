//! The split table of the error-analysis screen: each split's counts and error rate with its
//! 95 % interval, its FPR and FNR at the threshold, the humans' error, and the bias / variance
//! diagnosis with Newcombe intervals (a term is named only when its interval excludes 0).

use crate::analysis::{NOT_TRAINED_HERE, Split, SplitPoint, SplitTable, intervals::Proportion};
use crate::ui::analysis::selection::AnalysisSelection;
use crate::ui::widgets::format::{count, csv_line, interval, pct, pp, right};

/// The one-sentence diagnosis of the split table.
pub fn diagnosis_sentence(table: &SplitTable) -> String {
    let d = &table.diagnosis;
    let Some(largest) = d.largest else {
        return if table.rows.is_empty() {
            "No split has pairs with a truth and a score yet.".into()
        } else if d.too_small_to_tell() {
            "The splits are too small to tell: no gap's 95% interval excludes 0.".into()
        } else {
            "No gap between the error levels is positive: nothing to diagnose yet (are train, train-dev, dev and test all assigned?).".into()
        };
    };
    let value = d.terms().into_iter().find(|(c, _)| *c == largest).and_then(|(_, v)| v);
    let name = largest.name().replace('_', " ");
    format!("The largest gap is {name} ({}): {}.", pp(value), largest.advice())
}

pub fn to_csv(table: &SplitTable) -> String {
    let mut out =
        csv_line(["split", "pairs", "errors", "error_rate", "error_rate_ci95_lo", "error_rate_ci95_hi", "human_error"]);
    for r in &table.rows {
        let ci = |i: usize| r.error_rate_ci95.map(|c| c[i].to_string()).unwrap_or_default();
        out += &csv_line([
            r.split.name().to_string(),
            r.pairs.to_string(),
            r.errors.to_string(),
            r.error_rate.to_string(),
            ci(0),
            ci(1),
            r.human_error.map(|x| x.to_string()).unwrap_or_default(),
        ]);
    }
    out
}

/// A difference's 95 % interval in percentage points.
fn interval_pp(ci: Option<[f64; 2]>) -> String {
    ci.map_or_else(|| "–".into(), |[lo, hi]| format!("{:+.1} to {:+.1} pp", 100.0 * lo, 100.0 * hi))
}

/// `trained_on_train`: None without scores.
pub(in crate::ui) fn show(
    ui: &mut egui::Ui,
    table: &SplitTable,
    points: &[(Split, SplitPoint)],
    selection: &AnalysisSelection,
    trained_on_train: Option<bool>,
) {
    if let (Some(split), Some(rule)) = (selection.threshold_split, selection.rule) {
        ui.label(format!("The threshold is set by {rule} on the {} split's pairs only.", split.name()));
    }
    egui::Grid::new("splits").striped(true).min_col_width(70.0).show(ui, |ui| {
        ui.strong("Split");
        for h in [
            "Pairs",
            "Errors",
            "Error rate",
            "95% interval",
            "FPR",
            "95% interval",
            "FNR",
            "95% interval",
            "Human error",
        ] {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| ui.strong(h));
        }
        ui.end_row();
        let human = Proportion::new(table.human.total - table.human.correct, table.human.total);
        ui.label("human").on_hover_text("The labelers' verdicts on pairs with a truth: counted in verdicts.");
        right(ui, count(human.n));
        right(ui, count(human.k));
        right(ui, pct(table.human_error));
        right(ui, interval(human.ci95()));
        for _ in 0..5 {
            right(ui, "");
        }
        ui.end_row();
        for r in &table.rows {
            let point = points.iter().find(|(s, _)| *s == r.split).map(|(_, p)| p);
            ui.label(r.split.name());
            right(ui, count(r.pairs));
            right(ui, count(r.errors));
            right(ui, pct(Some(r.error_rate)));
            right(ui, interval(r.error_rate_ci95));
            right(ui, pct(point.and_then(|p| p.fpr))).on_hover_text(format!(
                "{} of {} different-person pairs",
                point.map_or(0, |p| p.fp),
                point.map_or(0, |p| p.negatives)
            ));
            right(ui, interval(point.and_then(|p| p.fpr_ci95)));
            right(ui, pct(point.and_then(|p| p.fnr))).on_hover_text(format!(
                "{} of {} same-person pairs",
                point.map_or(0, |p| p.fn_),
                point.map_or(0, |p| p.positives)
            ));
            right(ui, interval(point.and_then(|p| p.fnr_ci95)));
            right(ui, pct(r.human_error));
            ui.end_row();
        }
    });
    egui::Grid::new("diagnosis").min_col_width(90.0).show(ui, |ui| {
        ui.strong("Gap");
        right(ui, egui::RichText::new("Value").strong());
        right(ui, egui::RichText::new("95% interval").strong())
            .on_hover_text("Newcombe's hybrid score interval of the difference of two error rates.");
        ui.end_row();
        for (component, value) in table.diagnosis.terms() {
            ui.label(component.name().replace('_', " "));
            right(ui, pp(value));
            right(ui, interval_pp(table.diagnosis.interval(component)));
            ui.end_row();
        }
    });
    ui.label(egui::RichText::new(diagnosis_sentence(table)).strong());
    if trained_on_train == Some(false) {
        ui.weak(NOT_TRAINED_HERE);
    }
}
