//! Every key press goes to the pair it was typed on, however many arrive in one frame.
//!
//! A slow frame (a big photo decoding, software rendering, a busy machine) delivers many key
//! events at once. These tests put a whole burst into one frame and check, in the project file
//! and its audit log, that each verdict and tag landed on the pair current when it was typed,
//! and that every repeated press counted.

use crate::common;

use std::path::Path;

use common::gui::{H, labeler, settle, step_until};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pairscope::domain::Truth;
use pairscope::store::{PairId, Store};
use pairscope::ui::{PairscopeApp, State};

/// The app opened as `pairscope gui PROJECT --labeler NAME` opens it: straight into review.
fn review_as<'a>(project: &Path, name: &str) -> H<'a> {
    let project = project.to_owned();
    let name = name.to_owned();
    let mut harness = Harness::builder().with_size(egui::vec2(1280.0, 800.0)).build_eframe(move |cc| {
        PairscopeApp::with_state(cc.egui_ctx.clone(), State::default(), Some(project)).labeling_as(Some(name))
    });
    step_until(&mut harness, "review as the labeler", |h| h.state().current_pair().is_some());
    settle(&mut harness);
    harness
}

/// Delivers these key presses (each a press and a release) all in one frame, as a slow frame
/// receives them. (kittest's own `key_press` runs one frame per event.)
fn burst(harness: &mut H<'_>, keys: &[Key]) {
    let key_event = |key, pressed| egui::Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers: egui::Modifiers::NONE,
    };
    for &key in keys {
        harness.input_mut().events.extend([key_event(key, true), key_event(key, false)]);
    }
    harness.step();
}

/// (pair, kind, after) of every label event in the project, oldest first.
fn events(store: &mut Store) -> Vec<(PairId, String, Option<String>)> {
    let rows = store.read(|tx| tx.label_events_of(&["verdict", "tag"])).unwrap();
    rows.into_iter().map(|e| (e.pair.expect("a label event names its pair"), e.kind, e.after)).collect()
}

fn json(verdict: Truth) -> Option<String> {
    Some(format!("\"{}\"", verdict.as_str()))
}

#[test]
fn a_burst_of_verdicts_and_page_turns_lands_each_verdict_on_the_pair_it_was_typed_on() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = review_as(&project, "t");
    let queue = harness.state().queue_pairs();
    let start = queue.iter().position(|&p| Some(p) == harness.state().current_pair()).unwrap();

    // d → s → d → s … twelve times, all in one frame.
    let typed: Vec<Truth> = (0..12).map(|i| if i % 2 == 0 { Truth::Different } else { Truth::Same }).collect();
    let keys: Vec<Key> =
        typed.iter().flat_map(|v| [if *v == Truth::Same { Key::S } else { Key::D }, Key::ArrowRight]).collect();
    burst(&mut harness, &keys);
    assert_eq!(harness.state().current_pair(), Some(queue[start + 12]), "twelve page turns, twelve pairs on");
    settle(&mut harness);

    let mut store = Store::open(&project).unwrap();
    let t = labeler(&mut store, "t");
    for (i, verdict) in typed.iter().enumerate() {
        let pair = queue[start + i];
        assert_eq!(store.read(|tx| tx.verdict(pair, t)).unwrap(), Some(*verdict), "pair {} of the queue", start + i);
    }
    let expected: Vec<_> =
        typed.iter().enumerate().map(|(i, &v)| (queue[start + i], "verdict".into(), json(v))).collect();
    assert_eq!(events(&mut store), expected, "one event per key, in the order typed, on its own pair");
}

#[test]
fn ten_verdicts_each_followed_by_space_give_ten_labels_on_ten_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = review_as(&project, "t");
    let queue = harness.state().queue_pairs();
    let start = queue.iter().position(|&p| Some(p) == harness.state().current_pair()).unwrap();

    burst(&mut harness, &[Key::S, Key::Space].repeat(10));
    settle(&mut harness);

    let mut store = Store::open(&project).unwrap();
    let expected: Vec<_> = (0..10).map(|i| (queue[start + i], "verdict".into(), json(Truth::Same))).collect();
    assert_eq!(events(&mut store), expected);
    harness.get_by_label("10 / 160 labeled");
}

#[test]
fn thirty_page_turns_in_one_frame_move_thirty_pairs_and_tags_follow_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = review_as(&project, "t");
    let queue = harness.state().queue_pairs();
    let start = queue.iter().position(|&p| Some(p) == harness.state().current_pair()).unwrap();

    burst(&mut harness, &[Key::ArrowRight; 30]);
    assert_eq!(harness.state().current_pair(), Some(queue[start + 30]));
    burst(&mut harness, &[Key::ArrowLeft; 3]);
    assert_eq!(harness.state().current_pair(), Some(queue[start + 27]));

    // A tag, a page turn, the same tag twice (on, then off again), a page turn, another tag.
    burst(&mut harness, &[Key::Num1, Key::ArrowRight, Key::Num2, Key::Num2, Key::ArrowRight, Key::Num3]);
    settle(&mut harness);
    let mut store = Store::open(&project).unwrap();
    let tag = |store: &mut Store, name: &str| store.read(|tx| tx.find_tag(name)).unwrap().unwrap().id;
    let (dark, sunset) = (tag(&mut store, "dark"), tag(&mut store, "sunset"));
    let t = labeler(&mut store, "t");
    let tags_on = |store: &mut Store, i: usize| store.read(|tx| tx.pair_tags_by(queue[start + i], t)).unwrap();
    assert_eq!(tags_on(&mut store, 27), vec![dark]);
    assert_eq!(tags_on(&mut store, 28), vec![], "blurry went on and off again: both presses counted");
    assert_eq!(tags_on(&mut store, 29), vec![sunset]);
    let kinds: Vec<(PairId, String)> = events(&mut store).into_iter().map(|(p, k, _)| (p, k)).collect();
    let tag_event = |i: usize| (queue[start + i], "tag".to_owned());
    assert_eq!(kinds, [tag_event(27), tag_event(28), tag_event(28), tag_event(29)]);
}

#[test]
fn opening_as_a_new_labeler_creates_them_and_starts_in_review() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let harness = review_as(&project, "kiosk-1");
    harness.get_by_label("Labeler: kiosk-1");
    assert!(harness.query_by_label("Start labeling").is_none(), "no labeler picker");
    let mut store = Store::open(&project).unwrap();
    let kiosk = store.read(|tx| tx.find_labeler("kiosk-1")).unwrap().expect("created");
    assert_eq!(kiosk.role, pairscope::store::Role::Labeler);
    // Opening again as the same labeler finds them instead of adding another.
    drop(harness);
    let _again = review_as(&project, "kiosk-1");
    assert_eq!(store.read(|tx| tx.labelers()).unwrap().len(), 1);
}

#[test]
fn frame_timings_show_only_with_the_developers_overlay() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = review_as(&project, "t");
    harness.key_press(Key::ArrowRight);
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("Last page turn drawn").is_none(), "no debug text for labelers");
    harness.key_press(Key::F12);
    harness.key_press(Key::ArrowRight);
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("Last page turn drawn").is_some(), "F12 shows it");
}
