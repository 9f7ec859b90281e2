//! Settling a disagreement: an adjudicator sees every labeler's verdict and tags side by side
//! and records the consensus (optionally correcting the truth), with a reason.

use std::collections::BTreeSet;

use crate::domain::Truth;
use crate::store::{PairId, Role};
use crate::ui::review::command::ReviewCommand;
use crate::ui::review::labeling::Labeling;
use crate::ui::review::session::Session;
use crate::ui::review::view::truth_word;

/// The decision being written for one pair.
pub struct Draft {
    pair: PairId,
    verdict: Option<Truth>,
    tags: BTreeSet<String>,
    reason: String,
    correct_truth: bool,
}

/// The adjudication panel on the pair on screen, for an adjudicator; `draft` is the decision
/// being written (this view's own state).
pub(in crate::ui) fn show(
    ui: &mut egui::Ui,
    labeling: &Labeling,
    session: &Session,
    blind: bool,
    draft: &mut Option<Draft>,
) -> Vec<ReviewCommand> {
    let mut commands = Vec::new();
    let Some(pair) = session.current() else { return commands };
    if blind && labeling.revealed(pair, session.me.id).is_none() {
        // Everyone's labels and the truth are the answer blind mode holds back.
        return commands;
    }
    let who = labeling.labelers_on(pair);
    let decided = labeling.data.adjudications.get(&pair);
    if session.me.role != Role::Adjudicator || (who.len() < 2 && decided.is_none()) {
        return commands;
    }
    let draft = draft.get_or_insert_with(|| Draft {
        pair,
        verdict: None,
        tags: BTreeSet::new(),
        reason: String::new(),
        correct_truth: false,
    });
    if draft.pair != pair {
        *draft = Draft { pair, verdict: None, tags: BTreeSet::new(), reason: String::new(), correct_truth: false };
    }

    egui::Panel::right("adjudication").resizable(true).default_size(300.0).show(ui, |ui| {
        ui.heading("Adjudication");
        ui.label(if labeling.disagrees(pair) { "The labelers disagree on this pair." } else { "The labelers agree." });
        ui.add_space(4.0);
        egui::Grid::new("labels side by side").num_columns(3).striped(true).show(ui, |ui| {
            ui.strong("Labeler");
            ui.strong("Verdict");
            ui.strong("Tags");
            ui.end_row();
            for l in &who {
                let name = labeling.data.labelers.iter().find(|x| x.id == *l).map(|x| x.name.as_str()).unwrap_or("?");
                let tags: Vec<&str> = labeling.tags_by(pair, *l).into_iter().map(|t| labeling.tag_name(t)).collect();
                ui.label(name);
                ui.label(truth_word(labeling.verdict(pair, *l)));
                ui.label(if tags.is_empty() { "none".to_owned() } else { tags.join(", ") });
                ui.end_row();
            }
        });
        if let Some(p) = labeling.pair(pair) {
            ui.label(format!("Current truth: {}", truth_word(p.truth)));
        }
        if let Some(d) = decided {
            let by = labeling.data.labelers.iter().find(|x| x.id == d.by).map(|x| x.name.as_str()).unwrap_or("?");
            ui.label(format!(
                "Decided by {by}: {} [{}], because {}",
                truth_word(d.verdict),
                d.tags.join(", "),
                d.reason
            ));
        }
        ui.separator();
        ui.strong(if decided.is_some() { "Change the decision" } else { "Consensus" });
        ui.horizontal(|ui| {
            ui.selectable_value(&mut draft.verdict, Some(Truth::Same), "Consensus: same");
            ui.selectable_value(&mut draft.verdict, Some(Truth::Different), "Consensus: different");
        });
        ui.horizontal_wrapped(|ui| {
            for tag in &labeling.data.tags {
                let mut on = draft.tags.contains(&tag.name);
                if ui.checkbox(&mut on, format!("Consensus tag {}", tag.name)).changed() {
                    if on {
                        draft.tags.insert(tag.name.clone());
                    } else {
                        draft.tags.remove(&tag.name);
                    }
                }
            }
        });
        ui.add_enabled(
            draft.verdict.is_some(),
            egui::Checkbox::new(&mut draft.correct_truth, "Also correct the truth to the consensus"),
        );
        let label = ui.label("Reason");
        ui.add(egui::TextEdit::multiline(&mut draft.reason).desired_rows(2).hint_text("why this is the answer"))
            .labelled_by(label.id);
        let ready = draft.verdict.is_some() && !draft.reason.trim().is_empty();
        if ui.add_enabled(ready, egui::Button::new("Record decision")).clicked() {
            commands.push(ReviewCommand::Adjudicate {
                pair,
                verdict: draft.verdict,
                tags: draft.tags.iter().cloned().collect(),
                reason: draft.reason.trim().to_owned(),
                correct_truth: draft.correct_truth,
            });
        }
        if !ready {
            ui.weak("Choose a consensus verdict and give a reason.");
        }
    });
    commands
}
