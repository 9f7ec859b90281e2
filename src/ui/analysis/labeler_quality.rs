//! The Agreement screen's label-quality part (issue 15): how good each labeler is, and whether
//! a tag's new definition helped.

use crate::curate::quality::ProjectQuality;
use crate::ui::widgets::format::{count, interval, pct, right, stat};

/// The labeler quality table: verdicts, accuracy against truth and on gold (each with its
/// count and 95 % interval), agreement with the consensus, CROWDLAB quality, median time and
/// drift.
pub(in crate::ui) fn table(ui: &mut egui::Ui, quality: Option<&ProjectQuality>, computing: bool) {
    ui.heading("Labeler quality");
    let Some(q) = quality else {
        ui.horizontal(|ui| {
            if computing {
                ui.spinner();
            }
            ui.weak("Label quality is being computed…");
        });
        return;
    };
    ui.weak(
        "Blind verdicts only. Consensus and quality are CROWDLAB's (labelers and the calibrated model together); \
         time is from the pair shown to the verdict, pauses over 2 minutes left out; drift compares the first and \
         the last 100 verdicts with a truth.",
    );
    for note in &q.quality.notes {
        ui.weak(format!("Note: {note}"));
    }
    egui::ScrollArea::horizontal().id_salt("labeler quality").show(ui, |ui| {
        egui::Grid::new("labeler quality").striped(true).min_col_width(70.0).show(ui, |ui| {
            let headers = [
                "Labeler",
                "Verdicts",
                "Accuracy (n)",
                "95 % interval",
                "Gold accuracy (n)",
                "Agreement with consensus",
                "CROWDLAB quality",
                "Median s / pair",
                "First 100, last 100",
            ];
            for h in headers {
                ui.strong(h);
            }
            ui.end_row();
            for (l, lq) in q.quality.labelers.iter().enumerate() {
                if lq.verdicts == 0 {
                    continue;
                }
                ui.label(&q.snapshot.labeler_names[l]);
                right(ui, count(lq.verdicts));
                right(ui, format!("{} ({})", pct(lq.accuracy.rate()), count(lq.accuracy.n)));
                right(ui, interval(lq.accuracy_ci95));
                let gold = if lq.gold_accuracy.n == 0 {
                    "no gold".to_string()
                } else {
                    format!(
                        "{} ({}) {}",
                        pct(lq.gold_accuracy.rate()),
                        lq.gold_accuracy.n,
                        interval(lq.gold_accuracy_ci95)
                    )
                };
                right(ui, gold);
                right(ui, pct(lq.agreement_with_consensus));
                right(ui, stat(lq.annotator_quality));
                right(ui, lq.median_seconds.map_or("–".into(), |s| format!("{s:.1} ({})", lq.timed_verdicts)));
                let drift = match lq.drift {
                    Some([first, last]) => format!("{}, {}", pct(first.rate()), pct(last.rate())),
                    None => "fewer than 101".into(),
                };
                right(ui, drift);
                ui.end_row();
            }
        });
    });
}

/// α before and after each tag's last definition change.
pub(in crate::ui) fn definition_changes(ui: &mut egui::Ui, quality: Option<&ProjectQuality>) {
    let Some(q) = quality else { return };
    if q.definition_changes.is_empty() {
        return;
    }
    ui.add_space(8.0);
    ui.strong("After a definition changed");
    egui::Grid::new("definition changes").striped(true).min_col_width(80.0).show(ui, |ui| {
        for h in ["Tag", "α before (pairs)", "α after (pairs)"] {
            ui.strong(h);
        }
        ui.end_row();
        for change in &q.definition_changes {
            ui.label(&change.tag);
            right(ui, format!("{} ({})", stat(change.alpha_before), count(change.pairs_before)));
            right(ui, format!("{} ({})", stat(change.alpha_after), count(change.pairs_after)));
            ui.end_row();
        }
    });
}
