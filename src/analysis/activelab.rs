//! ActiveLab (Goh & Mueller, 2023): how much one more label is worth for each example, as
//! cleanlab 2.9.0's `cleanlab.multiannotator.get_active_learning_scores` computes it. A low
//! score means the example most needs another label: few labels, labelers split, or a model
//! unsure. Examples nobody labeled yet are scored from the model alone.

use super::crowdlab::{CrowdlabError, crowdlab};

/// cleanlab's `SMALL_CONST`: probabilities are clipped here before a logarithm.
const SMALL: f64 = 1e-30;

/// The scores of the labeled examples (`labels[example][annotator]`, each with at least one
/// label) and of the unlabeled ones, in their orders.
pub fn activelab(
    labels: &[Vec<Option<usize>>],
    probabilities: &[Vec<f64>],
    unlabeled: &[Vec<f64>],
) -> Result<(Vec<f64>, Vec<f64>), CrowdlabError> {
    let classes = probabilities.first().or(unlabeled.first()).map_or(0, Vec::len);
    if classes < 2 {
        return Err(CrowdlabError::Shape);
    }
    let uniform = 1.0 / classes as f64;
    let single_labels_only = labels.iter().all(|row| row.iter().flatten().count() == 1);
    let (temperature, quality, model_weight, annotator_weights) = if labels.is_empty() {
        (1.0, Vec::new(), 1.0, Vec::new())
    } else if single_labels_only {
        let annotators = labels[0].len();
        let quality = labels
            .iter()
            .zip(probabilities)
            .map(|(row, p)| p[row.iter().flatten().next().copied().expect("one label")])
            .collect();
        (1.0, quality, 1.0, vec![1.0; annotators])
    } else {
        let temperature = best_temperature(labels, probabilities, classes);
        let scaled: Vec<Vec<f64>> = probabilities.iter().map(|p| scale(p, temperature)).collect();
        let c = crowdlab(labels, &scaled)?;
        let quality = c.examples.iter().map(|e| e.consensus_quality_score).collect();
        (temperature, quality, c.model_weight, c.annotator_weights)
    };
    let average_weight = if annotator_weights.is_empty() {
        1.0
    } else {
        annotator_weights.iter().sum::<f64>() / annotator_weights.len() as f64
    };
    let labeled = labels
        .iter()
        .zip(&quality)
        .map(|(row, &q)| {
            let w: f64 = row.iter().zip(&annotator_weights).filter(|(l, _)| l.is_some()).map(|(_, w)| w).sum::<f64>()
                + model_weight;
            (q * w + uniform * average_weight) / (w + average_weight)
        })
        .collect();
    let unlabeled = unlabeled
        .iter()
        .map(|p| {
            let q = scale(p, temperature).into_iter().fold(f64::NEG_INFINITY, f64::max);
            (q * model_weight + uniform * average_weight) / (model_weight + average_weight)
        })
        .collect();
    Ok((labeled, unlabeled))
}

/// `temp_scale_pred_probs`.
fn scale(p: &[f64], temperature: f64) -> Vec<f64> {
    let clipped: Vec<f64> = p.iter().map(|&x| x.max(SMALL)).collect();
    let sum: f64 = clipped.iter().sum();
    let exp: Vec<f64> = clipped.iter().map(|&x| ((x / sum).ln() / temperature).exp()).collect();
    let total: f64 = exp.iter().sum();
    let soft: Vec<f64> = exp.iter().map(|&e| e / total).collect();
    let again: f64 = soft.iter().sum();
    soft.into_iter().map(|x| x / again).collect()
}

fn entropy_at(labels: &[Vec<Option<usize>>], probabilities: &[Vec<f64>], classes: usize, t: f64) -> f64 {
    let total: f64 = labels
        .iter()
        .zip(probabilities)
        .map(|(row, p)| {
            let exp: Vec<f64> = p.iter().map(|&x| if x > 0.0 { (x.ln() / t).exp() } else { 0.0 }).collect();
            let sum: f64 = exp.iter().sum();
            let shares = label_shares(row, classes);
            let ce: f64 = (0..classes).map(|c| -shares[c] * (exp[c] / sum).max(SMALL).ln()).sum();
            ce / (classes as f64).ln()
        })
        .sum();
    total / labels.len() as f64
}

