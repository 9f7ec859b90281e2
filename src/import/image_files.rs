//! Finding, hashing and probing the image files an import refers to.

use std::collections::{BTreeSet, HashMap};
use std::io::Cursor;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use super::{ImportControl, ImportError, ImportStage, Problem};
use crate::quote::{quote, shortened};
use crate::store::{ImageId, NewImage, Store, Tx};

pub(crate) struct ProbedImage {
    pub sha256: String,
    pub bytes: u64,
    /// None when the header cannot be read: the image is still imported, and the face
    /// pipeline and the review screen say what is wrong with it.
    pub dimensions: Option<(u32, u32)>,
}

pub(crate) fn probe(path: &Path) -> std::io::Result<ProbedImage> {
    let bytes = std::fs::read(path)?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let dimensions =
        image::ImageReader::new(Cursor::new(&bytes)).with_guessed_format().ok().and_then(|r| r.into_dimensions().ok());
    Ok(ProbedImage { sha256, bytes: bytes.len() as u64, dimensions })
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Probes many files on all cores; results are in input order.
pub(crate) fn probe_all(paths: &[PathBuf]) -> Vec<std::io::Result<ProbedImage>> {
    probe_all_watched(paths, ImportControl::none()).expect("nothing cancels an unwatched probe")
}

/// [`probe_all`], reporting each file probed, and stopping (None) once Cancel is asked for.
pub(crate) fn probe_all_watched(
    paths: &[PathBuf],
    control: ImportControl<'_>,
) -> Option<Vec<std::io::Result<ProbedImage>>> {
    let done_count = AtomicUsize::new(0);
    let total = paths.len() as u64;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(paths.len().max(1));
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<std::io::Result<ProbedImage>>> = (0..paths.len()).map(|_| None).collect();
    let chunks: Vec<Vec<(usize, std::io::Result<ProbedImage>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        if control.cancelled() {
                            break;
                        }
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = paths.get(i) else { break };
                        done.push((i, probe(path)));
                        let n = done_count.fetch_add(1, Ordering::Relaxed) as u64 + 1;
                        // Every 64 files: often enough for a bar, rarely enough to cost nothing.
                        if n.is_multiple_of(64) || n == total {
                            control.report(ImportStage::HashingImages, n, total);
                        }
                    }
                    done
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("probe worker panicked")).collect()
    });
    if control.cancelled() {
        return None;
    }
    for (i, result) in chunks.into_iter().flatten() {
        results[i] = Some(result);
    }
    Some(results.into_iter().map(|r| r.expect("every index probed")).collect())
}

/// Checks a path taken from an input file: relative, inside the images folder, '/'-separated.
pub(crate) fn clean_relative_path(raw: &str) -> Result<String, String> {
    let unified = raw.trim().replace('\\', "/");
    if unified.is_empty() {
        return Err("empty image path".into());
    }
    let path = Path::new(&unified);
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(format!(
                    "image path {} must be relative to the images folder and stay inside it",
                    quote(raw)
                ));
            }
        }
    }
    Ok(parts.join("/"))
}

/// The images folder of an import, resolved to an absolute path that is stored as the root.
pub(crate) fn images_root(dir: &Path) -> Result<PathBuf, ImportError> {
    let canonical =
        dir.canonicalize().map_err(|e| ImportError::file(dir, format!("cannot open the images folder: {e}")))?;
    if !canonical.is_dir() {
        return Err(ImportError::file(dir, "is not a folder"));
    }
    Ok(canonical)
}

/// Images ready to be registered inside the import's transaction.
pub(crate) struct PreparedImages {
    root: String,
    known: HashMap<String, ImageId>,
    probed: HashMap<String, ProbedImage>,
    /// Relative path → why it cannot be imported.
    pub unusable: HashMap<String, String>,
}

/// Hashes and probes (outside any transaction, on all cores) the files the project does not
/// know yet. Files that are missing or unreadable end up in `unusable` with the reason.
pub(crate) fn prepare_images(
    store: &mut Store,
    root: &Path,
    rels: &BTreeSet<String>,
    control: ImportControl<'_>,
) -> Result<PreparedImages, ImportError> {
    control.check()?;
    let root_key = root.to_string_lossy().into_owned();
    let known = store.read(|tx| tx.images_under_root(&root_key))?;
    let mut unusable = HashMap::new();
    let mut to_probe = Vec::new();
    for rel in rels.iter().filter(|r| !known.contains_key(*r)) {
        let full = root.join(rel);
        if full.is_file() {
            to_probe.push((rel.clone(), full));
        } else {
            unusable.insert(rel.clone(), format!("image {} not found in {}", shortened(rel), root.display()));
        }
    }
    let paths: Vec<PathBuf> = to_probe.iter().map(|(_, p)| p.clone()).collect();
    let mut probed = HashMap::new();
    control.report(ImportStage::HashingImages, 0, paths.len() as u64);
    let results = probe_all_watched(&paths, control).ok_or(ImportError::Cancelled)?;
    for ((rel, _), result) in to_probe.into_iter().zip(results) {
        match result {
            Ok(info) => {
                probed.insert(rel, info);
            }
            Err(e) => {
                unusable.insert(rel.clone(), format!("cannot read image {}: {e}", shortened(&rel)));
            }
        }
    }
    control.check()?;
    Ok(PreparedImages { root: root_key, known, probed, unusable })
}

impl PreparedImages {
    /// Registers every usable image; returns the ids by relative path and how many are new.
    pub fn register(&self, tx: &Tx) -> Result<(HashMap<String, ImageId>, u64), ImportError> {
        let root = tx.image_root(&self.root)?;
        let mut ids = self.known.clone();
        let mut added = 0;
        let mut fresh: Vec<_> = self.probed.iter().collect();
        fresh.sort_by(|a, b| a.0.cmp(b.0)); // deterministic ids
        for (rel, info) in fresh {
            let (id, new) = tx.upsert_image(&NewImage {
                root,
                path: rel,
                sha256: &info.sha256,
                bytes: info.bytes,
                dimensions: info.dimensions,
            })?;
            added += u64::from(new);
            ids.insert(rel.clone(), id);
        }
        Ok((ids, added))
    }
}

/// Adds a problem for a row whose image could not be used.
pub(crate) fn image_problem(file: &Path, line: u64, prepared: &PreparedImages, rels: &[&str]) -> Option<Problem> {
    rels.iter().find_map(|rel| prepared.unusable.get(*rel)).map(|why| Problem::at(file, Some(line), why.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_cleaned_and_escapes_refused() {
        assert_eq!(clean_relative_path("a\\b.jpg").unwrap(), "a/b.jpg");
        assert_eq!(clean_relative_path("./a/./b.jpg").unwrap(), "a/b.jpg");
        for bad in ["../x.jpg", "/etc/passwd", "a/../../b.jpg", "  "] {
            assert!(clean_relative_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn probe_reads_hash_and_dimensions_and_survives_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("x.png");
        image::RgbImage::new(7, 5).save(&png).unwrap();
        let info = probe(&png).unwrap();
        assert_eq!(info.dimensions, Some((7, 5)));
        assert_eq!(info.sha256.len(), 64);
        let junk = dir.path().join("junk.jpg");
        std::fs::write(&junk, b"not an image").unwrap();
        let info = probe(&junk).unwrap();
        assert_eq!(info.dimensions, None);
        assert_eq!(info.sha256, "5464533c9647b67eb320c40ccc5959537c09102ae75388f6a7675b433e745c9d");
    }
}
