//! Merging labels from another project: fast-forwards come in with their history, labels
//! changed on both sides are conflicts that keep this project's label, and the other project
//! is never written.

use crate::common;

use std::path::Path;

use common::{datasets, ok, pairscope, stderr};
use pairscope::curate;
use pairscope::domain::Truth;
use pairscope::import::FolderOptions;
use pairscope::store::{Decision, LabelerId, Origin, PairId, Role, Store, StoreError, TagId};

use Truth::{Different, Same};

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

struct Ids {
    pairs: Vec<PairId>,
    ana: LabelerId,
    dark: TagId,
}

fn ids(store: &mut Store) -> Ids {
    store
        .read(|tx| {
            Ok(Ids {
                pairs: tx.pairs()?.into_iter().map(|p| p.id).collect(),
                ana: tx.find_labeler("ana")?.unwrap().id,
                dark: tx.find_tag("dark")?.unwrap().id,
            })
        })
        .unwrap()
}

fn verdict(store: &mut Store, pair: PairId, labeler: &str) -> Option<Truth> {
    store
        .read(|tx| match tx.find_labeler(labeler)? {
            Some(l) => tx.verdict(pair, l.id),
            None => Ok(None),
        })
        .unwrap()
}

/// The sitcom project with ana's verdicts on pairs 0–7 (all "same") and "dark" on pair 2.
fn base(dir: &Path) -> (Store, Ids) {
    let path = dir.join("main.pairscope");
    let mut store = Store::create(&path).unwrap();
    pairscope::import::import_folders(
        &mut store,
        &datasets().join("sitcom"),
        &FolderOptions { different: None, seed: 1 },
    )
    .unwrap();
    store
        .write(|tx| {
            let ana = tx.labeler_or_create("ana")?.0.id;
            let pairs = tx.pairs()?;
            for p in &pairs[..8] {
                if p.id != pairs[4].id && p.id != pairs[5].id {
                    tx.set_verdict(p.id, ana, Some(Same), Origin::Gui)?;
                }
            }
            tx.set_pair_tag(pairs[2].id, ana, tx.find_tag("dark")?.unwrap().id, true, Origin::Gui)?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let ids = ids(&mut store);
    (store, ids)
}

#[test]
fn offline_copy_merges_back_with_history_and_conflicts_keep_ours() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = base(dir.path());
    let main_path = store.path().to_owned();
    drop(store); // closes the file, folding the WAL in, so the copy is complete
    let laptop_path = dir.path().join("laptop.pairscope");
    std::fs::copy(&main_path, &laptop_path).unwrap();
    let mut main = Store::open(&main_path).unwrap();
    let mut laptop = Store::open(&laptop_path).unwrap();
    let ids = ids(&mut main);
    let p = &ids.pairs;

    // Offline, on the laptop:
    laptop
        .write(|tx| {
            let ana = ids.ana;
            tx.set_verdict(p[0], ana, Some(Different), Origin::Gui)?; // changed only there
            let (zoe, _) = tx.labeler_like("zoe", Role::Adjudicator, true)?; // new labeler
            tx.set_verdict(p[1], zoe.id, Some(Same), Origin::Gui)?;
            let glare =
                tx.tag_or_create(&pairscope::store::NewTag { name: "glare", description: "lens flare", colour: "" })?.0;
            tx.set_pair_tag(p[1], zoe.id, glare.id, true, Origin::Gui)?; // new tag
            tx.set_pair_tag(p[2], ana, ids.dark, false, Origin::Gui)?; // removed only there
            tx.set_verdict(p[3], ana, None, Origin::Gui)?; // changed on both sides: conflict
            tx.set_verdict(p[4], ana, Some(Same), Origin::Gui)?; // new on both sides, differently: conflict
            tx.set_verdict(p[5], ana, Some(Different), Origin::Gui)?; // new on both sides, alike
            Ok::<_, StoreError>(())
        })
        .unwrap();
    // Meanwhile, in the main project:
    main.write(|tx| {
        tx.set_verdict(p[3], ids.ana, Some(Different), Origin::Gui)?;
        tx.set_verdict(p[4], ids.ana, Some(Different), Origin::Gui)?;
        tx.set_verdict(p[5], ids.ana, Some(Different), Origin::Gui)?;
        tx.set_verdict(p[6], ids.ana, Some(Different), Origin::Gui)?; // newer here only
        Ok::<_, StoreError>(())
    })
    .unwrap();
    drop(laptop);
    let laptop_bytes = std::fs::read(&laptop_path).unwrap();
    let events_before = main.read(|tx| tx.event_count()).unwrap();

    let preview = curate::preview_merge(&mut main, &laptop_path).unwrap();
    assert_eq!(main.read(|tx| tx.event_count()).unwrap(), events_before, "a preview writes nothing");
    assert_eq!(verdict(&mut main, p[0], "ana"), Some(Same), "a preview changes no label");
    assert!(main.read(|tx| tx.find_labeler("zoe")).unwrap().is_none(), "nor creates a labeler");
    let report = curate::merge_labels(&mut main, &laptop_path).unwrap();
    assert_eq!(format!("{preview:?}"), format!("{report:?}"), "the preview is what the merge then did");
    assert_eq!(std::fs::read(&laptop_path).unwrap(), laptop_bytes, "the other project is only read");
    assert_eq!(report.verdicts_changed, 2, "{report:#?}"); // p0 (ana), p1 (zoe)
    assert_eq!((report.tags_applied, report.tags_removed), (1, 1), "{report:#?}");
    assert_eq!(report.events_copied, 4, "one event per change made on the laptop");
    assert_eq!(report.newer_here, 1, "{report:#?}");
    assert_eq!(report.labelers_created, ["zoe"]);
    assert_eq!(report.tags_created, ["glare"]);
    assert!(report.pairs_not_here.is_empty() && report.pairs_ambiguous.is_empty());
    let conflicts: Vec<String> = report.conflicts.iter().map(ToString::to_string).collect();
    assert_eq!(conflicts.len(), 2, "{conflicts:#?}");
    assert!(conflicts.iter().any(|c| c.contains("verdict is different here but no verdict there")), "{conflicts:#?}");
    assert!(conflicts.iter().any(|c| c.contains("verdict is different here but same there")), "{conflicts:#?}");
    assert!(conflicts.iter().all(|c| c.contains("labeler \"ana\"") && c.contains("kept")), "{conflicts:#?}");

    // The state now.
    assert_eq!(verdict(&mut main, p[0], "ana"), Some(Different), "fast-forwarded");
    assert_eq!(verdict(&mut main, p[1], "zoe"), Some(Same));
    assert_eq!(verdict(&mut main, p[3], "ana"), Some(Different), "conflict: ours kept");
    assert_eq!(verdict(&mut main, p[4], "ana"), Some(Different), "conflict: ours kept");
    assert_eq!(verdict(&mut main, p[6], "ana"), Some(Different), "newer here, kept");
    let (zoe, tags_p2) =
        main.read(|tx| Ok((tx.find_labeler("zoe")?.unwrap(), tx.pair_tags_by(p[2], ids.ana)?))).unwrap();
    assert_eq!((zoe.role, zoe.simulated), (Role::Adjudicator, true), "the author comes in as they are");
    assert!(tags_p2.is_empty(), "the removal made offline came in");

    // The history came in with its original times and origin.
    let events = main.read(|tx| tx.label_events_of(&["verdict", "tag"])).unwrap();
    assert_eq!(events.len() as u64, events_before + 4);
    let copied: Vec<_> = events.iter().filter(|e| e.origin == "merge:laptop.pairscope").collect();
    assert_eq!(copied.len(), 4);
    assert!(copied.iter().all(|e| e.reason.as_deref().unwrap().starts_with("gui in laptop.pairscope, event #")));
    let p0 = copied.iter().find(|e| e.pair == Some(p[0])).unwrap();
    assert_eq!((p0.before.as_deref(), p0.after.as_deref()), (Some("\"same\""), Some("\"different\"")));
    let there = Store::open_read_only(&laptop_path).unwrap().read(|tx| tx.label_events_of(&["verdict"])).unwrap();
    let original = there.iter().find(|e| e.pair == Some(p[0]) && e.after.as_deref() == Some("\"different\"")).unwrap();
    assert_eq!(p0.at, original.at, "the event keeps the laptop's time");
    assert_eq!(p0.reason.as_deref().unwrap(), format!("gui in laptop.pairscope, event #{}", original.id));
    let glare_event = copied.iter().find(|e| e.kind == "tag" && e.pair == Some(p[1])).unwrap();
    let after: serde_json::Value = serde_json::from_str(glare_event.after.as_deref().unwrap()).unwrap();
    let glare_here = main.read(|tx| tx.find_tag("glare")).unwrap().unwrap();
    assert_eq!(after["tag_id"], glare_here.id.0, "tag ids are this project's");

    // Merging again changes nothing and reports the same conflicts.
    let again = curate::merge_labels(&mut main, &laptop_path).unwrap();
    assert_eq!((again.verdicts_changed, again.tags_applied, again.tags_removed, again.events_copied), (0, 0, 0, 0));
    assert_eq!(again.conflicts, report.conflicts);
    assert_eq!(main.read(|tx| tx.event_count()).unwrap(), events_before + 4);
}

/// An adjudicator of this name, created if new.
fn adjudicator(tx: &pairscope::store::Tx, name: &str) -> Result<LabelerId, StoreError> {
    let (l, _) = tx.labeler_or_create(name)?;
    tx.set_labeler_role(l.id, Role::Adjudicator, Origin::Cli)?;
    Ok(l.id)
}

fn decide(verdict: Truth, reason: &str, correct: bool) -> Decision<'_> {
    Decision { verdict: Some(verdict), tags: &[], reason, correct_truth: correct.then_some(Some(verdict)) }
}

