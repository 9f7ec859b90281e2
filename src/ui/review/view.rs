//! The review screen: two photos side by side, the verdict, the tag strip, and (once I have
//! given my verdict, or with blind mode off) the truth, the model score and others' work.
//! Fully keyboard-driven; every key is a command, saved at once.

use egui::{Color32, Rect, RichText, Sense, Vec2};

use crate::domain::Truth;
use std::time::Duration;

use crate::store::{LabelerId, PairId, ReviewImage, ReviewPair};
use crate::ui::review::command::{Nav, ReviewCommand};
use crate::ui::review::labeling::{Labeling, QueueKind};
use crate::ui::review::session::Session;
use crate::ui::widgets::image_cache::{Entry, ImageCache, review_side};

/// Zoom and pan, shared by both photos so that the same region of each face is compared.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Zoom {
    pub scale: f32,
    pub offset: Vec2,
}

impl Default for Zoom {
    fn default() -> Self {
        Zoom { scale: 1.0, offset: Vec2::ZERO }
    }
}

/// How long the last page turn took: from the frame that handled the key to the end of the
/// frame that drew both photos of the new pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageTurn {
    pub frames: u64,
    pub elapsed: Duration,
}

/// What the review screen draws, borrowed from the app for one frame.
pub(in crate::ui) struct OnScreen<'a> {
    pub labeling: &'a Labeling,
    pub session: &'a Session,
    pub images: &'a ImageCache,
    /// The model-errors threshold, for the score line.
    pub threshold: f64,
    pub blind: bool,
    pub last_turn: Option<PageTurn>,
    /// What the status line says about saving, and whether it is a problem.
    pub save_status: (String, bool),
}

/// Room below the photos for names, verdict, tags and what blind mode reveals.
const BELOW_PHOTOS: f32 = 210.0;

/// "#rrggbb" to a colour; grey when the text is malformed.
pub(in crate::ui) fn parse_colour(hex: &str) -> Color32 {
    let channel = |i: usize| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok());
    match (hex.starts_with('#'), channel(1), channel(3), channel(5)) {
        (true, Some(r), Some(g), Some(b)) => Color32::from_rgb(r, g, b),
        _ => Color32::GRAY,
    }
}

pub(in crate::ui) fn truth_word(truth: Option<Truth>) -> &'static str {
    truth.map(Truth::as_str).unwrap_or("unknown")
}

