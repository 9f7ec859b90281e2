//! `pairscope sync P`: sends this copy's new label events to the hub and brings the others'.
//!
//! Both directions go in batches, each one transaction on either side, so a kill or a lost
//! connection costs at most the batch in flight, and that batch is sent again: an event is
//! stored once per uid on the hub and once per uid in a copy, so sending or applying it twice
//! changes nothing.
//!
//! Reading the log "after id N" is only safe if ids become visible in order. PostgreSQL hands
//! out sequence values at insert, not at commit, so two writers could commit 11 before 10 and
//! a reader that saw 11 would never see 10. Every writer of the log therefore holds one
//! transaction-level advisory lock from its first insert to its commit ([`lock_the_log`]).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use postgres::Transaction;

use super::decisions;
use super::events::{Change, SYNCED_KINDS, change_of, made_by};
use super::hub_writes::{HubLabels, insert_new_events};
use super::tag_definitions::{self, TAG_DEF};
use super::{HubError, HubUrl, Result, connect, schema};
use crate::store::{EventRow, HubLink, LabelerId, PairId, Role, Store};

/// Events sent or brought per transaction.
const BATCH: usize = 1_000;

/// The advisory lock every writer of the hub's log holds until its commit.
const LOG_LOCK: i64 = 0x7061_6972_7363_6f70; // "pairscop"

/// What one sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Label events of this copy the hub got now.
    pub sent: usize,
    /// Events of other copies applied here now.
    pub brought: usize,
    /// Events this copy keeps to itself: roles, settings, hotkeys and tag merges, a labeler's
    /// edits of tag definitions, and, in a labeler's copy, other labelers' changes.
    pub kept_local: usize,
    /// Adjudications and truth corrections changed both here and on the hub since they last
    /// agreed, in words: not applied where they arrived, each side keeps its own.
    pub conflicts: Vec<String>,
}

pub(super) fn lock_the_log(tx: &mut Transaction) -> Result<()> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOG_LOCK])?;
    Ok(())
}

/// Inserts events into the hub's log under their uids (`<copy>:<id>`), skipping any it holds
/// already; returns how many are new. The caller holds [`lock_the_log`].
pub(super) fn insert_events(
    tx: &mut Transaction,
    copy_id: &str,
    events: &[EventRow],
    names: &HashMap<LabelerId, String>,
) -> Result<usize> {
    Ok(insert_new_events(tx, copy_id, events, &vec![true; events.len()], names)?.len())
}

/// The project's store, locked for one step of a sync at a time: the app's saves go on
/// between the steps, and never wait on the network.
pub(super) fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Sends this copy's new events, then brings the others', until both are up to date. The
/// store is locked only while it is read or written, never while the hub is asked.
pub fn sync(store: &Mutex<Store>) -> Result<SyncReport> {
    let link = lock(store)
        .read(|tx| tx.hub_link())?
        .ok_or_else(|| HubError::Invalid("this project is no copy of a hub: `share` it or `clone` one".into()))?;
    let url = HubUrl::parse(&link.url)?;
    let mut client = connect(&url)?;
    schema::check_current(&mut client, &url)?;
    let hub_uid: String = client.query_one("SELECT value FROM hub_meta WHERE key = 'hub_uid'", &[])?.get(0);
    if hub_uid != link.hub_uid {
        return Err(HubError::Invalid(format!(
            "the database at {url} is not the hub this project is a copy of (it was made again, or the URL names \
             another database)"
        )));
    }
    let mut report = SyncReport::default();
    send(&mut client, store, &link, &mut report)?;
    bring(&mut client, store, &link, &mut report)?;
    Ok(report)
}

