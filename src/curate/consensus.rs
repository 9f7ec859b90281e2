//! What the labelers of a pair agree on. The one place curation computes consensus.
//!
//! A labeler "labeled" a pair when they gave a verdict or applied a tag. A tag is a consensus
//! tag when at least half of those labelers applied it. The consensus verdict is the strict
//! majority of the verdicts given (a tie has none). Agreement is the share of verdicts equal to
//! the most common one (1.0 when unanimous); a pair without verdicts has none.
//!
//! An adjudicated pair's consensus is the adjudicator's decision (verdict and tags) instead;
//! its agreement is still that of the labelers.

use crate::domain::Truth;

/// Tag names applied by at least half of `labelers` (labelers who labeled the pair), sorted
/// case-insensitively. `applications` holds (labeler, tag) with each pair at most once.
pub fn consensus_tags<L: PartialEq>(labelers: usize, applications: &[(L, String)]) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for (_, tag) in applications {
        match counts.iter_mut().find(|(t, _)| t.eq_ignore_ascii_case(tag)) {
            Some((_, n)) => *n += 1,
            None => counts.push((tag.clone(), 1)),
        }
    }
    let mut tags: Vec<String> =
        counts.into_iter().filter(|(_, n)| labelers > 0 && 2 * n >= labelers).map(|(t, _)| t).collect();
    tags.sort_by_key(|t| t.to_lowercase());
    tags
}

/// The strict-majority verdict, if there is one.
pub fn majority_verdict(verdicts: &[Truth]) -> Option<Truth> {
    let same = verdicts.iter().filter(|v| **v == Truth::Same).count();
    let different = verdicts.len() - same;
    match same.cmp(&different) {
        std::cmp::Ordering::Greater => Some(Truth::Same),
        std::cmp::Ordering::Less => Some(Truth::Different),
        std::cmp::Ordering::Equal => None,
    }
}

/// The share of verdicts that agree with the most common one; None without verdicts.
pub fn agreement(verdicts: &[Truth]) -> Option<f64> {
    if verdicts.is_empty() {
        return None;
    }
    let same = verdicts.iter().filter(|v| **v == Truth::Same).count();
    Some(same.max(verdicts.len() - same) as f64 / verdicts.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apps(list: &[(u8, &str)]) -> Vec<(u8, String)> {
        list.iter().map(|(l, t)| (*l, t.to_string())).collect()
    }

    #[test]
    fn a_tag_needs_at_least_half_of_the_labelers() {
        let a = apps(&[(1, "dark"), (2, "Dark"), (1, "blurry"), (3, "sunset")]);
        assert_eq!(consensus_tags(4, &a), ["dark"], "2 of 4 is half; 1 of 4 is not");
        assert_eq!(consensus_tags(3, &a), ["dark"]);
        assert_eq!(consensus_tags(2, &a), ["blurry", "dark", "sunset"]);
        assert!(consensus_tags::<u8>(0, &[]).is_empty());
    }

    #[test]
    fn majority_and_agreement() {
        use Truth::{Different as D, Same as S};
        assert_eq!(majority_verdict(&[S, S, D]), Some(S));
        assert_eq!(majority_verdict(&[S, D]), None);
        assert_eq!(majority_verdict(&[]), None);
        assert_eq!(agreement(&[S, S, D, S]), Some(0.75));
        assert_eq!(agreement(&[D]), Some(1.0));
        assert_eq!(agreement(&[]), None);
    }
}
