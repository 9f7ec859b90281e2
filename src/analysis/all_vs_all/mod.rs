//! All-vs-all comparisons: every unordered pair of distinct images, once; same identity is a
//! genuine comparison, different identities an impostor one. Memory stays O(images × dim) and
//! flat in the number of comparisons: the N×N score matrix is never built.
//!
//! How the counts stay exact (ties included) in constant memory — two passes:
//! 1. every score goes into a fine histogram of genuine and impostor counts (4,096 distinct
//!    floats per bin, `bins.rs`), and the hardest impostors / weakest genuine comparisons
//!    into bounded heaps;
//! 2. the histogram names the few bins that hold a rank the tables need (the (K+1)-th
//!    highest impostor score for each false-accept limit K, and where FMR and FNMR cross);
//!    the scores are computed again and, inside those bins only, counted per distinct
//!    value (at most 4,096 counters a bin). Counts at any of those values are then exact.
//!
//! The second pass costs a second matrix product; an exact top tail of impostor scores
//! would save it only for the smallest FMR targets, while 1e-1 or the EER need ranks deep in
//! the impostor distribution anyway.

mod bins;
mod det;
mod dot;
mod extremes;
mod record;
mod report;
mod sweep;
#[cfg(test)]
mod tests;
mod text;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use bins::{BINS, Histogram, bin_of_key, from_key, key};
pub use det::det_points;
use dot::Kernel;
pub use dot::score;
use extremes::Extremes;
pub use extremes::ScoredPair;
pub use record::{AllVsAllRecord, FmrPoint, NamedComparison};
pub use report::{AllVsAllPoint, AllVsAllReport, HardestImpostor};
use sweep::{Padded, sweep};
pub use text::{all_vs_all_lines, all_vs_all_text};

/// The vectors to compare, row-major, one row per image, each L2-normalised.
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    pub vectors: &'a [f32],
    pub dim: usize,
    /// One identity index per row; equal indices are the same person.
    pub identities: &'a [u32],
}

#[derive(Clone, Debug)]
pub struct Options {
    /// Worker threads; 0 = one per core.
    pub threads: usize,
    /// How many hardest impostors and weakest genuine comparisons to keep.
    pub keep: usize,
    /// For each: the smallest threshold with at most this many false accepts is reported
    /// with exact counts (see [`max_false_accepts`]).
    pub false_accept_limits: Vec<u64>,
}

impl Default for Options {
    fn default() -> Self {
        Options { threads: 0, keep: 200, false_accept_limits: Vec::new() }
    }
}

/// Where a run is: tiles done of both passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AllVsAllError {
    #[error("cancelled")]
    Cancelled,
    #[error("{0}")]
    Invalid(String),
}

/// The exact outcome at the smallest threshold with at most `max_false_accepts` false
/// accepts (accept when score ≥ threshold).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThresholdCounts {
    pub max_false_accepts: u64,
    /// None: only +∞ qualifies (nothing is accepted).
    pub threshold: Option<f32>,
    pub false_accepts: u64,
    /// Genuine comparisons with score ≥ threshold.
    pub true_accepts: u64,
}

/// Where FMR and FNMR cross: the candidate with the smallest |FMR − FNMR| (ties to the
/// larger threshold, as the labeled pairs' EER rule), and the mean of the two rates there.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Eer {
    pub rate: f64,
    pub threshold: Option<f32>,
}

/// One non-empty histogram bin: scores from `floor` up to the next bin's floor.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistogramBin {
    pub floor: f32,
    pub genuine: u64,
    pub impostors: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AllVsAll {
    pub genuine: u64,
    pub impostors: u64,
    /// One per `Options::false_accept_limits`, in that order.
    pub thresholds: Vec<ThresholdCounts>,
    /// None without genuine or without impostor comparisons.
    pub eer: Option<Eer>,
    /// Non-empty bins, ascending, for curves.
    pub histogram: Vec<HistogramBin>,
    /// Highest score first; ties to the earlier rows.
    pub hardest_impostors: Vec<ScoredPair>,
    /// Lowest score first; ties to the earlier rows.
    pub weakest_genuine: Vec<ScoredPair>,
}

