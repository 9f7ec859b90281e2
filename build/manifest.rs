//! Reads `assets/manifest.toml`: the pinned packages and sha256 of everything the build embeds.
//!
//! build.rs compiles this file through `#[path]`, and so does the integration test
//! `embedded_assets`, which checks the embedded files against the manifest and runs the tests
//! below (`cargo test --test integration embedded_assets`). It reads the part of TOML the
//! manifest uses (comments, `[section]` headers, `key = "string"` lines with bare or quoted
//! keys) by hand: the `toml` crate (with serde) as a build-dependency took 18 s (12 s of CPU) to
//! build on one core, for a file of 60 lines. Anything else is refused with the file, line and
//! key, as is a missing or unknown key, so a mistyped manifest fails the build instead of
//! embedding the wrong thing.

use std::cell::Cell;

/// An npm package the build takes files from: pinned version, checked tarball.
#[derive(Debug, Clone, PartialEq)]
pub struct NpmPackage {
    /// What `npm pack` is given: `name@version`.
    pub spec: String,
    /// The file name `npm pack` writes.
    pub tarball: String,
    pub sha256: String,
    /// The folder of the tarball that holds the files, and that the override variable names.
    pub folder: String,
    /// The environment variable that replaces `npm pack` with files the user already has.
    pub override_var: &'static str,
}

/// One file of a package, as embedded.
#[derive(Debug, Clone, PartialEq)]
pub struct PinnedFile {
    pub name: String,
    pub sha256: String,
}

/// The model's three files, by the job each does in the pipeline.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFiles {
    pub detect: PinnedFile,
    pub landmark: PinnedFile,
    pub feature: PinnedFile,
}

impl ModelFiles {
    /// (job, file): the job names the generated constants (`FR_DETECT_ONNX`, …).
    pub fn by_job(&self) -> [(&'static str, &PinnedFile); 3] {
        [("detect", &self.detect), ("landmark", &self.landmark), ("feature", &self.feature)]
    }
}

/// The ONNX Runtime wheel pinned for x86_64 Linux.
#[derive(Debug, Clone, PartialEq)]
pub struct OrtWheel {
    pub version: String,
    pub platform: String,
    pub python_version: String,
    pub abi: String,
    /// The wheel's file name.
    pub file: String,
    pub sha256: String,
    /// The shared library's path inside the wheel.
    pub lib_entry: String,
    /// Its file name (the last part of `lib_entry`).
    pub lib_name: String,
    pub lib_sha256: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    pub model: NpmPackage,
    pub model_files: ModelFiles,
    pub demo: NpmPackage,
    pub demo_photos: Vec<PinnedFile>,
    pub onnxruntime: OrtWheel,
}

impl Manifest {
    /// Reads the manifest's text; `file` names it in every error.
    pub fn parse(text: &str, file: &str) -> Result<Manifest, String> {
        let sections = Sections::parse(text, file)?;
        let file_in = |section: &str| -> Result<PinnedFile, String> {
            let s = sections.get(section)?;
            Ok(PinnedFile { name: s.file_name("file")?, sha256: s.sha256("sha256")? })
        };
        let model = sections.npm_package("model", "PAIRSCOPE_MODEL_DIR")?;
        let model_files = ModelFiles {
            detect: file_in("model.detect")?,
            landmark: file_in("model.landmark")?,
            feature: file_in("model.feature")?,
        };
        let demo = sections.npm_package("demo", "PAIRSCOPE_DEMO_DIR")?;
        let photos = sections.get("demo.photos")?;
        let mut demo_photos = Vec::new();
        for entry in &photos.entries {
            if !is_plain_file_name(&entry.key) {
                return Err(format!(
                    "{file} line {}: \"{}\" in [demo.photos] is not a plain file name",
                    entry.line, entry.key
                ));
            }
            demo_photos.push(PinnedFile { name: entry.key.clone(), sha256: photos.sha256(&entry.key)? });
        }
        if demo_photos.is_empty() {
            return Err(format!("{file} line {}: [demo.photos] names no photo", photos.line));
        }
        let ort = sections.get("onnxruntime")?;
        let lib_entry = ort.string("library")?;
        let lib_name = lib_entry.rsplit('/').next().unwrap_or_default().to_string();
        if lib_name.is_empty() {
            return Err(ort.bad_value("library", "is not a path to a file inside the wheel"));
        }
        let onnxruntime = OrtWheel {
            version: ort.string("version")?,
            platform: ort.string("platform")?,
            python_version: ort.string("python_version")?,
            abi: ort.string("abi")?,
            file: ort.file_name("wheel")?,
            sha256: ort.sha256("sha256")?,
            lib_entry,
            lib_name,
            lib_sha256: ort.sha256("library_sha256")?,
        };
        sections.all_used()?;
        Ok(Manifest { model, model_files, demo, demo_photos, onnxruntime })
    }
}

struct Entry {
    key: String,
    value: String,
    line: usize,
    used: Cell<bool>,
}

struct Section<'f> {
    name: String,
    line: usize,
    entries: Vec<Entry>,
    used: Cell<bool>,
    file: &'f str,
}

