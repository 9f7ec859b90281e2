//! Adjudications and truth corrections across copies (issue 16). A labeler's verdicts, tags
//! and notes are theirs alone, but a pair has one adjudication and one truth whoever set them,
//! so two adjudicators may change the same pair in their own copies, each without seeing the
//! other's change. That is a conflict, as in `merge-labels`: reported, never silently
//! overwritten.
//!
//! - On the hub, a copy's change applies if the copy had seen the hub's latest change of that
//!   pair's adjudication (or truth) when it made its own: the hub's latest is one the copy had
//!   pulled, or the copy's own. Then it is a decision made knowing the other, and it stands.
//!   Otherwise the event is kept in the log as history, marked not applied, and the copy is told.
//! - The copy remembers the pair as in conflict and keeps its own decision: changes of it that
//!   arrive from the hub are recorded, not applied, until its adjudicator decides the pair again
//!   (now knowing the hub's) and the hub takes that decision.

use std::collections::HashMap;

use postgres::Transaction;

use super::Result;
use super::events::{made_by, truth_named};
use crate::domain::Truth;
use crate::store::{AdjudicationRow, EventRow, LabelerId, PairId, Tx};

/// The kinds of event this module rules on.
pub const DECISION_KINDS: [&str; 2] = ["adjudication", "truth"];

/// A pair's adjudication or truth, as compared between copies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecisionState {
    /// None: not adjudicated; else the verdict and the tags, lower-cased and sorted (tag names
    /// are one tag whatever their case).
    Adjudication(Option<(Option<Truth>, Vec<String>)>),
    Truth(Option<Truth>),
}

impl DecisionState {
    fn words(&self) -> String {
        let verdict = |v: &Option<Truth>| v.map_or("no verdict", |t| t.as_str()).to_owned();
        match self {
            DecisionState::Adjudication(None) => "no adjudication".into(),
            DecisionState::Adjudication(Some((v, tags))) if tags.is_empty() => verdict(v),
            DecisionState::Adjudication(Some((v, tags))) => format!("{} [{}]", verdict(v), tags.join(", ")),
            DecisionState::Truth(t) => format!("truth {}", verdict(t).replace("no verdict", "unknown")),
        }
    }
}

fn normalised(tags: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut tags: Vec<String> = tags.into_iter().map(|t| t.to_lowercase()).collect();
    tags.sort();
    tags.dedup();
    tags
}

