//! The labeling workflow driven through egui_kittest on a real project built from
//! ../shared/datasets/sitcom: keys, tags, undo, labelers, blind mode, adjudication. Every test
//! asserts on the project file afterwards.

use crate::common;

use std::path::{Path, PathBuf};

use common::gui::{H, at_labeler_picker, labeler, settle, step_until, type_into};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use pairscope::domain::Truth;
use pairscope::store::{PairId, Store};
use pairscope::ui::{PairscopeApp, State};

fn app<'a>(project: &Path) -> H<'a> {
    let harness = at_labeler_picker(project);
    harness.check_accessibility();
    harness
}

/// Creates (or picks) a labeler through the picker and waits for the review screen.
fn start_labeling(harness: &mut H<'_>, name: &str, adjudicator: bool) {
    start_as(harness, name, if adjudicator { "Adjudicator" } else { "Labeler" });
}

/// Creates a labeler with this role ("Labeler", "Adjudicator", "Engineer") through the picker
/// and waits for the review screen.
fn start_as(harness: &mut H<'_>, name: &str, role: &str) {
    type_into(harness, "New labeler:", name);
    harness.get_by_label(role).click();
    harness.step();
    harness.get_by_label("Start labeling").click();
    let suffix = if role == "Labeler" { String::new() } else { format!(" ({})", role.to_lowercase()) };
    let want = format!("Labeler: {name}{suffix}");
    step_until(harness, "the review screen", |h| h.query_by_label(&want).is_some());
    settle(harness);
    harness.check_accessibility();
}

fn press(harness: &mut H<'_>, key: Key) {
    harness.key_press(key);
    harness.step();
}

fn press_with(harness: &mut H<'_>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.step();
}

fn switch_to(harness: &mut H<'_>, name: &str, adjudicator: bool) {
    common::gui::switch_labeler(harness);
    step_until(harness, "the labeler picker", |h| h.query_by_label("Start labeling").is_some());
    start_labeling(harness, name, adjudicator);
}

fn first_pairs(store: &mut Store, n: usize) -> Vec<PairId> {
    store.read(|tx| tx.pairs()).unwrap().into_iter().take(n).map(|p| p.id).collect()
}

/// The pair on screen.
fn current(harness: &H<'_>) -> PairId {
    harness.state().current_pair().expect("a pair on screen")
}

