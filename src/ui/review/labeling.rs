//! The labels of the open project, held in memory for the review screen: who said what about
//! which pair, which pairs are in which queue. Edits are applied here at once (so the next
//! frame shows them) while the same edit is written to the project on the I/O thread.

use std::collections::HashMap;

use crate::domain::{Split, Truth};
use crate::store::{LabelerId, PairId, Reveal, RevealHow, ReviewData, ReviewPair, TagId};
use crate::ui::review::quality_queues::{ReviewQuality, mix_gold};
use crate::ui::review::queue_order;

/// One labeler's change to one pair; the unit of saving, undo and redo.
#[derive(Clone, Debug, PartialEq)]
pub enum LabelEdit {
    Verdict { pair: PairId, labeler: LabelerId, before: Option<Truth>, after: Option<Truth> },
    Tag { pair: PairId, labeler: LabelerId, tag: TagId, applied: bool },
}

impl LabelEdit {
    /// The edit that takes this one back.
    pub fn inverse(&self) -> LabelEdit {
        match *self {
            LabelEdit::Verdict { pair, labeler, before, after } => {
                LabelEdit::Verdict { pair, labeler, before: after, after: before }
            }
            LabelEdit::Tag { pair, labeler, tag, applied } => LabelEdit::Tag { pair, labeler, tag, applied: !applied },
        }
    }

    pub fn pair(&self) -> PairId {
        match *self {
            LabelEdit::Verdict { pair, .. } | LabelEdit::Tag { pair, .. } => pair,
        }
    }

    pub fn labeler(&self) -> LabelerId {
        match *self {
            LabelEdit::Verdict { labeler, .. } | LabelEdit::Tag { labeler, .. } => labeler,
        }
    }
}

/// The queues of the left panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QueueKind {
    All,
    UnlabeledByMe,
    /// Labelers differ on the verdict or on a tag, and no adjudicator has settled it.
    Disagreements,
    /// Pairs the model gets wrong at the current threshold (needs scores and truth).
    ModelErrors,
    Tag(TagId),
    Split(Option<Split>),
    Truth(Option<Truth>),
    /// The errors of one slice of the error analysis, in the error browser's order. The list
    /// is the browser's (see `Session::slice_errors`), not a rule over the pairs.
    SliceErrors,
    /// Pairs whose truth disagrees with the consensus of labelers and model, surest first.
    LikelyWrongTruth,
    /// Pairs ranked by what one more label is worth (ActiveLab).
    NeedsAnotherLabel,
    /// Pairs an adjudicator marked gold.
    Gold,
    /// In a labeler's copy of a team hub: the pairs the hub assigned to them, not yet labeled.
    MyAssignments,
}

pub struct Labeling {
    pub data: ReviewData,
    index: HashMap<PairId, usize>,
    /// Bumped on every change, so views can cache what they derive.
    pub generation: u64,
    /// The model whose scores "Model errors" and the reveal use: the one the analysis
    /// selection names, set by the app (None until the analysis has named it: no scores).
    model: Option<String>,
    /// The last label-quality computation (None until the first one is done).
    pub quality: Option<std::sync::Arc<ReviewQuality>>,
}

impl Labeling {
    pub fn new(data: ReviewData) -> Self {
        let index = data.pairs.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        Labeling { data, index, generation: 0, model: None, quality: None }
    }

    /// Replaces everything with a fresh read from the project.
    pub fn replace(&mut self, data: ReviewData) {
        let generation = self.generation + 1;
        let model = self.model.take();
        let quality = self.quality.take();
        *self = Labeling::new(data);
        self.generation = generation;
        self.model = model;
        self.quality = quality;
    }

    pub fn pair(&self, id: PairId) -> Option<&ReviewPair> {
        self.index.get(&id).map(|&i| &self.data.pairs[i])
    }

    pub fn verdict(&self, pair: PairId, labeler: LabelerId) -> Option<Truth> {
        self.data.verdicts.get(&(pair, labeler)).copied()
    }

    pub fn has_tag(&self, pair: PairId, labeler: LabelerId, tag: TagId) -> bool {
        self.data.pair_tags.get(&pair).is_some_and(|v| v.contains(&(labeler, tag)))
    }

    pub fn tags_by(&self, pair: PairId, labeler: LabelerId) -> Vec<TagId> {
        let mut tags: Vec<TagId> = self
            .data
            .pair_tags
            .get(&pair)
            .map(|v| v.iter().filter(|(l, _)| *l == labeler).map(|(_, t)| *t).collect())
            .unwrap_or_default();
        tags.sort();
        tags
    }

    pub fn tag_name(&self, tag: TagId) -> &str {
        self.data.tags.iter().find(|t| t.id == tag).map(|t| t.name.as_str()).unwrap_or("?")
    }

