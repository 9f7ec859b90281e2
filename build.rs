//! Obtains, checks and embeds the face model and the ONNX Runtime library.
//!
//! Everything the app needs for face inference is fetched here, at build time, from package
//! registries through their ordinary clients, at pinned versions, and verified by sha256:
//!
//! * the three ONNX files of the npm package `faceplugin-face-recognition-js@0.0.1`
//!   (via `npm pack`);
//! * six group photos of the npm package `@vladmandic/face-api@1.7.15` for the demo project;
//! * `libonnxruntime.so` from the PyPI wheel `onnxruntime==1.32.0` (via `pip download`),
//!   for x86_64 Linux. Other targets get no embedded runtime and need `ORT_DYLIB_PATH`
//!   at run time.
//!
//! The files land in a download cache shared by all profiles of one target dir (so `cargo test`,
//! `cargo build --release` and `cargo bench` download once) and are copied into `OUT_DIR`, from
//! where `src/face/assets.rs` embeds them with `include_bytes!`. Nothing is fetched at run time.
//!
//! Environment variables (all optional):
//! * `PAIRSCOPE_DEMO_DIR`: a folder holding `sample1.jpg` … `sample6.jpg` of the npm package
//!   `@vladmandic/face-api@1.7.15` (its `package/demo` folder): the demo project's photos; skips npm.
//! * `PAIRSCOPE_MODEL_DIR`: a folder holding `fr_detect.onnx`, `fr_landmark.onnx` and
//!   `fr_feature.onnx` (e.g. the `package/model` folder of the npm tarball); skips npm.
//! * `PAIRSCOPE_ORT_WHEEL`: the `onnxruntime-1.32.0-cp311-cp311-manylinux_2_28_x86_64.whl`
//!   file, or a folder holding it; skips pip.
//! * `PAIRSCOPE_BUILD_CACHE`: where downloads are cached (default: `<target dir>/pairscope-downloads`).
//!
//! Files given through these variables are verified against the same pinned hashes.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// An npm package the build takes files from: pinned version, checked tarball.
struct NpmPackage {
    spec: &'static str,
    tarball: &'static str,
    sha256: &'static str,
    /// The folder of the tarball that a user can point the override variable at.
    folder: &'static str,
    /// The environment variable that replaces `npm pack` with files the user already has.
    override_var: &'static str,
}

const MODEL_PACKAGE: NpmPackage = NpmPackage {
    spec: "faceplugin-face-recognition-js@0.0.1",
    tarball: "faceplugin-face-recognition-js-0.0.1.tgz",
    sha256: "7ea06031d9a3f83753254fcff60506a07b81b46fc84d4ee024cd041f260ec1ba",
    folder: "package/model",
    override_var: "PAIRSCOPE_MODEL_DIR",
};

/// Six group photos (MIT) from which the demo project is built.
const DEMO_PACKAGE: NpmPackage = NpmPackage {
    spec: "@vladmandic/face-api@1.7.15",
    tarball: "vladmandic-face-api-1.7.15.tgz",
    sha256: "0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031",
    folder: "package/demo",
    override_var: "PAIRSCOPE_DEMO_DIR",
};

/// (file name in `package/demo`, sha256)
const DEMO_PHOTOS: [(&str, &str); 6] = [
    ("sample1.jpg", "8ecae4b267b2d3169e06e00c7dee97097aa2a94635d45216f7732a5f4943cb51"),
    ("sample2.jpg", "7d2b60ae6f13bf30f422e04df87451081a02c83de469056f25afb44b7000c691"),
    ("sample3.jpg", "8eb081c9efb14370fa94d9feab9e5fbeafd19a627491853a80c2bf67f7ffa936"),
    ("sample4.jpg", "729efa5923061d40eb4ed5f267a18cc7b8ba6f852bb2757b16d8b7e4937476fc"),
    ("sample5.jpg", "6d45095ebb182d8f975c0790e0e4eefd86fbb40609cf4b271776d92e12662938"),
    ("sample6.jpg", "9baad80f9d5e306fb9b8c0913d44445f1e95848df317530efb03d0934c57ba87"),
];

