//! What the Model screen says about how sure its numbers are (issue 13): the door-lock claim
//! as one sentence, the rates at the threshold with their counts and 95 % intervals, the FPR
//! targets observed and demonstrated, and the EER.

use crate::analysis::{Confusion, FprTarget, Prepared, TPR_AT_FPR, ThresholdRule, intervals::Proportion, percent3};
use crate::ui::widgets::format::{count, pct, right};

/// The FPR target the claim is about: the rule's bound, else the door lock's 0.01 %.
pub(in crate::ui) fn selected_target(rule: Option<ThresholdRule>) -> f64 {
    rule.and_then(|r| r.fpr_bound()).unwrap_or(1e-4)
}

/// The claim for `target` in one sentence: green when demonstrated, in the warning colour
/// when not.
pub(in crate::ui) fn claim(ui: &mut egui::Ui, prepared: &Prepared, target: f64) {
    let t = prepared.fpr_target(target);
    let colour = if t.demonstrated.is_some() {
        if ui.visuals().dark_mode {
            egui::Color32::from_rgb(120, 200, 140)
        } else {
            egui::Color32::from_rgb(20, 120, 60)
        }
    } else {
        ui.visuals().warn_fg_color
    };
    ui.label(egui::RichText::new(t.claim()).strong().size(15.0).color(colour)).on_hover_text(
        "Demonstrated: the one-sided 95 % Clopper–Pearson upper bound of the FPR is at or below the target. \
         That needs at least ⌈ln 0.05 / ln(1 − f)⌉ different-person pairs.",
    );
}

/// `85.3–97.4 %`, or `–`.
pub(in crate::ui) fn interval(ci: Option<[f64; 2]>) -> String {
    ci.map_or_else(|| "–".into(), |[lo, hi]| format!("{:.1}–{:.1} %", 100.0 * lo, 100.0 * hi))
}

/// `79 / 85`.
fn of(k: u64, n: u64) -> String {
    format!("{} / {}", count(k), count(n))
}

/// The rates at the threshold: value, count and 95 % interval, and the FPR's upper bound.
pub(in crate::ui) fn rates(ui: &mut egui::Ui, c: &Confusion) {
    let r = c.rates();
    // Wide enough for the longest count and interval, so the columns keep their width (a grid
    // that resizes asks for more frames) as the threshold moves.
    egui::Grid::new("rates").striped(true).min_col_width(100.0).show(ui, |ui| {
        ui.label("");
        right(ui, egui::RichText::new("value").strong());
        right(ui, egui::RichText::new("count").strong());
        right(ui, egui::RichText::new("95 % interval").strong());
        ui.end_row();
        let rows = [
            ("Accuracy", c.correct(), c.total()),
            ("Recall (TPR)", c.tp, c.positives()),
            ("FPR", c.fp, c.negatives()),
            ("FNR", c.fn_, c.positives()),
        ];
        for (name, k, n) in rows {
            let p = Proportion::new(k, n);
            ui.label(name);
            right(ui, pct(p.rate()));
            right(ui, of(k, n));
            right(ui, interval(p.ci95()));
            ui.end_row();
        }
        ui.label("FPR upper bound").on_hover_text("One-sided 95 % Clopper–Pearson upper bound of the FPR.");
        right(ui, Proportion::new(c.fp, c.negatives()).upper95().map_or("–".into(), percent3));
        ui.end_row();
        for (name, value) in [("Precision", r.precision), ("F1", r.f1)] {
            ui.label(name);
            right(ui, pct(value));
            ui.end_row();
        }
    });
}

/// One row per target: the observed point beside the demonstrated one, or what it needs.
pub(in crate::ui) fn targets(ui: &mut egui::Ui, prepared: &Prepared) {
    let headers =
        ["FPR ≤", "threshold", "TPR", "95 % interval", "false accepts", "upper bound", "demonstrated at", "its TPR"];
    egui::Grid::new("tpr at fpr").striped(true).min_col_width(50.0).show(ui, |ui| {
        for h in headers {
            right(ui, egui::RichText::new(h).strong());
        }
        ui.end_row();
        for (name, f) in TPR_AT_FPR {
            let t: FprTarget = prepared.fpr_target(f);
            let (tpr, fpr) = (t.observed.tpr(), t.observed.fpr());
            right(ui, name);
            right(ui, t.observed.finite_threshold().map_or("none".into(), |x| format!("{x:.4}")));
            right(ui, pct(tpr.rate()));
            right(ui, interval(tpr.ci95()));
            right(ui, of(fpr.k, fpr.n));
            right(ui, fpr.upper95().map_or("–".into(), percent3));
            match (t.demonstrated, t.negatives_needed) {
                (Some(d), _) => {
                    right(ui, d.finite_threshold().map_or("none (accept nothing)".into(), |x| format!("{x:.4}")));
                    right(ui, pct(d.tpr().rate()));
                }
                (None, needed) => {
                    let needs = needed.map_or("never".into(), |n| format!("needs ≥ {} pairs", count(n)));
                    right(ui, egui::RichText::new(needs).weak())
                        .on_hover_text("Different-person pairs needed before any threshold can demonstrate this FPR.");
                    ui.label("");
                }
            }
            ui.end_row();
        }
    });
}

/// `EER 4.0 % at threshold 0.3138`.
pub(in crate::ui) fn eer(ui: &mut egui::Ui, prepared: &Prepared) {
    let e = prepared.eer();
    let at = e.threshold.map_or("none".into(), |t| format!("{t:.4}"));
    ui.label(format!("EER {} at threshold {at}", pct(e.rate)))
        .on_hover_text("Where FPR and FNR cross: their mean at the EER rule's threshold.");
}
