//! The kernel against a brute-force count: every pair scored with [`score`], the candidates
//! and rules of the labeled pairs (`threshold.rs`) applied to the full list.

use std::sync::atomic::AtomicBool;

use super::*;
use crate::analysis::threshold::{Candidates, ThresholdRule};

/// SplitMix64: seeded test data without reaching outside `analysis`.
pub(super) struct SeededRng(u64);

impl SeededRng {
    pub(super) fn new(seed: u64) -> Self {
        SeededRng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// In 0..n (a slight modulo bias does not matter here).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// In [0, 1).
    pub(super) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct Brute {
    pairs: Vec<(f32, bool, u32, u32)>,
}

impl Brute {
    fn new(vectors: &[f32], dim: usize, identities: &[u32]) -> Self {
        let n = identities.len();
        let mut pairs = Vec::new();
        for i in 0..n {
            for j in i + 1..n {
                let s = score(&vectors[i * dim..(i + 1) * dim], &vectors[j * dim..(j + 1) * dim]);
                pairs.push((s, identities[i] == identities[j], i as u32, j as u32));
            }
        }
        Brute { pairs }
    }

    fn candidates(&self) -> Candidates {
        let mut sorted: Vec<(f64, bool)> = self.pairs.iter().map(|p| (p.0 as f64, p.1)).collect();
        sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
        Candidates::from_descending(sorted.into_iter())
    }

    fn extremes(&self, genuine: bool, keep: usize) -> Vec<ScoredPair> {
        let mut v: Vec<ScoredPair> =
            self.pairs.iter().filter(|p| p.1 == genuine).map(|p| ScoredPair { a: p.2, b: p.3, score: p.0 }).collect();
        v.sort_by(|x, y| {
            let by_score = if genuine { x.score.total_cmp(&y.score) } else { y.score.total_cmp(&x.score) };
            by_score.then((x.a, x.b).cmp(&(y.a, y.b)))
        });
        v.truncate(keep);
        v
    }
}

fn normalised(rng: &mut SeededRng, dim: usize, levels: u64) -> Vec<f32> {
    // Few levels give many exactly equal scores (ties).
    let mut v: Vec<f32> = (0..dim).map(|_| rng.below(levels) as f32 - (levels / 2) as f32).collect();
    if v.iter().all(|x| *x == 0.0) {
        v[0] = 1.0;
    }
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

fn check(n: usize, dim: usize, people: u64, levels: u64, seed: u64, kernel: Kernel) {
    let mut rng = SeededRng::new(seed);
    let mut vectors = Vec::new();
    for r in 0..n {
        // Some rows repeat an earlier one exactly: duplicate photos, scores of 1 and ties.
        if r > 0 && rng.below(5) == 0 {
            let from = rng.below(r as u64) as usize;
            vectors.extend_from_within(from * dim..(from + 1) * dim);
        } else {
            vectors.extend(normalised(&mut rng, dim, levels));
        }
    }
    let identities: Vec<u32> = (0..n).map(|_| rng.below(people) as u32).collect();
    let what = format!("n {n} dim {dim} people {people} levels {levels} seed {seed} {kernel:?}");
    check_rows(&vectors, dim, &identities, kernel, &what);
}

fn check_rows(vectors: &[f32], dim: usize, identities: &[u32], kernel: Kernel, what: &str) {
    let brute = Brute::new(vectors, dim, identities);
    let candidates = brute.candidates();
    let (genuine, impostors) = pair_counts(identities);
    let fmrs = [1e-1, 1e-2, 1e-3, 0.0, 0.25, 0.5, 0.999];
    let mut limits: Vec<u64> = fmrs.iter().map(|&f| max_false_accepts(f, impostors)).collect();
    limits.extend([0, 1, 2, 3, impostors.saturating_sub(1), impostors, impostors + 3]);
    let options = Options { threads: 2, keep: 7, false_accept_limits: limits.clone() };
    let got =
        compare_with(Input { vectors, dim, identities }, &options, &AtomicBool::new(false), &|_| {}, kernel).unwrap();

    assert_eq!((got.genuine, got.impostors), (candidates.positives(), candidates.negatives()), "{what}");
    for (t, &limit) in got.thresholds.iter().zip(&limits) {
        let i = (0..candidates.len()).rfind(|&i| candidates.confusion(i).fp <= limit).unwrap();
        let expected = candidates.threshold(i);
        assert_eq!(t.threshold.map_or(f64::INFINITY, |t| t as f64), expected, "{what} limit {limit}");
        let c = candidates.confusion(i);
        assert_eq!((t.false_accepts, t.true_accepts), (c.fp, c.tp), "{what} limit {limit}");
    }
    for (t, &f) in got.thresholds.iter().zip(&fmrs) {
        let i = candidates.max_fpr(f);
        assert_eq!(t.threshold.map_or(f64::INFINITY, |t| t as f64), candidates.threshold(i), "{what} fmr {f}");
    }
    if genuine > 0 && impostors > 0 {
        let eer = candidates.operating_point(ThresholdRule::Eer).unwrap();
        let e = got.eer.unwrap_or_else(|| panic!("{what}: no EER"));
        assert_eq!(e.threshold.map_or(f64::INFINITY, |t| t as f64), eer.threshold, "{what} EER");
        assert_eq!(e.rate, (eer.rates.fpr.unwrap() + eer.rates.fnr.unwrap()) / 2.0, "{what} EER rate");
    } else {
        assert_eq!(got.eer, None, "{what}");
    }
    assert_eq!(got.hardest_impostors, brute.extremes(false, 7), "{what}");
    assert_eq!(got.weakest_genuine, brute.extremes(true, 7), "{what}");
    // The histogram: every comparison in the bin of its score.
    let mut per_bin: BTreeMap<usize, [u64; 2]> = BTreeMap::new();
    for p in &brute.pairs {
        per_bin.entry(bin_of_key(key(p.0 + 0.0))).or_default()[p.1 as usize] += 1;
    }
    let expected: Vec<HistogramBin> = per_bin
        .into_iter()
        .map(|(b, [imp, gen_])| HistogramBin { floor: bins::bin_floor(b), genuine: gen_, impostors: imp })
        .collect();
    assert_eq!(got.histogram, expected, "{what}");
}

#[test]
fn counts_equal_a_brute_force_count_on_random_inputs_with_ties() {
    for kernel in [Kernel::detect(), Kernel::Portable] {
        for (seed, &(n, dim, people, levels)) in [
            (2, 8, 1, 3),
            (13, 8, 3, 3),
            (40, 17, 5, 2),
            (97, 3, 10, 3),
            (100, 16, 4, 1000),
            (203, 24, 30, 4),
            (97, 8, 97, 1000),
        ]
        .iter()
        .enumerate()
        {
            check(n, dim, people, levels, seed as u64, kernel);
        }
    }
}

#[test]
fn an_eer_tie_goes_to_the_larger_threshold() {
    // Genuine A–B ≈ 0.5; impostors A–C ≈ 0.9 and B–C ≈ 0.1. At 0.9: FMR 1/2, FNMR 1; at
    // 0.5: FMR 1/2, FNMR 0. |FMR − FNMR| is 1/2 at both.
    let (y, z) = (-0.802_96f32, (1.0f32 - 0.25 - 0.802_96 * 0.802_96).sqrt());
    let c = (1.0f32 - 0.81).sqrt();
    let vectors = [1.0, 0.0, 0.0, 0.5, y, z, 0.9, c, 0.0];
    check_rows(&vectors, 3, &[0, 0, 1], Kernel::detect(), "tie");
    let got = compare_all(
        Input { vectors: &vectors, dim: 3, identities: &[0, 0, 1] },
        &Options::default(),
        &AtomicBool::new(false),
        &|_| {},
    )
    .unwrap();
    let eer = got.eer.unwrap();
    assert!((eer.threshold.unwrap() - 0.9).abs() < 1e-3 && eer.rate == 0.75, "{eer:?}");
}

#[test]
fn block_boundaries_tiles_and_threads_do_not_change_a_count() {
    // Around the register block (3×4, rows padded to 12) and the tile (96 rows).
    for n in [11, 12, 13, 95, 96, 97, 193] {
        check(n, 8, 6, 1000, n as u64, Kernel::detect());
    }
}

#[test]
fn one_identity_has_no_impostors_and_one_image_no_comparison() {
    check(30, 8, 1, 5, 1, Kernel::detect());
    check(1, 8, 3, 5, 2, Kernel::detect());
    check(0, 8, 3, 5, 3, Kernel::detect());
    let one = compare_all(
        Input { vectors: &[1.0, 0.0], dim: 2, identities: &[0] },
        &Options { false_accept_limits: vec![0], ..Options::default() },
        &AtomicBool::new(false),
        &|_| {},
    )
    .unwrap();
    assert_eq!((one.genuine, one.impostors, one.eer), (0, 0, None));
    assert_eq!(one.thresholds[0].threshold, None);
}

#[test]
fn a_cancel_stops_the_run() {
    let mut rng = SeededRng::new(3);
    let n = 500;
    let vectors: Vec<f32> = (0..n).flat_map(|_| normalised(&mut rng, 8, 1000)).collect();
    let identities: Vec<u32> = (0..n as u32).map(|i| i % 7).collect();
    let input = Input { vectors: &vectors, dim: 8, identities: &identities };
    let cancel = AtomicBool::new(true);
    assert_eq!(compare_all(input, &Options::default(), &cancel, &|_| {}), Err(AllVsAllError::Cancelled));
    // Cancelled after the first tile: stops before the end.
    let cancel = AtomicBool::new(false);
    let last = AtomicU64::new(0);
    let result = compare_all(input, &Options::default(), &cancel, &|p| {
        last.store(p.done, Ordering::Relaxed);
        if p.done == 1 {
            cancel.store(true, Ordering::Relaxed);
        }
    });
    assert_eq!(result, Err(AllVsAllError::Cancelled));
    assert!(last.load(Ordering::Relaxed) < 2 * 15, "a tile pair is 96 rows: 6 tiles, 21 pairs, two passes");
}

#[test]
fn rows_that_are_not_normalised_are_named() {
    let err = compare_all(
        Input { vectors: &[1.0, 0.0, 3.0, 0.0], dim: 2, identities: &[0, 1] },
        &Options::default(),
        &AtomicBool::new(false),
        &|_| {},
    )
    .unwrap_err();
    assert!(err.to_string().contains("row 1"), "{err}");
}

#[test]
fn max_false_accepts_agrees_with_the_fpr_comparison() {
    for n in [1u64, 3, 7, 10, 1000, 27_000_000] {
        for f in [0.0, 1e-6, 1e-4, 0.1, 0.3, 1.0] {
            let k = max_false_accepts(f, n);
            assert!(k as f64 / n as f64 <= f, "{n} {f}");
            assert!(k == n || (k + 1) as f64 / n as f64 > f, "{n} {f}");
        }
    }
}
