//! Which pairs a curation step takes: the rows of the Export and Augment forms that build a
//! [`Selection`] (and the model and threshold that decide its errors), so both panels pick the
//! same pairs from the same controls.

use crate::curate::Selection;
use crate::domain::Split;
use crate::store::ProjectInfo;
use crate::ui::widgets::format::count;

#[derive(Clone, Debug, Default, PartialEq)]
pub(in crate::ui) struct PickForm {
    pub split: Option<Split>,
    pub consensus_only: bool,
    pub require_tags: Vec<String>,
    pub exclude_tags: Vec<String>,
    pub min_agreement: Option<f64>,
    pub max_agreement: Option<f64>,
    /// Only the pairs the analysis' model gets wrong at the analysis' threshold.
    pub model_errors: bool,
    /// Export only: include this model's scores.
    pub model: Option<String>,
    /// Export only, with a model: a `predicted` column at this threshold.
    pub threshold: Option<f64>,
}

/// The pick as the library reads it.
#[derive(Clone, Debug, PartialEq)]
pub(in crate::ui) struct Pick {
    pub selection: Selection,
    pub model: Option<String>,
    pub threshold: Option<f64>,
}

impl PickForm {
    /// `analysed` is the model and threshold of the analysis, which decide the errors of
    /// "model errors only"; `scores` takes the form's own model and threshold too (Export's
    /// scores column).
    pub fn pick(&self, analysed: Option<(&str, f64)>, scores: bool) -> Pick {
        let errors = if self.model_errors { analysed } else { None };
        Pick {
            selection: Selection {
                split: self.split,
                consensus_only: self.consensus_only,
                require_tags: self.require_tags.clone(),
                exclude_tags: self.exclude_tags.clone(),
                min_agreement: self.min_agreement,
                max_agreement: self.max_agreement,
                model_errors: errors.is_some(),
            },
            model: errors.map(|(model, _)| model.to_owned()).or_else(|| self.model.clone().filter(|_| scores)),
            threshold: errors
                .map(|(_, threshold)| threshold)
                .or_else(|| self.model.as_ref().and(self.threshold).filter(|_| scores)),
        }
    }
}

/// The form's rows, in a two-column grid the caller opened. `salt` keeps two forms' widgets
/// apart; `scores` shows Export's scores column (model and threshold).
pub(in crate::ui) fn rows(
    ui: &mut egui::Ui,
    salt: &str,
    form: &mut PickForm,
    info: &ProjectInfo,
    tags: &[String],
    analysed: Option<(&str, f64)>,
    scores: bool,
) {
    let label = ui.label("Pairs");
    ui.horizontal(|ui| {
        let shown = form.split.map_or("The whole project".to_owned(), |s| format!("Split {}", s.as_str()));
        egui::ComboBox::from_id_salt((salt, "split"))
            .selected_text(shown)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut form.split, None, "The whole project");
                for split in Split::ALL {
                    ui.selectable_value(&mut form.split, Some(split), format!("Split {}", split.as_str()));
                }
            })
            .response
            .labelled_by(label.id);
        ui.checkbox(&mut form.consensus_only, "Consensus only")
            .on_hover_text("Only pairs whose labelers reach a majority verdict (or an adjudication).");
    });
    ui.end_row();
    ui.label("Only with tags");
    tag_choice(ui, &mut form.require_tags, tags);
    ui.end_row();
    ui.label("Without tags");
    tag_choice(ui, &mut form.exclude_tags, tags);
    ui.end_row();
    ui.label("Agreement");
    ui.horizontal(|ui| {
        optional(ui, &mut form.min_agreement, "at least", 0.75, 0.0..=1.0);
        optional(ui, &mut form.max_agreement, "at most", 0.99, 0.0..=1.0);
        ui.weak("share of verdicts agreeing with the most common one");
    });
    ui.end_row();
    let label = ui.label(if scores { "Scores" } else { "Errors" });
    ui.horizontal(|ui| {
        if let (true, Some((model, threshold))) = (form.model_errors, analysed) {
            // The errors are the analysis': its model's scores at its threshold.
            let column = if scores { ", predicted column" } else { "" };
            ui.label(format!("{model}{column} at threshold {threshold:.4}"));
        } else if scores {
            egui::ComboBox::from_id_salt((salt, "model"))
                .selected_text(form.model.as_deref().unwrap_or("No scores"))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut form.model, None, "No scores");
                    for m in &info.models {
                        let text = format!("{} ({} scores)", m.name, count(m.scores));
                        ui.selectable_value(&mut form.model, Some(m.name.clone()), text);
                    }
                })
                .response
                .labelled_by(label.id);
            if form.model.is_some() {
                let default = analysed.map_or(0.5, |(_, t)| t);
                optional(ui, &mut form.threshold, "predicted column at threshold", default, f64::MIN..=f64::MAX);
            }
        }
        ui.add_enabled(analysed.is_some(), egui::Checkbox::new(&mut form.model_errors, "model errors only"))
            .on_hover_text(
                "Only the pairs the model of the analysis gets wrong at its threshold (false accepts and \
                 rejects): Review's Model errors.",
            )
            .on_disabled_hover_text("The analysis has no model with scores yet.");
    });
    ui.end_row();
}

fn tag_choice(ui: &mut egui::Ui, chosen: &mut Vec<String>, tags: &[String]) {
    ui.horizontal_wrapped(|ui| {
        if tags.is_empty() {
            ui.weak("the project has no tags");
        }
        for tag in tags {
            let mut on = chosen.contains(tag);
            if ui.checkbox(&mut on, tag).changed() {
                chosen.retain(|t| t != tag);
                if on {
                    chosen.push(tag.clone());
                }
            }
        }
    });
}

/// A checkbox that turns a number on (at `default`) or off.
fn optional(
    ui: &mut egui::Ui,
    value: &mut Option<f64>,
    text: &str,
    default: f64,
    range: std::ops::RangeInclusive<f64>,
) {
    let mut on = value.is_some();
    let check = ui.checkbox(&mut on, text);
    if on != value.is_some() {
        *value = on.then_some(default);
    }
    if let Some(v) = value {
        ui.add(egui::DragValue::new(v).range(range).speed(0.01).max_decimals(4)).labelled_by(check.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn augment_ignores_the_scores_column_but_keeps_the_errors_model() {
        let form = PickForm { model: Some("m".into()), threshold: Some(0.3), ..PickForm::default() };
        assert_eq!(form.pick(None, true).model.as_deref(), Some("m"));
        assert_eq!(form.pick(None, false).model, None, "no scores column in an augment");
        let errors = PickForm { model_errors: true, ..form };
        let pick = errors.pick(Some(("a", 0.7)), false);
        assert_eq!((pick.model.as_deref(), pick.threshold), (Some("a"), Some(0.7)));
        assert!(pick.selection.model_errors);
    }
}
