//! What the buttons on the analysis screens write, through egui_kittest on the real demo
//! project: suggested tags accepted or rejected photo by photo, a table exported as CSV and a
//! plot saved as PNG (the file dialogs answered with a temporary path).

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::gui::{H, open, project, settle_analysis, start_labeling_as, step_until, text_with};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pairscope::analysis::Prepared;
use pairscope::store::{PairId, Store};
use pairscope::ui::{FileDialogs, PairscopeApp, PathRequest, State};

/// Tall enough for the suggestions at the bottom of the Error analysis screen: a click lands
/// where the widget is drawn, and scrolling a nested list into view is not what is tested.
const WINDOW: egui::Vec2 = egui::vec2(1400.0, 1800.0);

/// Answers every file dialog with one path.
struct Answer(PathBuf);

impl FileDialogs for Answer {
    fn ask(&self, _: &PathRequest) -> Option<PathBuf> {
        Some(self.0.clone())
    }
}

fn app<'a>(project: &Path, answer: &Path) -> H<'a> {
    let (project, dialogs) = (project.to_owned(), Arc::new(Answer(answer.to_owned())));
    let mut harness = Harness::builder().with_size(WINDOW).build_eframe(move |cc| {
        PairscopeApp::with_state(cc.egui_ctx.clone(), State::default(), Some(project.clone()))
            .with_file_dialogs(dialogs.clone())
    });
    step_until(&mut harness, "the project to load", |h| h.query_by_label("Error analysis").is_some());
    harness
}

/// Clicks the first button of this label (the window is tall enough to show it).
fn click_first(harness: &mut H<'_>, label: &str) {
    let node = harness.query_all_by_label(label).next().unwrap_or_else(|| panic!("no {label} button"));
    assert!(node.rect().bottom() < WINDOW.y, "{label} is on screen: {:?}", node.rect());
    harness.query_all_by_label(label).next().unwrap().click();
    harness.run_steps(2);
}

/// The labelers' applications of `tag` on `pair`, by name.
fn tagged_by(project: &Path, pair: PairId, tag: &str) -> Vec<String> {
    let mut store = Store::open(project).unwrap();
    let data = store.read(|tx| tx.review_data()).unwrap();
    let tag = data.tags.iter().find(|t| t.name == tag).unwrap().id;
    let by = data.pair_tags.get(&pair).cloned().unwrap_or_default();
    by.iter()
        .filter(|(_, t)| *t == tag)
        .map(|(l, _)| data.labelers.iter().find(|x| x.id == *l).unwrap().name.clone())
        .collect()
}

fn tag_applications(project: &Path) -> usize {
    let data = Store::open(project).unwrap().read(|tx| tx.review_data()).unwrap();
    data.pair_tags.values().map(Vec::len).sum()
}

