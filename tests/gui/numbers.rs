//! Numbers a labeler can read, driven through egui_kittest on the real demo project: each tag
//! count says whose tags it counts, the disagreements count says what blind mode hides, and an
//! error opened from the error browser lands on its pair in a queue of the slice's errors.

use crate::common;

use std::path::Path;

use common::gui::{H, open, project, settle, settle_analysis, start_labeling_as, step_until, text_of, text_with};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pairscope::analysis::Prepared;
use pairscope::store::{PairId, ReviewData, Store};
use pairscope::ui::{PairscopeApp, Screen, State};

fn app<'a>(project: &Path) -> H<'a> {
    let project = project.to_owned();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| PairscopeApp::with_state(cc.egui_ctx.clone(), State::default(), Some(project.clone())));
    step_until(&mut harness, "the project to load", |h| h.query_by_label("Error analysis").is_some());
    harness
}

/// Starts reviewing as a new adjudicator: adjudicators may see the analysis screens and switch
/// blind mode both ways. Blind mode starts off for them.
fn start_as_adjudicator(harness: &mut H<'_>, name: &str) {
    step_until(harness, "the labeler picker", |h| h.query_by_label("Start labeling").is_some());
    start_labeling_as(harness, name, "Adjudicator");
    settle(harness);
}

fn set_blind(harness: &mut H<'_>, on: bool) {
    if harness.state().state.blind != on {
        harness.get_by_label("Blind mode").click();
        harness.run_steps(2);
    }
    assert_eq!(harness.state().state.blind, on);
}

/// The text of the tooltip containing `part`, once it shows (tooltips wait for the pointer to rest).
fn tooltip(harness: &mut H<'_>, part: &str) -> String {
    step_until(harness, "the tooltip", |h| text_with(h, part).is_some());
    text_with(harness, part).unwrap()
}

/// The analysis of the project file, computed here independently of the app.
fn prepared(project: &Path) -> Prepared {
    let snapshot = Store::open(project)
        .unwrap()
        .read(|tx| {
            let model = tx.choose_model(None)?;
            tx.snapshot(model.map(|m| m.id))
        })
        .unwrap();
    Prepared::new(&snapshot.snapshot).unwrap()
}

fn review_data(project: &Path) -> ReviewData {
    Store::open(project).unwrap().read(|tx| tx.review_data()).unwrap()
}

/// Pairs whose labelers differ on the verdict or on the tags, not settled by an adjudicator,
/// counted here from the project file (the rule the README states).
fn disagreements(data: &ReviewData, judged_by: Option<&str>) -> usize {
    let judge = judged_by.map(|name| data.labelers.iter().find(|l| l.name == name).expect("labeler").id);
    data.pairs
        .iter()
        .filter(|pair| !data.adjudications.contains_key(&pair.id))
        .filter(|pair| judge.is_none_or(|me| data.verdicts.contains_key(&(pair.id, me))))
        .filter(|pair| {
            let work: Vec<_> = data
                .labelers
                .iter()
                .map(|l| {
                    let mut tags: Vec<_> = data
                        .pair_tags
                        .get(&pair.id)
                        .into_iter()
                        .flatten()
                        .filter(|(by, _)| *by == l.id)
                        .map(|(_, t)| *t)
                        .collect();
                    tags.sort();
                    (data.verdicts.get(&(pair.id, l.id)).copied(), tags)
                })
                .filter(|(verdict, tags)| verdict.is_some() || !tags.is_empty())
                .collect();
            work.len() >= 2 && work.iter().any(|w| *w != work[0])
        })
        .count()
}

#[test]
fn each_tag_count_says_whose_tags_it_counts() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let data = review_data(&project);
    let dark = data.tags.iter().find(|t| t.name == "dark").expect("the demo has a dark tag").clone();
    let any_labeler = data.pair_tags.values().filter(|applied| applied.iter().any(|&(_, tag)| tag == dark.id)).count();
    let mut harness = app(&project);
    start_as_adjudicator(&mut harness, "ada");

    // Review's sidebar, blind mode off: any labeler's tags.
    harness.get_by_label("By tag (any labeler)");
    harness.get_by_label(&format!("dark ({any_labeler})"));

    // The overview: any labeler's tags, and its heading says so.
    harness.get_by_label("Overview").click();
    harness.run_steps(2);
    settle(&mut harness);
    harness.get_by_label("Tags (any labeler)");
    let hotkey = dark.hotkey.expect("dark has a hotkey");
    harness.get_by_label(&format!("[{hotkey}] dark: {any_labeler} pairs"));
    harness.get_by_label("Overview").click();
    harness.run_steps(2);

    // Error analysis: consensus tags, as many as the analysis counts itself.
    open(&mut harness, "Error analysis");
    harness.get_by_label("By tag (consensus)");
    let threshold = harness.state().state.selection.threshold;
    let row = prepared(&project).tag_table(threshold).into_iter().find(|r| r.name == "dark").expect("a dark row");
    assert_ne!(row.pairs as usize, any_labeler, "the demo's consensus differs from any labeler's tags");
    // The first "Pairs" column is the tag table's.
    harness.query_all_by_label("Pairs").next().expect("the tag table's Pairs column").hover();
    tooltip(&mut harness, "consensus tags include it");

    // Back in review, blind mode on: only my own tags, and there are none yet.
    harness.get_by_label("Review").click();
    harness.run_steps(2);
    settle(&mut harness);
    set_blind(&mut harness, true);
    harness.get_by_label("By tag (mine)");
    harness.get_by_label("dark (0)");
    harness.key_press(Key::from_name(&hotkey.to_string()).expect("a digit key"));
    harness.run_steps(2);
    settle(&mut harness);
    harness.get_by_label("dark (1)");
}

