//! Has a measure's distribution moved? The two-sample Kolmogorov–Smirnov test (as
//! `scipy.stats.ks_2samp(a, b)` computes it, `method='auto'`), the population stability index
//! over ten quantile bins of the baseline, and the verdict that combines them.

use super::kolmogorov::kstwo_sf;

/// How the KS p-value was computed, as scipy chooses: exact when both samples have at most
/// [`MAX_EXACT_N`] values (and the exact sum stays a probability), asymptotic otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KsMethod {
    Exact,
    Asymptotic,
}

impl KsMethod {
    pub fn name(self) -> &'static str {
        match self {
            KsMethod::Exact => "exact",
            KsMethod::Asymptotic => "asymptotic",
        }
    }
}

/// scipy's `MAX_AUTO_N`: the largest sample for which 'auto' tries the exact distribution.
pub const MAX_EXACT_N: usize = 10_000;

/// A two-sided two-sample KS test.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct KsTest {
    /// The largest gap between the two empirical CDFs.
    pub statistic: f64,
    pub p_value: f64,
    pub method: KsMethod,
}

/// `scipy.stats.ks_2samp(a, b)` (two-sided, method 'auto'). None when a sample is empty or
/// holds a NaN (scipy raises or returns NaN there).
pub fn ks_2samp(a: &[f64], b: &[f64]) -> Option<KsTest> {
    if a.is_empty() || b.is_empty() || a.iter().chain(b).any(|x| x.is_nan()) {
        return None;
    }
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    let (n1, n2) = (a.len(), b.len());
    // The CDF gaps at every observed value, as scipy's searchsorted(side='right').
    let (mut max_s, mut min_diff) = (f64::NEG_INFINITY, f64::INFINITY);
    for x in a.iter().chain(&b) {
        let c1 = a.partition_point(|v| v <= x) as f64 / n1 as f64;
        let c2 = b.partition_point(|v| v <= x) as f64 / n2 as f64;
        let diff = c1 - c2;
        max_s = max_s.max(diff);
        min_diff = min_diff.min(diff);
    }
    let min_s = (-min_diff).clamp(0.0, 1.0);
    let mut d = if min_s > max_s { min_s } else { max_s };
    if n1.max(n2) <= MAX_EXACT_N {
        let g = gcd(n1, n2);
        let lcm = (n1 / g) as f64 * n2 as f64;
        let h = (d * lcm).round_ties_even();
        d = h / lcm;
        if h == 0.0 {
            return Some(KsTest { statistic: d, p_value: 1.0, method: KsMethod::Exact });
        }
        let h = h as u64;
        let p = if n1 == n2 {
            prob_outside_square(n1 as u64, h)
        } else {
            outer_prob_inside(n1 as u64, n2 as u64, g as u64, h)
        };
        if (0.0..=1.0).contains(&p) {
            return Some(KsTest { statistic: d, p_value: p, method: KsMethod::Exact });
        }
    }
    let (m, n) = (n1.max(n2) as f64, n1.min(n2) as f64);
    let en = (m * n / (m + n)).round_ties_even();
    let p = kstwo_sf(en as u64, d).clamp(0.0, 1.0);
    Some(KsTest { statistic: d, p_value: p, method: KsMethod::Asymptotic })
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// scipy's `_compute_prob_outside_square(n, h)`: Pr(D_{n,n} >= h/n), by a Horner-like
/// alternating sum that avoids cancellation.
fn prob_outside_square(n: u64, h: u64) -> f64 {
    let mut p = 0.0;
    let mut k = (n / h) as i64;
    let (n, h) = (n as i64, h as i64);
    while k >= 0 {
        let mut p1 = 1.0;
        for j in 0..h {
            p1 = (n - k * h - j) as f64 * p1 / (n + k * h + j + 1) as f64;
        }
        p = p1 * (1.0 - p);
        k -= 1;
    }
    2.0 * p
}

/// scipy's `_compute_outer_prob_inside_method(m, n, g, h)`: the share of lattice paths from
/// (0,0) to (m,n) that leave the band |x/m − y/n| < h/lcm(m,n), computed directly as 1 − p
/// (Viehmann 2021) over a sliding window of one column.
fn outer_prob_inside(m: u64, n: u64, g: u64, h: u64) -> f64 {
    let (m, n) = if m < n { (n as i64, m as i64) } else { (m as i64, n as i64) };
    let (g, h) = (g as i64, h as i64);
    let (mg, ng) = (m / g, n / g);
    let (hf, mgf, ngf) = (h as f64, mg as f64, ng as f64);
    let mut minj: i64 = 0;
    let mut maxj: i64 = ((hf / mgf).ceil() as i64).min(n + 1);
    let mut curlen = maxj - minj;
    let len_a = (2 * maxj + 2).min(n + 1) as usize;
    let mut a = vec![1.0f64; len_a];
    a[minj as usize..maxj as usize].iter_mut().for_each(|x| *x = 0.0);
    for i in 1..=m {
        let (lastminj, lastlen) = (minj, curlen);
        minj = ((((ngf * i as f64) - hf) / mgf).floor() as i64 + 1).max(0).min(n);
        maxj = (((ngf * i as f64 + hf) / mgf).ceil() as i64).min(n + 1);
        if maxj <= minj {
            return 1.0;
        }
        let mut val = if minj == 0 { 0.0 } else { 1.0 };
        for jj in 0..(maxj - minj) {
            let j = jj + minj;
            val = (a[(jj + minj - lastminj) as usize] * i as f64 + val * j as f64) / (i + j) as f64;
            a[jj as usize] = val;
        }
        curlen = maxj - minj;
        if lastlen > curlen {
            let from = (maxj - minj) as usize;
            let to = (from + (lastlen - curlen) as usize).min(len_a);
            a[from..to].iter_mut().for_each(|x| *x = 1.0);
        }
    }
    a[(maxj - minj - 1) as usize]
}

/// The share floor for an empty bin in [`psi`]: an empty bin counts as 0.01 % of its sample,
/// so the logarithm stays finite and one empty bin adds at most about 0.1 · ln(1000) ≈ 0.7.
pub const PSI_EMPTY_SHARE: f64 = 1e-4;
/// The number of quantile bins of the baseline in [`psi`].
pub const PSI_BINS: usize = 10;

/// The population stability index of `new` against `baseline`:
/// Σ (a − e) · ln(a / e) over ten bins cut at the baseline's deciles (numpy's default linear
/// quantiles); e and a are the baseline's and the new sample's shares of each bin (a value
/// equal to a cut goes to the bin above it), each at least [`PSI_EMPTY_SHARE`]. None when a
/// sample is empty or holds a NaN.
pub fn psi(baseline: &[f64], new: &[f64]) -> Option<f64> {
    if baseline.is_empty() || new.is_empty() || baseline.iter().chain(new).any(|x| x.is_nan()) {
        return None;
    }
    let mut sorted = baseline.to_vec();
    sorted.sort_by(f64::total_cmp);
    let cuts: Vec<f64> = (1..PSI_BINS).map(|i| quantile_linear(&sorted, i as f64 / PSI_BINS as f64)).collect();
    let shares = |values: &[f64]| -> Vec<f64> {
        let mut counts = [0usize; PSI_BINS];
        for x in values {
            counts[cuts.partition_point(|c| c <= x)] += 1;
        }
        counts.iter().map(|&c| (c as f64 / values.len() as f64).max(PSI_EMPTY_SHARE)).collect()
    };
    let (e, a) = (shares(baseline), shares(new));
    Some(e.iter().zip(&a).map(|(e, a)| (a - e) * (a / e).ln()).sum())
}

/// `numpy.quantile(sorted, q)` with the default 'linear' method, including numpy's two-sided
/// interpolation (from below when the fraction is under 0.5, from above otherwise).
fn quantile_linear(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    let virtual_index = (n - 1) as f64 * q;
    let below = virtual_index.floor();
    let gamma = virtual_index - below;
    let last = (n - 1) as f64;
    let lo = sorted[below.clamp(0.0, last) as usize];
    let hi = sorted[(below + 1.0).clamp(0.0, last) as usize];
    let diff = hi - lo;
    if gamma >= 0.5 { hi - diff * (1.0 - gamma) } else { lo + diff * gamma }
}

/// The KS p-value below which a measure may have drifted.
pub const DRIFT_P_BELOW: f64 = 0.01;
/// The PSI at or above which a shift is large enough to matter (the usual "major shift" cut).
pub const DRIFT_PSI_AT_LEAST: f64 = 0.2;
/// The verdict rule in words, for the output.
pub const DRIFT_RULE: &str =
    "drifted when the KS p-value < 0.01 (the shift is real) and PSI >= 0.2 (and large enough to matter)";

/// One measure compared: both tests and the verdict.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct DriftTest {
    pub n_new: usize,
    pub n_baseline: usize,
    pub ks: KsTest,
    pub psi: f64,
    pub drifted: bool,
}

