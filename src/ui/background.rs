//! A worker thread for disk work. Jobs run in order; each result comes back over a channel
//! and wakes the UI.

use std::sync::mpsc::{Receiver, Sender, channel};

type Job<T> = Box<dyn FnOnce() -> T + Send>;

pub struct Background<T: Send + 'static> {
    jobs: Sender<Job<T>>,
    results: Receiver<T>,
}

impl<T: Send + 'static> Background<T> {
    /// `wake` is called after each finished job (the app passes `ctx.request_repaint`).
    pub fn new(wake: impl Fn() + Send + 'static) -> Self {
        Self::named("pairscope-io", wake)
    }

    /// A worker whose thread carries this name (seen in debuggers and panics).
    pub fn named(name: &str, wake: impl Fn() + Send + 'static) -> Self {
        let (jobs, job_rx) = channel::<Job<T>>();
        let (result_tx, results) = channel();
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                for job in job_rx {
                    if result_tx.send(job()).is_err() {
                        break;
                    }
                    wake();
                }
            })
            .expect("spawning a worker thread");
        Background { jobs, results }
    }

    pub fn spawn(&self, job: impl FnOnce() -> T + Send + 'static) {
        // The worker only stops when the app is dropped, so a failed send cannot lose user work.
        let _ = self.jobs.send(Box::new(job));
    }

    /// Results that arrived since the last call; never blocks.
    pub fn poll(&self) -> Vec<T> {
        self.results.try_iter().collect()
    }
}
