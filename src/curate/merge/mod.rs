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
//!
//! Streamed: the other project's labels are read a page of pairs at a time (with this
//! project's labels on the pairs they match), so memory follows the page, not the project;
//! the whole merge is still one transaction, all or nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

mod adjudications;
mod decision;
mod matching;
mod report;
mod stream_merge;
mod streams;

use adjudications::{Theirs, merge_adjudications, read_decisions};
use matching::OurPairs;
pub use report::{Conflict, MergeReport};
use stream_merge::StreamMerger;
use streams::{Key, RawSide, Texts, pairs_with_streams};

use super::CurateError;
use crate::store::{LabelerId, PairId, Store, StoreError, Tx};

/// How many of the other project's pairs one page of the merge reads, with this project's
/// labels on the pairs they match.
const PAGE_PAIRS: usize = 2_000;

/// Merges the labels of the project at `other` into `store`, in one transaction. `other` is
/// only read.
pub fn merge_labels(store: &mut Store, other: &Path) -> Result<MergeReport, CurateError> {
    merge(store, other, false, PAGE_PAIRS).map(|(report, _)| report)
}

/// What `merge_labels` would do (the same report), with nothing written.
pub fn preview_merge(store: &mut Store, other: &Path) -> Result<MergeReport, CurateError> {
    merge(store, other, true, PAGE_PAIRS).map(|(report, _)| report)
}

/// What the pages of a merge held at most: the bound on its memory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Pages {
    count: usize,
    /// The most pairs of the other project in one page.
    most_pairs: usize,
    /// The most label rows (of both projects) held at once.
    most_rows: usize,
}

/// A read of the other project that failed, said as before the merge was streamed.
fn theirs_unreadable(e: StoreError) -> StoreError {
    StoreError::Invalid(e.to_string())
}

