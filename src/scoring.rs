//! Scoring a project: run the face pipeline over every image the embedding cache does not hold
//! yet, store the embeddings and per-image statistics, then score every pair by cosine.
//! Shared by `pairscope embed` and the GUI's "Score project".

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::face::{BatchOptions, FaceEngine, FaceError, ImageJob, ImageResult, ImageStatus, cosine};
use crate::store::{CachedEmbedding, ImageId, ModelId, ModelKind, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ScoringError {
    #[error("face model: {0}")]
    Face(#[from] FaceError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Where a scoring run is, for a progress bar.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub elapsed: Duration,
}

/// What a scoring run did.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ScoreSummary {
    pub model: String,
    pub images_total: usize,
    /// Taken from the cache: no work at all.
    pub images_cached: usize,
    pub images_processed: usize,
    /// Status code → images, over the whole project (cached and new).
    pub statuses: BTreeMap<String, u64>,
    /// Images of the project without an embedding, by status code: those stored (no_face,
    /// bad_embedding, …) and those of this run that are retried next time (missing_file,
    /// model_error).
    pub images_unembedded: BTreeMap<String, u64>,
    /// This run's images without an embedding: `path: status and reason`.
    pub image_problems: Vec<String>,
    pub pairs_scored: usize,
    /// Pairs without a score, with the reason (which image, what status).
    pub pairs_unscored: Vec<String>,
    pub cancelled: bool,
    pub seconds: f64,
}

/// Results are committed in batches of this many images as they arrive, so a cancel, a kill
/// or another writer holding the file costs at most the batch in hand, never the work before
/// it. (While a batch waits for the file, the pipeline waits too: see `run_batch`.)
pub const FLUSH_EVERY: usize = 32;

/// Statuses that depend only on the file's bytes may be cached under its hash; a missing
/// file or a runtime failure must be retried next time.
fn cacheable(status: &ImageStatus) -> bool {
    !matches!(status, ImageStatus::MissingFile { .. } | ImageStatus::ModelError { .. })
}

pub fn score_project(
    store: &mut Store,
    engine: &FaceEngine,
    model_name: &str,
    kind: ModelKind,
    cancel: &AtomicBool,
    mut progress: impl FnMut(Progress),
) -> Result<ScoreSummary, ScoringError> {
    let started = Instant::now();
    let model_sha = engine.identity().sha256.clone();
    let (model_id, _) = store.write(|tx| tx.model_or_create(model_name, kind, Some(&model_sha)))?;
    let todo = store.read(|tx| tx.images_to_embed(&model_sha))?;
    let images_total = store.read(|tx| tx.info())?.images as usize;
    let sha_of: HashMap<i64, String> = todo.iter().map(|i| (i.id.0, i.sha256.clone())).collect();
    let jobs: Vec<ImageJob> = todo.iter().map(|i| ImageJob { id: i.id.0, path: i.path.clone() }).collect();

    let mut summary = ScoreSummary {
        model: model_name.to_owned(),
        images_total,
        images_cached: images_total - jobs.len(),
        ..Default::default()
    };
    let mut pending: Vec<ImageResult> = Vec::new();
    // A batch that cannot be written (read-only file, full disk) stops the run at once: the
    // batches before it are saved, and computing on would only make results to throw away.
    let mut write_error: Option<StoreError> = None;
    let stop = AtomicBool::new(false);
    let mut flush = |store: &mut Store, pending: &mut Vec<ImageResult>| {
        if pending.is_empty() || write_error.is_some() {
            return;
        }
        // Waits while another writer holds the file, then commits the whole batch.
        if let Err(e) = store.write(|tx| {
            for result in pending.iter() {
                let image_sha = &sha_of[&result.id];
                if let Some(stats) = result.face_stats.or(result.image_stats) {
                    tx.set_image_stats(ImageId(result.id), stats.brightness as f64, stats.sharpness as f64)?;
                }
                if !cacheable(&result.status) {
                    continue;
                }
                let mut detail = result.status.detail();
                if let Some(now) = result.file_sha256.as_deref().filter(|now| *now != image_sha) {
                    detail = Some(format!("the file changed since it was imported (sha256 now {now})"));
                }
                let face = result.face.as_ref().map(|f| {
                    serde_json::json!({
                        "box": [f.bbox.x1, f.bbox.y1, f.bbox.x2, f.bbox.y2],
                        "score": f.bbox.score,
                        "points": f.points,
                    })
                });
                tx.put_embedding(
                    &model_sha,
                    image_sha,
                    &CachedEmbedding {
                        status: result.status.code().to_owned(),
                        detail,
                        face_count: Some(result.face_count),
                        face,
                        vector: result.embedding.clone(),
                    },
                )?;
            }
            Ok::<_, StoreError>(())
        }) {
            write_error = Some(e);
            stop.store(true, Ordering::Relaxed);
        }
        pending.clear();
    };

    let mut done = 0;
    let mut problems: Vec<String> = Vec::new();
    let mut transient: BTreeMap<String, u64> = BTreeMap::new();
    progress(Progress { done, total: jobs.len(), elapsed: started.elapsed() });
    let batch = engine.run_batch(&jobs, &BatchOptions::default(), &stop, |result| {
        if cancel.load(Ordering::Relaxed) {
            stop.store(true, Ordering::Relaxed);
        }
        done += 1;
        if !result.status.has_embedding() {
            problems.push(format!("{}: {}", result.path.display(), result.status));
        }
        if !cacheable(&result.status) {
            *transient.entry(result.status.code().to_owned()).or_default() += 1;
        }
        pending.push(result);
        if pending.len() >= FLUSH_EVERY {
            flush(store, &mut pending);
        }
        progress(Progress { done, total: jobs.len(), elapsed: started.elapsed() });
    })?;
    flush(store, &mut pending);
    if let Some(e) = write_error {
        return Err(e.into());
    }
    summary.images_processed = batch.delivered;
    summary.cancelled = batch.cancelled;

    if !summary.cancelled {
        score_pairs(store, model_id, &model_sha, &mut summary)?;
    }
    summary.statuses = store.read(|tx| tx.embedding_statuses(&model_sha))?.into_iter().collect();
    // Images and pairs are counted apart: one image without an embedding can leave many
    // pairs without a score.
    summary.images_unembedded = transient;
    for (code, n) in &summary.statuses {
        if ImageStatus::from_code(code, None).is_some_and(|s| !s.has_embedding()) {
            *summary.images_unembedded.entry(code.clone()).or_default() += n;
        }
    }
    summary.image_problems = problems;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Cosine of the cached embeddings of every pair, written in one transaction.
fn score_pairs(
    store: &mut Store,
    model: ModelId,
    model_sha: &str,
    summary: &mut ScoreSummary,
) -> Result<(), StoreError> {
    let pairs = store.read(|tx| tx.pair_image_hashes())?;
    store.write(|tx| {
        let mut cache: HashMap<String, Option<CachedEmbedding>> = HashMap::new();
        for (pair, name, a, b) in &pairs {
            for sha in [a, b] {
                if !cache.contains_key(sha) {
                    cache.insert(sha.clone(), tx.cached_embedding(model_sha, sha)?);
                }
            }
            let (ea, eb) = (&cache[a], &cache[b]);
            match (ea.as_ref().and_then(|e| e.vector.as_ref()), eb.as_ref().and_then(|e| e.vector.as_ref())) {
                (Some(va), Some(vb)) => {
                    tx.set_score(*pair, model, cosine(va, vb) as f64)?;
                    summary.pairs_scored += 1;
                }
                _ => {
                    let why = |e: &Option<CachedEmbedding>| {
                        e.as_ref().map_or("not processed".to_owned(), |e| e.status.clone())
                    };
                    summary.pairs_unscored.push(format!("pair {name}: image a {}, image b {}", why(ea), why(eb)));
                }
            }
        }
        Ok(())
    })
}
