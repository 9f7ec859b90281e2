//! A worker thread for disk work. Jobs run in order; each result comes back over a channel
//! and wakes the UI.
//!
//! A job that panics still answers: its `if_panics` result says what went wrong, and the
//! worker goes on with the next job. Should the thread end all the same, the next job starts
//! a new one, so no job is ever dropped unseen.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, SendError, Sender, channel};
use std::sync::{Arc, Mutex};

use crate::store::Store;
use crate::ui::jobs::job::panic_message;

/// The project's store, for a job on a worker thread.
pub(in crate::ui) fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    // Only the I/O thread and the watch thread lock the store, never a frame; a panic there
    // must not wedge the app for good.
    store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A job and what to answer instead if it panics (given the panic's message).
type Queued<T> = (Box<dyn FnOnce() -> T + Send>, Box<dyn FnOnce(String) -> T + Send>);

pub struct Background<T: Send + 'static> {
    name: String,
    wake: Arc<dyn Fn() + Send + Sync>,
    jobs: Sender<Queued<T>>,
    results: Receiver<T>,
}

impl<T: Send + 'static> Background<T> {
    /// `wake` is called after each finished job (the app passes `ctx.request_repaint`).
    pub fn new(wake: impl Fn() + Send + Sync + 'static) -> Self {
        Self::named("pairscope-io", wake)
    }

    /// A worker whose thread carries this name (seen in debuggers and panics).
    pub fn named(name: &str, wake: impl Fn() + Send + Sync + 'static) -> Self {
        let wake: Arc<dyn Fn() + Send + Sync> = Arc::new(wake);
        let (jobs, results) = start(name, wake.clone());
        Background { name: name.to_owned(), wake, jobs, results }
    }

    /// Queues `job`; if it panics, `if_panics(message)` is its result.
    pub fn spawn(
        &mut self,
        job: impl FnOnce() -> T + Send + 'static,
        if_panics: impl FnOnce(String) -> T + Send + 'static,
    ) {
        if let Err(SendError(job)) = self.jobs.send((Box::new(job), Box::new(if_panics))) {
            // The thread is gone (it cannot be by a job's panic; something else ended it).
            // Results it finished were taken already; start afresh and hand it the job.
            tracing::error!(worker = %self.name, "the worker thread ended; starting a new one");
            (self.jobs, self.results) = start(&self.name, self.wake.clone());
            self.jobs.send(job).unwrap_or_else(|_| unreachable!("a worker just started holds its receiver"));
        }
    }

    /// Results that arrived since the last call; never blocks.
    pub fn poll(&self) -> Vec<T> {
        self.results.try_iter().collect()
    }
}

fn start<T: Send + 'static>(name: &str, wake: Arc<dyn Fn() + Send + Sync>) -> (Sender<Queued<T>>, Receiver<T>) {
    let (jobs, job_rx) = channel::<Queued<T>>();
    let (result_tx, results) = channel();
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            for (job, if_panics) in job_rx {
                let result =
                    catch_unwind(AssertUnwindSafe(job)).unwrap_or_else(|panic| if_panics(panic_message(&*panic)));
                if result_tx.send(result).is_err() {
                    break;
                }
                wake();
            }
        })
        .expect("spawning a worker thread");
    (jobs, results)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn wait_for<T: Send>(worker: &Background<T>, n: usize) -> Vec<T> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut got = Vec::new();
        while got.len() < n {
            assert!(Instant::now() < deadline, "the worker stopped answering");
            got.extend(worker.poll());
            std::thread::sleep(Duration::from_millis(2));
        }
        got
    }

    #[test]
    fn a_panicking_job_answers_and_the_jobs_after_it_still_run() {
        let mut worker = Background::named("test-worker", || {});
        worker.spawn(|| "first".to_owned(), |m| format!("failed: {m}"));
        worker.spawn(|| panic!("boom"), |m| format!("failed: {m}"));
        worker.spawn(|| "third".to_owned(), |m| format!("failed: {m}"));
        assert_eq!(wait_for(&worker, 3), ["first", "failed: boom", "third"]);
    }

    #[test]
    fn a_job_sent_after_the_thread_ended_runs_on_a_new_one() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let woken = AtomicBool::new(false);
        // The first wake-up panics outside any job: the thread ends.
        let mut worker = Background::named("test-worker", move || {
            if !woken.swap(true, Ordering::Relaxed) {
                panic!("wake failed");
            }
        });
        worker.spawn(|| 1, |_| -1);
        assert_eq!(wait_for(&worker, 1), [1]);
        while !matches!(worker.results.try_recv(), Err(std::sync::mpsc::TryRecvError::Disconnected)) {
            std::thread::sleep(Duration::from_millis(2));
        }
        worker.spawn(|| 2, |_| -1);
        assert_eq!(wait_for(&worker, 1), [2]);
    }
}
