//! The columnar snapshot of a project that every analysis reads.
//!
//! The store builds it from SQLite; the analysis never sees anything else. Columns are
//! indexed by pair (0..n) or by label row. [`Snapshot::validate`] checks every invariant the
//! analysis relies on, so user data can never make it panic.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::label_index::LabelIndex;

/// Tags of a pair or a label as a bit set: bit `i` is `tag_names[i]`. At most 64 tags.
pub type TagBits = u64;

/// The most tags a snapshot can have (the width of [`TagBits`]).
pub const MAX_TAGS: usize = 64;

/// The most pairs a snapshot can have (the analysis packs pair facts into 32 bits).
pub const MAX_PAIRS: usize = (1 << 28) - 2;

/// Whether the two photos of a pair show the same person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Truth {
    Same,
    Different,
}

/// The dataset split a pair belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Split {
    Train,
    TrainDev,
    Dev,
    Test,
}

/// All splits in the order of the bias / variance analysis.
pub const SPLITS: [Split; 4] = [Split::Train, Split::TrainDev, Split::Dev, Split::Test];

impl Split {
    /// The name used in JSON and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::TrainDev => "train-dev",
            Split::Dev => "dev",
            Split::Test => "test",
        }
    }

    /// Position in [`SPLITS`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A categorical column per pair (for example camera or fold).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MetadataColumn {
    pub name: String,
    /// The distinct values; `codes` index into it.
    pub values: Vec<String>,
    /// Per pair: the value's index in `values`, or `None` when the pair has no value.
    pub codes: Vec<Option<u32>>,
}

/// One row per (pair, labeler) who labeled that pair.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Labels {
    pub pair: Vec<u32>,
    pub labeler: Vec<u32>,
    /// `None`: the labeler applied tags but gave no verdict.
    pub verdict: Vec<Option<Truth>>,
    pub tags: Vec<TagBits>,
}

impl Labels {
    /// Number of label rows.
    pub fn len(&self) -> usize {
        self.pair.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pair.is_empty()
    }

    /// Appends one label row.
    pub fn push(&mut self, pair: u32, labeler: u32, verdict: Option<Truth>, tags: TagBits) {
        self.pair.push(pair);
        self.labeler.push(labeler);
        self.verdict.push(verdict);
        self.tags.push(tags);
    }
}

/// Everything the analysis needs to know about a project, column by column.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub tag_names: Vec<String>,
    pub labeler_names: Vec<String>,
    /// Per pair; NaN means not scored.
    pub score: Vec<f64>,
    pub truth: Vec<Option<Truth>>,
    pub split: Vec<Option<Split>>,
    /// Set by an adjudicator; `None` means computed from the labels.
    pub consensus_override: Vec<Option<TagBits>>,
    pub metadata: Vec<MetadataColumn>,
    pub labels: Labels,
}

impl Snapshot {
    /// An empty snapshot with `n` unscored, unlabeled pairs and the given names.
    pub fn with_pairs(n: usize, tag_names: Vec<String>, labeler_names: Vec<String>) -> Self {
        Snapshot {
            tag_names,
            labeler_names,
            score: vec![f64::NAN; n],
            truth: vec![None; n],
            split: vec![None; n],
            consensus_override: vec![None; n],
            metadata: Vec::new(),
            labels: Labels::default(),
        }
    }

    /// Number of pairs.
    pub fn pair_count(&self) -> usize {
        self.score.len()
    }

    /// The bits of all declared tags.
    pub fn tag_mask(&self) -> TagBits {
        tag_mask(self.tag_names.len())
    }

    /// Checks every invariant the analysis relies on; the error names the column and the
    /// pair or label row at fault.
    pub fn validate(&self) -> Result<(), SnapshotError> {
        self.validate_and_index().map(|_| ())
    }

    /// [`Snapshot::validate`], returning the pair → label rows index it builds on the way.
    pub(crate) fn validate_and_index(&self) -> Result<LabelIndex, SnapshotError> {
        self.validate_pairs()?;
        self.validate_labels()
    }