/// Sends the local events after `link.pushed_up_to`, a batch per transaction; marks each batch
/// sent only once the hub committed it.
fn send(client: &mut postgres::Client, store: &Mutex<Store>, link: &HubLink, report: &mut SyncReport) -> Result<()> {
    let mut after = link.pushed_up_to;
    // The hub lets its owner and adjudicators change tag definitions; anyone may add a tag.
    let may_define = match &link.labeler {
        None => true,
        Some(name) => lock(store).read(|tx| tx.find_labeler(name))?.is_some_and(|l| l.role == Role::Adjudicator),
    };
    loop {
        // Read with the batch: a labeler made since the last batch has a name too.
        let (batch, names) = lock(store).read(|tx| {
            let names: HashMap<LabelerId, String> = tx.labelers()?.into_iter().map(|l| (l.id, l.name)).collect();
            Ok((tx.local_events_after(after, BATCH)?, names))
        })?;
        let Some(last) = batch.last().map(|e| e.id) else { return Ok(()) };
        let (to_send, kept): (Vec<EventRow>, Vec<EventRow>) = batch.into_iter().partition(|e| {
            let mine = link.labeler.is_none() || e.labeler.and_then(|l| names.get(&l)) == link.labeler.as_ref();
            (mine && SYNCED_KINDS.contains(&e.kind.as_str())) || tag_definitions::travels(e, may_define)
        });
        report.kept_local += kept.len();
        let mut tx = client.transaction()?;
        lock_the_log(&mut tx)?;
        if link.labeler.is_none() {
            // The owner's copy may bring labelers the hub does not know yet: each name once, not
            // once per event.
            let labelers: std::collections::BTreeSet<&String> =
                to_send.iter().filter_map(|e| e.labeler.and_then(|l| names.get(&l))).collect();
            for name in labelers {
                tx.execute("INSERT INTO labelers (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", &[name])?;
            }
        }
        // In log order, a tag definition between the labels around it: a tag renamed here is
        // renamed on the hub before the labels that use its new name, after those of the old.
        let (mut settled, mut conflicts, mut sent) = (Vec::new(), Vec::new(), 0);
        for run in to_send.split_inclusive(|e| e.kind == TAG_DEF) {
            let (labels, definition) = match run.split_last() {
                Some((last, labels)) if last.kind == TAG_DEF => (labels, Some(last)),
                _ => (run, None),
            };
            sent += send_labels(&mut tx, link, labels, &names, &mut settled, &mut conflicts)?;
            if let Some(event) = definition {
                sent += send_tag_definition(&mut tx, link, event, &names, &mut report.conflicts)?;
            }
        }
        report.sent += sent;
        if sent > 0 {
            tx.execute("SELECT pg_notify('pairscope_events', $1)", &[&link.copy_id])?;
        }
        tx.commit()?;
        lock(store).write(|tx| {
            for &(pair, kind) in &settled {
                tx.set_hub_conflict(pair, kind, false)?;
            }
            for c in &conflicts {
                tx.set_hub_conflict(c.pair, &c.kind, true)?;
            }
            tx.set_hub_pushed_up_to(last)
        })?;
        report.conflicts.extend(conflicts.into_iter().map(|c| c.words));
        after = last;
    }
}

/// Sends a run of label events (no tag definition among them): each new one goes into the
/// hub's log and, if it applies, into its tables. Adjudications and truth apply only if this
/// copy had seen the hub's latest (see `decisions`); `settled` gets the pairs whose decision
/// the hub took, `conflicts` those it did not. Returns how many events were new.
fn send_labels<'e>(
    tx: &mut Transaction,
    link: &HubLink,
    events: &'e [EventRow],
    names: &HashMap<LabelerId, String>,
    settled: &mut Vec<(PairId, &'e str)>,
    conflicts: &mut Vec<decisions::Conflict>,
) -> Result<usize> {
    if events.is_empty() {
        return Ok(0);
    }
    let (applied, found) = decisions::plan_on_hub(tx, events, &link.copy_id, link.pulled_up_to)?;
    conflicts.extend(found);
    let new = insert_new_events(tx, &link.copy_id, events, &applied, names)?;
    let labels = HubLabels::prepare(tx)?;
    for &(event, applies) in &new {
        match event.labeler.and_then(|l| names.get(&l)) {
            Some(name) if applies && decisions::DECISION_KINDS.contains(&event.kind.as_str()) => {
                decisions::apply_on_hub(tx, event, labels.labeler_id(name)?)?
            }
            _ => labels.apply(tx, event, names)?,
        }
    }
    // A decision the hub took settles an earlier conflict of that pair in this copy.
    settled.extend(
        new.iter()
            .filter(|(e, applies)| *applies && decisions::DECISION_KINDS.contains(&e.kind.as_str()))
            .filter_map(|(e, _)| Some((e.pair?, e.kind.as_str()))),
    );
    Ok(new.len())
}

/// Sends one tag-definition event, unless the hub has it: applied if [`tag_definitions`]'
/// rule lets it, else kept as history and its conflict told. Returns 1 if it was new.
fn send_tag_definition(
    tx: &mut Transaction,
    link: &HubLink,
    event: &EventRow,
    names: &HashMap<LabelerId, String>,
    conflicts: &mut Vec<String>,
) -> Result<usize> {
    let uid = super::events::event_uid(&link.copy_id, event.id);
    if tx.query_opt("SELECT 1 FROM events WHERE event_uid = $1", &[&uid])?.is_some() {
        return Ok(0);
    }
    let Some(change) = tag_definitions::change_of(event) else { return Ok(0) };
    let applies = match tag_definitions::apply_on_hub(tx, &change)? {
        Ok(()) => true,
        Err(words) => {
            conflicts.push(words);
            false
        }
    };
    Ok(insert_new_events(tx, &link.copy_id, std::slice::from_ref(event), &[applies], names)?.len())
}

/// An event as the hub's log holds it, with its labeler's name and role.
pub(super) struct HubEvent {
    pub id: i64,
    pub uid: String,
    pub labeler: Option<(String, Role)>,
    pub row: EventRow,
    /// Whether the hub applied it (false: a conflicting adjudication or truth, history only).
    pub applied: bool,
}

