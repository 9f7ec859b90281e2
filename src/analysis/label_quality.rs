//! Label quality (issue 15): a calibrated P(same) per pair, CROWDLAB consensus and quality
//! scores, the "Likely wrong truth" and "Needs another label" rankings, and how good each
//! labeler is. Pure: the store gives the snapshot (blind labels only), the identity group of
//! each pair, the gold marks and each labeler's verdicts in the order given.

use serde::Serialize;

use super::activelab::activelab;
use super::calibration::{ReliabilityBin, brier, out_of_fold, reliability};
use super::crowdlab::{CrowdlabError, crowdlab};
use super::intervals::Proportion;
use super::snapshot::{Snapshot, Truth};

/// Folds of the out-of-fold calibration.
pub const FOLDS: usize = 10;
/// Bins of the reliability plot.
pub const RELIABILITY_BINS: usize = 10;
/// A verdict that took longer than this was a pause, not labeling: it does not count towards
/// a labeler's median time.
pub const PAUSE_MS: u64 = 120_000;
/// Verdicts at each end of a labeler's history compared for drift.
pub const DRIFT_WINDOW: usize = 100;

/// CROWDLAB's classes: 0 is `different`, 1 is `same` (P(same) is the second column).
fn class_of(truth: Truth) -> usize {
    match truth {
        Truth::Different => 0,
        Truth::Same => 1,
    }
}

fn truth_of(class: usize) -> Truth {
    if class == 1 { Truth::Same } else { Truth::Different }
}

/// Everything label quality reads.
pub struct QualityInput<'a> {
    pub snapshot: &'a Snapshot,
    /// Per pair: its group for the out-of-fold fit (pairs sharing an image or an identity
    /// share a group, so no identity is both fitted on and scored).
    pub groups: &'a [u32],
    /// Per pair: marked gold by an adjudicator.
    pub gold: &'a [bool],
    /// Per labeler (as in `labeler_names`): their verdicts in the order they gave them, as
    /// (pair index, milliseconds from the pair shown to the verdict, when measured).
    pub history: &'a [Vec<(u32, Option<u64>)>],
}

/// Where a pair's consensus comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConsensusSource {
    /// CROWDLAB over the labelers' verdicts and the model.
    Crowdlab,
    /// The calibrated model alone (no verdicts, or no pair with two).
    Model,
}

/// Per pair.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PairQuality {
    /// Out-of-fold P(same); `None` without a score or without truths to calibrate on.
    pub model_probability: Option<f64>,
    pub consensus_label: Option<Truth>,
    pub consensus_source: Option<ConsensusSource>,
    /// How likely the consensus is right (CROWDLAB's score; the model's probability of its
    /// own answer when it stands alone).
    pub consensus_quality_score: Option<f64>,
    /// Share of the pair's labelers who agree with the consensus (CROWDLAB pairs only).
    pub annotator_agreement: Option<f64>,
    pub num_annotations: u32,
    /// The dataset truth disagrees with the consensus.
    pub likely_wrong_truth: bool,
    /// 1 = the likeliest wrong truth.
    pub truth_issue_rank: Option<u32>,
    /// ActiveLab: low = one more label is worth most here.
    pub next_label_score: Option<f64>,
}

/// Per labeler.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LabelerQuality {
    pub verdicts: u64,
    /// Right against the dataset truth, over the verdicts on pairs with a truth.
    pub accuracy: Proportion,
    pub accuracy_ci95: Option<[f64; 2]>,
    pub gold_accuracy: Proportion,
    pub gold_accuracy_ci95: Option<[f64; 2]>,
    /// CROWDLAB; `None` for a labeler outside it.
    pub annotator_quality: Option<f64>,
    pub agreement_with_consensus: Option<f64>,
    pub num_examples_labeled: u64,
    /// Median seconds from pair shown to verdict, pauses over two minutes left out.
    pub median_seconds: Option<f64>,
    /// Verdicts timed (within two minutes) behind `median_seconds`.
    pub timed_verdicts: u64,
    /// Accuracy over the first and the last [`DRIFT_WINDOW`] verdicts with a truth, when the
    /// labeler has more than that many.
    pub drift: Option<[Proportion; 2]>,
}

