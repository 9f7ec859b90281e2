//! The GUI's save path under load, on a real project built from ../shared/datasets/sitcom: an
//! edit counts as saved only once committed; a save that finds the file busy waits (and says
//! so) instead of failing; a save that panics on the I/O thread is reported and tried again.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::gui::{H, at_labeler_picker, settle, step_until, text_with, type_into};
use common::held_lock::{Held, WAITING};
use egui::Key;
use egui_kittest::kittest::Queryable;
use pairscope::domain::Truth;
use pairscope::store::{PairId, Store};

fn start_labeling(harness: &mut H<'_>, name: &str) {
    type_into(harness, "New labeler:", name);
    harness.get_by_label("Start labeling").click();
    step_until(harness, "the review screen", |h| h.state().labeler() == Some(name));
    settle(harness);
}

fn press(harness: &mut H<'_>, key: Key) {
    harness.key_press(key);
    harness.step();
}

fn verdict_of(name: &str, i: usize) -> &'static str {
    if (i + name.len()).is_multiple_of(2) { "same" } else { "different" }
}

/// A labels CSV in which `name` labels every pair (a verdict each, `dark` on every third).
fn labels_csv(dir: &Path, name: &str, pairs: &[String]) -> PathBuf {
    let mut csv = String::from("pair_id,labeler,verdict,tags\n");
    for (i, pair) in pairs.iter().enumerate() {
        let tags = if i % 3 == 0 { "dark" } else { "" };
        csv += &format!("{pair},{name},{},{tags}\n", verdict_of(name, i));
    }
    let path = dir.join(format!("{name}.csv"));
    std::fs::write(&path, csv).unwrap();
    path
}

fn import_labels(project: &Path, csv: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_pairscope"))
        .args([Path::new("import-labels"), project, Path::new("--csv"), csv])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting pairscope import-labels")
}

#[test]
fn three_importing_processes_and_the_gui_write_at_once_and_every_row_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let pairs: Vec<String> = Store::open(&project)
        .unwrap()
        .read(|tx| tx.pairs())
        .unwrap()
        .into_iter()
        .map(|p| p.external_id.expect("imported pairs have ids"))
        .collect();
    let importers = ["importer-a", "importer-b", "importer-c"];
    let csvs: Vec<PathBuf> = importers.iter().map(|name| labels_csv(dir.path(), name, &pairs)).collect();

    let mut harness = at_labeler_picker(&project);
    start_labeling(&mut harness, "gui");

    // Someone holds the file for longer than the old timeout while four writers start.
    let held = Held::take(&project);
    let children: Vec<Child> = csvs.iter().map(|csv| import_labels(&project, csv)).collect();
    let mut typed: Vec<(PairId, Truth)> = Vec::new();
    for i in 0..20 {
        let pair = harness.state().current_pair().expect("a pair on screen");
        let (key, truth) = if i % 2 == 0 { (Key::S, Truth::Same) } else { (Key::D, Truth::Different) };
        press(&mut harness, key);
        press(&mut harness, Key::ArrowRight);
        typed.push((pair, truth));
    }
    // The frames go on while the saves wait, and the status line says why they wait.
    step_until(&mut harness, "the status line to say the save waits", |h| text_with(h, WAITING).is_some());
    assert!(harness.state().unsaved_edits() > 0, "nothing is shown as saved before its commit");
    assert!(text_with(&harness, "All changes saved").is_none());
    held.release();

    let mut waited = 0;
    for (child, name) in children.into_iter().zip(importers) {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{name}: {stderr}");
        let told = stderr.matches(WAITING).count();
        assert!(told <= 1, "{name} says it waits once per wait: {stderr}");
        waited += told;
    }
    assert!(waited >= 1, "the importers that met the lock said they wait");
    settle(&mut harness);
    harness.get_by_label("All changes saved");

    let mut store = Store::open(&project).unwrap();
    let gui = store.read(|tx| tx.find_labeler("gui")).unwrap().unwrap().id;
    for &(pair, truth) in &typed {
        assert_eq!(store.read(|tx| tx.verdict(pair, gui)).unwrap(), Some(truth), "the GUI's label on {pair:?}");
    }
    let info = common::info(&project);
    let count = |name: &str, what: &str| {
        info["labelers"].as_array().unwrap().iter().find(|l| l["name"] == name).expect(name)[what].as_u64().unwrap()
    };
    let tagged = pairs.len().div_ceil(3) as u64;
    for name in importers {
        assert_eq!(count(name, "verdicts"), pairs.len() as u64, "{name}'s verdicts");
        assert_eq!(count(name, "tags_applied"), tagged, "{name}'s tags");
    }
    assert_eq!(count("gui", "verdicts"), typed.len() as u64);
    let events = 3 * (pairs.len() as u64 + tagged) + typed.len() as u64;
    let labels = store.read(|tx| tx.label_events_of(&["verdict", "tag"])).unwrap().len() as u64;
    assert_eq!(labels, events, "one audit event per row and key press");
    // Leaving each pair after its verdict showed the GUI labeler the answer there (blind review).
    let reveals = store.read(|tx| tx.label_events_of(&["reveal"])).unwrap().len();
    assert_eq!(reveals, typed.len(), "one reveal per pair left after a verdict");
}

