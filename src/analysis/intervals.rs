//! How sure a rate is: exact binomial (Clopper–Pearson) intervals, the one-sided bound that
//! decides whether an FPR target is *demonstrated*, and Newcombe's interval for a difference
//! of two rates.
//!
//! Clopper–Pearson is what statsmodels calls `proportion_confint(method="beta")`: never
//! narrower than the truth, which is what a claim like "FPR ≤ 0.01 %" needs. Its bounds are
//! quantiles of the beta distribution; we find them by bisection on the regularized
//! incomplete beta function, which is monotone, so the bounds are exact to the last bits of
//! an `f64` and consistent with each other (a larger count never gets a smaller bound).

/// The confidence of every interval the app shows.
pub const CONFIDENCE: f64 = 0.95;

/// The standard normal quantile at 0.975, as scipy's `norm.isf(0.025)` gives it.
const Z_975: f64 = 1.959_963_984_540_054;

/// `k` of `n`: a rate together with the count it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct Proportion {
    pub k: u64,
    pub n: u64,
}

impl Proportion {
    pub fn new(k: u64, n: u64) -> Self {
        debug_assert!(k <= n, "{k} of {n}");
        Proportion { k, n }
    }

    /// `k / n`; `None` without trials.
    pub fn rate(&self) -> Option<f64> {
        (self.n > 0).then(|| self.k as f64 / self.n as f64)
    }

    /// The two-sided 95 % Clopper–Pearson interval; `None` without trials.
    pub fn ci95(&self) -> Option<[f64; 2]> {
        clopper_pearson(self.k, self.n, CONFIDENCE)
    }

    /// The one-sided 95 % upper bound; `None` without trials.
    pub fn upper95(&self) -> Option<f64> {
        upper_bound(self.k, self.n, CONFIDENCE)
    }
}

/// The two-sided Clopper–Pearson interval for `k` successes in `n` trials at `confidence`.
/// `None` when `n` is 0 or `k > n`.
pub fn clopper_pearson(k: u64, n: u64, confidence: f64) -> Option<[f64; 2]> {
    if n == 0 || k > n {
        return None;
    }
    let alpha = 1.0 - confidence;
    let lower = if k == 0 { 0.0 } else { beta_quantile(alpha / 2.0, k as f64, (n - k + 1) as f64) };
    let upper = if k == n { 1.0 } else { beta_quantile(1.0 - alpha / 2.0, (k + 1) as f64, (n - k) as f64) };
    Some([lower, upper])
}

/// The one-sided Clopper–Pearson upper bound: the largest rate under which seeing `k` or
/// fewer in `n` still has probability `1 − confidence`. `None` when `n` is 0 or `k > n`.
pub fn upper_bound(k: u64, n: u64, confidence: f64) -> Option<f64> {
    if n == 0 || k > n {
        return None;
    }
    if k == n {
        return Some(1.0);
    }
    if k == 0 {
        // Closed form 1 − (1 − c)^(1/n), written so it stays exact for tiny bounds.
        return Some(-((1.0 - confidence).ln() / n as f64).exp_m1());
    }
    Some(beta_quantile(confidence, (k + 1) as f64, (n - k) as f64))
}

/// The fewest trials that can demonstrate a rate ≤ `f` at 95 %: with no failures at all,
/// the upper bound reaches `f` at ⌈ln 0.05 / ln(1 − f)⌉ trials (29,956 for 1e-4). `None`
/// when `f` ≤ 0 (no number of trials demonstrates a rate of exactly 0) or is NaN.
pub fn trials_needed(f: f64) -> Option<u64> {
    if f.is_nan() || f <= 0.0 {
        return None;
    }
    if f >= 1.0 {
        return Some(1);
    }
    let estimate = ((1.0 - CONFIDENCE).ln() / (-f).ln_1p()).ceil().max(1.0);
    if !estimate.is_finite() || estimate >= u64::MAX as f64 {
        return None;
    }
    // The formula and `upper_bound` round differently at the edge; settle it with the bound
    // itself so "demonstrated ⇔ n ≥ trials_needed" holds exactly.
    let demonstrates = |n: u64| upper_bound(0, n, CONFIDENCE).is_some_and(|u| u <= f);
    let mut n = estimate as u64;
    while !demonstrates(n) {
        n += 1;
    }
    while n > 1 && demonstrates(n - 1) {
        n -= 1;
    }
    Some(n)
}

