//! Quality against error on the Model screen: the EDC (ISO/IEC 29794-5) of the genuine
//! pairs at the live threshold, as a plot and a table, once with pairs ranked by the worse
//! photo's sharpness and once by its brightness. It answers whether rejecting bad photos at
//! capture (the door lock's input check) lowers the false non-match rate.
//!
//! The genuine pairs are ranked once per data load (on the I/O thread, in `AnalysisData`);
//! here one pass per threshold change builds the curves and the table, kept in egui's memory
//! keyed by the data generation and the threshold, so an idle frame computes nothing.

use std::sync::Arc;

use egui_plot::{Legend, Line, Plot};

use crate::analysis::{EDC_MAX_DISCARD, EDC_TABLE_FRACTIONS, EdcPoint};
use crate::ui::analysis::data::{AnalysisData, thin};
use crate::ui::widgets::format::{count, rate_ci, right};
use crate::ui::widgets::plots;

/// What the section draws at one (generation, threshold).
struct EdcAtThreshold {
    key: (u64, u64),
    /// Step curves, (discarded fraction, FNMR), sharpness then brightness.
    curves: [Vec<[f64; 2]>; 2],
    /// Per table fraction: the sharpness and brightness points.
    rows: Vec<(f64, EdcPoint, EdcPoint)>,
    genuine: u64,
    without_statistics: u64,
}

impl EdcAtThreshold {
    fn new(data: &AnalysisData, threshold: f64, key: (u64, u64)) -> EdcAtThreshold {
        let edc = &data.edc;
        // One curve per ranking (two passes over the pairs); the table is read off it, so a
        // threshold change costs the same on a million pairs as the other tables.
        let (sharpness, brightness) =
            (edc.sharpness.curve(threshold, EDC_MAX_DISCARD), edc.brightness.curve(threshold, EDC_MAX_DISCARD));
        let sharpness_rows = edc.sharpness.points_on(&sharpness, &EDC_TABLE_FRACTIONS);
        let brightness_rows = edc.brightness.points_on(&brightness, &EDC_TABLE_FRACTIONS);
        EdcAtThreshold {
            key,
            curves: [thin(steps(&sharpness)), thin(steps(&brightness))],
            rows: EDC_TABLE_FRACTIONS
                .iter()
                .zip(sharpness_rows.into_iter().zip(brightness_rows))
                .map(|(&x, (s, b))| (x, s, b))
                .collect(),
            genuine: edc.sharpness.genuine(),
            without_statistics: edc.sharpness.without_quality(),
        }
    }
}

/// The EDC is a step function: each FNMR holds from its discard fraction up to the next one
/// (and, for the last, up to the end of the axis).
fn steps(points: &[EdcPoint]) -> Vec<[f64; 2]> {
    let mut out = Vec::with_capacity(points.len() * 2);
    for (i, p) in points.iter().enumerate() {
        let (Some(x), Some(y)) = (p.discard_fraction(), p.fnmr()) else { continue };
        out.push([x, y]);
        let next = points.get(i + 1).and_then(EdcPoint::discard_fraction).unwrap_or(EDC_MAX_DISCARD);
        out.push([next, y]);
    }
    out
}

/// `1.2 % (12/975; 95 % CI 0.6–2.1 %)`: the FNMR with its count and 95 % interval.
fn fnmr_cell(p: &EdcPoint) -> String {
    rate_ci(p.fnmr_count())
}

/// The section, at the end of the Model screen.
pub(in crate::ui) fn show(ui: &mut egui::Ui, data: &AnalysisData, threshold: f64) {
    ui.add_space(12.0);
    ui.separator();
    ui.strong("Quality against error (EDC)");
    let key = (data.generation, threshold.to_bits());
    let id = egui::Id::unique("edc at threshold");
    let at = match ui.data(|d| d.get_temp::<Arc<EdcAtThreshold>>(id)) {
        Some(at) if at.key == key => at,
        _ => {
            let at = Arc::new(EdcAtThreshold::new(data, threshold, key));
            ui.data_mut(|d| d.insert_temp(id, at.clone()));
            at
        }
    };
    if at.genuine == 0 {
        ui.label(format!(
            "No same-person pair with a score has image statistics ({} without): score the project to measure \
             sharpness and brightness.",
            count(at.without_statistics)
        ));
        return;
    }
    ui.label(format!(
        "FNMR at threshold {threshold:.4} after discarding the lowest-quality same-person pairs (quality: the worse \
         photo's). {} pairs with image statistics; {} without, left out.",
        count(at.genuine),
        count(at.without_statistics)
    ));
    ui.horizontal_top(|ui| {
        let dark = ui.visuals().dark_mode;
        ui.allocate_ui(egui::vec2(460.0, 240.0), |ui| {
            Plot::new("edc")
                .height(230.0)
                .width(450.0)
                .legend(Legend::default())
                .include_x(0.0)
                .include_x(EDC_MAX_DISCARD)
                .include_y(0.0)
                .allow_drag(false)
                .allow_scroll(false)
                .x_axis_label("fraction of same-person pairs discarded")
                .y_axis_label("FNMR")
                .show(ui, |plot| {
                    plot.line(
                        Line::new("by sharpness", at.curves[0].clone()).color(plots::curve(dark)).allow_band(false),
                    );
                    plot.line(
                        Line::new("by brightness", at.curves[1].clone())
                            .color(brightness_colour(dark))
                            .allow_band(false),
                    );
                });
        });
        ui.add_space(16.0);
        egui::Grid::new("edc table").striped(true).min_col_width(70.0).show(ui, |ui| {
            ui.strong("discarded");
            right(ui, egui::RichText::new("FNMR by sharpness").strong());
            right(ui, egui::RichText::new("FNMR by brightness").strong());
            ui.end_row();
            for (x, sharpness, brightness) in &at.rows {
                ui.label(format!("{:.0} %", x * 100.0));
                number(ui, fnmr_cell(sharpness));
                number(ui, fnmr_cell(brightness));
                ui.end_row();
            }
        });
    });
    ui.weak(
        "Equal qualities are discarded together, never split, so a row may discard less than its fraction. \
         A curve that falls shows that rejecting such photos at capture pays.",
    );
}

/// Wide enough for `12.3 % (1 234/5 678; 95 % CI 11.4–13.2 %)`, so the columns keep their width
/// while the threshold moves (a grid that widens takes frames to settle).
const CELL_WIDTH: f32 = 290.0;

/// A right-aligned cell that never wraps.
fn number(ui: &mut egui::Ui, text: String) {
    let size = egui::vec2(CELL_WIDTH, ui.spacing().interact_size.y);
    ui.allocate_ui_with_layout(size, egui::Layout::right_to_left(egui::Align::Center), |ui| {
        ui.set_min_width(CELL_WIDTH);
        ui.add(egui::Label::new(text).extend());
    });
}

/// The brightness curve, apart from the sharpness one on both themes.
fn brightness_colour(dark: bool) -> egui::Color32 {
    if dark { egui::Color32::from_rgb(240, 190, 90) } else { egui::Color32::from_rgb(170, 100, 0) }
}