#[test]
fn labels_tags_and_undoes_with_the_keyboard_saving_every_action_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = app(&project);
    start_labeling(&mut harness, "alice", false);
    harness.get_by_label("0 / 160 labeled");
    // Blind: neutral names, and each labeler's own order of the pairs.
    harness.get_by_label("Photo A");
    harness.get_by_label("Photo B");
    let mut pairs = vec![current(&harness)];

    press(&mut harness, Key::S);
    press(&mut harness, Key::Num1); // dark
    press(&mut harness, Key::Num3); // sunset
    press(&mut harness, Key::Num3); // sunset off again
    press(&mut harness, Key::Num2); // blurry
    press(&mut harness, Key::ArrowRight);
    pairs.push(current(&harness));
    press(&mut harness, Key::D);
    press(&mut harness, Key::Space); // the next pair without my verdict
    pairs.push(current(&harness));
    press(&mut harness, Key::S);
    settle(&mut harness);
    harness.get_by_label("3 / 160 labeled");

    // Undo the verdict on the third pair, then the one on the second (which turns back to it).
    press_with(&mut harness, Modifiers::COMMAND, Key::Z);
    press_with(&mut harness, Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    harness.get_by_label("1 / 160 labeled");
    harness.get_by_label_contains("Pair 2 of 160");
    // Redo brings the second pair's verdict back.
    press_with(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    settle(&mut harness);
    harness.get_by_label("2 / 160 labeled");

    let mut store = Store::open(&project).unwrap();
    let alice = labeler(&mut store, "alice");
    let verdicts: Vec<Option<Truth>> = pairs.iter().map(|&p| store.read(|tx| tx.verdict(p, alice)).unwrap()).collect();
    assert_eq!(verdicts, [Some(Truth::Same), Some(Truth::Different), None]);
    let tag = |store: &mut Store, name: &str| store.read(|tx| tx.find_tag(name)).unwrap().unwrap().id;
    let (dark, blurry) = (tag(&mut store, "dark"), tag(&mut store, "blurry"));
    assert_eq!(store.read(|tx| tx.pair_tags_by(pairs[0], alice)).unwrap(), vec![dark, blurry]);

    // The audit log only grows: undo and redo are compensating events. (Leaving a pair with
    // my verdict reveals it, logged too: those events are counted apart.)
    let labels = |store: &mut Store, p| {
        let events = store.read(|tx| tx.label_events(p)).unwrap();
        events.into_iter().filter(|e| e.kind != "reveal").collect::<Vec<_>>()
    };
    let kinds = |store: &mut Store, p| -> Vec<(String, Option<String>, Option<String>)> {
        labels(store, p).into_iter().map(|e| (e.kind, e.before, e.after)).collect()
    };
    let same = Some("\"same\"".to_owned());
    let different = Some("\"different\"".to_owned());
    assert_eq!(kinds(&mut store, pairs[2]), [("verdict".into(), None, same.clone()), ("verdict".into(), same, None)]);
    assert_eq!(
        kinds(&mut store, pairs[1]),
        [
            ("verdict".into(), None, different.clone()),
            ("verdict".into(), different.clone(), None),
            ("verdict".into(), None, different)
        ]
    );
    assert_eq!(kinds(&mut store, pairs[0]).len(), 5, "a verdict and four tag toggles");
    assert!(store.read(|tx| tx.label_events(pairs[0])).unwrap().iter().all(|e| e.origin == "gui"));
    let origins = |store: &mut Store, p| -> Vec<String> { labels(store, p).into_iter().map(|e| e.origin).collect() };
    assert_eq!(origins(&mut store, pairs[1]), ["gui", "gui:undo", "gui:redo"], "the log says what undo did");
    assert_eq!(origins(&mut store, pairs[2]), ["gui", "gui:undo"]);
    // The second pair was revealed when I left it: the verdict redone after that is not blind.
    let not_blind = store.read(|tx| tx.not_blind_labels()).unwrap();
    assert_eq!(not_blind, [pairscope::store::NotBlindLabel { pair: pairs[1], labeler: alice, tag: None }]);
}

#[test]
fn the_next_pair_is_drawn_in_the_frame_that_reads_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = app(&project);
    start_labeling(&mut harness, "alice", false);
    for _ in 0..5 {
        settle(&mut harness); // the neighbours are prefetched while the labeler looks
        harness.key_down(Key::ArrowRight);
        harness.step(); // the frame that reads the key
        let turn = harness.state().last_page_turn().expect("the page turn was drawn");
        assert_eq!(turn.frames, 0, "the new pair, with its photos, is drawn in the frame that read the key");
        harness.key_up(Key::ArrowRight);
        harness.step();
        assert!(harness.query_by_label_contains("Loading photo").is_none());
    }
    harness.get_by_label_contains("Pair 6 of 160");
}