struct Sections<'f> {
    list: Vec<Section<'f>>,
    file: &'f str,
}

impl<'f> Sections<'f> {
    fn parse(text: &str, file: &'f str) -> Result<Sections<'f>, String> {
        let mut list: Vec<Section<'f>> = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let at = |what: String| format!("{file} line {line}: {what}");
            let content = raw.trim();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            if let Some(header) = content.strip_prefix('[') {
                let (name, rest) =
                    header.split_once(']').ok_or_else(|| at("a section header without its `]`".into()))?;
                let name = name.trim();
                let bare = |part: &str| {
                    !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                };
                if !name.split('.').all(bare) {
                    return Err(at(format!("`[{name}]` is not a section this manifest can have")));
                }
                after_value(rest).map_err(at)?;
                if let Some(first) = list.iter().find(|s| s.name == name) {
                    return Err(at(format!("[{name}] again (first on line {})", first.line)));
                }
                list.push(Section { name: name.into(), line, entries: Vec::new(), used: Cell::new(false), file });
                continue;
            }
            let section = list.last_mut().ok_or_else(|| at("a key before the first [section]".into()))?;
            let (key, rest) = read_key(content).map_err(at)?;
            let rest =
                rest.trim_start().strip_prefix('=').ok_or_else(|| at(format!("`{key}` without ` = \"value\"`")))?;
            let (value, rest) = read_string(rest.trim_start()).map_err(|e| at(format!("the value of `{key}` {e}")))?;
            after_value(rest).map_err(at)?;
            if let Some(first) = section.entries.iter().find(|e| e.key == key) {
                return Err(at(format!("`{key}` again in [{}] (first on line {})", section.name, first.line)));
            }
            section.entries.push(Entry { key, value, line, used: Cell::new(false) });
        }
        Ok(Sections { list, file })
    }

    fn get(&self, name: &str) -> Result<&Section<'f>, String> {
        let section = self.list.iter().find(|s| s.name == name);
        let section = section.ok_or_else(|| format!("{}: the section [{name}] is missing", self.file))?;
        section.used.set(true);
        Ok(section)
    }

    fn npm_package(&self, name: &str, override_var: &'static str) -> Result<NpmPackage, String> {
        let s = self.get(name)?;
        let spec = s.string("npm")?;
        if !spec.get(1..).is_some_and(|name_version| name_version.contains('@')) {
            return Err(s.bad_value("npm", "is not `name@version` (the version must be pinned)"));
        }
        let tarball = s.file_name("tarball")?;
        Ok(NpmPackage { spec, tarball, sha256: s.sha256("sha256")?, folder: s.string("folder")?, override_var })
    }

    /// A key or section the build does not read is most likely a typo of one it does.
    fn all_used(&self) -> Result<(), String> {
        for section in &self.list {
            if !section.used.get() {
                return Err(format!("{} line {}: unknown section [{}]", self.file, section.line, section.name));
            }
            if let Some(entry) = section.entries.iter().find(|e| !e.used.get()) {
                return Err(format!(
                    "{} line {}: unknown key `{}` in [{}]",
                    self.file, entry.line, entry.key, section.name
                ));
            }
        }
        Ok(())
    }
}

