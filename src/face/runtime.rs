//! ONNX Runtime: finding the shared library, loading it once per process, and making sessions.
//!
//! The library is embedded in the binary (see `build.rs`) and written on first use to the
//! per-user cache dir, in a folder named by its sha256, through a temporary file and an atomic
//! rename; an existing copy is used only if its sha256 verifies. `ORT_DYLIB_PATH` overrides
//! it with a library of the user's choice. Any failure is a [`FaceError::Runtime`], never a
//! panic.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ort::environment::Environment;
use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;

use super::assets;
use super::error::FaceError;
use super::identity::sha256_hex;

/// The environment variable that points at a libonnxruntime to use instead of the embedded one.
pub const ORT_DYLIB_PATH: &str = "ORT_DYLIB_PATH";

static ENVIRONMENT: OnceLock<Result<Environment, String>> = OnceLock::new();

/// The process-wide ONNX Runtime environment, loading the library on first call. ONNX Runtime
/// allows one environment per process, so it lives until the process ends; a failure is
/// remembered too (fix the cause and restart).
pub fn environment() -> Result<Environment, FaceError> {
    ENVIRONMENT.get_or_init(load).clone().map_err(FaceError::Runtime)
}

fn load() -> Result<Environment, String> {
    let path = library_path()?;
    tracing::info!(path = %path.display(), "loading ONNX Runtime");
    let builder = ort::init_from(&path).map_err(|e| format!("{e}"))?;
    builder
        .with_name("pairscope")
        .build()
        .map_err(|e| format!("ONNX Runtime loaded from {} but did not start: {e}", path.display()))
}

/// Where the library is loaded from: `ORT_DYLIB_PATH`, else the embedded copy extracted to the
/// cache.
pub fn library_path() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os(ORT_DYLIB_PATH).filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        if !path.is_file() {
            return Err(format!("{ORT_DYLIB_PATH} is set to {}, which is not a file", path.display()));
        }
        return Ok(path);
    }
    let Some(bytes) = assets::ORT_LIBRARY else {
        return Err(format!(
            "this build of pairscope has no ONNX Runtime inside (it embeds one only on x86_64 Linux); \
             set {ORT_DYLIB_PATH} to a libonnxruntime {} shared library",
            assets::ORT_VERSION
        ));
    };
    let mut failures = Vec::new();
    for base in cache_bases() {
        match extract_library(&base, bytes) {
            Ok(path) => return Ok(path),
            Err(e) => failures.push(format!("{}: {e}", base.display())),
        }
    }
    Err(format!(
        "cannot write the embedded ONNX Runtime to a cache folder ({}); set {ORT_DYLIB_PATH} to a \
         libonnxruntime {} shared library instead",
        failures.join("; "),
        assets::ORT_VERSION
    ))
}

/// The per-user cache dir, then the temp dir.
fn cache_bases() -> Vec<PathBuf> {
    let mut bases = Vec::new();
    if let Some(dirs) = directories::ProjectDirs::from("", "", "pairscope") {
        bases.push(dirs.cache_dir().to_path_buf());
    }
    bases.push(std::env::temp_dir().join("pairscope-cache"));
    bases
}

/// Writes `bytes` to `<base>/onnxruntime-<version>-<sha prefix>/<name>` unless a verified copy
/// is already there, and returns its path.
pub fn extract_library(base: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let expected = assets::ORT_LIBRARY_SHA256;
    let dir = base.join(format!("onnxruntime-{}-{}", assets::ORT_VERSION, &expected[..16.min(expected.len())]));
    let path = dir.join(assets::ORT_LIBRARY_NAME);
    if std::fs::read(&path).is_ok_and(|existing| sha256_hex(&existing) == expected) {
        return Ok(path);
    }
    std::fs::create_dir_all(&dir)?;
    let tmp =
        dir.join(format!(".{}.{}.{:?}.tmp", assets::ORT_LIBRARY_NAME, std::process::id(), std::thread::current().id()));
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|_| f.sync_all()))
        .and_then(|_| std::fs::rename(&tmp, &path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    // Another process may have renamed its copy over ours in between; either way the file now
    // at `path` must verify.
    if sha256_hex(&std::fs::read(&path)?) != expected {
        return Err(std::io::Error::other(format!("{} does not verify after writing", path.display())));
    }
    Ok(path)
}

/// A session for `model` (ONNX bytes) with `intra_threads` threads inside each operator.
/// `name` is used in error messages.
pub fn session(name: &str, model: &[u8], intra_threads: usize) -> Result<Session, FaceError> {
    let env = environment()?;
    let fail = |e: ort::Error<_>| FaceError::Model { model: name.to_string(), reason: e.to_string() };
    let builder =
        Session::builder(&env).map_err(|e| FaceError::Model { model: name.to_string(), reason: e.to_string() })?;
    let builder = builder.with_optimization_level(GraphOptimizationLevel::Level3).map_err(fail)?;
    let builder = builder.with_intra_threads(intra_threads.max(1)).map_err(fail)?;
    let builder = builder.with_inter_threads(1).map_err(fail)?;
    // Sessions run side by side on few cores: idle threads must sleep, not spin.
    let mut builder = builder.with_config_entry("session.intra_op.allow_spinning", "0").map_err(fail)?;
    builder.commit_from_memory(model).map_err(|e| FaceError::Model { model: name.to_string(), reason: e.to_string() })
}

/// One output of a run: its shape and values.
pub struct Output {
    pub shape: Vec<i64>,
    pub values: Vec<f32>,
}

/// Runs a one-input session on `data` (of `shape`) and copies out the named float outputs.
/// Errors are plain text for an image's status.
pub fn run(session: &mut Session, shape: &[usize], data: &[f32], outputs: &[&str]) -> Result<Vec<Output>, String> {
    let input = ort::value::TensorRef::from_array_view((shape.to_vec(), data)).map_err(|e| e.to_string())?;
    let results = session.run(ort::inputs![input]).map_err(|e| e.to_string())?;
    outputs
        .iter()
        .map(|name| {
            let value = results.get(*name).ok_or_else(|| format!("the model gave no output named '{name}'"))?;
            let (shape, values) = value.try_extract_tensor::<f32>().map_err(|e| format!("output '{name}': {e}"))?;
            Ok(Output { shape: shape.to_vec(), values: values.to_vec() })
        })
        .collect()
}