#[test]
fn blind_mode_hides_truth_and_others_until_the_reveal_and_an_adjudicator_settles_it() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = app(&project);
    start_labeling(&mut harness, "alice", false);
    let pair = current(&harness);
    let truth =
        Store::open(&project).unwrap().read(|tx| tx.pairs()).unwrap().iter().find(|p| p.id == pair).unwrap().truth;
    let truth = truth.expect("sitcom pairs have their truth");
    // The adjudicator's consensus goes against the truth, and corrects it.
    let (corrected, consensus) = match truth {
        Truth::Same => (Truth::Different, "Consensus: different"),
        Truth::Different => (Truth::Same, "Consensus: same"),
    };
    let truth = truth.as_str();
    assert!(harness.query_by_label_contains("Truth:").is_none(), "blind before my verdict");
    press(&mut harness, Key::S);
    assert!(harness.query_by_label_contains("Truth:").is_none(), "and after it, until I leave the pair or press R");
    press(&mut harness, Key::R);
    harness.get_by_label(&format!("Truth: {truth}"));
    harness.get_by_label("No other labeler has worked on this pair.");
    settle(&mut harness);

    // Bob, in another pairscope, says different and dark on the same pair.
    let mut other = Store::open(&project).unwrap();
    other
        .write(|tx| {
            let bob = tx.labeler_or_create("bob")?.0.id;
            tx.set_verdict(pair, bob, Some(Truth::Different), pairscope::store::Origin::Cli)?;
            tx.set_pair_tag(pair, bob, tx.find_tag("dark")?.unwrap().id, true, pairscope::store::Origin::Cli)?;
            Ok::<_, pairscope::store::StoreError>(())
        })
        .unwrap();
    drop(other);
    step_until(&mut harness, "bob's labels", |h| h.query_by_label("Others: bob: different [dark]").is_some());
    harness.get_by_label("Disagreements (1, on pairs you judged)");

    switch_to(&mut harness, "judge", true);
    harness.get_by_label("Disagreements (1)").click();
    harness.step();
    harness.step();
    harness.get_by_label("Adjudication");
    harness.get_by_label("The labelers disagree on this pair.");
    harness.check_accessibility();
    harness.get_by_label(consensus).click();
    harness.step();
    harness.get_by_label("Consensus tag dark").click();
    harness.step();
    harness.get_by_label("Also correct the truth to the consensus").click();
    harness.step();
    type_into(&mut harness, "Reason", "the second photo is her sister");
    harness.get_by_label("Record decision").click();
    harness.step();
    settle(&mut harness);
    step_until(&mut harness, "the queue to empty", |h| h.query_by_label("Disagreements (0)").is_some());
    harness.get_by_label(&format!("Truth: {}", corrected.as_str()));
    // The next labeler is blind again, whatever the adjudicator saw.
    switch_to(&mut harness, "carol", false);
    harness.get_by_label("Photo A");
    assert!(harness.query_by_label_contains("Truth:").is_none(), "carol starts blind");

    let mut store = Store::open(&project).unwrap();
    let judge = labeler(&mut store, "judge");
    let data = store.read(|tx| tx.review_data()).unwrap();
    let decision = &data.adjudications[&pair];
    assert_eq!((decision.by, decision.verdict), (judge, Some(corrected)));
    assert_eq!(decision.tags, ["dark"]);
    assert_eq!(decision.reason, "the second photo is her sister");
    assert_eq!(data.pairs.iter().find(|p| p.id == pair).unwrap().truth, Some(corrected));
    let events = store.read(|tx| tx.label_events(pair)).unwrap();
    let truth = events.iter().find(|e| e.kind == "truth").expect("the truth correction is in the audit log");
    assert_eq!(truth.reason.as_deref(), Some("the second photo is her sister"));
    assert_eq!(truth.labeler, Some(judge));
    // Nobody's own labels were touched by the others.
    let (alice, bob) = (labeler(&mut store, "alice"), labeler(&mut store, "bob"));
    assert_eq!(store.read(|tx| tx.verdict(pair, alice)).unwrap(), Some(Truth::Same));
    assert_eq!(store.read(|tx| tx.verdict(pair, bob)).unwrap(), Some(Truth::Different));
}

