//! Fleiss' κ of the verdicts, over the pairs every verdict giver rated.

/// Fleiss' κ sums over units that every one of `raters` rated.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct FleissUnits {
    pub(super) units: u64,
    pub(super) yes: u64,
    /// Σ (s² + d²).
    pub(super) squares: u64,
}

impl FleissUnits {
    pub(super) fn kappa(&self, raters: u64) -> Option<f64> {
        if self.units == 0 || raters < 2 {
            return None;
        }
        let (n, m) = (self.units as f64, raters as f64);
        let p_yes = self.yes as f64 / (n * m);
        let chance = p_yes * p_yes + (1.0 - p_yes) * (1.0 - p_yes);
        if chance >= 1.0 {
            return None;
        }
        let observed = (self.squares as f64 - n * m) / (n * m * (m - 1.0));
        Some((observed - chance) / (1.0 - chance))
    }
}