struct ModelFile {
    /// Path inside the npm tarball.
    entry: &'static str,
    /// File name in `PAIRSCOPE_MODEL_DIR` and in `OUT_DIR`.
    name: &'static str,
    sha256: &'static str,
}

const MODELS: [ModelFile; 3] = [
    ModelFile {
        entry: "package/model/fr_detect.onnx",
        name: "fr_detect.onnx",
        sha256: "6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854",
    },
    ModelFile {
        entry: "package/model/fr_landmark.onnx",
        name: "fr_landmark.onnx",
        sha256: "f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258",
    },
    ModelFile {
        entry: "package/model/fr_feature.onnx",
        name: "fr_feature.onnx",
        sha256: "87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581",
    },
];

/// The ONNX Runtime wheel pinned for one target. The wheel's tags are given to pip explicitly
/// so the same file is picked whatever Python the build machine has.
struct OrtWheel {
    version: &'static str,
    platform: &'static str,
    python_version: &'static str,
    abi: &'static str,
    file: &'static str,
    sha256: &'static str,
    lib_entry: &'static str,
    lib_name: &'static str,
    lib_sha256: &'static str,
}

const ORT_LINUX_X86_64: OrtWheel = OrtWheel {
    version: "1.32.0",
    platform: "manylinux_2_28_x86_64",
    python_version: "3.11",
    abi: "cp311",
    file: "onnxruntime-1.32.0-cp311-cp311-manylinux_2_28_x86_64.whl",
    sha256: "5a34fc4dfeb5a7b4a74c95dcba1e773d722abda720b474edf1b0c419dc6d163d",
    lib_entry: "onnxruntime/capi/libonnxruntime.so.1.32.0",
    lib_name: "libonnxruntime.so.1.32.0",
    lib_sha256: "6c1585d1bbf45b0712ea4a21b705c5fcb4ba04ff2e30f1fbf81a49faf658638f",
};

fn main() {
    if let Err(message) = run() {
        eprintln!("\nerror: pairscope's build could not get the face model or ONNX Runtime.\n\n{message}\n");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    println!("cargo::rerun-if-changed=build.rs");
    for var in ["PAIRSCOPE_MODEL_DIR", "PAIRSCOPE_DEMO_DIR", "PAIRSCOPE_ORT_WHEEL", "PAIRSCOPE_BUILD_CACHE"] {
        println!("cargo::rerun-if-env-changed={var}");
    }

    let out_dir = PathBuf::from(env("OUT_DIR")?);
    let cache = download_cache(&out_dir)?;

    let mut model_paths = Vec::new();
    for model in &MODELS {
        let dest = out_dir.join(model.name);
        if !verifies(&dest, model.sha256) {
            let bytes = model_bytes(model, &cache)?;
            write_atomically(&dest, &bytes)?;
        }
        model_paths.push(dest);
    }

    let wheel = ort_wheel_for_target();
    let ort = match wheel {
        Some(wheel) => {
            let dest = out_dir.join(wheel.lib_name);
            if !verifies(&dest, wheel.lib_sha256) {
                let bytes = ort_library_bytes(wheel, &cache)?;
                write_atomically(&dest, &bytes)?;
            }
            Some((wheel, dest))
        }
        None => {
            println!(
                "cargo::warning=pairscope embeds ONNX Runtime only for x86_64 Linux; on this target \
                 set ORT_DYLIB_PATH at run time to a libonnxruntime 1.32 shared library"
            );
            None
        }
    };

    write_assets_module(&out_dir, &model_paths, ort.as_ref())?;
    write_demo_module(&out_dir, &cache)
}

/// The demo photos, embedded so the demo project can be made on any machine, offline.
fn write_demo_module(out_dir: &Path, cache: &Path) -> Result<(), String> {
    let mut code = String::from(
        "// Generated by build.rs: the demo project's photos.\npub static DEMO_PHOTOS: [(&str, &[u8]); 6] = [\n",
    );
    for (name, sha256) in DEMO_PHOTOS {
        let dest = out_dir.join(format!("demo-{name}"));
        if !verifies(&dest, sha256) {
            let entry = format!("{}/{name}", DEMO_PACKAGE.folder);
            let bytes = package_file(&DEMO_PACKAGE, &entry, name, sha256, cache)?;
            write_atomically(&dest, &bytes)?;
        }
        code += &format!("    ({name:?}, include_bytes!({:?})),\n", dest.display().to_string());
    }
    code += "];\n";
    let dest = out_dir.join("demo_assets.rs");
    if fs::read_to_string(&dest).ok().as_deref() != Some(code.as_str()) {
        write_atomically(&dest, code.as_bytes())?;
    }
    Ok(())
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("cargo did not set {name}"))
}

