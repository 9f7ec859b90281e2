//! Blind review driven through egui_kittest on a real project built from
//! ../shared/datasets/sitcom: nothing on the screen gives the answer away before the reveal,
//! the reveal comes on leaving a pair or with R, labels given after it are saved as not blind,
//! a wrong verdict stands out, each labeler walks an order of their own, and the Agreement
//! screen can leave out labels that are not blind. Every test checks the project file too.

use crate::common;

use std::path::Path;

use common::gui::{H, at_labeler_picker, labeler, settle, step_until, text_of, text_with, type_into};
use egui::Key;
use egui_kittest::kittest::{Queryable, by};
use pairscope::domain::Truth;
use pairscope::store::{NotBlindLabel, Origin, PairId, RevealHow, ReviewPair, Store, StoreError};

fn start_labeling(harness: &mut H<'_>, name: &str, adjudicator: bool) {
    type_into(harness, "New labeler:", name);
    if adjudicator {
        harness.get_by_label("Adjudicator").click();
        harness.step();
    }
    harness.get_by_label("Start labeling").click();
    step_until(harness, "the review screen", |h| h.query_by_label_contains(&format!("Labeler: {name}")).is_some());
    settle(harness);
}

fn press(harness: &mut H<'_>, key: Key) {
    harness.key_press(key);
    harness.step();
}

/// Every text in the accessibility tree.
fn all_texts(harness: &H<'_>) -> Vec<String> {
    harness.query_all(by()).filter_map(|n| text_of(&n)).collect()
}

fn pair(project: &Path, id: PairId) -> ReviewPair {
    let data = Store::open(project).unwrap().read(|tx| tx.review_data()).unwrap();
    data.pairs.into_iter().find(|p| p.id == id).unwrap()
}

/// What would give the pair away: its file names and its id.
fn giveaways(pair: &ReviewPair) -> Vec<String> {
    vec![pair.a.name.clone(), pair.b.name.clone(), pair.external_id.clone().unwrap()]
}

fn current(harness: &H<'_>) -> PairId {
    harness.state().current_pair().expect("a pair on screen")
}

#[test]
fn no_file_name_or_pair_id_is_on_screen_before_the_reveal_and_r_brings_them() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = at_labeler_picker(&project);
    start_labeling(&mut harness, "alice", false);
    let shown = pair(&project, current(&harness));
    let hidden = |harness: &H<'_>, when: &str| {
        for text in all_texts(harness) {
            assert!(!text.contains(".png"), "{when}: a file name on screen: {text:?}");
            for giveaway in giveaways(&shown) {
                assert!(!text.contains(&giveaway), "{when}: {giveaway:?} on screen in {text:?}");
            }
        }
    };
    hidden(&harness, "before my verdict");
    harness.get_by_label("Photo A");
    harness.get_by_label("Photo B");
    harness.get_by_label_contains("Pair 1 of 160 in All pairs");
    // A verdict alone does not reveal: I may still tag.
    press(&mut harness, Key::S);
    settle(&mut harness);
    hidden(&harness, "after my verdict");
    assert!(harness.query_by_label_contains("Truth:").is_none());

    press(&mut harness, Key::R);
    settle(&mut harness);
    harness.get_by_label(&format!("Photo A: {}", shown.a.name));
    harness.get_by_label(&format!("Photo B: {}", shown.b.name));
    harness.get_by_label(&format!("id {}", shown.external_id.as_deref().unwrap()));
    harness.get_by_label_contains("Truth:");
    harness.get_by_label_contains("Revealed before tagging");

    let mut store = Store::open(&project).unwrap();
    let alice = labeler(&mut store, "alice");
    let reveals = store.read(|tx| tx.reveals()).unwrap();
    let reveal = &reveals[&(shown.id, alice)];
    assert_eq!((reveal.how, reveal.before_tagging), (RevealHow::Key, true));
}

