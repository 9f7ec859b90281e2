//! A project's label quality (issue 15), loaded for `pairscope quality` and the app: the
//! blind labels, the chosen model's scores, gold marks, identity groups and verdict times, put
//! through [`LabelQuality`], with the JSON contract and the CSV tables.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::CurateError;
use crate::analysis::label_quality::{LabelQuality, QualityInput};
use crate::analysis::snapshot::{Snapshot, Truth};
use crate::store::{PairId, QualityFacts, ScoredModel, Store};

/// Label quality of a project, with the names behind its indices.
pub struct ProjectQuality {
    pub model: Option<ScoredModel>,
    /// The snapshot the quality was computed on (blind labels only).
    pub snapshot: Snapshot,
    pub pair_ids: Vec<PairId>,
    /// Per pair: its own id as exports name it (`#<row id>` without one).
    pub pair_names: Vec<String>,
    pub gold: Vec<bool>,
    pub quality: LabelQuality,
    /// Tags whose definition changed, with α before and after.
    pub definition_changes: Vec<DefinitionChange>,
}

/// What label quality reads from a project: taken under the store's lock, computed after.
pub struct QualityRead {
    model: Option<ScoredModel>,
    snapshot: Snapshot,
    pair_ids: Vec<PairId>,
    pair_names: Vec<String>,
    facts: QualityFacts,
    /// Per tag (as in `tag_names`) redefined: when, in ms since 1970.
    redefined: Vec<Option<i64>>,
    /// Per label row of the snapshot: when it was last changed (ms), if known.
    label_times: Vec<Option<i64>>,
}

/// Krippendorff's α of one tag on the labels given before its definition last changed, and
/// on those given after: did the new wording help?
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DefinitionChange {
    pub tag: String,
    /// ms since 1970.
    pub changed_at: i64,
    pub alpha_before: Option<f64>,
    /// Pairs with two labelers or more before the change.
    pub pairs_before: u64,
    pub alpha_after: Option<f64>,
    pub pairs_after: u64,
}

impl QualityRead {
    /// One read transaction.
    pub fn read(store: &mut Store, model: Option<&str>) -> Result<QualityRead, CurateError> {
        let (model, project, facts, names, redefined, times) = store.read(|tx| {
            let model = tx.choose_model(model)?;
            let project = tx.snapshot(model.as_ref().map(|m| m.id))?;
            let facts = tx.quality_facts(&project.pair_ids, &project.labeler_ids)?;
            let names: std::collections::HashMap<PairId, Option<String>> =
                tx.pairs()?.into_iter().map(|p| (p.id, p.external_id)).collect();
            let changes = tx.tag_definition_changes()?;
            let redefined: Vec<Option<i64>> = project.tag_ids.iter().map(|t| changes.get(t).copied()).collect();
            let times = if redefined.iter().any(Option::is_some) { tx.label_times()? } else { Default::default() };
            Ok((model, project, facts, names, redefined, times))
        })?;
        // Labels given with the answer in view say nothing about a labeler, or the truth.
        let snapshot = project.blind_labels_only();
        snapshot.validate().map_err(|e| CurateError::path(store.path(), e.to_string()))?;
        let pair_names = project
            .pair_ids
            .iter()
            .map(|id| names.get(id).cloned().flatten().unwrap_or_else(|| format!("#{id}")))
            .collect();
        let labels = &snapshot.labels;
        let label_times = (0..labels.len())
            .map(|row| {
                let key =
                    (project.pair_ids[labels.pair[row] as usize], project.labeler_ids[labels.labeler[row] as usize]);
                times.get(&key).copied()
            })
            .collect();
        Ok(QualityRead { model, snapshot, pair_ids: project.pair_ids, pair_names, facts, redefined, label_times })
    }

