//! `manifest.json`: what an export holds, where each file came from, and the sha256 that
//! lets anyone check it later ([`verify_export`]).

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::CurateError;
use super::names::join_inside;
use super::selection::Selection;

/// One file of the export with its hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// The manifest as written: fields serialise in this order, maps sorted, so two exports of the
/// same selection give the same bytes.
#[derive(Serialize)]
pub(super) struct Manifest<'a> {
    pub(super) format: &'static str,
    pub(super) format_version: u32,
    pub(super) pairscope_version: &'static str,
    pub(super) project: ProjectRef,
    pub(super) selection: &'a Selection,
    pub(super) model: Option<ModelRef>,
    /// How the images were made, for an export of `pairscope augment` (absent otherwise, so
    /// plain exports keep their bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) augment: Option<AugmentRef>,
    pub(super) created_at: Option<String>,
    /// The project's latest split run (from its lineage), when exported pairs have a split.
    /// (An import's split column can also set splits; this names the run, not every pair.)
    pub(super) split_run: Option<SplitRunRef>,
    pub(super) counts: Counts,
    /// Every file of the export except this manifest, by path.
    pub(super) files: Vec<FileEntry>,
    pub(super) images: Vec<ImageEntry>,
    pub(super) pairs: Vec<PairEntry>,
    /// Why there is no `pairs.txt`, when no pair fits LFW's format.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) lfw_pairs_txt_not_written: Option<String>,
    pub(super) lfw_pairs_txt_left_out: Vec<LeftOut>,
}

#[derive(Serialize)]
pub(super) struct SplitRunRef {
    pub(super) id: i64,
    pub(super) at: String,
    pub(super) params: serde_json::Value,
}

/// The recipe of an augment export, in canonical form, and the run's seed.
#[derive(Serialize)]
pub(super) struct AugmentRef {
    pub(super) recipe: String,
    pub(super) seed: u64,
    pub(super) copies: u32,
    /// The tags the recipe's changes call for (darken: dark, blur: blurry, sunset: sunset).
    pub(super) tags: Vec<String>,
}

/// Where a derived image came from and exactly what made it: applying `applied` in order to
/// the decoded source gives the image's pixels (`verify-export --reapply` does).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Derived {
    pub source_sha256: String,
    /// 1..=copies.
    pub copy: u32,
    /// The seed the changes were drawn with (from the run's seed, the source and the copy).
    pub seed: u64,
    pub applied: Vec<super::augment::Augmentation>,
}

#[derive(Serialize)]
pub(super) struct ProjectRef {
    pub(super) file: String,
    pub(super) schema_version: i64,
}

#[derive(Serialize)]
pub(super) struct ModelRef {
    pub(super) name: String,
    pub(super) kind: &'static str,
    pub(super) sha256: Option<String>,
    pub(super) threshold: Option<f64>,
}

#[derive(Serialize)]
pub(super) struct Counts {
    pub(super) pairs: usize,
    pub(super) images: usize,
    pub(super) labels: usize,
    pub(super) lfw_pairs_txt: usize,
}

#[derive(Serialize)]
pub(super) struct ImageEntry {
    pub(super) path: String,
    pub(super) sha256: String,
    pub(super) identity: Option<String>,
    pub(super) source_root: String,
    pub(super) source_path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) derived: Option<Derived>,
}

#[derive(Serialize)]
pub(super) struct PairEntry {
    pub(super) pair_id: String,
    pub(super) image_a: String,
    pub(super) image_b: String,
    pub(super) source: String,
    pub(super) metadata: serde_json::Value,
}

#[derive(Serialize)]
pub(super) struct LeftOut {
    pub(super) pair_id: String,
    pub(super) reason: String,
}

/// The first symbolic link on the way from `dir` down to `path` (itself included), if any.
fn first_link(dir: &Path, path: &Path) -> Option<std::path::PathBuf> {
    let rel = path.strip_prefix(dir).ok()?;
    let mut at = dir.to_path_buf();
    for part in rel.components() {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(at);
        }
    }
    None
}

/// The parts of `dir/manifest.json` that `T` names.
pub(crate) fn read_manifest<T: serde::de::DeserializeOwned>(dir: &Path) -> Result<T, CurateError> {
    let manifest_path = dir.join("manifest.json");
    let text =
        std::fs::read(&manifest_path).map_err(|e| CurateError::path(&manifest_path, format!("cannot read: {e}")))?;
    serde_json::from_slice(&text)
        .map_err(|e| CurateError::path(&manifest_path, format!("not a pairscope manifest: {e}")))
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks an export folder against its manifest: every listed file exists with its sha256
/// and size, and no other file is there. Returns the problems found (empty: all good).
pub fn verify_export(dir: &Path) -> Result<Vec<String>, CurateError> {
    #[derive(Deserialize)]
    struct Listed {
        files: Vec<FileEntry>,
    }
    let listed: Listed = read_manifest(dir)?;
    let mut problems = Vec::new();
    let mut expected: HashSet<String> = HashSet::from(["manifest.json".to_string()]);
    for file in &listed.files {
        expected.insert(file.path.clone());
        let path = match join_inside(dir, &file.path) {
            Ok(p) => p,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        // An export holds its own files only: a symbolic link (to the file, or to a folder on
        // its way) would make the check read bytes kept somewhere else.
        if let Some(link) = first_link(dir, &path) {
            let to = std::fs::read_link(&link).map_or_else(|e| format!("? ({e})"), |p| p.display().to_string());
            let rel = link.strip_prefix(dir).unwrap_or(&link).to_string_lossy().replace('\\', "/");
            problems.push(format!("{}: {rel} is a symbolic link (to {to}), not a file of the export", file.path));
            continue;
        }
        match std::fs::read(&path) {
            Ok(bytes) if sha256_hex(&bytes) == file.sha256 && bytes.len() as u64 == file.bytes => {}
            Ok(_) => problems.push(format!("{}: sha256 or size differs from the manifest", file.path)),
            Err(e) => problems.push(format!("{}: {e}", file.path)),
        }
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries =
            std::fs::read_dir(&folder).map_err(|e| CurateError::path(&folder, format!("cannot list: {e}")))?;
        for entry in entries.flatten() {
            let path = entry.path();
            // The entry's own type: a link to a folder is not walked into (it may lead out of
            // the export, or round in a loop); it is reported below unless the manifest lists it.
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                if !expected.contains(&rel) {
                    problems.push(format!("{rel}: not in the manifest"));
                }
            }
        }
    }
    problems.sort();
    Ok(problems)
}
