//! Consensus tags: a tag applies to a pair when at least half of the labelers who labeled
//! the pair applied it (with or without a verdict); an adjudicator's override replaces the
//! computed set (applied in `Prepared`). Curation (splits, exports) calls the same functions,
//! so an export's tags are always those of the error analysis it came from.

use super::snapshot::{TagBits, tag_indices};

/// The consensus of the tag sets the labelers of one pair applied (empty without labels).
pub fn consensus_of(label_tags: &[TagBits]) -> TagBits {
    let labelers = label_tags.len();
    if labelers == 1 {
        return label_tags[0];
    }
    let union = label_tags.iter().fold(0, |acc, &t| acc | t);
    let mut consensus = 0;
    for tag in tag_indices(union) {
        let applied = label_tags.iter().filter(|&&t| t >> tag & 1 == 1).count();
        if 2 * applied >= labelers {
            consensus |= 1 << tag;
        }
    }
    consensus
}

/// The tags an adjudication names (by name, as the project stores it), as indices into
/// `tag_names`: matched regardless of case, the later tag winning if two lower-case alike.
/// A name that is no tag of the project (renamed or merged away since) names none.
pub fn tags_named(names: &[String], tag_names: &[String]) -> Vec<usize> {
    let lower: Vec<String> = tag_names.iter().map(|t| t.to_lowercase()).collect();
    let mut found: Vec<usize> = names
        .iter()
        .filter_map(|name| {
            let name = name.to_lowercase();
            lower.iter().rposition(|t| *t == name)
        })
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adjudication_names_the_projects_tags_whatever_their_case() {
        let tags = ["dark", "Blurry", "low light"].map(String::from);
        let names = ["BLURRY", "dark", "sunglasses", "Dark"].map(String::from);
        assert_eq!(tags_named(&names, &tags), [0, 1], "unknown names name no tag");
        assert!(tags_named(&[], &tags).is_empty());
    }

    #[test]
    fn at_least_half_of_the_labelers() {
        assert_eq!(consensus_of(&[]), 0);
        assert_eq!(consensus_of(&[0b101]), 0b101);
        // Two labelers: one is half, so either labeler's tag applies.
        assert_eq!(consensus_of(&[0b01, 0b10]), 0b11);
        // Three labelers: one of three is not enough, two of three is.
        assert_eq!(consensus_of(&[0b011, 0b010, 0b100]), 0b010);
        assert_eq!(consensus_of(&[0b1, 0b1, 0, 0]), 0b1);
        assert_eq!(consensus_of(&[1 << 63, 1 << 63, 0]), 1 << 63);
    }
}
