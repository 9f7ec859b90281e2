//! Writing a batch of label events into the hub: the log rows in one statement, then the
//! current labels they leave, through statements prepared once per batch.
//!
//! A round trip to the server costs more than the work it asks for, so a batch of 1,000
//! events is one INSERT for the log plus one prepared statement per label change, not the
//! four or five ad hoc queries per event of the first version (about 1,000 events/s on a
//! local server, bench `hub_sync`).

use std::collections::{HashMap, HashSet};

use postgres::{Statement, Transaction};

use super::events::{Change, change_of, event_uid};
use super::{HubError, Result};
use crate::store::{EventRow, LabelerId};

/// Events per INSERT: PostgreSQL takes arrays of any length, but a whole project's log in
/// one statement would hold it all in the server's memory at once.
const ROWS_PER_INSERT: usize = 5_000;

/// Inserts events into the hub's log under their uids (`<copy>:<id>`), in the order given,
/// skipping any it holds already; returns the events that were new, with whether the hub
/// applies each (`applied`, one per event; see `decisions`). The caller holds
/// [`super::sync::lock_the_log`], so the ids they get become visible in that order.
pub(super) fn insert_new_events<'e>(
    tx: &mut Transaction,
    copy_id: &str,
    events: &'e [EventRow],
    applied: &[bool],
    names: &HashMap<LabelerId, String>,
) -> Result<Vec<(&'e EventRow, bool)>> {
    assert_eq!(events.len(), applied.len(), "one flag per event");
    // `ORDER BY n` makes the rows, and so the ids the sequence gives them, follow the copy's order.
    let insert = tx.prepare(
        "INSERT INTO events (event_uid, at, labeler_id, pair_id, kind, before, after, origin, reason, blind, applied)
         SELECT u.uid, u.at, l.id, u.pair, u.kind, u.before, u.after, u.origin, u.reason, u.blind, u.applied
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::text[], $6::text[], $7::text[],
                     $8::text[], $9::text[], $10::bool[], $11::bool[])
              WITH ORDINALITY AS u(uid, at, labeler, pair, kind, before, after, origin, reason, blind, applied, n)
         LEFT JOIN labelers l ON l.name = u.labeler
         ORDER BY u.n
         ON CONFLICT (event_uid) DO NOTHING RETURNING event_uid",
    )?;
    let mut new = Vec::new();
    for (chunk, flags) in events.chunks(ROWS_PER_INSERT).zip(applied.chunks(ROWS_PER_INSERT)) {
        let uids: Vec<String> = chunk.iter().map(|e| event_uid(copy_id, e.id)).collect();
        let at: Vec<&str> = chunk.iter().map(|e| e.at.as_str()).collect();
        let labeler: Vec<Option<&str>> =
            chunk.iter().map(|e| e.labeler.and_then(|l| names.get(&l)).map(String::as_str)).collect();
        let pair: Vec<Option<i64>> = chunk.iter().map(|e| e.pair.map(|p| p.0)).collect();
        let kind: Vec<&str> = chunk.iter().map(|e| e.kind.as_str()).collect();
        let before: Vec<Option<&str>> = chunk.iter().map(|e| e.before.as_deref()).collect();
        let after: Vec<Option<&str>> = chunk.iter().map(|e| e.after.as_deref()).collect();
        let origin: Vec<&str> = chunk.iter().map(|e| e.origin.as_str()).collect();
        let reason: Vec<Option<&str>> = chunk.iter().map(|e| e.reason.as_deref()).collect();
        let blind: Vec<Option<bool>> = chunk.iter().map(|e| e.blind).collect();
        let inserted: HashSet<String> = tx
            .query(&insert, &[&uids, &at, &labeler, &pair, &kind, &before, &after, &origin, &reason, &blind, &flags])?
            .iter()
            .map(|r| r.get(0))
            .collect();
        new.extend(
            chunk
                .iter()
                .zip(&uids)
                .zip(flags)
                .filter(|((_, uid), _)| inserted.contains(*uid))
                .map(|((e, _), &f)| (e, f)),
        );
    }
    Ok(new)
}

