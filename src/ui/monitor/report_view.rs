//! A monitor report drawn: the overall verdict, then each measure's baseline and new photos as
//! two see-through histograms over the same bins (shares, so sides of any size compare) beside
//! its KS test, PSI, sizes, medians and verdict; the face pass's rates; and, when the new photos
//! are darker, how the model does on the project's `dark` slice. The words are the CLI's
//! (`monitor::render`), so both say the same.

use egui_plot::{AxisHints, Bar, BarChart, Legend, Plot};

use crate::monitor::{MeasureDrift, MonitorReport, SharedHistogram, darker, number, share, verdict};
use crate::ui::widgets::plots;

const PLOT_WIDTH: f32 = 420.0;
const PLOT_HEIGHT: f32 = 170.0;

pub(in crate::ui) fn show(ui: &mut egui::Ui, r: &MonitorReport) {
    let (text, colour) = if r.drifted {
        (format!("Verdict: {}", verdict(r)), ui.visuals().warn_fg_color)
    } else {
        (format!("Verdict: {}", verdict(r)), ui.visuals().strong_text_color())
    };
    ui.label(egui::RichText::new(text).heading().color(colour));
    ui.weak(format!("Rule: {}.", r.rule));
    ui.label(format!("{} new photos against {} ({} photos).", r.new_photos, r.baseline, r.baseline_photos));
    if r.baseline_unmeasured > 0 {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "{} baseline photos have not been through the face pass yet and are left out: score the project \
                 with the built-in model first.",
                r.baseline_unmeasured
            ),
        );
    }
    if r.drifted_darker() {
        ui.colored_label(ui.visuals().warn_fg_color, sentence(&darker(r.dark_slice.as_ref())));
        // Said only when the slice is worse than all pairs: otherwise darker input is no warning.
        if let Some(d) = r.dark_slice.as_ref().filter(|d| d.error_rate > d.overall_error_rate) {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "The new input looks like the slice where the model is weakest: expect about {:.1} % errors on \
                     it, against {:.1} % over all pairs.",
                    100.0 * d.error_rate,
                    100.0 * d.overall_error_rate
                ),
            );
        }
    }
    ui.separator();
    for m in &r.measures {
        measure(ui, m, r.rule);
        ui.separator();
    }
    // The model's scores, compared only when the new photos sit in identity folders.
    match &r.scores.skipped {
        Some(why) => {
            ui.label(format!("Model scores not compared: {why}"));
        }
        None => {
            ui.label(format!(
                "Model scores on the new photos' pairs ({} photos of {} people) against the project's pairs:",
                r.scores.photos, r.scores.identities
            ));
            for m in &r.scores.rows {
                measure(ui, m, r.rule);
                ui.separator();
            }
        }
    }
    for rate in &r.rates {
        ui.label(format!(
            "{} rate: new {}, baseline {} (shown, not judged)",
            rate.rate.replace('_', "-"),
            share(rate.new),
            share(rate.baseline)
        ));
    }
}

/// The CLI's sentence, capitalised and ended.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
    format!("{first}{}.", chars.as_str())
}

fn measure(ui: &mut egui::Ui, m: &MeasureDrift, rule: &str) {
    let (Some(t), Some(h)) = (&m.test, &m.histogram) else {
        ui.strong(m.measure.replace('_', " "));
        // The demo's and older projects' photos were cached before the detector's score was kept.
        let side = if m.median_baseline.is_none() { "the baseline has" } else { "the new photos have" };
        ui.label(format!("Not compared: {side} no values of it."));
        return;
    };
    ui.horizontal_top(|ui| {
        histogram(ui, m.measure, h);
        ui.vertical(|ui| {
            ui.strong(m.measure.replace('_', " "));
            egui::Grid::new(("monitor stats", m.measure)).num_columns(2).spacing([12.0, 2.0]).show(ui, |ui| {
                let mut row = |name: &str, value: String| {
                    ui.label(name);
                    ui.label(value);
                    ui.end_row();
                };
                row("KS D", format!("{:.4}", t.ks.statistic));
                row("p-value", format!("{} ({})", number(t.ks.p_value), t.ks.method.name()));
                row("PSI", format!("{:.4}", t.psi));
                row("n new / baseline", format!("{} / {}", t.n_new, t.n_baseline));
                let medians = match (m.median_new, m.median_baseline) {
                    (Some(n), Some(b)) => format!("{} / {}", number(n), number(b)),
                    _ => "-".into(),
                };
                row("median new / baseline", medians);
                ui.label("verdict");
                let verdict = if t.drifted {
                    ui.colored_label(ui.visuals().warn_fg_color, "drifted")
                } else {
                    ui.label("stable")
                };
                verdict.on_hover_text(rule);
                ui.end_row();
            });
        });
    });
}

/// The two sides over the same bins, each bar its side's share, see-through so both show.
fn histogram(ui: &mut egui::Ui, name: &str, h: &SharedHistogram) {
    let dark = ui.visuals().dark_mode;
    let bars = |shares: &[f64]| -> Vec<Bar> {
        h.edges
            .windows(2)
            .zip(shares)
            .map(|(edge, &share)| Bar::new((edge[0] + edge[1]) / 2.0, share).width(edge[1] - edge[0]))
            .collect()
    };
    // Headroom above the tallest bar, so the legend (two rows) in the corner never covers one.
    let tallest = h.baseline.iter().chain(&h.new).copied().fold(0.0, f64::max);
    Plot::new(("monitor histogram", name))
        .width(PLOT_WIDTH)
        .height(PLOT_HEIGHT)
        .legend(Legend::default())
        .include_y(0.0)
        .include_y(tallest * 1.8)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        // Ticks closer than egui_plot's default: a small plot would otherwise label only 0.
        .custom_x_axes(vec![AxisHints::new_x().label(name.replace('_', " ")).label_spacing(32.0..=48.0)])
        .custom_y_axes(vec![AxisHints::new_y().label("share").label_spacing(10.0..=18.0)])
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("baseline", bars(&h.baseline)).color(baseline_colour(dark)));
            plot.bar_chart(BarChart::new("new photos", bars(&h.new)).color(new_colour(dark)));
        });
}

fn baseline_colour(dark: bool) -> egui::Color32 {
    plots::second_curve(dark).gamma_multiply(0.5)
}

fn new_colour(dark: bool) -> egui::Color32 {
    let orange = if dark { egui::Color32::from_rgb(240, 150, 60) } else { egui::Color32::from_rgb(200, 100, 20) };
    orange.gamma_multiply(0.5)
}
