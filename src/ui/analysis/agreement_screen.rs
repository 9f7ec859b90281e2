//! The agreement screen: how consistently the labelers label (Cohen's κ between every two,
//! Fleiss' κ, Krippendorff's α, percent agreement), which tag definitions are unclear, how
//! each labeler does against the truth (HLP), and the pairs they disagree on.

use crate::analysis::intervals::Proportion;
use crate::analysis::{Agreement, fleiss_is_partial};
use crate::ui::analysis::AnalysisView;
use crate::ui::analysis::command::AnalysisCommand;
use crate::ui::analysis::data::tag_list;
use crate::ui::analysis::fpr_claims::interval;
use crate::ui::analysis::header::export_button;
use crate::ui::analysis::view_state::AnalysisUi;
use crate::ui::widgets::format::{count, csv_line, pct, right, stat};

const ROW_HEIGHT: f32 = 22.0;
/// The disagreements list's height at most: about 20 rows before it scrolls.
const DISAGREEMENTS_HEIGHT: f32 = 20.0 * ROW_HEIGHT;

/// Red (κ ≤ 0) through yellow to green (κ = 1), readable on both themes.
pub fn kappa_colour(kappa: Option<f64>, dark: bool) -> egui::Color32 {
    let Some(k) = kappa else { return egui::Color32::GRAY };
    let t = k.clamp(0.0, 1.0) as f32;
    let (r, g) = if t < 0.5 { (1.0, t * 2.0) } else { (2.0 - t * 2.0, 1.0) };
    let scale = if dark { 150.0 } else { 235.0 };
    let base = if dark { 30.0 } else { 20.0 };
    egui::Color32::from_rgb((base + r * scale) as u8, (base + g * scale) as u8, (base + 0.35 * scale) as u8)
}

fn kappa_grid(ui: &mut egui::Ui, names: &[String], agreement: &Agreement) {
    let dark = ui.visuals().dark_mode;
    // The cells are light on both themes.
    let text = egui::Color32::BLACK;
    egui::Grid::new("cohen").spacing([6.0, 3.0]).show(ui, |ui| {
        ui.label("");
        for name in names {
            ui.strong(name);
        }
        ui.end_row();
        for (i, a) in names.iter().enumerate() {
            ui.strong(a);
            for j in 0..names.len() {
                let (lo, hi) = (i.min(j), i.max(j));
                let cell = agreement.cohen_kappa.iter().find(|c| c.a == lo && c.b == hi);
                let (kappa, label, hover) = if i == j {
                    (Some(1.0), "–".to_owned(), "the same labeler".to_owned())
                } else {
                    match cell {
                        Some(c) => {
                            (c.kappa, stat(c.kappa), format!("Cohen's κ over {} pairs both labeled", count(c.n)))
                        }
                        None => (None, "–".into(), "no pair labeled by both".into()),
                    }
                };
                let (rect, response) = ui.allocate_exact_size(egui::vec2(90.0, 26.0), egui::Sense::hover());
                let fill = if i == j { ui.visuals().faint_bg_color } else { kappa_colour(kappa, dark) };
                ui.painter().rect_filled(rect, 3.0, fill);
                let colour = if i == j { ui.visuals().weak_text_color() } else { text };
                ui.painter().text(
                    rect.center(),
                    egui::Align2::CENTER_CENTER,
                    label,
                    egui::FontId::monospace(14.0),
                    colour,
                );
                response.on_hover_text(hover);
            }
            ui.end_row();
        }
    });
}

/// Percent agreement, Fleiss' κ with its pairs, Krippendorff's α. When Fleiss' κ covers fewer
/// than half of the pairs with two verdicts or more, α leads and κ is grey, with the reason on
/// hover.
fn overall_rows(ui: &mut egui::Ui, agreement: &Agreement) {
    let partial = fleiss_is_partial(agreement.fleiss_pairs, agreement.pairs_with_two_verdicts);
    let alpha = |ui: &mut egui::Ui| {
        ui.label("Krippendorff's α")
            .on_hover_text("Over every pair with two verdicts or more; missing labels are allowed.");
        right(ui, stat(agreement.krippendorff_alpha));
        ui.end_row();
    };
    if partial {
        alpha(ui);
    }
    ui.label("Percent agreement");
    right(ui, pct(agreement.percent_agreement));
    ui.end_row();
    let fleiss = format!("Fleiss' κ ({} pairs)", count(agreement.fleiss_pairs));
    if partial {
        let why = format!(
            "Fleiss' κ covers only the {} pairs every labeler labeled, fewer than half of the {} pairs with two \
             verdicts or more. Krippendorff's α above uses them all.",
            count(agreement.fleiss_pairs),
            count(agreement.pairs_with_two_verdicts)
        );
        ui.weak(fleiss).on_hover_text(why.clone());
        right(ui, egui::RichText::new(stat(agreement.fleiss_kappa)).weak()).on_hover_text(why);
    } else {
        ui.label(fleiss);
        right(ui, stat(agreement.fleiss_kappa));
    }
    ui.end_row();
    if !partial {
        alpha(ui);
    }
}