/// How well P(same) matches the truth.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Calibration {
    /// Pairs with a truth and a probability.
    pub pairs: u64,
    pub brier: f64,
    pub bins: Vec<ReliabilityBin>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LabelQuality {
    pub pairs: Vec<PairQuality>,
    pub labelers: Vec<LabelerQuality>,
    pub calibration: Option<Calibration>,
    /// Why there is no calibrated probability, or no CROWDLAB, when there is not.
    pub notes: Vec<String>,
    /// Pair indices of "Likely wrong truth", likeliest first.
    pub likely_wrong_truth: Vec<u32>,
    /// Pair indices of "Needs another label", the most worth first (gold pairs left out).
    pub needs_another_label: Vec<u32>,
    pub model_weight: Option<f64>,
}

impl LabelQuality {
    pub fn compute(input: &QualityInput) -> LabelQuality {
        let s = input.snapshot;
        let n = s.pair_count();
        assert!(input.groups.len() == n && input.gold.len() == n, "one group and gold mark per pair");
        let mut out = LabelQuality { pairs: vec![PairQuality::default(); n], ..Default::default() };

        // 1. Calibrated P(same), out of fold.
        let scored: Vec<usize> = (0..n).filter(|&p| !s.score[p].is_nan()).collect();
        let truth_same: Vec<Option<bool>> = scored.iter().map(|&p| s.truth[p].map(|t| t == Truth::Same)).collect();
        let mut groups: Vec<u32> = scored.iter().map(|&p| input.groups[p]).collect();
        if !groups_allow_folds(&groups, &truth_same) {
            // Identities connect most pairs (every person met every other in some pair): one
            // fold would hold most of them, so each pair is a group of its own.
            out.notes.push("identities connect most pairs: the calibration folds are by pair, not by identity".into());
            groups = (0..scored.len() as u32).collect();
        }
        let scores: Vec<f64> = scored.iter().map(|&p| s.score[p]).collect();
        match out_of_fold(&scores, &truth_same, &groups, FOLDS) {
            Ok(probabilities) => {
                for (&p, &probability) in scored.iter().zip(&probabilities) {
                    out.pairs[p].model_probability = Some(probability);
                }
                let (probs, same): (Vec<f64>, Vec<bool>) =
                    probabilities.iter().zip(&truth_same).filter_map(|(&pr, t)| t.map(|t| (pr, t))).unzip();
                if let Some(brier) = brier(&probs, &same) {
                    out.calibration = Some(Calibration {
                        pairs: probs.len() as u64,
                        brier,
                        bins: reliability(&probs, &same, RELIABILITY_BINS),
                    });
                }
            }
            Err(_) if scored.is_empty() => out.notes.push("no pair has a model score: score the project first".into()),
            Err(e) => out.notes.push(format!("no calibrated model probability: {e}")),
        }

        // 2. CROWDLAB over the pairs with a verdict and a probability.
        let mut verdicts_of: Vec<Vec<(usize, Truth)>> = vec![Vec::new(); n];
        for row in 0..s.labels.len() {
            if let Some(v) = s.labels.verdict[row] {
                verdicts_of[s.labels.pair[row] as usize].push((s.labels.labeler[row] as usize, v));
            }
        }
        for (p, verdicts) in verdicts_of.iter().enumerate() {
            out.pairs[p].num_annotations = verdicts.len() as u32;
        }
        let examples: Vec<usize> =
            (0..n).filter(|&p| !verdicts_of[p].is_empty() && out.pairs[p].model_probability.is_some()).collect();
        let mut annotator_of = vec![None; s.labeler_names.len()];
        let mut annotators = Vec::new();
        for &p in &examples {
            for &(l, _) in &verdicts_of[p] {
                if annotator_of[l].is_none() {
                    annotator_of[l] = Some(annotators.len());
                    annotators.push(l);
                }
            }
        }
        let matrix: Vec<Vec<Option<usize>>> = examples
            .iter()
            .map(|&p| {
                let mut row = vec![None; annotators.len()];
                for &(l, v) in &verdicts_of[p] {
                    row[annotator_of[l].expect("every labeler of an example is an annotator")] = Some(class_of(v));
                }
                row
            })
            .collect();
        let model: Vec<Option<f64>> = out.pairs.iter().map(|q| q.model_probability).collect();
        let two_columns = |p: usize| {
            let same = model[p].expect("pairs here have a probability");
            vec![1.0 - same, same]
        };
        let probabilities: Vec<Vec<f64>> = examples.iter().map(|&p| two_columns(p)).collect();
        let in_crowdlab = match crowdlab(&matrix, &probabilities) {
            Ok(result) => {
                for (e, &p) in examples.iter().enumerate() {
                    let q = &result.examples[e];
                    let pair = &mut out.pairs[p];
                    pair.consensus_label = Some(truth_of(q.consensus_label));
                    pair.consensus_source = Some(ConsensusSource::Crowdlab);
                    pair.consensus_quality_score = Some(q.consensus_quality_score);
                    pair.annotator_agreement = Some(q.annotator_agreement);
                }
                out.model_weight = Some(result.model_weight);
                Some(result)
            }
            Err(CrowdlabError::NoOverlap) => {
                out.notes.push("no pair has two verdicts yet: the consensus is the model's alone".into());
                None
            }
            Err(_) if examples.is_empty() => None,
            Err(e) => {
                out.notes.push(format!("CROWDLAB could not run ({e:?}): the consensus is the model's alone"));
                None
            }
        };
        // Pairs outside CROWDLAB: the calibrated model alone.
        for pair in out.pairs.iter_mut().filter(|q| q.consensus_source.is_none()) {
            if let Some(same) = pair.model_probability {
                pair.consensus_label = Some(if same >= 0.5 { Truth::Same } else { Truth::Different });
                pair.consensus_source = Some(ConsensusSource::Model);
                pair.consensus_quality_score = Some(same.max(1.0 - same));
            }
        }

        // 3. Likely wrong truth: truth against consensus, the surest consensus first.
        let mut wrong: Vec<u32> = (0..n)
            .filter(|&p| matches!((s.truth[p], out.pairs[p].consensus_label), (Some(t), Some(c)) if t != c))
            .map(|p| p as u32)
            .collect();
        let sureness = |p: u32| out.pairs[p as usize].consensus_quality_score.unwrap_or(0.0);
        wrong.sort_by(|&a, &b| sureness(b).total_cmp(&sureness(a)).then(a.cmp(&b)));
        for (rank, &p) in wrong.iter().enumerate() {
            out.pairs[p as usize].likely_wrong_truth = true;
            out.pairs[p as usize].truth_issue_rank = Some(rank as u32 + 1);
        }
        out.likely_wrong_truth = wrong;

        // 4. Needs another label (ActiveLab), over pairs with a probability.
        let unlabeled: Vec<usize> =
            (0..n).filter(|&p| verdicts_of[p].is_empty() && out.pairs[p].model_probability.is_some()).collect();
        let unlabeled_probabilities: Vec<Vec<f64>> = unlabeled.iter().map(|&p| two_columns(p)).collect();
        if !examples.is_empty() || !unlabeled.is_empty() {
            match activelab(&matrix, &probabilities, &unlabeled_probabilities) {
                Ok((labeled_scores, unlabeled_scores)) => {
                    for (&p, &score) in
                        examples.iter().zip(&labeled_scores).chain(unlabeled.iter().zip(&unlabeled_scores))
                    {
                        out.pairs[p].next_label_score = Some(score);
                    }
                }
                Err(e) => out.notes.push(format!("no \"needs another label\" ranking ({e:?})")),
            }
        }
        let mut needs: Vec<u32> =
            (0..n).filter(|&p| out.pairs[p].next_label_score.is_some() && !input.gold[p]).map(|p| p as u32).collect();
        let value = |p: u32| out.pairs[p as usize].next_label_score.unwrap_or(f64::INFINITY);
        needs.sort_by(|&a, &b| value(a).total_cmp(&value(b)).then(a.cmp(&b)));
        out.needs_another_label = needs;

        // 5. Labelers.
        out.labelers = (0..s.labeler_names.len())
            .map(|l| {
                let history = input.history.get(l).map_or(&[][..], Vec::as_slice);
                let mut q = labeler_quality(s, input.gold, history, &verdicts_of, l);
                if let (Some(result), Some(a)) = (&in_crowdlab, annotator_of[l]) {
                    let aq = &result.annotators[a];
                    q.annotator_quality = (!aq.annotator_quality.is_nan()).then_some(aq.annotator_quality);
                    q.agreement_with_consensus = Some(aq.agreement_with_consensus);
                    q.num_examples_labeled = aq.num_examples_labeled as u64;
                }
                q
            })
            .collect();
        out
    }
}

