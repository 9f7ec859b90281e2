//! The line the app shows when a scoring run ends: pairs and images counted apart, because one
//! image without an embedding leaves every pair it is in without a score.

use std::collections::BTreeMap;

use crate::scoring::ScoreSummary;

/// `Scored 158 pairs (40 images, 0 from the cache); 2 pairs without a score; 1 image without
/// an embedding (bad_embedding 1).` Parts that are zero are left out.
pub(in crate::ui) fn score_outcome(summary: &ScoreSummary, cancelled: bool) -> String {
    let unembedded: u64 = summary.images_unembedded.values().sum();
    let images = if unembedded > 0 {
        format!("; {} without an embedding ({})", count(unembedded, "image"), by_status(&summary.images_unembedded))
    } else {
        String::new()
    };
    if cancelled {
        return format!(
            "Cancelled; kept what was done: {} scored{images}.",
            count(summary.pairs_scored as u64, "pair")
        );
    }
    let unscored = match summary.pairs_unscored.len() {
        0 => String::new(),
        n => format!("; {} without a score", count(n as u64, "pair")),
    };
    format!(
        "Scored {} ({} images, {} from the cache){unscored}{images}.",
        count(summary.pairs_scored as u64, "pair"),
        summary.images_total,
        summary.images_cached
    )
}

fn count(n: u64, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

fn by_status(statuses: &BTreeMap<String, u64>) -> String {
    statuses.iter().map(|(status, n)| format!("{status} {n}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> ScoreSummary {
        ScoreSummary { images_total: 40, images_cached: 3, pairs_scored: 158, ..ScoreSummary::default() }
    }

    #[test]
    fn a_clean_run_names_pairs_and_images() {
        assert_eq!(score_outcome(&summary(), false), "Scored 158 pairs (40 images, 3 from the cache).");
    }

    #[test]
    fn pairs_without_a_score_and_images_without_an_embedding_are_counted_apart() {
        let mut s = summary();
        s.pairs_unscored = vec!["p1: a.jpg bad_embedding".into(), "p2: a.jpg bad_embedding".into()];
        s.images_unembedded = [("bad_embedding".to_owned(), 1), ("no_face".to_owned(), 2)].into();
        assert_eq!(
            score_outcome(&s, false),
            "Scored 158 pairs (40 images, 3 from the cache); 2 pairs without a score; \
             3 images without an embedding (bad_embedding 1, no_face 2)."
        );
        assert_eq!(
            score_outcome(&s, true),
            "Cancelled; kept what was done: 158 pairs scored; 3 images without an embedding (bad_embedding 1, no_face 2)."
        );
    }
}
