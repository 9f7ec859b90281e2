//! The running sums of agreement over the pairs, one pair's labels at a time; sums over
//! consecutive ranges of pairs merge, so the work can be split between threads.

use super::binary_units::BinaryUnits;
use super::cohen::CohenCells;
use super::fleiss::FleissUnits;
use super::{Agreement, Disagreement, TagAgreement};
use crate::analysis::pair_labels::PairLabels;
use crate::analysis::snapshot::{Snapshot, Truth};

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
            pairs_with_two_verdicts: self.fleiss.iter().skip(2).map(|f| f.units).sum(),
            krippendorff_alpha: self.verdicts.krippendorff_alpha(),
            cohen_kappa: self.cohen.kappas(),
            tags,
            disagreements,
        }
    }
}
