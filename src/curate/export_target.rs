//! Where an export goes: the target folder (a link to an empty folder followed, never
//! replaced), its staging folder beside it, and the leftovers of killed exports cleared.

use std::path::{Path, PathBuf};

use super::CurateError;
use super::stale_exports::{StaleExports, remove_stale_exports, staging_name};

/// Where an export to `target` goes, ready to write: the folder to create (a symbolic link to
/// an empty folder is followed, so the export lands where it points and the link keeps
/// pointing at it), its staging folder, and the stale staging folders of killed exports that
/// were removed on the way. Refuses a target that is a file or a non-empty folder.
pub(super) fn prepare_target(target: &Path) -> Result<(PathBuf, PathBuf, StaleExports), CurateError> {
    let target = &follow_link(target)?;
    if target.exists() {
        if !target.is_dir() {
            return Err(CurateError::path(target, "exists and is not a folder; an export never overwrites anything"));
        }
        let mut entries =
            std::fs::read_dir(target).map_err(|e| CurateError::path(target, format!("cannot list: {e}")))?;
        if entries.next().is_some() {
            return Err(CurateError::path(
                target,
                "is not empty; an export never overwrites anything (choose a new or empty folder)",
            ));
        }
    }
    let name = target.file_name().ok_or_else(|| CurateError::path(target, "needs a folder name to export into"))?;
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if let Some(not_folder) = parent.ancestors().find(|a| a.exists() && !a.is_dir()) {
        return Err(CurateError::path(not_folder, "is not a folder, so no export can be made inside it"));
    }
    std::fs::create_dir_all(&parent).map_err(|e| CurateError::path(&parent, format!("cannot create: {e}")))?;
    let stale = remove_stale_exports(&parent, name);
    let staging = parent.join(staging_name(name, std::process::id()));
    std::fs::create_dir(&staging).map_err(|e| CurateError::path(&staging, format!("cannot create: {e}")))?;
    Ok((target.clone(), staging, stale))
}

/// `target` itself, or the folder it links to. A link is never replaced: one to a file or to
/// nothing is refused, naming it and where it points.
fn follow_link(target: &Path) -> Result<PathBuf, CurateError> {
    let is_link = std::fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(target.to_path_buf());
    }
    let points_to = std::fs::read_link(target).map_or_else(|e| format!("? ({e})"), |p| p.display().to_string());
    match target.canonicalize() {
        Ok(real) if real.is_dir() => Ok(real),
        Ok(_) => Err(CurateError::path(
            target,
            format!("is a symbolic link to {points_to}, which is not a folder; an export never overwrites anything"),
        )),
        Err(e) => Err(CurateError::path(
            target,
            format!(
                "is a symbolic link to {points_to}, which cannot be followed ({e}); an export never replaces a link"
            ),
        )),
    }
}
