//! The two sides of one measure as histograms a person can lay over each other: the same
//! equal-width bins for both, each side's bars its share of that side's values (so each side
//! sums to 1 and a batch of 40 photos compares with a project of 10,000). Small enough to
//! travel in the JSON (`BINS` shares a side), unlike the values themselves.

/// How many bins a measure's histogram has.
pub const BINS: usize = 20;

/// Both sides of one measure over the same bins.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SharedHistogram {
    /// `bins + 1` edges, increasing; bin `i` is `[edges[i], edges[i + 1])`, the last one closed.
    pub edges: Vec<f64>,
    /// The share of the baseline's values in each bin (sums to 1).
    pub baseline: Vec<f64>,
    /// The share of the new photos' values in each bin (sums to 1).
    pub new: Vec<f64>,
}

impl SharedHistogram {
    /// `bins` equal bins from the smallest to the largest finite value of either side. None
    /// when a side has no finite value (nothing to compare), or `bins` is 0. When every value
    /// is the same, one bin around it.
    pub fn of(baseline: &[f64], new: &[f64], bins: usize) -> Option<SharedHistogram> {
        let finite = |side: &[f64]| side.iter().copied().filter(|v| v.is_finite()).collect::<Vec<f64>>();
        let (baseline, new) = (finite(baseline), finite(new));
        if baseline.is_empty() || new.is_empty() || bins == 0 {
            return None;
        }
        let lo = baseline.iter().chain(&new).copied().fold(f64::INFINITY, f64::min);
        let hi = baseline.iter().chain(&new).copied().fold(f64::NEG_INFINITY, f64::max);
        let edges: Vec<f64> = if hi > lo {
            let width = (hi - lo) / bins as f64;
            (0..=bins).map(|i| if i == bins { hi } else { lo + width * i as f64 }).collect()
        } else {
            // One value on both sides: a bin wide enough to be seen around it.
            let half = (lo.abs() * 0.05).max(1e-6);
            vec![lo - half, lo + half]
        };
        let shares = |side: &[f64]| {
            let last = edges.len() - 2;
            let mut counts = vec![0usize; edges.len() - 1];
            for &v in side {
                // The first edge above v, minus one: the bin v starts; the top value is in the last.
                let bin = edges.partition_point(|&e| e <= v).saturating_sub(1).min(last);
                counts[bin] += 1;
            }
            counts.into_iter().map(|c| c as f64 / side.len() as f64).collect()
        };
        Some(SharedHistogram { baseline: shares(&baseline), new: shares(&new), edges })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(v: &[f64]) -> f64 {
        v.iter().sum()
    }

    #[test]
    fn both_sides_share_the_bins_and_each_sums_to_one() {
        let h = SharedHistogram::of(&[0.0, 1.0, 2.0, 3.0], &[2.0, 4.0], 4).unwrap();
        assert_eq!(h.edges, vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(h.baseline, vec![0.25, 0.25, 0.25, 0.25]);
        // 2.0 starts bin 2; the largest value, 4.0, is in the last bin (closed on the right).
        assert_eq!(h.new, vec![0.0, 0.0, 0.5, 0.5]);
        assert!((sum(&h.baseline) - 1.0).abs() < 1e-12 && (sum(&h.new) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn sides_of_different_sizes_are_shares_not_counts() {
        let big: Vec<f64> = (0..1000).map(|i| (i % 10) as f64).collect();
        let small: Vec<f64> = (0..10).map(f64::from).collect();
        let h = SharedHistogram::of(&big, &small, 10).unwrap();
        assert_eq!(h.edges.len(), 11);
        for (b, n) in h.baseline.iter().zip(&h.new) {
            assert!((b - 0.1).abs() < 1e-12 && (n - 0.1).abs() < 1e-12, "{h:?}");
        }
    }

    #[test]
    fn values_that_are_not_finite_are_left_out_and_an_empty_side_gives_none() {
        let h = SharedHistogram::of(&[1.0, f64::NAN, 3.0], &[f64::INFINITY, 2.0], 2).unwrap();
        assert_eq!(h.edges, vec![1.0, 2.0, 3.0]);
        assert_eq!((h.baseline.clone(), h.new.clone()), (vec![0.5, 0.5], vec![0.0, 1.0]));
        assert_eq!(SharedHistogram::of(&[], &[1.0], 5), None);
        assert_eq!(SharedHistogram::of(&[1.0], &[f64::NAN], 5), None);
        assert_eq!(SharedHistogram::of(&[1.0], &[2.0], 0), None);
    }

    #[test]
    fn one_value_everywhere_is_one_bin_around_it() {
        let h = SharedHistogram::of(&[0.5, 0.5], &[0.5], 20).unwrap();
        assert_eq!(h.edges.len(), 2);
        assert!(h.edges[0] < 0.5 && 0.5 < h.edges[1]);
        assert_eq!((h.baseline.clone(), h.new.clone()), (vec![1.0], vec![1.0]));
    }
}
