//! `import-identities`: a CSV `image,identity` saying who is in images the project already
//! holds. All or nothing: every bad row is reported and then nothing is written.

use std::collections::HashMap;
use std::path::Path;

use super::image_files::{clean_relative_path, images_root};
use super::table::read_table;
use super::{ImportError, Problem, refuse_any};
use crate::quote::{quote, shortened};
use crate::store::{IdentityChange, ImageId, Store};

/// The columns a file must have (the Import window's preview checks the same).
pub(super) const REQUIRED: [&str; 2] = ["image", "identity"];

/// What an identities import did.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct IdentityReport {
    /// Images that had no identity and now have one.
    pub set: u64,
    /// Images that already had the file's identity.
    pub unchanged: u64,
    /// (image, previous identity, new identity), only with `replace`.
    pub replaced: Vec<(String, String, String)>,
}

impl IdentityReport {
    /// The counts, then at most `max_listed` replacements (nothing changes silently).
    pub fn summary(&self, max_listed: usize) -> String {
        let mut out =
            format!("identities: {} set, {} unchanged, {} replaced", self.set, self.unchanged, self.replaced.len());
        for (image, previous, identity) in self.replaced.iter().take(max_listed) {
            out += &format!("\n  replaced {}: {} -> {}", shortened(image), quote(previous), quote(identity));
        }
        if self.replaced.len() > max_listed {
            out += &format!("\n  … and {} more (--verbose lists them all)", self.replaced.len() - max_listed);
        }
        out
    }
}

struct IdentityRow {
    line: u64,
    image: ImageId,
    rel: String,
    identity: String,
}

/// Image paths are relative to an image folder of the project, as in `import-pairs`; with
/// `images_dir` only that folder is searched, without it every folder the project knows (a
/// path found under two of them is an error asking for `--images`). An image that already has
/// another identity is an error unless `replace`.
pub fn import_identities(
    store: &mut Store,
    csv_file: &Path,
    images_dir: Option<&Path>,
    replace: bool,
) -> Result<IdentityReport, ImportError> {
    let (table, mut problems) = read_table(csv_file, &REQUIRED)?;
    let (col_image, col_identity) = (table.column("image"), table.column("identity"));
    let known = known_images(store, images_dir)?;
    let within = images_dir.map(|d| format!(" under {}", d.display())).unwrap_or_default();

    let mut rows = Vec::new();
    let mut seen: HashMap<ImageId, (String, u64)> = HashMap::new();
    for row in &table.rows {
        let problem = |msg: String| Problem::at(csv_file, Some(row.line), msg);
        let rel = match clean_relative_path(row.get(col_image)) {
            Ok(rel) => rel,
            Err(e) => {
                problems.push(problem(format!("image: {e}")));
                continue;
            }
        };
        let identity = row.get(col_identity).to_owned();
        if identity.is_empty() {
            problems.push(problem(format!(
                "image {}: empty identity (leave the image out when it is unknown)",
                shortened(&rel)
            )));
            continue;
        }
        let image = match known.get(&rel).map(Vec::as_slice) {
            None | Some([]) => {
                problems.push(problem(format!(
                    "image {} is not in the project{within} (import its pairs first)",
                    shortened(&rel)
                )));
                continue;
            }
            Some([(_, id)]) => *id,
            Some(several) => {
                let roots: Vec<&str> = several.iter().map(|(root, _)| root.as_str()).collect();
                problems.push(problem(format!(
                    "image {rel} is in several image folders of the project ({}); pass --images to say which",
                    roots.join(", ")
                )));
                continue;
            }
        };
        match seen.get(&image) {
            Some((earlier, _)) if *earlier == identity => continue, // a repeated row says nothing new
            Some((earlier, line)) => {
                problems.push(problem(format!(
                    "image {} is identity {} on line {line}; this row says {}",
                    shortened(&rel),
                    quote(earlier),
                    quote(&identity)
                )));
                continue;
            }
            None => {
                seen.insert(image, (identity.clone(), row.line));
            }
        }
        rows.push(IdentityRow { line: row.line, image, rel, identity });
    }
    refuse_any(csv_file, &problems)?;

    store.write(|tx| {
        let mut report = IdentityReport::default();
        for row in &rows {
            match tx.set_image_identity(row.image, &row.identity, replace)? {
                IdentityChange::Set => report.set += 1,
                IdentityChange::Unchanged => report.unchanged += 1,
                IdentityChange::Replaced { previous } => {
                    report.replaced.push((row.rel.clone(), previous, row.identity.clone()))
                }
                IdentityChange::Conflict { existing } => problems.push(Problem::at(
                    csv_file,
                    Some(row.line),
                    format!(
                        "image {} is already identity {} in the project; this file says {} \
                         (pass --replace to replace it)",
                        shortened(&row.rel),
                        quote(&existing),
                        quote(&row.identity)
                    ),
                )),
            }
        }
        refuse_any(csv_file, &problems)?;
        Ok(report)
    })
}

/// The project's images by path relative to their folder, each with its folder and id.
fn known_images(
    store: &mut Store,
    images_dir: Option<&Path>,
) -> Result<HashMap<String, Vec<(String, ImageId)>>, ImportError> {
    let mut known: HashMap<String, Vec<(String, ImageId)>> = HashMap::new();
    match images_dir {
        Some(dir) => {
            let root = images_root(dir)?.to_string_lossy().into_owned();
            for (rel, id) in store.read(|tx| tx.images_under_root(&root))? {
                known.entry(rel).or_default().push((root.clone(), id));
            }
        }
        None => {
            for (id, image) in store.read(|tx| tx.all_images())? {
                known.entry(image.path).or_default().push((image.root, id));
            }
            for roots in known.values_mut() {
                roots.sort();
            }
        }
    }
    Ok(known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_and_lists_the_first_replacements() {
        let replaced = (0..3).map(|i| (format!("{i}.jpg"), "Ann".to_owned(), "Bob".to_owned())).collect();
        let report = IdentityReport { set: 4, unchanged: 2, replaced };
        let text = report.summary(2);
        assert!(text.starts_with("identities: 4 set, 2 unchanged, 3 replaced"), "{text}");
        assert!(text.contains("replaced 1.jpg: \"Ann\" -> \"Bob\"") && !text.contains("2.jpg"), "{text}");
        assert!(text.contains("… and 1 more"), "{text}");
    }
}
