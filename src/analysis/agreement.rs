//! Agreement between labelers: on verdicts (percent agreement, Cohen's κ per two labelers,
//! Fleiss' κ, Krippendorff's α) and on each tag (α and percent agreement), plus the list of
//! pairs where labelers disagree.
//!
//! Sums are kept per number of raters of a unit, in integers, so results do not depend on
//! the order of pairs or labels.

use std::collections::HashMap;

use serde::Serialize;

use super::label_index::LabelIndex;
use super::pair_labels::PairLabels;
use super::snapshot::{Snapshot, SnapshotError, TagBits, Truth};

/// Cohen's κ between labelers `a` and `b` (indices into `labeler_names`, `a < b`) over the
/// `n` pairs both gave a verdict on.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CohenKappa {
    pub a: usize,
    pub b: usize,
    pub n: u64,
    /// `None` when undefined (chance agreement is 1, for example both always say `same`).
    pub kappa: Option<f64>,
}

/// Agreement on one tag, each labeler of a pair either applying it or not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct TagAgreement {
    pub krippendorff_alpha: Option<f64>,
    pub percent_agreement: Option<f64>,
}

/// A pair the labelers disagree on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    pub pair: u32,
    /// Some labelers said `same`, others `different`.
    pub verdict: bool,
    /// The tags some of the pair's labelers applied and others did not.
    pub tags: TagBits,
}

/// Agreement between labelers over a snapshot.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Agreement {
    /// Mean over pairs with ≥ 2 verdicts of agreeing labeler pairs / labeler pairs.
    pub percent_agreement: Option<f64>,
    /// Over the pairs every labeler who gave any verdict gave one on.
    pub fleiss_kappa: Option<f64>,
    /// Pairs Fleiss' κ is computed on.
    pub fleiss_pairs: u64,
    /// Nominal, pairs with fewer than two verdicts do not count.
    pub krippendorff_alpha: Option<f64>,
    /// Every two labelers with at least one pair both gave a verdict on, by (a, b).
    pub cohen_kappa: Vec<CohenKappa>,
    /// Per tag, indexed like `tag_names`.
    pub tags: Vec<TagAgreement>,
    /// Pairs where labelers differ on the verdict or on any tag, in pair order.
    pub disagreements: Vec<Disagreement>,
}

impl Agreement {
    /// Validates the snapshot and computes its agreement.
    pub fn compute(snapshot: &Snapshot) -> Result<Agreement, SnapshotError> {
        let index = snapshot.validate_and_index()?;
        Ok(compute(snapshot, &index, &verdict_givers(snapshot)))
    }
}

/// Per labeler: gave at least one verdict (on any pair). Fleiss' κ counts these raters.
fn verdict_givers(snapshot: &Snapshot) -> Vec<bool> {
    let mut gave = vec![false; snapshot.labeler_names.len()];
    for (&labeler, verdict) in snapshot.labels.labeler.iter().zip(&snapshot.labels.verdict) {
        if verdict.is_some() {
            gave[labeler as usize] = true;
        }
    }
    gave
}

/// Units (pairs) of a binary rating (same / different; applied / not), counted by number
/// of raters `m` and number `yes` of them saying yes: one increment per unit, all sums at
/// the end, exact in integers.
#[derive(Clone, Debug, Default)]
struct BinaryUnits {
    /// `counts[m * (m + 1) / 2 + yes]`: units with m ≤ `HISTOGRAM_RATERS` raters.
    counts: Vec<u64>,
    /// Units with more raters (rare), summed directly: per m, [units, Σ agreeing rater
    /// pairs, Σ yes·no, Σ yes].
    large: Vec<(u64, [u64; 4])>,
}

/// Units with at most this many raters are counted in the histogram.
const HISTOGRAM_RATERS: u64 = 64;

/// Agreeing rater pairs among `m` raters of which `yes` said yes.
fn agreeing(m: u64, yes: u64) -> u64 {
    let no = m - yes;
    (yes * yes.saturating_sub(1) + no * no.saturating_sub(1)) / 2
}