    /// The computation (no I/O).
    pub fn compute(self) -> ProjectQuality {
        let definition_changes = definition_changes(&self.snapshot, &self.redefined, &self.label_times);
        let QualityRead { model, snapshot, pair_ids, pair_names, facts, .. } = self;
        let quality = LabelQuality::compute(&QualityInput {
            snapshot: &snapshot,
            groups: &facts.groups,
            gold: &facts.gold,
            history: &facts.history,
        });
        ProjectQuality { model, snapshot, pair_ids, pair_names, gold: facts.gold, quality, definition_changes }
    }
}

/// α of each redefined tag before and after its change; a label row counts as after when it
/// was last changed at or after the change (rows of unknown time count as before).
fn definition_changes(snapshot: &Snapshot, redefined: &[Option<i64>], times: &[Option<i64>]) -> Vec<DefinitionChange> {
    // α of tag `bit` over the label rows on one side of `at`, and the pairs with two labelers.
    let side = |bit: usize, at: i64, after: bool| -> (Option<f64>, u64) {
        let mut part = Snapshot { labels: Default::default(), ..snapshot.clone() };
        let l = &snapshot.labels;
        let mut per_pair: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
        for (row, time) in times.iter().enumerate() {
            if time.is_some_and(|t| t >= at) == after {
                part.labels.push(l.pair[row], l.labeler[row], l.verdict[row], l.tags[row]);
                *per_pair.entry(l.pair[row]).or_default() += 1;
            }
        }
        let pairs = per_pair.values().filter(|&&n| n >= 2).count() as u64;
        let alpha = crate::analysis::Agreement::compute(&part).ok().and_then(|a| a.tags[bit].krippendorff_alpha);
        (alpha, pairs)
    };
    redefined
        .iter()
        .enumerate()
        .filter_map(|(bit, at)| {
            let at = (*at)?;
            let (alpha_before, pairs_before) = side(bit, at, false);
            let (alpha_after, pairs_after) = side(bit, at, true);
            Some(DefinitionChange {
                tag: snapshot.tag_names[bit].clone(),
                changed_at: at,
                alpha_before,
                pairs_before,
                alpha_after,
                pairs_after,
            })
        })
        .collect()
}

impl ProjectQuality {
    /// Reads the project (one read transaction) and computes its label quality with the
    /// scores of `model` (default: the only one, or the built-in one).
    pub fn load(store: &mut Store, model: Option<&str>) -> Result<ProjectQuality, CurateError> {
        Ok(QualityRead::read(store, model)?.compute())
    }

    /// Per pair: labeler name → verdict.    /// Per pair: labeler name → verdict.
    fn labels_of(&self) -> Vec<serde_json::Map<String, Value>> {
        let s = &self.snapshot;
        let mut labels = vec![serde_json::Map::new(); s.pair_count()];
        for row in 0..s.labels.len() {
            if let Some(v) = s.labels.verdict[row] {
                let name = s.labeler_names[s.labels.labeler[row] as usize].clone();
                labels[s.labels.pair[row] as usize].insert(name, json!(v.as_str()));
            }
        }
        labels
    }