#[test]
fn notes_and_adjudications_merge_with_history_and_conflicts_keep_ours() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = base(dir.path());
    let main_path = store.path().to_owned();
    drop(store);
    let laptop_path = dir.path().join("laptop.pairscope");
    std::fs::copy(&main_path, &laptop_path).unwrap();
    let mut main = Store::open(&main_path).unwrap();
    let mut laptop = Store::open(&laptop_path).unwrap();
    let ids = ids(&mut main);
    let (p, ana) = (&ids.pairs, ids.ana);
    let truth_of = |s: &mut Store, pair: PairId| s.read(|tx| Ok(tx.pair(pair)?.truth)).unwrap();
    let p1_truth = truth_of(&mut main, p[1]);
    let flipped = if p1_truth == Some(Same) { Different } else { Same };

    // Offline, on the laptop:
    laptop
        .write(|tx| {
            tx.set_note(p[0], ana, "eyes closed in the second photo", Origin::Gui)?; // new there
            tx.set_note(p[2], ana, "too dark to tell", Origin::Gui)?; // new on both sides, differently
            let judy = adjudicator(tx, "judy")?;
            tx.adjudicate(p[1], judy, &decide(flipped, "same mole on the left cheek", true), Origin::Gui)?;
            tx.adjudicate(p[3], judy, &decide(Same, "ears match", false), Origin::Gui)?; // both sides: conflict
            Ok::<_, StoreError>(())
        })
        .unwrap();
    // Meanwhile, in the main project:
    main.write(|tx| {
        tx.set_note(p[2], ana, "blurry, not dark", Origin::Gui)?;
        let max = adjudicator(tx, "max")?;
        tx.adjudicate(p[3], max, &decide(Different, "different hairline", false), Origin::Gui)?;
        Ok::<_, StoreError>(())
    })
    .unwrap();
    drop(laptop);
    let events_before = main.read(|tx| tx.event_count()).unwrap();

    let preview = curate::preview_merge(&mut main, &laptop_path).unwrap();
    assert_eq!(main.read(|tx| tx.event_count()).unwrap(), events_before, "a preview writes nothing");
    let report = curate::merge_labels(&mut main, &laptop_path).unwrap();
    assert_eq!(format!("{preview:?}"), format!("{report:?}"));
    assert_eq!((report.notes_changed, report.adjudications_merged), (1, 1), "{report:#?}");
    assert_eq!(report.labelers_created, ["judy"], "the adjudicator comes in");
    let conflicts: Vec<String> = report.conflicts.iter().map(ToString::to_string).collect();
    assert_eq!(conflicts.len(), 2, "{conflicts:#?}");
    assert!(
        conflicts.iter().any(|c| c.contains("note is \"blurry, not dark\" here but \"too dark to tell\" there")),
        "{conflicts:#?}"
    );
    assert!(
        conflicts.iter().any(|c| c.contains("adjudication is different by max") && c.contains("same by judy")),
        "{conflicts:#?}"
    );
    assert_eq!(report.truth_differs.len(), 1, "judy corrected p1's truth there: {report:#?}");
    assert!(report.summary(10).contains("pairs whose ground truth differs (1)"), "{}", report.summary(10));

    // The state now: the new note and adjudication came in; the conflicts kept ours; the truth
    // was not changed by the merge.
    let (notes, adjudications) = main.read(|tx| Ok((tx.all_notes()?, tx.all_adjudications()?))).unwrap();
    let note = |pair: PairId| notes.iter().find(|n| n.pair == pair).map(|n| n.note.as_str());
    assert_eq!(note(p[0]), Some("eyes closed in the second photo"));
    assert_eq!(note(p[2]), Some("blurry, not dark"));
    let judy = main.read(|tx| tx.find_labeler("judy")).unwrap().unwrap();
    assert_eq!(judy.role, Role::Adjudicator);
    let a1 = adjudications.iter().find(|a| a.pair == p[1]).unwrap();
    assert_eq!(
        (a1.adjudicator, a1.verdict, a1.reason.as_str()),
        (judy.id, Some(flipped), "same mole on the left cheek")
    );
    let a3 = adjudications.iter().find(|a| a.pair == p[3]).unwrap();
    assert_eq!(a3.reason, "different hairline", "conflict: ours kept");
    assert_eq!(truth_of(&mut main, p[1]), p1_truth);

    // The history came in with its times: the note event and the adjudication event.
    let there = Store::open_read_only(&laptop_path).unwrap().read(|tx| tx.label_events_of(&["note", "adjudication"]));
    let there = there.unwrap();
    let copied = main.read(|tx| tx.label_events_of(&["note", "adjudication"])).unwrap();
    let copied: Vec<_> = copied.iter().filter(|e| e.origin == "merge:laptop.pairscope").collect();
    assert_eq!(copied.len(), 2, "{copied:#?}");
    for event in copied {
        let original = there.iter().find(|e| e.pair == event.pair && e.kind == event.kind).unwrap();
        assert_eq!((&event.at, &event.after), (&original.at, &original.after));
    }

    // Merging again changes nothing.
    let again = curate::merge_labels(&mut main, &laptop_path).unwrap();
    assert_eq!((again.notes_changed, again.adjudications_merged, again.events_copied), (0, 0, 0), "{again:#?}");
    assert_eq!(again.conflicts, report.conflicts);
}

