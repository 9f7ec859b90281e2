//! Suggested `dark` and `blurry` tags from image statistics (brightness and sharpness, stored
//! by scoring). Only suggestions: nothing is tagged until a labeler accepts them, pair by pair
//! or all those listed. A rejected suggestion is stored and not made again for that pair.

use std::collections::HashSet;

use egui_plot::{Bar, BarChart, Plot, VLine};

use crate::store::{LabelerId, PairId};
use crate::ui::analysis::AnalysisView;
use crate::ui::analysis::command::AnalysisCommand;
use crate::ui::analysis::data::AnalysisData;
use crate::ui::analysis::tables::{MeasureStats, SuggestionCache, SuggestionKey, lowest_tenth};
use crate::ui::analysis::thumbnail::thumbnail;
use crate::ui::analysis::view_state::AnalysisUi;
use crate::ui::review::labeling::Labeling;
use crate::ui::widgets::format::count;

const BINS: usize = 40;
const THUMB: f32 = 48.0;
const ROW_HEIGHT: f32 = THUMB + 8.0;
const LIST_HEIGHT: f32 = 6.0 * ROW_HEIGHT;
/// Longest side the list's thumbnails are decoded to (pixels).
const THUMB_SIDE: u32 = 128;

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

/// The suggestions' part of the view state.
pub(in crate::ui) struct State<'a> {
    /// Where suggestions start, per suggestion (None: the lowest tenth).
    pub below: [&'a mut Option<f64>; 2],
    /// Suggestions accepted or rejected in this window.
    pub reviewed: &'a HashSet<(PairId, String)>,
    pub lists: &'a mut [SuggestionCache; 2],
    pub computations: &'a mut u64,
}

fn values(data: &AnalysisData, s: &Suggestion) -> Vec<f64> {
    data.image_stats.iter().flatten().map(|&x| (s.value)(x)).collect()
}

/// Pairs suggested for `s` with their measured value, lowest first: below the threshold, not
/// tagged so by consensus nor by me, not rejected, not reviewed in this window.
fn candidates(
    data: &AnalysisData,
    s: &Suggestion,
    below: f64,
    labeling: Option<&Labeling>,
    me: Option<LabelerId>,
    reviewed: &HashSet<(PairId, String)>,
) -> Vec<(PairId, f64)> {
    let tag = data.prepared.tag_names().iter().position(|n| n.eq_ignore_ascii_case(s.tag));
    let key = |pair: PairId| (pair, s.tag.to_owned());
    let mut pairs: Vec<(PairId, f64)> = data
        .image_stats
        .iter()
        .enumerate()
        .filter_map(|(i, stats)| {
            let value = (s.value)((*stats)?);
            let pair = data.pair_ids[i];
            let tagged = tag.is_some_and(|t| {
                data.prepared.consensus()[i] & (1 << t) != 0
                    || matches!((labeling, me), (Some(l), Some(me)) if l.has_tag(pair, me, data.tag_ids[t]))
            });
            let done = data.rejected.contains(&key(pair)) || reviewed.contains(&key(pair));
            (value < below && !tagged && !done).then_some((pair, value))
        })
        .collect();
    pairs.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    pairs
}

/// The pairs listed for `tag` (as the screen would list them now).
pub(in crate::ui) fn listed(
    data: &AnalysisData,
    view: &AnalysisUi,
    labeling: Option<&Labeling>,
    me: Option<LabelerId>,
    tag: &str,
) -> Vec<(PairId, f64)> {
    let Some(s) = SUGGESTIONS.iter().find(|s| s.tag == tag) else { return Vec::new() };
    let slot = if s.tag == "dark" { view.dark_below } else { view.blurry_below };
    let below = slot.unwrap_or_else(|| lowest_tenth(&values(data, s)));
    candidates(data, s, below, labeling, me, &view.reviewed_suggestions)
}

