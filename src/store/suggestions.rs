//! Rejected tag suggestions: a pair the user said is not `dark` (or `blurry`) is not
//! suggested for that tag again.

use std::collections::HashSet;

use super::{LabelerId, NOW, PairId, Result, Tx};

impl Tx<'_> {
    /// Records that `tag` must not be suggested for `pair` again. Rejecting twice keeps the first.
    pub fn reject_suggestion(&self, pair: PairId, tag: &str, labeler: Option<LabelerId>) -> Result<()> {
        self.conn().execute(
            &format!(
                "INSERT INTO rejected_suggestions (pair_id, tag, labeler_id, rejected_at) VALUES (?1, ?2, ?3, {NOW})
                 ON CONFLICT (pair_id, tag) DO NOTHING"
            ),
            rusqlite::params![pair, tag.trim().to_lowercase(), labeler],
        )?;
        Ok(())
    }

    /// Every rejected suggestion: (pair, tag name in lower case).
    pub fn rejected_suggestions(&self) -> Result<HashSet<(PairId, String)>> {
        let mut stmt = self.conn().prepare("SELECT pair_id, tag FROM rejected_suggestions")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::PairId;
    use crate::store::test_util::{temp_store, test_pair};

    #[test]
    fn a_rejection_is_kept_once_per_pair_and_tag() {
        let (_dir, mut store) = temp_store();
        let pair = store.write(|tx| test_pair(tx, "p1", "a.jpg", "b.jpg", None)).unwrap();
        store
            .write(|tx| {
                tx.reject_suggestion(pair, "Dark", None)?;
                tx.reject_suggestion(pair, "dark", None)?;
                tx.reject_suggestion(pair, "blurry", None)
            })
            .unwrap();
        let rejected = store.read(|tx| tx.rejected_suggestions()).unwrap();
        assert_eq!(rejected.len(), 2);
        assert!(rejected.contains(&(pair, "dark".to_string())));
        assert!(!rejected.contains(&(PairId(pair.0 + 1), "dark".to_string())));
    }
}
