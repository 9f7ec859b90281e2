//! An export on a thread of its own, with its own connection to the project (SQLite WAL), so
//! copying thousands of images never holds up labeling on the I/O thread.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use crate::curate::{ExportOptions, ExportProgress, ExportReport, export_with_progress};
use crate::store::Store;

pub struct ExportJob {
    pub target: PathBuf,
    cancel: Arc<AtomicBool>,
    progress: Arc<Mutex<Option<ExportProgress>>>,
    done: Receiver<Result<ExportReport, String>>,
}

impl ExportJob {
    pub fn start(project: PathBuf, target: PathBuf, options: ExportOptions, ctx: egui::Context) -> ExportJob {
        let (tx, done) = channel();
        let to = target.clone();
        let cancel = Arc::new(AtomicBool::new(false));
        let progress = Arc::new(Mutex::new(None));
        let (c, p) = (cancel.clone(), progress.clone());
        std::thread::Builder::new()
            .name("pairscope-export".into())
            .spawn(move || {
                let result = run(&project, &to, &options, &c, |now| {
                    *p.lock().unwrap_or_else(|e| e.into_inner()) = Some(now);
                    ctx.request_repaint();
                });
                let _ = tx.send(result);
                ctx.request_repaint();
            })
            .expect("spawning the export thread");
        ExportJob { target, cancel, progress, done }
    }

    /// Stops the export; what it wrote is removed.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Images copied so far (None before the copying starts).
    pub fn progress(&self) -> Option<ExportProgress> {
        *self.progress.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The outcome, once the thread has finished.
    pub fn finished(&self) -> Option<Result<ExportReport, String>> {
        match self.done.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                Some(Err(format!("{}: the export stopped unexpectedly", self.target.display())))
            }
        }
    }
}

fn run(
    project: &Path,
    target: &Path,
    options: &ExportOptions,
    cancel: &AtomicBool,
    progress: impl FnMut(ExportProgress),
) -> Result<ExportReport, String> {
    let mut store = Store::open(project).map_err(|e| e.to_string())?;
    export_with_progress(&mut store, target, options, cancel, progress)
        .map_err(|e| crate::ui::curate::state::naming(target, e.to_string()))
}
