//! What happened to one image. Stored in the project and shown to users.

use std::fmt;

/// The outcome for one image. `Ok` and `SeveralFaces` carry an embedding; the others do not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageStatus {
    /// Exactly one face was found and embedded.
    Ok,
    /// `count` faces were found; the largest was embedded.
    SeveralFaces { count: u32 },
    /// The image decoded but the detector found no face (even at the lower retry threshold).
    NoFace,
    /// The file does not exist or cannot be read.
    MissingFile { reason: String },
    /// The file is not an image the decoder can read (`reason` is the decoder's own message).
    Undecodable { reason: String },
    /// The file or its pixel dimensions are over the decode limits; refused before allocating.
    TooLarge { reason: String },
    /// ONNX Runtime failed on this image, or its landmarks were unusable.
    ModelError { reason: String },
    /// The embedder ran but its output cannot be compared: not finite (NaN, infinity) or all
    /// zeros. Depends only on the model and the file, so it is cached like `NoFace`.
    BadEmbedding { reason: String },
}

impl ImageStatus {
    /// A stable short code for storage (`ok`, `several_faces`, `no_face`, `missing_file`,
    /// `undecodable`, `too_large`, `model_error`, `bad_embedding`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::SeveralFaces { .. } => "several_faces",
            Self::NoFace => "no_face",
            Self::MissingFile { .. } => "missing_file",
            Self::Undecodable { .. } => "undecodable",
            Self::TooLarge { .. } => "too_large",
            Self::ModelError { .. } => "model_error",
            Self::BadEmbedding { .. } => "bad_embedding",
        }
    }

    /// The free-text part for storage: the reason, or the face count for `SeveralFaces`.
    pub fn detail(&self) -> Option<String> {
        match self {
            Self::Ok | Self::NoFace => None,
            Self::SeveralFaces { count } => Some(count.to_string()),
            Self::MissingFile { reason }
            | Self::Undecodable { reason }
            | Self::TooLarge { reason }
            | Self::ModelError { reason }
            | Self::BadEmbedding { reason } => Some(reason.clone()),
        }
    }

    /// Rebuilds a status from [`code`](Self::code) and [`detail`](Self::detail), as stored.
    /// Returns `None` for an unknown code.
    pub fn from_code(code: &str, detail: Option<&str>) -> Option<Self> {
        let reason = || detail.unwrap_or_default().to_string();
        Some(match code {
            "ok" => Self::Ok,
            "several_faces" => Self::SeveralFaces { count: detail.and_then(|d| d.parse().ok()).unwrap_or(2) },
            "no_face" => Self::NoFace,
            "missing_file" => Self::MissingFile { reason: reason() },
            "undecodable" => Self::Undecodable { reason: reason() },
            "too_large" => Self::TooLarge { reason: reason() },
            "model_error" => Self::ModelError { reason: reason() },
            "bad_embedding" => Self::BadEmbedding { reason: reason() },
            _ => return None,
        })
    }

    /// Whether an embedding was produced.
    pub fn has_embedding(&self) -> bool {
        matches!(self, Self::Ok | Self::SeveralFaces { .. })
    }

    /// All codes, in display order.
    pub const CODES: [&'static str; 8] =
        ["ok", "several_faces", "no_face", "missing_file", "undecodable", "too_large", "model_error", "bad_embedding"];
}

impl fmt::Display for ImageStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ok => f.write_str("ok"),
            Self::SeveralFaces { count } => write!(f, "{count} faces, the largest used"),
            Self::NoFace => f.write_str("no face found"),
            Self::MissingFile { reason } => write!(f, "missing file: {reason}"),
            Self::Undecodable { reason } => write!(f, "cannot decode: {reason}"),
            Self::TooLarge { reason } => write!(f, "too large: {reason}"),
            Self::ModelError { reason } => write!(f, "model error: {reason}"),
            Self::BadEmbedding { reason } => write!(f, "bad embedding: {reason}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        let all = [
            ImageStatus::Ok,
            ImageStatus::SeveralFaces { count: 3 },
            ImageStatus::NoFace,
            ImageStatus::MissingFile { reason: "no such file".into() },
            ImageStatus::Undecodable { reason: "bad marker".into() },
            ImageStatus::TooLarge { reason: "20000x20000".into() },
            ImageStatus::ModelError { reason: "boom".into() },
            ImageStatus::BadEmbedding { reason: "the model's output has zero norm".into() },
        ];
        for (status, code) in all.iter().zip(ImageStatus::CODES) {
            assert_eq!(status.code(), code);
            let back = ImageStatus::from_code(status.code(), status.detail().as_deref());
            assert_eq!(back.as_ref(), Some(status));
        }
        assert_eq!(ImageStatus::from_code("nonsense", None), None);
    }

    #[test]
    fn only_face_statuses_have_embeddings() {
        assert!(ImageStatus::Ok.has_embedding());
        assert!(ImageStatus::SeveralFaces { count: 2 }.has_embedding());
        assert!(!ImageStatus::NoFace.has_embedding());
        assert!(!ImageStatus::BadEmbedding { reason: String::new() }.has_embedding());
    }
}