pub(in crate::ui) fn show(ui: &mut egui::Ui, at: AnalysisView<'_>, state: State<'_>) -> Vec<AnalysisCommand> {
    let mut commands = Vec::new();
    let data = at.data;
    ui.heading("Suggested tags from image statistics");
    if data.image_stats.iter().all(Option::is_none) {
        ui.weak("No image statistics yet: score the project with the built-in model to compute them.");
        return commands;
    }
    if at.me.is_none() {
        ui.weak("Accepted suggestions are tagged in the name of the labeler at work: pick one in Review first.");
    }
    let State { below: slots, reviewed, lists, computations } = state;
    let mut visible_paths = Vec::new();
    ui.columns(2, |cols| {
        for (((col, s), slot), cache) in cols.iter_mut().zip(&SUGGESTIONS).zip(slots).zip(lists.iter_mut()) {
            let stats = cache.stats.get(data.generation, computations, || MeasureStats::new(&values(data, s), BINS));
            let (lo, hi, width) = (stats.lo, stats.hi, stats.width);
            let below = slot.get_or_insert(stats.default_below);
            col.horizontal(|ui| {
                let label = ui.label(format!("Suggest {} when the {} is below", s.tag, s.measure));
                ui.add(egui::DragValue::new(below).range(lo..=hi).speed((hi - lo) / 200.0).max_decimals(3))
                    .labelled_by(label.id);
            });
            let bars = stats
                .bins
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
            let below = *below;
            let tag = data.prepared.tag_names().iter().position(|n| n.eq_ignore_ascii_case(s.tag));
            let key = SuggestionKey {
                generation: data.generation,
                labeling: at.labeling.map(|l| l.generation),
                me: at.me,
                below: below.to_bits(),
                reviewed: reviewed.len(),
                rejected: data.rejected.len(),
            };
            let pairs = cache.list.get(key, computations, || candidates(data, s, below, at.labeling, at.me, reviewed));
            let accept = |pairs: Vec<PairId>| {
                let t = tag?;
                Some(AnalysisCommand::AcceptSuggestion { pairs, tag: data.tag_ids[t], name: s.tag.to_owned() })
            };
            col.horizontal(|ui| {
                let noun = if pairs.len() == 1 { "pair" } else { "pairs" };
                ui.label(format!("{} {noun} suggested (not yet tagged {})", count(pairs.len() as u64), s.tag));
                if !pairs.is_empty()
                    && ui
                        .add_enabled(tag.is_some(), egui::Button::new("Accept all shown"))
                        .on_hover_text(format!("Tag every listed pair {} as you (the labeler at work).", s.tag))
                        .on_disabled_hover_text(format!("The project has no tag named {}.", s.tag))
                        .clicked()
                {
                    commands.extend(accept(pairs.iter().map(|p| p.0).collect()));
                }
            });
            if pairs.is_empty() {
                continue;
            }
            egui::ScrollArea::vertical()
                .id_salt(("suggested", s.tag))
                .max_height(LIST_HEIGHT)
                .auto_shrink([false, true])
                .show_rows(col, ROW_HEIGHT, pairs.len(), |ui, range| {
                    for &(pair, value) in &pairs[range] {
                        ui.horizontal(|ui| {
                            ui.set_height(ROW_HEIGHT - 4.0);
                            let review = at.labeling.and_then(|l| l.pair(pair));
                            if let Some(p) = review {
                                for image in [&p.a, &p.b] {
                                    visible_paths.push(image.path.clone());
                                    thumbnail(ui, at.images.get(&image.path, THUMB_SIDE), THUMB);
                                }
                            }
                            let name = review
                                .and_then(|p| p.external_id.clone())
                                .unwrap_or_else(|| format!("pair {}", pair.0));
                            ui.vertical(|ui| {
                                ui.label(name);
                                ui.weak(format!("{} {value:.3}", s.measure));
                            });
                            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                                if ui
                                    .button("Reject")
                                    .on_hover_text(format!("Not {}: do not suggest it for this pair again.", s.tag))
                                    .clicked()
                                {
                                    commands.push(AnalysisCommand::RejectSuggestion {
                                        pairs: vec![pair],
                                        tag: s.tag.into(),
                                    });
                                }
                                if ui
                                    .add_enabled(tag.is_some(), egui::Button::new("Accept"))
                                    .on_hover_text(format!("Tag this pair {} as you.", s.tag))
                                    .clicked()
                                {
                                    commands.extend(accept(vec![pair]));
                                }
                            });
                        });
                    }
                });
        }
    });
    at.images.want(&visible_paths, THUMB_SIDE);
    commands
}
