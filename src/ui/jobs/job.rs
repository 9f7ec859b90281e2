//! One long piece of work (scoring a project, an export) on a thread of its own, with progress
//! a frame reads without waiting, Cancel, and an owner: the project and feature it belongs to,
//! so closing a project cancels its jobs. A job that panics ends as an error naming the panic;
//! it never takes the app down nor leaves it waiting for an answer that cannot come.
//!
//! Every job is registered in [`Jobs`] when it starts; the app is busy while any runs, and on
//! shutdown the jobs are cancelled and waited for (an export then removes what it wrote
//! instead of leaving half a folder behind).

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// Who a job belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owner {
    /// The project file it works on (None: no project's).
    pub project: Option<PathBuf>,
    /// The feature that started it ("scoring", "export").
    pub feature: &'static str,
}

impl Owner {
    pub fn project(path: &Path, feature: &'static str) -> Owner {
        Owner { project: Some(path.to_owned()), feature }
    }
}

/// What the app keeps of every job, whatever it makes: enough to cancel it and wait for it.
pub struct Handle {
    owner: Owner,
    cancel: AtomicBool,
    /// Set once the outcome is sent (or the job's thread could not be started).
    ended: AtomicBool,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Handle {
    pub fn owner(&self) -> &Owner {
        &self.owner
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// The job has finished (its outcome is there to take).
    pub fn ended(&self) -> bool {
        self.ended.load(Ordering::SeqCst)
    }

    /// Blocks until the job's thread has ended (shutdown only: never in a frame).
    fn join(&self) {
        let thread = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(thread) = thread {
            // The thread catches the job's panics; a panic outside them was logged by Rust.
            let _ = thread.join();
        }
    }
}

/// Given to the work: report progress, ask whether to stop.
pub struct Reporter<P> {
    handle: Arc<Handle>,
    progress: Arc<Mutex<Option<P>>>,
    wake: Arc<dyn Fn() + Send + Sync>,
}

impl<P> Reporter<P> {
    /// The newest progress; the UI is woken to show it.
    pub fn report(&self, now: P) {
        *self.progress.lock().unwrap_or_else(|e| e.into_inner()) = Some(now);
        (self.wake)();
    }

    /// Set once Cancel was asked for: the work stops as soon as it safely can (library
    /// functions such as `score_project` watch an `AtomicBool`).
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.handle.cancel
    }
}

/// A job making progress of type `P` and, in the end, an `O` or an error.
pub struct Job<P, O> {
    name: String,
    handle: Arc<Handle>,
    progress: Arc<Mutex<Option<P>>>,
    done: Receiver<Result<O, String>>,
}

impl<P: Clone + Send + 'static, O: Send + 'static> Job<P, O> {
    /// Starts `work` on a thread called `name`, registered in `jobs`. `wake` is called on every
    /// progress report and once the outcome is there (the app passes `ctx.request_repaint`).
    pub fn start(
        jobs: &mut Jobs,
        name: &str,
        owner: Owner,
        wake: impl Fn() + Send + Sync + 'static,
        work: impl FnOnce(&Reporter<P>) -> Result<O, String> + Send + 'static,
    ) -> Job<P, O> {
        let handle = Arc::new(Handle {
            owner,
            cancel: AtomicBool::new(false),
            ended: AtomicBool::new(false),
            thread: Mutex::new(None),
        });
        let progress = Arc::new(Mutex::new(None));
        let wake: Arc<dyn Fn() + Send + Sync> = Arc::new(wake);
        let reporter = Reporter { handle: handle.clone(), progress: progress.clone(), wake: wake.clone() };
        let (tx, done) = channel();
        let (ends, what) = (handle.clone(), name.to_owned());
        let thread = std::thread::Builder::new().name(name.into()).spawn(move || {
            let outcome = catch_unwind(AssertUnwindSafe(|| work(&reporter)))
                .unwrap_or_else(|panic| Err(format!("{what} failed: {}", panic_message(&*panic))));
            let _ = tx.send(outcome);
            ends.ended.store(true, Ordering::SeqCst);
            wake();
        });
        match thread {
            Ok(thread) => *handle.thread.lock().unwrap_or_else(|e| e.into_inner()) = Some(thread),
            // Out of threads: the job ends at once, and says why (its sender is gone).
            Err(e) => {
                tracing::error!(job = name, "cannot start a thread: {e}");
                handle.ended.store(true, Ordering::SeqCst);
            }
        }
        jobs.track(handle.clone());
        Job { name: name.to_owned(), handle, progress, done }
    }

    /// The newest progress reported (None before the first report); never blocks.
    pub fn progress(&self) -> Option<P> {
        self.progress.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn cancel(&self) {
        self.handle.cancel();
    }

    pub fn cancelled(&self) -> bool {
        self.handle.cancelled()
    }

    /// The outcome, once the job has finished (taken once: the job is done with after it).
    pub fn finished(&self) -> Option<Result<O, String>> {
        match self.done.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(format!("{} stopped unexpectedly", self.name))),
        }
    }

    /// Blocks until the job has ended and returns its outcome. Tests only: the app never blocks
    /// on a job, and waits for them all at once on shutdown ([`Jobs::cancel_and_wait`]).
    #[cfg(test)]
    pub fn wait(self) -> Result<O, String> {
        self.handle.join();
        self.finished().unwrap_or_else(|| Err(format!("{} stopped unexpectedly", self.name)))
    }
}

/// Every job started and not yet ended.
#[derive(Default)]
pub struct Jobs {
    started: Vec<Arc<Handle>>,
}

impl Jobs {
    fn track(&mut self, handle: Arc<Handle>) {
        self.started.retain(|h| !h.ended());
        self.started.push(handle);
    }

