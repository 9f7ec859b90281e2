//! Saved evaluation runs: a model, a threshold and every metric at that moment (the
//! `runs` table of the first migration). The metrics are the analysis report as JSON.

use super::{ModelId, NOW, Result, Tx};

/// One saved run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRecord {
    pub id: i64,
    pub name: String,
    pub model: Option<String>,
    pub rule: String,
    /// None when the threshold was +∞ (nothing predicted `same`).
    pub threshold: Option<f64>,
    /// The report (`pairscope report --json`) at that threshold.
    pub metrics: serde_json::Value,
    pub created_at: String,
}

impl Tx<'_> {
    /// Stores a run; returns its id.
    pub fn save_run(
        &self,
        name: &str,
        model: Option<ModelId>,
        rule: &str,
        threshold: Option<f64>,
        metrics: &serde_json::Value,
    ) -> Result<i64> {
        self.conn().execute(
            &format!(
                "INSERT INTO runs (name, model_id, rule, threshold, metrics, created_at) VALUES (?1, ?2, ?3, ?4, ?5, {NOW})"
            ),
            rusqlite::params![name, model, rule, threshold, metrics.to_string()],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    /// Every saved run, oldest first.
    pub fn runs(&self) -> Result<Vec<RunRecord>> {
        let mut stmt = self.conn().prepare(
            "SELECT r.id, r.name, m.name, r.rule, r.threshold, r.metrics, r.created_at
             FROM runs r LEFT JOIN models m ON m.id = r.model_id ORDER BY r.id",
        )?;
        let rows = stmt.query_map([], |r| {
            let metrics: String = r.get(5)?;
            Ok(RunRecord {
                id: r.get(0)?,
                name: r.get(1)?,
                model: r.get(2)?,
                rule: r.get(3)?,
                threshold: r.get(4)?,
                metrics: serde_json::from_str(&metrics).unwrap_or(serde_json::Value::Null),
                created_at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::test_util::temp_store;

    #[test]
    fn a_saved_run_reads_back() {
        let (_dir, mut store) = temp_store();
        let metrics = serde_json::json!({"tags": [{"tag": "dark", "accuracy": 0.5}]});
        let id = store.write(|tx| tx.save_run("first", None, "eer", Some(0.25), &metrics)).unwrap();
        let runs = store.read(|tx| tx.runs()).unwrap();
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].id, id);
        assert_eq!(runs[0].name, "first");
        assert_eq!(runs[0].model, None);
        assert_eq!(runs[0].threshold, Some(0.25));
        assert_eq!(runs[0].metrics, metrics);
    }
}
