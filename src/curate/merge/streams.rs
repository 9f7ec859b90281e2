//! One project's labels as the merge sees them: per stream (a labeler's verdict, use of one
//! tag, or note on one pair) its current state and its history from the audit log, read a
//! page of pairs at a time.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::domain::Truth;
use crate::store::{EventRow, LabelerId, NotBlindLabel, NoteRow, PairId, StoreError, TagRow, Tx, VerdictRow};

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

/// One project's label rows on some pairs, as stored: what a page of the merge reads.
#[derive(Clone, Default)]
pub(super) struct RawSide {
    verdicts: Vec<VerdictRow>,
    tags: Vec<TagRow>,
    not_blind: Vec<NotBlindLabel>,
    notes: Vec<NoteRow>,
    events: Vec<EventRow>,
}

impl RawSide {
    /// The label rows of these pairs, with the history of each stream, oldest first.
    pub(super) fn read(tx: &Tx, pairs: &[PairId]) -> Result<RawSide, StoreError> {
        if pairs.is_empty() {
            return Ok(RawSide::default());
        }
        Ok(RawSide {
            verdicts: tx.verdicts_of_pairs(pairs)?,
            tags: tx.pair_tags_of_pairs(pairs)?,
            not_blind: tx.not_blind_labels_of_pairs(pairs)?,
            notes: tx.notes_of_pairs(pairs)?,
            events: tx.label_events_of_pairs(&STREAM_KINDS, pairs)?,
        })
    }

    /// How many rows this holds.
    pub(super) fn rows(&self) -> usize {
        self.verdicts.len() + self.tags.len() + self.not_blind.len() + self.notes.len() + self.events.len()
    }

    /// A copy of the rows of these pairs.
    pub(super) fn of_pairs(&self, pairs: &BTreeSet<PairId>) -> RawSide {
        fn keep<T: Clone>(rows: &[T], pairs: &BTreeSet<PairId>, pair: impl Fn(&T) -> Option<PairId>) -> Vec<T> {
            rows.iter().filter(|r| pair(r).is_some_and(|p| pairs.contains(&p))).cloned().collect()
        }
        RawSide {
            verdicts: keep(&self.verdicts, pairs, |r| Some(r.pair)),
            tags: keep(&self.tags, pairs, |r| Some(r.pair)),
            not_blind: keep(&self.not_blind, pairs, |r| Some(r.pair)),
            notes: keep(&self.notes, pairs, |r| Some(r.pair)),
            events: keep(&self.events, pairs, |r| r.pair),
        }
    }

    /// Adds the rows of other pairs (a pair's rows come from one side or the other, never both,
    /// so each stream's history stays in order).
    pub(super) fn extend(&mut self, other: RawSide) {
        self.verdicts.extend(other.verdicts);
        self.tags.extend(other.tags);
        self.not_blind.extend(other.not_blind);
        self.notes.extend(other.notes);
        self.events.extend(other.events);
    }

    /// The rows as the merge compares them: states and histories per stream, by labeler name
    /// (`names`: the project's labelers, as they were before the merge wrote anything).
    pub(super) fn into_side(self, names: &HashMap<LabelerId, String>, texts: &mut Texts) -> Side {
        let mut side = Side::default();
        let name_of = |id: &LabelerId| names.get(id).cloned().unwrap_or_else(|| format!("#{id}"));
        for v in self.verdicts {
            side.states.insert((v.pair, name_of(&v.labeler), Stream::Verdict), State::Verdict(Some(v.verdict)));
        }
        for t in self.tags {
            side.states.insert((t.pair, name_of(&t.labeler), Stream::Tag(t.tag.to_lowercase())), State::Tag(true));
        }
        for label in self.not_blind {
            let stream = label.tag.map_or(Stream::Verdict, |t| Stream::Tag(t.to_lowercase()));
            side.not_blind.insert((label.pair, name_of(&label.labeler), stream));
        }
        for n in self.notes {
            side.states.insert((n.pair, name_of(&n.labeler), Stream::Note), State::Note(Some(texts.id(&n.note))));
        }
        for row in self.events {
            let (Some(pair), Some(labeler)) = (row.pair, row.labeler) else { continue };
            let Some(name) = names.get(&labeler).cloned() else { continue };
            match parse_event(&row) {
                Some(parsed) => {
                    let (stream, before, after, tag) = parsed.interned(texts);
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
        side
    }
}

/// The audit-log kinds of the label streams.
pub(super) const STREAM_KINDS: [&str; 3] = ["verdict", "tag", "note"];

/// A label event read: its stream and the states before and after, notes as their text.
pub(super) enum ParsedEvent {
    Verdict(Option<Truth>, Option<Truth>),
    Note(Option<String>, Option<String>),
    /// The tag's name as the project spells it, applied before, applied after.
    Tag(String, bool, bool),
}

impl ParsedEvent {
    fn interned(self, texts: &mut Texts) -> (Stream, State, State, Option<String>) {
        match self {
            ParsedEvent::Verdict(b, a) => (Stream::Verdict, State::Verdict(b), State::Verdict(a), None),
            ParsedEvent::Note(b, a) => {
                let mut state = |t: Option<String>| State::Note(t.map(|t| texts.id(&t)));
                (Stream::Note, state(b), state(a), None)
            }
            ParsedEvent::Tag(tag, b, a) => (Stream::Tag(tag.to_lowercase()), State::Tag(b), State::Tag(a), Some(tag)),
        }
    }
}

/// A verdict, note or tag event as the merge reads it; None when its before or after cannot be
/// read.
pub(super) fn parse_event(row: &EventRow) -> Option<ParsedEvent> {
    match row.kind.as_str() {
        "verdict" => parse_verdict(&row.before).zip(parse_verdict(&row.after)).map(|(b, a)| ParsedEvent::Verdict(b, a)),
        "note" => parse_note(&row.before).zip(parse_note(&row.after)).map(|(b, a)| ParsedEvent::Note(b, a)),
        _ => parse_tag(&row.before).zip(parse_tag(&row.after)).map(|((tag, b), (_, a))| ParsedEvent::Tag(tag, b, a)),
    }
}

/// The pairs of a project that carry a label stream: a current verdict, tag or note, or a
/// readable event of one by a known labeler. Read row by row, never all at once.
pub(super) fn pairs_with_streams(tx: &Tx, names: &HashMap<LabelerId, String>) -> Result<BTreeSet<PairId>, StoreError> {
    let mut pairs = BTreeSet::new();
    tx.each_pair_with_labels(|pair| {
        pairs.insert(pair);
    })?;
    tx.each_label_event(&STREAM_KINDS, |row| {
        if let (Some(pair), Some(labeler)) = (row.pair, row.labeler)
            && names.contains_key(&labeler)
            && parse_event(&row).is_some()
        {
            pairs.insert(pair);
        }
    })?;
    Ok(pairs)
}
