//! The identity of a face pipeline: which embeddings are interchangeable.
//!
//! An embedding depends on the detector, the landmark model, the alignment and preprocessing
//! code and the embedder with its spec. [`ModelIdentity::sha256`] hashes all of them; together
//! with the image's sha256 it is the key of the embedding cache, so a new model or a change to
//! the preprocessing gets fresh embeddings while nothing else is ever recomputed.

use sha2::{Digest, Sha256};

use super::assets;
use super::embed::EmbedderSpec;

/// Bumped whenever decode/pad/detect/landmark/align/preprocessing changes what an embedding
/// would be for the same image and models.
pub const PREPROCESSING_VERSION: &str = "pairscope-face-1: exif-upright rgb8; pad 25% of longer side; \
     fr_detect 320x240 (x-127)/128, conf>0.65 else >0.3, nms iou 0.4, largest; \
     fr_landmark 64x64 grey/256 on clipped box; 5 points; least-squares similarity to arcface template; \
     bilinear warp, black border";

/// Identifies one pipeline configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelIdentity {
    /// Cache key: sha256 (hex) over the preprocessing version, the three model hashes and the
    /// embedder spec.
    pub sha256: String,
    /// sha256 (hex) of the embedder's ONNX file.
    pub embedder_sha256: String,
    /// A human name: `fr_feature (embedded)` or the user's file name.
    pub embedder_name: String,
}

impl ModelIdentity {
    pub fn new(embedder_name: &str, embedder_sha256: &str, spec: &EmbedderSpec) -> Self {
        let mut h = Sha256::new();
        for part in [
            "pairscope face model identity",
            PREPROCESSING_VERSION,
            assets::FR_DETECT_SHA256,
            assets::FR_LANDMARK_SHA256,
            embedder_sha256,
            &spec.canonical(),
        ] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        Self {
            sha256: hex(&h.finalize()),
            embedder_sha256: embedder_sha256.to_string(),
            embedder_name: embedder_name.to_string(),
        }
    }
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// sha256 of bytes, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_sha() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn identity_changes_with_embedder_and_spec() {
        let spec = EmbedderSpec::default();
        let a = ModelIdentity::new("x", assets::FR_FEATURE_SHA256, &spec);
        let b = ModelIdentity::new("renamed", assets::FR_FEATURE_SHA256, &spec);
        assert_eq!(a.sha256, b.sha256, "the name is not part of the identity");
        let c = ModelIdentity::new("x", &"0".repeat(64), &spec);
        assert_ne!(a.sha256, c.sha256);
        let d = ModelIdentity::new("x", assets::FR_FEATURE_SHA256, &EmbedderSpec { mean: [127.5; 3], ..spec });
        assert_ne!(a.sha256, d.sha256);
        assert_eq!(a.sha256.len(), 64);
    }
}
