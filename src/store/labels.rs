//! Verdicts and per-labeler tags, each change mirrored into the append-only `label_events`.

use rusqlite::OptionalExtension;
use serde_json::json;

use super::{LabelerId, PairId, Result, TagId, Tx};
use crate::domain::Truth;

/// Through what a change came in; recorded with every event.
#[derive(Clone, Copy, Debug)]
pub enum Origin<'a> {
    Gui,
    /// The GUI's undo and redo: compensating events, marked so the log reads as what happened.
    GuiUndo,
    GuiRedo,
    Cli,
    Import(&'a str),
    Merge(&'a str),
}

impl Origin<'_> {
    fn label(&self) -> String {
        match self {
            Origin::Gui => "gui".into(),
            Origin::GuiUndo => "gui:undo".into(),
            Origin::GuiRedo => "gui:redo".into(),
            Origin::Cli => "cli".into(),
            Origin::Import(file) => format!("import:{file}"),
            Origin::Merge(file) => format!("merge:{file}"),
        }
    }
}

/// What a label write did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelChange {
    Unchanged,
    Changed,
}

/// An audit-log event to append; `at` None means now.
pub(super) struct NewEvent<'a> {
    pub at: Option<&'a str>,
    pub labeler: Option<LabelerId>,
    pub pair: Option<PairId>,
    pub kind: &'a str,
    /// JSON text, None for JSON null.
    pub before: Option<String>,
    pub after: Option<String>,
    pub origin: &'a str,
    pub reason: Option<&'a str>,
    /// On verdict and tag events: whether the label was given blind (see `blind.rs`).
    pub blind: Option<bool>,
}

