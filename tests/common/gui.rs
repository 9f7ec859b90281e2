//! Helpers shared by the GUI tests (egui_kittest): the demo project, stepping the app until its
//! worker threads are done, and reading what a screen or the project file says.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use egui_kittest::kittest::{NodeT, Queryable, by};
use egui_kittest::{Harness, Node};
use pairscope::domain::Truth;
use pairscope::store::{LabelerId, PairId, Store};
use pairscope::ui::{PairscopeApp, State};

pub type H<'a> = Harness<'a, PairscopeApp>;

/// How long one wait may take: a hang fails the test instead of blocking CI.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// The demo project, built once per test binary (10–20 s in debug).
pub fn demo() -> &'static Path {
    static DEMO: OnceLock<PathBuf> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let path = dir.join("demo.pairscope");
        pairscope::demo::create_demo(&path, false, |_| {}).expect("building the demo project");
        // A fixed project identity: each labeler's shuffled queue, and so the photos the review
        // screen decodes ahead, are the same in every run (snapshots depend on them).
        Store::open(&path).unwrap().write(|tx| tx.set_meta("project_uid", "gui-tests-demo")).unwrap();
        path
    })
}

/// A copy of the demo project of this test's own (tests write runs, splits and labels into it).
pub fn project(dir: &Path) -> PathBuf {
    let path = dir.join("demo.pairscope");
    Store::open(demo()).unwrap().integrity_check().unwrap();
    std::fs::copy(demo(), &path).unwrap();
    path
}

/// The app (1280x800, default state) opened on `project`, at the labeler picker.
pub fn at_labeler_picker<'a>(project: &Path) -> H<'a> {
    let project = project.to_owned();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| PairscopeApp::with_state(cc.egui_ctx.clone(), State::default(), Some(project)));
    step_until(&mut harness, "the labeler picker", |h| h.query_by_label("Start labeling").is_some());
    harness.step();
    harness
}

/// Steps the app until `done` holds. Loading, saving, decoding and the analysis run on worker
/// threads, so this waits on them, for [`DEADLINE`] at the most.
pub fn step_until(harness: &mut H<'_>, what: &str, done: impl Fn(&H<'_>) -> bool) {
    step_until_within(harness, what, DEADLINE, done);
}

/// [`step_until`] for a wait known to take longer (real inference on a whole project).
pub fn step_until_within(harness: &mut H<'_>, what: &str, limit: Duration, done: impl Fn(&H<'_>) -> bool) {
    let deadline = Instant::now() + limit;
    while !done(harness) {
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Everything saved and every wanted photo decoded and drawn.
pub fn settle(harness: &mut H<'_>) {
    step_until(harness, "saves and decodes to finish", |h| h.state().is_idle() && h.state().images_loading() == 0);
    // Textures that just arrived ask for a few more frames.
    harness.run_steps(4);
}

/// [`settle`], and the analysis of the analysis screens computed too.
pub fn settle_analysis(harness: &mut H<'_>) {
    step_until(harness, "the I/O, decodes and analysis to finish", |h| {
        h.state().is_idle() && h.state().images_loading() == 0 && h.state().analysis_ready()
    });
    harness.run_steps(4);
}

/// Opens a screen from the top bar and waits until it is drawn with its data.
pub fn open(harness: &mut H<'_>, screen: &str) {
    harness.get_by_label(screen).click();
    // One frame handles the click, the next draws the screen and asks for its data.
    harness.run_steps(2);
    settle_analysis(harness);
}

/// Types `text` into the text field of this label.
pub fn type_into(harness: &mut H<'_>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.step();
    harness.get_by_label(label).type_text(text);
    harness.step();
}

/// Creates (or picks) a labeler through the picker and waits until the app works as them.
pub fn start_labeling(harness: &mut H<'_>, name: &str) {
    start_labeling_as(harness, name, "Labeler");
}

/// [`start_labeling`] with a role for a new labeler: "Labeler", "Adjudicator" or "Engineer".
/// Only adjudicators and engineers may open the analysis screens.
pub fn start_labeling_as(harness: &mut H<'_>, name: &str, role: &str) {
    type_into(harness, "New labeler:", name);
    harness.get_by_label(role).click();
    harness.step();
    harness.get_by_label("Start labeling").click();
    step_until(harness, "the labeler", |h| h.state().labeler() == Some(name));
}

/// A node's text: its label, or its value where the label is empty (a wrapped label's text).
pub fn text_of(node: &Node<'_>) -> Option<String> {
    node.accesskit_node().label().filter(|l| !l.is_empty()).or_else(|| node.accesskit_node().value())
}

/// The whole text of a label containing `part`. A wrapped label's lines are nodes of their own,
/// hence the longest match.
pub fn text_with(harness: &H<'_>, part: &str) -> Option<String> {
    harness.query_all(by()).filter_map(|n| text_of(&n)).filter(|text| text.contains(part)).max_by_key(|text| text.len())
}

pub fn labeler(store: &mut Store, name: &str) -> LabelerId {
    store.read(|tx| tx.find_labeler(name)).unwrap().expect("labeler exists").id
}

/// The verdict of the labeler of this name on `pair`.
pub fn verdict(store: &mut Store, pair: PairId, name: &str) -> Option<Truth> {
    let id = labeler(store, name);
    store.read(|tx| tx.verdict(pair, id)).unwrap()
}

/// Clicks `item` in the top bar's menu `menu` ("Project").
pub fn menu_item(harness: &mut H<'_>, menu: &str, item: &str) {
    harness.get_by_label(menu).click();
    step_until(harness, item, |h| h.query_by_label(item).is_some());
    harness.get_by_label(item).click();
    harness.step();
}

/// "Switch labeler", in the menu the top bar's "Labeler: NAME" opens.
pub fn switch_labeler(harness: &mut H<'_>) {
    harness.get_by_label_contains("Labeler: ").click();
    step_until(harness, "Switch labeler", |h| h.query_by_label("Switch labeler").is_some());
    harness.get_by_label("Switch labeler").click();
    harness.step();
}
