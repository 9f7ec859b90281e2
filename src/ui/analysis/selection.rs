//! What the analysis looks at: which model's scores, at which threshold, set by which rule.
//! One value with one writer ([`AnalysisSelection::apply`], reached only through
//! `AnalysisCommand::Select`); the threshold slider, the rule buttons, the arrow keys, the
//! review queue's field, "Model errors", the error browser and the HTML report all read it, so
//! they always agree on which pairs are errors.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::analysis::{Prepared, ThresholdFromError, ThresholdRule};
use crate::domain::Split;

/// The selection of the analysis. Only the threshold survives a restart (stored as the bare
/// number it always was, see [`as_threshold`]); the model and the rule belong to the open
/// project.
#[derive(Clone, Debug, PartialEq)]
pub struct AnalysisSelection {
    /// The model whose scores are analysed, by name (None: the project's default, the built-in
    /// model when it has scores; the analysis names the one it used).
    pub model: Option<String>,
    /// Pairs scoring at or above it are predicted same.
    pub threshold: f64,
    /// The rule that set the threshold and keeps setting it as labels and scores change (None:
    /// set by hand). A project starts at max accuracy, the default of `pairscope report` too.
    pub rule: Option<ThresholdRule>,
    /// The split whose pairs a rule is computed on (None: all pairs), as `report
    /// --threshold-from SPLIT`: the threshold set on dev, then measured on every split.
    pub threshold_split: Option<Split>,
}

/// Stores the selection as its threshold alone, the number the app's state always held (so a
/// state saved by an older pairscope keeps its threshold): `#[serde(with = "as_threshold")]`.
pub mod as_threshold {
    use super::*;

    pub fn serialize<S: Serializer>(selection: &AnalysisSelection, serializer: S) -> Result<S::Ok, S::Error> {
        selection.threshold.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<AnalysisSelection, D::Error> {
        let threshold = f64::deserialize(deserializer)?;
        Ok(AnalysisSelection { threshold, ..AnalysisSelection::default() })
    }
}

impl Default for AnalysisSelection {
    fn default() -> Self {
        AnalysisSelection { model: None, threshold: 0.5, rule: Some(ThresholdRule::MaxAccuracy), threshold_split: None }
    }
}

/// A change of the selection: the argument of `AnalysisCommand::Select`.
#[derive(Clone, Debug, PartialEq)]
pub enum SelectionChange {
    /// A threshold set by hand (the slider, the review queue's field): kept within the score
    /// range, and no rule moves it any more.
    Threshold(f64),
    /// Move the threshold by this many steps of a thousandth of the score range (the arrows).
    Nudge(i32),
    /// Set the threshold by a rule, which keeps setting it as the data changes.
    Rule(ThresholdRule),
    /// Analyse this model's scores.
    Model(String),
    /// Compute rules on this split's pairs (None: all pairs).
    ThresholdSplit(Option<Split>),
}

/// What the analysis offers a change: the prepared analysis and the range of the scores.
#[derive(Clone, Copy)]
pub struct Scores<'a> {
    pub prepared: &'a Prepared,
    /// The slider's range (None without a scored pair of known truth).
    pub range: Option<(f64, f64)>,
}

impl Scores<'_> {
    /// The threshold a rule picks on `split`'s pairs (None: all pairs); +∞ (nothing predicted
    /// same, e.g. an FPR target the data cannot demonstrate) is just above the top of the
    /// slider, so that not even the best-scoring pair is accepted. Err names a split without
    /// evaluable pairs.
    fn by_rule(&self, rule: ThresholdRule, split: Option<Split>) -> Result<Option<f64>, String> {
        let op = match split {
            None => self.prepared.operating_point(rule).ok(),
            Some(split) => match self.prepared.split_operating_point(split, rule) {
                Ok(Some(op)) => Some(op),
                Ok(None) => return Err(ThresholdFromError::NoPairs(split).to_string()),
                Err(_) => None,
            },
        };
        Ok(op.map(|op| op.finite_threshold().unwrap_or(self.range.map_or(0.0, |(_, hi)| hi.next_up()))))
    }
}