/// "with dark: ana, ben · without: cy" for one pair and tag.
fn who_tagged(labeling: &crate::ui::review::labeling::Labeling, pair: crate::store::PairId, tag: &str) -> String {
    let Some(id) = labeling.data.tags.iter().find(|t| t.name.eq_ignore_ascii_case(tag)).map(|t| t.id) else {
        return String::new();
    };
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for labeler in labeling.labelers_on(pair) {
        let name = labeling.data.labelers.iter().find(|l| l.id == labeler).map_or("?", |l| l.name.as_str());
        if labeling.has_tag(pair, labeler, id) { with.push(name) } else { without.push(name) }
    }
    format!("with {tag}: {} · without: {}", with.join(", "), without.join(", "))
}

/// Each labeler's verdict on `pair`: "ana: same, ben: different".
fn who_said(labeling: &crate::ui::review::labeling::Labeling, pair: crate::store::PairId) -> String {
    let said: Vec<String> = labeling
        .labelers_on(pair)
        .into_iter()
        .filter_map(|labeler| {
            let verdict = labeling.verdict(pair, labeler)?;
            let name = labeling.data.labelers.iter().find(|l| l.id == labeler).map_or("?", |l| l.name.as_str());
            Some(format!("{name}: {}", verdict.as_str()))
        })
        .collect();
    said.join(", ")
}

/// How many labels were given with the answer in view, and the choice to leave them out.
fn not_blind_line(ui: &mut egui::Ui, not_blind: u64, blind_only: &mut bool) {
    ui.horizontal_wrapped(|ui| {
        if not_blind == 0 {
            ui.weak("Every label was given blind (before the truth or other labelers' work was visible).");
            return;
        }
        let labels = if not_blind == 1 { "label is" } else { "labels are" };
        ui.label(format!(
            "{} {labels} not blind: given after the truth or other labelers' work was visible to the labeler.",
            count(not_blind)
        ));
        ui.checkbox(blind_only, "Leave out labels that are not blind");
    });
    ui.add_space(6.0);
}