#[test]
fn a_missing_or_broken_photo_shows_why_and_the_pair_can_still_be_labeled() {
    let dir = tempfile::tempdir().unwrap();
    let images = dir.path().join("people");
    for person in ["ann", "ben"] {
        std::fs::create_dir_all(images.join(person)).unwrap();
        for i in 1..=2u8 {
            image::RgbImage::from_pixel(40, 50, image::Rgb([i * 60, 90, 120]))
                .save(images.join(person).join(format!("{person}{i}.png")))
                .unwrap();
        }
    }
    let project = dir.path().join("tiny.pairscope");
    common::ok(["import-folders", project.to_str().unwrap(), "--images", images.to_str().unwrap(), "--seed", "1"]);
    std::fs::remove_file(images.join("ann/ann1.png")).unwrap();
    std::fs::write(images.join("ann/ann2.png"), b"no longer a png").unwrap();

    let mut harness = app(&project);
    // An adjudicator works with blind mode off, in the project's order: the broken pair first.
    start_labeling(&mut harness, "alice", true);
    harness.get_by_label("Cannot show photo A: file not found");
    harness.get_by_label_contains("Cannot show photo B: cannot decode the image");
    press(&mut harness, Key::D);
    // A "broken" tag, made on the spot in the tag editor, gets the next free key: 5.
    common::gui::menu_item(&mut harness, "Project", "Tags…");
    step_until(&mut harness, "the tag editor", |h| h.query_by_label("New tag:").is_some());
    type_into(&mut harness, "New tag:", "broken");
    harness.get_by_label("Add tag").click();
    harness.step();
    settle(&mut harness);
    step_until(&mut harness, "the new tag in the strip", |h| h.query_by_label("5 broken").is_some());
    harness.get_by_label("Close window").click();
    harness.step();
    press(&mut harness, Key::Num5);
    settle(&mut harness);

    let mut store = Store::open(&project).unwrap();
    let alice = labeler(&mut store, "alice");
    let pair = first_pairs(&mut store, 1)[0];
    assert_eq!(store.read(|tx| tx.verdict(pair, alice)).unwrap(), Some(Truth::Different));
    let broken = store.read(|tx| tx.find_tag("broken")).unwrap().expect("the tag was created");
    assert_eq!(broken.hotkey, Some(5));
    assert_eq!(store.read(|tx| tx.pair_tags_by(pair, alice)).unwrap(), vec![broken.id]);
}

#[test]
fn note_and_cheat_sheet_open_from_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = app(&project);
    start_labeling(&mut harness, "alice", false);
    let pair = current(&harness);
    press(&mut harness, Key::Questionmark);
    harness.get_by_label("Keyboard shortcuts");
    // A window sizes itself to its content over its first frames; click where it has settled.
    harness.run_steps(3);
    harness.check_accessibility();
    harness.get_by_label("Close").click();
    step_until(&mut harness, "the sheet to close", |h| h.query_by_label("Keyboard shortcuts").is_none());

    press(&mut harness, Key::N);
    harness.step();
    harness.check_accessibility();
    harness.get_by_label("Note").type_text("poster in the background");
    harness.step();
    // Keys typed into the note do not label the pair.
    harness.get_by_label("Note").type_text("s");
    harness.key_press(Key::S);
    harness.step();
    harness.get_by_label("Save note").click();
    harness.step();
    settle(&mut harness);
    harness.get_by_label("Your note: poster in the backgrounds");

    let mut store = Store::open(&project).unwrap();
    let alice = labeler(&mut store, "alice");
    assert_eq!(store.read(|tx| tx.note(pair, alice)).unwrap().as_deref(), Some("poster in the backgrounds"));
    assert_eq!(store.read(|tx| tx.verdict(pair, alice)).unwrap(), None);
}

#[test]
fn review_screen_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    // A fixed project identity, so alice's shuffled queue (and the pair drawn) is always the same.
    Store::open(&project).unwrap().write(|tx| tx.set_meta("project_uid", "review-snapshot")).unwrap();
    let mut harness = app(&project);
    start_labeling(&mut harness, "alice", false);
    press(&mut harness, Key::S);
    press(&mut harness, Key::Num2);
    settle(&mut harness);
    harness.snapshot("review");
}

