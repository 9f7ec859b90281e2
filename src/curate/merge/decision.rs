//! What to do with one stream whose states differ, decided by the two histories, and how
//! its label is written here.

use serde_json::json;

use super::streams::{State, StreamEvent, Texts};
use crate::store::TagId;

/// What to do with one stream whose states differ.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Decision {
    /// Append the other's newer events and take its state.
    FastForward,
    /// Neither side has any history and this side has nothing: take the other's state,
    /// logged as a change made by the merge.
    Adopt,
    NewerHere,
    Conflict,
}

pub(super) fn decide(here: State, there: State, o: &[StreamEvent], t: &[StreamEvent], empty: State) -> Decision {
    let prefix =
        |a: &[StreamEvent], b: &[StreamEvent]| a.len() <= b.len() && a.iter().zip(b).all(|(x, y)| x.same_event(y));
    if prefix(o, t) && t.len() > o.len() && t[o.len()].before == here && t.last().map(|e| e.after) == Some(there) {
        Decision::FastForward
    } else if o.is_empty() && t.is_empty() && here == empty {
        Decision::Adopt
    } else if o.len() > t.len() && prefix(t, o) {
        Decision::NewerHere
    } else {
        Decision::Conflict
    }
}

/// What a stream's label is in this project: a verdict, one tag (id and name here), or a note.
pub(super) enum Target {
    Verdict,
    Tag(TagId, String),
    Note,
}

impl Target {
    /// A state as the audit log spells it.
    pub(super) fn event_json(&self, state: State, texts: &Texts) -> Option<String> {
        match (self, state) {
            (_, State::Verdict(v)) => v.map(|t| json!(t.as_str()).to_string()),
            (Target::Tag(id, name), State::Tag(applied)) => {
                Some(json!({ "tag_id": id, "tag": name, "applied": applied }).to_string())
            }
            (_, State::Note(text)) => text.map(|id| json!(texts.get(id)).to_string()),
            (_, State::Tag(_)) => None,
        }
    }
}
