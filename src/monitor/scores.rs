//! The model's score distribution on the new batch against the project's own pairs (issue 18),
//! when the batch is laid out as identity sub-folders (`DIR/<person>/*.jpg`): same-person and
//! different-person pairs are formed from the batch's faces, scored by cosine of the
//! embeddings the face pass already computed, and compared with the project's stored scores of
//! the built-in model on its same-person and different-person pairs.

use std::collections::{BTreeMap, HashSet};

use super::{MeasureDrift, PhotoMeasures, median};
use crate::analysis::drift::drift;
use crate::domain::{Split, Truth};
use crate::face::{FaceEngine, cosine};
use crate::rng::SeededRng;
use crate::store::{ModelKind, Store, StoreError};

/// The default cap on the batch's pairs of each kind (`--max-pairs`).
pub const DEFAULT_MAX_PAIRS: u32 = 2000;
/// The seed of the pair samples, fixed so that one batch always gives the same pairs.
pub const PAIR_SEED: u64 = 18;

/// The two score rows, or why there are none.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ScoreComparison {
    /// Why the scores were not compared; None when they were.
    pub skipped: Option<String>,
    /// The batch's photos with a face embedding and an identity folder, and their identities.
    pub photos: usize,
    pub identities: usize,
    /// `same_person_score` and `different_person_score`, each against the project's pairs of
    /// that truth.
    pub rows: Vec<MeasureDrift>,
}

impl ScoreComparison {
    pub fn skipped(reason: impl Into<String>) -> Self {
        Self { skipped: Some(reason.into()), photos: 0, identities: 0, rows: Vec::new() }
    }
}

/// The project's scores of the built-in model: (same-person, different-person), or why there
/// are none to compare with.
pub type ProjectScores = Result<(Vec<f64>, Vec<f64>), String>;

/// The project's scores of the built-in model on its pairs with a truth (of `split` only when
/// given).
pub fn project_scores(
    store: &mut Store,
    engine: &FaceEngine,
    split: Option<Split>,
) -> Result<ProjectScores, StoreError> {
    let sha = &engine.identity().sha256;
    let models = store.read(|tx| tx.models())?;
    let Some(model) =
        models.iter().find(|m| m.kind == ModelKind::Embedded && m.sha256.as_ref() == Some(sha) && m.scores > 0)
    else {
        return Ok(Err("the project has no scores of the built-in model: run `pairscope embed` first".into()));
    };
    let (scores, pairs) = store.read(|tx| Ok::<_, StoreError>((tx.scores_of(model.id)?, tx.pairs()?)))?;
    let (mut same, mut different) = (Vec::new(), Vec::new());
    for pair in pairs.iter().filter(|p| split.is_none() || p.split == split) {
        match (pair.truth, scores.get(&pair.id)) {
            (Some(Truth::Same), Some(&s)) => same.push(s),
            (Some(Truth::Different), Some(&s)) => different.push(s),
            _ => {}
        }
    }
    if same.is_empty() && different.is_empty() {
        return Ok(Err("no pair of the project has both a truth and a score of the built-in model".into()));
    }
    Ok(Ok((same, different)))
}

/// Forms the batch's pairs (at most `max_pairs` same-person pairs, as many different-person
/// ones) and compares their scores with `project`'s.
pub fn compare_scores(new: &[PhotoMeasures], project: ProjectScores, max_pairs: usize) -> ScoreComparison {
    if new.iter().all(|p| p.identity.is_none()) {
        return ScoreComparison::skipped(
            "the folder has no identity sub-folders (DIR/<person>/*.jpg), so no pairs with a known truth",
        );
    }
    let (same, different, photos, identities) = batch_scores(new, max_pairs);
    if same.is_empty() || different.is_empty() {
        return ScoreComparison {
            photos,
            identities,
            ..ScoreComparison::skipped(format!(
                "the batch's {photos} faces in {identities} identity folders give {} same-person and {} \
                 different-person pairs; both are needed",
                same.len(),
                different.len()
            ))
        };
    }
    let (base_same, base_different) = match project {
        Ok(scores) => scores,
        Err(reason) => return ScoreComparison { photos, identities, ..ScoreComparison::skipped(reason) },
    };
    let row = |measure, base: &[f64], new: &[f64]| MeasureDrift {
        measure,
        test: drift(base, new),
        median_new: median(new),
        median_baseline: median(base),
        histogram: super::SharedHistogram::of(base, new, super::histogram::BINS),
    };
    ScoreComparison {
        skipped: None,
        photos,
        identities,
        rows: vec![
            row("same_person_score", &base_same, &same),
            row("different_person_score", &base_different, &different),
        ],
    }
}

