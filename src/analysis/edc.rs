//! Error-versus-discard characteristic (EDC, ISO/IEC 29794-1 and -5): does rejecting the
//! lowest-quality photos lower the false non-match rate at a fixed threshold?
//!
//! The EDC follows the standard's definition:
//! - a comparison's quality is the quality of its worse image (the lower of the two);
//! - only genuine comparisons (same person, with a score) count: the y axis is the FNMR of
//!   those that remain after discarding the lowest-quality fraction x, at one threshold held
//!   fixed for the whole curve (here the operating threshold; accept ⇔ score ≥ threshold);
//! - x runs from 0 up to a maximum (here [`EDC_MAX_DISCARD`]).
//!
//! Ties: comparisons of equal quality are discarded together or not at all, so a discard
//! step is always "every comparison with quality below q" (a quality threshold, as in the
//! standard) and no fraction splits a tie by some arbitrary order (pair id, score). The curve
//! therefore has one point per distinct quality, and at a requested fraction x we discard the
//! most whole tie groups whose total is ≤ x · N (never more than asked); the realized fraction
//! is reported beside it.

use super::confusion::predicted;
use super::intervals::Proportion;
use super::snapshot::Truth;

/// The largest discard fraction the curve goes to (the standard's plots stop at 0.9 or
/// earlier; past half the data the remaining FNMR rests on too few comparisons to read).
pub const EDC_MAX_DISCARD: f64 = 0.5;

/// The discard fractions of the EDC table (and of the report).
pub const EDC_TABLE_FRACTIONS: [f64; 6] = [0.0, 0.05, 0.1, 0.2, 0.3, 0.5];

// The table is read off the curve, so it may not ask beyond it.
const _: () = assert!(EDC_TABLE_FRACTIONS[EDC_TABLE_FRACTIONS.len() - 1] <= EDC_MAX_DISCARD);

/// Genuine comparisons in increasing order of quality, grouped by equal quality: computed
/// once per data change, then [`EdcGenuine::point_at`] and [`EdcGenuine::curve`] answer for any
/// threshold in one pass.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EdcGenuine {
    /// Scores of the genuine comparisons that have a quality, lowest quality first.
    scores: Vec<f64>,
    /// Per tie group, in increasing quality: its quality and the position just after its last
    /// comparison in `scores`.
    groups: Vec<(f64, usize)>,
    /// Genuine comparisons (same person, scored) left out because a photo has no statistics.
    without_quality: u64,
}

/// One point of the EDC: what remains after discarding the lowest-quality comparisons.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EdcPoint {
    /// Genuine comparisons discarded (whole tie groups).
    pub discarded: u64,
    /// Genuine comparisons with a quality (discarded + remaining).
    pub genuine: u64,
    /// Genuine comparisons left after the discard.
    pub remaining: u64,
    /// Remaining comparisons scored below the threshold.
    pub false_non_matches: u64,
    /// The lowest quality kept: every comparison below it was discarded (None when nothing
    /// remains).
    pub kept_from_quality: Option<f64>,
}

impl EdcPoint {
    /// The realized discard fraction (None without genuine comparisons).
    pub fn discard_fraction(&self) -> Option<f64> {
        (self.genuine > 0).then(|| self.discarded as f64 / self.genuine as f64)
    }

    /// False non-matches of the remaining comparisons, as a count.
    pub fn fnmr_count(&self) -> Proportion {
        Proportion::new(self.false_non_matches, self.remaining)
    }

    /// False non-matches / remaining (None when nothing remains).
    pub fn fnmr(&self) -> Option<f64> {
        self.fnmr_count().rate()
    }

    /// The FNMR's two-sided 95 % Clopper–Pearson interval (None when nothing remains).
    pub fn fnmr_ci95(&self) -> Option<[f64; 2]> {
        self.fnmr_count().ci95()
    }
}

impl EdcGenuine {
    /// The genuine comparisons among the pairs: `truth` same and a finite `score`. `quality`
    /// is per pair (higher is better; None: no statistics, counted and left out).
    pub fn new(score: &[f64], truth: &[Option<Truth>], quality: &[Option<f64>]) -> EdcGenuine {
        let mut without_quality = 0;
        let mut rated: Vec<(f64, f64)> = Vec::new();
        for ((&s, &t), &q) in score.iter().zip(truth).zip(quality) {
            if t != Some(Truth::Same) || !s.is_finite() {
                continue;
            }
            match q.filter(|q| !q.is_nan()) {
                Some(q) => rated.push((q, s)),
                None => without_quality += 1,
            }
        }
        rated.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut groups: Vec<(f64, usize)> = Vec::new();
        for (i, &(q, _)) in rated.iter().enumerate() {
            match groups.last_mut() {
                Some(last) if last.0 == q => last.1 = i + 1,
                _ => groups.push((q, i + 1)),
            }
        }
        EdcGenuine { scores: rated.into_iter().map(|(_, s)| s).collect(), groups, without_quality }
    }