/// What a change asks of the app besides the new selection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Nothing else: the tables follow the new selection.
    None,
    /// The scores analysed changed: the analysis must be read and prepared again.
    Reload,
    /// The change cannot be made (a split without evaluable pairs): tell the user why.
    Refused(String),
}

impl AnalysisSelection {
    /// Applies a change. `scores` is None while the analysis is not ready: a threshold is then
    /// taken as it is, and rules and nudges wait for the data.
    pub fn apply(&mut self, change: SelectionChange, scores: Option<Scores<'_>>) -> Effect {
        let range = scores.and_then(|s| s.range);
        match change {
            SelectionChange::Threshold(t) => {
                if !t.is_finite() {
                    return Effect::None;
                }
                self.threshold = range.map_or(t, |(lo, hi)| t.clamp(lo, hi));
                self.rule = None;
            }
            SelectionChange::Nudge(steps) => {
                let Some((lo, hi)) = range else { return Effect::None };
                let step = (hi - lo) / 1000.0;
                self.threshold = (self.threshold + steps as f64 * step).clamp(lo, hi);
                self.rule = None;
            }
            SelectionChange::Rule(rule) => {
                let Some(scores) = scores else { return Effect::None };
                match scores.by_rule(rule, self.threshold_split) {
                    Ok(Some(t)) => {
                        self.threshold = t;
                        self.rule = Some(rule);
                    }
                    Ok(None) => {}
                    Err(why) => return Effect::Refused(why),
                }
            }
            SelectionChange::Model(name) => {
                if self.model.as_deref() != Some(name.as_str()) {
                    self.model = Some(name);
                    return Effect::Reload;
                }
            }
            SelectionChange::ThresholdSplit(split) => {
                // A rule in force is applied again on the new pairs; a hand-set threshold stays.
                if let (Some(rule), Some(scores)) = (self.rule, scores) {
                    match scores.by_rule(rule, split) {
                        Ok(Some(t)) => self.threshold = t,
                        Ok(None) => {}
                        Err(why) => return Effect::Refused(why),
                    }
                }
                self.threshold_split = split;
            }
        }
        Effect::None
    }

    /// Follows new data: a rule sets the threshold again; a threshold set by hand stays unless
    /// it fell outside the scores (then max accuracy, as a project starts).
    pub fn follow(&mut self, scores: Scores<'_>) {
        let in_range = scores.range.is_none_or(|(lo, hi)| (lo..=hi).contains(&self.threshold));
        let rule = match self.rule {
            Some(rule) => rule,
            None if !in_range => ThresholdRule::MaxAccuracy,
            None => return,
        };
        if let Effect::Refused(_) = self.apply(SelectionChange::Rule(rule), Some(scores)) {
            // The split lost its evaluable pairs: the rule runs on all pairs again.
            self.threshold_split = None;
            self.apply(SelectionChange::Rule(rule), Some(scores));
        }
    }

    /// A project was closed: the next one starts with its default model, at max accuracy.
    pub fn forget_project(&mut self) {
        *self = AnalysisSelection { threshold: self.threshold, ..AnalysisSelection::default() };
    }