/// The download cache: `PAIRSCOPE_BUILD_CACHE`, else a folder beside the profile folders of the
/// target dir (`OUT_DIR` is `<target>/[<triple>/]<profile>/build/<pkg>-<hash>/out`).
fn download_cache(out_dir: &Path) -> Result<PathBuf, String> {
    let dir = match std::env::var_os("PAIRSCOPE_BUILD_CACHE") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => out_dir
            .ancestors()
            .nth(4)
            .map(|target| target.join("pairscope-downloads"))
            .unwrap_or_else(|| out_dir.join("downloads")),
    };
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create the download cache {}: {e}", dir.display()))?;
    Ok(dir)
}

fn model_bytes(model: &ModelFile, cache: &Path) -> Result<Vec<u8>, String> {
    package_file(&MODEL_PACKAGE, model.entry, model.name, model.sha256, cache)
}

/// One file of an npm package: from the package's override folder if the user set it, else
/// from the (cached) tarball. Either way it must match the pinned sha256.
fn package_file(package: &NpmPackage, entry: &str, name: &str, sha256: &str, cache: &Path) -> Result<Vec<u8>, String> {
    let var = package.override_var;
    if let Some(dir) = std::env::var_os(var).filter(|d| !d.is_empty()) {
        let path = PathBuf::from(dir).join(name);
        println!("cargo::rerun-if-changed={}", path.display());
        let bytes = fs::read(&path).map_err(|e| format!("{var} is set, but {} cannot be read: {e}", path.display()))?;
        check_sha256(
            &bytes,
            sha256,
            &path.display().to_string(),
            &format!("{entry} in the npm package {}", package.spec),
        )?;
        return Ok(bytes);
    }
    let tarball = npm_tarball(package, cache)?;
    let bytes = tar_entry(&tarball, entry)?;
    check_sha256(
        &bytes,
        sha256,
        &format!("{entry} in {}", tarball.display()),
        &format!("the npm package {}", package.spec),
    )?;
    Ok(bytes)
}

/// The npm tarball, from the cache when it verifies, else from `npm pack`.
fn npm_tarball(package: &NpmPackage, cache: &Path) -> Result<PathBuf, String> {
    let NpmPackage { spec, tarball, sha256, folder, override_var } = package;
    let path = cache.join(tarball);
    if verifies(&path, sha256) {
        return Ok(path);
    }
    let staging = fresh_dir(cache, "npm-pack")?;
    let output = Command::new(npm_program())
        .arg("pack")
        .arg(spec)
        .arg("--pack-destination")
        .arg(&*staging)
        .arg("--loglevel=error")
        .current_dir(&*staging)
        .output();
    let how_to_fix = format!(
        "pairscope embeds files of the npm package {spec}, which the build gets with \
         `npm pack {spec}`. To fix, either:\n\
         \x20 * install Node.js with npm, make sure the npm registry is reachable, and build again; or\n\
         \x20 * on a machine that can, run `npm pack {spec}` and `tar xzf {tarball}`, copy the \
         folder {folder} here, and build with {override_var}=/path/to/{folder}."
    );
    match output {
        Err(e) => return Err(format!("`npm` could not be started ({e}).\n{how_to_fix}")),
        Ok(out) if !out.status.success() => {
            return Err(format!(
                "`npm pack {spec}` failed ({}):\n{}\n\n{how_to_fix}",
                out.status,
                first_lines(&out.stderr)
            ));
        }
        Ok(_) => {}
    }
    let packed = staging.join(tarball);
    let bytes = fs::read(&packed)
        .map_err(|e| format!("`npm pack` ran but {} cannot be read: {e}\n{how_to_fix}", packed.display()))?;
    check_sha256(&bytes, sha256, &format!("the tarball `npm pack` gave for {spec}"), "the npm registry")?;
    fs::rename(&packed, &path).map_err(|e| format!("cannot move {} into the cache: {e}", packed.display()))?;
    Ok(path)
}