/// Each class's share of an example's labels, as cleanlab 2.9.0's `value_counts` gives it to
/// `compute_soft_cross_entropy`. The labels reach it as floats, which it does not take for
/// class indexes: when some class is missing, the counts of the classes present fill the first
/// slots in class order (labels `[1, 1]` of two classes count as `[2, 0]`). Kept, so that the
/// temperature (and every ActiveLab score) is cleanlab's.
fn label_shares(row: &[Option<usize>], classes: usize) -> Vec<f64> {
    let mut counts = vec![0usize; classes];
    row.iter().flatten().for_each(|&l| counts[l] += 1);
    let n = counts.iter().sum::<usize>() as f64;
    let present: Vec<usize> = counts.iter().copied().filter(|&c| c > 0).collect();
    let mut slots = vec![0.0; classes];
    if present.len() == classes {
        slots.iter_mut().zip(&counts).for_each(|(s, &c)| *s = c as f64 / n);
    } else {
        slots.iter_mut().zip(&present).for_each(|(s, &c)| *s = c as f64 / n);
    }
    slots
}

/// `find_best_temp_scaler`: the temperature whose scaled probabilities are closest (soft cross
/// entropy) to each example's share of labels, from a coarse grid refined around its best.
fn best_temperature(labels: &[Vec<Option<usize>>], probabilities: &[Vec<f64>], classes: usize) -> f64 {
    const COARSE: [f64; 9] = [0.1, 0.2, 0.5, 0.8, 1.0, 2.0, 3.0, 5.0, 8.0];
    const FINE: usize = 4;
    let entropy = |t: f64| entropy_at(labels, probabilities, classes, t);
    let argmin = |values: &[f64]| -> usize {
        let mut best = 0;
        for (i, &v) in values.iter().enumerate() {
            if v < values[best] {
                best = i;
            }
        }
        best
    };
    let coarse: Vec<f64> = COARSE.iter().map(|&t| entropy(t)).collect();
    let at = argmin(&coarse);
    let mut fine = Vec::new();
    if at != 0 {
        let (lo, hi) = (COARSE[at - 1], COARSE[at]);
        fine.extend((0..FINE).map(|i| lo + (hi - lo) * i as f64 / FINE as f64));
    }
    if at != COARSE.len() - 1 {
        let (lo, hi) = (COARSE[at], COARSE[at + 1]);
        fine.extend((0..=FINE).map(|i| lo + (hi - lo) * i as f64 / FINE as f64));
    }
    let scores: Vec<f64> = fine.iter().map(|&t| entropy(t)).collect();
    fine[argmin(&scores)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn check(case: &Value, name: &str) {
        let labels: Vec<Vec<Option<usize>>> = serde_json::from_value(case["labels"].clone()).unwrap();
        let probabilities: Vec<Vec<f64>> = serde_json::from_value(case["probabilities"].clone()).unwrap();
        let unlabeled: Vec<Vec<f64>> = serde_json::from_value(case["unlabeled_probabilities"].clone()).unwrap();
        let (scores, unlabeled_scores) = activelab(&labels, &probabilities, &unlabeled).unwrap();
        for (key, ours) in [("active_learning", &scores), ("active_learning_unlabeled", &unlabeled_scores)] {
            let theirs: Vec<f64> = serde_json::from_value(case[key].clone()).unwrap();
            assert_eq!(ours.len(), theirs.len(), "{name} {key}");
            for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
                assert!((a - b).abs() < 1e-6, "{name} {key}[{i}]: {a} vs cleanlab {b}");
            }
        }
    }

    #[test]
    fn matches_cleanlab_2_9_0_on_its_fixtures() {
        let fixtures: Value =
            serde_json::from_str(include_str!("../../tests/fixtures/crowdlab.json")).expect("crowdlab.json");
        for (name, case) in fixtures["cases"].as_object().unwrap() {
            check(case, name);
        }
        check(&fixtures["activelab_one_label_each"], "one label each");
    }
}
