//! Merging labels from another project of the same pairs (a labeler who worked offline on a
//! copy, or on their own import of the same images).
//!
//! Pairs are matched by the sha256 of their two images (in either order), or failing that by
//! the pair's own id. Labels are compared per *stream*: one labeler's verdict on one pair, or
//! one labeler's use of one tag on one pair. Each stream has a current state and a history in
//! the audit log; the histories decide, as in a version-control merge:
//! - same state on both sides: nothing to do;
//! - this project's history is a prefix of the other's (it was copied, then labeled on): the
//!   other's newer events are appended to this audit log with their own times, authors and
//!   origins, and the state follows them (a fast-forward);
//! - the other's history is a prefix of this one's: this project is newer; nothing to do;
//! - otherwise both changed: a conflict, reported, and this project's label is kept.
//!
//! Notes merge the same way, per labeler and pair. Adjudications merge per pair (see
//! `adjudications.rs`).
//!
//! Nothing is overwritten silently: every change is a copied event, every conflict is listed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

use serde::Serialize;
use serde_json::json;

mod adjudications;

use adjudications::{Theirs, merge_adjudications, read_decisions};

use super::CurateError;
use crate::domain::Truth;
use crate::store::{EventRow, LabelerId, NewTag, Origin, PairHashes, PairId, Role, Store, TagId, Tx};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Stream {
    Verdict,
    /// By lower-cased tag name.
    Tag(String),
    Note,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Verdict(Option<Truth>),
    Tag(bool),
    /// The note's text, interned in [`Texts`].
    Note(Option<u32>),
}

impl State {
    fn empty(stream: &Stream) -> State {
        match stream {
            Stream::Verdict => State::Verdict(None),
            Stream::Tag(_) => State::Tag(false),
            Stream::Note => State::Note(None),
        }
    }

