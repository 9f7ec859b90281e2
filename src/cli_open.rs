//! Opening a project for a command: a write that has to wait while another pairscope writes
//! the file says so on stderr, once per wait, and then goes on (Ctrl-C still stops it).

use std::path::Path;

use crate::store::{Store, StoreError, WAITING_MESSAGE, Waiting};

pub(crate) fn open_project(path: &Path) -> Result<Store, StoreError> {
    let mut store = Store::open(path)?;
    tell_waits(&mut store);
    Ok(store)
}

/// [`open_project`], creating the file first if it does not exist yet (the importers).
pub(crate) fn open_or_create_project(path: &Path) -> Result<(Store, bool), StoreError> {
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