#[test]
fn tag_editor_renames_describes_and_merges() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = app(&project);
    start_labeling(&mut harness, "alice", false);
    let pair = current(&harness);
    press(&mut harness, Key::Num3); // sunset on the first pair
    settle(&mut harness);

    common::gui::menu_item(&mut harness, "Project", "Tags…");
    step_until(&mut harness, "the tag editor", |h| h.query_by_label("Name of dark").is_some());
    harness.step();
    harness.check_accessibility();
    // The description is wide enough to read, and wraps rather than clipping.
    let description = harness.get_by_label("Description of dark").rect();
    assert!(description.width() >= 340.0, "the description field is {description:?}");
    assert!(description.height() > 30.0, "dark's description takes two lines, not one clipped: {description:?}");
    let name = harness.get_by_label("Name of dark");
    name.focus();
    harness.step();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.step();
    harness.get_by_label("Name of dark").type_text("low light");
    harness.step();
    harness.get_by_label("Description of dark").focus();
    harness.step();
    harness.key_press(Key::End);
    harness.step();
    harness.get_by_label("Description of dark").type_text(" Check the eyes.");
    harness.step();
    harness.get_by_label("Save dark").click();
    harness.step();
    settle(&mut harness);
    step_until(&mut harness, "the renamed tag", |h| h.query_by_label("1 low light").is_some());

    // Merge sunset into the renamed tag: alice's sunset on the first pair becomes low light.
    harness.get_by_label("Merge sunset").click();
    harness.step();
    harness.get_by_label("into low light").click();
    harness.step();
    harness.get_by_label("Merge tags").click();
    harness.step();
    settle(&mut harness);
    step_until(&mut harness, "sunset to go", |h| h.query_by_label("3 sunset").is_none());

    let mut store = Store::open(&project).unwrap();
    let tags = store.read(|tx| tx.tags()).unwrap();
    let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["low light", "blurry", "borderline"]);
    assert!(tags[0].description.ends_with("Check the eyes."), "{}", tags[0].description);
    let alice = labeler(&mut store, "alice");
    assert_eq!(store.read(|tx| tx.pair_tags_by(pair, alice)).unwrap(), vec![tags[0].id]);
}

#[test]
fn keys_act_on_the_pair_after_a_button_was_clicked() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = app(&project);
    // An engineer, who may turn blind mode off; on, to start with.
    start_as(&mut harness, "alice", "Engineer");
    harness.get_by_label("Blind mode").click();
    harness.run_steps(2);
    let mut pairs = vec![current(&harness)];
    harness.get_by_label("2 blurry").click(); // the mouse works too
    harness.step();
    // Space must turn the page, not click the focused tag again.
    press(&mut harness, Key::Space);
    let queue = harness.state().queue_pairs();
    let next = queue[(queue.iter().position(|&p| p == pairs[0]).unwrap() + 1) % queue.len()];
    assert_eq!(current(&harness), next, "Space went on to the next pair");
    pairs.push(current(&harness));
    harness.get_by_label("Blind mode").click();
    harness.run_steps(2);
    press(&mut harness, Key::D);
    settle(&mut harness);
    assert_eq!(current(&harness), pairs[1], "blind mode off keeps the pair on screen");
    harness.get_by_label_contains("Truth: ");

    let mut store = Store::open(&project).unwrap();
    let alice = labeler(&mut store, "alice");
    assert_eq!(store.read(|tx| tx.pair_tags_by(pairs[0], alice)).unwrap().len(), 1, "blurry, toggled once");
    assert_eq!(store.read(|tx| tx.verdict(pairs[1], alice)).unwrap(), Some(Truth::Different));
}

#[test]
fn pinch_or_wheel_zooms_both_photos_and_z_resets() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = app(&project);
    start_labeling(&mut harness, "alice", false);
    let centre = harness.get_by_label("Photo A").rect().center();
    harness.hover_at(centre);
    harness.step();
    harness.event(egui::Event::Zoom(2.0));
    harness.step();
    assert!((harness.state().zoom_scale() - 2.0).abs() < 1e-3, "zoomed to {}", harness.state().zoom_scale());
    press(&mut harness, Key::Z);
    assert_eq!(harness.state().zoom_scale(), 1.0);
}

