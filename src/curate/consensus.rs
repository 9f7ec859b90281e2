//! What the labelers of a pair agree on. The one place curation computes consensus.
//!
//! The consensus tags are the error analysis's, by the analysis's own functions: a labeler
//! "labeled" a pair when they gave a verdict or applied a tag, and a tag is a consensus tag
//! when at least half of those labelers applied it ([`analysis::consensus_of`]). An
//! adjudicated pair's consensus tags are the project's tags the adjudicator named
//! ([`analysis::tags_named`]), spelled as the project spells them; a name that is no longer a
//! tag (renamed since) is none, as in the analysis tables.
//!
//! The consensus verdict is the adjudicator's, else the strict majority of the verdicts given
//! (a tie has none). Agreement is the share of verdicts equal to the most common one (1.0
//! when unanimous); a pair without verdicts has none. The analysis has neither per pair.

use crate::analysis::{self, MAX_TAGS, TagBits};
use crate::domain::Truth;

/// The consensus tags of a pair nobody adjudicated, sorted case-insensitively. `labelers`:
/// each labeler who labeled the pair, once; `applications`: (labeler, tag name) with each
/// pair at most once, names as the project spells them.
pub fn consensus_tags<L: PartialEq>(labelers: &[L], applications: &[(L, String)]) -> Vec<String> {
    let mut names: Vec<&str> = applications.iter().map(|(_, t)| t.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    // The rule is per tag, so a pair with more tags than a bit set holds is taken in chunks.
    let mut tags: Vec<String> = Vec::new();
    for chunk in names.chunks(MAX_TAGS) {
        let sets: Vec<TagBits> = labelers
            .iter()
            .map(|labeler| {
                applications
                    .iter()
                    .filter(|(who, _)| who == labeler)
                    .filter_map(|(_, tag)| chunk.iter().position(|c| c == tag))
                    .fold(0, |bits, i| bits | 1 << i)
            })
            .collect();
        let consensus = analysis::consensus_of(&sets);
        tags.extend(chunk.iter().enumerate().filter(|(i, _)| consensus >> i & 1 == 1).map(|(_, t)| t.to_string()));
    }
    tags.sort_by_key(|t| t.to_lowercase());
    tags
}

/// The consensus tags of an adjudicated pair: the project's tags (`tag_names`, in id order)
/// that the adjudication `names`, sorted case-insensitively.
pub fn adjudicated_tags(names: &[String], tag_names: &[String]) -> Vec<String> {
    let mut tags: Vec<String> =
        analysis::tags_named(names, tag_names).into_iter().map(|i| tag_names[i].clone()).collect();
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
        let a = apps(&[(1, "dark"), (2, "dark"), (1, "blurry"), (3, "sunset")]);
        assert_eq!(consensus_tags(&[1, 2, 3, 4], &a), ["dark"], "2 of 4 is half; 1 of 4 is not");
        assert_eq!(consensus_tags(&[1, 2, 3], &a), ["dark"]);
        assert_eq!(consensus_tags(&[1, 2], &apps(&[(1, "dark"), (2, "Blurry")])), ["Blurry", "dark"]);
        assert_eq!(consensus_tags(&[3], &a), ["sunset"], "a lone labeler's tags are the consensus");
        assert!(consensus_tags::<u8>(&[], &[]).is_empty());
    }

    #[test]
    fn more_tags_than_a_bit_set_holds() {
        let names: Vec<String> = (0..150).map(|i| format!("t{i:03}")).collect();
        let mut a: Vec<(u8, String)> = names.iter().map(|t| (1, t.clone())).collect();
        a.push((2, "t149".into()));
        a.push((2, "t000".into()));
        // Three labelers: only the two tags labeler 2 shares with labeler 1 have two votes.
        assert_eq!(consensus_tags(&[1, 2, 3], &a), ["t000", "t149"]);
    }

    #[test]
    fn an_adjudication_keeps_only_the_projects_tags_in_their_spelling() {
        let tags = ["dark", "Blurry", "low light"].map(String::from);
        let names = ["BLURRY", "dark", "sunglasses", "Dark"].map(String::from);
        assert_eq!(adjudicated_tags(&names, &tags), ["Blurry", "dark"]);
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