#[test]
fn separately_imported_project_matches_pairs_by_image_content() {
    let dir = tempfile::tempdir().unwrap();
    let (mut main, ids) = base(dir.path());
    // Another project of the same images, with pair ids of its own.
    let csv = dir.path().join("pairs.csv");
    std::fs::write(
        &csv,
        "pair_id,image_a,image_b,truth\n\
         theirs-1,amy/amy2.png,amy/amy1.png,same\n\
         theirs-2,penny/penny1.png,raj/raj5.png,different\n",
    )
    .unwrap();
    let other_path = dir.path().join("other.pairscope");
    let mut other = Store::create(&other_path).unwrap();
    pairscope::import::import_pairs(&mut other, &csv, &datasets().join("sitcom"), false).unwrap();
    let labels = dir.path().join("labels.csv");
    std::fs::write(&labels, "pair_id,labeler,verdict,tags\ntheirs-1,ben,same,blurry\ntheirs-2,ben,different,\n")
        .unwrap();
    pairscope::import::import_labels(&mut other, &labels, false).unwrap();
    drop(other);

    let report = curate::merge_labels(&mut main, &other_path).unwrap();
    // amy1|amy2 is the first pair here (reversed order there); penny1|raj5 is not a pair here.
    assert_eq!(report.pairs_matched, 1, "{report:#?}");
    assert_eq!(report.pairs_not_here, ["theirs-2"]);
    assert_eq!((report.verdicts_changed, report.tags_applied), (1, 1));
    assert_eq!(verdict(&mut main, ids.pairs[0], "ben"), Some(Same));
    let events = main.read(|tx| tx.label_events_of(&["verdict", "tag"])).unwrap();
    assert!(events.iter().any(|e| e.reason.as_deref() == Some("import:labels.csv in other.pairscope, event #1")));
}