#[test]
fn the_last_labeler_is_remembered_and_roles_are_set_in_the_picker() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = app(&project);
    start_labeling(&mut harness, "alice", false);
    let state = harness.state().state.clone();
    assert_eq!(state.last_labeler.as_deref(), Some("alice"));
    drop(harness);

    // A restart with the saved state goes straight to alice's review screen.
    let path = project.clone();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| PairscopeApp::with_state(cc.egui_ctx.clone(), state, Some(path)));
    step_until(&mut harness, "alice's review screen", |h| h.query_by_label("Labeler: alice").is_some());
    common::gui::switch_labeler(&mut harness);
    step_until(&mut harness, "the picker", |h| h.query_by_label("alice's role").is_some());
    harness.get_by_label("alice's role").click();
    harness.run_steps(2);
    harness.get_by_label("adjudicator").click();
    harness.step();
    settle(&mut harness);
    harness.get_by_label("Label as alice").click();
    step_until(&mut harness, "the adjudicator", |h| h.query_by_label("Labeler: alice (adjudicator)").is_some());

    let mut store = Store::open(&project).unwrap();
    let alice = store.read(|tx| tx.find_labeler("alice")).unwrap().unwrap();
    assert_eq!(alice.role, pairscope::store::Role::Adjudicator);
}

#[test]
fn model_errors_queue_follows_the_threshold_and_needs_scores() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = app(&project);
    start_as(&mut harness, "alice", "Engineer");
    harness.get_by_label("Blind mode").click();
    harness.run_steps(2);
    harness.get_by_label("Model errors and truth queues: hidden in blind mode.");
    harness.get_by_label("Blind mode").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Model errors: no scores yet.");
    drop(harness);

    // An outside model that is sure of itself and wrong on three pairs, borderline on one.
    let mut store = Store::open(&project).unwrap();
    let mut csv = String::from("pair_id,score\n");
    let fourth_is_same = store.read(|tx| tx.pairs()).unwrap()[3].truth == Some(Truth::Same);
    for (i, pair) in store.read(|tx| tx.pairs()).unwrap().iter().enumerate() {
        let right = if pair.truth == Some(Truth::Same) { 0.9 } else { 0.1 };
        let score = match i {
            0..3 => 1.0 - right,
            3 => 0.55,
            _ => right,
        };
        csv.push_str(&format!("\"{}\",{score}\n", pair.external_id.as_ref().unwrap()));
    }
    drop(store);
    let scores = dir.path().join("scores.csv");
    std::fs::write(&scores, csv).unwrap();
    common::ok(["import-scores", project.to_str().unwrap(), "--csv", scores.to_str().unwrap(), "--model", "outside"]);

    let mut state = State::default();
    state.selection.threshold = 0.5;
    let path = project.clone();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| PairscopeApp::with_state(cc.egui_ctx.clone(), state, Some(path)));
    step_until(&mut harness, "the picker", |h| h.query_by_label("Label as alice").is_some());
    harness.get_by_label("Label as alice").click();
    step_until(&mut harness, "the review screen", |h| h.query_by_label("Labeler: alice (engineer)").is_some());
    step_until(&mut harness, "the queues", |h| h.query_by_label_contains("Model errors (").is_some());
    // Three sure mistakes, plus the 0.55 pair on whichever side of the threshold is wrong.
    let (at_half, at_six) = if fourth_is_same { (3, 4) } else { (4, 3) };
    harness.get_by_label(&format!("Model errors ({at_half})"));
    harness.state_mut().state.selection.threshold = 0.6;
    harness.step();
    harness.get_by_label(&format!("Model errors ({at_six})"));
    harness.get_by_label_contains("Model errors (").click();
    harness.step();
    harness.step();
    harness.get_by_label_contains("in Model errors");
    harness.get_by_label_contains("Score (outside):");
}