/// Makes the hub's current labels what new events leave, one batch at a time. Row-level
/// security refuses a labeler's change to another's labels, whatever this code does.
pub(super) struct HubLabels {
    labeler_ids: HashMap<String, i64>,
    set_verdict: Statement,
    clear_verdict: Statement,
    add_tag: Statement,
    remove_tag: Statement,
    set_note: Statement,
    clear_note: Statement,
}

impl HubLabels {
    pub(super) fn prepare(tx: &mut Transaction) -> Result<Self> {
        let labeler_ids =
            tx.query("SELECT name, id FROM labelers", &[])?.iter().map(|r| (r.get(0), r.get(1))).collect();
        Ok(Self {
            labeler_ids,
            set_verdict: tx.prepare(
                "INSERT INTO verdicts (pair_id, labeler_id, verdict, blind) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (pair_id, labeler_id) DO UPDATE SET verdict = excluded.verdict, blind = excluded.blind,
                     updated_at = now()",
            )?,
            clear_verdict: tx.prepare("DELETE FROM verdicts WHERE pair_id = $1 AND labeler_id = $2")?,
            add_tag: tx.prepare(
                "INSERT INTO pair_tags (pair_id, labeler_id, tag_id, blind)
                 SELECT $1, $2, id, $4 FROM tags WHERE lower(name) = lower($3)
                 ON CONFLICT DO NOTHING",
            )?,
            remove_tag: tx.prepare(
                "DELETE FROM pair_tags WHERE pair_id = $1 AND labeler_id = $2
                     AND tag_id = (SELECT id FROM tags WHERE lower(name) = lower($3))",
            )?,
            set_note: tx.prepare(
                "INSERT INTO notes (pair_id, labeler_id, note) VALUES ($1, $2, $3)
                 ON CONFLICT (pair_id, labeler_id) DO UPDATE SET note = excluded.note, updated_at = now()",
            )?,
            clear_note: tx.prepare("DELETE FROM notes WHERE pair_id = $1 AND labeler_id = $2")?,
        })
    }

    /// The hub's id of the labeler named `name`.
    pub(super) fn labeler_id(&self, name: &str) -> Result<i64> {
        self.labeler_ids
            .get(name)
            .copied()
            .ok_or_else(|| HubError::Invalid(format!("the hub has no labeler {}", crate::quote::quote(name))))
    }

    pub(super) fn apply(
        &self,
        tx: &mut Transaction,
        event: &EventRow,
        names: &HashMap<LabelerId, String>,
    ) -> Result<()> {
        let (Some(pair), Some(labeler)) = (event.pair, event.labeler.and_then(|l| names.get(&l))) else {
            return Ok(());
        };
        let Some(change) = change_of(event) else { return Ok(()) };
        let labeler_id = self.labeler_id(labeler)?;
        let blind = event.blind.unwrap_or(true);
        let pair = pair.0;
        match change {
            Change::Verdict(Some(verdict)) => {
                tx.execute(&self.set_verdict, &[&pair, &labeler_id, &verdict.as_str(), &blind])?
            }
            Change::Verdict(None) => tx.execute(&self.clear_verdict, &[&pair, &labeler_id])?,
            Change::Tag(name, true) => {
                // A tag a copy made itself: the hub learns it with its first use.
                tx.execute("INSERT INTO tags (name) VALUES ($1) ON CONFLICT ((lower(name))) DO NOTHING", &[&name])?;
                tx.execute(&self.add_tag, &[&pair, &labeler_id, &name, &blind])?
            }
            Change::Tag(name, false) => tx.execute(&self.remove_tag, &[&pair, &labeler_id, &name])?,
            Change::Note(Some(note)) => tx.execute(&self.set_note, &[&pair, &labeler_id, &note])?,
            Change::Note(None) => tx.execute(&self.clear_note, &[&pair, &labeler_id])?,
        };
        Ok(())
    }
}