/// The start of a tool's error output: enough to see the cause without its stack trace.
fn first_lines(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut shown = lines.iter().take(6).map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n");
    if lines.len() > 6 {
        shown += "\n    ...";
    }
    shown
}

fn npm_program() -> &'static str {
    if cfg!(windows) { "npm.cmd" } else { "npm" }
}

fn tar_entry(tarball: &Path, entry: &str) -> Result<Vec<u8>, String> {
    let file = fs::File::open(tarball).map_err(|e| format!("cannot open {}: {e}", tarball.display()))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let entries = archive.entries().map_err(|e| format!("cannot read {}: {e}", tarball.display()))?;
    for item in entries {
        let mut item = item.map_err(|e| format!("cannot read {}: {e}", tarball.display()))?;
        let is_wanted = item.path().map(|p| p == Path::new(entry)).unwrap_or(false);
        if is_wanted {
            let mut bytes = Vec::new();
            item.read_to_end(&mut bytes)
                .map_err(|e| format!("cannot extract {entry} from {}: {e}", tarball.display()))?;
            return Ok(bytes);
        }
    }
    Err(format!("{} has no {entry}", tarball.display()))
}

fn ort_wheel_for_target() -> Option<&'static OrtWheel> {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let target_env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    (os == "linux" && arch == "x86_64" && target_env == "gnu").then_some(&ORT_LINUX_X86_64)
}

fn ort_library_bytes(wheel: &OrtWheel, cache: &Path) -> Result<Vec<u8>, String> {
    let wheel_path = ort_wheel(wheel, cache)?;
    let bytes = zip_entry(&wheel_path, wheel.lib_entry)?;
    check_sha256(&bytes, wheel.lib_sha256, &format!("{} in {}", wheel.lib_entry, wheel_path.display()), wheel.file)?;
    Ok(bytes)
}