/// The most failures in `n` trials that still demonstrate a rate ≤ `f` at 95 % (one-sided
/// upper bound ≤ `f`). `None` when even 0 failures do not, that is when
/// `n < trials_needed(f)`.
pub fn max_failures_demonstrating(n: u64, f: f64) -> Option<u64> {
    let demonstrates = |k: u64| upper_bound(k, n, CONFIDENCE).is_some_and(|u| u <= f);
    if !demonstrates(0) {
        return None;
    }
    // The bound grows with k: binary search for the last k that demonstrates.
    let (mut good, mut bad) = (0u64, n + 1);
    while bad - good > 1 {
        let mid = good + (bad - good) / 2;
        if mid <= n && demonstrates(mid) {
            good = mid;
        } else {
            bad = mid;
        }
    }
    Some(good)
}

/// The Wilson score interval, as statsmodels' `proportion_confint(method="wilson")`.
pub fn wilson(k: u64, n: u64, confidence: f64) -> Option<[f64; 2]> {
    if n == 0 || k > n {
        return None;
    }
    let z = if confidence == CONFIDENCE { Z_975 } else { normal_quantile(0.5 + confidence / 2.0) };
    let (k, n) = (k as f64, n as f64);
    let z2 = z * z;
    let p = k / n;
    let center = (k + z2 / 2.0) / (n + z2);
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() * n / (n + z2);
    Some([(center - half).max(0.0), (center + half).min(1.0)])
}

/// The 95 % interval of `k1/n1 − k2/n2` by Newcombe's hybrid score method (his method 10),
/// as statsmodels' `confint_proportions_2indep(method="newcomb")`. `None` when either rate
/// is undefined.
pub fn newcombe_difference(k1: u64, n1: u64, k2: u64, n2: u64) -> Option<[f64; 2]> {
    let [l1, u1] = wilson(k1, n1, CONFIDENCE)?;
    let [l2, u2] = wilson(k2, n2, CONFIDENCE)?;
    let (p1, p2) = (k1 as f64 / n1 as f64, k2 as f64 / n2 as f64);
    let d = p1 - p2;
    let lower = d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
    let upper = d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt();
    Some([lower, upper])
}