    /// Labelers who gave a verdict or a tag on the pair, in labeler order.
    pub fn labelers_on(&self, pair: PairId) -> Vec<LabelerId> {
        self.data
            .labelers
            .iter()
            .map(|l| l.id)
            .filter(|&l| {
                self.data.verdicts.contains_key(&(pair, l))
                    || self.data.pair_tags.get(&pair).is_some_and(|v| v.iter().any(|(x, _)| *x == l))
            })
            .collect()
    }

    /// Whether (and how) the answer on the pair was shown to the labeler: truth, model score,
    /// others' work, file names.
    pub fn revealed(&self, pair: PairId, labeler: LabelerId) -> Option<&Reveal> {
        self.data.reveals.get(&(pair, labeler))
    }

    /// Shows the answer on the pair to the labeler from now on (the same reveal is saved on the
    /// I/O thread). Returns false if it already was.
    pub fn note_reveal(&mut self, pair: PairId, labeler: LabelerId, how: RevealHow) -> bool {
        if self.revealed(pair, labeler).is_some() {
            return false;
        }
        let reveal = Reveal { at: String::new(), how, before_tagging: how.before_tagging() };
        self.data.reveals.insert((pair, labeler), reveal);
        self.generation += 1;
        true
    }

    /// The seed of this labeler's shuffled queues on this project.
    fn order_seed(&self, me: LabelerId) -> u64 {
        let name = self.data.labelers.iter().find(|l| l.id == me).map_or("", |l| l.name.as_str());
        queue_order::seed(&self.data.project_uid, name)
    }

    /// Puts pairs in the order a labeler walks them: in blind mode the labeler's own seeded
    /// shuffle, so that "next" says nothing about the answer; else the project's order.
    pub fn order(&self, pairs: &mut [PairId], me: LabelerId, blind: bool) {
        if blind {
            queue_order::shuffle(pairs, self.order_seed(me));
        } else {
            pairs.sort_by_key(|p| self.index.get(p).copied().unwrap_or(usize::MAX));
        }
    }

    /// Two or more labelers worked on the pair and differ on its verdict or its tags.
    pub fn disagrees(&self, pair: PairId) -> bool {
        let who = self.labelers_on(pair);
        if who.len() < 2 {
            return false;
        }
        let first = (self.verdict(pair, who[0]), self.tags_by(pair, who[0]));
        who[1..].iter().any(|&l| (self.verdict(pair, l), self.tags_by(pair, l)) != first)
    }

    pub fn apply(&mut self, edit: &LabelEdit) {
        match *edit {
            LabelEdit::Verdict { pair, labeler, after, .. } => match after {
                Some(v) => {
                    self.data.verdicts.insert((pair, labeler), v);
                }
                None => {
                    self.data.verdicts.remove(&(pair, labeler));
                }
            },
            LabelEdit::Tag { pair, labeler, tag, applied } => {
                let list = self.data.pair_tags.entry(pair).or_default();
                list.retain(|&x| x != (labeler, tag));
                if applied {
                    list.push((labeler, tag));
                }
            }
        }
        self.generation += 1;
    }

    /// (pairs I gave a verdict on, all pairs); the queues panel counts this in its own pass.
    #[cfg(test)]
    pub fn progress(&self, me: LabelerId) -> (usize, usize) {
        let done = self.data.pairs.iter().filter(|p| self.data.verdicts.contains_key(&(p.id, me))).count();
        (done, self.data.pairs.len())
    }

    /// Score with this model's scores from now on (the analysis selection's model).
    pub fn use_model(&mut self, model: Option<&str>) {
        if self.model.as_deref() != model {
            self.model = model.map(str::to_owned);
            self.generation += 1;
        }
    }

    fn scores(&self) -> Option<&crate::store::ModelScores> {
        let name = self.model.as_deref()?;
        self.data.scores.iter().find(|m| m.name == name)
    }

    /// The pair's score by the model of the analysis, if it has one.
    pub fn score(&self, pair: PairId) -> Option<(&str, f64)> {
        let model = self.scores()?;
        model.scores.get(&pair).map(|&s| (model.name.as_str(), s))
    }

    /// Whether the model of the analysis has scores.
    pub fn has_scores(&self) -> bool {
        self.scores().is_some()
    }

