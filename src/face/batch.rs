//! Many images at once: decoding on its own threads, overlapping inference on worker threads
//! that each own a set of sessions; results stream to a callback as they finish; a cancel flag
//! stops the batch promptly, keeping everything already delivered.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use super::engine::{FaceEngine, ImageResult};
use super::error::FaceError;

/// One image to process: the caller's id for it and its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageJob {
    pub id: i64,
    pub path: PathBuf,
}

/// How to spread a batch over the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchOptions {
    /// Inference workers, each with its own sessions; 0 = one per core.
    pub workers: usize,
    /// Threads reading and decoding files ahead of the workers; 0 = one per two cores (at least one).
    pub decode_threads: usize,
    /// Threads inside each ONNX operator. 1 is fastest when the workers already fill the cores.
    pub intra_threads: usize,
    /// Keep each aligned crop in its result (37 KB per image at 112x112).
    pub keep_aligned_faces: bool,
}

impl Default for BatchOptions {
    fn default() -> Self {
        Self { workers: 0, decode_threads: 0, intra_threads: 1, keep_aligned_faces: false }
    }
}

impl BatchOptions {
    fn resolved(&self, jobs: usize) -> (usize, usize) {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let workers = if self.workers == 0 { cores } else { self.workers };
        let decoders = if self.decode_threads == 0 { cores.div_ceil(2) } else { self.decode_threads };
        (workers.clamp(1, jobs.max(1)), decoders.clamp(1, jobs.max(1)))
    }
}

/// What a batch did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchSummary {
    pub submitted: usize,
    /// Results passed to the callback; equals `submitted` unless cancelled.
    pub delivered: usize,
    pub cancelled: bool,
    pub elapsed: Duration,
    /// Delivered results per [`ImageStatus::code`](super::ImageStatus::code).
    pub by_status: BTreeMap<&'static str, usize>,
}

impl FaceEngine {
    /// Processes `jobs`, calling `on_result` on the calling thread for each image as it
    /// finishes (in completion order), e.g. to store it and move a progress bar. Setting
    /// `cancel` stops the batch after the images in flight; their results and all earlier ones
    /// are delivered, the rest are not. Errors are engine-level only (sessions could not be
    /// created); a bad image is a result with its status.
    pub fn run_batch(
        &self,
        jobs: &[ImageJob],
        options: &BatchOptions,
        cancel: &AtomicBool,
        mut on_result: impl FnMut(ImageResult),
    ) -> Result<BatchSummary, FaceError> {
        let started = Instant::now();
        let mut summary = BatchSummary {
            submitted: jobs.len(),
            delivered: 0,
            cancelled: false,
            elapsed: Duration::ZERO,
            by_status: BTreeMap::new(),
        };
        if jobs.is_empty() {
            return Ok(summary);
        }
        let (workers, decoders) = options.resolved(jobs.len());
        let mut session_sets =
            (0..workers).map(|_| self.take_sessions(options.intra_threads.max(1))).collect::<Result<Vec<_>, _>>()?;

        let next_job = AtomicUsize::new(0);
        // Set when results can no longer be delivered (the callback panicked): everyone winds
        // down without blocking on a full queue.
        let abandoned = AtomicBool::new(false);
        let stopping = || cancel.load(Ordering::Relaxed) || abandoned.load(Ordering::Relaxed);
        // Bounded, so decoded photos never pile up in memory ahead of the models.
        let (prepared_tx, prepared_rx) = mpsc::sync_channel(2 * workers);
        let prepared_rx = Mutex::new(prepared_rx);
        // Bounded too: while the callback is busy (e.g. waiting to commit what it has), the
        // workers pause instead of piling up results that a kill would lose.
        let (result_tx, result_rx) = mpsc::sync_channel::<ImageResult>(2 * workers);

        std::thread::scope(|scope| {
            for _ in 0..decoders {
                let (prepared_tx, result_tx) = (prepared_tx.clone(), result_tx.clone());
                let (next_job, stopping, abandoned) = (&next_job, &stopping, &abandoned);
                scope.spawn(move || {
                    while !stopping() {
                        let Some(job) = jobs.get(next_job.fetch_add(1, Ordering::Relaxed)) else {
                            break;
                        };
                        let sent = match self.prepare(job) {
                            Ok(prepared) => prepared_tx.send(prepared).is_ok(),
                            Err(failed) => {
                                result_tx.send(ImageResult::failed(job, failed.status, failed.file_sha256)).is_ok()
                            }
                        };
                        if !sent {
                            abandoned.store(true, Ordering::Relaxed);
                            break;
                        }
                    }
                });
            }
            drop(prepared_tx);
            for sessions in session_sets.iter_mut() {
                let result_tx = result_tx.clone();
                let (prepared_rx, stopping, abandoned) = (&prepared_rx, &stopping, &abandoned);
                scope.spawn(move || {
                    loop {
                        let next = prepared_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        let Ok(prepared) = next else { break };
                        if stopping() {
                            continue; // drain, so decoders blocked on a full queue wake up and stop
                        }
                        let result = self.infer(prepared, sessions, options.keep_aligned_faces);
                        if result_tx.send(result).is_err() {
                            abandoned.store(true, Ordering::Relaxed);
                        }
                    }
                });
            }
            drop(result_tx);
            for result in result_rx {
                summary.delivered += 1;
                *summary.by_status.entry(result.status.code()).or_default() += 1;
                on_result(result);
            }
        });

        for sessions in session_sets {
            self.give_back(sessions);
        }
        summary.cancelled = summary.delivered < summary.submitted && cancel.load(Ordering::Relaxed);
        summary.elapsed = started.elapsed();
        Ok(summary)
    }
}
