//! Running all-vs-all comparisons on a project: embed the images with an identity that the
//! cache lacks (the same library call as `pairscope embed`), compare every pair with
//! [`crate::analysis::all_vs_all`], and keep the result in the project, cached by model and
//! image set. Shared by `pairscope all-vs-all` and the report.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use crate::analysis::TPR_AT_FPR;
use crate::analysis::all_vs_all::{
    AllVsAllError, Input, Options, Progress, ScoredPair, compare_all, max_false_accepts,
};
pub use crate::analysis::all_vs_all::{AllVsAllRecord, FmrPoint, NamedComparison};
use crate::analysis::intervals::max_failures_demonstrating;
use crate::face::FaceEngine;
use crate::scoring::{ScoringError, score_project};
use crate::store::{IdentityImage, ImageId, ModelKind, Store, StoreError};

/// How many hardest impostors and weakest genuine comparisons a result keeps.
pub const KEEP: usize = 200;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(
        "no image in this project has an identity: import LFW, folders of people (import-folders), \
         pairs with identity_a/identity_b columns, or an image,identity CSV (import-identities)"
    )]
    NoIdentities,
    #[error("no model named {} in this project (see `pairscope info`)", crate::quote::quote(.0))]
    UnknownModel(String),
    #[error(
        "{missing} images with an identity have no embedding under model {}, and only the \
         built-in model can be run here: run `pairscope embed --model FILE --name {}` first",
        crate::quote::quote(.model), crate::quote::shortened(.model)
    )]
    NotEmbedded { model: String, missing: usize },
    #[error("cancelled: embeddings computed so far are saved; run again to finish")]
    Cancelled,
    #[error("all-vs-all: {0}")]
    Invalid(String),
    #[error(transparent)]
    Scoring(#[from] ScoringError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Where a run is.
#[derive(Clone, Copy, Debug)]
pub enum RunProgress {
    Embedding { done: usize, total: usize },
    Comparing(Progress),
}

/// What [`run`] did.
#[derive(Clone, Debug)]
pub struct RunOutcome {
    pub record: AllVsAllRecord,
    /// Taken from the project: nothing changed since the last run.
    pub cached: bool,
    pub images_embedded: usize,
}

/// The model to compare with: the one named, else the built-in one.
fn model_sha(store: &mut Store, name: &str) -> Result<Option<String>, RunError> {
    let models = store.read(|tx| tx.models())?;
    match models.into_iter().find(|m| m.name == name) {
        Some(m) => Ok(m.sha256),
        None if name == "builtin" => Ok(None),
        None => Err(RunError::UnknownModel(name.to_owned())),
    }
}

/// The cached result for this model and the project's current image set, if any.
pub fn cached(store: &mut Store, model_sha256: &str) -> Result<Option<AllVsAllRecord>, StoreError> {
    store.read(|tx| {
        let set = tx.identity_set_sha256()?;
        Ok(tx.all_vs_all(model_sha256, &set)?.and_then(|v| serde_json::from_value(v).ok()))
    })
}

/// Compares every image with an identity against every other one under model `model_name`
/// ("builtin" by default), embedding what the cache lacks first with `engine` (made only
/// when needed), and stores the result.
pub fn run(
    store: &mut Store,
    model_name: &str,
    engine: impl FnOnce() -> Result<FaceEngine, crate::face::FaceError>,
    cancel: &AtomicBool,
    progress: &(dyn Fn(RunProgress) + Sync),
) -> Result<RunOutcome, RunError> {
    let started = Instant::now();
    if store.read(|tx| tx.image_identities())?.is_empty() {
        return Err(RunError::NoIdentities);
    }
    let mut sha = model_sha(store, model_name)?;
    let mut images_embedded = 0;
    let lacking = |store: &mut Store, sha: &Option<String>| -> Result<usize, StoreError> {
        let Some(sha) = sha else { return Ok(usize::MAX) };
        Ok(store.read(|tx| tx.identity_images(sha))?.iter().filter(|i| i.status.is_none()).count())
    };
    let missing = lacking(store, &sha)?;
    if missing > 0 {
        if model_name != "builtin" {
            return Err(RunError::NotEmbedded { model: model_name.to_owned(), missing });
        }
        let engine = engine().map_err(ScoringError::from)?;
        let summary = score_project(store, &engine, "builtin", ModelKind::Embedded, cancel, |p| {
            progress(RunProgress::Embedding { done: p.done, total: p.total })
        })?;
        if summary.cancelled {
            return Err(RunError::Cancelled);
        }
        images_embedded = summary.images_processed;
        sha = Some(engine.identity().sha256.clone());
    }
    let sha = sha.expect("embedded above");
    let set = store.read(|tx| tx.identity_set_sha256())?;
    if let Some(record) = cached(store, &sha)? {
        return Ok(RunOutcome { record, cached: true, images_embedded });
    }

    let images = store.read(|tx| tx.identity_images(&sha))?;
    let (compared, left_out): (Vec<&IdentityImage>, Vec<&IdentityImage>) =
        images.iter().partition(|i| i.vector.as_ref().is_some_and(|v| !v.is_empty()));
    let dim = compared.first().map_or(1, |i| i.vector.as_ref().map_or(1, Vec::len));
    let mut index: HashMap<&str, u32> = HashMap::new();
    let mut identities = Vec::with_capacity(compared.len());
    let mut vectors = Vec::with_capacity(compared.len() * dim);
    for image in &compared {
        let next = index.len() as u32;
        identities.push(*index.entry(image.identity.as_str()).or_insert(next));
        let v = image.vector.as_ref().expect("partitioned on it");
        if v.len() != dim {
            return Err(RunError::Invalid(format!("{}: a {}-d embedding among {dim}-d ones", image.path, v.len())));
        }
        vectors.extend_from_slice(v);
    }
    let (_, impostors) = crate::analysis::all_vs_all::pair_counts(&identities);
    let mut limits = Vec::new();
    for (_, f) in TPR_AT_FPR {
        limits.push(max_false_accepts(f, impostors));
        limits.extend(max_failures_demonstrating(impostors, f));
    }
    let options = Options { threads: 0, keep: KEEP, false_accept_limits: limits };
    let result = compare_all(Input { vectors: &vectors, dim, identities: &identities }, &options, cancel, &|p| {
        progress(RunProgress::Comparing(p))
    })
    .map_err(|e| match e {
        AllVsAllError::Cancelled => RunError::Cancelled,
        AllVsAllError::Invalid(why) => RunError::Invalid(name_rows(&why, &compared)),
    })?;

    let mut thresholds = result.thresholds.into_iter();
    let points = TPR_AT_FPR
        .iter()
        .map(|&(key, f)| FmrPoint {
            key: key.to_owned(),
            fmr: f,
            observed: thresholds.next().expect("one per target"),
            demonstrated: max_failures_demonstrating(impostors, f).map(|_| thresholds.next().expect("one per limit")),
        })
        .collect();
    let named = |pairs: Vec<ScoredPair>| -> Vec<NamedComparison> {
        pairs
            .into_iter()
            .map(|p| {
                let (a, b) = (compared[p.a as usize], compared[p.b as usize]);
                NamedComparison {
                    image_a: a.path.clone(),
                    image_b: b.path.clone(),
                    identity_a: a.identity.clone(),
                    identity_b: b.identity.clone(),
                    score: p.score,
                    image_a_id: a.id.0,
                    image_b_id: b.id.0,
                }
            })
            .collect()
    };
    let record = AllVsAllRecord {
        model: model_name.to_owned(),
        images: compared.len() as u64,
        identities: index.len() as u64,
        left_out: left_out.len() as u64,
        genuine: result.genuine,
        impostors: result.impostors,
        eer: result.eer,
        points,
        histogram: result.histogram,
        hardest_impostors: named(result.hardest_impostors),
        weakest_genuine: named(result.weakest_genuine),
        seconds: started.elapsed().as_secs_f64(),
    };
    let value = serde_json::to_value(&record).expect("a record serializes");
    store.write(|tx| tx.put_all_vs_all(&sha, &set, &value))?;
    Ok(RunOutcome { record, cached: false, images_embedded })
}

/// The kernel names rows; people need the image.
fn name_rows(why: &str, compared: &[&IdentityImage]) -> String {
    let row = why.strip_prefix("row ").and_then(|r| r.split(' ').next()).and_then(|r| r.parse::<usize>().ok());
    match row.and_then(|r| compared.get(r)) {
        Some(image) => format!("{}: {why}", image.path),
        None => why.to_owned(),
    }
}

/// What [`add_hardest`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Added {
    pub impostors: usize,
    pub genuine: usize,
    /// Pairs the project already had (kept as they are).
    pub existing: usize,
}