impl Section<'_> {
    fn string(&self, key: &str) -> Result<String, String> {
        let entry = self.entries.iter().find(|e| e.key == key);
        let entry =
            entry.ok_or_else(|| format!("{} line {}: [{}] has no key `{key}`", self.file, self.line, self.name))?;
        entry.used.set(true);
        if entry.value.is_empty() {
            return Err(self.bad_value(key, "is empty"));
        }
        Ok(entry.value.clone())
    }

    fn sha256(&self, key: &str) -> Result<String, String> {
        let value = self.string(key)?;
        let is_hex = value.len() == 64 && value.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !is_hex {
            return Err(self.bad_value(key, &format!("is not a sha256 (64 lowercase hex digits): \"{value}\"")));
        }
        Ok(value)
    }

    /// A plain file name: it is joined to folders, so no path and nothing hidden.
    fn file_name(&self, key: &str) -> Result<String, String> {
        let value = self.string(key)?;
        if !is_plain_file_name(&value) {
            return Err(self.bad_value(key, &format!("is not a plain file name: \"{value}\"")));
        }
        Ok(value)
    }

    fn bad_value(&self, key: &str, what: &str) -> String {
        let line = self.entries.iter().find(|e| e.key == key).map_or(self.line, |e| e.line);
        format!("{} line {line}: `{key}` in [{}] {what}", self.file, self.name)
    }
}

/// A file name that, joined to a folder, stays in it and is not hidden.
fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '\\']) && !name.starts_with('.')
}

/// A bare key (letters, digits, `_`, `-`) or a quoted one; returns it and the rest of the line.
fn read_key(text: &str) -> Result<(String, &str), String> {
    if text.starts_with('"') {
        return read_string(text).map_err(|e| format!("a key {e}"));
    }
    let end = text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(text.len());
    if end == 0 {
        return Err(format!("expected `key = \"value\"`, found `{text}`"));
    }
    Ok((text[..end].to_string(), &text[end..]))
}

/// A basic string without escapes (no value here needs one); returns it and the rest.
fn read_string(text: &str) -> Result<(String, &str), String> {
    let body = text.strip_prefix('"').ok_or("is not a \"quoted string\"")?;
    let end = body.find('"').ok_or("has no closing `\"`")?;
    let value = &body[..end];
    if value.contains('\\') {
        return Err("uses a `\\` escape, which this manifest does not read".into());
    }
    Ok((value.to_string(), &body[end + 1..]))
}