/// The wheel from `PAIRSCOPE_ORT_WHEEL`, else from the cache when it verifies, else from pip.
fn ort_wheel(wheel: &OrtWheel, cache: &Path) -> Result<PathBuf, String> {
    if let Some(given) = std::env::var_os("PAIRSCOPE_ORT_WHEEL").filter(|w| !w.is_empty()) {
        let given = PathBuf::from(given);
        let path = if given.is_dir() { given.join(wheel.file) } else { given };
        println!("cargo::rerun-if-changed={}", path.display());
        let bytes = fs::read(&path)
            .map_err(|e| format!("PAIRSCOPE_ORT_WHEEL is set, but {} cannot be read: {e}", path.display()))?;
        check_sha256(
            &bytes,
            wheel.sha256,
            &path.display().to_string(),
            &format!("`pip download onnxruntime=={}` for {}", wheel.version, wheel.platform),
        )?;
        return Ok(path);
    }
    let path = cache.join(wheel.file);
    if verifies(&path, wheel.sha256) {
        return Ok(path);
    }
    let staging = fresh_dir(cache, "pip-download")?;
    let pip_args = [
        "download".to_string(),
        format!("onnxruntime=={}", wheel.version),
        "--no-deps".into(),
        "--only-binary=:all:".into(),
        "--platform".into(),
        wheel.platform.into(),
        "--python-version".into(),
        wheel.python_version.into(),
        "--implementation".into(),
        "cp".into(),
        "--abi".into(),
        wheel.abi.into(),
        "--disable-pip-version-check".into(),
        "--quiet".into(),
        "-d".into(),
        staging.display().to_string(),
    ];
    let how_to_fix = format!(
        "pairscope embeds ONNX Runtime {} from its PyPI wheel, which the build gets with \
         `pip download`. To fix, either:\n\
         \x20 * install Python with pip, make sure the PyPI registry is reachable, and build again; or\n\
         \x20 * on a machine that can, run `pip {}` and build with PAIRSCOPE_ORT_WHEEL=/path/to/{}.",
        wheel.version,
        pip_args[..pip_args.len() - 1].join(" ") + " .",
        wheel.file
    );
    // The first pip that starts decides; later ones are tried only if it is not installed.
    let mut not_found = Vec::new();
    let mut outcome = None;
    for (program, prefix) in [("python3", &["-m", "pip"][..]), ("pip3", &[][..]), ("pip", &[][..])] {
        let shown = format!("{program}{}", prefix.iter().map(|p| format!(" {p}")).collect::<String>());
        match Command::new(program).args(prefix).args(&pip_args).output() {
            Ok(out) => {
                outcome = Some((shown, out));
                break;
            }
            Err(e) => not_found.push(format!("`{shown}` could not be started ({e})")),
        }
    }
    match outcome {
        None => return Err(format!("{}\n\n{how_to_fix}", not_found.join("\n"))),
        Some((shown, out)) if !out.status.success() => {
            return Err(format!(
                "`{shown} download onnxruntime=={}` failed ({}):\n{}\n\n{how_to_fix}",
                wheel.version,
                out.status,
                first_lines(&out.stderr)
            ));
        }
        Some(_) => {}
    }
    let fetched = staging.join(wheel.file);
    let bytes = fs::read(&fetched)
        .map_err(|e| format!("pip ran but {} cannot be read: {e}\n{how_to_fix}", fetched.display()))?;
    check_sha256(
        &bytes,
        wheel.sha256,
        &format!("the wheel pip gave for onnxruntime=={}", wheel.version),
        "the PyPI registry",
    )?;
    fs::rename(&fetched, &path).map_err(|e| format!("cannot move {} into the cache: {e}", fetched.display()))?;
    Ok(path)
}

/// One file out of a zip archive (a wheel). Enough of the format for wheels: the central
/// directory, stored or deflated entries, no zip64. A misread could only produce wrong bytes,
/// which the sha256 check that follows would refuse.
fn zip_entry(archive_path: &Path, entry: &str) -> Result<Vec<u8>, String> {
    let zip = fs::read(archive_path).map_err(|e| format!("cannot read {}: {e}", archive_path.display()))?;
    let bad = |what: &str| format!("{} is not a readable wheel: {what}", archive_path.display());
    let u16_at = |at: usize| zip.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize);
    let u32_at = |at: usize| zip.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);

    // End of central directory: the last "PK\x05\x06" record (a comment may follow it).
    let search_from = zip.len().saturating_sub(22 + 65_535);
    let eocd = (search_from..zip.len().saturating_sub(21))
        .rev()
        .find(|&i| zip[i..i + 4] == *b"PK\x05\x06")
        .ok_or_else(|| bad("no end-of-central-directory record"))?;
    let entries = u16_at(eocd + 10).ok_or_else(|| bad("short record"))?;
    let mut pos = u32_at(eocd + 16).ok_or_else(|| bad("short record"))?;
    for _ in 0..entries {
        if zip.get(pos..pos + 4) != Some(b"PK\x01\x02") {
            return Err(bad("damaged central directory"));
        }
        let field = |off: usize| u16_at(pos + off).ok_or_else(|| bad("short central directory"));
        let (method, name_len, extra_len, comment_len) = (field(10)?, field(28)?, field(30)?, field(32)?);
        let compressed = u32_at(pos + 20).ok_or_else(|| bad("short central directory"))?;
        let size = u32_at(pos + 24).ok_or_else(|| bad("short central directory"))?;
        let local = u32_at(pos + 42).ok_or_else(|| bad("short central directory"))?;
        let name = zip.get(pos + 46..pos + 46 + name_len).ok_or_else(|| bad("short central directory"))?;
        pos += 46 + name_len + extra_len + comment_len;
        if name != entry.as_bytes() {
            continue;
        }
        if [compressed, size, local].contains(&0xFFFF_FFFF) {
            return Err(bad("zip64 entries are not supported"));
        }
        if zip.get(local..local + 4) != Some(b"PK\x03\x04") {
            return Err(bad("damaged local header"));
        }
        let start = local + 30 + u16_at(local + 26).unwrap_or(0) + u16_at(local + 28).unwrap_or(0);
        let data = zip.get(start..start + compressed).ok_or_else(|| bad("entry runs past the end"))?;
        let mut bytes = Vec::with_capacity(size);
        match method {
            0 => bytes.extend_from_slice(data),
            8 => {
                flate2::read::DeflateDecoder::new(data)
                    .read_to_end(&mut bytes)
                    .map_err(|e| bad(&format!("cannot inflate {entry}: {e}")))?;
            }
            other => return Err(bad(&format!("{entry} uses compression method {other}"))),
        }
        return Ok(bytes);
    }
    Err(format!("{} has no {entry}", archive_path.display()))
}

