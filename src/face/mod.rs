//! Face verification: decode → pad → detect → landmarks → align → embed → score.
//!
//! The default model is embedded in the binary (see `build.rs`): `fr_detect` finds faces,
//! `fr_landmark` places 68 points, five of which align the face onto the 112x112 ArcFace
//! template, and `fr_feature` turns the crop into a 512-d L2-normalised embedding. A pair's
//! score is the cosine of its two embeddings ([`cosine`]). Any other ONNX embedder can replace
//! the last step ([`EmbedderSpec`], [`FaceEngine::with_embedder_file`]).
//!
//! Entry points: [`FaceEngine`] (load once, share behind an `Arc`), [`FaceEngine::run_batch`]
//! (many images, results streamed to a callback, cancellable), [`FaceEngine::process`] (one
//! image). Every image ends with an [`ImageStatus`]; user data never panics and is never
//! silently dropped.
//!
//! Per-image statistics ([`PixelStats`]) are computed in the same pass: brightness is the mean
//! grey level scaled to 0..1; sharpness is the variance of the 4-neighbour Laplacian of the grey
//! image in 0..255 units. Both are given for the whole decoded photo and for the aligned face
//! crop (the crop is the comparable one across photos of different sizes).

pub mod align;
pub mod assets;
pub mod batch;
pub mod boxes;
pub mod decode;
pub mod detect;
pub mod embed;
pub mod engine;
pub mod error;
pub mod identity;
pub mod landmarks;
pub mod pad;
pub mod resample;
pub mod runtime;
pub mod score;
pub mod stats;
pub mod status;

pub use batch::{BatchOptions, BatchSummary, ImageJob};
pub use boxes::FaceBox;
pub use decode::{DecodeLimits, sha256_file};
pub use embed::{ChannelOrder, EmbedderInfo, EmbedderSpec, TensorLayout, check_embedder};
pub use engine::{Face, FaceEngine, ImageResult};
pub use error::FaceError;
pub use identity::{ModelIdentity, PREPROCESSING_VERSION};
pub use score::cosine;
pub use stats::PixelStats;
pub use status::ImageStatus;