#[test]
fn merge_cli_reports_conflicts_and_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = base(dir.path());
    let main_path = store.path().to_owned();
    drop(store);
    let copy = dir.path().join("copy.pairscope");
    std::fs::copy(&main_path, &copy).unwrap();
    let p0 = "amy/amy1.png|amy/amy2.png";
    let csv = dir.path().join("labels.csv");
    std::fs::write(&csv, format!("pair_id,labeler,verdict\n{p0},cy,different\n")).unwrap();
    ok(["import-labels", arg(&copy), "--csv", arg(&csv)]);
    std::fs::write(&csv, format!("pair_id,labeler,verdict\n{p0},cy,same\n")).unwrap();
    ok(["import-labels", arg(&main_path), "--csv", arg(&csv)]);

    let out = ok(["merge-labels", arg(&main_path), "--from", arg(&copy)]);
    assert!(out.contains("1 conflicts"), "{out}");
    assert!(out.contains(&format!("pair \"{p0}\", labeler \"cy\": verdict is same here but different there")), "{out}");
    let json = ok(["merge-labels", arg(&main_path), "--from", arg(&copy), "--json"]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["conflicts"][0]["there"], "different");

    let junk = dir.path().join("junk.pairscope");
    std::fs::write(&junk, b"this is not a database at all, just some text").unwrap();
    let out = pairscope(["merge-labels", arg(&main_path), "--from", arg(&junk)]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("junk.pairscope: not a pairscope project"), "{}", stderr(&out));
    let out = pairscope(["merge-labels", arg(&main_path), "--from", arg(&main_path)]);
    assert!(stderr(&out).contains("is this project itself"), "{}", stderr(&out));
    let out = pairscope(["merge-labels", arg(&main_path), "--from", arg(&dir.path().join("missing.pairscope"))]);
    assert!(stderr(&out).contains("missing.pairscope: no such project file"), "{}", stderr(&out));
}
