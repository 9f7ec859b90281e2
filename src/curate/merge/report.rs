//! What a merge did, or would do: labels taken, conflicts kept, pairs not matched.

use std::fmt;

use serde::Serialize;

/// A label this project kept because both projects changed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub pair: String,
    pub labeler: String,
    /// "verdict" or "tag <name>".
    pub label: String,
    pub here: String,
    pub there: String,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pair {:?}, labeler {:?}: {} is {} here but {} there; both changed it, so this project's is kept",
            self.pair, self.labeler, self.label, self.here, self.there
        )
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MergeReport {
    /// Pairs of the other project that carry labels and were found here.
    pub pairs_matched: usize,
    /// Of those, matched by the pair id although the image contents differ.
    pub matched_by_id_only: Vec<String>,
    /// Pairs of the other project with labels that this project does not have.
    pub pairs_not_here: Vec<String>,
    /// Pairs that could not be matched unambiguously, with the reason.
    pub pairs_ambiguous: Vec<String>,
    pub verdicts_changed: usize,
    pub tags_applied: usize,
    pub tags_removed: usize,
    /// Notes written, changed or removed.
    pub notes_changed: usize,
    /// Adjudications that came in (new here, or newer there).
    pub adjudications_merged: usize,
    /// Pairs whose ground truth differs between the projects (never changed by a merge).
    pub truth_differs: Vec<String>,
    /// Streams already equal on both sides.
    pub already_equal: usize,
    /// Streams this project has newer labels for.
    pub newer_here: usize,
    /// Audit events copied from the other project.
    pub events_copied: usize,
    pub labelers_created: Vec<String>,
    pub tags_created: Vec<String>,
    pub conflicts: Vec<Conflict>,
}

impl MergeReport {
    pub fn summary(&self, max_listed: usize) -> String {
        let mut out = format!(
            "merged labels of {} pairs: {} verdicts changed, {} tags applied, {} tags removed, {} notes changed, \
             {} adjudications merged, {} audit events copied; {} already equal, {} newer here, {} conflicts",
            self.pairs_matched,
            self.verdicts_changed,
            self.tags_applied,
            self.tags_removed,
            self.notes_changed,
            self.adjudications_merged,
            self.events_copied,
            self.already_equal,
            self.newer_here,
            self.conflicts.len()
        );
        for name in &self.labelers_created {
            out += &format!("\ncreated labeler {name:?}");
        }
        for name in &self.tags_created {
            out += &format!("\ncreated tag {name:?}");
        }
        let mut list = |title: &str, items: Vec<String>| {
            if items.is_empty() {
                return;
            }
            out += &format!("\n{title} ({}):", items.len());
            for item in items.iter().take(max_listed) {
                out += &format!("\n  {item}");
            }
            if items.len() > max_listed {
                out += &format!("\n  … and {} more (--verbose lists them all)", items.len() - max_listed);
            }
        };
        list("conflicts, kept as they are here", self.conflicts.iter().map(ToString::to_string).collect());
        list("pairs not in this project, not merged", self.pairs_not_here.clone());
        list("pairs that match ambiguously, not merged", self.pairs_ambiguous.clone());
        list("pairs matched by id although their images differ", self.matched_by_id_only.clone());
        list("pairs whose ground truth differs", self.truth_differs.clone());
        out
    }
}
