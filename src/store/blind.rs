//! Blind review (migration 0005): when a labeler saw the answer on a pair (`reveals`), which
//! labels were given without seeing it (`blind` on verdicts and pair_tags), and the project's
//! identity that seeds each labeler's queue order.

use std::collections::HashMap;

use rusqlite::OptionalExtension;
use serde_json::json;

use super::{LabelerId, NOW, Origin, PairId, Result, StoreError, TagId, Tx};

/// How the answer on a pair became visible to a labeler.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RevealHow {
    /// They left the pair after giving their verdict: labeling it was done.
    Left,
    /// They pressed the reveal key while still on the pair.
    Key,
    /// They looked at the pair with blind mode off.
    BlindOff,
    /// They gave their verdict before pairscope held the answer back until they left the
    /// pair (reveals recorded by migration 0005).
    Verdict,
}

impl RevealHow {
    pub fn as_str(self) -> &'static str {
        match self {
            RevealHow::Left => "left",
            RevealHow::Key => "key",
            RevealHow::BlindOff => "blind-off",
            RevealHow::Verdict => "verdict",
        }
    }

    pub(super) fn parse(text: &str) -> Option<RevealHow> {
        [RevealHow::Left, RevealHow::Key, RevealHow::BlindOff, RevealHow::Verdict]
            .into_iter()
            .find(|h| h.as_str() == text)
    }

    /// Whether the labeler could still label the pair with the answer in view.
    pub fn before_tagging(self) -> bool {
        self != RevealHow::Left
    }
}

/// A labeler saw the answer on a pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reveal {
    pub at: String,
    pub how: RevealHow,
    /// Revealed while the labeler could still tag: the pair stays marked so.
    pub before_tagging: bool,
}

/// A label given with the answer in view, by tag name (None: the verdict).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NotBlindLabel {
    pub pair: PairId,
    pub labeler: LabelerId,
    pub tag: Option<String>,
}