/// Draws the pair on screen; returns the commands and, once both photos are drawn, the pair.
pub(in crate::ui) fn show(ui: &mut egui::Ui, on: &OnScreen, zoom: &mut Zoom) -> (Vec<ReviewCommand>, Option<PairId>) {
    let mut commands = Vec::new();
    let mut drawn = None;
    let OnScreen { labeling, session, images, threshold, blind, last_turn, .. } = *on;
    let (save_status, save_trouble) = (on.save_status.0.as_str(), on.save_status.1);
    let me = session.me.id;
    let current = session.current().and_then(|id| labeling.pair(id));

    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            if let Some(notice) = &session.notice {
                ui.label(notice);
                ui.separator();
            }
            if let Some((words, left)) = session.acknowledgement() {
                ui.label(words);
                ui.separator();
                ui.ctx().request_repaint_after(left);
            }
            if let Some(turn) = last_turn {
                let when = match turn.frames {
                    0 => "in the frame that read the key".to_owned(),
                    1 => "1 frame after the key".to_owned(),
                    n => format!("{n} frames after the key"),
                };
                // Shown only with the developers' overlay (F12).
                ui.weak(format!("Last page turn drawn {when}, {:.1} ms", turn.elapsed.as_secs_f64() * 1000.0));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.weak("Press ? for keys.");
                ui.separator();
                if save_trouble {
                    ui.colored_label(ui.visuals().warn_fg_color, save_status);
                } else {
                    ui.weak(save_status);
                }
            });
        });
    });

    egui::CentralPanel::default().show(ui, |ui| {
        let Some(pair) = current else {
            ui.vertical_centered(|ui| {
                ui.add_space(40.0);
                ui.heading(session_queue_title(session, labeling));
                if session.queue == QueueKind::MyAssignments {
                    // The hub says why in its rules: every pair has its labelers (the overlap).
                    ui.label(
                        "The hub has no pair for you now: each pair has as many labelers as the hub's overlap asks \
                         (its owner sets it with `pairscope hub assignments URL --overlap K`). Pairs come back \
                         when someone's lease runs out; this queue fills by itself.",
                    );
                } else {
                    ui.label("No pairs in this queue. Pick another queue on the left.");
                }
            });
            return;
        };
        let note = labeling.data.notes.get(&(pair.id, me)).cloned().unwrap_or_default();
        let revealed = labeling.revealed(pair.id, me);
        // Blind, nothing on screen may give the answer away: not even a file name or a pair id.
        let answer_shown = !blind || revealed.is_some();

        header(ui, session, pair, labeling, answer_shown, &mut commands);
        ui.add_space(4.0);
        let both_ready = photos(ui, images, pair, answer_shown, zoom);
        if both_ready {
            drawn = Some(pair.id);
        }
        ui.add_space(6.0);
        let mine = labeling.verdict(pair.id, me);
        verdict_row(ui, pair.id, mine, &mut commands);
        let adjudicator = session.me.role == crate::store::Role::Adjudicator;
        tag_strip(ui, pair.id, me, adjudicator, labeling, &mut commands);
        if !note.is_empty() {
            ui.label(format!("Your note: {note}"));
        }
        ui.separator();
        if answer_shown {
            if let (Some(mine), Some(truth)) = (mine, pair.truth)
                && mine != truth
            {
                // How a labeler learns the definition: their miss stands out.
                let text = format!("Your verdict: {}, truth: {}", mine.as_str(), truth.as_str());
                ui.label(RichText::new(text).strong().size(16.0).color(ui.visuals().error_fg_color));
            }
            reveal(ui, pair, me, labeling, threshold);
            if blind && revealed.is_some_and(|r| r.before_tagging) {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "Revealed before tagging: labels you give on this pair now count as not blind.",
                );
            }
        } else {
            ui.weak(
                "Blind mode: the truth, the model score, other labelers' work and the file names appear when you \
                 leave this pair, or now with R (your labels on it then count as not blind).",
            );
        }
    });
    (commands, drawn)
}

pub(in crate::ui) fn queue_title(kind: QueueKind, labeling: &Labeling) -> String {
    match kind {
        QueueKind::All => "All pairs".into(),
        QueueKind::UnlabeledByMe => "Unlabeled by me".into(),
        QueueKind::Disagreements => "Disagreements".into(),
        QueueKind::ModelErrors => "Model errors".into(),
        QueueKind::Tag(t) => format!("Tag {}", labeling.tag_name(t)),
        QueueKind::Split(s) => format!("Split {}", s.map(|s| s.as_str()).unwrap_or("none")),
        QueueKind::Truth(t) => format!("Truth {}", truth_word(t)),
        QueueKind::SliceErrors => "Errors of a slice".into(),
        QueueKind::LikelyWrongTruth => "Likely wrong truth".into(),
        QueueKind::NeedsAnotherLabel => "Needs another label".into(),
        QueueKind::MyAssignments => "My assignments".into(),
        QueueKind::Gold => "Gold check".into(),
    }
}

/// The title of the queue being walked: the error browser's queue is named after its slice.
fn session_queue_title(session: &Session, labeling: &Labeling) -> String {
    match (&session.slice_errors, session.queue) {
        (Some(errors), QueueKind::SliceErrors) => errors.title(),
        (_, kind) => queue_title(kind, labeling),
    }
}

