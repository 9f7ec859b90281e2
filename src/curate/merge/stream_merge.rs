//! One label stream merged: the decision between the two histories, and what it writes here.

use std::collections::HashMap;

use super::decision::{Decision, Target, decide};
use super::streams::{Key, Side, State, Stream, Texts};
use super::{Conflict, MergeReport};
use crate::curate::CurateError;
use crate::store::{EventRow, Labeler, LabelerId, NewTag, Origin, PairId, Role, Tag, TagId, Tx};

/// What merging streams needs across pages: the other project's labelers and tags (to create
/// those new here), and those already found or created here.
pub(super) struct StreamMerger<'a> {
    pub(super) file: &'a str,
    pub(super) their_labelers: &'a [Labeler],
    pub(super) their_tags: &'a [Tag],
    labeler_ids: HashMap<String, LabelerId>,
    tag_ids: HashMap<String, (TagId, String)>,
}

impl<'a> StreamMerger<'a> {
    pub(super) fn new(file: &'a str, their_labelers: &'a [Labeler], their_tags: &'a [Tag]) -> Self {
        StreamMerger { file, their_labelers, their_tags, labeler_ids: HashMap::new(), tag_ids: HashMap::new() }
    }

    /// Merges the stream `key` of the other project (`theirs`) into pair `our_pair` here
    /// (`ours`: this project's labels on that pair as they were before the merge).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn merge(
        &mut self,
        tx: &Tx,
        key: &Key,
        (our_pair, pair_name): (PairId, &str),
        ours: &Side,
        theirs: &Side,
        texts: &Texts,
        report: &mut MergeReport,
    ) -> Result<(), CurateError> {
        let file = self.file;
        let (_, labeler, stream) = key;
        let our_key = (our_pair, labeler.clone(), stream.clone());
        let empty = State::empty(stream);
        let here = ours.states.get(&our_key).copied().unwrap_or(empty);
        let there = theirs.states.get(key).copied().unwrap_or(empty);
        if here == there {
            report.already_equal += 1;
            return Ok(());
        }
        let o = ours.events.get(&our_key).map_or(&[][..], Vec::as_slice);
        let t = theirs.events.get(key).map_or(&[][..], Vec::as_slice);
        let unreadable = ours.unreadable.contains(&our_key) || theirs.unreadable.contains(key);
        let decision = if unreadable { Decision::Conflict } else { decide(here, there, o, t, empty) };
        match decision {
            Decision::NewerHere => {
                report.newer_here += 1;
                return Ok(());
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
                    pair: pair_name.to_owned(),
                    labeler: labeler.clone(),
                    label,
                    here: here.describe(texts),
                    there: there.describe(texts),
                });
                return Ok(());
            }
            Decision::FastForward | Decision::Adopt => {}
        }

        // A change comes in: make sure its labeler and tag exist here.
        if !self.labeler_ids.contains_key(labeler) {
            let author = self.their_labelers.iter().find(|l| l.name == *labeler);
            let (role, simulated) = author.map_or((Role::Labeler, false), |l| (l.role, l.simulated));
            let (l, created) = tx.labeler_like(labeler, role, simulated)?;
            if created {
                report.labelers_created.push(l.name.clone());
            }
            self.labeler_ids.insert(labeler.clone(), l.id);
        }
        let our_labeler = self.labeler_ids[labeler];
        let blind = !theirs.not_blind.contains(key);
        let target = match stream {
            Stream::Verdict => Target::Verdict,
            Stream::Note => Target::Note,
            Stream::Tag(lower) => {
                if !self.tag_ids.contains_key(lower) {
                    let def = self.their_tags.iter().find(|x| x.name.to_lowercase() == *lower);
                    let (tag, created) = tx.tag_or_create(&NewTag {
                        name: def.map_or(lower.as_str(), |d| d.name.as_str()),
                        description: def.map_or("", |d| d.description.as_str()),
                        colour: def.map_or("", |d| d.colour.as_str()),
                    })?;
                    if created {
                        report.tags_created.push(tag.name.clone());
                    }
                    self.tag_ids.insert(lower.clone(), (tag.id, tag.name));
                }
                let (id, name) = self.tag_ids[lower].clone();
                Target::Tag(id, name)
            }
        };
        if decision == Decision::Adopt {
            let origin = Origin::Merge(file);
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
                    before: target.event_json(event.before, texts),
                    after: target.event_json(event.after, texts),
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
        Ok(())
    }
}
