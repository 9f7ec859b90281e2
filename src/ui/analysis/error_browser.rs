//! The error browser: one slice's errors as a grid of thumbnail pairs, the most wrong first,
//! coloured by kind (FP / FN). Virtualised: only the rows on screen are laid out and only
//! their photos are decoded. Clicking a pair opens it in review.

use crate::analysis::{SliceKey, Truth};
use crate::ui::analysis::AnalysisView;
use crate::ui::analysis::command::AnalysisCommand;
use crate::ui::analysis::data::{AnalysisData, tag_list};
use crate::ui::analysis::tables::{BrowserKey, SliceErrors};
use crate::ui::analysis::thumbnail::thumbnail;
use crate::ui::analysis::view_state::AnalysisUi;
use crate::ui::widgets::format::count;

const CELL_WIDTH: f32 = 236.0;
const THUMB: f32 = 108.0;
const CELL_HEIGHT: f32 = THUMB + 62.0;
/// Longest side thumbnails are decoded to (pixels).
const THUMB_SIDE: u32 = 256;

/// False positives (different people, predicted same) and false negatives.
pub fn fp_colour(dark: bool) -> egui::Color32 {
    if dark { egui::Color32::from_rgb(230, 120, 60) } else { egui::Color32::from_rgb(190, 80, 20) }
}

pub fn fn_colour(dark: bool) -> egui::Color32 {
    if dark { egui::Color32::from_rgb(110, 160, 250) } else { egui::Color32::from_rgb(30, 90, 200) }
}

pub(in crate::ui) fn show(
    ui: &mut egui::Ui,
    at: AnalysisView<'_>,
    view: &mut AnalysisUi,
    threshold: f64,
) -> Vec<AnalysisCommand> {
    let mut commands = Vec::new();
    let (data, Some(labeling), Some(key)) = (at.data, at.labeling, view.browsing.clone()) else {
        return commands;
    };
    let browser_key = BrowserKey { generation: data.generation, threshold: threshold.to_bits(), slice: key.clone() };
    let listed = view
        .browser
        .get(browser_key, &mut view.computations.error_lists, || SliceErrors::compute(data, &key, threshold));
    let SliceErrors { errors, pairs: error_pairs, false_positives: fp } = &*listed;
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        if ui.button("Back to the tables").clicked() {
            commands.push(AnalysisCommand::Browse(None));
        }
        ui.heading(format!("Errors in {}", data.slice_name(&key)));
        ui.label(format!("{} errors: ", count(errors.len() as u64)));
        ui.colored_label(fp_colour(dark), format!("{} FP", count(*fp as u64)));
        ui.colored_label(fn_colour(dark), format!("{} FN", count((errors.len() - fp) as u64)));
        ui.weak("most wrong first");
    });
    ui.separator();
    if errors.is_empty() {
        ui.label("The model gets every pair of this slice right at this threshold.");
        return commands;
    }
    let per_row = ((ui.available_width() / CELL_WIDTH).floor() as usize).max(1);
    let rows = errors.len().div_ceil(per_row);
    let mut visible_paths = Vec::new();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show_rows(ui, CELL_HEIGHT, rows, |ui, range| {
        for row in range {
            ui.horizontal(|ui| {
                for &i in errors.iter().skip(row * per_row).take(per_row) {
                    let i = i as usize;
                    let pair_id = data.pair_ids[i];
                    let Some(pair) = labeling.pair(pair_id) else { continue };
                    visible_paths.push(pair.a.path.clone());
                    visible_paths.push(pair.b.path.clone());
                    let truth = data.snapshot.truth[i];
                    let score = data.snapshot.score[i];
                    let colour = if truth == Some(Truth::Different) { fp_colour(dark) } else { fn_colour(dark) };
                    let kind = if truth == Some(Truth::Different) { "FP" } else { "FN" };
                    let name = pair.external_id.clone().unwrap_or_else(|| format!("pair {}", pair_id.0));
                    let frame = egui::Frame::group(ui.style()).stroke(egui::Stroke::new(2.0, colour));
                    let response = frame
                        .show(ui, |ui| {
                            ui.set_width(CELL_WIDTH - 16.0);
                            ui.set_height(CELL_HEIGHT - 16.0);
                            ui.vertical(|ui| {
                                ui.horizontal(|ui| {
                                    thumbnail(ui, at.images.get(&pair.a.path, THUMB_SIDE), THUMB);
                                    thumbnail(ui, at.images.get(&pair.b.path, THUMB_SIDE), THUMB);
                                });
                                let truth = match truth {
                                    Some(Truth::Same) => "same",
                                    Some(Truth::Different) => "different",
                                    None => "?",
                                };
                                ui.horizontal(|ui| {
                                    ui.colored_label(colour, egui::RichText::new(kind).strong());
                                    ui.label(format!("score {score:.3} · truth {truth}"));
                                });
                                let tags = tag_list(data.prepared.tag_names(), data.prepared.consensus()[i]);
                                ui.add(
                                    // Full size: the pair's name is what people search for and quote.
                                    egui::Label::new(format!("{name} · {tags}")).truncate(),
                                );
                            });
                        })
                        .response;
                    let response = response.interact(egui::Sense::click()).on_hover_text(
                        "Click: open in review, in a queue of this slice's errors. Right-click: add a tag.",
                    );
                    let label = format!("Open {name} in review");
                    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                    if response.clicked() {
                        commands.push(AnalysisCommand::OpenErrorInReview {
                            slice: slice_title(data, &key),
                            errors: error_pairs.clone(),
                            pair: pair_id,
                        });
                    }
                    response.context_menu(|ui| {
                        ui.weak("Tag this pair (as the labeler at work)");
                        for (t, name) in data.prepared.tag_names().iter().enumerate() {
                            let has = data.prepared.consensus()[i] & (1 << t) != 0;
                            if !has && ui.button(format!("Tag {name}")).clicked() {
                                commands.push(AnalysisCommand::ApplyTag { pairs: vec![pair_id], tag: data.tag_ids[t] });
                                ui.close();
                            }
                        }
                    });
                }
            });
        }
    });
    at.images.want(&visible_paths, THUMB_SIDE);
    commands
}

/// The slice as the title of its queue in review names it: "tag dark", "tags dark + blurry",
/// "camera = phone".
fn slice_title(data: &AnalysisData, key: &SliceKey) -> String {
    let name = data.slice_name(key);
    match key {
        SliceKey::Tag { .. } => format!("tag {name}"),
        SliceKey::TagPair { .. } => format!("tags {name}"),
        SliceKey::Metadata { .. } => name,
    }
}
