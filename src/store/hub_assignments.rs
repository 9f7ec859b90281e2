//! The pairs a team hub assigned to this copy's labeler (issue 16), kept here so that Review's
//! "My assignments" queue works offline. Each take replaces them: what the hub no longer
//! holds for this labeler (an expired lease it gave to someone else) leaves the queue.

use super::{LabelerId, PairId, Result, Tx};

impl Tx<'_> {
    /// Replaces the assignments with what the hub handed out now: (pair, lease end, RFC 3339).
    pub fn set_hub_assignments(&self, assigned: &[(PairId, String)]) -> Result<()> {
        self.conn().execute("DELETE FROM hub_assignments", [])?;
        let mut insert =
            self.conn().prepare_cached("INSERT INTO hub_assignments (pair_id, leased_until) VALUES (?1, ?2)")?;
        for (pair, until) in assigned {
            insert.execute(rusqlite::params![pair.0, until])?;
        }
        Ok(())
    }

    /// Every pair assigned as of the last take, labeled or not.
    pub fn hub_assigned_pairs(&self) -> Result<Vec<PairId>> {
        let mut stmt = self.conn().prepare_cached("SELECT pair_id FROM hub_assignments ORDER BY pair_id")?;
        let pairs = stmt.query_map([], |r| Ok(PairId(r.get(0)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(pairs)
    }

    /// The assigned pairs `labeler` has not labeled yet, in pair order: the queue.
    pub fn open_hub_assignments(&self, labeler: LabelerId) -> Result<Vec<PairId>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT a.pair_id FROM hub_assignments a
             WHERE NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.pair_id = a.pair_id AND v.labeler_id = ?1)
             ORDER BY a.pair_id",
        )?;
        let pairs = stmt.query_map([labeler.0], |r| Ok(PairId(r.get(0)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(pairs)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Truth;
    use crate::store::{ClonedImage, ClonedPair, ImageId, Origin, PairId, Store, StoreError};

    #[test]
    fn the_queue_holds_the_assigned_pairs_not_yet_labeled_and_a_take_replaces_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("p.pairscope")).unwrap();
        let until = "2026-12-01T10:00:00Z".to_owned();
        store
            .write(|tx| {
                for (id, path) in [(1, "a.jpg"), (2, "b.jpg"), (3, "c.jpg"), (4, "d.jpg")] {
                    let image =
                        ClonedImage { id: ImageId(id), path, sha256: path, bytes: 1, dimensions: None, identity: None };
                    tx.insert_cloned_image("/photos", &image)?;
                }
                let [a, b, c] = [PairId(10), PairId(11), PairId(12)];
                for (pair, other) in [(a, 2), (b, 3), (c, 4)] {
                    let row = ClonedPair {
                        id: pair,
                        external_id: None,
                        image_a: ImageId(1),
                        image_b: ImageId(other),
                        truth: None,
                        split: None,
                        metadata: "{}",
                    };
                    tx.insert_cloned_pair(&row, "hub")?;
                }
                let me = tx.labeler_or_create("ana")?.0.id;
                tx.set_hub_assignments(&[(a, until.clone()), (b, until.clone())])?;
                assert_eq!(tx.open_hub_assignments(me)?, vec![a, b]);
                tx.set_verdict(a, me, Some(Truth::Same), Origin::Gui)?;
                assert_eq!(tx.open_hub_assignments(me)?, vec![b], "a labeled pair leaves the queue");
                tx.set_hub_assignments(&[(c, until.clone())])?;
                assert_eq!(tx.open_hub_assignments(me)?, vec![c], "a take replaces the queue");
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }
}
