//! Merging adjudications. A pair has at most one adjudication, whoever made it, so they are
//! compared per pair (not per labeler as verdicts, tags and notes are):
//! - none here: the other's comes in, with its adjudicator, its time and its history;
//! - the same decision on both sides: nothing to do;
//! - this project's adjudication history is a prefix of the other's: the newer decision comes
//!   in with its events (a fast-forward); the other way round, this one is newer and stays;
//! - otherwise a conflict, reported, and this project's decision is kept.
//!
//! Ground truth is never changed by a merge: a pair whose truth differs (an adjudicator there
//! corrected it, say) is listed, to be corrected here by an adjudicator if they agree.

use std::collections::{BTreeMap, HashMap};

use super::{Conflict, MergeReport};
use crate::curate::CurateError;
use crate::domain::Truth;
use crate::store::{AdjudicationRow, EventRow, Labeler, LabelerId, PairId, Role, Tx};

/// One project's adjudications, their audit history and the truth of every pair.
pub(super) struct Decisions {
    rows: HashMap<PairId, AdjudicationRow>,
    events: HashMap<PairId, Vec<EventRow>>,
    truths: HashMap<PairId, Option<Truth>>,
}

impl Decisions {
    /// Pairs with an adjudication or its history.
    pub fn labelled_pairs(&self) -> impl Iterator<Item = PairId> + '_ {
        self.rows.keys().chain(self.events.keys()).copied()
    }
}

pub(super) fn read_decisions(tx: &Tx) -> Result<Decisions, crate::store::StoreError> {
    let rows = tx.all_adjudications()?.into_iter().map(|a| (a.pair, a)).collect();
    let mut events: HashMap<PairId, Vec<EventRow>> = HashMap::new();
    for row in tx.label_events_of(&["adjudication"])? {
        if let Some(pair) = row.pair {
            events.entry(pair).or_default().push(row);
        }
    }
    Ok(Decisions { rows, events, truths: tx.truths()?.into_iter().collect() })
}

fn describe(row: &AdjudicationRow, names: &HashMap<LabelerId, String>) -> String {
    let verdict = row.verdict.map_or("no verdict", Truth::as_str);
    let by = names.get(&row.adjudicator).map_or("?", String::as_str);
    let tags = if row.tags.is_empty() { String::new() } else { format!(" [{}]", row.tags.join(", ")) };
    format!("{verdict}{tags} by {by} ({:?})", row.reason)
}

fn truth_name(t: Option<Truth>) -> &'static str {
    t.map_or("unknown", Truth::as_str)
}

/// The other project's side, with its labelers (to create adjudicators that are new here).
pub(super) struct Theirs<'a> {
    pub decisions: &'a Decisions,
    pub labelers: &'a [Labeler],
}

/// Merges the adjudications of the matched pairs (their pair → our pair and its name).
pub(super) fn merge_adjudications(
    tx: &Tx,
    theirs: &Theirs,
    matched: &BTreeMap<PairId, (PairId, String)>,
    file: &str,
    report: &mut MergeReport,
) -> Result<(), CurateError> {
    let ours = read_decisions(tx)?;
    let our_names: HashMap<LabelerId, String> = tx.labelers()?.into_iter().map(|l| (l.id, l.name)).collect();
    let their_names: HashMap<LabelerId, String> = theirs.labelers.iter().map(|l| (l.id, l.name.clone())).collect();
    let mut sorted: Vec<(&PairId, &(PairId, String))> = matched.iter().collect();
    sorted.sort_by_key(|(_, (ours, _))| *ours);
    let mut labeler_ids: HashMap<LabelerId, LabelerId> = HashMap::new();
    for (their_pair, (our_pair, name)) in sorted {
        let (here_truth, there_truth) =
            (ours.truths.get(our_pair).copied().flatten(), theirs.decisions.truths.get(their_pair).copied().flatten());
        if here_truth != there_truth {
            report.truth_differs.push(format!(
                "{name}: {} here, {} there (not changed)",
                truth_name(here_truth),
                truth_name(there_truth)
            ));
        }
        let Some(there) = theirs.decisions.rows.get(their_pair) else { continue };
        let here = ours.rows.get(our_pair);
        let o = ours.events.get(our_pair).map_or(&[][..], Vec::as_slice);
        let t = theirs.decisions.events.get(their_pair).map_or(&[][..], Vec::as_slice);
        let same = |a: &EventRow, b: &EventRow| a.at == b.at && a.after == b.after;
        let prefix = |a: &[EventRow], b: &[EventRow]| a.len() <= b.len() && a.iter().zip(b).all(|(x, y)| same(x, y));
        let copy_from = match here {
            None => 0,
            Some(h) if h.same_decision(there) => {
                report.already_equal += 1;
                continue;
            }
            Some(_) if prefix(o, t) && t.len() > o.len() => o.len(),
            Some(_) if prefix(t, o) && o.len() > t.len() => {
                report.newer_here += 1;
                continue;
            }
            Some(h) => {
                report.conflicts.push(Conflict {
                    pair: name.clone(),
                    labeler: their_names.get(&there.adjudicator).cloned().unwrap_or_default(),
                    label: "adjudication".into(),
                    here: describe(h, &our_names),
                    there: describe(there, &their_names),
                });
                continue;
            }
        };
        let mut ours_of = |theirs_id: LabelerId| -> Result<LabelerId, CurateError> {
            if let Some(&id) = labeler_ids.get(&theirs_id) {
                return Ok(id);
            }
            let author = theirs.labelers.iter().find(|l| l.id == theirs_id);
            let name = author.map_or_else(|| format!("#{theirs_id}"), |l| l.name.clone());
            let (labeler, created) = tx.labeler_like(&name, Role::Adjudicator, author.is_some_and(|l| l.simulated))?;
            if created {
                report.labelers_created.push(labeler.name.clone());
            }
            labeler_ids.insert(theirs_id, labeler.id);
            Ok(labeler.id)
        };
        for event in &t[copy_from..] {
            let labeler = event.labeler.map(&mut ours_of).transpose()?;
            tx.append_event(&EventRow {
                id: 0,
                at: event.at.clone(),
                labeler,
                pair: Some(*our_pair),
                kind: event.kind.clone(),
                before: event.before.clone(),
                after: event.after.clone(),
                origin: format!("merge:{file}"),
                reason: Some(format!("{} in {file}, event #{}: {}", event.origin, event.id, there.reason)),
                blind: event.blind,
            })?;
            report.events_copied += 1;
        }
        let adjudicator = ours_of(there.adjudicator)?;
        tx.put_adjudication_with_copied_history(&AdjudicationRow { pair: *our_pair, adjudicator, ..there.clone() })?;
        report.adjudications_merged += 1;
    }
    Ok(())
}
