//! The Model screen's calibration (issue 15): the Brier score of the out-of-fold P(same), and
//! the reliability plot (observed share of same-person pairs against the mean probability).

use egui_plot::{Line, Points};

use crate::curate::quality::ProjectQuality;
use crate::ui::widgets::format::count;
use crate::ui::widgets::plots;

pub(in crate::ui) fn show(ui: &mut egui::Ui, quality: Option<&ProjectQuality>) -> Option<egui::Rect> {
    ui.strong("Calibration: P(same) from the score");
    let Some(calibration) = quality.and_then(|q| q.quality.calibration.as_ref()) else {
        match quality {
            Some(q) => ui.weak(q.quality.notes.first().map_or("No calibration.", String::as_str)),
            None => ui.weak("Computing…"),
        };
        return None;
    };
    ui.label(format!(
        "Brier score {:.4} over {} pairs with a truth (0 is perfect; always 0.5 scores 0.25). Platt scaling \
         fitted out of fold (10 folds, pairs of one identity together), so no pair's own truth shapes its \
         probability.",
        calibration.brier,
        count(calibration.pairs)
    ));
    for note in quality.map(|q| q.quality.notes.as_slice()).unwrap_or_default() {
        ui.weak(format!("Note: {note}"));
    }
    let dark = ui.visuals().dark_mode;
    let points: Vec<[f64; 2]> =
        calibration.bins.iter().filter_map(|b| Some([b.mean_probability, b.observed()?])).collect();
    let response = plots::unit_square("reliability", 220.0, "mean P(same) in bin", "share same")
        .width(320.0)
        .show(ui, |plot| {
            plot.line(Line::new("perfect", vec![[0.0, 0.0], [1.0, 1.0]]).color(plots::second_curve(dark)));
            plot.line(Line::new("observed", points.clone()).color(plots::curve(dark)));
            plot.points(Points::new("bins", points).radius(4.0).color(plots::curve(dark)));
        })
        .response;
    let sparse: Vec<String> = calibration
        .bins
        .iter()
        .filter(|b| b.pairs > 0 && b.pairs < 10)
        .map(|b| format!("{:.1}–{:.1} ({} pairs)", b.low, b.high, b.pairs))
        .collect();
    if !sparse.is_empty() {
        ui.weak(format!("Bins with fewer than 10 pairs say little: {}", sparse.join(", ")));
    }
    Some(response.rect)
}
