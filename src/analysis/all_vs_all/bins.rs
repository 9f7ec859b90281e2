//! The fine histogram: bins over the ordered bit patterns of f32 scores, 4,096 consecutive
//! floats per bin (a relative width of 2⁻¹¹, about 1.5e-4 at a score of 0.3).
//!
//! Binning by bit pattern, not by value, bounds how many DISTINCT scores one bin can hold
//! (4,096), which is what makes the exact second pass take constant memory: it keeps one
//! counter per distinct score, only inside the few bins that hold a rank the tables need.

/// Scores of normalised vectors lie in [-1, 1] up to rounding; the bins cover (-2, 2).
const SHIFT: u32 = 12;
/// The ordered key of -2.0 (just below every bin's range).
const KEY_LOW: u32 = 0x3FFF_FFFF;
pub(super) const BINS: usize = ((0xC000_0000u32 - KEY_LOW) >> SHIFT) as usize + 1;

/// A total order on f32 as u32 (negative scores below positive ones; −0 just below +0).
pub(super) fn key(score: f32) -> u32 {
    let bits = score.to_bits();
    if bits & 0x8000_0000 != 0 { !bits } else { bits | 0x8000_0000 }
}

pub(super) fn from_key(key: u32) -> f32 {
    f32::from_bits(if key & 0x8000_0000 != 0 { key & 0x7FFF_FFFF } else { !key })
}

pub(super) fn bin_of_key(key: u32) -> usize {
    ((key.saturating_sub(KEY_LOW) >> SHIFT) as usize).min(BINS - 1)
}

/// The smallest score a bin can hold.
pub(super) fn bin_floor(bin: usize) -> f32 {
    from_key(KEY_LOW + ((bin as u32) << SHIFT))
}

/// Genuine and impostor counts per bin.
#[derive(Clone, Debug)]
pub(super) struct Histogram {
    /// `counts[2 * bin + genuine as usize]`.
    pub counts: Vec<u64>,
}

impl Histogram {
    pub(super) fn new() -> Self {
        Histogram { counts: vec![0; 2 * BINS] }
    }

    #[inline]
    pub(super) fn add(&mut self, key: u32, genuine: bool) {
        self.counts[2 * bin_of_key(key) + genuine as usize] += 1;
    }

    pub(super) fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    pub(super) fn genuine(&self, bin: usize) -> u64 {
        self.counts[2 * bin + 1]
    }

    pub(super) fn impostors(&self, bin: usize) -> u64 {
        self.counts[2 * bin]
    }

    pub(super) fn is_empty(&self, bin: usize) -> bool {
        self.genuine(bin) + self.impostors(bin) == 0
    }

    /// The nearest non-empty bin above `bin`.
    pub(super) fn next_above(&self, bin: usize) -> Option<usize> {
        (bin + 1..BINS).find(|&b| !self.is_empty(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_like_the_scores_and_bins_hold_4096_floats() {
        let scores = [-1.5f32, -1.0, -0.3, -1e-30, -0.0, 0.0, 1e-30, 0.25, 0.999_999_9, 1.0, 1.000_001, 1.9];
        for w in scores.windows(2) {
            assert!(key(w[0]) < key(w[1]) || (w[0] == 0.0 && w[1] == 0.0), "{w:?}");
            assert!(bin_of_key(key(w[0])) <= bin_of_key(key(w[1])));
        }
        for s in scores {
            assert_eq!(from_key(key(s)).to_bits(), s.to_bits());
            let bin = bin_of_key(key(s));
            assert!(bin_floor(bin) <= s && (bin + 1 == BINS || s < bin_floor(bin + 1)), "{s}");
        }
        assert_eq!(bin_of_key(key(0.5)) + 1, bin_of_key(key(f32::from_bits(0.5f32.to_bits() + 4096))));
    }
}