fn merge(
    store: &mut Store,
    other: &Path,
    dry_run: bool,
    page_pairs: usize,
) -> Result<(MergeReport, Pages), CurateError> {
    let same_file = match (store.path().canonicalize(), other.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same_file {
        return Err(CurateError::path(other, "is this project itself; there is nothing to merge"));
    }
    let mut theirs_store = Store::open_read_only(other)?;
    let file = other.file_name().map_or_else(|| other.display().to_string(), |n| n.to_string_lossy().into_owned());
    // One read transaction on the other project spans the merge: every page sees it as it was.
    theirs_store.read(|their_tx| {
        let body = |tx: &Tx| merge_pages(tx, their_tx, &file, page_pairs);
        Ok(if dry_run { store.dry_run(body) } else { store.write(body) })
    })?
}

fn merge_pages(tx: &Tx, their_tx: &Tx, file: &str, page_pairs: usize) -> Result<(MergeReport, Pages), CurateError> {
    let their_labelers = their_tx.labelers()?;
    let their_tags = their_tx.tags()?;
    let their_decisions = read_decisions(their_tx)?;
    let their_names: HashMap<LabelerId, String> = their_labelers.iter().map(|l| (l.id, l.name.clone())).collect();
    // As they were before the merge wrote anything (every page compares with that state).
    let our_names: HashMap<LabelerId, String> = tx.labelers()?.into_iter().map(|l| (l.id, l.name)).collect();

    let mut report = MergeReport::default();
    let mut labelled = pairs_with_streams(their_tx, &their_names).map_err(theirs_unreadable)?;
    labelled.extend(their_decisions.labelled_pairs());
    let our_pairs = OurPairs::read(tx)?;
    let mut matched: BTreeMap<PairId, (PairId, String)> = BTreeMap::new();
    their_tx.each_pair_hashes(|p| {
        if labelled.contains(&p.id)
            && let Some(found) = our_pairs.find(&p, &mut report)
        {
            matched.insert(p.id, found);
        }
    })?;
    drop((labelled, our_pairs));
    report.pairs_matched = matched.len();

    // A pair here that several pairs there match is compared with each of them as it was
    // before the merge: its labels are read now, before any page writes.
    let mut targets: Vec<PairId> = matched.values().map(|(ours, _)| *ours).collect();
    targets.sort_unstable();
    let shared: BTreeSet<PairId> = targets.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
    drop(targets);
    let shared_rows = RawSide::read(tx, &shared.iter().copied().collect::<Vec<_>>())?;

    let their_pairs: Vec<PairId> = matched.keys().copied().collect();
    let mut pages = Pages::default();
    let mut streams = StreamMerger::new(file, &their_labelers, &their_tags);
    for page in their_pairs.chunks(page_pairs.max(1)) {
        let theirs = RawSide::read(their_tx, page).map_err(theirs_unreadable)?;
        let targets: Vec<PairId> = page.iter().map(|p| matched[p].0).collect();
        let own: Vec<PairId> = targets.iter().copied().filter(|p| !shared.contains(p)).collect();
        let mut ours = RawSide::read(tx, &own)?;
        let page_shared: BTreeSet<PairId> = targets.into_iter().filter(|p| shared.contains(p)).collect();
        if !page_shared.is_empty() {
            ours.extend(shared_rows.of_pairs(&page_shared));
        }
        pages.count += 1;
        pages.most_pairs = pages.most_pairs.max(page.len());
        pages.most_rows = pages.most_rows.max(theirs.rows() + ours.rows());

        let mut texts = Texts::default();
        let theirs = theirs.into_side(&their_names, &mut texts);
        let ours = ours.into_side(&our_names, &mut texts);
        // In the order of their pair, labeler and stream, as a whole-project merge takes them.
        let mut keys: BTreeSet<&Key> = theirs.states.keys().collect();
        keys.extend(theirs.events.keys());
        for key in keys {
            let (our_pair, name) = &matched[&key.0];
            streams.merge(tx, key, (*our_pair, name.as_str()), &ours, &theirs, &texts, &mut report)?;
        }
    }
    // Who saw the answer where: kept for labelers known here (the earlier reveal wins).
    for page in their_pairs.chunks(page_pairs.max(1)) {
        for ((their_pair, their_labeler), reveal) in their_tx.reveals_of_pairs(page)? {
            let (our_pair, _) = &matched[&their_pair];
            let Some(name) = their_names.get(&their_labeler) else { continue };
            if let Some(ours) = tx.find_labeler(name)? {
                tx.put_reveal_with_copied_history(*our_pair, ours.id, &reveal)?;
            }
        }
    }
    let theirs = Theirs { decisions: &their_decisions, labelers: &their_labelers };
    merge_adjudications(tx, &theirs, &matched, file, &mut report)?;
    tracing::debug!(pages = pages.count, most_pairs = pages.most_pairs, most_rows = pages.most_rows, "merged in pages");
    Ok((report, pages))
}

#[cfg(test)]
mod tests {
    use super::decision::{Decision, decide};
    use super::streams::{State, StreamEvent};
    use crate::domain::Truth;
    use crate::store::EventRow;

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

    mod pages {
        use super::super::{MergeReport, Pages, merge};
        use crate::domain::Truth::{self, Different, Same};
        use crate::store::test_util::test_pair;
        use crate::store::{
            EventRow, NewImage, NewPair, NotBlindLabel, NoteRow, Origin, PairId, Reveal, RevealHow, Store, StoreError,
            TagRow, VerdictRow,
        };
        use std::path::Path;

        const PAIRS: usize = 12;

        /// Everything a merge writes, in a form two merges can be compared by (labelers by
        /// name, role and flag: their ids and creation times are the merge's own).
        type Contents = (
            Vec<VerdictRow>,
            Vec<TagRow>,
            Vec<NoteRow>,
            Vec<EventRow>,
            Vec<((PairId, i64), Reveal)>,
            Vec<(String, String, bool)>,
            Vec<String>,
            Vec<NotBlindLabel>,
        );

        fn contents(path: &Path) -> Contents {
            Store::open(path)
                .unwrap()
                .read(|tx| {
                    let mut reveals: Vec<_> = tx.reveals()?.into_iter().map(|((p, l), r)| ((p, l.0), r)).collect();
                    reveals.sort_by_key(|(k, _)| *k);
                    Ok((
                        tx.all_verdicts()?,
                        tx.all_pair_tags()?,
                        tx.all_notes()?,
                        tx.label_events_of(&["verdict", "tag", "note", "reveal", "adjudication"])?,
                        reveals,
                        tx.labelers()?.into_iter().map(|l| (l.name, format!("{:?}", l.role), l.simulated)).collect(),
                        tx.tags()?.into_iter().map(|t| t.name).collect(),
                        tx.not_blind_labels()?,
                    ))
                })
                .unwrap()
        }

        fn opposite(t: Truth) -> Truth {
            if t == Same { Different } else { Same }
        }

        /// `theirs.pairscope`, labeled by ana and ben after `mine.pairscope` was copied from it
        /// (fast-forwards), `mine` labeled on its own (conflicts, newer here), and in `theirs`
        /// a pair whose images are pair 0's (both match pair 0 here).
        fn projects(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
            let (theirs, mine) = (dir.join("theirs.pairscope"), dir.join("mine.pairscope"));
            let mut store = Store::create(&theirs).unwrap();
            let pairs = store
                .write(|tx| {
                    let ana = tx.labeler_or_create("ana")?.0.id;
                    let mut pairs = Vec::new();
                    for i in 0..PAIRS {
                        let pair = test_pair(tx, &format!("p{i}"), &format!("a{i}.jpg"), &format!("b{i}.jpg"), None)?;
                        tx.set_verdict(pair, ana, Some(Same), Origin::Gui)?;
                        pairs.push(pair);
                    }
                    Ok::<_, StoreError>(pairs)
                })
                .unwrap();
            drop(store);
            std::fs::copy(&theirs, &mine).unwrap();
            let mut store = Store::open(&theirs).unwrap();
            store
                .write(|tx| {
                    let ana = tx.find_labeler("ana")?.unwrap().id;
                    let ben = tx.labeler_or_create("ben")?.0.id;
                    let dark = tx.find_tag("dark")?.unwrap().id;
                    for (i, &pair) in pairs.iter().enumerate() {
                        let truth = if i % 3 == 0 { Different } else { Same };
                        tx.set_verdict(pair, ana, Some(truth), Origin::Gui)?;
                        tx.set_verdict(pair, ben, Some(opposite(truth)), Origin::Gui)?;
                        if i % 2 == 0 {
                            tx.set_pair_tag(pair, ben, dark, true, Origin::Gui)?;
                            tx.set_note(pair, ben, &format!("note {i}"), Origin::Gui)?;
                            tx.reveal(pair, ben, RevealHow::Key, Origin::Gui)?;
                        }
                    }
                    let root = tx.image_root("/data")?;
                    let image =
                        |path, sha256| tx.upsert_image(&NewImage { root, path, sha256, bytes: 1, dimensions: None });
                    let (a, b) = (image("copy-a0.jpg", "a0.jpg")?.0, image("copy-b0.jpg", "b0.jpg")?.0);
                    let metadata = serde_json::json!({});
                    let twin = tx.insert_pair(&NewPair {
                        external_id: Some("twin-of-p0"),
                        image_a: a,
                        image_b: b,
                        truth: None,
                        split: None,
                        source: "test",
                        metadata: &metadata,
                    })?;
                    tx.set_verdict(twin, ben, Some(Same), Origin::Gui)?;
                    tx.set_note(twin, ben, "twin", Origin::Gui)?;
                    Ok::<_, StoreError>(())
                })
                .unwrap();
            let mut store = Store::open(&mine).unwrap();
            store
                .write(|tx| {
                    let ana = tx.find_labeler("ana")?.unwrap().id;
                    // Changed on both sides: conflicts (and twin-of-p0 against pair 0 as it was).
                    for &pair in pairs.iter().step_by(3) {
                        tx.set_verdict(pair, ana, None, Origin::Cli)?;
                    }
                    // Changed here only: newer here.
                    tx.set_verdict(pairs[1], ana, Some(Different), Origin::Cli)?;
                    Ok::<_, StoreError>(())
                })
                .unwrap();
            (theirs, mine)
        }

        fn merged(dir: &Path, theirs: &Path, mine: &Path, page: usize) -> (MergeReport, Pages, Contents) {
            let copy = dir.join(format!("mine-{page}.pairscope"));
            std::fs::copy(mine, &copy).unwrap();
            let (report, pages) = merge(&mut Store::open(&copy).unwrap(), theirs, false, page).unwrap();
            (report, pages, contents(&copy))
        }

        #[test]
        fn the_other_project_is_read_a_page_of_pairs_at_a_time_with_the_same_result() {
            let dir = tempfile::tempdir().unwrap();
            let (theirs, mine) = projects(dir.path());
            let (whole_report, whole, whole_contents) = merged(dir.path(), &theirs, &mine, usize::MAX);
            assert_eq!(whole.count, 1);
            assert_eq!(whole.most_pairs, PAIRS + 1);
            assert!(whole_report.conflicts.len() >= 3 && whole_report.events_copied > 0, "{whole_report:?}");
            for page in [1, 2, 5] {
                let (report, pages, contents) = merged(dir.path(), &theirs, &mine, page);
                assert_eq!(pages.count, (PAIRS + 1).div_ceil(page), "page of {page}");
                assert_eq!(pages.most_pairs, page, "page of {page}");
                assert!(pages.most_rows * 2 < whole.most_rows, "page of {page}: {pages:?}, whole: {whole:?}");
                assert_eq!(report, whole_report, "page of {page}");
                assert_eq!(contents, whole_contents, "page of {page}");
            }
        }
    }
}
