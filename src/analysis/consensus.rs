//! Consensus tags: a tag applies to a pair when at least half of the labelers who labeled
//! the pair applied it (with or without a verdict); an adjudicator's override replaces the
//! computed set (applied in `Prepared`).

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

#[cfg(test)]
mod tests {
    use super::*;

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