fn header(
    ui: &mut egui::Ui,
    session: &Session,
    pair: &ReviewPair,
    labeling: &Labeling,
    answer_shown: bool,
    commands: &mut Vec<ReviewCommand>,
) {
    let (cursor, len) = (session.cursor, session.order.len());
    ui.horizontal_wrapped(|ui| {
        ui.heading(format!("Pair {} of {} in {}", cursor + 1, len, session_queue_title(session, labeling)));
        if answer_shown {
            ui.separator();
            let id = pair.external_id.clone().unwrap_or_else(|| format!("#{}", pair.id));
            ui.label(format!("id {id}"));
        }
        if let Some(split) = pair.split {
            ui.label(format!("split {}", split.as_str()));
        }
    });
    ui.horizontal(|ui| {
        if ui.add_enabled(cursor > 0, egui::Button::new("Previous (Left)")).clicked() {
            commands.push(ReviewCommand::Go(Nav::Previous));
        }
        if ui.add_enabled(cursor + 1 < len, egui::Button::new("Next (Right)")).clicked() {
            commands.push(ReviewCommand::Go(Nav::Next));
        }
        if ui.button("Next unlabeled (Space)").clicked() {
            commands.push(ReviewCommand::Go(Nav::NextUnlabeled));
        }
        ui.separator();
        if ui.add_enabled(session.can_undo(), egui::Button::new("Undo (Ctrl+Z)")).clicked() {
            commands.push(ReviewCommand::Undo);
        }
        if ui.add_enabled(session.can_redo(), egui::Button::new("Redo (Ctrl+Shift+Z)")).clicked() {
            commands.push(ReviewCommand::Redo);
        }
        // Gold is the adjudicator's mark; a labeler never learns which pairs carry it.
        if session.me.role == crate::store::Role::Adjudicator && answer_shown {
            ui.separator();
            let text = if labeling.data.gold.contains(&pair.id) { "Unmark gold (G)" } else { "Mark gold (G)" };
            if ui
                .button(text)
                .on_hover_text("Gold pairs have a checked truth; blind labelers meet them unannounced.")
                .clicked()
            {
                commands.push(ReviewCommand::ToggleGold(pair.id));
            }
        }
    });
}

/// Draws both photos at the same height, named "Photo A" and "Photo B" until the answer is
/// shown (a file name can give it away). Returns whether both were ready (or failed) to show.
fn photos(ui: &mut egui::Ui, images: &ImageCache, pair: &ReviewPair, named: bool, zoom: &mut Zoom) -> bool {
    let spacing = ui.spacing().item_spacing.x * 2.0;
    let width = ((ui.available_width() - spacing) / 2.0).max(80.0);
    let height = (ui.available_height() - BELOW_PHOTOS).max(120.0);
    let decoded_side = review_side(ui.ctx());
    let size_of = |image: &ReviewImage| match images.get(&image.path, decoded_side) {
        Some(Entry::Ready(texture, _)) => Some(texture.size_vec2()),
        _ => None,
    };
    // One display height for both, the largest at which each still fits its half.
    let fit = |size: Option<Vec2>| size.map(|s| height.min(width * s.y / s.x)).unwrap_or(height);
    let common = fit(size_of(&pair.a)).min(fit(size_of(&pair.b)));
    let mut ready = true;
    ui.horizontal_top(|ui| {
        for (side, image) in [("A", &pair.a), ("B", &pair.b)] {
            ui.vertical(|ui| {
                let name = named.then_some(image.name.as_str());
                ready &= photo(ui, images, image, side, name, Vec2::new(width, height), common, zoom);
                let dims = match (image.width, image.height, images.get(&image.path, decoded_side)) {
                    (_, _, Some(&Entry::Ready(_, [w, h]))) | (Some(w), Some(h), _) => format!("{w} × {h} px"),
                    _ => "size unknown".into(),
                };
                if named {
                    ui.label(RichText::new(format!("{side}: {}", image.name)).monospace())
                        .on_hover_text(image.path.display().to_string());
                } else {
                    ui.weak(format!("{side}: name hidden in blind mode"));
                }
                ui.weak(dims);
            });
        }
    });
    ready
}