#[test]
fn a_suggestion_accepted_is_tagged_by_me_and_one_rejected_leaves_the_list_for_good() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = app(&project, &dir.path().join("unused"));
    start_labeling_as(&mut harness, "eve", "Engineer");
    open(&mut harness, "Error analysis");
    let photos = harness.state().suggested_photos("dark");
    assert!(!photos.is_empty(), "the demo has dark suggestions");
    let first = photos[0].clone();
    harness.remove_cursor();
    harness.run_steps(2);
    harness.snapshot("suggestions_review");
    assert!(first.pairs.iter().all(|&p| !tagged_by(&project, p, "dark").contains(&"eve".to_string())));
    let before = tag_applications(&project);

    // Accept the first (darkest) photo: each of its pairs tagged dark by eve, and off the list.
    click_first(&mut harness, "Accept");
    settle_analysis(&mut harness);
    for &pair in &first.pairs {
        assert!(tagged_by(&project, pair, "dark").contains(&"eve".to_string()), "eve's tag on {pair:?}");
    }
    assert_eq!(tag_applications(&project), before + first.pairs.len(), "and nothing else");
    let dark_left = harness.state().suggested_pairs("dark");
    assert!(first.pairs.iter().all(|p| !dark_left.contains(p)));

    // Reject the next photo listed (the dark column comes first, then the blurry one): its
    // pairs off the list, not tagged, and stored.
    let (second, tag) = match harness.state().suggested_photos("dark").first() {
        Some(photo) => (photo.clone(), "dark"),
        None => (harness.state().suggested_photos("blurry").first().expect("blurry suggestions").clone(), "blurry"),
    };
    let listed = harness.state().suggested_pairs(tag);
    click_first(&mut harness, "Reject");
    settle_analysis(&mut harness);
    let left = harness.state().suggested_pairs(tag);
    assert!(second.pairs.iter().all(|p| !left.contains(p)));
    assert!(second.pairs.iter().all(|&p| !tagged_by(&project, p, tag).contains(&"eve".to_string())));
    let mut rejected: Vec<_> =
        Store::open(&project).unwrap().read(|tx| tx.rejected_suggestions()).unwrap().into_iter().collect();
    rejected.sort();
    let mut expected: Vec<_> = second.pairs.iter().map(|&p| (p, tag.to_string())).collect();
    expected.sort();
    assert_eq!(rejected, expected);

    // A new window on the same project does not suggest them again.
    drop(harness);
    let mut harness = app(&project, &dir.path().join("unused"));
    open(&mut harness, "Error analysis");
    let again = harness.state().suggested_pairs(tag);
    assert!(second.pairs.iter().all(|p| !again.contains(p)), "a rejected suggestion stays rejected");
    // Without a labeler at work, the pairs eve accepted may be listed again (her tag alone need
    // not be the consensus); the rejected ones are the only other change.
    let others = again.iter().filter(|p| !first.pairs.contains(p)).count();
    assert_eq!(others, listed.len() - second.pairs.len(), "only the rejected ones are gone: {again:?}");
}

/// One photo in several pairs is one suggestion row, and accepting it tags every one of its
/// pairs (the demo's statistics, with one photo made very dark in the store).
#[test]
fn a_dark_photo_in_several_pairs_is_one_row_and_accepting_it_tags_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let (image, its_pairs) = {
        let mut store = Store::open(&project).unwrap();
        let pairs = store.read(|tx| tx.pairs()).unwrap();
        let mut by_image = std::collections::HashMap::<_, Vec<PairId>>::new();
        for p in &pairs {
            by_image.entry(p.image_a).or_default().push(p.id);
            by_image.entry(p.image_b).or_default().push(p.id);
        }
        let (image, its_pairs) = by_image.into_iter().max_by_key(|(id, p)| (p.len(), std::cmp::Reverse(*id))).unwrap();
        assert!(its_pairs.len() >= 3, "the demo has a photo in several pairs");
        store.write(|tx| tx.set_image_stats(image, 0.001, 500.0)).unwrap();
        (image, its_pairs)
    };
    let name = Store::open(&project).unwrap().read(|tx| tx.photo_stats_by_pair()).unwrap().photos[&image].name.clone();
    let mut harness = app(&project, &dir.path().join("unused"));
    start_labeling_as(&mut harness, "eve", "Engineer");
    open(&mut harness, "Error analysis");
    harness.run_steps(2);

    let photos = harness.state().suggested_photos("dark");
    let row = photos.iter().find(|p| p.name == name).expect("the dark photo is suggested");
    assert_eq!(photos.iter().filter(|p| p.name == name).count(), 1, "one row for the photo");
    assert_eq!(photos[0].name, name, "the darkest first");
    assert!(row.pairs.len() >= 3 && row.pairs.iter().all(|p| its_pairs.contains(p)), "{:?}", row.pairs);
    assert_eq!(harness.query_all_by_label(&name).count(), 1, "its name is drawn once");
    assert!(text_with(&harness, &format!("in {} pairs", row.pairs.len())).is_some());
    assert!(text_with(&harness, "brightness 0.001 < 0.220").is_some(), "its value beside the cut-off");

    let before = tag_applications(&project);
    click_first(&mut harness, "Accept");
    settle_analysis(&mut harness);
    for &pair in &row.pairs {
        assert!(tagged_by(&project, pair, "dark").contains(&"eve".to_string()), "eve's tag on {pair:?}");
    }
    assert_eq!(tag_applications(&project), before + row.pairs.len());
    assert!(harness.state().suggested_photos("dark").iter().all(|p| p.name != name), "off the list");
}

