//! What several subcommands share, and nothing else: opening the project so that a write
//! which has to wait while another pairscope writes the file says so on stderr, once per wait,
//! and then goes on (Ctrl-C still stops it); the labeler-name parser; and how many problems a
//! report lists.

use std::path::Path;

use crate::store::{Store, StoreError, WAITING_MESSAGE, Waiting, validate_labeler_name};

/// How many problems a report lists before summarising the rest (without --verbose).
pub(super) const FIRST_FEW: usize = 10;

/// How many problems to list: all of them with --verbose.
pub(super) fn listed(verbose: bool) -> usize {
    if verbose { usize::MAX } else { FIRST_FEW }
}

/// A labeler's name as the store takes it: trimmed, and under the tag rules (see
/// [`validate_labeler_name`]).
pub(super) fn parse_labeler_name(text: &str) -> Result<String, String> {
    let name = text.trim();
    validate_labeler_name(name).map_err(|e| e.to_string())?;
    Ok(name.to_owned())
}

pub(super) fn open_project(path: &Path) -> Result<Store, StoreError> {
    let mut store = Store::open(path)?;
    tell_waits(&mut store);
    Ok(store)
}

/// Runs `work` on the project at `path` (the importers), creating the project if it does not
/// exist yet, but only if `work` succeeds: a failed import leaves no empty project behind.
/// Returns what `work` returned and whether the project was created.
pub(super) fn with_new_or_existing_project<T, E>(
    path: &Path,
    work: impl FnOnce(&mut Store) -> Result<T, E>,
) -> Result<(T, bool), E>
where
    E: From<StoreError>,
{
    if path.exists() {
        return Ok((work(&mut open_project(path)?)?, false));
    }
    Store::create_with(path, |store| {
        tell_waits(store);
        work(store)
    })
    .map(|value| (value, true))
}

/// [`open_project`] for a command that only makes sense if it can write: refused at once, so
/// that nothing is done before the refusal (an export is recorded in its project).
pub(super) fn open_project_to_write(path: &Path) -> Result<Store, StoreError> {
    let store = open_project(path)?;
    match store.read_only() {
        Some(why) => Err(StoreError::CannotWrite { path: path.to_owned(), why }),
        None => Ok(store),
    }
}

fn tell_waits(store: &mut Store) {
    let path = store.path().display().to_string();
    store.on_wait(move |waiting| {
        if waiting == Waiting::Started {
            eprintln!("{path}: {WAITING_MESSAGE}");
        }
    });
}
