//! Which pairs a curation step takes: the selection checked against the project, the model
//! and threshold that decide its errors, and the pairs that pass. Export and augment both pick
//! here, so `augment --split train --tag dark` takes exactly the pairs `export` would.

use std::collections::HashMap;

use super::CurateError;
use super::selection::Selection;
use super::snapshot::{CuratedPair, Snapshot};
use crate::analysis;
use crate::store::{ModelRecord, PairId, Store};

/// What was asked for: the filters, and the model (with its threshold) they may need.
#[derive(Clone, Debug, PartialEq)]
pub struct PickOptions<'a> {
    pub selection: &'a Selection,
    pub model: Option<&'a str>,
    pub threshold: Option<f64>,
    /// Leave out the pairs `pairscope augment` made (source `augment`): augmenting them again
    /// would compound the changes on already changed photos.
    pub originals_only: bool,
}

/// The source of the pairs `pairscope augment` adds to a project.
pub const SYNTHETIC_SOURCE: &str = "augment";

/// The pairs that pass, with the resolved selection and the model's scores.
pub(crate) struct Picked<'s> {
    pub(crate) selection: Selection,
    pub(crate) pairs: Vec<&'s CuratedPair>,
    pub(crate) model: Option<ModelRecord>,
    pub(crate) scores: HashMap<PairId, f64>,
    /// Synthetic pairs the selection held, left out by `originals_only`.
    pub(crate) synthetic_left_out: usize,
}

/// Picks from `snapshot`; an empty pick is an error that says what was asked and how many
/// pairs the project has (`what` names the step: "exported", "augmented").
pub(crate) fn pick<'s>(
    store: &mut Store,
    snapshot: &'s Snapshot,
    options: &PickOptions,
    what: &str,
) -> Result<Picked<'s>, CurateError> {
    let selection = options.selection.resolve(snapshot)?;
    if options.threshold.is_some() && options.model.is_none() {
        return Err(CurateError::Invalid("a threshold needs a model whose scores it applies to".into()));
    }
    if let Some(t) = options.threshold
        && !t.is_finite()
    {
        return Err(CurateError::Invalid(format!("the threshold must be a number, not {t}")));
    }
    let model = match options.model {
        Some(name) => Some(store.read(|tx| tx.find_model(name))?.ok_or_else(|| {
            CurateError::Invalid(format!(
                "no model named {} in the project (see `pairscope info`)",
                crate::quote::quote(name.trim())
            ))
        })?),
        None => None,
    };
    let scores = match &model {
        Some(m) => store.read(|tx| tx.scores_of(m.id))?,
        None => HashMap::new(),
    };
    if selection.model_errors && options.threshold.is_none() {
        return Err(CurateError::Invalid(format!(
            "taking the model's errors needs a model and the threshold that decides them; nothing was {what}"
        )));
    }
    // A pair is an error when its score and truth disagree at the threshold; a pair without
    // either cannot be one.
    let is_error = |p: &CuratedPair| match (options.threshold, p.truth, scores.get(&p.id)) {
        (Some(t), Some(truth), Some(&score)) => analysis::predicted(score, t) != truth,
        _ => false,
    };
    let (pairs, synthetic): (Vec<&CuratedPair>, Vec<&CuratedPair>) = snapshot
        .pairs
        .iter()
        .filter(|p| selection.keeps(p) && (!selection.model_errors || is_error(p)))
        .partition(|p| !(options.originals_only && p.source == SYNTHETIC_SOURCE));
    if pairs.is_empty() {
        let synthetic = match synthetic.len() {
            0 => String::new(),
            n => format!(", and {n} synthetic pairs (source {SYNTHETIC_SOURCE}) that are not augmented again"),
        };
        return Err(CurateError::Invalid(format!(
            "the selection holds no pairs ({}; the project has {}{synthetic}); nothing was {what}",
            selection.describe(),
            snapshot.pairs.len()
        )));
    }
    Ok(Picked { selection, pairs, model, scores, synthetic_left_out: synthetic.len() })
}