pub(in crate::ui) fn show(ui: &mut egui::Ui, at: AnalysisView<'_>, view: &mut AnalysisUi) -> Vec<AnalysisCommand> {
    let mut commands = Vec::new();
    let data = at.data;
    let blind_only = &mut view.blind_labels_only;
    let prepared = match &data.blind_only {
        Some(blind) if *blind_only => blind,
        _ => &data.prepared,
    };
    let agreement = prepared.agreement();
    let names = prepared.labeler_names();
    let tag_names = prepared.tag_names();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        not_blind_line(ui, data.not_blind_labels, blind_only);
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.heading("Overall");
                egui::Grid::new("overall agreement").striped(true).min_col_width(80.0).show(ui, |ui| {
                    overall_rows(ui, agreement);
                    let h = prepared.hlp().overall;
                    ui.label("HLP (all labelers vs truth)");
                    right(ui, pct(h.accuracy()));
                    right(ui, format!("{} / {}", count(h.correct), count(h.total)));
                    right(ui, interval(Proportion::new(h.correct, h.total).ci95()));
                    ui.end_row();
                });
            });
            ui.add_space(32.0);
            ui.vertical(|ui| {
                ui.heading("Cohen's κ between labelers");
                if names.len() < 2 {
                    ui.weak("Needs two labelers or more.");
                } else {
                    kappa_grid(ui, names, agreement);
                }
            });
        });
        ui.add_space(12.0);
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.horizontal(|ui| {
                    ui.heading("Per tag");
                    commands.extend(export_button(ui, "tag-agreement.csv", || {
                        let mut csv = csv_line(["tag", "percent_agreement", "krippendorff_alpha"]);
                        let opt = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
                        for (name, t) in tag_names.iter().zip(&agreement.tags) {
                            csv += &csv_line([name.clone(), opt(t.percent_agreement), opt(t.krippendorff_alpha)]);
                        }
                        csv
                    }));
                });
                ui.weak("A low α means the tag's definition is unclear.");
                egui::Grid::new("tag agreement").striped(true).min_col_width(80.0).show(ui, |ui| {
                    ui.strong("Tag");
                    right(ui, egui::RichText::new("Agreement").strong());
                    right(ui, egui::RichText::new("Krippendorff's α").strong());
                    ui.end_row();
                    for (bit, (name, t)) in tag_names.iter().zip(&agreement.tags).enumerate() {
                        let picked = view.disagreements_on_tag == Some(bit);
                        if ui
                            .selectable_label(picked, name)
                            .on_hover_text("List the pairs where labelers disagreed on this tag: the ones to discuss.")
                            .clicked()
                        {
                            view.disagreements_on_tag = if picked { None } else { Some(bit) };
                        }
                        right(ui, pct(t.percent_agreement));
                        right(ui, stat(t.krippendorff_alpha));
                        ui.end_row();
                    }
                });
                super::labeler_quality::definition_changes(ui, at.quality.0);
            });
            ui.add_space(32.0);
            ui.vertical(|ui| {
                ui.heading("HLP per labeler");
                egui::Grid::new("hlp").striped(true).min_col_width(80.0).show(ui, |ui| {
                    ui.strong("Labeler");
                    right(ui, egui::RichText::new("Verdicts vs truth").strong());
                    right(ui, egui::RichText::new("Accuracy").strong());
                    right(ui, egui::RichText::new("95 % interval").strong());
                    ui.end_row();
                    for (name, h) in names.iter().zip(&prepared.hlp().labelers) {
                        ui.label(name);
                        right(ui, count(h.total));
                        right(ui, pct(h.accuracy()));
                        right(ui, interval(Proportion::new(h.correct, h.total).ci95()));
                        ui.end_row();
                    }
                });
            });
        });
        ui.add_space(12.0);
        super::labeler_quality::table(ui, at.quality.0, at.quality.1);
        ui.add_space(12.0);
        let on_tag = view.disagreements_on_tag.filter(|&bit| bit < tag_names.len());
        let filtered: Vec<_>;
        let list = match on_tag {
            Some(bit) => {
                filtered = agreement.disagreements.iter().filter(|d| d.tags & (1 << bit) != 0).copied().collect();
                &filtered
            }
            None => &agreement.disagreements,
        };
        ui.horizontal(|ui| match on_tag {
            Some(bit) => {
                ui.heading(format!("Disagreements on {} ({})", tag_names[bit], count(list.len() as u64)));
                if ui.button("Show all").clicked() {
                    view.disagreements_on_tag = None;
                }
            }
            None => {
                ui.heading(format!("Disagreements ({})", count(list.len() as u64)));
            }
        });
        if list.is_empty() {
            // With one labeler (or none on the same pair) nothing was compared: no agreement to claim.
            ui.weak(match on_tag {
                _ if agreement.pairs_with_two_verdicts == 0 => {
                    "No pair has verdicts from two labelers yet, so there is nothing to compare."
                }
                Some(_) => "The labelers agree on this tag on every pair.",
                None => "The labelers agree on every pair.",
            });
            return;
        }
        egui::ScrollArea::vertical().id_salt("disagreements").max_height(DISAGREEMENTS_HEIGHT).show_rows(
            ui,
            ROW_HEIGHT,
            list.len(),
            |ui, range| {
                for d in &list[range] {
                    let pair = data.pair_ids[d.pair as usize];
                    ui.horizontal(|ui| {
                        if ui.button("Open").on_hover_text("Open this pair in review").clicked() {
                            commands.push(AnalysisCommand::OpenInReview(pair));
                        }
                        let name = at
                            .labeling
                            .and_then(|l| l.pair(pair))
                            .and_then(|p| p.external_id.clone())
                            .unwrap_or_else(|| format!("pair {}", pair.0));
                        // Who said what, on one line cut to the width; the whole line on hover.
                        let mut parts = vec![name];
                        match (on_tag, at.labeling) {
                            (Some(bit), Some(labeling)) => parts.push(who_tagged(labeling, pair, &tag_names[bit])),
                            (None, Some(labeling)) => {
                                if d.verdict {
                                    parts.push(who_said(labeling, pair));
                                }
                                if d.tags != 0 {
                                    parts.push(format!("tags: {}", tag_list(tag_names, d.tags)));
                                }
                            }
                            (_, None) if d.tags != 0 => parts.push(format!("tags: {}", tag_list(tag_names, d.tags))),
                            _ => {}
                        }
                        if d.verdict {
                            ui.colored_label(ui.visuals().warn_fg_color, "verdict");
                        }
                        let line = parts.join(" · ");
                        ui.add(egui::Label::new(&line).truncate()).on_hover_text(line);
                    });
                }
            },
        );
    });
    commands
}
