//! What other writers changed since the app last read the project, read cheaply: the audit log
//! says which (pair, labeler) labels were touched after a marker (an event id), and only
//! their current rows are read. The app applies them instead of reading a million pairs again.

use rusqlite::OptionalExtension;

use super::{Labeler, LabelerId, PairId, Result, Reveal, Tag, TagId, Tx};
use crate::domain::Truth;

/// The labels touched since a marker, as they are now.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LabelChanges {
    /// The newest event read: the marker for the next call.
    pub last_event: i64,
    /// The current verdict of each (pair, labeler) whose verdict changed (None: cleared).
    pub verdicts: Vec<(PairId, LabelerId, Option<Truth>)>,
    /// All current tags of each (pair, labeler) whose tags changed, in tag order: they replace
    /// that labeler's tags on the pair.
    pub tags: Vec<(PairId, LabelerId, Vec<TagId>)>,
    /// The current note of each (pair, labeler) whose note changed (None: removed).
    pub notes: Vec<(PairId, LabelerId, Option<String>)>,
    /// Answers revealed since the marker.
    pub reveals: Vec<(PairId, LabelerId, Reveal)>,
    /// Every labeler and tag now (few rows; a new labeler or tag may come with the labels).
    pub labelers: Vec<Labeler>,
    pub tag_list: Vec<Tag>,
    /// Something other than labels changed (truth, adjudications, tag definitions, roles):
    /// read the project again.
    pub read_all_again: bool,
}

impl LabelChanges {
    /// Nothing was logged since the marker.
    pub fn is_empty(&self) -> bool {
        self.verdicts.is_empty()
            && self.tags.is_empty()
            && self.notes.is_empty()
            && self.reveals.is_empty()
            && !self.read_all_again
    }
}