/// Adds the `k` hardest impostors and `k` weakest genuine comparisons of `record` as pairs to
/// review (source `all-vs-all`, truth from identity), skipping pairs that already exist.
/// One transaction: all or nothing.
pub fn add_hardest(store: &mut Store, record: &AllVsAllRecord, k: usize) -> Result<Added, StoreError> {
    use crate::domain::Truth;
    use crate::store::NewPair;
    let chosen = record
        .hardest_impostors
        .iter()
        .take(k)
        .map(|c| (c, Truth::Different))
        .chain(record.weakest_genuine.iter().take(k).map(|c| (c, Truth::Same)));
    store.write(|tx| {
        let mut added = Added::default();
        for (c, truth) in chosen.clone() {
            if tx.find_pair_by_images(ImageId(c.image_a_id), ImageId(c.image_b_id))?.is_some() {
                added.existing += 1;
                continue;
            }
            let metadata = serde_json::json!({
                "identity_a": c.identity_a,
                "identity_b": c.identity_b,
                "all_vs_all_score": c.score,
            });
            tx.insert_pair(&NewPair {
                external_id: None,
                image_a: ImageId(c.image_a_id),
                image_b: ImageId(c.image_b_id),
                truth: Some(truth),
                split: None,
                source: "all-vs-all",
                metadata: &metadata,
            })?;
            match truth {
                Truth::Different => added.impostors += 1,
                Truth::Same => added.genuine += 1,
            }
        }
        Ok(added)
    })
}
