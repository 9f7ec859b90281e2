//! The left panel: my progress, and the queues of pairs to work through, with live counts.

use std::collections::HashMap;

use crate::domain::{Split, Truth};
use crate::store::{LabelerId, Role, TagId};
use crate::ui::review::command::ReviewCommand;
use crate::ui::review::labeling::{Labeling, QueueKind};
use crate::ui::review::session::Session;
use crate::ui::review::view::truth_word;

/// Queue sizes, recounted only when labels, the labeler, the threshold or blind mode change:
/// a project of many thousand pairs must not be walked fifteen times every frame.
pub struct Counts {
    key: (u64, u64, bool, LabelerId),
    counts: HashMap<QueueKind, usize>,
    progress: (usize, usize),
    /// Disagreements with blind mode off: blind, the queue holds only the pairs whose answer
    /// I have seen.
    all_disagreements: usize,
}

impl Counts {
    /// One pass over the pairs, with the same rules as [`Labeling::in_queue`], counting into
    /// plain arrays: this runs on the UI thread after every edit.
    fn of(labeling: &Labeling, me: LabelerId, threshold: f64, blind: bool) -> Self {
        let split_slot = |s: Option<Split>| s.and_then(|s| Split::ALL.iter().position(|x| *x == s)).unwrap_or(4);
        let truth_slot = |t: Option<Truth>| match t {
            Some(Truth::Same) => 0,
            Some(Truth::Different) => 1,
            None => 2,
        };
        let (mut unlabeled, mut disagreements, mut all_disagreements, mut errors) = (0, 0, 0, 0);
        let mut splits = [0usize; 5];
        let mut truths = [0usize; 3];
        let mut tags: HashMap<TagId, usize> = HashMap::new();
        for pair in &labeling.data.pairs {
            if labeling.verdict(pair.id, me).is_none() {
                unlabeled += 1;
            }
            splits[split_slot(pair.split)] += 1;
            truths[truth_slot(pair.truth)] += 1;
            if let Some(applied) = labeling.data.pair_tags.get(&pair.id) {
                let mut seen: Vec<TagId> = Vec::new();
                for &(labeler, tag) in applied {
                    if (!blind || labeler == me) && !seen.contains(&tag) {
                        seen.push(tag);
                        *tags.entry(tag).or_insert(0) += 1;
                    }
                }
            }
            // The blind queue is part of the full one; a pair outside it is tested once more.
            if labeling.in_queue(QueueKind::Disagreements, pair, me, threshold, blind) {
                disagreements += 1;
                all_disagreements += 1;
            } else if blind && labeling.in_queue(QueueKind::Disagreements, pair, me, threshold, false) {
                all_disagreements += 1;
            }
            if labeling.has_scores() && labeling.in_queue(QueueKind::ModelErrors, pair, me, threshold, blind) {
                errors += 1;
            }
        }
        let total = labeling.data.pairs.len();
        let mut counts: HashMap<QueueKind, usize> = HashMap::new();
        counts.insert(QueueKind::All, total);
        counts.insert(QueueKind::UnlabeledByMe, unlabeled);
        counts.insert(QueueKind::Disagreements, disagreements);
        counts.insert(QueueKind::ModelErrors, errors);
        for split in Split::ALL.map(Some).into_iter().chain([None]) {
            counts.insert(QueueKind::Split(split), splits[split_slot(split)]);
        }
        for truth in [Some(Truth::Same), Some(Truth::Different), None] {
            counts.insert(QueueKind::Truth(truth), truths[truth_slot(truth)]);
        }
        counts.extend(tags.into_iter().map(|(tag, n)| (QueueKind::Tag(tag), n)));
        // The label-quality queues are lists, not rules: counted by building them (once per
        // change, like the rest).
        for kind in
            [QueueKind::LikelyWrongTruth, QueueKind::NeedsAnotherLabel, QueueKind::Gold, QueueKind::MyAssignments]
        {
            counts.insert(kind, labeling.queue(kind, me, threshold, blind).len());
        }
        Counts {
            key: (labeling.generation, threshold.to_bits(), blind, me),
            counts,
            progress: (total - unlabeled, total),
            all_disagreements,
        }
    }

    fn get(&self, kind: QueueKind) -> usize {
        self.counts.get(&kind).copied().unwrap_or(0)
    }
}

