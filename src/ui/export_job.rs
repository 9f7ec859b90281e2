//! An export on a thread of its own, with its own connection to the project (SQLite WAL), so
//! copying thousands of images never holds up labeling on the I/O thread.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::curate::{ExportOptions, ExportReport, export};
use crate::store::Store;

pub struct ExportJob {
    pub target: PathBuf,
    done: Receiver<Result<ExportReport, String>>,
}

impl ExportJob {
    pub fn start(project: PathBuf, target: PathBuf, options: ExportOptions, ctx: egui::Context) -> ExportJob {
        let (tx, done) = channel();
        let to = target.clone();
        std::thread::Builder::new()
            .name("pairscope-export".into())
            .spawn(move || {
                let result = run(&project, &to, &options);
                let _ = tx.send(result);
                ctx.request_repaint();
            })
            .expect("spawning the export thread");
        ExportJob { target, done }
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

fn run(project: &Path, target: &Path, options: &ExportOptions) -> Result<ExportReport, String> {
    let mut store = Store::open(project).map_err(|e| e.to_string())?;
    export(&mut store, target, options).map_err(|e| super::curate::naming(target, e.to_string()))
}
