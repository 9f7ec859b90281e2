//! Suggested `dark` and `blurry` tags from image statistics (brightness and sharpness, stored
//! by scoring). Only suggestions: nothing is tagged until a labeler accepts them.

use egui_plot::{Bar, BarChart, Plot, VLine};

use super::analysis_data::AnalysisData;
use super::command::Command;
use super::screens::{AnalysisUi, count};
use crate::store::PairId;

const BINS: usize = 40;

struct Suggestion<'a> {
    tag: &'a str,
    /// What is measured and below what a pair is suggested.
    measure: &'a str,
    value: fn((f64, f64)) -> f64,
}

const SUGGESTIONS: [Suggestion<'static>; 2] = [
    Suggestion { tag: "dark", measure: "brightness", value: |s| s.0 },
    Suggestion { tag: "blurry", measure: "sharpness", value: |s| s.1 },
];

/// Pairs suggested for `tag` (index into the tag names) that do not carry it yet.
fn suggested(data: &AnalysisData, tag: Option<usize>, value: fn((f64, f64)) -> f64, below: f64) -> Vec<PairId> {
    data.image_stats
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            s.is_some_and(|s| value(s) < below) && tag.is_none_or(|t| data.prepared.consensus()[*i] & (1 << t) == 0)
        })
        .map(|(i, _)| data.pair_ids[i])
        .collect()
}

pub(super) fn show(ui: &mut egui::Ui, data: &AnalysisData, view: &mut AnalysisUi) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.heading("Suggested tags from image statistics");
    if data.image_stats.iter().all(Option::is_none) {
        ui.weak("No image statistics yet: score the project with the built-in model to compute them.");
        return commands;
    }
    ui.columns(2, |cols| {
        for (col, s) in cols.iter_mut().zip(&SUGGESTIONS) {
            let values: Vec<f64> = data.image_stats.iter().flatten().map(|&x| (s.value)(x)).collect();
            let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
            let slot = if s.tag == "dark" { &mut view.dark_below } else { &mut view.blurry_below };
            // Default: the lowest tenth.
            let below = slot.get_or_insert_with(|| {
                let mut sorted = values.clone();
                sorted.sort_by(f64::total_cmp);
                sorted[sorted.len() / 10]
            });
            col.horizontal(|ui| {
                let label = ui.label(format!("Suggest {} when the {} is below", s.tag, s.measure));
                ui.add(egui::DragValue::new(below).range(lo..=hi).speed((hi - lo) / 200.0).max_decimals(3))
                    .labelled_by(label.id);
            });
            let width = ((hi - lo) / BINS as f64).max(1e-9);
            let mut bins = vec![0u64; BINS];
            for v in &values {
                bins[(((v - lo) / width) as usize).min(BINS - 1)] += 1;
            }
            let bars = bins
                .iter()
                .enumerate()
                .map(|(i, &n)| Bar::new(lo + (i as f64 + 0.5) * width, n as f64).width(width))
                .collect();
            Plot::new(format!("{} histogram", s.tag))
                .height(110.0)
                .allow_drag(false)
                .allow_zoom(false)
                .allow_scroll(false)
                .show(col, |plot| {
                    plot.bar_chart(BarChart::new(s.measure, bars).color(egui::Color32::GRAY));
                    plot.vline(VLine::new("below", *below).color(egui::Color32::RED));
                });
            let tag = data.prepared.tag_names().iter().position(|n| n.eq_ignore_ascii_case(s.tag));
            let pairs = suggested(data, tag, s.value, *below);
            col.horizontal(|ui| {
                ui.label(format!("{} pairs suggested (not yet tagged {})", count(pairs.len() as u64), s.tag));
                if let Some(t) = tag
                    && !pairs.is_empty()
                    && ui
                        .button(format!("Accept: tag them {}", s.tag))
                        .on_hover_text("Applies the tag as you (the labeler at work); undo in review.")
                        .clicked()
                {
                    commands.push(Command::ApplyTag { pairs, tag: data.tag_ids[t] });
                }
            });
        }
    });
    commands
}
