//! Balanced, identity-grouped splits on real LFW pairs (library) and the `split` CLI.
//!
//! Tolerances: each split's share of pairs within 1 percentage point of its target, and its
//! share of same-person pairs and of each consensus tag within 2 points of the whole set's.

use crate::common;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use common::{datasets, info, ok, pairscope, stderr};
use pairscope::curate::{self, Ratios, SplitOptions};
use pairscope::domain::{Split, Truth};
use pairscope::rng::SeededRng;
use pairscope::store::{Origin, Store, StoreError};

/// LFW's 5,605 usable pairs, with consensus tags from two labelers who agree: "dark" on about
/// 15 % of pairs and "blurry" on about 10 %, chosen by a seeded draw.
fn lfw_with_tags(dir: &Path) -> Store {
    let mut store = Store::create(&dir.join("lfw.pairscope")).unwrap();
    let lfw = datasets().join("lfw");
    pairscope::import::import_lfw(&mut store, &lfw.join("pairs.txt"), &lfw.join("images"), false).unwrap();
    store
        .write(|tx| {
            let ana = tx.labeler_or_create("ana")?.0.id;
            let ben = tx.labeler_or_create("ben")?.0.id;
            let dark = tx.find_tag("dark")?.unwrap().id;
            let blurry = tx.find_tag("blurry")?.unwrap().id;
            let mut rng = SeededRng::new(99);
            for pair in tx.pairs()? {
                for labeler in [ana, ben] {
                    tx.set_verdict(pair.id, labeler, pair.truth, Origin::Cli)?;
                }
                let roll = rng.below(100);
                for (tag, hit) in [(dark, roll < 15), (blurry, (15..25).contains(&roll))] {
                    if hit {
                        tx.set_pair_tag(pair.id, ana, tag, true, Origin::Cli)?;
                        tx.set_pair_tag(pair.id, ben, tag, true, Origin::Cli)?;
                    }
                }
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    store
}

fn share(part: usize, whole: usize) -> f64 {
    100.0 * part as f64 / whole as f64
}

#[test]
fn lfw_split_is_balanced_identity_disjoint_reproducible_and_confirmed_before_replacing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = lfw_with_tags(dir.path());
    let options = SplitOptions { ratios: Some(Ratios::SMALL), train_dev_percent: 10.0, seed: 7, keep_existing: false };
    let plan = curate::plan_split(&mut store, &options).unwrap();
    assert_eq!(plan.moves.len(), 5605);
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
    let table = plan.preview.table();
    assert!(table.lines().next().unwrap().ends_with("dark %  blurry %"), "a column per consensus tag:\n{table}");
    assert_eq!(table.lines().count(), 6, "header, four splits, all:\n{table}");

    // Balance, measured from the pairs themselves (not from the preview).
    let pairs = store.read(|tx| tx.pairs()).unwrap();
    let snapshot = curate::Snapshot::load(&mut store).unwrap();
    let planned: HashMap<_, _> = plan.moves.iter().map(|(id, _, s)| (*id, *s)).collect();
    let total = pairs.len();
    let all_same = share(pairs.iter().filter(|p| p.truth == Some(Truth::Same)).count(), total);
    let tag_share = |tag: &str, members: &[&curate::snapshot::CuratedPair]| {
        share(members.iter().filter(|p| p.has_consensus_tag(tag)).count(), members.len())
    };
    let everyone: Vec<_> = snapshot.pairs.iter().collect();
    let (all_dark, all_blurry) = (tag_share("dark", &everyone), tag_share("blurry", &everyone));
    assert!((13.0..17.0).contains(&all_dark) && (8.0..12.0).contains(&all_blurry), "{all_dark} {all_blurry}");
    for split in Split::ALL {
        let members: Vec<_> = snapshot.pairs.iter().filter(|p| planned[&p.id] == split).collect();
        let target = plan.ratios.share(split) * 100.0;
        let got = share(members.len(), total);
        assert!((got - target).abs() <= 1.0, "{split:?}: {got:.2} % of pairs, target {target:.2} %");
        let same = share(members.iter().filter(|p| p.truth == Some(Truth::Same)).count(), members.len());
        assert!((same - all_same).abs() <= 2.0, "{split:?}: {same:.2} % same vs {all_same:.2} %");
        for (tag, all) in [("dark", all_dark), ("blurry", all_blurry)] {
            let got = tag_share(tag, &members);
            assert!((got - all).abs() <= 2.0, "{split:?}: {got:.2} % {tag} vs {all:.2} %");
        }
    }

    // No identity (and no image) in two splits.
    let mut identity_splits: HashMap<String, HashSet<Split>> = HashMap::new();
    let mut image_splits: HashMap<_, HashSet<Split>> = HashMap::new();
    for p in &pairs {
        for key in ["identity_a", "identity_b"] {
            let name = p.metadata[key].as_str().unwrap().to_owned();
            identity_splits.entry(name).or_default().insert(planned[&p.id]);
        }
        image_splits.entry(p.image_a).or_default().insert(planned[&p.id]);
        image_splits.entry(p.image_b).or_default().insert(planned[&p.id]);
    }
    let leaking: Vec<_> = identity_splits.iter().filter(|(_, s)| s.len() > 1).map(|(n, _)| n).collect();
    assert!(leaking.is_empty(), "identities in two splits: {leaking:?}");
    assert!(image_splits.values().all(|s| s.len() == 1));

    // The same seed gives the same plan; another seed another.
    let again = curate::plan_split(&mut store, &options).unwrap();
    assert_eq!(again.moves, plan.moves);
    let other = curate::plan_split(&mut store, &SplitOptions { seed: 8, ..options.clone() }).unwrap();
    assert_ne!(other.moves, plan.moves);

    // Planning wrote nothing; applying writes the plan and records it.
    assert!(store.read(|tx| tx.pairs()).unwrap().iter().all(|p| p.split.is_none()));
    assert_eq!(curate::apply_split(&mut store, &plan, false, "test").unwrap(), 5605);
    let written: HashMap<_, _> = store.read(|tx| tx.pairs()).unwrap().into_iter().map(|p| (p.id, p.split)).collect();
    assert!(plan.moves.iter().all(|(id, _, s)| written[id] == Some(*s)));

    // Another split over existing ones needs the explicit confirmation.
    let other = curate::plan_split(&mut store, &SplitOptions { seed: 8, ..options }).unwrap();
    assert!(other.replaced() > 0);
    let err = curate::apply_split(&mut store, &other, false, "test").unwrap_err();
    assert!(err.to_string().contains("already have a different split"), "{err}");
    let unchanged: HashMap<_, _> = store.read(|tx| tx.pairs()).unwrap().into_iter().map(|p| (p.id, p.split)).collect();
    assert_eq!(unchanged, written, "a refused apply changes nothing");
    let changed = curate::apply_split(&mut store, &other, true, "test").unwrap();
    assert_eq!(changed, other.replaced());
    // A plan made before the project changed is refused, even with the confirmation.
    let stale = curate::apply_split(&mut store, &plan, true, "test").unwrap_err();
    assert!(stale.to_string().contains("changed since"), "{stale}");
    let runs = store.read(|tx| tx.split_runs()).unwrap();
    assert_eq!(runs.len(), 2, "every applied split is in the lineage");
    assert_eq!(runs[0].params["requested"]["seed"], 7);
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn split_cli_previews_then_applies_only_when_asked_and_confirms_replacing() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("lfw.pairscope");
    let lfw = datasets().join("lfw");
    ok(["import-lfw", arg(&project), "--pairs", arg(&lfw.join("pairs.txt")), "--images", arg(&lfw.join("images"))]);

    let preview = ok(["split", arg(&project), "--seed", "3", "--ratios", "70/15/15", "--train-dev", "5"]);
    assert!(preview.contains("preview only: nothing was written"), "{preview}");
    for column in ["split", "pairs", "share %", "target %", "same %", "identities", "train-dev", "all"] {
        assert!(preview.contains(column), "{column} missing from the preview:\n{preview}");
    }
    assert_eq!(info(&project)["splits"], serde_json::json!([["none", 5605]]), "a preview writes nothing");

    let json = ok(["split", arg(&project), "--seed", "3", "--ratios", "70/15/15", "--json"]);
    let preview: serde_json::Value = serde_json::from_str(&json).expect("--json prints only JSON");
    assert_eq!(preview["rows"].as_array().unwrap().last().unwrap()["pairs"], 5605);
    assert_eq!(preview["would_replace"], 0);

    let applied = ok(["split", arg(&project), "--seed", "3", "--ratios", "70/15/15", "--apply"]);
    assert!(applied.contains("wrote the split: 5605 pairs changed"), "{applied}");
    let splits = info(&project)["splits"].clone();
    assert_eq!(splits.as_array().unwrap().len(), 3, "{splits}");

    let out = pairscope(["split", arg(&project), "--seed", "4", "--ratios", "small", "--apply"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("already have a different split; nothing was written"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--replace-existing") && stderr(&out).contains("--keep-existing"),
        "{}",
        stderr(&out)
    );
    assert_eq!(info(&project)["splits"], splits, "refused: nothing written");

    let kept = ok(["split", arg(&project), "--seed", "4", "--ratios", "small", "--apply", "--keep-existing"]);
    assert!(kept.contains("wrote the split: 0 pairs changed"), "every pair had a split: {kept}");
    assert_eq!(info(&project)["splits"], splits);
    let out = pairscope(["split", arg(&project), "--replace-existing"]);
    assert!(!out.status.success(), "--replace-existing needs --apply");
    let replaced = ok(["split", arg(&project), "--seed", "4", "--ratios", "small", "--apply", "--replace-existing"]);
    assert!(replaced.contains("pairs changed"), "{replaced}");
    assert_ne!(info(&project)["splits"], splits);
    let bad = pairscope(["split", arg(&project), "--ratios", "60/40"]);
    assert!(stderr(&bad).contains("\"60/40\" is not a ratio"), "{}", stderr(&bad));
}

#[test]
fn sitcom_identities_are_all_linked_and_the_warning_says_so() {
    // 80 random different-person pairs link all 8 people: one group that cannot be divided.
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("sitcom.pairscope");
    ok(["import-folders", arg(&project), "--images", arg(&datasets().join("sitcom")), "--seed", "1"]);
    let out = pairscope(["split", arg(&project)]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("warning: dev gets no pairs") && err.contains("1 group(s) linked by shared identities"),
        "{err}"
    );
}

#[test]
fn keep_existing_places_only_new_pairs_around_the_old_split() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = lfw_with_tags(dir.path());
    let options = SplitOptions { ratios: Some(Ratios::SMALL), train_dev_percent: 0.0, seed: 1, keep_existing: false };
    let plan = curate::plan_split(&mut store, &options).unwrap();
    curate::apply_split(&mut store, &plan, false, "test").unwrap();
    // LFW's folds share no person, so fold 10 stands for pairs imported after the split.
    let fold10: HashSet<_> = store
        .write(|tx| {
            let mut ids = HashSet::new();
            for p in tx.pairs()?.into_iter().filter(|p| p.metadata["fold"] == 10) {
                tx.set_split(p.id, None)?;
                ids.insert(p.id);
            }
            Ok::<_, StoreError>(ids)
        })
        .unwrap();
    assert!(fold10.len() > 500, "{}", fold10.len());
    let before: HashMap<_, _> = store.read(|tx| tx.pairs()).unwrap().into_iter().map(|p| (p.id, p.split)).collect();

    let keep = SplitOptions { keep_existing: true, seed: 2, ..options };
    let plan = curate::plan_split(&mut store, &keep).unwrap();
    assert_eq!(plan.replaced(), 0, "nothing that has a split moves");
    assert_eq!(plan.changed(), fold10.len());
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
    curate::apply_split(&mut store, &plan, false, "test").expect("no confirmation needed: nothing is replaced");
    let after = store.read(|tx| tx.pairs()).unwrap();
    for p in &after {
        if fold10.contains(&p.id) {
            assert!(p.split.is_some());
        } else {
            assert_eq!(p.split, before[&p.id], "an existing split moved");
        }
    }
    // Still one split per person, and the shares still near their targets.
    let mut identity_splits: HashMap<String, HashSet<Split>> = HashMap::new();
    for p in &after {
        for key in ["identity_a", "identity_b"] {
            identity_splits.entry(p.metadata[key].as_str().unwrap().to_owned()).or_default().insert(p.split.unwrap());
        }
    }
    assert!(identity_splits.values().all(|s| s.len() == 1));
    for split in [Split::Train, Split::Dev, Split::Test] {
        let got = share(after.iter().filter(|p| p.split == Some(split)).count(), after.len());
        let target = Ratios::SMALL.share(split) * 100.0;
        assert!((got - target).abs() <= 1.0, "{split:?}: {got:.2} % vs {target:.2} %");
    }
}