/// Compares `new` with `baseline` under [`DRIFT_RULE`]. None when either sample is empty or
/// holds a NaN.
pub fn drift(baseline: &[f64], new: &[f64]) -> Option<DriftTest> {
    let ks = ks_2samp(new, baseline)?;
    let psi = psi(baseline, new)?;
    let drifted = ks.p_value < DRIFT_P_BELOW && psi >= DRIFT_PSI_AT_LEAST;
    Some(DriftTest { n_new: new.len(), n_baseline: baseline.len(), ks, psi, drifted })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `((i * mul) % modulus) / scale + offset` for i in 0..n: the same numbers in Python.
    fn seq(n: usize, mul: usize, modulus: usize, scale: f64, offset: f64) -> Vec<f64> {
        (0..n).map(|i| ((i * mul) % modulus) as f64 / scale + offset).collect()
    }

    fn close(ours: f64, scipy: f64) -> bool {
        (ours - scipy).abs() <= 1e-9 && (ours - scipy).abs() <= 1e-9 * scipy.abs() + 1e-300
    }

    // Reference values (scipy 1.17.1, numpy 2.4.6), printed by:
    //   import numpy as np; from scipy import stats
    //   def seq(n, mul, mod, scale, off=0.0): return [((i * mul) % mod) / scale + off for i in range(n)]
    //   def psi(base, new):
    //       base = np.asarray(base); new = np.asarray(new)
    //       cuts = np.quantile(base, [i / 10 for i in range(1, 10)])
    //       e = np.bincount(np.searchsorted(cuts, base, side='right'), minlength=10) / len(base)
    //       a = np.bincount(np.searchsorted(cuts, new, side='right'), minlength=10) / len(new)
    //       e = np.maximum(e, 1e-4); a = np.maximum(a, 1e-4)
    //       return float(np.sum((a - e) * np.log(a / e)))
    //   for a, b in CASES: r = stats.ks_2samp(a, b); print(r.statistic, r.pvalue, psi(b, a))
    // with `a` the new sample and `b` the baseline, as each case below builds them.
    struct Case {
        name: &'static str,
        new: Vec<f64>,
        baseline: Vec<f64>,
        statistic: f64,
        p_value: f64,
        method: KsMethod,
        psi: f64,
    }

    fn cases() -> Vec<Case> {
        use KsMethod::*;
        let case = |name, new, baseline, statistic, p_value, method, psi| Case {
            name,
            new,
            baseline,
            statistic,
            p_value,
            method,
            psi,
        };
        vec![
            case(
                "small_equal", // n1 == n2: _compute_prob_outside_square
                vec![0.1, 0.5, 0.9, 1.3, 2.0],
                vec![0.2, 0.6, 1.5, 2.5, 3.0],
                0.4,
                0.873015873015873,
                Exact,
                12.155363213299697,
            ),
            case(
                "small_ties", // ties within and across the samples
                vec![1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0],
                vec![2.0, 3.0, 3.0, 4.0, 4.0, 5.0, 5.0, 5.0, 6.0, 6.0, 7.0],
                0.5844155844155844,
                0.0708898944193062,
                Exact,
                5.058092900052857,
            ),
            case(
                "exact_shift", // seq(300, 7919, 1000, 1000.0) vs seq(200, 104729, 1000, 1000.0, 0.12)
                seq(300, 7919, 1000, 1000.0, 0.0),
                seq(200, 104729, 1000, 1000.0, 0.12),
                0.12666666666666668,
                0.03996613576617748,
                Exact,
                0.7815698548319712,
            ),
            case(
                "exact_same", // n1 != n2, one small gap: _compute_outer_prob_inside_method gives p = 1
                seq(500, 7919, 1000, 1000.0, 0.0),
                seq(400, 104729, 1000, 1000.0, 0.0),
                0.01,
                1.0,
                Exact,
                0.0005602028383763381,
            ),
            case(
                "asymp_large", // max(n) > 10000, en = 5600: kstwo, Pelz–Good and smirnov region
                seq(12000, 7919, 10007, 10007.0, 0.0),
                seq(10500, 104729, 10007, 10007.0, 0.02),
                0.020202380952380916,
                0.0204110026330653,
                Asymptotic,
                0.007974548885656307,
            ),
            case(
                "asymp_small_en", // 20000 against 60: en = 60, the n <= 140 branches of kstwo
                seq(20000, 7919, 10007, 10007.0, 0.0),
                seq(60, 104729, 10007, 10007.0, 0.1),
                0.1,
                0.5521961259289287,
                Asymptotic,
                0.2084676740155635,
            ),
        ]
    }

    #[test]
    fn ks_2samp_equals_scipy() {
        for c in cases() {
            let ks = ks_2samp(&c.new, &c.baseline).unwrap();
            assert_eq!(ks.method, c.method, "{}", c.name);
            assert!(close(ks.statistic, c.statistic), "{}: D {} vs scipy {}", c.name, ks.statistic, c.statistic);
            assert!(close(ks.p_value, c.p_value), "{}: p {:e} vs scipy {:e}", c.name, ks.p_value, c.p_value);
            // Two-sided: the order of the samples does not matter.
            assert_eq!(ks_2samp(&c.baseline, &c.new).unwrap().p_value, ks.p_value, "{}", c.name);
        }
    }

    #[test]
    fn psi_equals_the_numpy_formula() {
        for c in cases() {
            let ours = psi(&c.baseline, &c.new).unwrap();
            assert!(close(ours, c.psi), "{}: PSI {ours} vs numpy {}", c.name, c.psi);
        }
    }

    #[test]
    fn the_verdict_needs_both_a_small_p_and_a_large_psi() {
        let base = seq(2000, 7919, 10007, 10007.0, 0.0);
        let darker: Vec<f64> = base.iter().map(|x| x * 0.4).collect();
        let verdict = drift(&base, &darker).unwrap();
        assert!(verdict.drifted && verdict.ks.p_value < 1e-100 && verdict.psi > 1.0, "{verdict:?}");
        // A shift of 0.06 on 2000 values is real (p < 0.01) but small (PSI < 0.2): stable.
        let nudged: Vec<f64> = base.iter().map(|x| x + 0.06).collect();
        let verdict = drift(&base, &nudged).unwrap();
        assert!(verdict.ks.p_value < DRIFT_P_BELOW && verdict.psi < DRIFT_PSI_AT_LEAST, "{verdict:?}");
        assert!(!verdict.drifted);
        assert_eq!(drift(&base, &base).map(|v| v.drifted), Some(false));
    }

    #[test]
    fn empty_or_nan_samples_have_no_test() {
        assert!(ks_2samp(&[], &[1.0]).is_none());
        assert!(psi(&[1.0], &[]).is_none());
        assert!(drift(&[1.0, f64::NAN], &[1.0]).is_none());
    }
}