#[allow(clippy::too_many_arguments)]
fn photo(
    ui: &mut egui::Ui,
    images: &ImageCache,
    image: &ReviewImage,
    side: &str,
    name: Option<&str>,
    area: Vec2,
    display_height: f32,
    zoom: &mut Zoom,
) -> bool {
    let (rect, response) = ui.allocate_exact_size(area, Sense::click_and_drag());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 4.0, ui.visuals().extreme_bg_color);
    let (ready, label) = match images.get(&image.path, review_side(ui.ctx())) {
        Some(Entry::Ready(texture, _)) => {
            if response.hovered() {
                let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
                let wanted = (zoom.scale * (scroll * 0.002).exp() * pinch).clamp(0.5, 12.0);
                // Zoom about the pointer, so the spot under it stays put.
                if let Some(pointer) = response.hover_pos()
                    && wanted != zoom.scale
                {
                    let factor = wanted / zoom.scale;
                    let centre = rect.center() + zoom.offset;
                    zoom.offset = pointer + (centre - pointer) * factor - rect.center();
                    zoom.scale = wanted;
                }
            }
            if response.dragged() {
                zoom.offset += response.drag_delta();
            }
            let size = texture.size_vec2();
            let shown = Vec2::new(display_height * size.x / size.y, display_height) * zoom.scale;
            let centre = rect.center() + zoom.offset;
            let uv = Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0));
            painter.image(texture.id(), Rect::from_center_size(centre, shown), uv, Color32::WHITE);
            (true, name.map_or_else(|| format!("Photo {side}"), |name| format!("Photo {side}: {name}")))
        }
        Some(Entry::Failed(why)) => {
            // Wrapped and centred inside the photo's place, however long the reason.
            let text = match name {
                Some(name) => format!("Cannot show photo {side}\n{name}\n{why}"),
                None => format!("Cannot show photo {side}\n{why}"),
            };
            let mut job = egui::text::LayoutJob::simple(
                text,
                egui::FontId::proportional(16.0),
                ui.visuals().error_fg_color,
                rect.width() - 24.0,
            );
            job.halign = egui::Align::Center;
            let galley = ui.fonts_mut(|f| f.layout_job(job));
            let top = rect.center() - egui::vec2(0.0, galley.size().y / 2.0);
            painter.galley(top, galley, ui.visuals().error_fg_color);
            (true, format!("Cannot show photo {side}: {why}"))
        }
        _ => {
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                "Loading…",
                egui::FontId::proportional(16.0),
                ui.visuals().weak_text_color(),
            );
            (false, format!("Loading photo {side}"))
        }
    };
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &label));
    ready
}

fn verdict_row(ui: &mut egui::Ui, pair: PairId, mine: Option<Truth>, commands: &mut Vec<ReviewCommand>) {
    ui.horizontal(|ui| {
        ui.label("Your verdict:");
        for (verdict, text) in [(Truth::Same, "Same (S)"), (Truth::Different, "Different (D)")] {
            if ui.add(egui::Button::selectable(mine == Some(verdict), text)).clicked() {
                commands.push(ReviewCommand::SetVerdict { pair, verdict });
            }
        }
        if mine.is_none() {
            ui.weak("not given yet");
        }
    });
}