#[test]
fn dropping_a_project_file_on_the_window_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(|cc| PairscopeApp::with_state(cc.egui_ctx.clone(), State::default(), None));
    harness.step();
    harness.get_by_label("Open project…");
    #[derive(Debug)]
    struct Dropped(PathBuf);
    impl egui::DroppedFile for Dropped {
        fn path(&self) -> &Path {
            &self.0
        }
        fn bytes(&self) -> Result<Vec<u8>, String> {
            std::fs::read(&self.0).map_err(|e| e.to_string())
        }
    }
    harness.input_mut().dropped_files.push(std::sync::Arc::new(Dropped(project.clone())));
    step_until(&mut harness, "the dropped project", |h| h.query_by_label("Start labeling").is_some());
    assert_eq!(harness.state().state.last_project.as_deref(), Some(project.as_path()));
}

#[test]
fn labels_saved_by_another_process_show_up_without_a_click() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = app(&project);
    start_labeling(&mut harness, "alice", true);
    settle(&mut harness);
    harness.get_by_label("Disagreements (0)");

    // Another labeler's pairscope (here: a second connection) saves two verdicts that disagree.
    let mut other = Store::open(&project).unwrap();
    let pair = first_pairs(&mut other, 1)[0];
    other
        .write(|tx| {
            let (bob, carol) = (tx.labeler_or_create("bob")?.0.id, tx.labeler_or_create("carol")?.0.id);
            tx.set_verdict(pair, bob, Some(Truth::Same), pairscope::store::Origin::Cli)?;
            tx.set_verdict(pair, carol, Some(Truth::Different), pairscope::store::Origin::Cli)?;
            Ok::<_, pairscope::store::StoreError>(())
        })
        .unwrap();
    step_until(&mut harness, "the outside change to show", |h| h.query_by_label("Disagreements (1)").is_some());
}

#[test]
fn a_labeler_sees_review_only_and_an_engineer_the_analysis_once_blind_mode_is_off() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = app(&project);
    let disabled = |h: &H<'_>, label: &str| h.get_by_label(label).accesskit_node().is_disabled();
    let analysis = ["Model", "Agreement", "Error analysis", "Curate"];

    start_labeling(&mut harness, "lee", false);
    for tab in analysis {
        assert!(disabled(&harness, tab), "{tab} is closed to a labeler");
    }
    assert!(disabled(&harness, "Blind mode"), "a labeler cannot turn blind mode off");
    press_with(&mut harness, Modifiers::COMMAND, Key::Num2);
    harness.step();
    assert_eq!(harness.state().screen(), pairscope::ui::Screen::Review, "nor open Model with its key");
    assert!(harness.state().state.blind);

    common::gui::switch_labeler(&mut harness);
    step_until(&mut harness, "the labeler picker", |h| h.query_by_label("Start labeling").is_some());
    start_as(&mut harness, "eng", "Engineer");
    assert!(!harness.state().state.blind, "an engineer starts seeing everything");
    for tab in analysis {
        assert!(!disabled(&harness, tab), "{tab} is open to an engineer");
    }
    harness.get_by_label("Blind mode").click();
    harness.step();
    harness.step();
    for tab in analysis {
        assert!(disabled(&harness, tab), "{tab} is closed while the engineer labels blind");
    }
    press_with(&mut harness, Modifiers::COMMAND, Key::Num2);
    harness.step();
    assert_eq!(harness.state().screen(), pairscope::ui::Screen::Review);
    harness.get_by_label("Blind mode").click();
    harness.step();
    press_with(&mut harness, Modifiers::COMMAND, Key::Num2);
    harness.step();
    assert_eq!(harness.state().screen(), pairscope::ui::Screen::Model);

    // Made a labeler by another pairscope: back to review, blind, at once.
    let mut other = Store::open(&project).unwrap();
    let eng = labeler(&mut other, "eng");
    other.write(|tx| tx.set_labeler_role(eng, pairscope::store::Role::Labeler, pairscope::store::Origin::Cli)).unwrap();
    step_until(&mut harness, "the role change to apply", |h| h.state().screen() == pairscope::ui::Screen::Review);
    assert!(harness.state().state.blind);
    let roles = other.read(|tx| tx.label_events_of(&["role"])).unwrap();
    assert_eq!(roles.len(), 2, "both role changes are in the audit log");
}