/// The truth-based columns of one labeler: accuracy, gold accuracy, time, drift.
fn labeler_quality(
    s: &Snapshot,
    gold: &[bool],
    history: &[(u32, Option<u64>)],
    verdicts_of: &[Vec<(usize, Truth)>],
    labeler: usize,
) -> LabelerQuality {
    let mut q = LabelerQuality::default();
    let mut right_in_order: Vec<bool> = Vec::new();
    let (mut right, mut judged, mut gold_right, mut gold_n) = (0, 0, 0, 0);
    for (p, verdicts) in verdicts_of.iter().enumerate() {
        let Some(&(_, v)) = verdicts.iter().find(|(l, _)| *l == labeler) else { continue };
        q.verdicts += 1;
        if let Some(t) = s.truth[p] {
            judged += 1;
            right += u64::from(v == t);
            if gold[p] {
                gold_n += 1;
                gold_right += u64::from(v == t);
            }
        }
    }
    q.accuracy = Proportion::new(right, judged);
    q.accuracy_ci95 = q.accuracy.ci95();
    q.gold_accuracy = Proportion::new(gold_right, gold_n);
    q.gold_accuracy_ci95 = q.gold_accuracy.ci95();

    // History: the order verdicts were given, and their times. Only verdicts still standing
    // in the snapshot count (the history may hold some given with the answer in view).
    let mut seconds: Vec<f64> = Vec::new();
    for &(p, ms) in history {
        let p = p as usize;
        let Some(&(_, v)) = verdicts_of.get(p).and_then(|vs| vs.iter().find(|(l, _)| *l == labeler)) else { continue };
        if let Some(ms) = ms.filter(|&ms| ms <= PAUSE_MS) {
            seconds.push(ms as f64 / 1000.0);
        }
        if let Some(t) = s.truth[p] {
            right_in_order.push(v == t);
        }
    }
    q.timed_verdicts = seconds.len() as u64;
    q.median_seconds = median(&mut seconds);
    if right_in_order.len() > DRIFT_WINDOW {
        let share =
            |window: &[bool]| Proportion::new(window.iter().filter(|&&r| r).count() as u64, window.len() as u64);
        let last = &right_in_order[right_in_order.len() - DRIFT_WINDOW..];
        q.drift = Some([share(&right_in_order[..DRIFT_WINDOW]), share(last)]);
    }
    q
}

