//! Errors that stop the face engine as a whole. Problems with one image are not errors but an
//! [`ImageStatus`](super::ImageStatus) on that image's result.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum FaceError {
    /// ONNX Runtime could not be found, extracted or loaded.
    #[error("ONNX Runtime is not available: {0}")]
    Runtime(String),
    /// A model file could not be read or ONNX Runtime refused it.
    #[error("cannot open the model {model}: {reason}")]
    Model { model: String, reason: String },
    /// A user's embedder does not match the spec given for it.
    #[error("the embedder {model} does not fit its spec: {problem}")]
    SpecMismatch { model: String, problem: String },
    /// An embedder spec that cannot work whatever the model (e.g. a zero std).
    #[error("invalid embedder spec: {0}")]
    InvalidSpec(String),
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}