/// The left panel. `counts` is this view's cache of the queue sizes. The model-errors
/// threshold is the analysis selection's (within `range`, its slider's); a value typed in its
/// field comes back as the second result, for the app to send as the slider's command.
pub(in crate::ui) fn show(
    ui: &mut egui::Ui,
    labeling: &Labeling,
    session: &Session,
    blind: bool,
    (threshold, range): (f64, (f64, f64)),
    counts: &mut Option<Counts>,
) -> (Vec<ReviewCommand>, Option<f64>) {
    let mut commands = Vec::new();
    let me = session.me.id;
    let key = (labeling.generation, threshold.to_bits(), blind, me);
    let counts = match counts {
        Some(counts) if counts.key == key => counts,
        slot => slot.insert(Counts::of(labeling, me, threshold, blind)),
    };

    let mut new_threshold = None;
    egui::Panel::left("queues").resizable(true).default_size(230.0).show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading("My progress");
            let (done, total) = counts.progress;
            let fraction = if total == 0 { 0.0 } else { done as f32 / total as f32 };
            ui.add(egui::ProgressBar::new(fraction).desired_height(8.0));
            ui.label(format!("{done} / {total} labeled"));
            ui.add_space(8.0);
            ui.heading("Queues");
            if let Some(errors) = &session.slice_errors {
                let text = format!("{} ({})", errors.title(), errors.pairs.len());
                let hint = "Opened from Error analysis: the slice's errors at that threshold, most wrong first.";
                if ui.selectable_label(session.queue == QueueKind::SliceErrors, text).on_hover_text(hint).clicked() {
                    commands.push(ReviewCommand::SelectQueue(QueueKind::SliceErrors));
                }
            }
            // Blind, the queue of disagreements holds only pairs whose answer I have seen (see
            // Labeling::in_queue):
            // a count that grows when blind mode goes off must say so.
            let (disagreement_scope, disagreement_hint) = if blind {
                let hidden = counts.all_disagreements - counts.get(QueueKind::Disagreements);
                let hint = format!(
                    "Pairs you are done with (left after your verdict, or revealed with R) where labelers differ \
                     on the verdict or a tag. Blind mode hides disagreements on pairs you have not judged yet: \
                     {hidden} more with blind mode off."
                );
                ("on pairs you judged", hint)
            } else {
                ("", "Pairs where labelers differ on the verdict or a tag, not yet settled by an adjudicator.".into())
            };
            let (whose, tag_hint) = if blind {
                ("mine", "Pairs you tagged (blind mode hides other labelers' tags).")
            } else {
                ("any labeler", "Pairs that at least one labeler tagged.")
            };
            let mut entry = |ui: &mut egui::Ui, kind: QueueKind, name: &str, scope: &str, hint: &str| {
                let count = counts.get(kind);
                let text =
                    if scope.is_empty() { format!("{name} ({count})") } else { format!("{name} ({count}, {scope})") };
                let response = ui.selectable_label(session.queue == kind, text);
                let response = if hint.is_empty() { response } else { response.on_hover_text(hint) };
                if response.clicked() {
                    commands.push(ReviewCommand::SelectQueue(kind));
                }
            };
            if labeling.data.hub_labeler.as_deref() == Some(session.me.name.as_str()) {
                entry(
                    ui,
                    QueueKind::MyAssignments,
                    "My assignments",
                    "",
                    "Pairs the team hub assigned to you, so that each pair gets its number of labelers and no two \
                     of you do the same work twice. While this queue is open the app takes more as you label (20 \
                     at a time, leased: pairs you leave go back to the team when the lease runs out).",
                );
            }
            entry(ui, QueueKind::All, "All pairs", "", "");
            entry(ui, QueueKind::UnlabeledByMe, "Unlabeled by me", "", "");
            entry(ui, QueueKind::Disagreements, "Disagreements", disagreement_scope, &disagreement_hint);
            if blind {
                ui.weak("Model errors and truth queues: hidden in blind mode.");
            } else if labeling.has_scores() {
                entry(ui, QueueKind::ModelErrors, "Model errors", "", "");
                ui.horizontal(|ui| {
                    let label = ui.label("Threshold");
                    let mut value = threshold;
                    if ui
                        .add(egui::DragValue::new(&mut value).speed(0.005).range(range.0..=range.1).max_decimals(3))
                        .labelled_by(label.id)
                        .changed()
                    {
                        new_threshold = Some(value);
                    }
                });
            } else {
                ui.weak("Model errors: no scores yet. Score the pairs with a model (or import scores) first.");
            }
            ui.add_space(6.0);
            ui.strong("Label quality").on_hover_text(
                "From CROWDLAB over the labelers' blind verdicts and the model's calibrated probability \
                 (the model alone where no pair has two verdicts). Computed again after every change.",
            );
            if labeling.quality.is_none() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.weak("computing…");
                });
            } else {
                if !blind {
                    entry(
                        ui,
                        QueueKind::LikelyWrongTruth,
                        "Likely wrong truth",
                        "",
                        "Pairs whose dataset truth disagrees with the consensus of labelers and model, the surest \
                         consensus first. An adjudicator corrects the truth with a reason, in the adjudication panel.",
                    );
                }
                if labeling.quality.as_ref().is_some_and(|q| q.probability.is_empty()) {
                    ui.weak("Needs another label: no model scores yet (it weighs the model's doubt too).");
                } else {
                    entry(
                    ui,
                    QueueKind::NeedsAnotherLabel,
                    "Needs another label",
                    "",
                    if blind {
                        "Pairs you have not labeled, where one more label is worth most (few labels, labelers split, \
                         or the model unsure), most first. Nothing here says which answer."
                    } else {
                        "Pairs ranked by what one more label is worth (ActiveLab): few labels, labelers split, or the \
                         model unsure."
                    },
                );
                }
            }
            if session.me.role != Role::Labeler {
                entry(
                    ui,
                    QueueKind::Gold,
                    "Gold check",
                    "",
                    "Pairs marked gold (G on a revealed pair). In blind mode they are mixed, unannounced, into every \
                     labeler's queue (one pair in 20), and each labeler's accuracy on them is tracked on Agreement.",
                );
            }
            ui.add_space(6.0);
            ui.strong(format!("By tag ({whose})")).on_hover_text(format!(
                "{tag_hint} The overview counts the tags of any labeler; Error analysis counts consensus tags."
            ));
            for tag in &labeling.data.tags {
                entry(ui, QueueKind::Tag(tag.id), &tag.name, "", tag_hint);
            }
            ui.add_space(6.0);
            ui.strong("By split");
            for split in Split::ALL.map(Some).into_iter().chain([None]) {
                if counts.get(QueueKind::Split(split)) > 0 {
                    entry(ui, QueueKind::Split(split), split.map(Split::as_str).unwrap_or("no split"), "", "");
                }
            }
            if !blind {
                ui.add_space(6.0);
                ui.strong("By truth");
                for truth in [Some(Truth::Same), Some(Truth::Different), None] {
                    entry(ui, QueueKind::Truth(truth), &format!("truth {}", truth_word(truth)), "", "");
                }
            }
        });
    });
    (commands, new_threshold)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Truth;
    use crate::store::{Labeler, ModelScores, PairId, ReviewData, ReviewImage, ReviewPair, Role};

    #[test]
    fn counts_agree_with_the_queues_themselves() {
        let image = |n: &str| ReviewImage { path: n.into(), name: n.into(), width: None, height: None };
        let pairs = (1..=12)
            .map(|i| ReviewPair {
                id: PairId(i),
                external_id: None,
                a: image("a"),
                b: image("b"),
                truth: [Some(Truth::Same), Some(Truth::Different), None][i as usize % 3],
                split: [None, Some(Split::Dev), Some(Split::Test)][i as usize % 3],
            })
            .collect();
        let labeler =
            |id, name: &str| Labeler { id: LabelerId(id), name: name.into(), role: Role::Labeler, simulated: false };
        let mut data = ReviewData { pairs, labelers: vec![labeler(1, "a"), labeler(2, "b")], ..Default::default() };
        for i in 1..=12 {
            let verdict = if i % 2 == 0 { Truth::Same } else { Truth::Different };
            if i % 3 != 0 {
                data.verdicts.insert((PairId(i), LabelerId(1)), verdict);
            }
            if i % 4 == 0 {
                data.verdicts.insert((PairId(i), LabelerId(2)), Truth::Same);
                data.pair_tags.entry(PairId(i)).or_default().push((LabelerId(2), TagId(1 + i % 2)));
            }
            if i % 5 == 0 {
                data.pair_tags.entry(PairId(i)).or_default().push((LabelerId(1), TagId(1)));
            }
        }
        // Judged by bob, tagged by me without a verdict: a disagreement hidden in blind mode.
        data.pair_tags.entry(PairId(3)).or_default().push((LabelerId(1), TagId(2)));
        data.verdicts.insert((PairId(3), LabelerId(2)), Truth::Same);
        data.scores = vec![ModelScores {
            model: crate::store::ModelId(1),
            name: "m".into(),
            scores: (1..=12).map(|i| (PairId(i), i as f64 / 12.0)).collect(),
        }];
        let mut labeling = Labeling::new(data);
        labeling.use_model(Some("m"));
        let mut kinds =
            vec![QueueKind::All, QueueKind::UnlabeledByMe, QueueKind::Disagreements, QueueKind::ModelErrors];
        kinds.extend([1, 2].map(|t| QueueKind::Tag(TagId(t))));
        kinds.extend([None, Some(Split::Dev), Some(Split::Test), Some(Split::Train)].map(QueueKind::Split));
        kinds.extend([None, Some(Truth::Same), Some(Truth::Different)].map(QueueKind::Truth));
        for blind in [true, false] {
            let me = LabelerId(1);
            let counts = Counts::of(&labeling, me, 0.5, blind);
            for &kind in &kinds {
                assert_eq!(counts.get(kind), labeling.queue(kind, me, 0.5, blind).len(), "{kind:?} blind={blind}");
            }
            assert_eq!(counts.progress, labeling.progress(me));
            let all = labeling.queue(QueueKind::Disagreements, me, 0.5, false).len();
            assert_eq!(counts.all_disagreements, all, "blind={blind}");
            assert_eq!(all > counts.get(QueueKind::Disagreements), blind, "blind mode hides one");
        }
    }
}
