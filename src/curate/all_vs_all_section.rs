//! The all-vs-all part of a project's report: the cached result of the report's model for
//! the project's current images and identities, and its HTML section.

use super::CurateError;
use super::html_report::escape;
use crate::analysis::all_vs_all::{AllVsAllReport, all_vs_all_lines};
use crate::store::{ScoredModel, Store};

/// The cached all-vs-all result of `model`, None when not computed (or computed for other
/// images or identities than the project has now).
pub fn load(store: &mut Store, model: Option<&ScoredModel>) -> Result<Option<AllVsAllReport>, CurateError> {
    let Some(sha) = model.and_then(|m| m.sha256.as_deref()) else { return Ok(None) };
    Ok(crate::all_vs_all::cached(store, sha)?.map(|record| AllVsAllReport::new(&record)))
}

/// A short HTML section, or nothing when not computed.
pub fn html(report: Option<&AllVsAllReport>) -> String {
    let Some(r) = report else { return String::new() };
    let mut lines = all_vs_all_lines(r).into_iter();
    let mut h = String::from("<h2>All-vs-all comparisons</h2>\n");
    if let Some(title) = lines.next() {
        h += &format!("<p>{}</p>\n<ul>\n", escape(&title));
    }
    for line in lines {
        h += &format!("<li>{}</li>\n", escape(&line));
    }
    h + "</ul>\n"
}
