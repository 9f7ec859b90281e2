//! The augmentations on real photos: a greyscale sitcom crop and a colour celebrity photo.

use crate::common;

use common::datasets;
use pairscope::curate::augment::{Augmentation, Kind};
use pairscope::rng::SeededRng;

fn mean(image: &image::RgbImage, channel: usize) -> f64 {
    image.pixels().map(|p| p.0[channel] as f64).sum::<f64>() / (image.width() * image.height()) as f64
}

fn brightness(image: &image::RgbImage) -> f64 {
    (0..3).map(|c| mean(image, c)).sum::<f64>() / 3.0
}

fn sharpness(image: &image::RgbImage) -> f64 {
    let mut total = 0.0;
    for y in 0..image.height() {
        for x in 1..image.width() {
            let (a, b) = (image.get_pixel(x - 1, y).0, image.get_pixel(x, y).0);
            total += (0..3).map(|c| (a[c] as f64 - b[c] as f64).abs()).sum::<f64>();
        }
    }
    total / (3 * (image.width() - 1) * image.height()) as f64
}

#[test]
fn every_drawn_augmentation_does_what_its_tag_says_on_real_photos() {
    for photo in [datasets().join("sitcom/amy/amy1.png"), datasets().join("celebrity-pairs/img1.jpg")] {
        // At most the central 256 px square: the pixel maths runs unoptimised in debug tests.
        let full = image::open(&photo).unwrap().to_rgb8();
        let (w, h) = (full.width().min(256), full.height().min(256));
        let original =
            image::imageops::crop_imm(&full, (full.width() - w) / 2, (full.height() - h) / 2, w, h).to_image();
        let mut rng = SeededRng::new(11);
        for round in 0..2 {
            for kind in Kind::ALL.into_iter().chain([Kind::Exposure, Kind::Noise, Kind::Shift]) {
                let aug = Augmentation::draw(kind, &mut rng);
                let out = aug.apply(&original);
                let what = format!("{} round {round}: {aug:?}", photo.display());
                assert_eq!(out.dimensions(), original.dimensions(), "{what}");
                assert_eq!(aug.apply(&original), out, "deterministic: {what}");
                match kind {
                    Kind::Darken => assert!(brightness(&out) < 0.65 * brightness(&original), "{what}"),
                    Kind::Blur => assert!(sharpness(&out) < 0.8 * sharpness(&original), "{what}"),
                    Kind::Sunset => {
                        let warmth = |i: &image::RgbImage| mean(i, 0) / mean(i, 2).max(1.0);
                        assert!(warmth(&out) > 1.3 * warmth(&original), "{what}");
                    }
                    Kind::Flip => assert_eq!(aug.apply(&out), original, "{what}"),
                    Kind::Exposure => assert!(brightness(&out) < 0.85 * brightness(&original), "{what}"),
                    Kind::Noise | Kind::Shift => {
                        let changed = out.pixels().zip(original.pixels()).filter(|(a, b)| a != b).count();
                        let still = matches!(aug, Augmentation::Shift { dx: 0, dy: 0 });
                        assert!(changed > 0 || still, "{what}");
                    }
                    Kind::CropShift | Kind::JpegNoise => {
                        let changed = out.pixels().zip(original.pixels()).filter(|(a, b)| a != b).count();
                        let scale_is_one = matches!(aug, Augmentation::CropShift { dx, dy, scale }
                            if dx == 0.0 && dy == 0.0 && scale == 1.0);
                        assert!(changed > 0 || scale_is_one, "{what}");
                    }
                }
            }
        }
    }
}

/// The GUI's preview shows copy 1 of each source exactly as the run writes it: the run's PNG
/// decodes to the preview's pixels, and its manifest lists the preview's changes.
#[test]
fn the_preview_shows_what_the_run_writes() {
    use pairscope::curate::{self, AugmentOptions, Recipe, Selection};
    use std::sync::atomic::AtomicBool;
    let dir = tempfile::tempdir().unwrap();
    let mut store = crate::curate_export::labelled_sitcom(dir.path());
    let selection = Selection { require_tags: vec!["dark".into()], ..Selection::default() };
    let recipe = Recipe::parse("darken=0.3..0.6, noise=2..6, copies=2").unwrap();
    let preview = curate::augment_preview(&mut store, &selection, None, None, &recipe, 9, 3).unwrap();
    assert_eq!(preview.images.len(), 3);
    assert_eq!((preview.source_pairs, preview.copies), (40, 2));
    let options = AugmentOptions {
        selection,
        model: None,
        threshold: None,
        recipe,
        seed: 9,
        add_to_project: false,
        adjudicate_as: None,
        origin: "test".into(),
    };
    let out = dir.path().join("out");
    let report = curate::augment(&mut store, &out, &options, &AtomicBool::new(false), |_| {}).unwrap();
    assert_eq!((report.source_pairs, report.source_images), (preview.source_pairs, preview.source_images));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    for shown in &preview.images {
        let entry = manifest["images"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["source_path"] == shown.source_path.as_str() && i["derived"]["copy"] == 1)
            .unwrap_or_else(|| panic!("{} is in the run", shown.source_path));
        let written = image::open(out.join(entry["path"].as_str().unwrap())).unwrap().to_rgb8();
        assert_eq!(written, shown.derived, "{}", shown.source_path);
        assert_ne!(shown.derived, shown.original);
        let applied: Vec<Augmentation> = serde_json::from_value(entry["derived"]["applied"].clone()).unwrap();
        assert_eq!(applied, shown.applied);
    }
}