impl Tx<'_> {
    /// Whether this project has the blind marks of migration 0005 (a project opened read-only
    /// for a merge may be older).
    pub(super) fn has_blind_marks(&self) -> Result<bool> {
        // By the column, not the version number: migrations are numbered on several branches.
        let found: i64 = self.conn().query_row(
            "SELECT count(*) FROM pragma_table_info('label_events') WHERE name = 'blind'",
            [],
            |r| r.get(0),
        )?;
        Ok(found > 0)
    }

    /// The project's identity: the same for every copy of the file, wherever it lies.
    pub fn project_uid(&self) -> Result<String> {
        let uid: Option<String> = self
            .conn()
            .query_row("SELECT value FROM project_meta WHERE key = 'project_uid'", [], |r| r.get(0))
            .optional()?;
        uid.ok_or_else(|| StoreError::Invalid("the project has no project_uid (migration 0005)".into()))
    }

    /// Records that the answer on `pair` became visible to `labeler`, unless it already was,
    /// with a `reveal` event in the audit log. Returns whether this was the first time.
    pub fn reveal(&self, pair: PairId, labeler: LabelerId, how: RevealHow, origin: Origin) -> Result<bool> {
        let added = self.conn().execute(
            &format!(
                "INSERT INTO reveals (pair_id, labeler_id, at, how, before_tagging) VALUES (?1, ?2, {NOW}, ?3, ?4)
                 ON CONFLICT DO NOTHING"
            ),
            rusqlite::params![pair, labeler, how.as_str(), how.before_tagging()],
        )?;
        if added == 0 {
            return Ok(false);
        }
        let after = json!({ "how": how.as_str(), "before_tagging": how.before_tagging() });
        self.log_event(Some(labeler), Some(pair), "reveal", serde_json::Value::Null, after, origin, None)?;
        Ok(true)
    }

    /// Every reveal, by pair and labeler (none in a project older than migration 0005).
    pub fn reveals(&self) -> Result<HashMap<(PairId, LabelerId), Reveal>> {
        let mut out = HashMap::new();
        if !self.has_blind_marks()? {
            return Ok(out);
        }
        let mut stmt = self.conn().prepare("SELECT pair_id, labeler_id, at, how, before_tagging FROM reveals")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, PairId>(0)?, r.get::<_, LabelerId>(1)?, r.get(2)?, r.get::<_, String>(3)?, r.get(4)?))
        })?;
        for row in rows {
            let (pair, labeler, at, how, before_tagging) = row?;
            let how = RevealHow::parse(&how)
                .ok_or_else(|| StoreError::Invalid(format!("pair {pair}: unknown reveal {how:?}")))?;
            out.insert((pair, labeler), Reveal { at, how, before_tagging });
        }
        Ok(out)
    }

    /// Puts a reveal made in another project, WITHOUT logging it (a merge): kept when this
    /// project has none for the pair and labeler, else the earlier of the two.
    pub fn put_reveal_with_copied_history(&self, pair: PairId, labeler: LabelerId, reveal: &Reveal) -> Result<()> {
        self.conn().execute(
            "INSERT INTO reveals (pair_id, labeler_id, at, how, before_tagging) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (pair_id, labeler_id) DO UPDATE SET at = excluded.at, how = excluded.how,
             before_tagging = excluded.before_tagging WHERE excluded.at < reveals.at",
            rusqlite::params![pair, labeler, reveal.at, reveal.how.as_str(), reveal.before_tagging],
        )?;
        Ok(())
    }

    /// Every current label given with the answer in view, ordered.
    pub fn not_blind_labels(&self) -> Result<Vec<NotBlindLabel>> {
        if !self.has_blind_marks()? {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn().prepare(
            "SELECT pair_id, labeler_id, NULL FROM verdicts WHERE blind = 0
             UNION ALL
             SELECT pt.pair_id, pt.labeler_id, t.name FROM pair_tags pt JOIN tags t ON t.id = pt.tag_id
             WHERE pt.blind = 0",
        )?;
        let rows = stmt.query_map([], |r| Ok(NotBlindLabel { pair: r.get(0)?, labeler: r.get(1)?, tag: r.get(2)? }))?;
        let mut labels: Vec<NotBlindLabel> = rows.collect::<rusqlite::Result<_>>()?;
        labels.sort();
        Ok(labels)
    }

    /// Marks a current label (the verdict, or one tag) as blind or not, WITHOUT logging it: a
    /// merge brings the other project's mark with the label.
    pub fn put_blind_mark(&self, pair: PairId, labeler: LabelerId, tag: Option<TagId>, blind: bool) -> Result<()> {
        match tag {
            None => self.conn().execute(
                "UPDATE verdicts SET blind = ?3 WHERE pair_id = ?1 AND labeler_id = ?2",
                rusqlite::params![pair, labeler, blind],
            )?,
            Some(tag) => self.conn().execute(
                "UPDATE pair_tags SET blind = ?4 WHERE pair_id = ?1 AND labeler_id = ?2 AND tag_id = ?3",
                rusqlite::params![pair, labeler, tag, blind],
            )?,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Truth;
    use crate::store::test_util::{temp_store, test_pair};
    use crate::store::{Store, StoreError};

    fn pair_and_labeler(store: &mut Store) -> (PairId, LabelerId, TagId) {
        store
            .write(|tx| {
                let pair = test_pair(tx, "p1", "a.jpg", "b.jpg", Some(Truth::Same))?;
                let (labeler, _) = tx.labeler_or_create("alice")?;
                Ok::<_, StoreError>((pair, labeler.id, tx.find_tag("dark")?.unwrap().id))
            })
            .unwrap()
    }

    #[test]
    fn a_reveal_is_recorded_once_and_logged() {
        let (_d, mut store) = temp_store();
        let (pair, alice, _) = pair_and_labeler(&mut store);
        assert!(store.write(|tx| tx.reveal(pair, alice, RevealHow::Key, Origin::Gui)).unwrap());
        assert!(!store.write(|tx| tx.reveal(pair, alice, RevealHow::Left, Origin::Gui)).unwrap(), "the first stays");
        let reveals = store.read(|tx| tx.reveals()).unwrap();
        let reveal = &reveals[&(pair, alice)];
        assert_eq!((reveal.how, reveal.before_tagging), (RevealHow::Key, true));
        let events = store.read(|tx| tx.label_events(pair)).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, "reveal");
        assert_eq!(events[0].after.as_deref(), Some(r#"{"before_tagging":true,"how":"key"}"#));
        assert_eq!(events[0].blind, None, "a reveal is not a label");
    }

    #[test]
    fn labels_keep_their_blind_mark_in_the_table_the_log_and_the_snapshot() {
        let (_d, mut store) = temp_store();
        let (pair, alice, dark) = pair_and_labeler(&mut store);
        let blurry = store.read(|tx| tx.find_tag("blurry")).unwrap().unwrap().id;
        store
            .write(|tx| {
                tx.set_verdict_marked(pair, alice, Some(Truth::Same), true, Origin::Gui)?;
                tx.set_pair_tag_marked(pair, alice, blurry, true, true, Origin::Gui)?;
                tx.reveal(pair, alice, RevealHow::Key, Origin::Gui)?;
                tx.set_pair_tag_marked(pair, alice, dark, true, false, Origin::Gui)?;
                // A changed verdict takes the mark of the moment it changed.
                tx.set_verdict_marked(pair, alice, Some(Truth::Different), false, Origin::Gui)
            })
            .unwrap();
        let label = |tag: Option<&str>| NotBlindLabel { pair, labeler: alice, tag: tag.map(str::to_owned) };
        assert_eq!(store.read(|tx| tx.not_blind_labels()).unwrap(), [label(None), label(Some("dark"))]);
        let marks: Vec<(String, Option<bool>)> =
            store.read(|tx| tx.label_events(pair)).unwrap().into_iter().map(|e| (e.kind, e.blind)).collect();
        let expected = [("verdict", Some(true)), ("tag", Some(true)), ("reveal", None), ("tag", Some(false))];
        assert_eq!(marks[..4], expected.map(|(k, b)| (k.to_owned(), b)));
        assert_eq!(marks[4], ("verdict".to_owned(), Some(false)));

        let snap = store.read(|tx| tx.snapshot(None)).unwrap();
        assert_eq!(snap.not_blind_count(), 2, "the verdict and dark");
        let blind = snap.blind_labels_only();
        assert_eq!(blind.labels.len(), 1);
        assert_eq!(blind.labels.verdict[0], None, "the verdict was given with the answer in view");
        let blurry_bit = snap.tag_ids.iter().position(|&t| t == blurry).unwrap();
        assert_eq!(blind.labels.tags[0], 1 << blurry_bit, "only blurry was tagged blind");

        // A merge brings another project's mark with the label.
        store.write(|tx| tx.put_blind_mark(pair, alice, None, true)).unwrap();
        assert_eq!(store.read(|tx| tx.not_blind_labels()).unwrap(), [label(Some("dark"))]);
    }

    #[test]
    fn the_project_uid_survives_reopening_and_differs_between_projects() {
        let (dir, mut store) = temp_store();
        let uid = store.read(|tx| tx.project_uid()).unwrap();
        assert_eq!(uid.len(), 32);
        let path = store.path().to_owned();
        drop(store);
        let moved = dir.path().join("moved.pairscope");
        std::fs::rename(&path, &moved).unwrap();
        assert_eq!(Store::open(&moved).unwrap().read(|tx| tx.project_uid()).unwrap(), uid);
        let (_d2, mut other) = temp_store();
        assert_ne!(other.read(|tx| tx.project_uid()).unwrap(), uid);
    }
}