    /// Asks every job of this project to stop. They end on their own threads; [`busy`]
    /// (Self::busy) says until when.
    pub fn cancel_project(&self, project: &Path) {
        for handle in &self.started {
            if handle.owner().project.as_deref() == Some(project) {
                handle.cancel();
            }
        }
    }

    /// Some job is still running (a cancelled one too, until it has stopped).
    pub fn busy(&self) -> bool {
        self.started.iter().any(|h| !h.ended())
    }

    /// Cancels every job and waits until each has stopped (shutdown).
    pub fn cancel_and_wait(&mut self) {
        for handle in &self.started {
            handle.cancel();
        }
        for handle in self.started.drain(..) {
            handle.join();
        }
    }
}

impl Drop for Jobs {
    /// The app is going away: no job outlives it half done.
    fn drop(&mut self) {
        self.cancel_and_wait();
    }
}

/// What a panic said (its payload is a `&str` or a `String` for `panic!` with a message).
pub fn panic_message(panic: &(dyn Any + Send)) -> String {
    match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
        (Some(s), _) => (*s).to_owned(),
        (_, Some(s)) => s.clone(),
        _ => "a panic without a message".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::mpsc::Sender;

    /// A job that reports each number it is sent, until it is sent None or cancelled.
    fn stepping(jobs: &mut Jobs, wakes: &Arc<AtomicUsize>) -> (Job<u32, u32>, Sender<Option<u32>>, Receiver<u32>) {
        let (steps_tx, steps) = channel::<Option<u32>>();
        let (seen_tx, seen) = channel();
        let woken = wakes.clone();
        let job = Job::start(
            jobs,
            "test-job",
            Owner::project(Path::new("/p/one.pairscope"), "test"),
            move || {
                woken.fetch_add(1, Ordering::SeqCst);
            },
            move |reporter: &Reporter<u32>| {
                let mut last = 0;
                while let Ok(Some(n)) = steps.recv() {
                    if reporter.cancel_flag().load(Ordering::Relaxed) {
                        return Err("cancelled".into());
                    }
                    reporter.report(n);
                    last = n;
                    seen_tx.send(n).unwrap();
                }
                Ok(last * 10)
            },
        );
        (job, steps_tx, seen)
    }

    #[test]
    fn progress_is_read_without_waiting_and_the_outcome_comes_once() {
        let mut jobs = Jobs::default();
        let wakes = Arc::new(AtomicUsize::new(0));
        let (job, steps, seen) = stepping(&mut jobs, &wakes);
        assert_eq!(job.progress(), None);
        assert!(job.finished().is_none(), "still running");
        assert!(jobs.busy());
        steps.send(Some(3)).unwrap();
        assert_eq!(seen.recv().unwrap(), 3);
        assert_eq!(job.progress(), Some(3));
        assert_eq!(wakes.load(Ordering::SeqCst), 1, "a report wakes the UI");
        steps.send(None).unwrap();
        assert_eq!(job.wait(), Ok(30));
        assert_eq!(wakes.load(Ordering::SeqCst), 2, "so does the end");
        assert!(!jobs.busy());
    }

    #[test]
    fn cancelling_a_project_stops_its_jobs_only() {
        let mut jobs = Jobs::default();
        let wakes = Arc::new(AtomicUsize::new(0));
        let (job, steps, _seen) = stepping(&mut jobs, &wakes);
        let other = Job::<(), ()>::start(
            &mut jobs,
            "other",
            Owner::project(Path::new("/p/two.pairscope"), "test"),
            || {},
            |_| Ok(()),
        );
        jobs.cancel_project(Path::new("/p/one.pairscope"));
        assert!(job.cancelled());
        assert!(!other.cancelled(), "another project's job goes on");
        assert!(jobs.busy(), "cancelled is not ended: the job stops on its own thread");
        steps.send(Some(1)).unwrap();
        assert_eq!(job.wait(), Err("cancelled".into()));
        assert_eq!(other.wait(), Ok(()));
        assert!(!jobs.busy());
    }

    #[test]
    fn a_panicking_job_ends_as_an_error_naming_the_panic() {
        let mut jobs = Jobs::default();
        let job = Job::<u32, u32>::start(
            &mut jobs,
            "test-panic",
            Owner::project(Path::new("/p"), "test"),
            || {},
            |r| {
                r.report(1);
                panic!("boom at {}", 7)
            },
        );
        assert_eq!(job.wait(), Err("test-panic failed: boom at 7".into()));
        assert!(!jobs.busy(), "a panic ends the job like any outcome");
    }

    #[test]
    fn dropping_the_registry_cancels_and_waits_for_every_job() {
        let saw_cancel = Arc::new(AtomicBool::new(false));
        let job = {
            let mut jobs = Jobs::default();
            let seen = saw_cancel.clone();
            let owner = Owner::project(Path::new("/p"), "test");
            let job = Job::<(), ()>::start(
                &mut jobs,
                "test-until-cancelled",
                owner,
                || {},
                move |r| {
                    // Runs until cancelled (a bound keeps a broken registry from hanging the test).
                    let give_up = std::time::Instant::now() + std::time::Duration::from_secs(10);
                    while !r.cancel_flag().load(Ordering::Relaxed) && std::time::Instant::now() < give_up {
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    seen.store(r.cancel_flag().load(Ordering::Relaxed), Ordering::SeqCst);
                    Ok(())
                },
            );
            assert!(!saw_cancel.load(Ordering::SeqCst));
            job
        };
        assert!(saw_cancel.load(Ordering::SeqCst), "the job was cancelled and had stopped when the registry was gone");
        assert_eq!(job.finished(), Some(Ok(())));
    }
}