#[test]
fn others_tags_wait_for_the_reveal_and_labels_given_after_it_are_not_blind() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    // Bob has labeled every pair, blind: same, and dark.
    let mut store = Store::open(&project).unwrap();
    store
        .write(|tx| {
            let bob = tx.labeler_or_create("bob")?.0.id;
            let dark = tx.find_tag("dark")?.unwrap().id;
            for p in tx.pairs()? {
                tx.set_verdict(p.id, bob, Some(Truth::Same), Origin::Cli)?;
                tx.set_pair_tag(p.id, bob, dark, true, Origin::Cli)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    drop(store);

    let mut harness = at_labeler_picker(&project);
    start_labeling(&mut harness, "alice", false);
    let first = pair(&project, current(&harness));
    // The wrong verdict, to see it marked after the reveal.
    let (wrong, wrong_key) = match first.truth.unwrap() {
        Truth::Same => (Truth::Different, Key::D),
        Truth::Different => (Truth::Same, Key::S),
    };
    press(&mut harness, wrong_key);
    press(&mut harness, Key::Num2); // blurry, before anything is revealed
    settle(&mut harness);
    assert!(harness.query_by_label_contains("bob").is_none(), "bob's verdict and tags wait for the reveal");
    assert!(harness.query_by_label_contains("Others:").is_none());
    assert!(harness.query_by_label_contains("Your verdict: ").is_none(), "nothing is marked before the reveal");
    harness.get_by_label("Disagreements (0, on pairs you judged)");

    press(&mut harness, Key::R);
    settle(&mut harness);
    harness.get_by_label("Others: bob: same [dark]");
    let mark = format!("Your verdict: {}, truth: {}", wrong.as_str(), first.truth.unwrap().as_str());
    harness.get_by_label(&mark);
    press(&mut harness, Key::Num1); // dark, with bob's dark in view
    settle(&mut harness);

    // The next pair: the right verdict, and the reveal comes on leaving it; coming back shows it.
    press(&mut harness, Key::ArrowRight);
    let second = pair(&project, current(&harness));
    press(&mut harness, if second.truth == Some(Truth::Same) { Key::S } else { Key::D });
    settle(&mut harness);
    assert!(harness.query_by_label_contains("Truth:").is_none(), "still on the pair: not revealed");
    press(&mut harness, Key::ArrowRight);
    press(&mut harness, Key::ArrowLeft);
    settle(&mut harness);
    assert_eq!(current(&harness), second.id);
    harness.get_by_label(&format!("Photo A: {}", second.a.name));
    harness.get_by_label("Others: bob: same [dark]");
    assert!(harness.query_by_label_contains("Your verdict: ").is_none(), "a right verdict is not marked");
    assert!(harness.query_by_label_contains("Revealed before tagging").is_none(), "I was done with it");
    // Coming back, the answer is in view: a tag now is not blind either.
    press(&mut harness, Key::Num3); // sunset
    settle(&mut harness);

    let mut store = Store::open(&project).unwrap();
    let alice = labeler(&mut store, "alice");
    assert_eq!(store.read(|tx| tx.verdict(first.id, alice)).unwrap(), Some(wrong));
    let label = |pair, tag: Option<&str>| NotBlindLabel { pair, labeler: alice, tag: tag.map(str::to_owned) };
    let mut expected = vec![label(first.id, Some("dark")), label(second.id, Some("sunset"))];
    expected.sort();
    assert_eq!(store.read(|tx| tx.not_blind_labels()).unwrap(), expected, "blurry and both verdicts were blind");
    let reveals = store.read(|tx| tx.reveals()).unwrap();
    assert_eq!(reveals[&(second.id, alice)].how, RevealHow::Left);
    assert!(!reveals[&(second.id, alice)].before_tagging);
}

/// The pairs a labeler meets walking the All queue with →.
fn walk(harness: &mut H<'_>, steps: usize) -> Vec<PairId> {
    let mut seen = vec![current(harness)];
    for _ in 1..steps {
        press(harness, Key::ArrowRight);
        seen.push(current(harness));
    }
    seen
}

#[test]
fn each_labeler_walks_a_shuffle_of_their_own_that_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let file_order: Vec<PairId> =
        Store::open(&project).unwrap().read(|tx| tx.pairs()).unwrap().iter().take(12).map(|p| p.id).collect();
    let mut harness = at_labeler_picker(&project);
    start_labeling(&mut harness, "alice", false);
    let alice = walk(&mut harness, 12);
    assert_ne!(alice, file_order, "not the order of the file");
    common::gui::switch_labeler(&mut harness);
    step_until(&mut harness, "the picker", |h| h.query_by_label("Start labeling").is_some());
    start_labeling(&mut harness, "bob", false);
    assert_ne!(walk(&mut harness, 12), alice, "bob walks another order");
    drop(harness);

    // The project moved elsewhere and opened again: alice's order is the same.
    let moved = dir.path().join("moved.pairscope");
    std::fs::rename(&project, &moved).unwrap();
    let mut harness = at_labeler_picker(&moved);
    harness.get_by_label("Label as alice").click();
    step_until(&mut harness, "alice's review", |h| h.query_by_label("Labeler: alice").is_some());
    settle(&mut harness);
    assert_eq!(walk(&mut harness, 12), alice);
}

#[test]
fn the_agreement_screen_counts_labels_that_are_not_blind_and_can_leave_them_out() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut store = Store::open(&project).unwrap();
    store
        .write(|tx| {
            let (bob, carol) = (tx.labeler_or_create("bob")?.0.id, tx.labeler_or_create("carol")?.0.id);
            let pairs = tx.pairs()?;
            for p in &pairs[..3] {
                tx.set_verdict(p.id, bob, Some(Truth::Same), Origin::Cli)?;
            }
            tx.set_verdict(pairs[0].id, carol, Some(Truth::Same), Origin::Cli)?;
            tx.set_verdict(pairs[1].id, carol, Some(Truth::Same), Origin::Cli)?;
            // Carol saw the answer before she labeled the third pair.
            tx.set_verdict_marked(pairs[2].id, carol, Some(Truth::Different), false, Origin::Cli)?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    drop(store);

    let mut harness = at_labeler_picker(&project);
    start_labeling(&mut harness, "judge", true);
    common::gui::open(&mut harness, "Agreement");
    harness.get_by_label(
        "1 label is not blind: given after the truth or other labelers' work was visible to the labeler.",
    );
    harness.get_by_label("Fleiss' κ (3 pairs)");
    let disagreements = text_with(&harness, "Disagreements (").unwrap();
    assert!(disagreements.starts_with("Disagreements (1"), "{disagreements}");
    harness.get_by_label("Leave out labels that are not blind").click();
    harness.run_steps(2);
    harness.get_by_label("Fleiss' κ (2 pairs)");
    harness.get_by_label("The labelers agree on every pair.");
}

#[test]
fn an_adjudicator_in_blind_mode_sees_the_labels_side_by_side_only_after_the_reveal() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut store = Store::open(&project).unwrap();
    store
        .write(|tx| {
            let (bob, carol) = (tx.labeler_or_create("bob")?.0.id, tx.labeler_or_create("carol")?.0.id);
            for p in tx.pairs()? {
                tx.set_verdict(p.id, bob, Some(Truth::Same), Origin::Cli)?;
                tx.set_verdict(p.id, carol, Some(Truth::Different), Origin::Cli)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    drop(store);

    let mut harness = at_labeler_picker(&project);
    start_labeling(&mut harness, "judge", true);
    harness.get_by_label("Adjudication");
    let seen = current(&harness);
    // Blind mode on: the pair already seen stays revealed; the next one waits for R.
    harness.get_by_label("Blind mode").click();
    harness.step();
    settle(&mut harness);
    assert_eq!(current(&harness), seen, "blind mode on keeps the pair on screen");
    harness.get_by_label("Adjudication");
    press(&mut harness, Key::ArrowRight);
    settle(&mut harness);
    assert!(harness.query_by_label("Adjudication").is_none(), "everyone's labels are the answer");
    assert!(harness.query_by_label_contains("bob").is_none());
    press(&mut harness, Key::R);
    settle(&mut harness);
    harness.get_by_label("Adjudication");
}
