use rusqlite::OptionalExtension;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use super::{ModelId, NOW, PairId, Result, StoreError, Tx};

/// Where a model's scores come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    /// The face model built into pairscope.
    Embedded,
    /// A user's own ONNX embedder.
    Onnx,
    /// Scores computed outside pairscope and imported from CSV.
    Imported,
}

impl ModelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ModelKind::Embedded => "embedded",
            ModelKind::Onnx => "onnx",
            ModelKind::Imported => "imported",
        }
    }
}

impl ToSql for ModelKind {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for ModelKind {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "embedded" => Ok(ModelKind::Embedded),
            "onnx" => Ok(ModelKind::Onnx),
            "imported" => Ok(ModelKind::Imported),
            other => Err(FromSqlError::Other(format!("unknown model kind {other:?}").into())),
        }
    }
}

/// What writing one score did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScoreChange {
    Added,
    Unchanged,
    Updated { before: f64 },
}

impl Tx<'_> {
    /// The model of this name, created if new. A name already used by another kind is an error.
    pub fn model_or_create(&self, name: &str, kind: ModelKind, sha256: Option<&str>) -> Result<(ModelId, bool)> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("a model needs a name".into()));
        }
        let found: Option<(ModelId, ModelKind)> = self
            .conn()
            .query_row("SELECT id, kind FROM models WHERE name = ?1", [name], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match found {
            Some((id, existing)) if existing == kind => Ok((id, false)),
            Some((_, existing)) => Err(StoreError::Invalid(format!(
                "model name {name:?} is already used by a model of kind {}; choose another name",
                existing.as_str()
            ))),
            None => {
                self.conn().execute(
                    &format!("INSERT INTO models (name, sha256, kind, added_at) VALUES (?1, ?2, ?3, {NOW})"),
                    rusqlite::params![name, sha256, kind],
                )?;
                Ok((ModelId(self.conn().last_insert_rowid()), true))
            }
        }
    }

    pub fn set_score(&self, pair: PairId, model: ModelId, score: f64) -> Result<ScoreChange> {
        let before: Option<f64> = self
            .conn()
            .prepare_cached("SELECT score FROM scores WHERE pair_id = ?1 AND model_id = ?2")?
            .query_row(rusqlite::params![pair, model], |r| r.get(0))
            .optional()?;
        let change = match before {
            None => ScoreChange::Added,
            Some(b) if b == score => return Ok(ScoreChange::Unchanged),
            Some(b) => ScoreChange::Updated { before: b },
        };
        self.conn()
            .prepare_cached(
                "INSERT INTO scores (pair_id, model_id, score) VALUES (?1, ?2, ?3)
                 ON CONFLICT (pair_id, model_id) DO UPDATE SET score = excluded.score",
            )?
            .execute(rusqlite::params![pair, model, score])?;
        Ok(change)
    }
}
