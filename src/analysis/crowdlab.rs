//! CROWDLAB (Goh, Mueller & Northcutt, 2022): a consensus label per example from several
//! annotators and a model, how sure that consensus is, and how good each annotator is, exactly
//! as cleanlab 2.9.0's `cleanlab.multiannotator.get_label_quality_multiannotator` computes it
//! with its defaults (`consensus_method="best_quality"`, `quality_method="crowdlab"`, no
//! calibration, label quality by self-confidence).
//!
//! One departure: where cleanlab breaks a tie that survives every rule by `np.random.choice`,
//! the lowest class wins here, so the result is the same on every run. With a model whose
//! probabilities are continuous such a tie needs two classes of exactly equal probability.

use serde::Serialize;

/// Lower bound of the clipped rates and weights (cleanlab's `CLIPPING_LOWER_BOUND`).
const CLIP: f64 = 1e-6;

/// Per example.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExampleQuality {
    pub consensus_label: usize,
    pub consensus_quality_score: f64,
    pub annotator_agreement: f64,
    pub num_annotations: usize,
}

/// Per annotator.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnnotatorQuality {
    /// NaN when the annotator labeled no example that someone else labeled too.
    pub annotator_quality: f64,
    pub agreement_with_consensus: f64,
    pub num_examples_labeled: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Crowdlab {
    pub examples: Vec<ExampleQuality>,
    pub annotators: Vec<AnnotatorQuality>,
    /// The per-label quality: `detailed[example][annotator]`, `None` where not labeled.
    pub detailed: Vec<Vec<Option<f64>>>,
    pub model_weight: f64,
    pub annotator_weights: Vec<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrowdlabError {
    /// Every example needs at least one label (cleanlab refuses such input too).
    Unlabeled { example: usize },
    /// A label outside `0..classes`.
    BadLabel { example: usize, annotator: usize },
    /// Consensus needs examples with two labels or more.
    NoOverlap,
    /// Rows of `labels` and `probabilities` disagree in length, or fewer than two classes.
    Shape,
}

/// `labels[example][annotator]` (`None`: not labeled by that annotator), and the model's
/// `probabilities[example][class]` (out of sample).
pub fn crowdlab(labels: &[Vec<Option<usize>>], probabilities: &[Vec<f64>]) -> Result<Crowdlab, CrowdlabError> {
    let n = labels.len();
    let classes = probabilities.first().map_or(0, Vec::len);
    let annotators = labels.first().map_or(0, Vec::len);
    if probabilities.len() != n || classes < 2 || labels.iter().any(|r| r.len() != annotators) {
        return Err(CrowdlabError::Shape);
    }
    if probabilities.iter().any(|p| p.len() != classes) {
        return Err(CrowdlabError::Shape);
    }
    for (example, row) in labels.iter().enumerate() {
        if row.iter().all(Option::is_none) {
            return Err(CrowdlabError::Unlabeled { example });
        }
        if let Some(annotator) = row.iter().position(|l| l.is_some_and(|l| l >= classes)) {
            return Err(CrowdlabError::BadLabel { example, annotator });
        }
    }
    let num_annotations: Vec<usize> = labels.iter().map(|r| r.iter().flatten().count()).collect();
    if num_annotations.iter().all(|&k| k == 1) {
        return Err(CrowdlabError::NoOverlap);
    }
    let majority: Vec<usize> = majority_vote(labels, probabilities, classes)
        .into_iter()
        .map(|v| v.expect("every example is settled"))
        .collect();
    let first = stats(labels, probabilities, &num_annotations, &majority, classes);
    let consensus: Vec<usize> = first
        .post
        .iter()
        .zip(&majority)
        .map(|(post, &mv)| {
            let max = post.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let at: Vec<usize> = (0..classes).filter(|&c| post[c] == max).collect();
            if at.len() == 1 { at[0] } else { mv }
        })
        .collect();
    let s = stats(labels, probabilities, &num_annotations, &consensus, classes);

    let detailed: Vec<Vec<Option<f64>>> =
        labels.iter().zip(&s.post).map(|(row, post)| row.iter().map(|l| l.map(|l| post[l])).collect()).collect();
    let examples = (0..n)
        .map(|i| ExampleQuality {
            consensus_label: consensus[i],
            consensus_quality_score: s.post[i][consensus[i]],
            annotator_agreement: s.agreement[i],
            num_annotations: num_annotations[i],
        })
        .collect();

    let mean_annotations = num_annotations.iter().sum::<usize>() as f64 / n as f64;
    let adjusted_weight = s.annotator_weights.iter().sum::<f64>() * (mean_annotations / annotators as f64);
    let w = s.model_weight / (s.model_weight + adjusted_weight);
    let annotators_out = (0..annotators)
        .map(|j| {
            let qualities: Vec<f64> = detailed.iter().filter_map(|row| row[j]).collect();
            let label_quality = mean(&qualities);
            let overlapping: Vec<bool> = (0..n)
                .filter(|&i| num_annotations[i] != 1)
                .filter_map(|i| labels[i][j].map(|l| l == consensus[i]))
                .collect();
            let agreement_multi = mean_bool(&overlapping);
            let mine: Vec<bool> = (0..n).filter_map(|i| labels[i][j].map(|l| l == consensus[i])).collect();
            AnnotatorQuality {
                annotator_quality: w * label_quality + (1.0 - w) * agreement_multi,
                agreement_with_consensus: mean_bool(&mine),
                num_examples_labeled: mine.len(),
            }
        })
        .collect();
    Ok(Crowdlab {
        examples,
        annotators: annotators_out,
        detailed,
        model_weight: s.model_weight,
        annotator_weights: s.annotator_weights,
    })
}

/// `_get_consensus_stats` and `_get_post_pred_probs_and_weights` (crowdlab) for one consensus.
struct Stats {
    agreement: Vec<f64>,
    post: Vec<Vec<f64>>,
    model_weight: f64,
    annotator_weights: Vec<f64>,
}

fn stats(
    labels: &[Vec<Option<usize>>],
    prior: &[Vec<f64>],
    num_annotations: &[usize],
    consensus: &[usize],
    classes: usize,
) -> Stats {
    let n = labels.len();
    let annotators = labels[0].len();
    let agreement: Vec<f64> = (0..n)
        .map(|i| labels[i].iter().filter(|l| **l == Some(consensus[i])).count() as f64 / num_annotations[i] as f64)
        .collect();
    let multi: Vec<usize> = (0..n).filter(|&i| num_annotations[i] != 1).collect();
    let consensus_likelihood = multi.iter().map(|&i| agreement[i]).sum::<f64>() / multi.len() as f64;
    let non_consensus_likelihood = (1.0 - consensus_likelihood) / (classes - 1) as f64;
    let mut counts = vec![0usize; classes];
    multi.iter().for_each(|&i| counts[consensus[i]] += 1);
    let most_common = argmax_first(&counts.iter().map(|&c| c as f64).collect::<Vec<_>>());
    let most_likely_class_error =
        (multi.iter().filter(|&&i| consensus[i] != most_common).count() as f64 / multi.len() as f64).max(CLIP);

    let mut with_annotators: Vec<f64> =
        (0..annotators).map(|j| single_annotator_agreement(labels, num_annotations, j)).collect();
    let known: Vec<f64> = with_annotators.iter().copied().filter(|a| !a.is_nan()).collect();
    let fill = mean(&known);
    with_annotators.iter_mut().filter(|a| a.is_nan()).for_each(|a| *a = fill);
    let annotator_weights: Vec<f64> =
        with_annotators.iter().map(|a| (1.0 - (1.0 - a) / most_likely_class_error).max(CLIP)).collect();

    let model_error =
        multi.iter().filter(|&&i| argmax_first(&prior[i]) != consensus[i]).count() as f64 / multi.len() as f64;
    let mean_annotations = num_annotations.iter().sum::<usize>() as f64 / n as f64;
    let model_weight = (1.0 - model_error / most_likely_class_error).max(CLIP) * mean_annotations.sqrt();

    let post = (0..n)
        .map(|i| {
            let annotation_weight: f64 =
                (0..annotators).filter(|&j| labels[i][j].is_some()).map(|j| annotator_weights[j]).sum();
            let total = annotation_weight + model_weight;
            (0..classes)
                .map(|c| {
                    let mut p = prior[i][c] * model_weight;
                    for (j, label) in labels[i].iter().enumerate() {
                        if let Some(label) = label {
                            let likelihood = if *label == c { consensus_likelihood } else { non_consensus_likelihood };
                            p += annotator_weights[j] * likelihood;
                        }
                    }
                    p / total
                })
                .collect()
        })
        .collect();
    Stats { agreement, post, model_weight, annotator_weights }
}

/// `_get_single_annotator_agreement`: how often annotator `j` agrees with the others on the
/// examples they share, weighted by how many others there are. NaN without shared examples.
fn single_annotator_agreement(labels: &[Vec<Option<usize>>], num_annotations: &[usize], j: usize) -> f64 {
    let (mut sum, mut weights) = (0.0, 0.0);
    for (row, &k) in labels.iter().zip(num_annotations) {
        let Some(mine) = row[j] else { continue };
        if k <= 1 {
            continue;
        }
        let same = row.iter().filter(|l| **l == Some(mine)).count() as f64;
        let others = (k - 1) as f64;
        sum += (same - 1.0) / others * others;
        weights += others;
    }
    if weights == 0.0 { f64::NAN } else { sum / weights }
}

/// `get_majority_vote_label`: the most frequent label; ties go to the class the model finds
/// likelier, then to the rarer class overall, then to the class whose annotators agree more
/// with the untied majority, then to the lowest class (see the module comment).
fn majority_vote(labels: &[Vec<Option<usize>>], prior: &[Vec<f64>], classes: usize) -> Vec<Option<usize>> {
    let counts: Vec<Vec<usize>> = labels
        .iter()
        .map(|row| {
            let mut c = vec![0; classes];
            row.iter().flatten().for_each(|&l| c[l] += 1);
            c
        })
        .collect();
    let mut vote: Vec<Option<usize>> = vec![None; labels.len()];
    let mut tied: Vec<(usize, Vec<usize>)> = Vec::new();
    for (i, c) in counts.iter().enumerate() {
        let max = *c.iter().max().expect("classes >= 2");
        let modes: Vec<usize> = (0..classes).filter(|&k| c[k] == max).collect();
        if modes.len() == 1 { vote[i] = Some(modes[0]) } else { tied.push((i, modes)) }
    }
    let untied: Vec<usize> = (0..labels.len()).filter(|&i| vote[i].is_some()).collect();
    // By the model.
    tied = narrow(tied, &mut vote, |i, k| prior[i][k]);
    // By the rarer class overall.
    let totals: Vec<usize> = (0..classes).map(|k| counts.iter().map(|c| c[k]).sum()).collect();
    tied = narrow(tied, &mut vote, |_, k| -(totals[k] as f64));
    if !tied.is_empty() {
        // By the agreement of each class's annotators with the untied majority.
        let annotators = labels[0].len();
        let mut agreement: Vec<f64> = (0..annotators)
            .map(|j| {
                let hits: Vec<bool> = untied.iter().filter_map(|&i| labels[i][j].map(|l| Some(l) == vote[i])).collect();
                if hits.is_empty() { f64::NAN } else { mean_bool(&hits) }
            })
            .collect();
        let known: Vec<f64> = agreement.iter().copied().filter(|a| !a.is_nan()).collect();
        let fill = mean(&known);
        agreement.iter_mut().filter(|a| a.is_nan()).for_each(|a| *a = fill);
        tied = narrow(tied, &mut vote, |i, k| {
            let of_k: Vec<f64> = (0..annotators).filter(|&j| labels[i][j] == Some(k)).map(|j| agreement[j]).collect();
            mean(&of_k)
        });
    }
    for (i, modes) in tied {
        vote[i] = Some(modes[0]);
    }
    vote
}

/// Keeps, for each tied example, the classes of the highest `score`; settles those left with one.
fn narrow(
    tied: Vec<(usize, Vec<usize>)>,
    vote: &mut [Option<usize>],
    score: impl Fn(usize, usize) -> f64,
) -> Vec<(usize, Vec<usize>)> {
    let mut left = Vec::new();
    for (i, modes) in tied {
        let scores: Vec<f64> = modes.iter().map(|&k| score(i, k)).collect();
        let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let best: Vec<usize> = modes.iter().zip(&scores).filter(|(_, s)| **s == max).map(|(&k, _)| k).collect();
        if best.len() == 1 { vote[i] = Some(best[0]) } else { left.push((i, best)) }
    }
    left
}

fn argmax_first(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, &v) in values.iter().enumerate() {
        if v > values[best] {
            best = i;
        }
    }
    best
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

fn mean_bool(values: &[bool]) -> f64 {
    values.iter().filter(|&&b| b).count() as f64 / values.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn close(ours: f64, theirs: &Value, what: &str) {
        match theirs.as_f64() {
            Some(t) => assert!((ours - t).abs() < 1e-6, "{what}: {ours} vs cleanlab {t}"),
            None => assert!(ours.is_nan(), "{what}: {ours} vs cleanlab NaN"),
        }
    }

    #[test]
    fn matches_cleanlab_2_9_0_on_its_fixtures() {
        let fixtures: Value =
            serde_json::from_str(include_str!("../../tests/fixtures/crowdlab.json")).expect("crowdlab.json");
        assert_eq!(fixtures["cleanlab"], "2.9.0");
        let cases = fixtures["cases"].as_object().unwrap();
        assert_eq!(cases.len(), 4);
        for (name, case) in cases {
            let labels: Vec<Vec<Option<usize>>> = serde_json::from_value(case["labels"].clone()).unwrap();
            let probabilities: Vec<Vec<f64>> = serde_json::from_value(case["probabilities"].clone()).unwrap();
            let got = crowdlab(&labels, &probabilities).unwrap();
            close(got.model_weight, &case["model_weight"], &format!("{name}: model weight"));
            for (j, w) in got.annotator_weights.iter().enumerate() {
                close(*w, &case["annotator_weight"][j], &format!("{name}: annotator {j} weight"));
            }
            for (i, e) in got.examples.iter().enumerate() {
                let at = |key: &str| format!("{name}: example {i} {key}");
                assert_eq!(e.consensus_label as u64, case["consensus_label"][i].as_u64().unwrap(), "{}", at("label"));
                close(e.consensus_quality_score, &case["consensus_quality_score"][i], &at("quality"));
                close(e.annotator_agreement, &case["annotator_agreement"][i], &at("agreement"));
                assert_eq!(e.num_annotations as u64, case["num_annotations"][i].as_u64().unwrap());
                for (j, d) in got.detailed[i].iter().enumerate() {
                    close(d.unwrap_or(f64::NAN), &case["detailed"][i][j], &at(&format!("annotator {j} label quality")));
                }
            }
            for (j, a) in got.annotators.iter().enumerate() {
                let at = |key: &str| format!("{name}: annotator {j} {key}");
                close(a.annotator_quality, &case["annotator_quality"][j], &at("quality"));
                close(a.agreement_with_consensus, &case["agreement_with_consensus"][j], &at("agreement"));
                assert_eq!(a.num_examples_labeled as u64, case["num_examples_labeled"][j].as_u64().unwrap());
            }
        }
    }

    #[test]
    fn input_cleanlab_refuses_is_refused() {
        let p = vec![vec![0.5, 0.5]; 2];
        assert_eq!(crowdlab(&[vec![None], vec![Some(0)]], &p), Err(CrowdlabError::Unlabeled { example: 0 }));
        assert_eq!(
            crowdlab(&[vec![Some(2)], vec![Some(0)]], &p),
            Err(CrowdlabError::BadLabel { example: 0, annotator: 0 })
        );
        assert_eq!(crowdlab(&[vec![Some(1)], vec![Some(0)]], &p), Err(CrowdlabError::NoOverlap));
    }
}