#[test]
fn the_disagreements_count_says_blind_mode_counts_only_pairs_i_judged() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = app(&project);
    start_as_adjudicator(&mut harness, "ada");
    let all = disagreements(&review_data(&project), None);
    assert!(all > 0, "the simulated labelers disagree somewhere");
    harness.get_by_label(&format!("Disagreements ({all})"));

    set_blind(&mut harness, true);
    harness.get_by_label("Disagreements (0, on pairs you judged)").hover();
    let hint = tooltip(&mut harness, "more with blind mode off");
    assert!(hint.contains("Blind mode hides disagreements on pairs you have not judged yet"), "{hint}");
    assert!(hint.contains(&format!("{all} more with blind mode off")), "{hint}");

    // Judge pairs until one of them is a disagreement: the count follows, the rest stay hidden.
    let mut mine = 0;
    for _ in 0..20 {
        harness.key_press(Key::S);
        harness.run_steps(1);
        harness.key_press(Key::ArrowRight);
        harness.run_steps(1);
        settle(&mut harness);
        let data = review_data(&project);
        mine = disagreements(&data, Some("ada"));
        if mine > 0 {
            break;
        }
    }
    assert!(mine > 0, "one of the first pairs has a disagreement");
    let all = disagreements(&review_data(&project), None);
    harness.get_by_label(&format!("Disagreements ({mine}, on pairs you judged)")).hover();
    let hint = tooltip(&mut harness, "more with blind mode off");
    assert!(hint.contains(&format!("{} more with blind mode off", all - mine)), "{hint}");
    set_blind(&mut harness, false);
    harness.get_by_label(&format!("Disagreements ({all})"));
}

/// Opens the error browser on the tag with the most errors at a strict threshold (FPR ≤ 1e-4:
/// many false negatives even on the small demo). Returns the tag and its errors as the browser
/// shows them (most wrong first).
fn open_errors_of_a_tag(harness: &mut H<'_>, project: &Path) -> (String, Vec<PairId>) {
    open(harness, "Error analysis");
    harness.get_by_label("FPR ≤ 1e-4").click();
    harness.run();
    let threshold = harness.state().state.selection.threshold;
    let tag = prepared(project).tag_table(threshold).into_iter().max_by_key(|r| r.errors).expect("tagged pairs").name;
    // The first label of that name is the tag table's row.
    harness.query_all_by_label(&tag).next().expect("the tag's row").click();
    harness.run_steps(2);
    settle_analysis(harness);
    (tag, harness.state().error_browser_pairs().expect("the error browser is open"))
}

fn name_of(project: &Path, pair: PairId) -> String {
    let pairs = Store::open(project).unwrap().read(|tx| tx.pairs()).unwrap();
    let record = pairs.into_iter().find(|p| p.id == pair).expect("the pair exists");
    record.external_id.unwrap_or_else(|| format!("pair {}", pair.0))
}

#[test]
fn an_error_opens_in_a_queue_of_its_slice_and_next_is_the_next_error() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = app(&project);
    start_as_adjudicator(&mut harness, "ada");
    // Left open on the review screen, the overview must not hide the pair opened later.
    harness.get_by_label("Overview").click();
    harness.run_steps(2);
    settle(&mut harness);

    let (tag, errors) = open_errors_of_a_tag(&mut harness, &project);
    assert!(errors.len() >= 3, "the demo has a few {tag} errors at this threshold: {}", errors.len());
    harness.get_by_label(&format!("Open {} in review", name_of(&project, errors[1]))).click();
    harness.run_steps(2);
    settle(&mut harness);

    assert_eq!(harness.state().screen(), Screen::Review);
    assert_eq!(harness.state().current_pair(), Some(errors[1]));
    let n = errors.len();
    harness.get_by_label(&format!("Pair 2 of {n} in Errors of tag {tag}"));
    harness.get_by_label(&format!("Errors of tag {tag} ({n})"));
    harness.key_press(Key::ArrowRight);
    harness.run_steps(2);
    assert_eq!(harness.state().current_pair(), Some(errors[2]), "next is the next error, not the next pair");
    harness.get_by_label(&format!("Pair 3 of {n} in Errors of tag {tag}"));

    // Another queue and back: the errors are still there, in the same order.
    harness.get_by_label_contains("All pairs (").click();
    harness.run_steps(2);
    harness.get_by_label(&format!("Errors of tag {tag} ({n})")).click();
    harness.run_steps(2);
    assert_eq!(harness.state().current_pair(), Some(errors[0]));
}

#[test]
fn an_error_opened_without_a_labeler_says_to_pick_one_and_stays() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = app(&project);
    let (tag, errors) = open_errors_of_a_tag(&mut harness, &project);
    harness.get_by_label(&format!("Open {} in review", name_of(&project, errors[0]))).click();
    harness.run_steps(2);
    assert_eq!(harness.state().screen(), Screen::ErrorAnalysis, "not the overview under the labeler picker");
    let error = text_with(&harness, "Pick a labeler first").expect("the app says what is missing");
    assert!(error.contains("a pair opens in review as the labeler at work"), "{error}");
    assert!(text_of(&harness.get_by_label_contains(&format!("Errors in {tag}"))).is_some(), "the browser stays open");
}