/// The Rust module that `src/face/assets.rs` includes.
fn write_assets_module(out_dir: &Path, models: &[PathBuf], ort: Option<&(&OrtWheel, PathBuf)>) -> Result<(), String> {
    let mut code = String::from("// Generated by build.rs: the embedded face model and runtime.\n");
    for (model, path) in MODELS.iter().zip(models) {
        let ident = model.name.trim_end_matches(".onnx").to_uppercase();
        code += &format!("pub static {ident}_ONNX: &[u8] = include_bytes!({:?});\n", path.display().to_string());
        code += &format!("pub const {ident}_SHA256: &str = {:?};\n", model.sha256);
    }
    match ort {
        Some((wheel, path)) => {
            code += &format!(
                "pub static ORT_LIBRARY: Option<&[u8]> = Some(include_bytes!({:?}));\n",
                path.display().to_string()
            );
            code += &format!("pub const ORT_LIBRARY_NAME: &str = {:?};\n", wheel.lib_name);
            code += &format!("pub const ORT_LIBRARY_SHA256: &str = {:?};\n", wheel.lib_sha256);
            code += &format!("pub const ORT_VERSION: &str = {:?};\n", wheel.version);
        }
        None => {
            code += "pub static ORT_LIBRARY: Option<&[u8]> = None;\n";
            code += "pub const ORT_LIBRARY_NAME: &str = \"\";\n";
            code += "pub const ORT_LIBRARY_SHA256: &str = \"\";\n";
            code += "pub const ORT_VERSION: &str = \"1.32.0\";\n";
        }
    }
    let dest = out_dir.join("face_assets.rs");
    if fs::read_to_string(&dest).ok().as_deref() != Some(code.as_str()) {
        write_atomically(&dest, code.as_bytes())?;
    }
    Ok(())
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks a file's hash; `origin` says where the right file comes from.
fn check_sha256(bytes: &[u8], expected: &str, what: &str, origin: &str) -> Result<(), String> {
    let actual = sha256_hex(bytes);
    if actual == expected {
        Ok(())
    } else {
        Err(format!(
            "{what} has sha256 {actual}, but pairscope pins {expected}: it is not the file from {origin} \
             (or it is damaged)."
        ))
    }
}

fn verifies(path: &Path, expected: &str) -> bool {
    fs::read(path).map(|bytes| sha256_hex(&bytes) == expected).unwrap_or(false)
}

/// A scratch folder for one download, removed however the build script leaves it.
struct Staging(PathBuf);

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

impl std::ops::Deref for Staging {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

fn fresh_dir(parent: &Path, name: &str) -> Result<Staging, String> {
    let dir = parent.join(format!("{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(Staging(dir))
}

/// Writes through a temporary file and a rename, so an interrupted build never leaves a
/// half-written file that a later build would have to detect.
fn write_atomically(dest: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = dest.with_extension(format!("tmp-{}", std::process::id()));
    let result = fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|_| f.sync_all()))
        .and_then(|_| fs::rename(&tmp, dest));
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        format!("cannot write {}: {e}", dest.display())
    })
}
