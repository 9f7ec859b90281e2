//! What the I/O thread answers, and the reads it answers with. Apart from `state.rs`, so the
//! save queue can answer without importing the app that holds it.

use std::path::PathBuf;

use crate::store::{Labeler, ProjectInfo, ReviewData, Store, StoreError};
use crate::ui::analysis::data::AnalysisData;
use crate::ui::curate::state::CurateLoaded;

/// Results of background work. `seq` orders them against the edits made meanwhile.
pub(in crate::ui) enum Loaded {
    Project {
        path: PathBuf,
        result: Result<Box<Opened>, String>,
    },
    Data {
        seq: u64,
        /// Boxed: a whole project read is far bigger than the other answers.
        result: Result<Box<(ProjectInfo, ReviewData)>, String>,
    },
    /// The save queue's I/O job is done: every edit up to now is committed, or the error.
    Saved {
        result: Result<(), String>,
    },
    /// A write outside the save queue (a saved run).
    Written {
        result: Result<(), String>,
    },
    /// A job panicked on the I/O thread; its work was not done.
    Panicked(String),
    Labeler {
        /// The labeler at work, and every labeler (one may have just been created).
        result: Result<(Labeler, Vec<Labeler>), String>,
    },
    /// The analysis screens' data; `generation` says which request it answers.
    Analysis {
        generation: u64,
        result: Result<Box<AnalysisData>, String>,
    },
    Exported {
        result: Result<Option<PathBuf>, String>,
    },
    /// Boxed: the Curate screen's answers are far bigger than most.
    Curate(Box<CurateLoaded>),
}

/// A project just opened, as read on the I/O thread.
pub(in crate::ui) struct Opened {
    pub info: ProjectInfo,
    pub data: ReviewData,
    pub store: Store,
    /// `PRAGMA data_version` right after the read: the watch for outside changes starts here.
    pub version: i64,
    /// The team hub the project is a copy of.
    pub hub: Option<crate::store::HubLink>,
    /// Why the project cannot be written, if it cannot (it was opened to read only).
    pub read_only: Option<String>,
}

pub(in crate::ui) fn read_opened(mut store: Store) -> Result<Box<Opened>, StoreError> {
    let (info, data) = read_all(&mut store)?;
    let version = store.data_version()?;
    let read_only =
        store.read_only().map(|why| StoreError::CannotWrite { path: store.path().to_owned(), why }.to_string());
    let hub = store.read(|tx| tx.hub_link())?;
    Ok(Box::new(Opened { info, data, store, version, read_only, hub }))
}

pub(in crate::ui) fn read_all(store: &mut Store) -> Result<(ProjectInfo, ReviewData), StoreError> {
    store.read(|tx| Ok((tx.info()?, tx.review_data()?)))
}

pub(in crate::ui) use crate::ui::jobs::background::lock;
