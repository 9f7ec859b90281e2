//! How fast `pairscope augment` derives images, change by change, on real LFW photos
//! (their size is printed): decode, each change of the recipe language alone, PNG encoding, and a whole
//! typical recipe. Prints figures; asserts nothing.
//!
//!     cargo bench --bench augment

use std::path::{Path, PathBuf};
use std::time::Instant;

use pairscope::curate::Recipe;
use pairscope::curate::augment_derive::{apply_all, decode_source, draw_for, png_bytes};

const PHOTOS: usize = 200;

fn lfw_photos() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets/lfw/images");
    let mut people: Vec<PathBuf> =
        std::fs::read_dir(&root).expect("the shared LFW images").flatten().map(|e| e.path()).collect();
    people.sort();
    let mut photos = Vec::new();
    for person in people {
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(&person).into_iter().flatten().flatten().map(|e| e.path()).collect();
        files.sort();
        photos.extend(files);
        if photos.len() >= PHOTOS {
            break;
        }
    }
    photos.truncate(PHOTOS);
    photos
}

fn main() {
    let photos = lfw_photos();
    let start = Instant::now();
    let decoded: Vec<_> = photos
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap();
            (format!("{}", p.display()), decode_source(p, &bytes).unwrap())
        })
        .collect();
    let per = |d: std::time::Duration| d.as_secs_f64() * 1e3 / decoded.len() as f64;
    println!("{} LFW photos of {}x{}", decoded.len(), decoded[0].1.width(), decoded[0].1.height());
    println!("{:<44} {:>10}", "step", "ms/photo");
    println!("{:<44} {:>10.3}", "decode (read + JPEG)", per(start.elapsed()));
    for recipe in [
        "darken=0.3..0.6",
        "brighten=1.2..1.6",
        "sunset=0.4..0.9",
        "blur=1..3",
        "noise=4..12",
        "jpeg=10..40",
        "shift=6",
        "flip",
        "darken=0.25..0.6, noise=2..6, blur=0.5..1.5",
    ] {
        let parsed = Recipe::parse(recipe).unwrap();
        let start = Instant::now();
        let mut bytes = 0usize;
        let mut encode = std::time::Duration::ZERO;
        for (name, image) in &decoded {
            let drawn = draw_for(&parsed, 1, name, 1);
            let out = apply_all(image, &drawn.applied);
            let t = Instant::now();
            bytes += png_bytes(&out).unwrap().len();
            encode += t.elapsed();
        }
        let total = start.elapsed();
        println!(
            "{:<44} {:>10.3}   (of which PNG encoding {:.3}; {:.0} KB/photo)",
            recipe,
            per(total),
            per(encode),
            bytes as f64 / 1024.0 / decoded.len() as f64
        );
    }
}