/// Genuine and impostor comparison counts, known before any score is computed.
pub fn pair_counts(identities: &[u32]) -> (u64, u64) {
    let mut per: BTreeMap<u32, u64> = BTreeMap::new();
    for &i in identities {
        *per.entry(i).or_default() += 1;
    }
    let n = identities.len() as u64;
    let genuine: u64 = per.values().map(|k| k * k.saturating_sub(1) / 2).sum();
    (genuine, n * n.saturating_sub(1) / 2 - genuine)
}

/// The largest false-accept count whose FMR is ≤ `fmr`, compared as `--max-fpr` compares
/// (`fa / impostors ≤ fmr` in f64); `impostors` when there are none to exceed.
pub fn max_false_accepts(fmr: f64, impostors: u64) -> u64 {
    if impostors == 0 {
        return 0;
    }
    let within = |k: u64| k as f64 / impostors as f64 <= fmr;
    let mut k = ((fmr * impostors as f64).floor().max(0.0) as u64).min(impostors);
    while k > 0 && !within(k) {
        k -= 1;
    }
    while k < impostors && within(k + 1) {
        k += 1;
    }
    k
}

struct FirstPass {
    histogram: Histogram,
    hardest: Extremes,
    weakest: Extremes,
}

/// Compares every pair of rows. `progress` is called from the worker threads.
///
/// A score is never −0 (the accumulators start at +0), so its key names it uniquely.
pub fn compare_all(
    input: Input,
    options: &Options,
    cancel: &AtomicBool,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<AllVsAll, AllVsAllError> {
    compare_with(input, options, cancel, progress, Kernel::detect())
}

fn compare_with(
    input: Input,
    options: &Options,
    cancel: &AtomicBool,
    progress: &(dyn Fn(Progress) + Sync),
    kernel: Kernel,
) -> Result<AllVsAll, AllVsAllError> {
    let rows = validate(input)?;
    let identities = input.identities;
    let (genuine, impostors) = pair_counts(identities);
    let padded = Padded::new(input.vectors, rows, input.dim);
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let total = 2 * padded.work();
    let done = AtomicU64::new(0);
    let tick = || progress(Progress { done: done.fetch_add(1, Ordering::Relaxed) + 1, total });
    progress(Progress { done: 0, total });

    let first = sweep(
        &padded,
        kernel,
        threads,
        || FirstPass {
            histogram: Histogram::new(),
            hardest: Extremes::new(options.keep, true),
            weakest: Extremes::new(options.keep, false),
        },
        |s, i, j, score| {
            let k = key(score);
            if identities[i as usize] == identities[j as usize] {
                s.histogram.add(k, true);
                s.weakest.offer(k, i, j);
            } else {
                s.histogram.add(k, false);
                s.hardest.offer(k, i, j);
            }
        },
        cancel,
        tick,
    )
    .ok_or(AllVsAllError::Cancelled)?;
    let mut states = first.into_iter();
    let mut merged = states.next().expect("at least one thread");
    for s in states {
        merged.histogram.merge(&s.histogram);
        merged.hardest.merge(s.hardest);
        merged.weakest.merge(s.weakest);
    }
    let histogram = merged.histogram;

    let plan = Plan::new(&histogram, genuine, impostors, &options.false_accept_limits);
    let wanted = plan.wanted_bins();
    let second = sweep(
        &padded,
        kernel,
        threads,
        BTreeMap::<u32, [u64; 2]>::new,
        |s, i, j, score| {
            let k = key(score);
            if wanted[bin_of_key(k)] {
                s.entry(k).or_default()[(identities[i as usize] == identities[j as usize]) as usize] += 1;
            }
        },
        cancel,
        tick,
    )
    .ok_or(AllVsAllError::Cancelled)?;
    let mut exact: BTreeMap<u32, [u64; 2]> = BTreeMap::new();
    for s in second {
        for (k, [imp, gen_]) in s {
            let e = exact.entry(k).or_default();
            e[0] += imp;
            e[1] += gen_;
        }
    }
    let counts = Counts::new(&histogram, exact, genuine, impostors);
    let thresholds = options.false_accept_limits.iter().map(|&limit| counts.at_limit(limit)).collect();
    Ok(AllVsAll {
        genuine,
        impostors,
        thresholds,
        eer: counts.eer(plan.eer_bin),
        histogram: (0..BINS)
            .filter(|&b| !histogram.is_empty(b))
            .map(|b| HistogramBin {
                floor: bins::bin_floor(b),
                genuine: histogram.genuine(b),
                impostors: histogram.impostors(b),
            })
            .collect(),
        hardest_impostors: merged.hardest.into_sorted(),
        weakest_genuine: merged.weakest.into_sorted(),
    })
}

/// Rows, or why the input cannot be compared (naming the first bad row).
fn validate(input: Input) -> Result<usize, AllVsAllError> {
    let Input { vectors, dim, identities } = input;
    let bad = |m: String| Err(AllVsAllError::Invalid(m));
    if dim == 0 {
        return bad("the vectors have no dimensions".into());
    }
    if vectors.len() != identities.len() * dim {
        return bad(format!("{} values are not {} rows of {dim}", vectors.len(), identities.len()));
    }
    if identities.len() > u32::MAX as usize {
        return bad(format!("{} rows are more than this can compare", identities.len()));
    }
    for (r, row) in vectors.chunks_exact(dim).enumerate() {
        let norm2: f64 = row.iter().map(|&v| v as f64 * v as f64).sum();
        // Normalised rows keep every score within the histogram's (-2, 2).
        if !norm2.is_finite() || (norm2 - 1.0).abs() > 1e-3 {
            return bad(format!("row {r} is not an L2-normalised vector (squared norm {norm2})"));
        }
    }
    Ok(identities.len())
}

/// Which bins the second pass must count per distinct score.
struct Plan {
    /// Per limit: the bin holding the (limit+1)-th highest impostor score, or None when
    /// every impostor is within the limit (the threshold is then the lowest score).
    limit_bins: Vec<Option<usize>>,
    lowest: Option<usize>,
    eer_bin: Option<usize>,
    histogram_next: Vec<Option<usize>>,
}

impl Plan {
    fn new(h: &Histogram, genuine: u64, impostors: u64, limits: &[u64]) -> Self {
        let lowest = (0..BINS).find(|&b| !h.is_empty(b));
        // Walk from the top once, keeping the counts at or above each bin.
        let (mut imp_at_least, mut gen_at_least) = (0u64, 0u64);
        let mut limit_bins = vec![None; limits.len()];
        let mut eer_bin = None;
        for b in (0..BINS).rev() {
            if h.is_empty(b) {
                continue;
            }
            let before = imp_at_least;
            imp_at_least += h.impostors(b);
            gen_at_least += h.genuine(b);
            for (slot, &limit) in limit_bins.iter_mut().zip(limits) {
                if before <= limit && imp_at_least > limit {
                    *slot = Some(b);
                }
            }
            if eer_bin.is_none()
                && genuine > 0
                && impostors > 0
                && gap(imp_at_least, gen_at_least, genuine, impostors) >= 0
            {
                eer_bin = Some(b);
            }
        }
        let histogram_next = limit_bins.iter().chain([&eer_bin]).map(|b| b.and_then(|b| h.next_above(b))).collect();
        Plan { limit_bins, lowest, eer_bin, histogram_next }
    }

    fn wanted_bins(&self) -> Vec<bool> {
        let mut wanted = vec![false; BINS];
        let all = self.limit_bins.iter().chain([&self.lowest, &self.eer_bin]).chain(&self.histogram_next);
        for b in all.flatten() {
            wanted[*b] = true;
        }
        wanted
    }
}

/// FMR − FNMR scaled by genuine × impostors, exact: non-decreasing as the threshold falls.
fn gap(false_accepts: u64, true_accepts: u64, genuine: u64, impostors: u64) -> i128 {
    false_accepts as i128 * genuine as i128 - (genuine - true_accepts) as i128 * impostors as i128
}

/// Exact counts at any score of a counted bin.
struct Counts {
    /// Per bin: impostor and genuine counts strictly above the bin, and in it.
    above: Vec<[u64; 2]>,
    in_bin: Vec<[u64; 2]>,
    exact: BTreeMap<u32, [u64; 2]>,
    genuine: u64,
    impostors: u64,
}

impl Counts {
    fn new(h: &Histogram, exact: BTreeMap<u32, [u64; 2]>, genuine: u64, impostors: u64) -> Self {
        let in_bin: Vec<[u64; 2]> = (0..BINS).map(|b| [h.impostors(b), h.genuine(b)]).collect();
        let mut above = vec![[0u64; 2]; BINS];
        for b in (0..BINS - 1).rev() {
            above[b] = [above[b + 1][0] + in_bin[b + 1][0], above[b + 1][1] + in_bin[b + 1][1]];
        }
        Counts { above, in_bin, exact, genuine, impostors }
    }

    /// Distinct scores of a counted bin, highest first, with [impostors, genuine].
    fn values(&self, bin: usize) -> impl Iterator<Item = (u32, [u64; 2])> + '_ {
        self.exact.iter().rev().filter(move |(k, _)| bin_of_key(**k) == bin).map(|(k, c)| (*k, *c))
    }

    fn lowest_of(&self, bin: usize) -> Option<u32> {
        self.exact.keys().find(|k| bin_of_key(**k) == bin).copied()
    }

    /// [false accepts, true accepts] at threshold `k` (a counted score), or at +∞.
    fn at(&self, k: Option<u32>) -> [u64; 2] {
        let Some(k) = k else { return [0, 0] };
        let bin = bin_of_key(k);
        let mut c = self.above[bin];
        for (_, [imp, gen_]) in self.values(bin).take_while(|(v, _)| *v >= k) {
            c[0] += imp;
            c[1] += gen_;
        }
        c
    }

    fn at_limit(&self, limit: u64) -> ThresholdCounts {
        let threshold = if limit >= self.impostors {
            // Every candidate qualifies: the lowest score (its bin was counted).
            self.exact.keys().next().copied()
        } else {
            self.limit_threshold(limit)
        };
        let [false_accepts, true_accepts] = self.at(threshold);
        ThresholdCounts { max_false_accepts: limit, threshold: threshold.map(from_key), false_accepts, true_accepts }
    }

    /// The smallest candidate above the (limit+1)-th highest impostor score.
    fn limit_threshold(&self, limit: u64) -> Option<u32> {
        // The bin where the impostors at or above reach limit + 1.
        let bin =
            (0..BINS).rev().find(|&b| self.above[b][0] <= limit && self.above[b][0] + self.in_bin[b][0] > limit)?;
        let mut previous = self.next_lowest_above(bin);
        let mut imp = self.above[bin][0];
        for (k, [i, _]) in self.values(bin) {
            imp += i;
            if imp > limit {
                return previous;
            }
            previous = Some(k);
        }
        unreachable!("the bin holds the rank")
    }

    /// The lowest score of the nearest non-empty bin above `bin` (counted in pass two).
    fn next_lowest_above(&self, bin: usize) -> Option<u32> {
        let next = (bin + 1..BINS).find(|&b| self.in_bin[b] != [0, 0])?;
        self.lowest_of(next)
    }

    fn eer(&self, bin: Option<usize>) -> Option<Eer> {
        let bin = bin?;
        let (g, n) = (self.genuine, self.impostors);
        let gap_at = |k: Option<u32>| {
            let [fa, ta] = self.at(k);
            gap(fa, ta, g, n)
        };
        let mut previous = self.next_lowest_above(bin);
        for (k, _) in self.values(bin) {
            let d = gap_at(Some(k));
            if d >= 0 {
                let chosen = if gap_at(previous).abs() <= d { previous } else { Some(k) };
                let [fa, ta] = self.at(chosen);
                let rate = (fa as f64 / n as f64 + (g - ta) as f64 / g as f64) / 2.0;
                return Some(Eer { rate, threshold: chosen.map(from_key) });
            }
            previous = Some(k);
        }
        unreachable!("the bin holds the crossing")
    }
}
