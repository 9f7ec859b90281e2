//! Agreement between labelers: on verdicts (percent agreement, Cohen's κ per two labelers,
//! Fleiss' κ, Krippendorff's α) and on each tag (α and percent agreement), plus the list of
//! pairs where labelers disagree.
//!
//! Sums are kept per number of raters of a unit, in integers, so results do not depend on
//! the order of pairs or labels.

use serde::Serialize;

mod binary_units;
mod cohen;
mod fleiss;
mod sums;

use super::label_index::LabelIndex;
use super::pair_labels::PairLabels;
use super::snapshot::{Snapshot, SnapshotError, TagBits};

pub(crate) use sums::Sums;

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
    /// Pairs with two verdicts or more: what Fleiss' κ would cover if every labeler had
    /// labeled them (when it covers less than half, the screens lead with α).
    pub pairs_with_two_verdicts: u64,
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
    use std::collections::HashMap;

    use super::binary_units::BinaryUnits;
    use super::cohen::{CohenCells, cohen_kappa};
    use super::*;
    use crate::analysis::snapshot::Truth;
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
        assert_eq!(a.pairs_with_two_verdicts, 3);
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