/// An adjudication as the audit log writes it: JSON null, or `{"verdict", "tags", ...}`.
fn adjudication_from_json(value: &serde_json::Value) -> Option<DecisionState> {
    if value.is_null() {
        return Some(DecisionState::Adjudication(None));
    }
    let verdict = match value.get("verdict") {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(truth_named(v.as_str()?)?),
    };
    let tags = match value.get("tags") {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(t) => t.as_array()?.iter().map(|t| t.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>()?,
    };
    Some(DecisionState::Adjudication(Some((verdict, normalised(tags)))))
}

fn truth_from_json(value: &serde_json::Value) -> Option<DecisionState> {
    match value {
        serde_json::Value::Null => Some(DecisionState::Truth(None)),
        serde_json::Value::String(s) => truth_named(s).map(|t| DecisionState::Truth(Some(t))),
        _ => None,
    }
}

/// The state an adjudication or truth event started from and the one it leaves; None for other
/// kinds and for an event that cannot be read (it then travels as history only).
pub fn decision_of(event: &EventRow) -> Option<(DecisionState, DecisionState)> {
    let json = |text: &Option<String>| match text {
        Some(text) => serde_json::from_str::<serde_json::Value>(text).ok(),
        None => Some(serde_json::Value::Null),
    };
    let (before, after) = (json(&event.before)?, json(&event.after)?);
    let read = match event.kind.as_str() {
        "adjudication" => adjudication_from_json,
        "truth" => truth_from_json,
        _ => return None,
    };
    Some((read(&before)?, read(&after)?))
}

/// The tags of an adjudication event as written (their case kept), and its verdict.
fn adjudication_written(event: &EventRow) -> Option<(Option<Truth>, Vec<String>)> {
    let after: serde_json::Value = serde_json::from_str(event.after.as_deref()?).ok()?;
    let verdict = after.get("verdict").and_then(|v| v.as_str()).and_then(truth_named);
    let tags = after
        .get("tags")
        .and_then(|t| t.as_array())
        .map(|t| t.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    Some((verdict, tags))
}

fn reason_of(event: &EventRow) -> &str {
    event.reason.as_deref().filter(|r| !r.trim().is_empty()).unwrap_or("(no reason recorded)")
}

/// A decision of this copy the hub did not apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub pair: PairId,
    /// "adjudication" or "truth".
    pub kind: String,
    pub words: String,
}

/// A conflict, in words for the report.
pub fn conflict(pair: PairId, where_kept: &str, kept: &DecisionState, refused: &DecisionState) -> String {
    format!(
        "pair {}: {where_kept} keeps {}; the change to {} was made without seeing it and was not applied — settle it again",
        pair.0,
        kept.words(),
        refused.words()
    )
}

// --- on the hub ---

/// The hub's current state of the kind `like` is, for `pair`.
pub(super) fn state_on_hub(tx: &mut Transaction, pair: PairId, like: &DecisionState) -> Result<DecisionState> {
    Ok(match like {
        DecisionState::Adjudication(_) => {
            let row = tx.query_opt("SELECT verdict, tags::text FROM adjudications WHERE pair_id = $1", &[&pair.0])?;
            match row {
                None => DecisionState::Adjudication(None),
                Some(r) => {
                    let verdict = r.get::<_, Option<String>>(0).as_deref().and_then(truth_named);
                    let tags: Vec<String> = serde_json::from_str(&r.get::<_, String>(1)).unwrap_or_default();
                    DecisionState::Adjudication(Some((verdict, normalised(tags))))
                }
            }
        }
        DecisionState::Truth(_) => {
            let truth: Option<String> = tx.query_one("SELECT truth FROM pairs WHERE id = $1", &[&pair.0])?.get(0);
            DecisionState::Truth(truth.as_deref().and_then(truth_named))
        }
    })
}

/// Which of `events` (in order, from copy `copy_id`, which had pulled the hub's log up to
/// `pulled_up_to`) the hub applies: every label event; a decision only if the copy had seen
/// the hub's latest decision of that kind on that pair. Returns one flag per event and the
/// conflicts.
pub(super) fn plan_on_hub(
    tx: &mut Transaction,
    events: &[EventRow],
    copy_id: &str,
    pulled_up_to: i64,
) -> Result<(Vec<bool>, Vec<Conflict>)> {
    // Per (pair, kind): whether the copy knows the hub's latest decision, as the batch goes.
    let mut known: HashMap<(PairId, &str), bool> = HashMap::new();
    let (mut flags, mut conflicts) = (Vec::with_capacity(events.len()), Vec::new());
    for event in events {
        let (Some(pair), Some((_, after))) = (event.pair, decision_of(event)) else {
            flags.push(true);
            continue;
        };
        let key = (pair, event.kind.as_str());
        let knows = match known.get(&key) {
            Some(&knows) => knows,
            None => {
                let latest = tx.query_opt(
                    "SELECT id, event_uid FROM events WHERE pair_id = $1 AND kind = $2 AND applied
                     ORDER BY id DESC LIMIT 1",
                    &[&pair.0, &event.kind],
                )?;
                latest.is_none_or(|r| r.get::<_, i64>(0) <= pulled_up_to || made_by(&r.get::<_, String>(1), copy_id))
            }
        };
        if knows {
            known.insert(key, true);
        } else {
            let kept = state_on_hub(tx, pair, &after)?;
            conflicts.push(Conflict {
                pair,
                kind: event.kind.clone(),
                words: conflict(pair, "the hub", &kept, &after),
            });
        }
        flags.push(knows);
    }
    Ok((flags, conflicts))
}

/// Writes a decision event's change on the hub, in the name of its labeler (row-level security
/// lets only adjudicators, in their own name).
pub(super) fn apply_on_hub(tx: &mut Transaction, event: &EventRow, labeler_id: i64) -> Result<()> {
    let Some(pair) = event.pair else { return Ok(()) };
    let reason = reason_of(event);
    match event.kind.as_str() {
        "adjudication" => {
            let Some((verdict, tags)) = adjudication_written(event) else { return Ok(()) };
            let tags = serde_json::to_string(&tags).expect("strings serialise");
            tx.execute(
                "INSERT INTO adjudications (pair_id, labeler_id, verdict, tags, reason)
                 VALUES ($1, $2, $3, $4::text::jsonb, $5)
                 ON CONFLICT (pair_id) DO UPDATE SET labeler_id = excluded.labeler_id, verdict = excluded.verdict,
                     tags = excluded.tags, reason = excluded.reason, decided_at = now()",
                &[&pair.0, &labeler_id, &verdict.map(Truth::as_str), &tags, &reason],
            )?;
        }
        "truth" => {
            let Some((_, DecisionState::Truth(after))) = decision_of(event) else { return Ok(()) };
            let before: Option<String> = tx.query_one("SELECT truth FROM pairs WHERE id = $1", &[&pair.0])?.get(0);
            let after = after.map(Truth::as_str);
            tx.execute("UPDATE pairs SET truth = $1 WHERE id = $2", &[&after, &pair.0])?;
            tx.execute(
                "INSERT INTO truth_corrections (pair_id, labeler_id, before, after, reason) VALUES ($1, $2, $3, $4, $5)",
                &[&pair.0, &labeler_id, &before, &after, &reason],
            )?;
        }
        _ => {}
    }
    Ok(())
}

// --- in a copy ---

/// Makes a decision event brought from the hub (and applied there) this copy's state too,
/// unless this copy keeps its own decision of the pair after a conflict. The event is already
/// in this copy's log.
pub(super) fn apply_here(tx: &Tx, event: &EventRow, labeler: LabelerId) -> Result<()> {
    let (Some(pair), Some((_, after))) = (event.pair, decision_of(event)) else { return Ok(()) };
    if tx.in_hub_conflict(pair, &event.kind)? {
        return Ok(());
    }
    match after {
        DecisionState::Adjudication(_) => {
            let Some((verdict, tags)) = adjudication_written(event) else { return Ok(()) };
            tx.put_adjudication_with_copied_history(&AdjudicationRow {
                pair,
                adjudicator: labeler,
                verdict,
                tags,
                reason: reason_of(event).to_owned(),
                decided_at: event.at.clone(),
            })?;
        }
        DecisionState::Truth(truth) => tx.put_truth_with_copied_history(pair, truth)?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: &str, before: Option<&str>, after: Option<&str>) -> EventRow {
        EventRow {
            id: 1,
            at: "t".into(),
            labeler: None,
            pair: Some(PairId(4)),
            kind: kind.into(),
            before: before.map(Into::into),
            after: after.map(Into::into),
            origin: "gui".into(),
            reason: Some("checked".into()),
            blind: None,
        }
    }

    #[test]
    fn adjudication_and_truth_events_read_as_the_states_they_start_from_and_leave() {
        let adjudicated = event("adjudication", Some("null"), Some(r#"{"verdict":"same","tags":["Dark","blurry"]}"#));
        assert_eq!(
            decision_of(&adjudicated),
            Some((
                DecisionState::Adjudication(None),
                DecisionState::Adjudication(Some((Some(Truth::Same), vec!["blurry".into(), "dark".into()])))
            ))
        );
        let again = event(
            "adjudication",
            Some(r#"{"verdict":"same","tags":["blurry","DARK"],"reason":"x"}"#),
            Some(r#"{"verdict":null,"tags":[]}"#),
        );
        let (before, after) = decision_of(&again).unwrap();
        assert_eq!(before, decision_of(&adjudicated).unwrap().1, "tags compare case-blind and unordered");
        assert_eq!(after, DecisionState::Adjudication(Some((None, vec![]))));
        assert_eq!(
            decision_of(&event("truth", Some(r#""same""#), Some(r#""different""#))),
            Some((DecisionState::Truth(Some(Truth::Same)), DecisionState::Truth(Some(Truth::Different))))
        );
        assert_eq!(decision_of(&event("truth", None, Some("null"))).unwrap().1, DecisionState::Truth(None));
        assert_eq!(decision_of(&event("verdict", None, Some(r#""same""#))), None, "a label, not a decision");
        assert_eq!(decision_of(&event("truth", None, Some(r#""maybe""#))), None, "unreadable: history only");
    }

    #[test]
    fn a_conflict_says_which_pair_what_is_kept_and_what_was_not_applied() {
        let kept = DecisionState::Adjudication(Some((Some(Truth::Different), vec!["dark".into()])));
        let message = conflict(PairId(7), "the hub", &kept, &DecisionState::Truth(None));
        assert_eq!(
            message,
            "pair 7: the hub keeps different [dark]; the change to truth unknown was made without seeing it and was \
             not applied — settle it again"
        );
    }
}