    /// The per-pair half of [`Snapshot::validate`]: names, column lengths, scores, tag
    /// overrides, metadata codes.
    pub(crate) fn validate_pairs(&self) -> Result<(), SnapshotError> {
        use SnapshotError as E;
        let n = self.score.len();
        if n > MAX_PAIRS {
            return Err(E::TooManyPairs { pairs: n });
        }
        if self.tag_names.len() > MAX_TAGS {
            return Err(E::TooManyTags { tags: self.tag_names.len() });
        }
        if self.labeler_names.len() > u32::MAX as usize {
            return Err(E::TooManyLabelers { labelers: self.labeler_names.len() });
        }
        let per_pair = [
            ("truth", self.truth.len()),
            ("split", self.split.len()),
            ("consensus_override", self.consensus_override.len()),
        ];
        for (column, len) in per_pair {
            if len != n {
                return Err(E::ColumnLength { column: column.to_string(), expected: n, actual: len });
            }
        }
        if let Some(pair) = self.score.iter().position(|s| s.is_infinite()) {
            return Err(E::InfiniteScore { pair });
        }
        let mask = self.tag_mask();
        if let Some(pair) = self.consensus_override.iter().position(|o| o.is_some_and(|bits| bits & !mask != 0)) {
            return Err(E::UnknownTag { column: "consensus_override".to_string(), index: pair });
        }
        for column in &self.metadata {
            if column.codes.len() != n {
                return Err(E::ColumnLength {
                    column: format!("metadata {:?}", column.name),
                    expected: n,
                    actual: column.codes.len(),
                });
            }
            let values = column.values.len();
            if let Some(pair) = column.codes.iter().position(|c| c.is_some_and(|c| c as usize >= values)) {
                return Err(E::UnknownMetadataValue { column: column.name.clone(), pair });
            }
        }
        Ok(())
    }

    /// The label half of [`Snapshot::validate`] (after [`Snapshot::validate_pairs`]),
    /// returning the pair → label rows index.
    pub(crate) fn validate_labels(&self) -> Result<LabelIndex, SnapshotError> {
        use SnapshotError as E;
        let (n, mask) = (self.pair_count(), self.tag_mask());
        let labels = &self.labels;
        let rows = labels.pair.len();
        for (column, len) in [
            ("labels.labeler", labels.labeler.len()),
            ("labels.verdict", labels.verdict.len()),
            ("labels.tags", labels.tags.len()),
        ] {
            if len != rows {
                return Err(E::ColumnLength { column: column.to_string(), expected: rows, actual: len });
            }
        }
        if rows > u32::MAX as usize {
            return Err(E::TooManyLabels { rows });
        }
        let labelers = self.labeler_names.len();
        for row in 0..rows {
            let pair = labels.pair[row];
            let labeler = labels.labeler[row];
            if pair as usize >= n {
                return Err(E::LabelPairOutOfRange { row, pair });
            }
            if labeler as usize >= labelers {
                return Err(E::LabelLabelerOutOfRange { row, labeler });
            }
            if labels.tags[row] & !mask != 0 {
                return Err(E::UnknownTag { column: "labels.tags".to_string(), index: row });
            }
        }
        let index = LabelIndex::new(n, &labels.pair);
        if let Some(row) = index.first_duplicate(&labels.labeler) {
            return Err(E::DuplicateLabel {
                row,
                pair: labels.pair[row],
                labeler: self.labeler_names[labels.labeler[row] as usize].clone(),
            });
        }
        Ok(index)
    }
}

/// The bits of the first `tags` tags.
pub fn tag_mask(tags: usize) -> TagBits {
    if tags >= MAX_TAGS { TagBits::MAX } else { (1 << tags) - 1 }
}

/// Iterates over the indices of the set bits, lowest first.
pub fn tag_indices(mut bits: TagBits) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if bits == 0 {
            None
        } else {
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            Some(i)
        }
    })
}