    /// The rule of the threshold as a report states it (a hand-set threshold is a fixed one).
    pub fn report_rule(&self) -> ThresholdRule {
        self.rule.unwrap_or(ThresholdRule::Fixed(self.threshold))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Stored {
        #[serde(rename = "threshold", with = "as_threshold")]
        selection: AnalysisSelection,
    }

    #[test]
    fn only_the_threshold_survives_a_restart_stored_as_it_always_was() {
        let selection = AnalysisSelection {
            model: Some("outside".into()),
            threshold: 0.25,
            rule: Some(ThresholdRule::Eer),
            threshold_split: None,
        };
        let text = serde_json::to_string(&Stored { selection }).unwrap();
        assert_eq!(text, r#"{"threshold":0.25}"#);
        let back: Stored = serde_json::from_str(&text).unwrap();
        assert_eq!(back.selection, AnalysisSelection { threshold: 0.25, ..AnalysisSelection::default() });
        assert_eq!(back.selection.rule, Some(ThresholdRule::MaxAccuracy), "a restarted app starts at max accuracy");
    }

    #[test]
    fn a_hand_set_threshold_clears_the_rule_and_stays_in_range() {
        let mut selection = AnalysisSelection::default();
        assert_eq!(selection.apply(SelectionChange::Threshold(0.7), None), Effect::None);
        assert_eq!((selection.threshold, selection.rule), (0.7, None));
        selection.rule = Some(ThresholdRule::Eer);
        // Without the analysis a nudge has no step to take.
        selection.apply(SelectionChange::Nudge(3), None);
        assert_eq!(selection.rule, Some(ThresholdRule::Eer));
        assert_eq!(selection.report_rule(), ThresholdRule::Eer);
        selection.apply(SelectionChange::Threshold(f64::NAN), None);
        assert_eq!(selection.threshold, 0.7);
    }

    fn prepared() -> Prepared {
        use crate::analysis::{Snapshot, Truth};
        // Dev separates at 0.7, test at 0.5; train has no pairs.
        let mut s = Snapshot::with_pairs(7, vec![], vec![]);
        s.score = vec![0.9, 0.7, 0.6, 0.3, 0.8, 0.5, 0.4];
        s.truth = [true, true, false, false, true, true, false]
            .map(|same| Some(if same { Truth::Same } else { Truth::Different }))
            .to_vec();
        s.split =
            [Split::Dev, Split::Dev, Split::Dev, Split::Dev, Split::Test, Split::Test, Split::Test].map(Some).to_vec();
        Prepared::new(&s).unwrap()
    }

    #[test]
    fn a_rule_follows_the_split_it_is_computed_on() {
        let p = prepared();
        let scores = || Some(Scores { prepared: &p, range: Some((0.3, 0.9)) });
        let mut selection = AnalysisSelection::default();
        selection.apply(SelectionChange::Rule(ThresholdRule::MaxAccuracy), scores());
        assert_eq!(selection.apply(SelectionChange::ThresholdSplit(Some(Split::Test)), scores()), Effect::None);
        assert_eq!((selection.threshold_split, selection.threshold), (Some(Split::Test), 0.5));
        selection.apply(SelectionChange::ThresholdSplit(Some(Split::Dev)), scores());
        assert_eq!(selection.threshold, 0.7);
        // A split without pairs is refused with its name, and nothing changes.
        let Effect::Refused(why) = selection.apply(SelectionChange::ThresholdSplit(Some(Split::Train)), scores())
        else {
            panic!("train has no pairs")
        };
        assert!(why.contains("train split"), "{why}");
        assert_eq!((selection.threshold_split, selection.threshold), (Some(Split::Dev), 0.7));
        // A hand-set threshold stays when the split changes.
        selection.apply(SelectionChange::Threshold(0.4), scores());
        selection.apply(SelectionChange::ThresholdSplit(Some(Split::Test)), scores());
        assert_eq!((selection.threshold_split, selection.threshold), (Some(Split::Test), 0.4));
    }

    #[test]
    fn a_rule_that_accepts_nothing_sits_above_every_score() {
        // Three different-person pairs cannot demonstrate 1e-4: the rule accepts nothing, and
        // the threshold must not accept the top pair (0.9) either.
        let p = prepared();
        let scores = Some(Scores { prepared: &p, range: Some((0.3, 0.9)) });
        let mut selection = AnalysisSelection::default();
        selection.apply(SelectionChange::Rule(ThresholdRule::MaxFprDemonstrated(1e-4)), scores);
        let c = p.confusion_at(selection.threshold);
        assert_eq!((c.tp, c.fp), (0, 0), "threshold {}", selection.threshold);
        assert_eq!(selection.rule, Some(ThresholdRule::MaxFprDemonstrated(1e-4)));
    }

    #[test]
    fn a_new_model_reloads_and_the_same_one_does_not() {
        let mut selection = AnalysisSelection::default();
        assert_eq!(selection.apply(SelectionChange::Model("a".into()), None), Effect::Reload);
        assert_eq!(selection.apply(SelectionChange::Model("a".into()), None), Effect::None);
        selection.threshold = 0.3;
        selection.forget_project();
        assert_eq!(selection, AnalysisSelection { threshold: 0.3, ..AnalysisSelection::default() });
    }
}