/// After a header or a value, only a comment may follow.
fn after_value(rest: &str) -> Result<(), String> {
    let rest = rest.trim();
    if rest.is_empty() || rest.starts_with('#') { Ok(()) } else { Err(format!("unexpected `{rest}` after the value")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REAL: &str = include_str!("../assets/manifest.toml");

    fn with(from: &str, to: &str) -> String {
        assert!(REAL.contains(from), "the manifest has no {from:?}");
        REAL.replacen(from, to, 1)
    }

    fn error(text: &str) -> String {
        Manifest::parse(text, "assets/manifest.toml").expect_err("the manifest should be refused")
    }

    #[test]
    fn the_real_manifest_reads_whole() {
        let m = Manifest::parse(REAL, "assets/manifest.toml").unwrap();
        assert_eq!(m.model.spec, "faceplugin-face-recognition-js@0.0.1");
        assert_eq!(m.model.override_var, "PAIRSCOPE_MODEL_DIR");
        assert_eq!(m.model_files.by_job()[2].1.name, "fr_feature.onnx");
        assert_eq!(m.demo.folder, "package/demo");
        assert_eq!(m.demo_photos.len(), 6);
        assert_eq!(m.demo_photos[0].name, "sample1.jpg");
        assert_eq!(m.onnxruntime.lib_name, "libonnxruntime.so.1.32.0");
        assert_eq!(m.onnxruntime.lib_entry, "onnxruntime/capi/libonnxruntime.so.1.32.0");
    }

    #[test]
    fn a_missing_key_names_the_file_section_and_key() {
        let text = with("abi = \"cp311\"\n", "");
        assert!(error(&text).starts_with("assets/manifest.toml line "), "{}", error(&text));
        assert!(error(&text).ends_with("[onnxruntime] has no key `abi`"), "{}", error(&text));
        assert_eq!(
            error(&REAL.replace("[demo.photos]", "[demo.pictures]")),
            "assets/manifest.toml: the section [demo.photos] is missing"
        );
    }

    #[test]
    fn a_bad_sha256_names_its_line_and_key() {
        let short = with("6c0256ccd3164f84", "6c0256ccd3164f8");
        let line = REAL.lines().position(|l| l.contains("6c0256ccd3164f84")).unwrap() + 1;
        assert!(
            error(&short)
                .starts_with(&format!("assets/manifest.toml line {line}: `sha256` in [model.detect] is not a sha256"))
        );
        let upper = with("6c0256ccd3164f84", "6C0256CCD3164F84");
        assert!(error(&upper).contains("[model.detect] is not a sha256"), "{}", error(&upper));
    }

    #[test]
    fn unknown_and_repeated_keys_and_sections_are_refused() {
        assert!(error(&with("abi = ", "abbi = ")).contains("has no key `abi`"));
        assert!(error(&format!("{REAL}\nextra = \"x\"\n")).contains("unknown key `extra` in [onnxruntime]"));
        assert!(error(&format!("{REAL}\n[extras]\n")).contains("unknown section [extras]"));
        assert!(error(&format!("{REAL}\nabi = \"cp312\"\n")).contains("`abi` again in [onnxruntime]"));
        assert!(error(&format!("{REAL}\n[model]\n")).contains("[model] again (first on line"));
    }

    #[test]
    fn what_this_reader_does_not_read_is_an_error_naming_the_line() {
        assert!(
            error(&with("abi = \"cp311\"", "abi = cp311")).contains("the value of `abi` is not a \"quoted string\"")
        );
        assert!(error(&with("abi = \"cp311\"", "abi = \"cp311")).contains("has no closing"));
        assert!(error(&with("abi = \"cp311\"", "abi = \"cp\\u0031\"")).contains("escape"));
        assert!(error(&with("abi = \"cp311\"", "abi = \"cp311\" x")).contains("unexpected `x`"));
        assert!(error(&with("[model]", "[[model]]")).contains("is not a section"));
        assert!(
            error(&format!("top = \"x\"\n{REAL}"))
                .starts_with("assets/manifest.toml line 1: a key before the first [section]")
        );
        let commented = with("abi = \"cp311\"", "abi = \"cp311\"   # the wheel's ABI tag");
        assert_eq!(Manifest::parse(&commented, "m").unwrap().onnxruntime.abi, "cp311");
    }

    #[test]
    fn values_that_would_escape_a_folder_or_float_a_version_are_refused() {
        assert!(error(&with("\"sample1.jpg\"", "\"../sample1.jpg\"")).contains("is not a plain file name"));
        assert!(error(&with("tarball = \"vladmandic", "tarball = \".vladmandic")).contains("is not a plain file name"));
        assert!(error(&with("@vladmandic/face-api@1.7.15", "@vladmandic/face-api")).contains("must be pinned"));
        assert!(error(&with("abi = \"cp311\"", "abi = \"\"")).contains("`abi` in [onnxruntime] is empty"));
    }
}