impl Tx<'_> {
    pub fn verdict(&self, pair: PairId, labeler: LabelerId) -> Result<Option<Truth>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT verdict FROM verdicts WHERE pair_id = ?1 AND labeler_id = ?2")?
            .query_row(rusqlite::params![pair, labeler], |r| r.get(0))
            .optional()?)
    }

    /// Sets (or with None clears) a labeler's verdict on a pair, logging the change. The label
    /// counts as blind; see [`Tx::set_verdict_marked`].
    pub fn set_verdict(
        &self,
        pair: PairId,
        labeler: LabelerId,
        verdict: Option<Truth>,
        origin: Origin,
    ) -> Result<LabelChange> {
        self.set_verdict_marked(pair, labeler, verdict, true, origin)
    }

    /// [`Tx::set_verdict`], saying whether the labeler gave it blind: false when the truth or
    /// others' labels on the pair were visible to them (or blind mode was off).
    pub fn set_verdict_marked(
        &self,
        pair: PairId,
        labeler: LabelerId,
        verdict: Option<Truth>,
        blind: bool,
        origin: Origin,
    ) -> Result<LabelChange> {
        let before = self.verdict(pair, labeler)?;
        self.change_verdict(pair, labeler, before, verdict, blind, origin)
    }

    /// [`Tx::set_verdict_marked`] for a caller that already knows the verdict `before` (an
    /// import that looked it up, or a labeler it created in this transaction).
    pub(crate) fn change_verdict(
        &self,
        pair: PairId,
        labeler: LabelerId,
        before: Option<Truth>,
        verdict: Option<Truth>,
        blind: bool,
        origin: Origin,
    ) -> Result<LabelChange> {
        if before == verdict {
            return Ok(LabelChange::Unchanged);
        }
        self.put_verdict_with_copied_history(pair, labeler, verdict, blind)?;
        self.log_label_event(
            labeler,
            pair,
            "verdict",
            json!(before.map(Truth::as_str)),
            json!(verdict.map(Truth::as_str)),
            blind,
            origin,
        )?;
        Ok(LabelChange::Changed)
    }

    /// The tags this labeler applied to this pair.
    pub fn pair_tags_by(&self, pair: PairId, labeler: LabelerId) -> Result<Vec<TagId>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT tag_id FROM pair_tags WHERE pair_id = ?1 AND labeler_id = ?2 ORDER BY tag_id")?;
        let rows = stmt.query_map(rusqlite::params![pair, labeler], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Applies or removes one labeler's tag on a pair, logging the change. The label counts as
    /// blind; see [`Tx::set_pair_tag_marked`].
    pub fn set_pair_tag(
        &self,
        pair: PairId,
        labeler: LabelerId,
        tag: TagId,
        applied: bool,
        origin: Origin,
    ) -> Result<LabelChange> {
        self.set_pair_tag_marked(pair, labeler, tag, applied, true, origin)
    }

    /// [`Tx::set_pair_tag`], saying whether the labeler tagged blind.
    pub fn set_pair_tag_marked(
        &self,
        pair: PairId,
        labeler: LabelerId,
        tag: TagId,
        applied: bool,
        blind: bool,
        origin: Origin,
    ) -> Result<LabelChange> {
        let was: bool = self
            .conn()
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM pair_tags WHERE pair_id = ?1 AND labeler_id = ?2 AND tag_id = ?3)",
            )?
            .query_row(rusqlite::params![pair, labeler, tag], |r| r.get(0))?;
        self.change_pair_tag(pair, labeler, tag, was, applied, blind, origin)
    }

    /// [`Tx::set_pair_tag_marked`] for a caller that already knows whether the tag `was` applied.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn change_pair_tag(
        &self,
        pair: PairId,
        labeler: LabelerId,
        tag: TagId,
        was: bool,
        applied: bool,
        blind: bool,
        origin: Origin,
    ) -> Result<LabelChange> {
        if was == applied {
            return Ok(LabelChange::Unchanged);
        }
        self.put_pair_tag_with_copied_history(pair, labeler, tag, applied, blind)?;
        let name: String =
            self.conn().prepare_cached("SELECT name FROM tags WHERE id = ?1")?.query_row([tag], |r| r.get(0))?;
        self.log_label_event(
            labeler,
            pair,
            "tag",
            json!({ "tag_id": tag, "tag": name, "applied": was }),
            json!({ "tag_id": tag, "tag": name, "applied": applied }),
            blind,
            origin,
        )?;
        Ok(LabelChange::Changed)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn log_event(
        &self,
        labeler: Option<LabelerId>,
        pair: Option<PairId>,
        kind: &str,
        before: serde_json::Value,
        after: serde_json::Value,
        origin: Origin,
        reason: Option<&str>,
    ) -> Result<()> {
        let as_text = |v: serde_json::Value| (!v.is_null()).then(|| v.to_string());
        let event = NewEvent {
            at: None,
            labeler,
            pair,
            kind,
            before: as_text(before),
            after: as_text(after),
            origin: &origin.label(),
            reason,
            blind: None,
        };
        self.insert_event(&event)
    }

    /// A verdict or tag event, with whether the label was given blind.
    #[allow(clippy::too_many_arguments)]
    fn log_label_event(
        &self,
        labeler: LabelerId,
        pair: PairId,
        kind: &str,
        before: serde_json::Value,
        after: serde_json::Value,
        blind: bool,
        origin: Origin,
    ) -> Result<()> {
        let as_text = |v: serde_json::Value| (!v.is_null()).then(|| v.to_string());
        self.insert_event(&NewEvent {
            at: None,
            labeler: Some(labeler),
            pair: Some(pair),
            kind,
            before: as_text(before),
            after: as_text(after),
            origin: &origin.label(),
            reason: None,
            blind: Some(blind),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreError;
    use crate::store::test_util::{temp_store, test_pair};

    fn one_pair(store: &mut crate::store::Store) -> (PairId, LabelerId) {
        store
            .write(|tx| {
                let pair = test_pair(tx, "p1", "a.jpg", "b.jpg", Some(Truth::Same))?;
                let (labeler, _) = tx.labeler_or_create("alice")?;
                Ok::<_, StoreError>((pair, labeler.id))
            })
            .unwrap()
    }

    #[test]
    fn verdict_changes_are_logged_and_repeats_are_not() {
        let (_d, mut store) = temp_store();
        let (pair, alice) = one_pair(&mut store);
        let set = |store: &mut crate::store::Store, v| store.write(|tx| tx.set_verdict(pair, alice, v, Origin::Gui));
        assert_eq!(set(&mut store, Some(Truth::Same)).unwrap(), LabelChange::Changed);
        assert_eq!(set(&mut store, Some(Truth::Same)).unwrap(), LabelChange::Unchanged);
        assert_eq!(set(&mut store, Some(Truth::Different)).unwrap(), LabelChange::Changed);
        assert_eq!(store.read(|tx| tx.verdict(pair, alice)).unwrap(), Some(Truth::Different));
        assert_eq!(store.read(|tx| tx.event_count()).unwrap(), 2);
    }

    #[test]
    fn audit_log_cannot_be_rewritten() {
        let (_d, mut store) = temp_store();
        let (pair, alice) = one_pair(&mut store);
        store.write(|tx| tx.set_verdict(pair, alice, Some(Truth::Same), Origin::Gui)).unwrap();
        let update = store.conn.execute("UPDATE label_events SET after = NULL", []);
        assert!(update.unwrap_err().to_string().contains("append-only"));
        let delete = store.conn.execute("DELETE FROM label_events", []);
        assert!(delete.unwrap_err().to_string().contains("append-only"));
    }

    #[test]
    fn failed_action_rolls_back_entirely() {
        let (_d, mut store) = temp_store();
        let (pair, alice) = one_pair(&mut store);
        let result: Result<()> = store.write(|tx| {
            tx.set_verdict(pair, alice, Some(Truth::Same), Origin::Gui)?;
            Err(StoreError::Invalid("the action failed half way".into()))
        });
        assert!(result.is_err());
        assert_eq!(store.read(|tx| tx.verdict(pair, alice)).unwrap(), None);
        assert_eq!(store.read(|tx| tx.event_count()).unwrap(), 0);
    }

    #[test]
    fn tags_are_per_labeler() {
        let (_d, mut store) = temp_store();
        let (pair, alice) = one_pair(&mut store);
        let (bob, dark) = store
            .write(|tx| Ok::<_, StoreError>((tx.labeler_or_create("bob")?.0.id, tx.find_tag("dark")?.unwrap().id)))
            .unwrap();
        store.write(|tx| tx.set_pair_tag(pair, alice, dark, true, Origin::Gui)).unwrap();
        assert_eq!(store.read(|tx| tx.pair_tags_by(pair, alice)).unwrap(), vec![dark]);
        assert!(store.read(|tx| tx.pair_tags_by(pair, bob)).unwrap().is_empty());
        store.write(|tx| tx.set_pair_tag(pair, alice, dark, false, Origin::Gui)).unwrap();
        assert!(store.read(|tx| tx.pair_tags_by(pair, alice)).unwrap().is_empty());
        assert_eq!(store.read(|tx| tx.event_count()).unwrap(), 2);
    }
}