/// The cosine scores of the batch's sampled same-person and different-person pairs, with how
/// many faces and identities they come from.
fn batch_scores(new: &[PhotoMeasures], max_pairs: usize) -> (Vec<f64>, Vec<f64>, usize, usize) {
    let mut by_identity: BTreeMap<&str, Vec<&[f32]>> = BTreeMap::new();
    for photo in new {
        if let (Some(identity), Some(embedding)) = (&photo.identity, &photo.embedding) {
            by_identity.entry(identity).or_default().push(embedding);
        }
    }
    let groups: Vec<Vec<&[f32]>> = by_identity.into_values().collect();
    let flat: Vec<(usize, &[f32])> =
        groups.iter().enumerate().flat_map(|(g, faces)| faces.iter().map(move |f| (g, *f))).collect();
    let mut rng = SeededRng::new(PAIR_SEED);
    let same = same_pairs(&groups, max_pairs, &mut rng);
    let different = different_pairs(&flat, same.len(), &mut rng);
    let score = |(a, b): (usize, usize)| f64::from(cosine(flat[a].1, flat[b].1));
    (same.into_iter().map(score).collect(), different.into_iter().map(score).collect(), flat.len(), groups.len())
}

/// Within-identity pairs as indices into the flattened faces (group by group): all of them,
/// or a seeded sample of `max` when there are more.
fn same_pairs(groups: &[Vec<&[f32]>], max: usize, rng: &mut SeededRng) -> Vec<(usize, usize)> {
    let starts: Vec<usize> = groups.iter().scan(0, |at, g| Some(std::mem::replace(at, *at + g.len()))).collect();
    let counts: Vec<u64> = groups.iter().map(|g| (g.len() as u64) * (g.len() as u64).saturating_sub(1) / 2).collect();
    let total: u64 = counts.iter().sum();
    if total <= 2 * max as u64 {
        let mut all: Vec<(usize, usize)> = Vec::new();
        for (g, &start) in groups.iter().zip(&starts) {
            for a in 0..g.len() {
                all.extend((a + 1..g.len()).map(|b| (start + a, start + b)));
            }
        }
        rng.shuffle(&mut all);
        all.truncate(max);
        return all;
    }
    // Uniform over all within-identity pairs: an identity in proportion to its pairs, then two
    // of its faces; drawn until `max` distinct pairs.
    let mut chosen = HashSet::new();
    while chosen.len() < max {
        let mut k = rng.below(total);
        let mut g = 0;
        while k >= counts[g] {
            k -= counts[g];
            g += 1;
        }
        let n = groups[g].len() as u64;
        let a = rng.below(n);
        let b = (a + 1 + rng.below(n - 1)) % n;
        chosen.insert((starts[g] + a.min(b) as usize, starts[g] + a.max(b) as usize));
    }
    let mut pairs: Vec<(usize, usize)> = chosen.into_iter().collect();
    pairs.sort_unstable();
    pairs
}