/// The tags of the pair, toggled by click or key. An adjudicator pins the pair as an example
/// of a tag from its context menu.
fn tag_strip(
    ui: &mut egui::Ui,
    pair: PairId,
    me: LabelerId,
    adjudicator: bool,
    labeling: &Labeling,
    commands: &mut Vec<ReviewCommand>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Tags:");
        for tag in &labeling.data.tags {
            let on = labeling.has_tag(pair, me, tag.id);
            let colour = parse_colour(&tag.colour);
            let key = tag.hotkey.map(|k| format!("{k} ")).unwrap_or_default();
            let text = RichText::new(format!("{key}{}", tag.name)).color(if on {
                Color32::WHITE
            } else {
                ui.visuals().text_color()
            });
            let fill = if on { colour } else { colour.gamma_multiply(0.2) };
            let button = egui::Button::new(text).fill(fill).stroke(egui::Stroke::new(1.0, colour)).selected(on);
            let hover = crate::ui::review::cheat_sheet::tag_definition(labeling, tag);
            let response = ui.add(button).on_hover_text(hover);
            if response.clicked() {
                commands.push(ReviewCommand::ToggleTag { pair, tag: tag.id });
            }
            if adjudicator {
                response.context_menu(|ui| {
                    let pinned = labeling.data.tag_examples.iter().find(|e| e.tag == tag.id && e.pair == pair);
                    let mut pin = |ui: &mut egui::Ui, text: &str, positive: Option<bool>| {
                        let current = pinned.map(|e| e.positive);
                        if ui.add_enabled(current != positive, egui::Button::new(text)).clicked() {
                            commands.push(ReviewCommand::PinTagExample { tag: tag.id, pair, positive });
                            ui.close();
                        }
                    };
                    pin(ui, &format!("Pin as an example of {}", tag.name), Some(true));
                    pin(ui, &format!("Pin as an example of not {}", tag.name), Some(false));
                    pin(ui, "Unpin", None);
                });
            }
        }
    });
}

/// What blind mode hides until my verdict is in.
fn reveal(ui: &mut egui::Ui, pair: &ReviewPair, me: LabelerId, labeling: &Labeling, threshold: f64) {
    ui.horizontal(|ui| {
        ui.label(format!("Truth: {}", truth_word(pair.truth)));
        ui.separator();
        match labeling.score(pair.id) {
            Some((model, score)) => {
                let predicted = if score >= threshold { "same" } else { "different" };
                ui.label(format!("Score ({model}): {score:.3}, predicts {predicted} at {threshold:.3}"));
            }
            None => {
                ui.weak("No model score");
            }
        }
        if let Some(p) = labeling.quality.as_ref().and_then(|q| q.probability.get(&pair.id)) {
            ui.separator();
            ui.label(format!("P(same) {p:.3}")).on_hover_text(
                "The model's score calibrated to a probability (Platt scaling, fitted out of fold on pairs with \
                 a truth; see the reliability plot on Model).",
            );
        }
        if let Some(decision) = labeling.data.adjudications.get(&pair.id) {
            ui.separator();
            ui.label(format!("Adjudicated: {}", truth_word(decision.verdict)));
        }
        // Which pairs are gold is never a labeler's to know, not even after their verdict:
        // gold that announces itself afterwards teaches where it hides.
        let may_know_gold = labeling.data.labelers.iter().any(|l| l.id == me && l.role.may_unblind());
        if may_know_gold && labeling.data.gold.contains(&pair.id) {
            ui.separator();
            ui.label("Gold pair");
        }
    });
    if let Some(q) = &labeling.quality
        && let Some(rank) = q.likely_wrong_truth.iter().position(|&p| p == pair.id)
    {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "Likely wrong truth (#{} of {}): labelers and model agree against the truth. An adjudicator can \
                 correct it with a reason.",
                rank + 1,
                q.likely_wrong_truth.len()
            ),
        );
    }
    let others: Vec<String> = labeling
        .labelers_on(pair.id)
        .into_iter()
        .filter(|&l| l != me)
        .map(|l| {
            let name = labeling.data.labelers.iter().find(|x| x.id == l).map(|x| x.name.as_str()).unwrap_or("?");
            let tags: Vec<&str> = labeling.tags_by(pair.id, l).into_iter().map(|t| labeling.tag_name(t)).collect();
            let tags = if tags.is_empty() { String::new() } else { format!(" [{}]", tags.join(", ")) };
            format!("{name}: {}{tags}", truth_word(labeling.verdict(pair.id, l)))
        })
        .collect();
    if others.is_empty() {
        ui.weak("No other labeler has worked on this pair.");
    } else {
        ui.label(format!("Others: {}", others.join(" · ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_and_bad_ones_turn_grey() {
        assert_eq!(parse_colour("#ff8000"), Color32::from_rgb(255, 128, 0));
        assert_eq!(parse_colour("orange"), Color32::GRAY);
        assert_eq!(parse_colour("#ff"), Color32::GRAY);
    }
}