/// The `q` quantile of Beta(a, b): the x with I_x(a, b) = q, by bisection (I is monotone in
/// x). 200 halvings reach the smallest step an `f64` can take anywhere in (0, 1).
fn beta_quantile(q: f64, a: f64, b: f64) -> f64 {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if regularized_incomplete_beta(mid, a, b) < q {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// I_x(a, b), the regularized incomplete beta function, by the continued fraction of
/// Numerical Recipes (modified Lentz), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a)
/// where the fraction converges slowly.
fn regularized_incomplete_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_beta_density_front(x, a, b);
    if x < (a + 1.0) / (a + b + 2.0) {
        ln_front.exp() * beta_continued_fraction(x, a, b) / a
    } else {
        1.0 - ln_front.exp() * beta_continued_fraction(1.0 - x, b, a) / b
    }
}

/// ln( x^a (1 − x)^b / B(a, b) ), the factor in front of the continued fraction.
///
/// Written around D = x·b − (1 − x)·a, which is small where the mass is, and with Stirling
/// remainders instead of whole ln Γ values: for counts in the billions ln Γ is about 1e11,
/// and the plain difference lnΓ(a + b) − lnΓ(a) − lnΓ(b) would keep only 5 digits.
fn ln_beta_density_front(x: f64, a: f64, b: f64) -> f64 {
    let d = x * b - (1.0 - x) * a;
    a * (d / a).ln_1p() + b * (-d / b).ln_1p() + 0.5 * (a * b / (a + b)).ln()
        - 0.5 * (2.0 * std::f64::consts::PI).ln()
        - stirling_remainder(a)
        - stirling_remainder(b)
        + stirling_remainder(a + b)
}

/// lnΓ(x) − [(x − ½) ln x − x + ½ ln 2π].
fn stirling_remainder(x: f64) -> f64 {
    if x >= 10.0 {
        let r = 1.0 / (x * x);
        (1.0 / 12.0 - r * (1.0 / 360.0 - r * (1.0 / 1260.0 - r / 1680.0))) / x
    } else {
        ln_gamma(x) - (x - 0.5) * x.ln() + x - 0.5 * (2.0 * std::f64::consts::PI).ln()
    }
}

fn beta_continued_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    const EPS: f64 = 1e-16;
    // Enough terms for counts in the billions (all-vs-all): the fraction needs about
    // √max(a, b) of them near the mode.
    let max_terms = 1000 + 20 * (a.max(b).sqrt() as usize);
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=max_terms {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < EPS {
            break;
        }
    }
    h
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error about 1e-15).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1 − x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = C[0];
    for (i, c) in C.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// The standard normal quantile, for confidences other than 95 %.