    /// The JSON contract of `pairscope quality --json`.
    pub fn to_json(&self) -> Value {
        let q = &self.quality;
        let labels = self.labels_of();
        let mut next_rank = vec![None; self.pair_names.len()];
        for (rank, &p) in q.needs_another_label.iter().enumerate() {
            next_rank[p as usize] = Some(rank + 1);
        }
        let pairs: Vec<Value> = q
            .pairs
            .iter()
            .enumerate()
            .map(|(i, p)| {
                json!({
                    "pair_id": self.pair_names[i],
                    "truth": self.snapshot.truth[i].map(Truth::as_str),
                    "model_probability": p.model_probability,
                    "consensus_label": p.consensus_label.map(Truth::as_str),
                    "consensus_source": p.consensus_source,
                    "consensus_quality_score": p.consensus_quality_score,
                    "annotator_agreement": p.annotator_agreement,
                    "num_annotations": p.num_annotations,
                    "likely_wrong_truth": p.likely_wrong_truth,
                    "truth_issue_rank": p.truth_issue_rank,
                    "needs_another_label_rank": next_rank[i],
                    "gold": self.gold[i],
                    "labels": labels[i],
                })
            })
            .collect();
        let labelers: Vec<Value> = q
            .labelers
            .iter()
            .enumerate()
            .map(|(l, lq)| {
                json!({
                    "labeler": self.snapshot.labeler_names[l],
                    "verdicts": lq.verdicts,
                    "annotator_quality": lq.annotator_quality,
                    "agreement_with_consensus": lq.agreement_with_consensus,
                    "num_examples_labeled": lq.num_examples_labeled,
                    "accuracy": lq.accuracy.rate(),
                    "accuracy_ci95": lq.accuracy_ci95,
                    "verdicts_with_truth": lq.accuracy.n,
                    "gold_accuracy": lq.gold_accuracy.rate(),
                    "gold_accuracy_ci95": lq.gold_accuracy_ci95,
                    "gold_verdicts": lq.gold_accuracy.n,
                    "median_seconds": lq.median_seconds,
                    "timed_verdicts": lq.timed_verdicts,
                    "drift": lq.drift.map(|[first, last]| json!({
                        "first_100_accuracy": first.rate(),
                        "first_100_ci95": first.ci95(),
                        "last_100_accuracy": last.rate(),
                        "last_100_ci95": last.ci95(),
                    })),
                })
            })
            .collect();
        json!({
            "model": self.model.as_ref().map(|m| m.name.clone()),
            "calibration": q.calibration,
            "model_weight": q.model_weight,
            "notes": q.notes,
            "likely_wrong_truth": q.likely_wrong_truth.len(),
            "needs_another_label": q.needs_another_label.len(),
            "gold_pairs": self.gold.iter().filter(|&&g| g).count(),
            "definition_changes": self.definition_changes,
            "pairs": pairs,
            "labelers": labelers,
        })
    }

    /// Writes quality_pairs.csv and quality_labelers.csv into `dir` (created if needed).
    pub fn write_csvs(&self, dir: &Path) -> Result<Vec<PathBuf>, CurateError> {
        std::fs::create_dir_all(dir).map_err(|e| CurateError::path(dir, format!("cannot create the folder: {e}")))?;
        let json = self.to_json();
        let pairs = [
            "pair_id",
            "truth",
            "model_probability",
            "consensus_label",
            "consensus_source",
            "consensus_quality_score",
            "annotator_agreement",
            "num_annotations",
            "likely_wrong_truth",
            "truth_issue_rank",
            "needs_another_label_rank",
            "gold",
        ];
        let labelers = [
            "labeler",
            "verdicts",
            "accuracy",
            "verdicts_with_truth",
            "gold_accuracy",
            "gold_verdicts",
            "agreement_with_consensus",
            "annotator_quality",
            "num_examples_labeled",
            "median_seconds",
            "timed_verdicts",
        ];
        let mut written = Vec::new();
        for (name, key, columns) in
            [("quality_pairs.csv", "pairs", &pairs[..]), ("quality_labelers.csv", "labelers", &labelers[..])]
        {
            let path = dir.join(name);
            let fail = |e: csv::Error| CurateError::path(&path, e.to_string());
            let mut w = csv::Writer::from_path(&path).map_err(fail)?;
            let mut header: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
            if key == "labelers" {
                header.extend(["accuracy_ci95_lo", "accuracy_ci95_hi"].map(String::from));
            }
            w.write_record(&header).map_err(fail)?;
            for row in json[key].as_array().into_iter().flatten() {
                let mut cells: Vec<String> = columns.iter().map(|c| cell(&row[*c])).collect();
                if key == "labelers" {
                    cells.push(cell(&row["accuracy_ci95"][0]));
                    cells.push(cell(&row["accuracy_ci95"][1]));
                }
                w.write_record(cells.iter().map(|c| crate::csv_cells::neutralise(c).into_owned())).map_err(fail)?;
            }
            w.flush().map_err(|e| CurateError::path(&path, e.to_string()))?;
            written.push(path);
        }
        Ok(written)
    }

