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