    /// Is the pair in this queue, for labeler `me`? `blind` limits "by tag" to my own tags.
    pub fn in_queue(&self, kind: QueueKind, pair: &ReviewPair, me: LabelerId, threshold: f64, blind: bool) -> bool {
        match kind {
            QueueKind::All => true,
            QueueKind::UnlabeledByMe => !self.data.verdicts.contains_key(&(pair.id, me)),
            // Blind, I only learn that others disagree on pairs whose answer I have seen.
            QueueKind::Disagreements => {
                (!blind || self.data.reveals.contains_key(&(pair.id, me)))
                    && !self.data.adjudications.contains_key(&pair.id)
                    && self.disagrees(pair.id)
            }
            QueueKind::ModelErrors => match (self.score(pair.id), pair.truth) {
                (Some((_, score)), Some(truth)) => {
                    let predicted = if score >= threshold { Truth::Same } else { Truth::Different };
                    predicted != truth
                }
                _ => false,
            },
            QueueKind::Tag(tag) => match self.data.pair_tags.get(&pair.id) {
                Some(list) => list.iter().any(|&(l, t)| t == tag && (!blind || l == me)),
                None => false,
            },
            QueueKind::Split(split) => pair.split == split,
            QueueKind::Truth(truth) => pair.truth == truth,
            QueueKind::SliceErrors => false,
            // Truth and model are hidden in blind mode.
            QueueKind::LikelyWrongTruth => !blind && self.quality.as_ref().is_some_and(|q| q.likely_wrong(pair.id)),
            // Blind, what I labeled already is not mine to label again.
            QueueKind::NeedsAnotherLabel => {
                self.quality.as_ref().is_some_and(|q| q.needs_label(pair.id))
                    && (!blind || !self.data.verdicts.contains_key(&(pair.id, me)))
            }
            QueueKind::Gold => self.data.gold.contains(&pair.id),
            QueueKind::MyAssignments => {
                self.data.assigned.contains(&pair.id) && !self.data.verdicts.contains_key(&(pair.id, me))
            }
        }
    }

    /// Sets the last label-quality computation.
    pub fn set_quality(&mut self, quality: std::sync::Arc<ReviewQuality>) {
        self.quality = Some(quality);
        self.generation += 1;
    }

    /// The queue's pairs in the order the labeler walks them (see [`Labeling::order`]).
    pub fn queue(&self, kind: QueueKind, me: LabelerId, threshold: f64, blind: bool) -> Vec<PairId> {
        let ranked = match (&self.quality, kind) {
            (Some(q), QueueKind::LikelyWrongTruth) => Some(&q.likely_wrong_truth),
            (Some(q), QueueKind::NeedsAnotherLabel) => Some(&q.needs_another_label),
            _ => None,
        };
        let mut pairs: Vec<PairId> = match ranked {
            // The ranking is the point of these queues: it is kept, blind or not.
            Some(ranked) => ranked
                .iter()
                .filter(|&&id| self.pair(id).is_some_and(|p| self.in_queue(kind, p, me, threshold, blind)))
                .copied()
                .collect(),
            None => {
                self.data.pairs.iter().filter(|p| self.in_queue(kind, p, me, threshold, blind)).map(|p| p.id).collect()
            }
        };
        if blind && ranked.is_none() {
            self.order(&mut pairs, me, blind);
        }
        match kind {
            QueueKind::All | QueueKind::UnlabeledByMe | QueueKind::NeedsAnotherLabel if blind => {
                mix_gold(pairs, &self.gold_to_mix(me), kind != QueueKind::NeedsAnotherLabel)
            }
            _ => pairs,
        }
    }

    /// The gold pairs the labeler has not labeled, in their own shuffled order.
    fn gold_to_mix(&self, me: LabelerId) -> Vec<PairId> {
        let mut gold: Vec<PairId> = self
            .data
            .gold
            .iter()
            .filter(|&&p| self.index.contains_key(&p) && !self.data.verdicts.contains_key(&(p, me)))
            .copied()
            .collect();
        queue_order::shuffle(&mut gold, self.order_seed(me).rotate_left(17));
        gold
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Labeler, ModelScores, ReviewImage, Role};

    fn pair(id: i64, truth: Option<Truth>) -> ReviewPair {
        let image = |n: &str| ReviewImage { path: n.into(), name: n.into(), width: None, height: None };
        ReviewPair { id: PairId(id), external_id: None, a: image("a"), b: image("b"), truth, split: None }
    }

    fn labeling() -> Labeling {
        let labeler =
            |id, name: &str| Labeler { id: LabelerId(id), name: name.into(), role: Role::Labeler, simulated: false };
        Labeling::new(ReviewData {
            pairs: vec![pair(1, Some(Truth::Same)), pair(2, Some(Truth::Different)), pair(3, None)],
            labelers: vec![labeler(1, "alice"), labeler(2, "bob")],
            ..Default::default()
        })
    }

    const ALICE: LabelerId = LabelerId(1);
    const BOB: LabelerId = LabelerId(2);

    fn verdict(pair: i64, labeler: LabelerId, v: Truth) -> LabelEdit {
        LabelEdit::Verdict { pair: PairId(pair), labeler, before: None, after: Some(v) }
    }