/// Whether whole groups can be dealt into folds that each leave enough to fit on: no group
/// holds half the pairs with a truth or more.
fn groups_allow_folds(groups: &[u32], truth: &[Option<bool>]) -> bool {
    let mut sizes = std::collections::HashMap::new();
    let mut known = 0usize;
    for (&g, t) in groups.iter().zip(truth) {
        if t.is_some() {
            *sizes.entry(g).or_insert(0usize) += 1;
            known += 1;
        }
    }
    sizes.values().all(|&size| size * 2 < known)
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 { values[mid] } else { (values[mid - 1] + values[mid]) / 2.0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::snapshot::Truth::{Different as D, Same as S};

    /// `n` pairs scored 0..1 evenly, truth `same` above 0.5, and the truths at `flipped`
    /// turned over; each pair its own group.
    fn scored(n: usize, flipped: &[usize]) -> Snapshot {
        let mut s = Snapshot::with_pairs(n, vec![], vec!["ana".into(), "ben".into(), "cy".into()]);
        for p in 0..n {
            s.score[p] = p as f64 / n as f64;
            let same = s.score[p] > 0.5;
            s.truth[p] = Some(if same != flipped.contains(&p) { S } else { D });
        }
        s
    }

    fn opposite(t: Truth) -> Truth {
        if t == S { D } else { S }
    }

    fn compute(s: &Snapshot, gold: &[bool], history: &[Vec<(u32, Option<u64>)>]) -> LabelQuality {
        let groups: Vec<u32> = (0..s.pair_count() as u32).collect();
        LabelQuality::compute(&QualityInput { snapshot: s, groups: &groups, gold, history })
    }

    #[test]
    fn without_verdicts_the_model_alone_finds_the_flipped_truths_surest_first() {
        let s = scored(200, &[5, 190, 120]);
        let q = compute(&s, &[false; 200], &[]);
        // The flips furthest from the boundary are the surest: 5 (score 0.025), 190 (0.95).
        assert_eq!(&q.likely_wrong_truth[..2], &[5, 190]);
        assert!(q.likely_wrong_truth.contains(&120));
        assert_eq!(q.pairs[5].truth_issue_rank, Some(1));
        assert_eq!(q.pairs[5].consensus_source, Some(ConsensusSource::Model));
        assert!(!q.pairs[6].likely_wrong_truth && q.pairs[6].truth_issue_rank.is_none());
        let calibration = q.calibration.expect("pairs of both truths");
        assert_eq!(calibration.pairs, 200);
        assert!(calibration.brier < 0.1, "{}", calibration.brier);
        // Needs another label: every pair is unlabeled, so the model's least sure come first.
        let first = q.needs_another_label[0] as usize;
        assert!((s.score[first] - 0.5).abs() < 0.1, "pair {first} scored {}", s.score[first]);
    }

    #[test]
    fn labelers_move_the_consensus_and_are_measured_against_truth_gold_time_and_drift() {
        let mut s = scored(300, &[10]);
        let mut gold = vec![false; 300];
        gold[250] = true;
        gold[251] = true;
        let mut history = vec![Vec::new(), Vec::new(), Vec::new()];
        for p in 0..300u32 {
            let truth = s.truth[p as usize].unwrap();
            // ana is always right but for pair 10, where she says what the photos show; ben is
            // wrong on his last 50 and on gold 250; cy labels the first 20 pairs only.
            let ana = if p == 10 { D } else { truth };
            let ben = if p >= 250 { opposite(truth) } else { truth };
            s.labels.push(p, 0, Some(ana), 0);
            s.labels.push(p, 1, Some(ben), 0);
            history[0].push((p, Some(if p == 0 { 600_000 } else { 2_000 + u64::from(p % 3) * 1_000 })));
            history[1].push((p, None));
            if p < 20 {
                s.labels.push(p, 2, Some(truth), 0);
            }
        }
        // Pair 10: truth flipped to `same`; score 10/300 says different, ana says different.
        assert_eq!(s.truth[10], Some(S));
        let q = compute(&s, &gold, &history);
        assert_eq!(q.pairs[10].consensus_source, Some(ConsensusSource::Crowdlab));
        assert_eq!(q.pairs[10].consensus_label, Some(D));
        assert_eq!(q.likely_wrong_truth.first(), Some(&10));
        assert_eq!(q.pairs[3].num_annotations, 3);
        let [ana, ben, cy] = [&q.labelers[0], &q.labelers[1], &q.labelers[2]];
        assert_eq!((ana.verdicts, ana.accuracy), (300, Proportion::new(299, 300)));
        assert_eq!(ana.accuracy_ci95, Proportion::new(299, 300).ci95());
        assert_eq!(ben.accuracy, Proportion::new(250, 300));
        assert_eq!((ana.gold_accuracy, ben.gold_accuracy), (Proportion::new(2, 2), Proportion::new(0, 2)));
        // ana: 2 s, 3 s, 4 s in turn (the 10-minute pause left out); ben: never timed.
        assert_eq!((ana.median_seconds, ana.timed_verdicts), (Some(3.0), 299));
        assert_eq!(ben.median_seconds, None);
        assert_eq!(ben.drift, Some([Proportion::new(100, 100), Proportion::new(50, 100)]));
        assert_eq!(cy.drift, None, "cy has no history and 20 verdicts");
        assert!(ana.annotator_quality.unwrap() > ben.annotator_quality.unwrap());
        assert_eq!(cy.num_examples_labeled, 20);
        assert!(ana.agreement_with_consensus.unwrap() > ben.agreement_with_consensus.unwrap());
        assert!(!q.needs_another_label.contains(&250), "gold pairs are not for the queue");
    }

    #[test]
    fn a_project_without_truths_or_scores_says_why_it_has_no_probabilities() {
        let mut s = Snapshot::with_pairs(3, vec![], vec!["ana".into()]);
        s.labels.push(0, 0, Some(S), 0);
        let q = compute(&s, &[false; 3], &[]);
        assert!(q.pairs.iter().all(|p| p.model_probability.is_none() && p.consensus_label.is_none()));
        assert_eq!(q.notes, vec!["no pair has a model score: score the project first".to_string()]);
        assert_eq!(q.labelers[0].verdicts, 1);
        assert!(q.likely_wrong_truth.is_empty() && q.needs_another_label.is_empty());
    }

    #[test]
    fn one_group_holding_most_pairs_makes_the_folds_by_pair_and_says_so() {
        let s = scored(100, &[]);
        let mut groups = vec![0u32; 100];
        groups[99] = 1;
        let q =
            LabelQuality::compute(&QualityInput { snapshot: &s, groups: &groups, gold: &[false; 100], history: &[] });
        assert!(q.notes.iter().any(|n| n.contains("folds are by pair")), "{:?}", q.notes);
        assert!(q.pairs.iter().all(|p| p.model_probability.is_some()));
        let separate: Vec<u32> = (0..100).collect();
        let q =
            LabelQuality::compute(&QualityInput { snapshot: &s, groups: &separate, gold: &[false; 100], history: &[] });
        assert!(q.notes.is_empty(), "{:?}", q.notes);
    }
}