impl BinaryUnits {
    /// Adds `count` units with `m` raters of which `yes` said yes; units with fewer than
    /// two raters are not pairable and are ignored.
    fn add(&mut self, m: u64, yes: u64, count: u64) {
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
    fn remove(&mut self, m: u64, yes: u64) {
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
    fn units(&self, m: u64) -> u64 {
        if m > HISTOGRAM_RATERS {
            return self.large.iter().find(|(k, _)| *k == m).map_or(0, |(_, s)| s[0]);
        }
        let start = (m * (m + 1) / 2) as usize;
        self.counts.get(start..start + m as usize + 1).map_or(0, |c| c.iter().sum())
    }

    fn merge(&mut self, other: &BinaryUnits) {
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
    fn sums_by_raters(&self) -> Vec<(u64, [u64; 4])> {
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
    fn percent_agreement(&self) -> Option<f64> {
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
    fn krippendorff_alpha(&self) -> Option<f64> {
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

/// Fleiss' κ sums over units that every one of `raters` rated.
#[derive(Clone, Copy, Debug, Default)]
struct FleissUnits {
    units: u64,
    yes: u64,
    /// Σ (s² + d²).
    squares: u64,
}

impl FleissUnits {
    fn kappa(&self, raters: u64) -> Option<f64> {
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

/// Per two labelers, counts of (verdict of a, verdict of b): [ss, sd, ds, dd].
#[derive(Clone, Debug)]
enum CohenCells {
    /// Dense upper triangle for the usual handful of labelers.
    Dense {
        labelers: usize,
        cells: Vec<[u64; 4]>,
    },
    Sparse(HashMap<(u32, u32), [u64; 4]>),
}

impl CohenCells {
    fn new(labelers: usize) -> Self {
        if labelers <= 1024 {
            CohenCells::Dense { labelers, cells: vec![[0; 4]; labelers * labelers] }
        } else {
            CohenCells::Sparse(HashMap::new())
        }
    }

    #[cfg(test)]
    fn add(&mut self, a: u32, b: u32, cell: usize) {
        self.step(a, b, cell, true);
    }

    /// Adds one pair's verdicts of `a` and `b` (`up`), or takes them back (a label edit).
    fn step(&mut self, a: u32, b: u32, cell: usize, up: bool) {
        let (a, b, cell) = if a < b {
            (a, b, cell)
        } else {
            // Swap the labelers, and so the two verdicts of the cell.
            (b, a, (cell & 1) << 1 | cell >> 1)
        };
        let count = match self {
            CohenCells::Dense { labelers, cells } => &mut cells[a as usize * *labelers + b as usize][cell],
            CohenCells::Sparse(map) => &mut map.entry((a, b)).or_default()[cell],
        };
        if up {
            *count += 1;
        } else {
            *count -= 1;
        }
    }

    fn merge(&mut self, other: CohenCells) {
        let add = |mine: &mut [u64; 4], theirs: &[u64; 4]| mine.iter_mut().zip(theirs).for_each(|(a, b)| *a += b);
        match (self, other) {
            (CohenCells::Dense { cells, .. }, CohenCells::Dense { cells: theirs, .. }) => {
                cells.iter_mut().zip(&theirs).for_each(|(mine, theirs)| add(mine, theirs));
            }
            (CohenCells::Sparse(map), CohenCells::Sparse(theirs)) => {
                for (key, theirs) in theirs {
                    add(map.entry(key).or_default(), &theirs);
                }
            }
            _ => unreachable!("both sums are made for the same labelers"),
        }
    }

    fn kappas(&self) -> Vec<CohenKappa> {
        let mut out: Vec<CohenKappa> = match self {
            CohenCells::Dense { labelers, cells } => cells
                .iter()
                .enumerate()
                .filter(|(_, c)| c.iter().sum::<u64>() > 0)
                .map(|(i, c)| cohen_kappa(i / labelers, i % labelers, c))
                .collect(),
            CohenCells::Sparse(map) => map
                .iter()
                .filter(|(_, c)| c.iter().sum::<u64>() > 0)
                .map(|(&(a, b), c)| cohen_kappa(a as usize, b as usize, c))
                .collect(),
        };
        out.sort_by_key(|k| (k.a, k.b));
        out
    }
}

/// κ = (n·agree − Σ) / (n² − Σ) with Σ = a_same·b_same + a_diff·b_diff, the same as
/// (p_o − p_e) / (1 − p_e); computed in integers up to the final division.
fn cohen_kappa(a: usize, b: usize, c: &[u64; 4]) -> CohenKappa {
    let [ss, sd, ds, dd] = c.map(u128::from);
    let n = ss + sd + ds + dd;
    let chance = (ss + sd) * (ss + ds) + (ds + dd) * (sd + dd);
    let kappa = (n * n != chance).then(|| {
        let num = (n * (ss + dd)) as i128 - chance as i128;
        num as f64 / (n * n - chance) as f64
    });
    CohenKappa { a, b, n: n as u64, kappa }
}

/// The running sums of agreement, pair by pair.
#[derive(Clone, Debug)]
pub(crate) struct Sums {
    verdicts: BinaryUnits,
    /// Indexed by the number of verdicts on the pair.
    fleiss: Vec<FleissUnits>,
    cohen: CohenCells,
    /// Units (pairs) with m ≥ 2 labelers, by m: every tag is rated on them.
    labeled_units: Vec<u64>,
    /// Per tag, the units where someone applied it; the other labeled units count as
    /// everyone saying "not applied" (added at the end).
    tag_units: Vec<BinaryUnits>,
    disagreements: Vec<Disagreement>,
}

impl Sums {
    /// Empty sums.
    pub(crate) fn new(snapshot: &Snapshot) -> Self {
        Sums {
            verdicts: BinaryUnits::default(),
            fleiss: Vec::new(),
            cohen: CohenCells::new(snapshot.labeler_names.len()),
            labeled_units: Vec::new(),
            tag_units: vec![BinaryUnits::default(); snapshot.tag_names.len()],
            disagreements: Vec::new(),
        }
    }

    /// Adds one pair's labels.
    pub(crate) fn add(&mut self, pair: usize, labels: &PairLabels) {
        self.count(labels, true);
        self.disagreements.extend(labels.disagreement(pair));
    }

    /// Adds one pair's labels to the sums (`up`), or takes them back (a label edit; the
    /// pair's disagreement, which lives in the finished [`Agreement`], is the caller's).
    pub(crate) fn count(&mut self, labels: &PairLabels, up: bool) {
        let m = labels.labelers;
        if m < 2 {
            return;
        }
        let step = |x: &mut u64, by: u64| if up { *x += by } else { *x -= by };
        let given = &labels.verdicts;
        let same = given.iter().filter(|(_, v)| *v == Truth::Same).count() as u64;
        let k = given.len() as u64;
        if up {
            self.verdicts.add(k, same, 1);
        } else {
            self.verdicts.remove(k, same);
        }
        // Which pairs Fleiss' κ uses (every verdict giver rated them) is known only at the
        // end, so its sums are kept per number of verdicts.
        let k_index = k as usize;
        if self.fleiss.len() <= k_index {
            self.fleiss.resize(k_index + 1, FleissUnits::default());
        }
        let fleiss = &mut self.fleiss[k_index];
        step(&mut fleiss.units, 1);
        step(&mut fleiss.yes, same);
        step(&mut fleiss.squares, same * same + (k - same) * (k - same));
        for i in 0..given.len() {
            for j in i + 1..given.len() {
                let cell =
                    usize::from(given[i].1 == Truth::Different) << 1 | usize::from(given[j].1 == Truth::Different);
                self.cohen.step(given[i].0, given[j].0, cell, up);
            }
        }

        let m_index = m as usize;
        if self.labeled_units.len() <= m_index {
            self.labeled_units.resize(m_index + 1, 0);
        }
        step(&mut self.labeled_units[m_index], 1);
        for (tag, applied) in labels.tag_counts() {
            if up {
                self.tag_units[tag].add(m, applied, 1);
            } else {
                self.tag_units[tag].remove(m, applied);
            }
        }
    }

    /// Adds the sums of the pairs right after ours.
    pub(crate) fn merge(&mut self, later: Sums) {
        self.verdicts.merge(&later.verdicts);
        if self.fleiss.len() < later.fleiss.len() {
            self.fleiss.resize(later.fleiss.len(), FleissUnits::default());
        }
        for (mine, theirs) in self.fleiss.iter_mut().zip(&later.fleiss) {
            mine.units += theirs.units;
            mine.yes += theirs.yes;
            mine.squares += theirs.squares;
        }
        self.cohen.merge(later.cohen);
        if self.labeled_units.len() < later.labeled_units.len() {
            self.labeled_units.resize(later.labeled_units.len(), 0);
        }
        for (a, b) in self.labeled_units.iter_mut().zip(&later.labeled_units) {
            *a += b;
        }
        for (mine, theirs) in self.tag_units.iter_mut().zip(&later.tag_units) {
            mine.merge(theirs);
        }
        self.disagreements.extend(later.disagreements);
    }

    /// The agreement; `gave_verdicts[l]`: labeler `l` gave any verdict (Fleiss' raters). The
    /// list of disagreements moves into it; the sums stay for label edits.
    pub(crate) fn finish(&mut self, gave_verdicts: &[bool]) -> Agreement {
        let disagreements = std::mem::take(&mut self.disagreements);
        self.agreement(gave_verdicts, disagreements)
    }

    /// The agreement of these sums, with the list of `disagreements` (in pair order).
    pub(crate) fn agreement(&self, gave_verdicts: &[bool], disagreements: Vec<Disagreement>) -> Agreement {
        let raters = gave_verdicts.iter().filter(|&&g| g).count() as u64;
        let fleiss = self.fleiss.get(raters as usize).copied().unwrap_or_default();
        let labeled_units = &self.labeled_units;
        let tags = self
            .tag_units
            .iter()
            .map(|units| {
                let mut units = units.clone();
                for (m, &all) in labeled_units.iter().enumerate() {
                    let m = m as u64;
                    units.add(m, 0, all - units.units(m));
                }
                TagAgreement {
                    krippendorff_alpha: units.krippendorff_alpha(),
                    percent_agreement: units.percent_agreement(),
                }
            })
            .collect();
        Agreement {
            percent_agreement: self.verdicts.percent_agreement(),
            fleiss_kappa: fleiss.kappa(raters),
            fleiss_pairs: if raters >= 2 { fleiss.units } else { 0 },
            krippendorff_alpha: self.verdicts.krippendorff_alpha(),
            cohen_kappa: self.cohen.kappas(),
            tags,
            disagreements,
        }
    }
}

/// Agreement over a validated snapshot. `gave_verdicts[l]`: labeler `l` gave any verdict.
pub(crate) fn compute(snapshot: &Snapshot, index: &LabelIndex, gave_verdicts: &[bool]) -> Agreement {
    let mut sums = Sums::new(snapshot);
    let mut pair = PairLabels::default();
    for p in 0..snapshot.pair_count() {
        match index.contiguous(p) {
            Some(rows) => pair.collect(&snapshot.labels, rows),
            None => pair.collect(&snapshot.labels, index.rows(p)),
        }
        sums.add(p, &pair);
    }
    sums.finish(gave_verdicts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::snapshot::Truth::{Different as D, Same as S};

    /// A label: (verdict, tags), or `None` when the labeler did not label the pair.
    type Cell = Option<(Option<Truth>, TagBits)>;

    /// Builds a snapshot from a pairs × labelers matrix of labels.
    fn snapshot(matrix: &[Vec<Cell>], tags: usize) -> Snapshot {
        let labelers = matrix.first().map_or(0, |r| r.len());
        let mut s = Snapshot::with_pairs(
            matrix.len(),
            (0..tags).map(|t| format!("t{t}")).collect(),
            (0..labelers).map(|l| format!("l{l}")).collect(),
        );
        for (p, row) in matrix.iter().enumerate() {
            for (l, cell) in row.iter().enumerate() {
                if let Some((v, t)) = cell {
                    s.labels.push(p as u32, l as u32, *v, *t);
                }
            }
        }
        s
    }

    fn v(x: Truth) -> Cell {
        Some((Some(x), 0))
    }

    #[test]
    fn cohen_by_hand() {
        // 10 pairs: both same 4, both different 3, a same/b different 2, a diff/b same 1.
        // p_o = 0.7; p_e = 0.6·0.5 + 0.4·0.5 = 0.5; κ = 0.4.
        let k = cohen_kappa(0, 1, &[4, 2, 1, 3]);
        assert_eq!(k.n, 10);
        assert!((k.kappa.unwrap() - 0.4).abs() < 1e-15);
        assert_eq!(cohen_kappa(0, 1, &[5, 0, 0, 0]).kappa, None);
        assert_eq!(cohen_kappa(0, 1, &[0, 0, 0, 0]).kappa, None);
        assert_eq!(cohen_kappa(0, 1, &[2, 0, 0, 3]).kappa, Some(1.0));
    }

    #[test]
    fn verdict_agreement_by_hand() {
        // Three labelers, four pairs:
        //   S S S   → 3/3 agreeing pairs
        //   S S D   → 1/3
        //   D D -   → 1/1
        //   D - -   → not pairable
        let s = snapshot(
            &[vec![v(S), v(S), v(S)], vec![v(S), v(S), v(D)], vec![v(D), v(D), None], vec![v(D), None, None]],
            0,
        );
        let a = Agreement::compute(&s).unwrap();
        assert!((a.percent_agreement.unwrap() - (1.0 + 1.0 / 3.0 + 1.0) / 3.0).abs() < 1e-15);
        // α: pairable values S=5, D=3, n=8; Σ s·d/(m−1) = 2/2 = 1 → 1 − 7·1/15.
        assert!((a.krippendorff_alpha.unwrap() - (1.0 - 7.0 / 15.0)).abs() < 1e-15);
        // Fleiss over the two pairs everyone rated: p_S = 5/6; P_i = 1, 1/3;
        // P̄ = 2/3, P_e = 26/36 → κ = (2/3 − 26/36) / (10/36) = −0.2.
        assert_eq!(a.fleiss_pairs, 2);
        assert!((a.fleiss_kappa.unwrap() + 0.2).abs() < 1e-12);
        // Cohen: (0,1) agree on all 3 → κ = 1; (0,2) and (1,2) on 2 pairs: SS, SD.
        assert_eq!(a.cohen_kappa.len(), 3);
        assert_eq!(a.cohen_kappa[0].kappa, Some(1.0));
        assert_eq!(a.cohen_kappa[0].n, 3);
        assert_eq!((a.cohen_kappa[1].a, a.cohen_kappa[1].b, a.cohen_kappa[1].n), (0, 2, 2));
        assert_eq!(a.cohen_kappa[1].kappa, Some(0.0));
        assert_eq!(a.disagreements, vec![Disagreement { pair: 1, verdict: true, tags: 0 }]);
    }

    #[test]
    fn tag_agreement_by_hand() {
        // Tag 0 over three pairs labeled by two labelers (verdicts do not matter):
        //   applied by both, by one, by none → percent agreement (1 + 0 + 1) / 3;
        // α: applied 3, not 3, n = 6, Σ s·d/(m−1) = 1 → 1 − 5/9.
        // Tag 1 never applied → α undefined, full agreement.
        let c = |t| Some((None, t));
        let s = snapshot(&[vec![c(1), c(1)], vec![c(1), c(0)], vec![c(0), c(0)]], 2);
        let a = Agreement::compute(&s).unwrap();
        assert!((a.tags[0].percent_agreement.unwrap() - 2.0 / 3.0).abs() < 1e-15);
        assert!((a.tags[0].krippendorff_alpha.unwrap() - (1.0 - 5.0 / 9.0)).abs() < 1e-15);
        assert_eq!(a.tags[1].krippendorff_alpha, None);
        assert_eq!(a.tags[1].percent_agreement, Some(1.0));
        assert_eq!(a.percent_agreement, None, "no verdicts");
        assert_eq!(a.fleiss_kappa, None);
        assert_eq!(a.disagreements, vec![Disagreement { pair: 1, verdict: false, tags: 1 }]);
    }

    #[test]
    fn single_labeler_has_no_agreement() {
        let s = snapshot(&[vec![v(S)], vec![v(D)]], 1);
        let a = Agreement::compute(&s).unwrap();
        assert_eq!(a.percent_agreement, None);
        assert_eq!(a.krippendorff_alpha, None);
        assert_eq!(a.fleiss_kappa, None);
        assert!(a.cohen_kappa.is_empty());
        assert_eq!(a.tags[0], TagAgreement::default());
        assert!(a.disagreements.is_empty());
    }

    #[test]
    fn units_with_many_raters_are_summed_directly() {
        // The same units counted in the histogram (m ≤ 64) and directly (m > 64) give the
        // same measures as the formula.
        for m in [3u64, 70] {
            let mut units = BinaryUnits::default();
            units.add(m, 1, 2);
            units.add(m, m, 1);
            units.add(1, 1, 5); // not pairable
            assert_eq!(units.units(m), 3);
            assert_eq!(units.units(m + 1), 0);
            // Percent agreement: (2·C(m−1, 2) + C(m, 2)) / C(m, 2) / 3.
            let pairs = (m * (m - 1) / 2) as f64;
            let expect = (2.0 * ((m - 1) * (m - 2) / 2) as f64 + pairs) / pairs / 3.0;
            assert!((units.percent_agreement().unwrap() - expect).abs() < 1e-12, "m = {m}");
            // α: yes = 2 + m, no = 2(m − 1), Σ yes·no/(m−1) = 2.
            let (yes, no) = ((2 + m) as f64, (2 * (m - 1)) as f64);
            let alpha = 1.0 - (yes + no - 1.0) * 2.0 / (yes * no);
            assert!((units.krippendorff_alpha().unwrap() - alpha).abs() < 1e-12, "m = {m}");
        }
    }

    #[test]
    fn sums_over_two_ranges_merge_to_the_whole() {
        let s = snapshot(
            &[
                vec![Some((Some(S), 1)), v(S), v(D)],
                vec![v(S), Some((Some(D), 3)), None],
                vec![v(D), v(D), Some((None, 2))],
                vec![v(S), v(S), v(S)],
            ],
            2,
        );
        let index = s.validate_and_index().unwrap();
        let gave = [true, true, true];
        let whole = compute(&s, &index, &gave);
        let sums_of = |pairs: std::ops::Range<usize>| {
            let mut sums = Sums::new(&s);
            let mut pair = PairLabels::default();
            for p in pairs {
                pair.collect(&s.labels, index.rows(p));
                sums.add(p, &pair);
            }
            sums
        };
        for cut in 0..=4 {
            let mut first = sums_of(0..cut);
            first.merge(sums_of(cut..4));
            assert_eq!(first.finish(&gave), whole, "cut at {cut}");
        }
        let mut sparse = CohenCells::Sparse(HashMap::new());
        sparse.add(0, 1, 0);
        let mut other = CohenCells::Sparse(HashMap::new());
        other.add(0, 1, 3);
        sparse.merge(other);
        assert_eq!(sparse.kappas()[0].n, 2);
        let mut units = BinaryUnits::default();
        units.add(70, 3, 1);
        let mut more = BinaryUnits::default();
        more.add(70, 3, 2);
        more.add(3, 1, 1);
        units.merge(&more);
        assert_eq!((units.units(70), units.units(3)), (3, 1));
    }

    #[test]
    fn cohen_cells_swap_verdicts_with_labelers() {
        let mut cells = CohenCells::new(3);
        cells.add(2, 0, 0b01); // labeler 2 same, labeler 0 different → (0,2) is "ds"
        let k = cells.kappas();
        assert_eq!((k[0].a, k[0].b), (0, 2));
        let mut sparse = CohenCells::Sparse(HashMap::new());
        sparse.add(2, 0, 0b01);
        sparse.add(0, 2, 0b10);
        let k2 = sparse.kappas();
        assert_eq!(k2[0].n, 2);
        // Both rows are "a different, b same": chance agreement is 0, observed 0 → κ = 0.
        assert_eq!(k2[0].kappa, Some(0.0));
    }
}
