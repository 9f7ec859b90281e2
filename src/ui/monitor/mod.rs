//! Monitoring from the app (issue 18): the Monitor window compares a folder of new photos with
//! the project's photos, as `pairscope monitor` does (`monitor::baseline`, `measure_folder`,
//! `compare`, run as a job), and draws each measure's two sides over each other.

pub(in crate::ui) mod command;
pub(in crate::ui) mod form;
pub(in crate::ui) mod report_view;
pub(in crate::ui) mod window;
