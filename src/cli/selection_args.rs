//! The pair-selection options `export` and `augment` share, so both read them alike and pick
//! the same pairs (`curate::pick`).

use clap::Args;

use crate::curate;
use crate::domain::Split;

#[derive(Debug, Args)]
pub(super) struct SelectionArgs {
    /// Only this split (train, train-dev, dev, test).
    #[arg(long, value_parser = parse_split)]
    split: Option<Split>,
    /// Only pairs whose labelers reach a majority verdict.
    #[arg(long)]
    consensus_only: bool,
    /// Only pairs with this consensus tag (repeatable).
    #[arg(long = "tag", visible_alias = "with-tag")]
    tags: Vec<String>,
    /// Leave out pairs with this consensus tag (repeatable), e.g. borderline.
    #[arg(long = "exclude-tag")]
    exclude_tags: Vec<String>,
    /// Only pairs whose verdicts agree at least this much (0-1).
    #[arg(long)]
    min_agreement: Option<f64>,
    /// Only pairs whose verdicts agree at most this much (0-1; e.g. 0.99 for the
    /// disagreement queue).
    #[arg(long)]
    max_agreement: Option<f64>,
    /// Only the pairs --model gets wrong at --threshold (false accepts and rejects).
    #[arg(long, requires = "threshold")]
    errors_only: bool,
    /// The model whose scores --errors-only (and export's score columns) use.
    #[arg(long)]
    pub(super) model: Option<String>,
    /// The operating threshold of --model (export adds a predicted column).
    #[arg(long, requires = "model")]
    pub(super) threshold: Option<f64>,
}

pub(super) fn parse_split(text: &str) -> Result<Split, String> {
    Split::parse(text)?.ok_or_else(|| "name a split: train, train-dev, dev or test".to_string())
}

impl SelectionArgs {
    pub(super) fn selection(&self) -> curate::Selection {
        curate::Selection {
            split: self.split,
            consensus_only: self.consensus_only,
            require_tags: self.tags.clone(),
            exclude_tags: self.exclude_tags.clone(),
            min_agreement: self.min_agreement,
            max_agreement: self.max_agreement,
            model_errors: self.errors_only,
        }
    }
}