    /// The readable summary: calibration, the labeler table, the head of each queue.
    pub fn render_text(&self, head: usize) -> String {
        use std::fmt::Write;
        let q = &self.quality;
        let mut out = String::new();
        let model = self.model.as_ref().map_or("no model", |m| m.name.as_str());
        let _ = writeln!(out, "Label quality ({model}; blind labels only)");
        if let Some(c) = &q.calibration {
            let _ = writeln!(
                out,
                "Calibration: Brier {:.4} over {} pairs with a truth (0 is perfect, 0.25 is a coin)",
                c.brier, c.pairs
            );
        }
        for note in &q.notes {
            let _ = writeln!(out, "Note: {note}");
        }
        let _ = writeln!(out, "\nLabelers");
        let _ = writeln!(
            out,
            "{:<20} {:>8} {:>24} {:>16} {:>10} {:>9} {:>9}",
            "labeler", "verdicts", "accuracy [95% CI] (n)", "gold (n)", "consensus", "quality", "median s"
        );
        for (l, lq) in q.labelers.iter().enumerate() {
            let accuracy = match (lq.accuracy.rate(), lq.accuracy_ci95) {
                (Some(r), Some([lo, hi])) => {
                    format!("{:.1}% [{:.1}, {:.1}] ({})", r * 100.0, lo * 100.0, hi * 100.0, lq.accuracy.n)
                }
                _ => "–".into(),
            };
            let gold =
                lq.gold_accuracy.rate().map_or("–".into(), |r| format!("{:.0}% ({})", r * 100.0, lq.gold_accuracy.n));
            let pct = |v: Option<f64>| v.map_or("–".into(), |v| format!("{:.1}%", v * 100.0));
            let num = |v: Option<f64>| v.map_or("–".into(), |v| format!("{v:.3}"));
            let _ = writeln!(
                out,
                "{:<20} {:>8} {:>24} {:>16} {:>10} {:>9} {:>9}",
                crate::quote::shortened(&self.snapshot.labeler_names[l]),
                lq.verdicts,
                accuracy,
                gold,
                pct(lq.agreement_with_consensus),
                num(lq.annotator_quality),
                lq.median_seconds.map_or("–".into(), |s| format!("{s:.1}")),
            );
        }
        let _ = writeln!(out, "\nLikely wrong truth: {} pairs", q.likely_wrong_truth.len());
        for &p in q.likely_wrong_truth.iter().take(head) {
            let pq = &q.pairs[p as usize];
            let _ = writeln!(
                out,
                "  {:>4}. {}  truth {}, consensus {} ({:.3}, {})",
                pq.truth_issue_rank.unwrap_or(0),
                crate::quote::shortened(&self.pair_names[p as usize]),
                self.snapshot.truth[p as usize].map_or("–", Truth::as_str),
                pq.consensus_label.map_or("–", Truth::as_str),
                pq.consensus_quality_score.unwrap_or(f64::NAN),
                if pq.num_annotations == 0 {
                    "model alone".to_string()
                } else {
                    format!("{} verdicts + model", pq.num_annotations)
                },
            );
        }
        let _ = writeln!(out, "\nNeeds another label: {} pairs", q.needs_another_label.len());
        for &p in q.needs_another_label.iter().take(head) {
            let pq = &q.pairs[p as usize];
            let _ = writeln!(
                out,
                "  {}  {} verdicts, P(same) {}",
                crate::quote::shortened(&self.pair_names[p as usize]),
                pq.num_annotations,
                pq.model_probability.map_or("–".into(), |v| format!("{v:.3}")),
            );
        }
        out
    }
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
