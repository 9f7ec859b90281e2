//! Which pair here each labelled pair of the other project is: by image content, else by
//! the pair's own id.

use std::collections::{BTreeSet, HashMap};

use super::MergeReport;
use crate::store::{PairHashes, PairId};

pub(super) fn hash_key(a: &str, b: &str) -> (String, String) {
    if a <= b { (a.to_owned(), b.to_owned()) } else { (b.to_owned(), a.to_owned()) }
}

/// Matches the other project's labelled pairs to ours: by image content, else by pair id.
/// Returns their pair → (our pair, their pair's name); records the rest in the report.
pub(super) fn match_pairs(
    ours: &[PairHashes],
    theirs: &[PairHashes],
    labelled: &BTreeSet<PairId>,
    report: &mut MergeReport,
) -> HashMap<PairId, (PairId, String)> {
    let mut by_hash: HashMap<(String, String), Vec<PairId>> = HashMap::new();
    let mut by_id: HashMap<&str, PairId> = HashMap::new();
    for p in ours {
        by_hash.entry(hash_key(&p.sha256_a, &p.sha256_b)).or_default().push(p.id);
        if let Some(id) = &p.external_id {
            by_id.insert(id, p.id);
        }
    }
    let mut matched = HashMap::new();
    for p in theirs.iter().filter(|p| labelled.contains(&p.id)) {
        let name = p.external_id.clone().unwrap_or_else(|| format!("#{}", p.id));
        let hashed = by_hash.get(&hash_key(&p.sha256_a, &p.sha256_b)).map(Vec::as_slice);
        let named = p.external_id.as_deref().and_then(|id| by_id.get(id)).copied();
        let ours_id = match (hashed, named) {
            (Some([one]), Some(n)) if *one != n => {
                report
                    .pairs_ambiguous
                    .push(format!("{name}: its images are pair #{one} here, but its id names pair #{n} here"));
                continue;
            }
            (Some([one]), _) => *one,
            (Some(many), Some(n)) if many.contains(&n) => n,
            (Some(many), _) if many.len() > 1 => {
                report.pairs_ambiguous.push(format!("{name}: its images form {} pairs here", many.len()));
                continue;
            }
            (_, Some(n)) => {
                report.matched_by_id_only.push(name.clone());
                n
            }
            _ => {
                report.pairs_not_here.push(name);
                continue;
            }
        };
        matched.insert(p.id, (ours_id, name));
    }
    matched
}
