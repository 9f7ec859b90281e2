//! A review session replayed from a list of commands, pushed through the app's public API
//! (`PairscopeApp::push_command`) with no click and no key: every review-side state change
//! (the labeler, blind mode, verdicts, tags, notes, page turns, queues, the review windows) is
//! a command, so the replay reaches the same screens and the same project file a user would.
//! Runs on a real project built from ../shared/datasets/sitcom and checks the file afterwards.

use crate::common;

use common::gui::{H, at_labeler_picker, settle, step_until};
use egui_kittest::kittest::Queryable;
use pairscope::domain::Truth;
use pairscope::store::{LabelerId, NotBlindLabel, PairId, RevealHow, ReviewData, Role, Store};
use pairscope::ui::{Nav, QueueKind, ReviewCommand};

/// Pushes the commands, lets one frame apply them (at its end, in order), then waits until
/// everything they started is saved.
fn replay(harness: &mut H<'_>, commands: impl IntoIterator<Item = ReviewCommand>) {
    for command in commands {
        harness.state_mut().push_command(command);
    }
    harness.step();
    settle(harness);
}

fn read(project: &std::path::Path) -> ReviewData {
    Store::open(project).unwrap().read(|tx| tx.review_data()).unwrap()
}

#[test]
fn a_review_session_replayed_from_commands_lands_in_the_project_file() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let before = read(&project);
    let in_file_order: Vec<PairId> = before.pairs.iter().map(|p| p.id).collect();
    let (first, p1, p2, p3) = (in_file_order[0], in_file_order[10], in_file_order[20], in_file_order[30]);
    let dark = before.tags.iter().find(|t| t.name == "dark").expect("the default tag dark").id;

    let mut harness = at_labeler_picker(&project);
    replay(&mut harness, [ReviewCommand::PickLabeler { name: "rita".into(), role: Role::Engineer }]);
    step_until(&mut harness, "rita at work", |h| h.state().labeler() == Some("rita"));
    settle(&mut harness);
    // An engineer starts with blind mode off: the pairs in the project's order.
    assert_eq!(harness.state().queue_pairs(), in_file_order);
    assert_eq!(harness.state().current_pair(), Some(first));

    // Blind mode on, by command: the queue becomes rita's shuffle, on the same pair.
    replay(&mut harness, [ReviewCommand::SetBlind(true)]);
    let shuffled = harness.state().queue_pairs();
    assert_ne!(shuffled, in_file_order, "blind mode shuffles the queue");
    let mut sorted = shuffled.clone();
    sorted.sort();
    assert_eq!(sorted, in_file_order, "the same pairs");
    assert_eq!(harness.state().current_pair(), Some(first));

    // Labels given blind, then blind mode off and a label given with the answer in view.
    replay(
        &mut harness,
        [
            ReviewCommand::SetVerdict { pair: p1, verdict: Truth::Same },
            ReviewCommand::ToggleTag { pair: p1, tag: dark },
            ReviewCommand::SetBlind(false),
            ReviewCommand::SetVerdict { pair: p2, verdict: Truth::Different },
        ],
    );
    assert_eq!(harness.state().queue_pairs(), in_file_order, "blind mode off: the project's order again");

    // A page turn, a note through the note editor, a verdict taken back.
    replay(&mut harness, [ReviewCommand::Go(Nav::To(30)), ReviewCommand::OpenNote(p3)]);
    assert_eq!(harness.state().current_pair(), Some(p3));
    assert!(harness.query_by_label("Note on this pair").is_some(), "the note editor is open");
    replay(
        &mut harness,
        [
            ReviewCommand::SaveNote { pair: p3, text: "replayed".into() },
            ReviewCommand::SetVerdict { pair: p3, verdict: Truth::Same },
            ReviewCommand::Undo,
        ],
    );
    assert!(harness.query_by_label("Note on this pair").is_none(), "saving closes the note editor");

    // The tag editor, opened and closed by command, with a tag created in between.
    replay(&mut harness, [ReviewCommand::OpenTagEditor]);
    assert!(harness.query_by_label("New tag:").is_some(), "the tag editor is open");
    replay(&mut harness, [ReviewCommand::CreateTag("replayed tag".into()), ReviewCommand::CloseTagEditor]);
    assert!(harness.query_by_label("New tag:").is_none(), "the tag editor is closed");

    // The overview over the review screen, and back.
    replay(&mut harness, [ReviewCommand::ShowOverview(true)]);
    assert!(harness.query_by_label("Audit log").is_some(), "the overview is shown");
    replay(&mut harness, [ReviewCommand::ShowOverview(false)]);
    assert!(harness.query_by_label("Audit log").is_none(), "back on the pair");

    // A queue chosen by command.
    replay(&mut harness, [ReviewCommand::SelectQueue(QueueKind::Truth(Some(Truth::Same)))]);
    let same = harness.state().queue_pairs();
    assert!(!same.is_empty());
    let truth = |id: PairId| before.pairs.iter().find(|p| p.id == id).unwrap().truth;
    assert!(same.iter().all(|&p| truth(p) == Some(Truth::Same)), "only pairs whose truth is same");

    // The project file holds what the commands did.
    settle(&mut harness);
    let after = read(&project);
    let rita: LabelerId = after.labelers.iter().find(|l| l.name == "rita").unwrap().id;
    assert_eq!(after.labelers.iter().find(|l| l.id == rita).unwrap().role, Role::Engineer);
    assert_eq!(after.verdicts.get(&(p1, rita)), Some(&Truth::Same));
    assert_eq!(after.verdicts.get(&(p2, rita)), Some(&Truth::Different));
    assert_eq!(after.verdicts.get(&(p3, rita)), None, "undone");
    assert_eq!(after.pair_tags.get(&p1).cloned().unwrap_or_default(), vec![(rita, dark)]);
    assert_eq!(after.notes.get(&(p3, rita)).map(String::as_str), Some("replayed"));
    assert!(after.tags.iter().any(|t| t.name == "replayed tag"));
    let not_blind = Store::open(&project).unwrap().read(|tx| tx.not_blind_labels()).unwrap();
    let mine: Vec<&NotBlindLabel> = not_blind.iter().filter(|l| l.labeler == rita).collect();
    assert_eq!(
        mine,
        [&NotBlindLabel { pair: p2, labeler: rita, tag: None }],
        "only the label given with blind mode off is not blind"
    );
    // Blind mode off shows the answer on the pairs looked at: the first and the one turned to.
    let how = |pair| after.reveals.get(&(pair, rita)).map(|r| r.how);
    assert_eq!(how(first), Some(RevealHow::BlindOff));
    assert_eq!(how(p3), Some(RevealHow::BlindOff));
    assert_eq!(how(p1), None, "labeled blind and never looked at");
}
