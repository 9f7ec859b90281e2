use rusqlite::OptionalExtension;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use super::{ModelId, NOW, PairId, Result, StoreError, Tx};
use crate::quote::quote;

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
                "model name {} is already used by a model of kind {}; choose another name",
                quote(name),
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

/// A model with how many pairs it scored.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoredModel {
    pub id: ModelId,
    pub name: String,
    pub kind: ModelKind,
    pub sha256: Option<String>,
    pub scores: u64,
    /// Trained on this project's train split (imported scores marked so at import;
    /// never the built-in model). Without, the split diagnosis describes the data.
    pub trained_on_train: bool,
}

impl Tx<'_> {
    /// Every model, oldest first, with its score count.
    pub fn models(&self) -> Result<Vec<ScoredModel>> {
        let mut stmt = self.conn().prepare(
            "SELECT m.id, m.name, m.kind, m.sha256, (SELECT count(*) FROM scores s WHERE s.model_id = m.id),
                    coalesce(json_extract(m.spec, '$.trained_on_train'), 0) = 1
             FROM models m ORDER BY m.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ScoredModel {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: r.get(2)?,
                sha256: r.get(3)?,
                scores: r.get::<_, i64>(4)? as u64,
                trained_on_train: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records whether the imported model `name` was trained on this project's train split
    /// (kept in its `spec`, so no column is needed). Only imported models can say so.
    pub fn set_trained_on_train(&self, name: &str, trained: bool) -> Result<()> {
        let changed = self.conn().execute(
            "UPDATE models SET spec = json_set(spec, '$.trained_on_train', json(?2)) WHERE name = ?1 AND kind = 'imported'",
            rusqlite::params![name, if trained { "true" } else { "false" }],
        )?;
        if changed == 0 {
            return Err(StoreError::Invalid(format!("no imported model named {} in this project", quote(name))));
        }
        Ok(())
    }

    /// The model a report should use: the one named, else the only model with scores, else the
    /// built-in one. Several candidates and no name is an error that lists them.
    pub fn choose_model(&self, name: Option<&str>) -> Result<Option<ScoredModel>> {
        let models = self.models()?;
        if let Some(name) = name {
            return models.into_iter().find(|m| m.name == name).map(Some).ok_or_else(|| {
                StoreError::Invalid(format!("no model named {} in this project (see `pairscope info`)", quote(name)))
            });
        }
        let scored: Vec<ScoredModel> = models.into_iter().filter(|m| m.scores > 0).collect();
        match scored.len() {
            0 => Ok(None),
            1 => Ok(scored.into_iter().next()),
            _ => match scored.iter().position(|m| m.kind == ModelKind::Embedded) {
                Some(i) => Ok(Some(scored[i].clone())),
                None => Err(StoreError::Invalid(format!(
                    "several models have scores ({}); choose one with --model",
                    scored.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", ")
                ))),
            },
        }
    }
}
