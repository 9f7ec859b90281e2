//! What the build embedded is what `assets/manifest.toml` pins: the model files, the ONNX
//! Runtime library and the demo photos, each by its sha256. The manifest is read with the same
//! reader build.rs uses.

use pairscope::face::assets;
use sha2::{Digest, Sha256};

#[allow(dead_code)] // build.rs reads the fields this test does not
#[path = "../../build/manifest.rs"]
mod manifest;

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn pinned() -> manifest::Manifest {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/manifest.toml");
    manifest::Manifest::parse(&std::fs::read_to_string(path).unwrap(), "assets/manifest.toml").unwrap()
}

#[test]
fn the_embedded_model_is_the_one_the_manifest_pins() {
    let m = pinned();
    let embedded = [
        ("detect", assets::FR_DETECT_ONNX, assets::FR_DETECT_SHA256),
        ("landmark", assets::FR_LANDMARK_ONNX, assets::FR_LANDMARK_SHA256),
        ("feature", assets::FR_FEATURE_ONNX, assets::FR_FEATURE_SHA256),
    ];
    for ((job, bytes, constant), (pinned_job, file)) in embedded.into_iter().zip(m.model_files.by_job()) {
        assert_eq!(job, pinned_job);
        assert_eq!(sha256(bytes), file.sha256, "the embedded {job} model ({})", file.name);
        assert_eq!(constant, file.sha256);
    }
}

#[test]
fn the_embedded_runtime_and_demo_photos_are_the_ones_the_manifest_pins() {
    let m = pinned();
    if let Some(library) = assets::ORT_LIBRARY {
        assert_eq!(sha256(library), m.onnxruntime.lib_sha256);
        assert_eq!(assets::ORT_LIBRARY_NAME, m.onnxruntime.lib_name);
    }
    assert_eq!(assets::ORT_VERSION, m.onnxruntime.version);
    let photos = pairscope::demo::photos();
    assert_eq!(photos.len(), m.demo_photos.len());
    for ((name, bytes), pinned) in photos.iter().zip(&m.demo_photos) {
        assert_eq!(*name, pinned.name);
        assert_eq!(sha256(bytes), pinned.sha256, "the embedded demo photo {name}");
    }
}
