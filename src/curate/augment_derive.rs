//! One derived image: its seed, the changes drawn for it, its pixels and its file bytes. The
//! run ([`super::augment_run`]), the GUI's preview and `verify-export --reapply` all derive
//! here, so what the preview shows is what the run writes and what the check recomputes.

use std::path::{Path, PathBuf};

use image::{ImageEncoder, RgbImage};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::CurateError;
use super::augment::Augmentation;
use super::manifest::{Derived, read_manifest, sha256_hex};
use super::recipe::Recipe;
use crate::face::DecodeLimits;
use crate::face::decode::decode_bytes;

/// The seed of one derived image: fixed by the run's seed, the source's content and the copy,
/// so the same image gets the same changes whichever pairs it was picked with.
pub fn image_seed(run_seed: u64, source_sha256: &str, copy: u32) -> u64 {
    let digest = Sha256::digest(format!("pairscope-augment:{run_seed}:{source_sha256}:{copy}").as_bytes());
    u64::from_le_bytes(digest[..8].try_into().expect("a sha256 has 32 bytes"))
}

/// The changes for copy `copy` of the image whose sha256 is `source_sha256`.
pub fn draw_for(recipe: &Recipe, run_seed: u64, source_sha256: &str, copy: u32) -> Derived {
    let seed = image_seed(run_seed, source_sha256, copy);
    Derived { source_sha256: source_sha256.to_owned(), copy, seed, applied: recipe.draw(seed) }
}

/// Decodes a source image as the face pass does (upright, within the size limits).
pub fn decode_source(path: &Path, bytes: &[u8]) -> Result<RgbImage, CurateError> {
    decode_bytes(bytes, &DecodeLimits::default())
        .map_err(|status| CurateError::path(path, format!("cannot decode the image: {status}")))
}

/// The changes applied in order.
pub fn apply_all(source: &RgbImage, applied: &[Augmentation]) -> RgbImage {
    applied.iter().fold(source.clone(), |image, change| change.apply(&image))
}

/// PNG bytes (lossless, so the manifest's changes alone say what the pixels are; the
/// encoder's settings are fixed, so the bytes are the same on every run).
pub fn png_bytes(image: &RgbImage) -> Result<Vec<u8>, CurateError> {
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes)
        .write_image(image.as_raw(), image.width(), image.height(), image::ExtendedColorType::Rgb8)
        .map_err(|e| CurateError::Invalid(format!("encoding a derived image as PNG: {e}")))?;
    Ok(bytes)
}

/// Re-derives every derived image an export's manifest lists from its source (where the
/// manifest says it was, checked by sha256) and compares the bytes. Returns the problems
/// found, and how many images were re-derived.
pub fn reapply_manifest(dir: &Path) -> Result<(Vec<String>, usize), CurateError> {
    #[derive(Deserialize)]
    struct Image {
        path: String,
        sha256: String,
        source_root: String,
        source_path: String,
        derived: Option<Derived>,
    }
    #[derive(Deserialize)]
    struct Listed {
        images: Vec<Image>,
    }
    let listed: Listed = read_manifest(dir)?;
    let mut problems = Vec::new();
    let mut checked = 0;
    // The copies of one source stand next to each other in the manifest: each source is read,
    // checked and decoded once, not once per copy.
    let mut last: Option<(PathBuf, String, Result<RgbImage, String>)> = None;
    for image in &listed.images {
        let Some(derived) = &image.derived else { continue };
        let source = Path::new(&image.source_root).join(&image.source_path);
        if !last.as_ref().is_some_and(|(p, sha, _)| *p == source && *sha == derived.source_sha256) {
            last = None;
        }
        let (_, _, loaded) = last.get_or_insert_with(|| {
            let loaded = load_source(&source, &derived.source_sha256);
            (source.clone(), derived.source_sha256.clone(), loaded)
        });
        let decoded = match loaded {
            Ok(decoded) => &*decoded,
            Err(why) => {
                problems.push(format!("{}: {why}", image.path));
                continue;
            }
        };
        match png_bytes(&apply_all(decoded, &derived.applied)) {
            Ok(b) if sha256_hex(&b) == image.sha256 => checked += 1,
            Ok(_) => problems.push(format!("{}: re-applying the manifest's changes gives other bytes", image.path)),
            Err(e) => problems.push(format!("{}: {e}", image.path)),
        }
    }
    problems.sort();
    Ok((problems, checked))
}

/// A source as the manifest names it: read, checked against its recorded sha256, decoded.
fn load_source(source: &Path, sha256: &str) -> Result<RgbImage, String> {
    let bytes = std::fs::read(source).map_err(|e| format!("its source {} cannot be read: {e}", source.display()))?;
    if sha256_hex(&bytes) != sha256 {
        return Err(format!("its source {} has changed since (sha256 differs)", source.display()));
    }
    decode_source(source, &bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_depend_on_run_source_and_copy() {
        let s = image_seed(7, "ab", 1);
        assert_eq!(s, image_seed(7, "ab", 1));
        assert_ne!(s, image_seed(8, "ab", 1));
        assert_ne!(s, image_seed(7, "ac", 1));
        assert_ne!(s, image_seed(7, "ab", 2));
    }

    #[test]
    fn png_bytes_are_repeatable_and_lossless() {
        let image = RgbImage::from_fn(23, 17, |x, y| image::Rgb([x as u8 * 9, y as u8 * 13, (x * y) as u8]));
        let recipe = Recipe::parse("darken=0.3..0.7, noise=4, jpeg=20").unwrap();
        let derived = draw_for(&recipe, 3, "feed", 1);
        let once = png_bytes(&apply_all(&image, &derived.applied)).unwrap();
        assert_eq!(once, png_bytes(&apply_all(&image, &draw_for(&recipe, 3, "feed", 1).applied)).unwrap());
        let back = image::load_from_memory(&once).unwrap().to_rgb8();
        assert_eq!(back, apply_all(&image, &derived.applied));
        assert_ne!(back, image);
    }
}