    #[test]
    fn disagreement_is_on_verdict_or_tags_and_needs_two_labelers() {
        let mut l = labeling();
        l.apply(&verdict(1, ALICE, Truth::Same));
        assert!(!l.disagrees(PairId(1)));
        l.apply(&verdict(1, BOB, Truth::Same));
        assert!(!l.disagrees(PairId(1)));
        l.apply(&LabelEdit::Tag { pair: PairId(1), labeler: BOB, tag: TagId(1), applied: true });
        assert!(l.disagrees(PairId(1)));
        l.apply(&LabelEdit::Tag { pair: PairId(1), labeler: BOB, tag: TagId(1), applied: false });
        assert!(!l.disagrees(PairId(1)));
        l.apply(&verdict(1, BOB, Truth::Different));
        assert!(l.queue(QueueKind::Disagreements, ALICE, 0.5, true).is_empty(), "blind: not before the reveal");
        l.note_reveal(PairId(1), ALICE, RevealHow::Left);
        assert_eq!(l.queue(QueueKind::Disagreements, ALICE, 0.5, true), vec![PairId(1)]);
        l.apply(&verdict(2, BOB, Truth::Same));
        l.apply(&LabelEdit::Tag { pair: PairId(2), labeler: LabelerId(3), tag: TagId(1), applied: true });
        l.data.labelers.push(crate::store::Labeler {
            id: LabelerId(3),
            name: "carol".into(),
            role: crate::store::Role::Labeler,
            simulated: false,
        });
        assert!(l.disagrees(PairId(2)));
        assert_eq!(
            l.queue(QueueKind::Disagreements, ALICE, 0.5, true),
            vec![PairId(1)],
            "blind: only pairs I have seen"
        );
        assert_eq!(l.queue(QueueKind::Disagreements, ALICE, 0.5, false), vec![PairId(1), PairId(2)]);
    }

    #[test]
    fn blind_queues_walk_each_labelers_own_stable_shuffle() {
        let truth = |i: i64| Some(if i <= 300 { Truth::Same } else { Truth::Different });
        let read = || {
            let mut data = labeling().data;
            data.pairs = (1..=600).map(|i| pair(i, truth(i))).collect();
            data.project_uid = "0f3a9c".into();
            Labeling::new(data)
        };
        let l = read();
        let file_order: Vec<PairId> = (1..=600).map(PairId).collect();
        let alice = l.queue(QueueKind::All, ALICE, 0.5, true);
        assert_ne!(alice, file_order, "not the order of the file");
        assert_eq!(read().queue(QueueKind::All, ALICE, 0.5, true), alice, "the same after a reload");
        assert_ne!(l.queue(QueueKind::All, BOB, 0.5, true), alice, "bob walks another order");
        assert_eq!(l.queue(QueueKind::All, ALICE, 0.5, false), file_order, "blind mode off: the project's order");
        // The first pairs mix both truths (the file gives 300 same, then 300 different).
        let same = alice[..40].iter().filter(|p| p.0 <= 300).count();
        assert!((8..=32).contains(&same), "{same} same-person pairs among the first 40");

        let mut l = read();
        for p in [&alice[0], &alice[5]] {
            l.apply(&verdict(p.0, ALICE, Truth::Same));
        }
        let unlabeled = l.queue(QueueKind::UnlabeledByMe, ALICE, 0.5, true);
        let expected: Vec<PairId> = alice.iter().copied().filter(|p| *p != alice[0] && *p != alice[5]).collect();
        assert_eq!(unlabeled, expected, "unlabeled by me: the same shuffle, without what I labeled");
    }

    #[test]
    fn undo_is_the_inverse_edit() {
        let mut l = labeling();
        let edit = verdict(2, ALICE, Truth::Different);
        l.apply(&edit);
        assert_eq!(l.progress(ALICE), (1, 3));
        l.apply(&edit.inverse());
        assert_eq!(l.verdict(PairId(2), ALICE), None);
        assert_eq!(l.queue(QueueKind::UnlabeledByMe, ALICE, 0.5, true).len(), 3);
    }

    #[test]
    fn model_errors_compare_the_thresholded_score_with_the_truth() {
        let mut l = labeling();
        assert!(!l.has_scores());
        l.data.scores = vec![ModelScores {
            model: crate::store::ModelId(1),
            name: "m".into(),
            scores: [(PairId(1), 0.2), (PairId(2), 0.9), (PairId(3), 0.9)].into_iter().collect(),
        }];
        assert!(!l.has_scores(), "no model named yet");
        l.use_model(Some("m"));
        assert_eq!(l.queue(QueueKind::ModelErrors, ALICE, 0.5, false), vec![PairId(1), PairId(2)]);
        assert_eq!(l.queue(QueueKind::ModelErrors, ALICE, 0.95, false), vec![PairId(1)]);
        assert_eq!(l.queue(QueueKind::ModelErrors, ALICE, 0.1, false), vec![PairId(2)]);
    }
}
