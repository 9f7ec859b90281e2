//! Krippendorff's α and percent agreement of a binary rating (a verdict, or one tag applied
//! or not), from exact integer counts of units by number of raters.

/// Units (pairs) of a binary rating (same / different; applied / not), counted by number
/// of raters `m` and number `yes` of them saying yes: one increment per unit, all sums at
/// the end, exact in integers.
#[derive(Clone, Debug, Default)]
pub(super) struct BinaryUnits {
    /// `counts[m * (m + 1) / 2 + yes]`: units with m ≤ `HISTOGRAM_RATERS` raters.
    counts: Vec<u64>,
    /// Units with more raters (rare), summed directly: per m, [units, Σ agreeing rater
    /// pairs, Σ yes·no, Σ yes].
    large: Vec<(u64, [u64; 4])>,
}

/// Units with at most this many raters are counted in the histogram.
pub(super) const HISTOGRAM_RATERS: u64 = 64;

/// Agreeing rater pairs among `m` raters of which `yes` said yes.
pub(super) fn agreeing(m: u64, yes: u64) -> u64 {
    let no = m - yes;
    (yes * yes.saturating_sub(1) + no * no.saturating_sub(1)) / 2
}

impl BinaryUnits {
    /// Adds `count` units with `m` raters of which `yes` said yes; units with fewer than
    /// two raters are not pairable and are ignored.
    pub(super) fn add(&mut self, m: u64, yes: u64, count: u64) {
        if m < 2 || count == 0 {
            return;
        }
        if m <= HISTOGRAM_RATERS {
            let slot = (m * (m + 1) / 2 + yes) as usize;
            if self.counts.len() <= slot {
                self.counts.resize((m + 1) as usize * (m + 2) as usize / 2, 0);
            }
            self.counts[slot] += count;
        } else {
            let sums = match self.large.iter_mut().find(|(k, _)| *k == m) {
                Some((_, sums)) => sums,
                None => {
                    self.large.push((m, [0; 4]));
                    &mut self.large.last_mut().expect("just pushed").1
                }
            };
            sums[0] += count;
            sums[1] += agreeing(m, yes) * count;
            sums[2] += yes * (m - yes) * count;
            sums[3] += yes * count;
        }
    }

    /// Takes back one unit [`add`](Self::add)ed before (a label edit).
    pub(super) fn remove(&mut self, m: u64, yes: u64) {
        if m < 2 {
            return;
        }
        if m <= HISTOGRAM_RATERS {
            self.counts[(m * (m + 1) / 2 + yes) as usize] -= 1;
        } else if let Some((_, sums)) = self.large.iter_mut().find(|(k, _)| *k == m) {
            let taken = [1, agreeing(m, yes), yes * (m - yes), yes];
            sums.iter_mut().zip(taken).for_each(|(a, b)| *a -= b);
        }
    }

    /// Units with `m` raters.
    pub(super) fn units(&self, m: u64) -> u64 {
        if m > HISTOGRAM_RATERS {
            return self.large.iter().find(|(k, _)| *k == m).map_or(0, |(_, s)| s[0]);
        }
        let start = (m * (m + 1) / 2) as usize;
        self.counts.get(start..start + m as usize + 1).map_or(0, |c| c.iter().sum())
    }

    pub(super) fn merge(&mut self, other: &BinaryUnits) {
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        for &(m, sums) in &other.large {
            match self.large.iter_mut().find(|(k, _)| *k == m) {
                Some((_, mine)) => mine.iter_mut().zip(sums).for_each(|(a, b)| *a += b),
                None => self.large.push((m, sums)),
            }
        }
    }

    /// Per m (ascending): [units, Σ agreeing rater pairs, Σ yes·no, Σ yes].
    pub(super) fn sums_by_raters(&self) -> Vec<(u64, [u64; 4])> {
        let mut out = Vec::new();
        let mut m = 0u64;
        while (m * (m + 1) / 2) as usize <= self.counts.len().saturating_sub(1) {
            let start = (m * (m + 1) / 2) as usize;
            let mut sums = [0u64; 4];
            for yes in 0..=m {
                let c = self.counts.get(start + yes as usize).copied().unwrap_or(0);
                sums[0] += c;
                sums[1] += agreeing(m, yes) * c;
                sums[2] += yes * (m - yes) * c;
                sums[3] += yes * c;
            }
            if sums[0] > 0 {
                out.push((m, sums));
            }
            m += 1;
        }
        let mut large = self.large.clone();
        large.sort_by_key(|(m, _)| *m);
        out.extend(large);
        out
    }

    /// Mean over units of agreeing rater pairs / rater pairs.
    pub(super) fn percent_agreement(&self) -> Option<f64> {
        let sums = self.sums_by_raters();
        let units: u64 = sums.iter().map(|(_, s)| s[0]).sum();
        if units == 0 {
            return None;
        }
        let total: f64 = sums.iter().map(|&(m, s)| s[1] as f64 / (m * (m - 1) / 2) as f64).sum();
        Some(total / units as f64)
    }

    /// Krippendorff's α, nominal: 1 − (n − 1) Σ_u yes·no/(m_u − 1) / (n_yes · n_no), over
    /// the values of pairable units.
    pub(super) fn krippendorff_alpha(&self) -> Option<f64> {
        let sums = self.sums_by_raters();
        let yes: u64 = sums.iter().map(|(_, s)| s[3]).sum();
        let values: u64 = sums.iter().map(|(m, s)| m * s[0]).sum();
        let expected = yes as f64 * (values - yes) as f64;
        if expected == 0.0 {
            return None;
        }
        let observed: f64 = sums.iter().map(|&(m, s)| s[2] as f64 / (m - 1) as f64).sum();
        Some(1.0 - (values as f64 - 1.0) * observed / expected)
    }
}