impl Tx<'_> {
    /// The newest audit event's id (0 for none): read it with the project, then ask
    /// [`Tx::label_changes_since`] with it when another writer committed.
    pub fn last_event_id(&self) -> Result<i64> {
        let table = if self.has_compact_audit()? { "audit_events" } else { "label_events" };
        Ok(self.conn().query_row(&format!("SELECT coalesce(max(id), 0) FROM {table}"), [], |r| r.get(0))?)
    }

    /// The labels changed by events after `marker`, as they are now. Writes that log no event
    /// (scores, splits, images) are not seen here: when `PRAGMA data_version` moved and this
    /// comes back empty, read the project again.
    pub fn label_changes_since(&self, marker: i64) -> Result<LabelChanges> {
        let c = self.conn();
        let mut changes = LabelChanges { last_event: marker, ..LabelChanges::default() };
        let mut touched: Vec<(String, Option<PairId>, Option<LabelerId>)> = Vec::new();
        let mut stmt = c.prepare_cached(
            "SELECT kind, pair_id, labeler_id, max(id) FROM label_events WHERE id > ?1
             GROUP BY kind, pair_id, labeler_id ORDER BY max(id)",
        )?;
        let mut rows = stmt.query([marker])?;
        while let Some(r) = rows.next()? {
            touched.push((r.get(0)?, r.get(1)?, r.get(2)?));
            changes.last_event = changes.last_event.max(r.get(3)?);
        }
        for (kind, pair, labeler) in touched {
            let (Some(pair), Some(labeler)) = (pair, labeler) else {
                changes.read_all_again = true;
                continue;
            };
            match kind.as_str() {
                "verdict" => changes.verdicts.push((pair, labeler, self.verdict(pair, labeler)?)),
                "tag" => changes.tags.push((pair, labeler, self.pair_tags_by(pair, labeler)?)),
                "note" => changes.notes.push((pair, labeler, self.note(pair, labeler)?)),
                "reveal" => {
                    if let Some(reveal) = self.reveal_of(pair, labeler)? {
                        changes.reveals.push((pair, labeler, reveal));
                    }
                }
                _ => changes.read_all_again = true,
            }
        }
        if !changes.is_empty() {
            changes.labelers = self.labelers()?;
            changes.tag_list = self.tags()?;
        }
        Ok(changes)
    }

    fn reveal_of(&self, pair: PairId, labeler: LabelerId) -> Result<Option<Reveal>> {
        let found: Option<(String, String, bool)> = self
            .conn()
            .prepare_cached("SELECT at, how, before_tagging FROM reveals WHERE pair_id = ?1 AND labeler_id = ?2")?
            .query_row(rusqlite::params![pair, labeler], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        Ok(found.and_then(|(at, how, before_tagging)| {
            super::RevealHow::parse(&how).map(|how| Reveal { at, how, before_tagging })
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_util::test_pair;
    use crate::store::{Origin, RevealHow, Store, StoreError};

    #[test]
    fn changes_since_a_marker_are_the_labels_another_writer_touched_as_they_are_now() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.pairscope");
        let mut mine = Store::create(&path).unwrap();
        let (p1, p2, ana) = mine
            .write(|tx| {
                let p1 = test_pair(tx, "p1", "a.jpg", "b.jpg", Some(Truth::Same))?;
                let p2 = test_pair(tx, "p2", "c.jpg", "d.jpg", Some(Truth::Different))?;
                let (ana, _) = tx.labeler_or_create("ana")?;
                tx.set_verdict(p1, ana.id, Some(Truth::Same), Origin::Gui)?;
                Ok::<_, StoreError>((p1, p2, ana.id))
            })
            .unwrap();
        let marker = mine.read(|tx| tx.last_event_id()).unwrap();
        assert!(mine.read(|tx| tx.label_changes_since(marker)).unwrap().is_empty());

        let mut other = Store::open(&path).unwrap();
        let (ben, dark, glare) = other
            .write(|tx| {
                let (ben, _) = tx.labeler_or_create("ben")?;
                let dark = tx.find_tag("dark")?.unwrap().id;
                let glare =
                    tx.tag_or_create(&crate::store::NewTag { name: "glare", description: "", colour: "" })?.0.id;
                tx.set_verdict(p2, ben.id, Some(Truth::Same), Origin::Cli)?;
                tx.set_verdict(p2, ben.id, Some(Truth::Different), Origin::Cli)?;
                tx.set_pair_tag(p2, ben.id, dark, true, Origin::Cli)?;
                tx.set_pair_tag(p2, ben.id, glare, true, Origin::Cli)?;
                tx.set_verdict(p1, ana, None, Origin::Cli)?;
                tx.set_note(p1, ana, "twins?", Origin::Cli)?;
                tx.reveal(p2, ben.id, RevealHow::Key, Origin::Cli)?;
                Ok::<_, StoreError>((ben.id, dark, glare))
            })
            .unwrap();
        let changes = mine.read(|tx| tx.label_changes_since(marker)).unwrap();
        assert_eq!(changes.verdicts, [(p2, ben, Some(Truth::Different)), (p1, ana, None)]);
        assert_eq!(changes.tags, [(p2, ben, vec![dark, glare])]);
        assert_eq!(changes.notes, [(p1, ana, Some("twins?".to_owned()))]);
        assert_eq!(changes.reveals.len(), 1);
        assert_eq!(changes.reveals[0].2.how, RevealHow::Key);
        assert!(changes.labelers.iter().any(|l| l.name == "ben"));
        assert!(changes.tag_list.iter().any(|t| t.name == "glare"));
        assert!(!changes.read_all_again, "only labels changed");
        assert_eq!(changes.last_event, mine.read(|tx| tx.last_event_id()).unwrap());
        assert!(mine.read(|tx| tx.label_changes_since(changes.last_event)).unwrap().is_empty());

        // A corrected truth is not a label: the app reads the project again.
        other.write(|tx| tx.correct_truth(p1, ana, Some(Truth::Different), "twins", Origin::Cli)).unwrap();
        let changes = mine.read(|tx| tx.label_changes_since(changes.last_event)).unwrap();
        assert!(changes.read_all_again && changes.verdicts.is_empty());
    }
}
