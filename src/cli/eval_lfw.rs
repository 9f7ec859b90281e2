//! `pairscope eval-lfw`: the LFW protocol's 10-fold accuracy of a model's scores.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;

use crate::analysis::intervals::Proportion;
use crate::analysis::{self, Numbers, Prepared, Truth};

const TEXT: Numbers = Numbers { missing: "n/a" };
use crate::store::Store;

#[derive(Debug, Args)]
pub struct EvalLfwArgs {
    project: PathBuf,
    /// The model whose scores to evaluate (default: the only one, or the built-in one).
    #[arg(long)]
    model: Option<String>,
}

impl EvalLfwArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        eval_lfw(&self.project, self.model.as_deref())
    }
}

fn eval_lfw(project_path: &Path, model: Option<&str>) -> anyhow::Result<()> {
    let mut store = Store::open_to_read(project_path)?;
    let (model, project) = store.read(|tx| {
        let model = tx.choose_model(model)?;
        let snapshot = tx.snapshot(model.as_ref().map(|m| m.id))?;
        Ok((model, snapshot))
    })?;
    let Some(model) = model else {
        bail!("{}: no model has scored this project yet; run `pairscope embed` first", project_path.display());
    };
    let snapshot = &project.snapshot;
    let fold_column = snapshot.metadata.iter().find(|c| c.name == "fold").with_context(|| {
        format!("{}: no pair has an LFW fold; import them with `pairscope import-lfw`", project_path.display())
    })?;

    // The LFW pairs: those with a fold and a truth.
    let mut score = Vec::new();
    let mut truth = Vec::new();
    let mut fold = Vec::new();
    let mut folds = std::collections::BTreeSet::new();
    for (i, code) in fold_column.codes.iter().enumerate() {
        let (Some(code), Some(t)) = (code, snapshot.truth[i]) else { continue };
        let Ok(number) = fold_column.values[*code as usize].parse::<usize>() else {
            bail!(
                "pair {}: fold {} is not a number",
                project.pair_ids[i],
                crate::quote::quote(&fold_column.values[*code as usize])
            );
        };
        folds.insert(number);
        score.push(snapshot.score[i]);
        truth.push(t);
        fold.push(number);
    }
    // Folds are numbered from 1 in the project; k-fold wants 0..k.
    let index: std::collections::HashMap<usize, usize> = folds.iter().enumerate().map(|(i, f)| (*f, i)).collect();
    let fold: Vec<usize> = fold.iter().map(|f| index[f]).collect();
    let k = folds.len();
    let result = analysis::kfold_accuracy(&score, &truth, &fold, k).map_err(|e| anyhow::anyhow!("{e}"))?;

    // AUC over the same pairs: a snapshot of just those scores and truths.
    let lfw = analysis::Snapshot {
        score: score.clone(),
        truth: truth.iter().map(|t| Some(*t)).collect(),
        split: vec![None; score.len()],
        consensus_override: vec![None; score.len()],
        ..analysis::Snapshot::default()
    };
    let auc = Prepared::new(&lfw).map_err(|e| anyhow::anyhow!("{e}"))?.auc();

    let same = truth.iter().filter(|t| **t == Truth::Same).count();
    println!(
        "model {} on {} LFW pairs ({same} same, {} different), {k} folds",
        model.name,
        truth.len(),
        truth.len() - same
    );
    match (result.mean, result.std) {
        (Some(mean), Some(std)) => println!("{k}-fold accuracy  {:.2}% ± {:.2}", mean * 100.0, std * 100.0),
        _ => println!("{k}-fold accuracy  n/a (no fold has scored pairs)"),
    }
    // The protocol's mean ± std says how folds vary, not how sure the accuracy is: the
    // pooled count and its exact interval do.
    println!("pooled accuracy   {}", TEXT.proportion(result.pooled));
    match auc {
        Some(auc) => println!("ROC AUC           {auc:.4}"),
        None => println!("ROC AUC           n/a"),
    }
    for f in &result.folds {
        let threshold = f.threshold.map_or("+inf".to_owned(), |t| format!("{t:.4}"));
        let accuracy = TEXT.proportion(Proportion::new(f.correct, f.pairs));
        println!("  fold {:>2}: {:>4} pairs  threshold {threshold:>7}  accuracy {accuracy}", f.fold + 1, f.pairs);
    }
    println!("skipped {} pairs without a score (an image with no face, or not embedded yet)", result.unscored);
    let statuses = store.read(|tx| tx.embedding_statuses(model.sha256.as_deref().unwrap_or_default()))?;
    let bad: Vec<String> = statuses
        .iter()
        .filter(|(s, _)| !matches!(s.as_str(), "ok" | "several_faces"))
        .map(|(s, n)| format!("{s} {n}"))
        .collect();
    if !bad.is_empty() {
        println!("images without an embedding: {}", bad.join(", "));
    }
    Ok(())
}
