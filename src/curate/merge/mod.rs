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

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

mod adjudications;
mod decision;
mod matching;
mod report;
mod streams;

use adjudications::{Theirs, merge_adjudications, read_decisions};
use decision::{Decision, Target, decide};
use matching::match_pairs;
pub use report::{Conflict, MergeReport};
use streams::{Key, State, Stream, Texts, read_side};

use super::CurateError;
use crate::store::{EventRow, LabelerId, NewTag, Origin, PairId, Role, Store, TagId, Tx};

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
    use super::streams::StreamEvent;
    use super::*;
    use crate::domain::Truth;

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