    fn describe(&self, texts: &Texts) -> String {
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
struct Texts {
    list: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Texts {
    fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.list.len() as u32;
        self.list.push(text.to_owned());
        self.ids.insert(text.to_owned(), id);
        id
    }

    fn get(&self, id: u32) -> &str {
        &self.list[id as usize]
    }
}

#[derive(Clone, Debug)]
struct StreamEvent {
    row: EventRow,
    before: State,
    after: State,
    /// The tag's name as that project spells it.
    tag: Option<String>,
}

impl StreamEvent {
    fn same_event(&self, other: &StreamEvent) -> bool {
        self.row.at == other.row.at && self.before == other.before && self.after == other.after
    }
}

type Key = (PairId, String, Stream);

/// One project's labels as the merge sees them: states and histories per stream, keyed by
/// that project's pair id and the labeler's name.
#[derive(Default)]
struct Side {
    states: BTreeMap<Key, State>,
    events: HashMap<Key, Vec<StreamEvent>>,
    /// Streams whose history could not be read.
    unreadable: BTreeSet<Key>,
    /// Current labels given with the answer in view (not blind); a label that comes in brings
    /// its mark.
    not_blind: BTreeSet<Key>,
}

fn parse_verdict(text: &Option<String>) -> Option<Option<Truth>> {
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

fn parse_tag(text: &Option<String>) -> Option<(String, bool)> {
    let value: serde_json::Value = serde_json::from_str(text.as_deref()?).ok()?;
    Some((value.get("tag")?.as_str()?.to_owned(), value.get("applied")?.as_bool()?))
}

/// A note event's side: the text, or None for no note; None outside when unreadable.
fn parse_note(text: &Option<String>) -> Option<Option<String>> {
    match text {
        None => Some(None),
        Some(t) => serde_json::from_str::<Option<String>>(t).ok(),
    }
}

fn read_side(tx: &Tx, texts: &mut Texts) -> Result<Side, CurateError> {
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

/// A label this project kept because both projects changed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub pair: String,
    pub labeler: String,
    /// "verdict" or "tag <name>".
    pub label: String,
    pub here: String,
    pub there: String,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pair {:?}, labeler {:?}: {} is {} here but {} there; both changed it, so this project's is kept",
            self.pair, self.labeler, self.label, self.here, self.there
        )
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MergeReport {
    /// Pairs of the other project that carry labels and were found here.
    pub pairs_matched: usize,
    /// Of those, matched by the pair id although the image contents differ.
    pub matched_by_id_only: Vec<String>,
    /// Pairs of the other project with labels that this project does not have.
    pub pairs_not_here: Vec<String>,
    /// Pairs that could not be matched unambiguously, with the reason.
    pub pairs_ambiguous: Vec<String>,
    pub verdicts_changed: usize,
    pub tags_applied: usize,
    pub tags_removed: usize,
    /// Notes written, changed or removed.
    pub notes_changed: usize,
    /// Adjudications that came in (new here, or newer there).
    pub adjudications_merged: usize,
    /// Pairs whose ground truth differs between the projects (never changed by a merge).
    pub truth_differs: Vec<String>,
    /// Streams already equal on both sides.
    pub already_equal: usize,
    /// Streams this project has newer labels for.
    pub newer_here: usize,
    /// Audit events copied from the other project.
    pub events_copied: usize,
    pub labelers_created: Vec<String>,
    pub tags_created: Vec<String>,
    pub conflicts: Vec<Conflict>,
}

impl MergeReport {
    pub fn summary(&self, max_listed: usize) -> String {
        let mut out = format!(
            "merged labels of {} pairs: {} verdicts changed, {} tags applied, {} tags removed, {} notes changed, \
             {} adjudications merged, {} audit events copied; {} already equal, {} newer here, {} conflicts",
            self.pairs_matched,
            self.verdicts_changed,
            self.tags_applied,
            self.tags_removed,
            self.notes_changed,
            self.adjudications_merged,
            self.events_copied,
            self.already_equal,
            self.newer_here,
            self.conflicts.len()
        );
        for name in &self.labelers_created {
            out += &format!("\ncreated labeler {name:?}");
        }
        for name in &self.tags_created {
            out += &format!("\ncreated tag {name:?}");
        }
        let mut list = |title: &str, items: Vec<String>| {
            if items.is_empty() {
                return;
            }
            out += &format!("\n{title} ({}):", items.len());
            for item in items.iter().take(max_listed) {
                out += &format!("\n  {item}");
            }
            if items.len() > max_listed {
                out += &format!("\n  … and {} more (--verbose lists them all)", items.len() - max_listed);
            }
        };
        list("conflicts, kept as they are here", self.conflicts.iter().map(ToString::to_string).collect());
        list("pairs not in this project, not merged", self.pairs_not_here.clone());
        list("pairs that match ambiguously, not merged", self.pairs_ambiguous.clone());
        list("pairs matched by id although their images differ", self.matched_by_id_only.clone());
        list("pairs whose ground truth differs", self.truth_differs.clone());
        out
    }
}

fn hash_key(a: &str, b: &str) -> (String, String) {
    if a <= b { (a.to_owned(), b.to_owned()) } else { (b.to_owned(), a.to_owned()) }
}

/// Matches the other project's labelled pairs to ours: by image content, else by pair id.
/// Returns their pair → (our pair, their pair's name); records the rest in the report.
fn match_pairs(
    ours: &[PairHashes],
    theirs: &[PairHashes],
    labelled: &BTreeSet<PairId>,
    report: &mut MergeReport,
) -> HashMap<PairId, (PairId, String)> {
    let mut by_hash: HashMap<(String, String), Vec<PairId>> = HashMap::new();
    let mut by_id: HashMap<&str, PairId> = HashMap::new();
    for p in ours {
        by_hash.entry(hash_key(&p.sha256_a, &p.sha256_b)).or_default().push(p.id);
        if let Some(id) = &p.external_id {
            by_id.insert(id, p.id);
        }
    }
    let mut matched = HashMap::new();
    for p in theirs.iter().filter(|p| labelled.contains(&p.id)) {
        let name = p.external_id.clone().unwrap_or_else(|| format!("#{}", p.id));
        let hashed = by_hash.get(&hash_key(&p.sha256_a, &p.sha256_b)).map(Vec::as_slice);
        let named = p.external_id.as_deref().and_then(|id| by_id.get(id)).copied();
        let ours_id = match (hashed, named) {
            (Some([one]), Some(n)) if *one != n => {
                report
                    .pairs_ambiguous
                    .push(format!("{name}: its images are pair #{one} here, but its id names pair #{n} here"));
                continue;
            }
            (Some([one]), _) => *one,
            (Some(many), Some(n)) if many.contains(&n) => n,
            (Some(many), _) if many.len() > 1 => {
                report.pairs_ambiguous.push(format!("{name}: its images form {} pairs here", many.len()));
                continue;
            }
            (_, Some(n)) => {
                report.matched_by_id_only.push(name.clone());
                n
            }
            _ => {
                report.pairs_not_here.push(name);
                continue;
            }
        };
        matched.insert(p.id, (ours_id, name));
    }
    matched
}

/// What to do with one stream whose states differ.
#[derive(Debug, PartialEq, Eq)]
enum Decision {
    /// Append the other's newer events and take its state.
    FastForward,
    /// Neither side has any history and this side has nothing: take the other's state,
    /// logged as a change made by the merge.
    Adopt,
    NewerHere,
    Conflict,
}

fn decide(here: State, there: State, o: &[StreamEvent], t: &[StreamEvent], empty: State) -> Decision {
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
enum Target {
    Verdict,
    Tag(TagId, String),
    Note,
}

impl Target {
    /// A state as the audit log spells it.
    fn event_json(&self, state: State, texts: &Texts) -> Option<String> {
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

/// Merges the labels of the project at `other` into `store`, in one transaction. `other` is
/// only read.
pub fn merge_labels(store: &mut Store, other: &Path) -> Result<MergeReport, CurateError> {
    merge(store, other, false)
}

/// What `merge_labels` would do (the same report), with nothing written.
pub fn preview_merge(store: &mut Store, other: &Path) -> Result<MergeReport, CurateError> {
    merge(store, other, true)
}

fn merge(store: &mut Store, other: &Path, dry_run: bool) -> Result<MergeReport, CurateError> {
    let same_file = match (store.path().canonicalize(), other.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same_file {
        return Err(CurateError::path(other, "is this project itself; there is nothing to merge"));
    }
    let mut theirs_store = Store::open_read_only(other)?;
    let mut texts = Texts::default();
    let (theirs, their_pairs, their_labelers, their_tags, their_decisions, their_reveals) =
        theirs_store.read(|tx| {
            let side = read_side(tx, &mut texts).map_err(|e| crate::store::StoreError::Invalid(e.to_string()))?;
            Ok((side, tx.pair_hashes()?, tx.labelers()?, tx.tags()?, read_decisions(tx)?, tx.reveals()?))
        })?;
    let file = other.file_name().map_or_else(|| other.display().to_string(), |n| n.to_string_lossy().into_owned());

    let body = |tx: &Tx| {
        let ours = read_side(tx, &mut texts)?;
        let mut report = MergeReport::default();
        let mut labelled: BTreeSet<PairId> = theirs.states.keys().map(|k| k.0).collect();
        labelled.extend(theirs.events.keys().map(|k| k.0));
        labelled.extend(their_decisions.labelled_pairs());
        let matched = match_pairs(&tx.pair_hashes()?, &their_pairs, &labelled, &mut report);
        report.pairs_matched = matched.len();

        let mut keys: BTreeSet<&Key> = theirs.states.keys().collect();
        keys.extend(theirs.events.keys());
        let mut labeler_ids: HashMap<String, LabelerId> = HashMap::new();
        let mut tag_ids: HashMap<String, (TagId, String)> = HashMap::new();
        for key in keys {
            let (their_pair, labeler, stream) = key;
            let Some((our_pair, pair_name)) = matched.get(their_pair) else { continue };
            let our_pair = *our_pair;
            let our_key = (our_pair, labeler.clone(), stream.clone());
            let empty = State::empty(stream);
            let here = ours.states.get(&our_key).copied().unwrap_or(empty);
            let there = theirs.states.get(key).copied().unwrap_or(empty);
            if here == there {
                report.already_equal += 1;
                continue;
            }
            let o = ours.events.get(&our_key).map_or(&[][..], Vec::as_slice);
            let t = theirs.events.get(key).map_or(&[][..], Vec::as_slice);
            let unreadable = ours.unreadable.contains(&our_key) || theirs.unreadable.contains(key);
            let decision = if unreadable { Decision::Conflict } else { decide(here, there, o, t, empty) };
            match decision {
                Decision::NewerHere => {
                    report.newer_here += 1;
                    continue;
                }
                Decision::Conflict => {
                    let label = match stream {
                        Stream::Verdict => "verdict".to_owned(),
                        Stream::Note => "note".to_owned(),
                        Stream::Tag(lower) => {
                            format!("tag {:?}", t.iter().find_map(|e| e.tag.clone()).unwrap_or(lower.clone()))
                        }
                    };
                    report.conflicts.push(Conflict {
                        pair: pair_name.clone(),
                        labeler: labeler.clone(),
                        label,
                        here: here.describe(&texts),
                        there: there.describe(&texts),
                    });
                    continue;
                }
                Decision::FastForward | Decision::Adopt => {}
            }

            // A change comes in: make sure its labeler and tag exist here.
            if !labeler_ids.contains_key(labeler) {
                let author = their_labelers.iter().find(|l| l.name == *labeler);
                let (role, simulated) = author.map_or((Role::Labeler, false), |l| (l.role, l.simulated));
                let (l, created) = tx.labeler_like(labeler, role, simulated)?;
                if created {
                    report.labelers_created.push(l.name.clone());
                }
                labeler_ids.insert(labeler.clone(), l.id);
            }
            let our_labeler = labeler_ids[labeler];
            let blind = !theirs.not_blind.contains(key);
            let target = match stream {
                Stream::Verdict => Target::Verdict,
                Stream::Note => Target::Note,
                Stream::Tag(lower) => {
                    if !tag_ids.contains_key(lower) {
                        let def = their_tags.iter().find(|x| x.name.to_lowercase() == *lower);
                        let (tag, created) = tx.tag_or_create(&NewTag {
                            name: def.map_or(lower.as_str(), |d| d.name.as_str()),
                            description: def.map_or("", |d| d.description.as_str()),
                            colour: def.map_or("", |d| d.colour.as_str()),
                        })?;
                        if created {
                            report.tags_created.push(tag.name.clone());
                        }
                        tag_ids.insert(lower.clone(), (tag.id, tag.name));
                    }
                    let (id, name) = tag_ids[lower].clone();
                    Target::Tag(id, name)
                }
            };
            if decision == Decision::Adopt {
                let origin = Origin::Merge(&file);
                match (&target, there) {
                    (Target::Tag(id, _), State::Tag(applied)) => {
                        tx.set_pair_tag_marked(our_pair, our_labeler, *id, applied, blind, origin)?;
                    }
                    (_, State::Verdict(v)) => {
                        tx.set_verdict_marked(our_pair, our_labeler, v, blind, origin)?;
                    }
                    (_, State::Note(text)) => {
                        tx.set_note(our_pair, our_labeler, text.map_or("", |id| texts.get(id)), origin)?;
                    }
                    (_, State::Tag(_)) => {}
                }
            } else {
                for event in &t[o.len()..] {
                    tx.append_event(&EventRow {
                        id: 0,
                        at: event.row.at.clone(),
                        labeler: Some(our_labeler),
                        pair: Some(our_pair),
                        kind: event.row.kind.clone(),
                        before: target.event_json(event.before, &texts),
                        after: target.event_json(event.after, &texts),
                        origin: format!("merge:{file}"),
                        reason: Some(format!("{} in {file}, event #{}", event.row.origin, event.row.id)),
                        blind: event.row.blind,
                    })?;
                    report.events_copied += 1;
                }
                match (&target, there) {
                    (Target::Tag(id, _), State::Tag(applied)) => {
                        tx.put_pair_tag_with_copied_history(our_pair, our_labeler, *id, applied, blind)?
                    }
                    (_, State::Verdict(v)) => tx.put_verdict_with_copied_history(our_pair, our_labeler, v, blind)?,
                    (_, State::Note(text)) => {
                        tx.put_note_with_copied_history(our_pair, our_labeler, text.map(|id| texts.get(id)))?
                    }
                    (_, State::Tag(_)) => {}
                }
            }
            match there {
                State::Verdict(_) => report.verdicts_changed += 1,
                State::Tag(true) => report.tags_applied += 1,
                State::Tag(false) => report.tags_removed += 1,
                State::Note(_) => report.notes_changed += 1,
            }
        }
        // Who saw the answer where: kept for labelers known here (the earlier reveal wins).
        for ((their_pair, their_labeler), reveal) in &their_reveals {
            let Some((our_pair, _)) = matched.get(their_pair) else { continue };
            let Some(name) = their_labelers.iter().find(|l| l.id == *their_labeler).map(|l| &l.name) else { continue };
            if let Some(ours) = tx.find_labeler(name)? {
                tx.put_reveal_with_copied_history(*our_pair, ours.id, reveal)?;
            }
        }
        let theirs = Theirs { decisions: &their_decisions, labelers: &their_labelers };
        merge_adjudications(tx, &theirs, &matched, &file, &mut report)?;
        Ok::<_, CurateError>(report)
    };
    if dry_run { store.dry_run(body) } else { store.write(body) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(at: &str, before: Option<Truth>, after: Option<Truth>) -> StreamEvent {
        StreamEvent {
            row: EventRow {
                id: 0,
                at: at.into(),
                labeler: None,
                pair: None,
                kind: "verdict".into(),
                before: None,
                after: None,
                origin: "gui".into(),
                reason: None,
                blind: None,
            },
            before: State::Verdict(before),
            after: State::Verdict(after),
            tag: None,
        }
    }

    #[test]
    fn histories_decide_between_fast_forward_newer_here_and_conflict() {
        use Truth::{Different as D, Same as S};
        let v = State::Verdict;
        let empty = v(None);
        let base = event("t0", None, Some(S));
        let base_only = vec![base.clone()];
        let changed_there = vec![base.clone(), event("t1", Some(S), Some(D))];
        let changed_here = vec![base.clone(), event("t2", Some(S), Some(D))];
        let cleared_there = vec![base, event("t3", Some(S), None)];
        assert_eq!(decide(v(Some(S)), v(Some(D)), &base_only, &changed_there, empty), Decision::FastForward);
        assert_eq!(decide(v(None), v(Some(S)), &[], &base_only, empty), Decision::FastForward);
        assert_eq!(decide(v(Some(D)), v(Some(S)), &changed_here, &base_only, empty), Decision::NewerHere);
        assert_eq!(decide(v(Some(D)), v(None), &changed_here, &cleared_there, empty), Decision::Conflict);
        assert_eq!(decide(v(None), v(Some(S)), &[], &[], empty), Decision::Adopt);
        assert_eq!(decide(v(Some(D)), v(Some(S)), &[], &[], empty), Decision::Conflict, "no history: never replaced");
        // A history that does not lead from this state to theirs is not a fast-forward.
        assert_eq!(decide(v(Some(D)), v(None), &[], &cleared_there, empty), Decision::Conflict);
    }
}
