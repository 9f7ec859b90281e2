//! What several subcommands share, and nothing else: opening the project so that a write
//! which has to wait while another pairscope writes the file says so on stderr, once per wait,
//! and then goes on (Ctrl-C still stops it); the labeler-name parser; and how many problems a
//! report lists.

use std::path::Path;

use crate::store::{Store, StoreError, WAITING_MESSAGE, Waiting};

/// How many problems a report lists before summarising the rest (without --verbose).
pub(super) const FIRST_FEW: usize = 10;

/// How many problems to list: all of them with --verbose.
pub(super) fn listed(verbose: bool) -> usize {
    if verbose { usize::MAX } else { FIRST_FEW }
}

/// A labeler's name as the store takes it: trimmed, not empty.
pub(super) fn parse_labeler_name(text: &str) -> Result<String, String> {
    let name = text.trim();
    if name.is_empty() { Err("a labeler needs a name".into()) } else { Ok(name.to_owned()) }
}

pub(super) fn open_project(path: &Path) -> Result<Store, StoreError> {
    let mut store = Store::open(path)?;
    tell_waits(&mut store);
    Ok(store)
}

/// [`open_project`], creating the file first if it does not exist yet (the importers).
pub(super) fn open_or_create_project(path: &Path) -> Result<(Store, bool), StoreError> {
    let (mut store, created) = Store::open_or_create(path)?;
    tell_waits(&mut store);
    Ok((store, created))
}

fn tell_waits(store: &mut Store) {
    let path = store.path().display().to_string();
    store.on_wait(move |waiting| {
        if waiting == Waiting::Started {
            eprintln!("{path}: {WAITING_MESSAGE}");
        }
    });
}