#[test]
fn a_panic_on_the_io_thread_is_reported_and_the_edit_is_saved_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = at_labeler_picker(&project);
    start_labeling(&mut harness, "alice");
    let events_before = common::info(&project)["label_events"].as_u64().unwrap();

    let pair = harness.state().current_pair().unwrap();
    harness.state_mut().panic_in_next_save();
    press(&mut harness, Key::S);
    step_until(&mut harness, "the failed save to be reported", |h| text_with(h, "injected panic").is_some());
    let status = text_with(&harness, "not saved yet").expect("the status line says what is not saved");
    assert!(
        status.starts_with("1 change not saved yet: the I/O thread failed") && status.ends_with("— retrying"),
        "{status}"
    );

    // The worker lives on and the kept edit is written on the next try.
    step_until(&mut harness, "the retried save", |h| h.state().unsaved_edits() == 0);
    settle(&mut harness);
    harness.get_by_label("All changes saved");
    let mut store = Store::open(&project).unwrap();
    let alice = store.read(|tx| tx.find_labeler("alice")).unwrap().unwrap().id;
    assert_eq!(store.read(|tx| tx.verdict(pair, alice)).unwrap(), Some(Truth::Same));
    let events = common::info(&project)["label_events"].as_u64().unwrap();
    assert_eq!(events, events_before + 1, "the panicked transaction left nothing; the retry wrote it once");
    // A later edit saves at once, on the same worker.
    press(&mut harness, Key::ArrowRight);
    let next = harness.state().current_pair().unwrap();
    press(&mut harness, Key::D);
    settle(&mut harness);
    assert_eq!(store.read(|tx| tx.verdict(next, alice)).unwrap(), Some(Truth::Different));
}

#[test]
fn score_project_waits_for_a_busy_file_says_so_and_keeps_every_result() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = at_labeler_picker(&project);
    common::gui::open(&mut harness, "Model");

    let held = Held::take(&project);
    harness.get_by_label("Score project").click();
    step_until(&mut harness, "the Model screen to say the scores wait", |h| text_with(h, WAITING).is_some());
    held.release();
    common::gui::step_until_within(&mut harness, "scoring to finish", Duration::from_secs(300), |h| {
        h.state().scoring_outcome().is_some()
    });
    let outcome = harness.state().scoring_outcome().unwrap().to_owned();
    assert!(outcome.starts_with("Scored "), "{outcome}");
    let scores = common::info(&project)["models"][0]["scores"].as_u64().unwrap();
    assert!(outcome.starts_with(&format!("Scored {scores} pairs")) && scores > 0, "{outcome}");
}
