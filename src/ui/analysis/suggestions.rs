//! Suggested `dark` and `blurry` tags from image statistics (brightness and sharpness, stored
//! by scoring), photo by photo: a dark photo in 24 pairs is one row that names its pairs, and
//! accepting it tags all of them at once. Only suggestions: nothing is tagged until a labeler
//! accepts them. A rejected suggestion is stored per pair and not made again for those pairs.

use std::collections::HashSet;

use egui_plot::{Bar, BarChart, Plot, VLine};

use crate::analysis::image_quality::{
    BLURRY_BELOW, DARK_BELOW, ImageMeasure, ImageSuggestion, per_image_values, suggest_by_image,
};
use crate::store::{LabelerId, PairId};
use crate::ui::analysis::AnalysisView;
use crate::ui::analysis::command::AnalysisCommand;
use crate::ui::analysis::data::AnalysisData;
use crate::ui::analysis::suggestion_rows::{self, Row, Suggestion};
use crate::ui::analysis::tables::{MeasureStats, SuggestionCache, SuggestionKey};
use crate::ui::analysis::view_state::AnalysisUi;
use crate::ui::review::labeling::Labeling;

const BINS: usize = 40;

const SUGGESTIONS: [Suggestion; 2] = [
    Suggestion { tag: "dark", measure: "brightness", value: |s| s.brightness, default_below: DARK_BELOW },
    Suggestion { tag: "blurry", measure: "sharpness", value: |s| s.sharpness, default_below: BLURRY_BELOW },
];

/// The suggestions' part of the view state.
pub(in crate::ui) struct State<'a> {
    /// Where suggestions start, per suggestion (None: the default cut-off).
    pub below: [&'a mut Option<f64>; 2],
    /// Suggestions accepted or rejected in this window.
    pub reviewed: &'a HashSet<(PairId, String)>,
    pub lists: &'a mut [SuggestionCache; 2],
    pub computations: &'a mut u64,
}

/// Each pair's two photos measured for `s` (None when not both measured).
fn measures(data: &AnalysisData, s: &Suggestion) -> Vec<Option<[ImageMeasure; 2]>> {
    let measure = |id: &crate::store::ImageId| {
        data.photos.get(id).map(|photo| ImageMeasure { image: id.0, value: (s.value)(photo) })
    };
    data.pair_photos.iter().map(|p| p.as_ref().and_then(|[a, b]| Some([measure(a)?, measure(b)?]))).collect()
}

/// Photos suggested for `s`, lowest value first, each with its pairs that are not tagged so by
/// consensus nor by me, not rejected and not reviewed in this window.
fn candidates(
    data: &AnalysisData,
    s: &Suggestion,
    below: f64,
    labeling: Option<&Labeling>,
    me: Option<LabelerId>,
    reviewed: &HashSet<(PairId, String)>,
) -> Vec<ImageSuggestion> {
    let tag = data.prepared.tag_names().iter().position(|n| n.eq_ignore_ascii_case(s.tag));
    let key = |pair: PairId| (pair, s.tag.to_owned());
    suggest_by_image(&measures(data, s), below, |i| {
        let pair = data.pair_ids[i];
        let tagged = tag.is_some_and(|t| {
            data.prepared.consensus()[i] & (1 << t) != 0
                || matches!((labeling, me), (Some(l), Some(me)) if l.has_tag(pair, me, data.tag_ids[t]))
        });
        !tagged && !data.rejected.contains(&key(pair)) && !reviewed.contains(&key(pair))
    })
}

/// A photo listed for a tag: its name, its value and its pairs.
#[derive(Clone, Debug, PartialEq)]
pub struct ListedPhoto {
    pub name: String,
    pub value: f64,
    pub pairs: Vec<PairId>,
}

/// The photos listed for `tag` (as the screen would list them now).
pub(in crate::ui) fn listed(
    data: &AnalysisData,
    view: &AnalysisUi,
    labeling: Option<&Labeling>,
    me: Option<LabelerId>,
    tag: &str,
) -> Vec<ListedPhoto> {
    let Some(s) = SUGGESTIONS.iter().find(|s| s.tag == tag) else { return Vec::new() };
    let slot = if s.tag == "dark" { view.dark_below } else { view.blurry_below };
    let below = slot.unwrap_or(s.default_below);
    candidates(data, s, below, labeling, me, &view.reviewed_suggestions)
        .into_iter()
        .map(|c| ListedPhoto {
            name: data.photos.get(&crate::store::ImageId(c.image)).map(|p| p.name.clone()).unwrap_or_default(),
            value: c.value,
            pairs: c.pairs.iter().map(|&i| data.pair_ids[i]).collect(),
        })
        .collect()
}

pub(in crate::ui) fn show(ui: &mut egui::Ui, at: AnalysisView<'_>, state: State<'_>) -> Vec<AnalysisCommand> {
    let mut commands = Vec::new();
    let data = at.data;
    ui.heading("Suggested tags from image statistics");
    if data.photos.is_empty() {
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
            let stats = cache
                .stats
                .get(data.generation, computations, || MeasureStats::new(&per_image_values(&measures(data, s)), BINS));
            let (lo, hi, width) = (stats.lo, stats.hi, stats.width);
            let below = slot.get_or_insert(s.default_below);
            col.horizontal(|ui| {
                let label = ui.label(format!("Suggest {} when a photo's {} is below", s.tag, s.measure));
                // From 0, not from the lowest value: a fixed cut-off below every photo means none
                // is suggested, and must not be pulled up to the lowest one.
                let top = hi.max(*below);
                ui.add(egui::DragValue::new(below).range(0.0..=top).speed(top / 200.0).max_decimals(3))
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
            let photos = cache.list.get(key, computations, || candidates(data, s, below, at.labeling, at.me, reviewed));
            let row = Row { suggestion: s, below, tag: tag.map(|t| data.tag_ids[t]) };
            commands.extend(suggestion_rows::header(col, &row, photos, data));
            if !photos.is_empty() {
                commands.extend(suggestion_rows::list(col, &row, photos, &at, &mut visible_paths));
            }
        }
    });
    at.images.want(&visible_paths, suggestion_rows::THUMB_SIDE);
    commands
}
