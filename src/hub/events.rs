//! Changes as they travel between copies: audit events with a stable uid, read into the one
//! change each makes. Applying an event is writing its `after`: each labeler's verdicts, tags
//! and notes are theirs alone, so the last event of a stream is its state, on every copy.

use crate::domain::Truth;
use crate::store::EventRow;

/// The kinds of event a copy exchanges with the hub: a labeler's own labels, and an
/// adjudicator's decisions (see `decisions`).
pub const SYNCED_KINDS: [&str; 5] = ["verdict", "tag", "note", "adjudication", "truth"];

/// The uid under which local event `id` of copy `copy_id` travels.
pub fn event_uid(copy_id: &str, id: i64) -> String {
    format!("{copy_id}:{id}")
}

/// Whether `uid` is an event this copy made (and so has).
pub fn made_by(uid: &str, copy_id: &str) -> bool {
    uid.strip_prefix(copy_id).is_some_and(|rest| rest.starts_with(':'))
}

/// The change an event makes, read from its `after`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Verdict(Option<Truth>),
    /// The tag's name, applied or not.
    Tag(String, bool),
    Note(Option<String>),
}

/// The change of a verdict, tag or note event; None for other kinds, and for one whose
/// `after` cannot be read (an event of a later pairscope, say), which then travels as history
/// only.
pub fn change_of(event: &EventRow) -> Option<Change> {
    let after: serde_json::Value = match &event.after {
        Some(text) => serde_json::from_str(text).ok()?,
        None => serde_json::Value::Null,
    };
    match event.kind.as_str() {
        "verdict" => match &after {
            serde_json::Value::Null => Some(Change::Verdict(None)),
            serde_json::Value::String(s) => truth_named(s).map(|t| Change::Verdict(Some(t))),
            _ => None,
        },
        "tag" => {
            let name = after.get("tag")?.as_str()?.to_owned();
            let applied = after.get("applied")?.as_bool()?;
            Some(Change::Tag(name, applied))
        }
        "note" => match after {
            serde_json::Value::Null => Some(Change::Note(None)),
            serde_json::Value::String(s) => Some(Change::Note(Some(s))),
            _ => None,
        },
        _ => None,
    }
}

/// A truth as pairscope writes it ("same", "different"), and nothing else.
pub fn truth_named(text: &str) -> Option<Truth> {
    [Truth::Same, Truth::Different].into_iter().find(|t| t.as_str() == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: &str, after: Option<&str>) -> EventRow {
        EventRow {
            id: 1,
            at: "t".into(),
            labeler: None,
            pair: None,
            kind: kind.into(),
            before: None,
            after: after.map(Into::into),
            origin: "gui".into(),
            reason: None,
            blind: Some(true),
        }
    }

    #[test]
    fn each_label_event_reads_as_the_state_it_leaves() {
        assert_eq!(change_of(&event("verdict", Some("\"same\""))), Some(Change::Verdict(Some(Truth::Same))));
        assert_eq!(change_of(&event("verdict", None)), Some(Change::Verdict(None)));
        assert_eq!(
            change_of(&event("tag", Some(r#"{"tag_id":3,"tag":"Dark","applied":false}"#))),
            Some(Change::Tag("Dark".into(), false))
        );
        assert_eq!(change_of(&event("note", Some("\"look again\""))), Some(Change::Note(Some("look again".into()))));
        assert_eq!(change_of(&event("note", None)), Some(Change::Note(None)));
        for (kind, after) in
            [("verdict", "\"maybe\""), ("tag", "{\"tag\":\"x\"}"), ("note", "3"), ("truth", "\"same\"")]
        {
            assert_eq!(change_of(&event(kind, Some(after))), None, "{kind} {after}");
        }
    }

    #[test]
    fn a_copy_knows_its_own_events_by_uid() {
        assert_eq!(event_uid("c1", 7), "c1:7");
        assert!(made_by("c1:7", "c1"));
        assert!(!made_by("c12:7", "c1") && !made_by("c2:7", "c1"));
    }
}
