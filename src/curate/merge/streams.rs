//! One project's labels as the merge sees them: per stream (a labeler's verdict, use of one
//! tag, or note on one pair) its current state and its history from the audit log.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::curate::CurateError;
use crate::domain::Truth;
use crate::store::{EventRow, LabelerId, PairId, Tx};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Stream {
    Verdict,
    /// By lower-cased tag name.
    Tag(String),
    Note,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum State {
    Verdict(Option<Truth>),
    Tag(bool),
    /// The note's text, interned in [`Texts`].
    Note(Option<u32>),
}

impl State {
    pub(super) fn empty(stream: &Stream) -> State {
        match stream {
            Stream::Verdict => State::Verdict(None),
            Stream::Tag(_) => State::Tag(false),
            Stream::Note => State::Note(None),
        }
    }

    pub(super) fn describe(&self, texts: &Texts) -> String {
        match self {
            State::Verdict(v) => v.map_or("no verdict".into(), |t| t.as_str().to_owned()),
            State::Tag(true) => "applied".into(),
            State::Tag(false) => "not applied".into(),
            State::Note(None) => "no note".into(),
            State::Note(Some(id)) => {
                let text = texts.get(*id);
                let short: String = text.chars().take(60).collect();
                if short.len() < text.len() { format!("{short:?}…") } else { format!("{short:?}") }
            }
        }
    }
}

/// Note texts of both projects, interned so that a state stays small and `Copy`.
#[derive(Default)]
pub(super) struct Texts {
    pub(super) list: Vec<String>,
    pub(super) ids: HashMap<String, u32>,
}

impl Texts {
    pub(super) fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.list.len() as u32;
        self.list.push(text.to_owned());
        self.ids.insert(text.to_owned(), id);
        id
    }

    pub(super) fn get(&self, id: u32) -> &str {
        &self.list[id as usize]
    }
}

#[derive(Clone, Debug)]
pub(super) struct StreamEvent {
    pub(super) row: EventRow,
    pub(super) before: State,
    pub(super) after: State,
    /// The tag's name as that project spells it.
    pub(super) tag: Option<String>,
}

impl StreamEvent {
    pub(super) fn same_event(&self, other: &StreamEvent) -> bool {
        self.row.at == other.row.at && self.before == other.before && self.after == other.after
    }
}

pub(super) type Key = (PairId, String, Stream);

/// One project's labels as the merge sees them: states and histories per stream, keyed by
/// that project's pair id and the labeler's name.
#[derive(Default)]
pub(super) struct Side {
    pub(super) states: BTreeMap<Key, State>,
    pub(super) events: HashMap<Key, Vec<StreamEvent>>,
    /// Streams whose history could not be read.
    pub(super) unreadable: BTreeSet<Key>,
    /// Current labels given with the answer in view (not blind); a label that comes in brings
    /// its mark.
    pub(super) not_blind: BTreeSet<Key>,
}

pub(super) fn parse_verdict(text: &Option<String>) -> Option<Option<Truth>> {
    match text {
        None => Some(None),
        Some(t) => match serde_json::from_str::<Option<String>>(t).ok()?.as_deref() {
            None => Some(None),
            Some("same") => Some(Some(Truth::Same)),
            Some("different") => Some(Some(Truth::Different)),
            Some(_) => None,
        },
    }
}

pub(super) fn parse_tag(text: &Option<String>) -> Option<(String, bool)> {
    let value: serde_json::Value = serde_json::from_str(text.as_deref()?).ok()?;
    Some((value.get("tag")?.as_str()?.to_owned(), value.get("applied")?.as_bool()?))
}

/// A note event's side: the text, or None for no note; None outside when unreadable.
pub(super) fn parse_note(text: &Option<String>) -> Option<Option<String>> {
    match text {
        None => Some(None),
        Some(t) => serde_json::from_str::<Option<String>>(t).ok(),
    }
}

pub(super) fn read_side(tx: &Tx, texts: &mut Texts) -> Result<Side, CurateError> {
    let names: HashMap<LabelerId, String> = tx.labelers()?.into_iter().map(|l| (l.id, l.name)).collect();
    let mut side = Side::default();
    let name_of = |id: &LabelerId| names.get(id).cloned().unwrap_or_else(|| format!("#{id}"));
    for v in tx.all_verdicts()? {
        side.states.insert((v.pair, name_of(&v.labeler), Stream::Verdict), State::Verdict(Some(v.verdict)));
    }
    for t in tx.all_pair_tags()? {
        side.states.insert((t.pair, name_of(&t.labeler), Stream::Tag(t.tag.to_lowercase())), State::Tag(true));
    }
    for label in tx.not_blind_labels()? {
        let stream = label.tag.map_or(Stream::Verdict, |t| Stream::Tag(t.to_lowercase()));
        side.not_blind.insert((label.pair, name_of(&label.labeler), stream));
    }
    for n in tx.all_notes()? {
        side.states.insert((n.pair, name_of(&n.labeler), Stream::Note), State::Note(Some(texts.id(&n.note))));
    }
    for row in tx.label_events_of(&["verdict", "tag", "note"])? {
        let (Some(pair), Some(labeler)) = (row.pair, row.labeler) else { continue };
        let Some(name) = names.get(&labeler).cloned() else { continue };
        let parsed = match row.kind.as_str() {
            "verdict" => parse_verdict(&row.before)
                .zip(parse_verdict(&row.after))
                .map(|(b, a)| (Stream::Verdict, State::Verdict(b), State::Verdict(a), None)),
            "note" => parse_note(&row.before).zip(parse_note(&row.after)).map(|(b, a)| {
                let mut state = |t: Option<String>| State::Note(t.map(|t| texts.id(&t)));
                (Stream::Note, state(b), state(a), None)
            }),
            _ => parse_tag(&row.before)
                .zip(parse_tag(&row.after))
                .map(|((tag, b), (_, a))| (Stream::Tag(tag.to_lowercase()), State::Tag(b), State::Tag(a), Some(tag))),
        };
        match parsed {
            Some((stream, before, after, tag)) => {
                side.events.entry((pair, name, stream)).or_default().push(StreamEvent { row, before, after, tag })
            }
            None => {
                // Which stream it belonged to is unknown for a tag; mark the verdict stream or
                // skip. Either way the merge must not fast-forward over a gap.
                match row.kind.as_str() {
                    "verdict" => side.unreadable.insert((pair, name, Stream::Verdict)),
                    "note" => side.unreadable.insert((pair, name, Stream::Note)),
                    _ => false,
                };
            }
        }
    }
    Ok(side)
}