    /// Genuine comparisons with a quality (the EDC's N).
    pub fn genuine(&self) -> u64 {
        self.scores.len() as u64
    }

    /// Genuine comparisons left out for want of statistics.
    pub fn without_quality(&self) -> u64 {
        self.without_quality
    }

    /// The point after discarding `discarded` comparisons (a tie-group boundary).
    fn point(&self, discarded: usize, threshold: f64) -> EdcPoint {
        let kept = &self.scores[discarded..];
        let false_non_matches = kept.iter().filter(|&&s| predicted(s, threshold) == Truth::Different).count();
        let group = self.groups.partition_point(|g| g.1 <= discarded);
        EdcPoint {
            discarded: discarded as u64,
            genuine: self.genuine(),
            remaining: kept.len() as u64,
            false_non_matches: false_non_matches as u64,
            kept_from_quality: self.groups.get(group).map(|g| g.0),
        }
    }

    /// The most comparisons, in whole tie groups, whose share of N is at most `fraction`.
    fn discard_count(&self, fraction: f64) -> usize {
        let n = self.scores.len();
        // A small slack so that 0.1 · 30 = 3.0000000000000004 still admits 3.
        let allowed = fraction * n as f64 * (1.0 + 1e-12);
        let groups = self.groups.partition_point(|g| g.1 as f64 <= allowed);
        if groups == 0 { 0 } else { self.groups[groups - 1].1 }
    }

    /// The point at discard fraction `fraction` (whole tie groups, never more than asked).
    pub fn point_at(&self, fraction: f64, threshold: f64) -> EdcPoint {
        self.point(self.discard_count(fraction), threshold)
    }

    /// [`EdcGenuine::point_at`] for each fraction (none above `max_fraction`), read off a
    /// `curve` of the same threshold and `max_fraction`: no further pass over the comparisons.
    pub fn points_on(&self, curve: &[EdcPoint], fractions: &[f64]) -> Vec<EdcPoint> {
        fractions
            .iter()
            .filter_map(|&x| {
                let discarded = self.discard_count(x) as u64;
                curve.iter().find(|p| p.discarded == discarded).copied()
            })
            .collect()
    }

