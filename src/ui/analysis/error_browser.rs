//! The error browser: one slice's errors as a grid of thumbnail pairs, the most wrong first,
//! coloured by kind (FP / FN). Virtualised: only the rows on screen are laid out and only
//! their photos are decoded. Clicking a pair opens it in review.

use crate::analysis::{SliceKey, Truth};
use crate::store::PairId;
use crate::ui::analysis::data::AnalysisData;
use crate::ui::analysis::error_analysis::tag_list;
use crate::ui::app::PairscopeApp;
use crate::ui::app::command::Command;
use crate::ui::app::screens::count;
use crate::ui::widgets::image_cache::Entry;

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

pub(in crate::ui) fn show(ui: &mut egui::Ui, app: &mut PairscopeApp, threshold: f64) -> Vec<Command> {
    let mut commands = Vec::new();
    let (Some(data), Some(project), Some(key)) = (&app.analysis, &app.project, app.ui.analysis.browsing.clone()) else {
        return commands;
    };
    let errors = data.slice_errors(&key, threshold);
    let error_pairs: Vec<PairId> = errors.iter().map(|&i| data.pair_ids[i as usize]).collect();
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        if ui.button("Back to the tables").clicked() {
            app.ui.analysis.browsing = None;
        }
        ui.heading(format!("Errors in {}", data.slice_name(&key)));
        let fp = errors.iter().filter(|&&i| data.snapshot.truth[i as usize] == Some(Truth::Different)).count();
        ui.label(format!("{} errors: ", count(errors.len() as u64)));
        ui.colored_label(fp_colour(dark), format!("{} FP", count(fp as u64)));
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
                    let Some(pair) = project.labeling.pair(pair_id) else { continue };
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
                                    thumbnail(ui, app.images.get(&pair.a.path, THUMB_SIDE), THUMB);
                                    thumbnail(ui, app.images.get(&pair.b.path, THUMB_SIDE), THUMB);
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
                                    egui::Label::new(egui::RichText::new(format!("{name} · {tags}")).small())
                                        .truncate(),
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
                        commands.push(Command::OpenErrorInReview {
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
                                commands.push(Command::ApplyTag { pairs: vec![pair_id], tag: data.tag_ids[t] });
                                ui.close();
                            }
                        }
                    });
                }
            });
        }
    });
    app.images.want(&visible_paths, THUMB_SIDE);
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

pub(in crate::ui) fn thumbnail(ui: &mut egui::Ui, entry: Option<&Entry>, side: f32) {
    let size = egui::vec2(side, side);
    match entry {
        Some(Entry::Ready(texture, _)) => {
            ui.add(egui::Image::new(texture).fit_to_exact_size(size).maintain_aspect_ratio(true));
        }
        Some(Entry::Failed(why)) => {
            let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, ui.visuals().faint_bg_color);
            ui.painter().text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                "?",
                egui::FontId::proportional(20.0),
                ui.visuals().weak_text_color(),
            );
            response.on_hover_text(why.as_str());
        }
        _ => {
            let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, ui.visuals().faint_bg_color);
        }
    }
}