fn normal_quantile(p: f64) -> f64 {
    super::roc::probit(p).unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    /// Values from statsmodels 0.15 / scipy 1.17 (tools/make_analysis_fixtures.py holds the
    /// larger reference set):
    /// `proportion_confint(k, n, method="beta")`, `beta.ppf(0.95, k + 1, n - k)`.
    #[test]
    fn clopper_pearson_matches_statsmodels() {
        let [lo, hi] = clopper_pearson(3, 10, 0.95).unwrap();
        assert!(close(lo, 0.066_739_511_177_734_47, 1e-12) && close(hi, 0.652_452_850_059_997_3, 1e-12), "{lo} {hi}");
        let [lo, hi] = clopper_pearson(0, 2795, 0.95).unwrap();
        assert_eq!(lo, 0.0);
        assert!(close(hi, 0.001_318_943_187_041_533_7, 1e-12), "{hi}");
        let up = upper_bound(0, 2795, 0.95).unwrap();
        assert!(close(up, 0.001_071_244_152_621_510_8, 1e-12), "{up}");
        let [lo, hi] = wilson(3, 10, 0.95).unwrap();
        assert!(close(lo, 0.107_791_267_406_301_04, 1e-12) && close(hi, 0.603_221_852_538_854_6, 1e-12), "{lo} {hi}");
        let [lo, hi] = newcombe_difference(3, 10, 1, 12).unwrap();
        assert!(close(lo, -0.115_206_272_345_810_32, 1e-12) && close(hi, 0.527_522_568_330_208_5, 1e-12), "{lo} {hi}");
    }

    #[test]
    fn the_door_lock_numbers() {
        // The issue's own figures: 29,956 comparisons demonstrate 1e-4; 2,795 do not.
        assert_eq!(trials_needed(1e-4), Some(29_956));
        assert_eq!(max_failures_demonstrating(2_795, 1e-4), None);
        assert_eq!(max_failures_demonstrating(29_956, 1e-4), Some(0));
        assert_eq!(max_failures_demonstrating(29_955, 1e-4), None);
        assert_eq!(trials_needed(0.0), None);
        assert_eq!(trials_needed(f64::NAN), None);
        assert_eq!(trials_needed(1.0), Some(1));
    }

    #[test]
    fn no_trials_no_interval() {
        assert_eq!(clopper_pearson(0, 0, 0.95), None);
        assert_eq!(upper_bound(0, 0, 0.95), None);
        assert_eq!(Proportion::new(0, 0).rate(), None);
        assert_eq!(newcombe_difference(1, 2, 0, 0), None);
        assert_eq!(clopper_pearson(3, 2, 0.95), None);
    }

    #[test]
    fn huge_counts_stay_finite_and_ordered() {
        // All-vs-all: billions of comparisons.
        let n = 5_000_000_000u64;
        let [lo, hi] = clopper_pearson(500_000, n, 0.95).unwrap();
        // scipy: beta.ppf(0.025, k, n - k + 1), beta.ppf(0.975, k + 1, n - k).
        assert!(
            close(lo, 9.972_302_251_595_889e-5, 1e-12) && close(hi, 1.002_775_565_065_829_2e-4, 1e-12),
            "{lo} {hi}"
        );
        let up = upper_bound(1000, 27_500_000, 0.95).unwrap();
        assert!(close(up, 3.831_280_346_475_66e-5, 1e-12), "{up}");
        let k = max_failures_demonstrating(n, 1e-4).unwrap();
        assert!(upper_bound(k, n, 0.95).unwrap() <= 1e-4);
        assert!(upper_bound(k + 1, n, 0.95).unwrap() > 1e-4);
    }

    proptest! {
        #[test]
        fn the_interval_holds_the_estimate(n in 1u64..5_000, k_frac in 0.0f64..=1.0) {
            let k = ((n as f64) * k_frac).floor() as u64;
            let p = k as f64 / n as f64;
            let [lo, hi] = clopper_pearson(k, n, 0.95).unwrap();
            prop_assert!(0.0 <= lo && lo <= p && p <= hi && hi <= 1.0, "{k}/{n}: [{lo}, {hi}]");
            let up = upper_bound(k, n, 0.95).unwrap();
            prop_assert!(p <= up && up <= hi, "{k}/{n}: {up} vs {hi}");
            let [wl, wh] = wilson(k, n, 0.95).unwrap();
            prop_assert!(wl <= p + 1e-12 && p <= wh + 1e-12);
        }

        #[test]
        fn more_trials_give_a_narrower_interval(n in 2u64..2_000, m in 2u64..20, k_frac in 0.0f64..=1.0) {
            // The same rate from m times the trials.
            let k = ((n as f64) * k_frac).floor() as u64;
            let [lo, hi] = clopper_pearson(k, n, 0.95).unwrap();
            let [lo2, hi2] = clopper_pearson(k * m, n * m, 0.95).unwrap();
            prop_assert!(hi2 - lo2 < hi - lo, "{k}/{n}: {} vs {}", hi - lo, hi2 - lo2);
        }

        #[test]
        fn demonstrated_iff_enough_trials(n in 1u64..200_000, exp in 1i32..6) {
            let f = 10f64.powi(-exp);
            let needed = trials_needed(f).unwrap();
            let k = max_failures_demonstrating(n, f);
            prop_assert_eq!(k.is_some(), n >= needed);
            if let Some(k) = k {
                prop_assert!(upper_bound(k, n, 0.95).unwrap() <= f);
                if k < n {
                    prop_assert!(upper_bound(k + 1, n, 0.95).unwrap() > f);
                }
            }
        }

        #[test]
        fn newcombe_holds_the_difference(n1 in 1u64..500, n2 in 1u64..500, a in 0.0f64..=1.0, b in 0.0f64..=1.0) {
            let (k1, k2) = (((n1 as f64) * a) as u64, ((n2 as f64) * b) as u64);
            let d = k1 as f64 / n1 as f64 - k2 as f64 / n2 as f64;
            let [lo, hi] = newcombe_difference(k1, n1, k2, n2).unwrap();
            prop_assert!(lo <= d + 1e-12 && d <= hi + 1e-12 && -1.0 - 1e-12 <= lo && hi <= 1.0 + 1e-12);
        }
    }
}
