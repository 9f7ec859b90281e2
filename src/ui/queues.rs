//! The left panel: my progress, and the queues of pairs to work through, with live counts.

use std::collections::HashMap;

use super::app::PairscopeApp;
use super::command::Command;
use super::labeling::{Labeling, QueueKind};
use super::review::truth_word;
use crate::domain::{Split, Truth};
use crate::store::LabelerId;

/// Queue sizes, recounted only when labels, the labeler, the threshold or blind mode change:
/// a project of many thousand pairs must not be walked fifteen times every frame.
pub struct Counts {
    key: (u64, u64, bool, LabelerId),
    counts: HashMap<QueueKind, usize>,
    progress: (usize, usize),
}

impl Counts {
    fn of(labeling: &Labeling, me: LabelerId, threshold: f64, blind: bool) -> Self {
        let mut kinds =
            vec![QueueKind::All, QueueKind::UnlabeledByMe, QueueKind::Disagreements, QueueKind::ModelErrors];
        kinds.extend(labeling.data.tags.iter().map(|t| QueueKind::Tag(t.id)));
        kinds.extend(Split::ALL.map(Some).into_iter().chain([None]).map(QueueKind::Split));
        kinds.extend([Some(Truth::Same), Some(Truth::Different), None].map(QueueKind::Truth));
        let mut counts: HashMap<QueueKind, usize> = kinds.iter().map(|&k| (k, 0)).collect();
        for pair in &labeling.data.pairs {
            for &kind in &kinds {
                if labeling.in_queue(kind, pair, me, threshold, blind) {
                    *counts.get_mut(&kind).expect("every kind was inserted") += 1;
                }
            }
        }
        Counts { key: (labeling.generation, threshold.to_bits(), blind, me), counts, progress: labeling.progress(me) }
    }

    fn get(&self, kind: QueueKind) -> usize {
        self.counts.get(&kind).copied().unwrap_or(0)
    }
}

pub(super) fn show(ui: &mut egui::Ui, app: &mut PairscopeApp) -> Vec<Command> {
    let mut commands = Vec::new();
    let blind = app.state.blind;
    let Some(project) = &app.project else { return commands };
    let Some(session) = &project.session else { return commands };
    let labeling = &project.labeling;
    let me = session.me.id;
    let threshold = &mut app.state.threshold;
    let key = (labeling.generation, threshold.to_bits(), blind, me);
    let counts = match &mut app.ui.queue_counts {
        Some(counts) if counts.key == key => counts,
        slot => slot.insert(Counts::of(labeling, me, *threshold, blind)),
    };

    egui::Panel::left("queues").resizable(true).default_size(230.0).show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading("My progress");
            let (done, total) = counts.progress;
            let fraction = if total == 0 { 0.0 } else { done as f32 / total as f32 };
            ui.add(egui::ProgressBar::new(fraction).desired_height(8.0));
            ui.label(format!("{done} / {total} labeled"));
            ui.add_space(8.0);
            ui.heading("Queues");
            let mut entry = |ui: &mut egui::Ui, kind: QueueKind, name: &str| {
                let count = counts.get(kind);
                if ui.selectable_label(session.queue == kind, format!("{name} ({count})")).clicked() {
                    commands.push(Command::SelectQueue(kind));
                }
            };
            entry(ui, QueueKind::All, "All pairs");
            entry(ui, QueueKind::UnlabeledByMe, "Unlabeled by me");
            entry(ui, QueueKind::Disagreements, "Disagreements");
            if blind {
                ui.weak("Model errors and truth queues: hidden in blind mode.");
            } else if labeling.has_scores() {
                entry(ui, QueueKind::ModelErrors, "Model errors");
                ui.horizontal(|ui| {
                    let label = ui.label("Threshold");
                    ui.add(egui::DragValue::new(threshold).speed(0.005).range(-1.0..=1.0).max_decimals(3))
                        .labelled_by(label.id);
                });
            } else {
                ui.weak("Model errors: no scores yet. Score the pairs with a model (or import scores) first.");
            }
            ui.add_space(6.0);
            ui.strong("By tag");
            for tag in &labeling.data.tags {
                entry(ui, QueueKind::Tag(tag.id), &tag.name);
            }
            ui.add_space(6.0);
            ui.strong("By split");
            for split in Split::ALL.map(Some).into_iter().chain([None]) {
                if counts.get(QueueKind::Split(split)) > 0 {
                    entry(ui, QueueKind::Split(split), split.map(Split::as_str).unwrap_or("no split"));
                }
            }
            if !blind {
                ui.add_space(6.0);
                ui.strong("By truth");
                for truth in [Some(Truth::Same), Some(Truth::Different), None] {
                    entry(ui, QueueKind::Truth(truth), &format!("truth {}", truth_word(truth)));
                }
            }
        });
    });
    commands
}
