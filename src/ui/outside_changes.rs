//! Labels saved by someone else (another labeler's pairscope on the same project file, a
//! script, `pairscope import-labels`) show up without a click: about once a second the I/O
//! thread asks SQLite whether another connection committed (`PRAGMA data_version`, a cheap
//! read), and if so the project and the analysis are read again.

use std::time::{Duration, Instant};

use super::app::{Loaded, PairscopeApp, lock};
use super::screens::Screen;

const EVERY: Duration = Duration::from_secs(1);

/// When the project was last checked, and what it said.
#[derive(Default)]
pub(super) struct Watch {
    checked: Option<Instant>,
    version: Option<i64>,
}

impl PairscopeApp {
    /// Sends a check when one is due and nothing else is queued (a queued reload reads the
    /// outside changes anyway); keeps the frames coming at the check interval.
    pub(super) fn watch_outside_changes(&mut self, ctx: &egui::Context) {
        let Some(project) = &self.project else { return };
        // The scoring thread writes through a connection of its own and reloads when done.
        if self.scoring.is_some() {
            return;
        }
        ctx.request_repaint_after(EVERY);
        if self.in_flight > 0 || self.watch.checked.is_some_and(|t| t.elapsed() < EVERY) {
            return;
        }
        self.watch.checked = Some(Instant::now());
        let store = project.store.clone();
        self.spawn(move || Loaded::DataVersion { result: lock(&store).data_version().map_err(|e| e.to_string()) });
    }

    pub(super) fn outside_version(&mut self, version: i64) {
        let changed = self.watch.version.is_some_and(|v| v != version);
        self.watch.version = Some(version);
        if changed {
            tracing::info!("the project changed outside this window; reading it again");
            self.reload();
            if self.ui.screen != Screen::Review {
                self.load_analysis();
            }
        }
    }

    /// A new project starts a new watch.
    pub(super) fn reset_watch(&mut self) {
        self.watch = Watch::default();
    }
}
