//! The embedded model files and ONNX Runtime library (see build.rs).
include!(concat!(env!("OUT_DIR"), "/face_assets.rs"));
