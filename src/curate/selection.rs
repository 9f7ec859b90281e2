//! Which pairs an export (or any other curation step) takes: a split, a slice of consensus
//! tags, a queue by agreement.

use serde::{Deserialize, Serialize};

use super::CurateError;
use super::consensus;
use super::snapshot::{CuratedPair, Snapshot};
use crate::domain::Split;
use crate::quote::quote;

/// Which pairs to export. The default is the whole project.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Selection {
    /// Only this split.
    pub split: Option<Split>,
    /// Only pairs with a consensus verdict (adjudicated, or a strict majority of labelers).
    pub consensus_only: bool,
    /// Only pairs with all of these consensus tags.
    pub require_tags: Vec<String>,
    /// No pair with any of these consensus tags (e.g. "borderline").
    pub exclude_tags: Vec<String>,
    /// Only pairs whose verdicts agree at least this much (0–1: the share agreeing with the
    /// most common verdict); pairs without verdicts are left out.
    pub min_agreement: Option<f64>,
    /// Only pairs whose verdicts agree at most this much (e.g. below 1 for the disagreement
    /// queue); pairs without verdicts are left out.
    #[serde(default)]
    pub max_agreement: Option<f64>,
    /// Only pairs the model gets wrong at the export's threshold (false accepts and false
    /// rejects): the hard cases, e.g. to synthesise more of them or to relabel.
    #[serde(default)]
    pub model_errors: bool,
}

impl Selection {
    /// Checks the selection against the project and spells tags as the project does.
    pub(crate) fn resolve(&self, snapshot: &Snapshot) -> Result<Selection, CurateError> {
        let spell = |tags: &[String]| -> Result<Vec<String>, CurateError> {
            let mut out = Vec::new();
            for tag in tags {
                let found = snapshot.tag_named(tag).ok_or_else(|| {
                    CurateError::Invalid(format!(
                        "no tag named {} in the project (tags: {})",
                        quote(tag.trim()),
                        snapshot.tags.join(", ")
                    ))
                })?;
                out.push(found.to_owned());
            }
            out.sort_by_key(|t| t.to_lowercase());
            out.dedup();
            Ok(out)
        };
        for (which, bound) in [("minimum", self.min_agreement), ("maximum", self.max_agreement)] {
            if let Some(k) = bound
                && !(0.0..=1.0).contains(&k)
            {
                return Err(CurateError::Invalid(format!("{which} agreement is a share from 0 to 1, not {k}")));
            }
        }
        Ok(Selection {
            require_tags: spell(&self.require_tags)?,
            exclude_tags: spell(&self.exclude_tags)?,
            ..self.clone()
        })
    }

    /// In words, e.g. "split dev, consensus only, without borderline, agreement ≥ 0.75".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(split) = self.split {
            parts.push(format!("split {}", split.as_str()));
        }
        if self.consensus_only {
            parts.push("consensus only".to_owned());
        }
        parts.extend(self.require_tags.iter().map(|t| format!("with {t}")));
        parts.extend(self.exclude_tags.iter().map(|t| format!("without {t}")));
        if let Some(k) = self.min_agreement {
            parts.push(format!("agreement ≥ {k}"));
        }
        if let Some(k) = self.max_agreement {
            parts.push(format!("agreement ≤ {k}"));
        }
        if self.model_errors {
            parts.push("model errors only".to_owned());
        }
        if parts.is_empty() { "the whole project".to_owned() } else { parts.join(", ") }
    }

    /// Whether the pair passes every filter but `model_errors` (which needs scores; see
    /// `export`).
    pub fn keeps(&self, pair: &CuratedPair) -> bool {
        let verdicts = pair.verdict_values();
        self.split.is_none_or(|s| pair.split == Some(s))
            && (!self.consensus_only || pair.consensus_verdict().is_some())
            && self.require_tags.iter().all(|t| pair.has_consensus_tag(t))
            && !self.exclude_tags.iter().any(|t| pair.has_consensus_tag(t))
            && self.min_agreement.is_none_or(|k| consensus::agreement(&verdicts).is_some_and(|a| a >= k))
            && self.max_agreement.is_none_or(|k| consensus::agreement(&verdicts).is_some_and(|a| a <= k))
    }
}
