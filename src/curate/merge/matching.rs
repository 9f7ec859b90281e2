//! Which pair here each labelled pair of the other project is: by image content, else by
//! the pair's own id.

use std::collections::HashMap;

use super::MergeReport;
use crate::store::{PairHashes, PairId, StoreError, Tx};

pub(super) fn hash_key(a: &str, b: &str) -> (Box<str>, Box<str>) {
    if a <= b { (a.into(), b.into()) } else { (b.into(), a.into()) }
}

/// This project's pairs, by their images' content and by their own id.
pub(super) struct OurPairs {
    by_hash: HashMap<(Box<str>, Box<str>), Vec<PairId>>,
    by_id: HashMap<Box<str>, PairId>,
}

impl OurPairs {
    /// Read row by row: only the two indexes are held.
    pub(super) fn read(tx: &Tx) -> Result<OurPairs, StoreError> {
        let mut ours = OurPairs { by_hash: HashMap::new(), by_id: HashMap::new() };
        tx.each_pair_hashes(|p| {
            ours.by_hash.entry(hash_key(&p.sha256_a, &p.sha256_b)).or_default().push(p.id);
            if let Some(id) = p.external_id {
                ours.by_id.insert(id.into(), p.id);
            }
        })?;
        Ok(ours)
    }

    /// The pair here that a labelled pair of the other project is, and that pair's name; None
    /// (recorded in the report) when it is not here or not unambiguously.
    pub(super) fn find(&self, p: &PairHashes, report: &mut MergeReport) -> Option<(PairId, String)> {
        let name = p.external_id.clone().unwrap_or_else(|| format!("#{}", p.id));
        let hashed = self.by_hash.get(&hash_key(&p.sha256_a, &p.sha256_b)).map(Vec::as_slice);
        let named = p.external_id.as_deref().and_then(|id| self.by_id.get(id)).copied();
        let ours_id = match (hashed, named) {
            (Some([one]), Some(n)) if *one != n => {
                report
                    .pairs_ambiguous
                    .push(format!("{name}: its images are pair #{one} here, but its id names pair #{n} here"));
                return None;
            }
            (Some([one]), _) => *one,
            (Some(many), Some(n)) if many.contains(&n) => n,
            (Some(many), _) if many.len() > 1 => {
                report.pairs_ambiguous.push(format!("{name}: its images form {} pairs here", many.len()));
                return None;
            }
            (_, Some(n)) => {
                report.matched_by_id_only.push(name.clone());
                n
            }
            _ => {
                report.pairs_not_here.push(name);
                return None;
            }
        };
        Some((ours_id, name))
    }
}