    /// One point per tie-group boundary from nothing discarded up to `max_fraction`, in
    /// increasing discard; one pass over the comparisons.
    pub fn curve(&self, threshold: f64, max_fraction: f64) -> Vec<EdcPoint> {
        let last = self.discard_count(max_fraction);
        let total_fnm = self.scores.iter().filter(|&&s| predicted(s, threshold) == Truth::Different).count();
        let mut points = Vec::new();
        let (mut start, mut fnm_discarded) = (0, 0);
        let boundaries = std::iter::once((None, 0)).chain(self.groups.iter().map(|&(q, end)| (Some(q), end)));
        for (i, (_, end)) in boundaries.enumerate() {
            if end > last {
                break;
            }
            fnm_discarded +=
                self.scores[start..end].iter().filter(|&&s| predicted(s, threshold) == Truth::Different).count();
            start = end;
            points.push(EdcPoint {
                discarded: end as u64,
                genuine: self.genuine(),
                remaining: (self.scores.len() - end) as u64,
                false_non_matches: (total_fnm - fnm_discarded) as u64,
                kept_from_quality: self.groups.get(i).map(|g| g.0),
            });
        }
        points
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SeededRng;

    /// The definition read literally: for the requested fraction, try every quality
    /// threshold q among the distinct qualities (and "discard nothing"), discard every
    /// comparison with quality < q, keep the largest discard not above the fraction, count.
    fn brute_force(score: &[f64], truth: &[Option<Truth>], quality: &[Option<f64>], x: f64, t: f64) -> (u64, u64, u64) {
        let genuine: Vec<(f64, f64)> = (0..score.len())
            .filter(|&i| truth[i] == Some(Truth::Same) && score[i].is_finite())
            .filter_map(|i| quality[i].map(|q| (q, score[i])))
            .collect();
        let n = genuine.len();
        let mut cuts: Vec<f64> = genuine.iter().map(|g| g.0).collect();
        cuts.push(f64::INFINITY);
        let mut best = (0, f64::NEG_INFINITY);
        for q in cuts {
            let discarded = genuine.iter().filter(|g| g.0 < q).count();
            if (discarded as f64) <= x * n as f64 + 1e-9 && discarded > best.0 {
                best = (discarded, q);
            }
        }
        let kept: Vec<&(f64, f64)> = genuine.iter().filter(|g| g.0 >= best.1).collect();
        let fnm = kept.iter().filter(|g| g.1 < t).count();
        (best.0 as u64, kept.len() as u64, fnm as u64)
    }

    #[test]
    fn matches_a_brute_force_count_with_many_ties() {
        let mut rng = SeededRng::new(13);
        for round in 0..40 {
            let n = 1 + rng.below(60) as usize;
            let score: Vec<f64> =
                (0..n).map(|_| if rng.below(10) == 0 { f64::NAN } else { rng.below(100) as f64 / 100.0 }).collect();
            let truth: Vec<Option<Truth>> = (0..n)
                .map(|_| match rng.below(5) {
                    0 => None,
                    1 => Some(Truth::Different),
                    _ => Some(Truth::Same),
                })
                .collect();
            // Few distinct qualities, so ties are everywhere.
            let quality: Vec<Option<f64>> =
                (0..n).map(|_| if rng.below(8) == 0 { None } else { Some(rng.below(6) as f64) }).collect();
            let edc = EdcGenuine::new(&score, &truth, &quality);
            let t = rng.below(100) as f64 / 100.0;
            for x in [0.0, 0.05, 0.1, 0.2, 0.25, 0.3, 0.5, 0.9, 1.0] {
                let p = edc.point_at(x, t);
                let (discarded, remaining, fnm) = brute_force(&score, &truth, &quality, x, t);
                assert_eq!(
                    (p.discarded, p.remaining, p.false_non_matches),
                    (discarded, remaining, fnm),
                    "round {round} x {x}"
                );
            }
            let curve = edc.curve(t, 1.0);
            for p in &curve {
                let again = edc.point(p.discarded as usize, t);
                assert_eq!(*p, again, "round {round}");
            }
            let fractions = [0.0, 0.1, 0.3, 0.5];
            let read_off = edc.points_on(&edc.curve(t, 0.5), &fractions);
            let direct: Vec<EdcPoint> = fractions.iter().map(|&x| edc.point_at(x, t)).collect();
            assert_eq!(read_off, direct, "round {round}");
        }
    }

    #[test]
    fn a_fraction_never_splits_equal_qualities() {
        // Qualities 1, 2, 2, 2, 3 (five genuine): discarding 20 % takes the single 1; 40 % and
        // 60 % cannot take part of the 2s, so they stay at one discarded until 80 %.
        let score = [0.1, 0.9, 0.1, 0.9, 0.9];
        let truth = [Some(Truth::Same); 5];
        let quality = [Some(1.0), Some(2.0), Some(2.0), Some(2.0), Some(3.0)];
        let edc = EdcGenuine::new(&score, &truth, &quality);
        let discarded = |x: f64| edc.point_at(x, 0.5).discarded;
        assert_eq!([discarded(0.0), discarded(0.2), discarded(0.4), discarded(0.6), discarded(0.8)], [0, 1, 1, 1, 4]);
        let p = edc.point_at(0.4, 0.5);
        assert_eq!((p.remaining, p.false_non_matches, p.kept_from_quality), (4, 1, Some(2.0)));
        assert_eq!(p.discard_fraction(), Some(0.2));
        // The curve has one point per distinct quality: nothing, below 2, below 3 (and
        // everything, at 100 %).
        assert_eq!(edc.curve(0.5, 1.0).len(), 4);
        let curve = edc.curve(0.5, 0.8);
        assert_eq!(curve.iter().map(|p| p.discarded).collect::<Vec<_>>(), vec![0, 1, 4]);
        assert_eq!(curve.iter().map(|p| p.fnmr()).collect::<Vec<_>>(), vec![Some(0.4), Some(0.25), Some(0.0)]);
    }

    #[test]
    fn counts_only_scored_same_person_pairs_and_those_without_statistics() {
        let score = [0.2, 0.8, f64::NAN, 0.3, 0.6];
        let truth =
            [Some(Truth::Same), Some(Truth::Same), Some(Truth::Same), Some(Truth::Different), Some(Truth::Same)];
        let quality = [Some(5.0), Some(1.0), Some(0.0), Some(0.0), None];
        let edc = EdcGenuine::new(&score, &truth, &quality);
        assert_eq!((edc.genuine(), edc.without_quality()), (2, 1));
        // At threshold 0.5 the 0.2 is a false non-match; discarding the worse half (quality 1,
        // score 0.8) leaves it alone: FNMR 1/2 then 1/1.
        assert_eq!(edc.point_at(0.0, 0.5).fnmr(), Some(0.5));
        assert_eq!(edc.point_at(0.5, 0.5).fnmr(), Some(1.0));
        // An infinite threshold accepts nothing.
        assert_eq!(edc.point_at(0.0, f64::INFINITY).false_non_matches, 2);
    }

    #[test]
    fn empty_input_has_one_empty_point() {
        let edc = EdcGenuine::new(&[], &[], &[]);
        let p = edc.point_at(0.1, 0.5);
        assert_eq!((p.genuine, p.remaining, p.fnmr(), p.discard_fraction()), (0, 0, None, None));
        assert_eq!(edc.curve(0.5, 0.5).len(), 1);
    }
}