/// `target` distinct pairs of faces of two identities: all of them, shuffled and cut, when
/// there are at most twice as many, else drawn uniformly until `target`.
fn different_pairs(flat: &[(usize, &[f32])], target: usize, rng: &mut SeededRng) -> Vec<(usize, usize)> {
    let n = flat.len();
    let mut sizes: BTreeMap<usize, u64> = BTreeMap::new();
    flat.iter().for_each(|(g, _)| *sizes.entry(*g).or_default() += 1);
    let squares: u64 = sizes.values().map(|s| s * s).sum();
    let total = ((n as u64) * (n as u64) - squares) / 2;
    if total <= 2 * target as u64 {
        let mut all: Vec<(usize, usize)> =
            (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).filter(|&(a, b)| flat[a].0 != flat[b].0).collect();
        rng.shuffle(&mut all);
        all.truncate(target);
        return all;
    }
    let mut chosen = HashSet::new();
    while chosen.len() < target {
        let (a, b) = (rng.below(n as u64) as usize, rng.below(n as u64) as usize);
        if flat[a].0 != flat[b].0 {
            chosen.insert((a.min(b), a.max(b)));
        }
    }
    let mut pairs: Vec<(usize, usize)> = chosen.into_iter().collect();
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A face of `identity` whose embedding points along axis `axis` (of 4), nudged by `i`.
    fn face(identity: &str, axis: usize, i: usize) -> PhotoMeasures {
        let mut e = vec![0.05 * i as f32; 4];
        e[axis] = 1.0;
        PhotoMeasures { identity: Some(identity.into()), embedding: Some(e), ..Default::default() }
    }

    /// `people` identities of `each` faces, each identity on its own axis.
    fn batch(people: usize, each: usize) -> Vec<PhotoMeasures> {
        (0..people).flat_map(|p| (0..each).map(move |i| face(&format!("p{p}"), p % 4, i))).collect()
    }

    fn spread(n: usize, centre: f64) -> Vec<f64> {
        (0..n).map(|i| centre + 0.2 * ((i * 37) % n) as f64 / n as f64).collect()
    }

    #[test]
    fn every_same_person_pair_is_scored_and_as_many_different_ones() {
        let (same, different, photos, identities) = batch_scores(&batch(4, 5), 1000);
        assert_eq!((photos, identities), (20, 4));
        assert_eq!((same.len(), different.len()), (4 * 10, 40));
        assert!(same.iter().all(|&s| s > 0.9), "same axis: {same:?}");
        assert!(different.iter().all(|&s| s < 0.5), "other axes: {different:?}");
    }

    #[test]
    fn the_pairs_are_capped_by_a_seeded_sample_of_distinct_pairs() {
        // 3 people of 60 faces: 5,310 same-person pairs, more than twice the cap (drawn).
        let photos = batch(3, 60);
        let (same, different, ..) = batch_scores(&photos, 500);
        assert_eq!((same.len(), different.len()), (500, 500));
        assert_eq!(batch_scores(&photos, 500).0, same, "the same batch gives the same sample");
        let groups: Vec<Vec<&[f32]>> =
            photos.chunks(60).map(|c| c.iter().map(|p| p.embedding.as_deref().unwrap()).collect()).collect();
        let pairs = same_pairs(&groups, 500, &mut SeededRng::new(1));
        assert_eq!(pairs.iter().collect::<HashSet<_>>().len(), 500, "distinct");
        assert!(pairs.iter().all(|&(a, b)| a < b && a / 60 == b / 60), "within one identity");
        // Under twice the cap: all of them shuffled, then cut.
        assert_eq!(batch_scores(&batch(3, 5), 20).0.len(), 20);
    }

    #[test]
    fn a_flat_folder_or_a_project_without_scores_is_skipped_with_the_reason() {
        let flat: Vec<PhotoMeasures> = batch(3, 4).into_iter().map(|p| PhotoMeasures { identity: None, ..p }).collect();
        let r = compare_scores(&flat, Ok((vec![0.7], vec![0.1])), 100);
        assert!(r.skipped.unwrap().contains("no identity sub-folders") && r.rows.is_empty());
        let r = compare_scores(&batch(3, 4), Err("no scores here".into()), 100);
        assert_eq!((r.skipped.as_deref(), r.photos, r.identities), (Some("no scores here"), 12, 3));
        let r = compare_scores(&batch(1, 4), Ok((vec![0.7], vec![0.1])), 100);
        assert!(r.skipped.unwrap().contains("6 same-person and 0 different-person pairs"));
    }

    #[test]
    fn same_person_scores_like_different_ones_drift_and_make_the_report_drifted() {
        let project = Ok((spread(200, 0.6), spread(200, 0.0)));
        let scores = compare_scores(&batch(4, 8), project.clone(), 1000);
        let same = &scores.rows[0];
        assert_eq!(same.measure, "same_person_score");
        assert!(same.test.unwrap().drifted, "{scores:?}");
        let mut report = super::super::compare("x".into(), &[], &[]);
        assert!(!report.drifted);
        report.set_scores(scores);
        assert!(report.drifted);
        let text = super::super::render_text(&report);
        assert!(text.contains("(32 faces in 4 identity folders)"), "{text}");
        assert!(text.contains("verdict: DRIFTED on same_person_score"), "{text}");
        // Scores like the project's: stable.
        let (same, different, ..) = batch_scores(&batch(4, 8), 1000);
        let stable = compare_scores(&batch(4, 8), Ok((same, different)), 1000);
        assert!(stable.rows.iter().all(|r| !r.test.unwrap().drifted), "{stable:?}");
    }
}
