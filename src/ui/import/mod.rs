//! Importing from the app: the Import window (kind, files, a preview of the first rows, the
//! problems with file and line, progress and Cancel), then "Score with the built-in model".
//! The import itself is the CLI's (`import::run_import`), run as a job.

pub(in crate::ui) mod command;
pub(in crate::ui) mod form;
pub(in crate::ui) mod window;
