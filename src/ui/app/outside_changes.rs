//! Labels saved by someone else (another labeler's pairscope on the same project file, a
//! script, `pairscope import-labels`) show up without a click. A thread of its own asks SQLite
//! about once a second whether another connection committed (`PRAGMA data_version` on the
//! app's connection, which its own commits leave alone) and wakes the UI only when one did, so
//! an idle window draws no frames for it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::store::Store;
use crate::ui::app::{PairscopeApp, lock};

const EVERY: Duration = Duration::from_secs(1);

/// The watch over one open project; it ends when the project is closed.
pub(in crate::ui) struct Watch {
    changed: Receiver<()>,
    /// Set while this app's own scoring thread writes (it reloads when done).
    paused: Arc<AtomicBool>,
}

impl Watch {
    /// Watches from `version`, the data version the project was read at.
    pub fn start(store: &Arc<Mutex<Store>>, version: i64, ctx: egui::Context) -> Watch {
        let (tx, changed) = channel();
        let paused = Arc::new(AtomicBool::new(false));
        let (weak, pause) = (Arc::downgrade(store), paused.clone());
        std::thread::Builder::new()
            .name("pairscope-watch".into())
            .spawn(move || {
                let mut last = Some(version);
                loop {
                    std::thread::sleep(EVERY);
                    // The project was closed: nothing left to watch.
                    let Some(store) = weak.upgrade() else { break };
                    let version = lock(&store).data_version().ok();
                    drop(store);
                    let outside = matches!((last, version), (Some(a), Some(b)) if a != b);
                    if version.is_some() {
                        last = version;
                    }
                    if outside && !pause.load(Ordering::Relaxed) {
                        if tx.send(()).is_err() {
                            break;
                        }
                        ctx.request_repaint();
                    }
                }
            })
            .expect("spawning the watch thread");
        Watch { changed, paused }
    }

    /// Another connection committed since the last call.
    fn take_changed(&self) -> bool {
        self.changed.try_iter().count() > 0
    }
}

impl PairscopeApp {
    /// Reads the project again if someone else changed it.
    pub(in crate::ui) fn take_outside_changes(&mut self) {
        let Some(project) = &self.project else { return };
        project.watch.paused.store(self.scoring.is_some(), Ordering::Relaxed);
        if project.watch.take_changed() {
            tracing::info!("the project changed outside this window; reading it again");
            // Its answer reads the analysis again too (once).
            self.reload();
        }
    }
}
