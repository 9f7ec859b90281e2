//! The export's two tables, pairs and labels, built once and written twice: as CSV (every
//! cell text, tags joined by `;`) and as Parquet (typed: scores as DOUBLE, `blind` as BOOLEAN,
//! tags as a LIST of strings). Both files hold the same rows in the same order.

use super::typed_parquet::{TypedColumn, parquet_bytes};
use crate::curate::CurateError;

/// One exported pair.
pub(super) struct PairOut {
    pub pair_id: String,
    pub image_a: String,
    pub image_b: String,
    pub truth: Option<String>,
    pub split: Option<String>,
    /// The consensus tags.
    pub tags: Vec<String>,
    pub score: Option<f64>,
    pub predicted: Option<String>,
    pub p_same: Option<f64>,
}

/// The pairs table: `score` and `p_same` when the export is scored, `predicted` when it also
/// has a threshold.
pub(super) struct PairsTable {
    pub scored: bool,
    pub with_threshold: bool,
    pub rows: Vec<PairOut>,
}

/// One labeler's labels of one pair.
pub(super) struct LabelOut {
    pub pair_id: String,
    pub labeler: String,
    pub verdict: Option<String>,
    pub tags: Vec<String>,
    /// Given without the answer in view (`import-labels` reads it back).
    pub blind: bool,
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn number(v: Option<f64>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

impl PairsTable {
    /// The header and one row per pair, as `pairs.csv` holds them.
    pub fn csv_rows(&self) -> Vec<Vec<String>> {
        let mut header: Vec<String> =
            ["pair_id", "image_a", "image_b", "truth", "split", "tags"].iter().map(|s| s.to_string()).collect();
        header.extend(self.optional_columns().into_iter().map(str::to_owned));
        let mut rows = vec![header];
        for p in &self.rows {
            let mut row = vec![p.pair_id.clone(), p.image_a.clone(), p.image_b.clone(), text(&p.truth), text(&p.split)];
            row.push(p.tags.join(";"));
            if self.scored {
                row.push(number(p.score));
            }
            if self.with_threshold {
                row.push(text(&p.predicted));
            }
            if self.scored {
                row.push(number(p.p_same));
            }
            rows.push(row);
        }
        rows
    }

    fn optional_columns(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.scored {
            names.push("score");
        }
        if self.with_threshold {
            names.push("predicted");
        }
        if self.scored {
            names.push("p_same");
        }
        names
    }

    /// `pairs.parquet`: the columns of `pairs.csv`, typed.
    pub fn parquet(&self) -> Result<Vec<u8>, CurateError> {
        let strings =
            |f: fn(&PairOut) -> &String| TypedColumn::Strings(self.rows.iter().map(|p| f(p).clone()).collect());
        let optional = |f: fn(&PairOut) -> &Option<String>| {
            TypedColumn::OptionalStrings(self.rows.iter().map(|p| f(p).clone()).collect())
        };
        let mut columns = vec![
            ("pair_id", strings(|p| &p.pair_id)),
            ("image_a", strings(|p| &p.image_a)),
            ("image_b", strings(|p| &p.image_b)),
            ("truth", optional(|p| &p.truth)),
            ("split", optional(|p| &p.split)),
            ("tags", TypedColumn::StringLists(self.rows.iter().map(|p| p.tags.clone()).collect())),
        ];
        if self.scored {
            columns.push(("score", TypedColumn::OptionalDoubles(self.rows.iter().map(|p| p.score).collect())));
        }
        if self.with_threshold {
            columns.push(("predicted", optional(|p| &p.predicted)));
        }
        if self.scored {
            columns.push(("p_same", TypedColumn::OptionalDoubles(self.rows.iter().map(|p| p.p_same).collect())));
        }
        parquet_bytes(&columns).map_err(CurateError::Invalid)
    }
}

const LABEL_COLUMNS: [&str; 5] = ["pair_id", "labeler", "verdict", "tags", "blind"];

/// The header and one row per label, as `labels.csv` holds them.
pub(super) fn labels_csv_rows(labels: &[LabelOut]) -> Vec<Vec<String>> {
    let mut rows = vec![LABEL_COLUMNS.map(str::to_owned).to_vec()];
    rows.extend(
        labels.iter().map(|l| {
            vec![l.pair_id.clone(), l.labeler.clone(), text(&l.verdict), l.tags.join(";"), l.blind.to_string()]
        }),
    );
    rows
}

/// `labels.parquet`: the columns of `labels.csv`, typed.
pub(super) fn labels_parquet(labels: &[LabelOut]) -> Result<Vec<u8>, CurateError> {
    let columns = [
        ("pair_id", TypedColumn::Strings(labels.iter().map(|l| l.pair_id.clone()).collect())),
        ("labeler", TypedColumn::Strings(labels.iter().map(|l| l.labeler.clone()).collect())),
        ("verdict", TypedColumn::OptionalStrings(labels.iter().map(|l| l.verdict.clone()).collect())),
        ("tags", TypedColumn::StringLists(labels.iter().map(|l| l.tags.clone()).collect())),
        ("blind", TypedColumn::Bools(labels.iter().map(|l| l.blind).collect())),
    ];
    parquet_bytes(&columns).map_err(CurateError::Invalid)
}
