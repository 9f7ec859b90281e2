//! What an augment run would make, before anything is written: how many pairs and images the
//! selection holds and the recipe makes, and the first few source images beside copy 1 of
//! each, derived exactly as the run derives it (through [`super::augment_derive`]).

use image::RgbImage;

use super::CurateError;
use super::augment::Augmentation;
use super::augment_derive::{apply_all, decode_source, draw_for};
use super::export::place_images;
use super::manifest::sha256_hex;
use super::pick::{PickOptions, pick};
use super::recipe::Recipe;
use super::selection::Selection;
use super::snapshot::Snapshot;
use crate::domain::Split;
use crate::store::Store;

/// One source image and copy 1 of it.
#[derive(Clone, Debug)]
pub struct PreviewImage {
    /// Where the source is, as the project records it (root-relative).
    pub source_path: String,
    pub original: RgbImage,
    pub derived: RgbImage,
    /// The exact changes applied, in order.
    pub applied: Vec<Augmentation>,
}

#[derive(Clone, Debug)]
pub struct AugmentPreview {
    pub source_pairs: usize,
    pub source_images: usize,
    /// The run makes pairs × copies derived pairs and images × copies derived images.
    pub copies: u32,
    /// Picked pairs outside train.
    pub outside_train: usize,
    /// Synthetic pairs the selection held, which are not augmented again.
    pub synthetic_left_out: usize,
    pub images: Vec<PreviewImage>,
}

/// Previews the run of `recipe` with `seed` on the pairs `selection` picks (with the model and
/// threshold that decide its errors), showing copy 1 of the first `first` source images.
pub fn augment_preview(
    store: &mut Store,
    selection: &Selection,
    model: Option<&str>,
    threshold: Option<f64>,
    recipe: &Recipe,
    seed: u64,
    first: usize,
) -> Result<AugmentPreview, CurateError> {
    let snapshot = Snapshot::load(store)?;
    let pick_options = PickOptions { selection, model, threshold, originals_only: true };
    let picked = pick(store, &snapshot, &pick_options, "augmented")?;
    let records = store.read(|tx| tx.all_images())?;
    let placed = place_images(&picked.pairs, &records)?;
    // The first images of the first pairs, in the order the pairs were picked.
    let mut shown = Vec::new();
    for pair in &picked.pairs {
        for id in [pair.image_a, pair.image_b] {
            if shown.len() < first && !shown.contains(&id) {
                shown.push(id);
            }
        }
    }
    let mut images = Vec::new();
    for id in shown {
        let record = &records[&id];
        let path = record.full_path();
        let bytes =
            std::fs::read(&path).map_err(|e| CurateError::path(&path, format!("cannot read the image: {e}")))?;
        if sha256_hex(&bytes) != record.sha256 {
            return Err(CurateError::path(&path, "changed since it was imported"));
        }
        let original = decode_source(&path, &bytes)?;
        let drawn = draw_for(recipe, seed, &record.sha256, 1);
        let derived = apply_all(&original, &drawn.applied);
        images.push(PreviewImage { source_path: record.path.clone(), original, derived, applied: drawn.applied });
    }
    Ok(AugmentPreview {
        source_pairs: picked.pairs.len(),
        source_images: placed.len(),
        copies: recipe.copies,
        outside_train: picked.pairs.iter().filter(|p| p.split.is_some_and(|s| s != Split::Train)).count(),
        synthetic_left_out: picked.synthetic_left_out,
        images,
    })
}

/// One change in a few words, with its exact strength: "darken ×0.43", "blur σ 2.10 px".
pub fn describe_change(change: &Augmentation) -> String {
    match *change {
        Augmentation::Exposure { factor } if factor < 1.0 => format!("darken ×{factor:.2}"),
        Augmentation::Exposure { factor } => format!("brighten ×{factor:.2}"),
        Augmentation::Darken { factor } => format!("darken ×{factor:.2} (gamma)"),
        Augmentation::Blur { sigma } => format!("blur σ {sigma:.2} px"),
        Augmentation::Sunset { strength } => format!("sunset {strength:.2}"),
        Augmentation::CropShift { dx, dy, scale } => format!("crop ×{scale:.2} at {dx:+.2}, {dy:+.2}"),
        Augmentation::Flip => "flip".into(),
        Augmentation::JpegNoise { quality } => format!("jpeg quality {quality}"),
        Augmentation::Noise { sigma, .. } => format!("noise σ {sigma:.1}"),
        Augmentation::Shift { dx, dy } => format!("shift {dx:+}, {dy:+} px"),
    }
}

/// The changes in order, joined: "darken ×0.43, shift +2, -1 px".
pub fn describe_changes(changes: &[Augmentation]) -> String {
    changes.iter().map(describe_change).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_say_each_change_and_its_exact_strength() {
        let recipe = Recipe::parse("darken=0.43, shift=0, flip").unwrap();
        assert_eq!(describe_changes(&recipe.draw(3)), "darken ×0.43, shift +0, +0 px, flip");
        assert_eq!(describe_change(&Augmentation::Exposure { factor: 1.5 }), "brighten ×1.50");
        assert_eq!(describe_change(&Augmentation::JpegNoise { quality: 23 }), "jpeg quality 23");
    }
}
