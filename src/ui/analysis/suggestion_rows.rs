//! The rows of a suggestion list: one per photo, with its thumbnail, file name, measured
//! value beside the cut-off and how many pairs it is in (their ids on hover). Accepting a row
//! tags every one of those pairs in one command; rejecting it stops suggesting the tag for them.

use crate::analysis::image_quality::ImageSuggestion;
use std::collections::HashSet;

use crate::store::{ImageId, PairId, PhotoStats, TagId};
use crate::ui::analysis::AnalysisView;
use crate::ui::analysis::command::AnalysisCommand;
use crate::ui::analysis::data::AnalysisData;
use crate::ui::analysis::thumbnail::thumbnail;
use crate::ui::widgets::format::count;

const THUMB: f32 = 48.0;
const ROW_HEIGHT: f32 = THUMB + 8.0;
const LIST_HEIGHT: f32 = 6.0 * ROW_HEIGHT;
/// Longest side the list's thumbnails are decoded to (pixels).
pub(in crate::ui) const THUMB_SIDE: u32 = 128;
/// Pair ids named on hover before "and N more".
const NAMED_PAIRS: usize = 30;

/// One suggested tag: what it measures and how.
pub(in crate::ui) struct Suggestion {
    pub tag: &'static str,
    /// What is measured and below what a photo is suggested.
    pub measure: &'static str,
    pub value: fn(&PhotoStats) -> f64,
    /// The cut-off until the user moves it.
    pub default_below: f64,
}

/// What every row of one list shares.
pub(in crate::ui) struct Row<'a> {
    pub suggestion: &'a Suggestion,
    pub below: f64,
    /// The project's tag of that name (None: accepting is impossible).
    pub tag: Option<TagId>,
}

fn accept(row: &Row, pairs: Vec<PairId>) -> Option<AnalysisCommand> {
    Some(AnalysisCommand::AcceptSuggestion { pairs, tag: row.tag?, name: row.suggestion.tag.to_owned() })
}

/// The count and "Accept all shown".
pub(in crate::ui) fn header(
    ui: &mut egui::Ui,
    row: &Row,
    photos: &[ImageSuggestion],
    data: &AnalysisData,
) -> Option<AnalysisCommand> {
    let tag = row.suggestion.tag;
    let pairs = pairs_of(photos, data);
    ui.horizontal(|ui| {
        ui.label(summary(photos.len(), pairs.len(), tag));
        let clicked = !photos.is_empty()
            && ui
                .add_enabled(row.tag.is_some(), egui::Button::new("Accept all shown"))
                .on_hover_text(format!("Tag every pair of the listed photos {tag} as you (the labeler at work)."))
                .on_disabled_hover_text(format!("The project has no tag named {tag}."))
                .clicked();
        if clicked { accept(row, pairs) } else { None }
    })
    .inner
}

/// The pairs' names for the hover text, at most [`NAMED_PAIRS`] of them.
fn pair_names(pairs: &[usize], data: &AnalysisData, at: &AnalysisView) -> String {
    let name = |&i: &usize| {
        let pair = data.pair_ids[i];
        at.labeling
            .and_then(|l| l.pair(pair))
            .and_then(|p| p.external_id.clone())
            .unwrap_or_else(|| format!("pair {}", pair.0))
    };
    let mut text: Vec<String> = pairs.iter().take(NAMED_PAIRS).map(name).collect();
    if pairs.len() > NAMED_PAIRS {
        text.push(format!("and {} more", pairs.len() - NAMED_PAIRS));
    }
    text.join(", ")
}

/// One row per photo, scrolled.
pub(in crate::ui) fn list(
    ui: &mut egui::Ui,
    row: &Row,
    photos: &[ImageSuggestion],
    at: &AnalysisView,
    visible_paths: &mut Vec<std::path::PathBuf>,
) -> Vec<AnalysisCommand> {
    let (s, data) = (row.suggestion, at.data);
    let mut commands = Vec::new();
    egui::ScrollArea::vertical()
        .id_salt(("suggested", s.tag))
        .max_height(LIST_HEIGHT)
        .auto_shrink([false, true])
        .show_rows(ui, ROW_HEIGHT, photos.len(), |ui, range| {
            for photo in &photos[range] {
                let Some(stats) = data.photos.get(&ImageId(photo.image)) else { continue };
                let pairs: Vec<PairId> = photo.pairs.iter().map(|&i| data.pair_ids[i]).collect();
                ui.horizontal(|ui| {
                    ui.set_height(ROW_HEIGHT - 4.0);
                    visible_paths.push(stats.path.clone());
                    thumbnail(ui, at.images.get(&stats.path, THUMB_SIDE), THUMB);
                    ui.vertical(|ui| {
                        ui.label(&stats.name);
                        ui.horizontal(|ui| {
                            ui.weak(format!("{} {:.3} < {:.3}", s.measure, photo.value, row.below));
                            let noun = if pairs.len() == 1 { "pair" } else { "pairs" };
                            ui.label(format!("in {} {noun}", pairs.len())).on_hover_text(pair_names(
                                &photo.pairs,
                                data,
                                at,
                            ));
                        });
                    });
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui
                            .button("Reject")
                            .on_hover_text(format!("Not {}: do not suggest it for this photo's pairs again.", s.tag))
                            .clicked()
                        {
                            commands
                                .push(AnalysisCommand::RejectSuggestion { pairs: pairs.clone(), tag: s.tag.into() });
                        }
                        if ui
                            .add_enabled(row.tag.is_some(), egui::Button::new("Accept"))
                            .on_hover_text(format!("Tag this photo's {} pairs {} as you.", pairs.len(), s.tag))
                            .clicked()
                        {
                            commands.extend(accept(row, pairs.clone()));
                        }
                    });
                });
            }
        });
    commands
}

/// The pairs of these photos, each once, in order.
fn pairs_of(photos: &[ImageSuggestion], data: &AnalysisData) -> Vec<PairId> {
    let mut seen = HashSet::new();
    photos.iter().flat_map(|p| &p.pairs).map(|&i| data.pair_ids[i]).filter(|p| seen.insert(*p)).collect()
}

/// How the photos' count reads: "3 photos suggested (in 40 pairs not yet tagged dark)".
fn summary(photos: usize, pairs: usize, tag: &str) -> String {
    let photo_noun = if photos == 1 { "photo" } else { "photos" };
    let pair_noun = if pairs == 1 { "pair" } else { "pairs" };
    format!(
        "{} {photo_noun} suggested (in {} {pair_noun} not yet tagged {tag})",
        count(photos as u64),
        count(pairs as u64)
    )
}
