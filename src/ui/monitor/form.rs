//! The Monitor window's state: the folder and baseline chosen, the running comparison and how
//! the last one ended. Owned by the app; the window edits the folder's text, everything else
//! changes through a `MonitorCommand`.

use std::path::PathBuf;

use crate::domain::Split;
use crate::monitor::MonitorReport;
use crate::ui::jobs::monitor::MonitorJob;

/// How the last run ended.
pub(in crate::ui) enum Ended {
    Compared(Box<MonitorReport>),
    Failed(String),
    Cancelled,
}

#[derive(Default)]
pub(in crate::ui) struct MonitorForm {
    /// The folder of new photos, as typed or picked.
    pub folder: String,
    /// None: all the project's photos.
    pub baseline: Option<Split>,
    pub job: Option<MonitorJob>,
    pub ended: Option<Ended>,
}

impl MonitorForm {
    /// The folder to run on, or why Run cannot start.
    pub fn folder(&self) -> Result<PathBuf, String> {
        match self.folder.trim() {
            "" => Err("Choose the folder of new photos.".into()),
            text => Ok(PathBuf::from(text)),
        }
    }

    pub fn busy(&self) -> bool {
        self.job.is_some()
    }
}