/// Why a snapshot cannot be analysed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnapshotError {
    TooManyPairs {
        pairs: usize,
    },
    TooManyTags {
        tags: usize,
    },
    TooManyLabelers {
        labelers: usize,
    },
    TooManyLabels {
        rows: usize,
    },
    ColumnLength {
        column: String,
        expected: usize,
        actual: usize,
    },
    InfiniteScore {
        pair: usize,
    },
    /// A tag bit beyond `tag_names` in `column` at pair or label row `index`.
    UnknownTag {
        column: String,
        index: usize,
    },
    UnknownMetadataValue {
        column: String,
        pair: usize,
    },
    LabelPairOutOfRange {
        row: usize,
        pair: u32,
    },
    LabelLabelerOutOfRange {
        row: usize,
        labeler: u32,
    },
    DuplicateLabel {
        row: usize,
        pair: u32,
        labeler: String,
    },
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SnapshotError as E;
        match self {
            E::TooManyPairs { pairs } => {
                write!(f, "{pairs} pairs is more than the {MAX_PAIRS} supported")
            }
            E::TooManyTags { tags } => {
                write!(f, "{tags} tags is more than the {MAX_TAGS} supported")
            }
            E::TooManyLabelers { labelers } => {
                write!(f, "{labelers} labelers is more than supported")
            }
            E::TooManyLabels { rows } => {
                write!(f, "{rows} label rows is more than the {} supported", u32::MAX)
            }
            E::ColumnLength { column, expected, actual } => {
                write!(f, "column {column} has {actual} entries, expected {expected} (one per pair or label row)")
            }
            E::InfiniteScore { pair } => {
                write!(f, "pair {pair} has an infinite score; scores must be finite or NaN (not scored)")
            }
            E::UnknownTag { column, index } => {
                write!(f, "{column} at index {index} sets a tag bit beyond the declared tags")
            }
            E::UnknownMetadataValue { column, pair } => {
                write!(f, "metadata column {column:?} at pair {pair} has a code beyond its values")
            }
            E::LabelPairOutOfRange { row, pair } => {
                write!(f, "label row {row} refers to pair {pair}, which does not exist")
            }
            E::LabelLabelerOutOfRange { row, labeler } => {
                write!(f, "label row {row} refers to labeler {labeler}, which does not exist")
            }
            E::DuplicateLabel { row, pair, labeler } => {
                write!(f, "label row {row}: labeler {labeler:?} labeled pair {pair} more than once")
            }
        }
    }
}

impl std::error::Error for SnapshotError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Snapshot {
        let mut s = Snapshot::with_pairs(3, vec!["dark".into()], vec!["ann".into(), "bob".into()]);
        s.score = vec![0.1, 0.9, f64::NAN];
        s.labels.push(0, 0, Some(Truth::Same), 1);
        s.labels.push(0, 1, None, 0);
        s
    }

    #[test]
    fn a_consistent_snapshot_is_valid() {
        assert_eq!(small().validate(), Ok(()));
    }

    #[test]
    fn names_the_short_column() {
        let mut s = small();
        s.truth.pop();
        let err = s.validate().unwrap_err();
        assert_eq!(err, SnapshotError::ColumnLength { column: "truth".into(), expected: 3, actual: 2 });
        assert!(err.to_string().contains("truth"));
    }

    #[test]
    fn rejects_infinite_scores_naming_the_pair() {
        let mut s = small();
        s.score[1] = f64::INFINITY;
        assert_eq!(s.validate(), Err(SnapshotError::InfiniteScore { pair: 1 }));
    }

    #[test]
    fn rejects_unknown_tags_labelers_pairs_and_duplicates() {
        let mut s = small();
        s.labels.tags[1] = 0b10;
        assert!(matches!(s.validate(), Err(SnapshotError::UnknownTag { index: 1, .. })));

        let mut s = small();
        s.labels.push(5, 0, None, 0);
        assert!(matches!(s.validate(), Err(SnapshotError::LabelPairOutOfRange { row: 2, pair: 5 })));

        let mut s = small();
        s.labels.push(1, 2, None, 0);
        assert!(matches!(s.validate(), Err(SnapshotError::LabelLabelerOutOfRange { row: 2, labeler: 2 })));

        let mut s = small();
        s.labels.push(0, 1, Some(Truth::Same), 0);
        let err = s.validate().unwrap_err();
        assert!(err.to_string().contains("\"bob\""), "{err}");
    }

    #[test]
    fn rejects_bad_metadata_codes() {
        let mut s = small();
        s.metadata.push(MetadataColumn {
            name: "camera".into(),
            values: vec!["a".into()],
            codes: vec![Some(0), Some(1), None],
        });
        assert_eq!(s.validate(), Err(SnapshotError::UnknownMetadataValue { column: "camera".into(), pair: 1 }));
    }

    #[test]
    fn tag_helpers() {
        assert_eq!(tag_mask(0), 0);
        assert_eq!(tag_mask(3), 0b111);
        assert_eq!(tag_mask(64), u64::MAX);
        assert_eq!(tag_indices(0b1010_0001).collect::<Vec<_>>(), vec![0, 5, 7]);
        assert_eq!(tag_indices(1 << 63).collect::<Vec<_>>(), vec![63]);
    }

    #[test]
    fn split_serde_names() {
        assert_eq!(serde_json::to_string(&Split::TrainDev).unwrap(), "\"train-dev\"");
        assert_eq!(serde_json::to_string(&Truth::Different).unwrap(), "\"different\"");
        for s in SPLITS {
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.name()));
        }
    }
}