#[test]
fn accepting_without_a_labeler_asks_for_one_and_tags_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = app(&project, &dir.path().join("unused"));
    open(&mut harness, "Error analysis");
    let dark = harness.state().suggested_pairs("dark");
    assert!(!dark.is_empty());
    let before = tag_applications(&project);
    click_first(&mut harness, "Accept");
    settle_analysis(&mut harness);
    assert!(text_with(&harness, "Pick a labeler first").is_some(), "the app says what to do");
    assert_eq!(harness.state().suggested_pairs("dark"), dark, "still suggested");
    assert_eq!(tag_applications(&project), before, "nothing was tagged");
}

#[test]
fn export_csv_writes_the_tag_table_at_the_threshold_shown() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let csv = dir.path().join("tags.csv");
    let mut harness = app(&project, &csv);
    open(&mut harness, "Error analysis");
    harness.get_by_label("Max accuracy").click();
    harness.run_steps(2);
    let threshold = harness.state().state.selection.threshold;

    // The first "Export CSV…" is the per-tag table's.
    click_first(&mut harness, "Export CSV…");
    step_until(&mut harness, "the CSV", |h| h.state().is_idle() && csv.is_file());
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "slice,pairs,share_of_data,errors,share_of_errors,error_rate,accuracy,hlp,gap_to_hlp,priority,fp,fn,\
             error_rate_ci95_lo,error_rate_ci95_hi,accuracy_ci95_lo,accuracy_ci95_hi,ranked"
        )
    );
    let rows: Vec<&str> = lines.collect();

    let mut store = Store::open(&project).unwrap();
    let snap = store.read(|tx| tx.snapshot(tx.choose_model(None)?.map(|m| m.id))).unwrap();
    let table = Prepared::new(&snap.snapshot).unwrap().tag_table(threshold);
    assert!(!table.is_empty());
    assert_eq!(rows.len(), table.len(), "one line per row of the table");
    for row in &table {
        let line = rows.iter().find(|l| l.starts_with(&format!("{},", row.name))).expect("each tag has its line");
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields[1], row.pairs.to_string(), "{line}");
        assert_eq!(fields[3], row.errors.to_string(), "{line}");
    }
}

#[test]
fn save_png_writes_the_plot_from_a_screenshot() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let png = dir.path().join("histogram.png");
    let mut harness = app(&project, &png);
    open(&mut harness, "Model");
    let plot = harness.query_all_by_label("Save PNG…").next().unwrap().rect();

    // The harness renders the frame for the screenshot (wgpu); a thread of the app asks for the
    // path and writes the file.
    click_first(&mut harness, "Save PNG…");
    let deadline = Instant::now() + Duration::from_secs(30);
    let image = loop {
        if let Ok(image) = image::open(&png) {
            break image.to_rgba8();
        }
        assert!(Instant::now() < deadline, "no PNG at {}", png.display());
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    };
    let (w, h) = image.dimensions();
    // One of three plots side by side in a 1400-point window, 230 points high.
    assert!((300..=480).contains(&w) && (150..=260).contains(&h), "{w}x{h}");
    assert!(plot.width() < w as f32, "the plot, not its title's button: {w}x{h} vs {plot:?}");
    let first = image.get_pixel(0, 0);
    assert!(image.pixels().any(|p| p != first), "the plot is drawn, not a blank image");
}