/// The hub's events after `after`, in order, at most `limit`.
pub(super) fn events_after(
    client: &mut impl postgres::GenericClient,
    after: i64,
    limit: usize,
) -> Result<Vec<HubEvent>> {
    let rows = client.query(
        "SELECT e.id, e.event_uid, e.at, l.name, l.role, e.pair_id, e.kind, e.before, e.after, e.origin, e.reason,
                e.blind, e.applied
         FROM events e LEFT JOIN labelers l ON l.id = e.labeler_id
         WHERE e.id > $1 ORDER BY e.id LIMIT $2",
        &[&after, &i64::try_from(limit).unwrap_or(i64::MAX)],
    )?;
    rows.iter()
        .map(|r| {
            let name: Option<String> = r.get(3);
            let role: Option<String> = r.get(4);
            let labeler = match (name, role) {
                (Some(name), Some(role)) => Some((name, role.parse().map_err(HubError::Invalid)?)),
                _ => None,
            };
            Ok(HubEvent {
                id: r.get(0),
                uid: r.get(1),
                labeler,
                row: EventRow {
                    id: r.get(0),
                    at: r.get(2),
                    labeler: None,
                    pair: r.get::<_, Option<i64>>(5).map(PairId),
                    kind: r.get(6),
                    before: r.get(7),
                    after: r.get(8),
                    origin: r.get(9),
                    reason: r.get(10),
                    blind: r.get(11),
                },
                applied: r.get(12),
            })
        })
        .collect()
}

/// Brings the hub's events after `link.pulled_up_to` that this copy lacks, applying each one's
/// change, a batch per local transaction; then tells the hub how far this copy has come.
fn bring(client: &mut postgres::Client, store: &Mutex<Store>, link: &HubLink, report: &mut SyncReport) -> Result<()> {
    let mut after = link.pulled_up_to;
    loop {
        let batch = events_after(client, after, BATCH)?;
        let Some(last) = batch.last().map(|e| e.id) else { break };
        let mut conflicts = Vec::new();
        report.brought += lock(store).write(|tx| {
            let mut applied = 0;
            for event in &batch {
                if made_by(&event.uid, &link.copy_id) || tx.has_hub_event(&event.uid)? {
                    continue;
                }
                if let Some(conflict) = apply_here(tx, event)? {
                    conflicts.push(conflict);
                }
                applied += 1;
            }
            tx.set_hub_pulled_up_to(last)?;
            Ok::<_, HubError>(applied)
        })?;
        report.conflicts.extend(conflicts);
        after = last;
    }
    client.execute(
        "UPDATE copies SET pulled_up_to = greatest(pulled_up_to, $1), synced_at = now() WHERE copy_id = $2",
        &[&after, &link.copy_id],
    )?;
    Ok(())
}

/// Appends a hub event to this copy's log (under this copy's id of its labeler) and returns it
/// as appended.
pub(super) fn record_here(tx: &crate::store::Tx, event: &HubEvent) -> Result<EventRow> {
    let labeler = match &event.labeler {
        Some((name, role)) => Some(tx.labeler_for_hub(name, *role)?),
        None => None,
    };
    let row = EventRow { labeler, ..event.row.clone() };
    tx.append_hub_event(&event.uid, &row)?;
    Ok(row)
}

/// Appends a hub event to this copy's log and makes the change it made (a decision the hub
/// did not apply, or one this copy keeps its own of, is history only). Returns a tag
/// definition this copy keeps its own of, in words.
fn apply_here(tx: &crate::store::Tx, event: &HubEvent) -> Result<Option<String>> {
    let row = record_here(tx, event)?;
    if !event.applied {
        return Ok(None);
    }
    if let Some(change) = tag_definitions::change_of(&row) {
        return tag_definitions::apply_here(tx, &change);
    }
    if let (Some(labeler), true) = (row.labeler, decisions::DECISION_KINDS.contains(&row.kind.as_str())) {
        decisions::apply_here(tx, &row, labeler)?;
        return Ok(None);
    }
    if let (Some(pair), Some(labeler), Some(change)) = (row.pair, row.labeler, change_of(&row)) {
        let blind = row.blind.unwrap_or(true);
        match change {
            Change::Verdict(verdict) => tx.put_verdict_with_copied_history(pair, labeler, verdict, blind)?,
            Change::Tag(name, applied) => {
                let tag = tx.tag_for_hub(&name)?;
                tx.put_pair_tag_with_copied_history(pair, labeler, tag, applied, blind)?
            }
            Change::Note(note) => tx.put_note_with_copied_history(pair, labeler, note.as_deref())?,
        }
    }
    Ok(None)
}

/// The changes of this copy the hub does not have yet ("offline: N changes waiting"); None
/// when the project is no copy of a hub.
pub fn waiting(store: &Mutex<Store>) -> Result<Option<i64>> {
    Ok(lock(store).read(|tx| {
        let Some(link) = tx.hub_link()? else { return Ok(None) };
        let mine = match &link.labeler {
            Some(name) => match tx.find_labeler(name)? {
                Some(labeler) => Some(labeler.id),
                None => return Ok(Some(0)),
            },
            None => None,
        };
        Ok(Some(tx.events_waiting(link.pushed_up_to, &SYNCED_KINDS, mine)?))
    })?)
}
