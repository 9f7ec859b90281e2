//! File names made from user data (identity names, image paths) that are safe on every
//! filesystem and can never leave the folder they are written into.

use crate::quote::quote;
use std::path::{Component, Path, PathBuf};

/// Names Windows reserves for devices, whatever the extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2",
    "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Longest name we write: well under every filesystem's 255-byte limit, leaving room for
/// the `_NNNN.ext` suffix.
const MAX_LEN: usize = 80;

/// One safe path component: ASCII letters, digits, `-`, `_` and `.` only (anything else
/// becomes `_`), no leading or trailing dot (so never `.`, `..` or hidden), never a Windows
/// device name, never empty, at most 80 bytes.
pub fn safe_component(raw: &str) -> String {
    let mapped: String =
        raw.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    let mut name: String = mapped.trim_matches('.').chars().take(MAX_LEN).collect();
    name = name.trim_end_matches('.').to_string();
    if name.is_empty() {
        name = "unnamed".into();
    }
    if is_reserved(&name) {
        name.insert(0, '_');
    }
    name
}

fn is_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    RESERVED.contains(&stem.as_str())
}

/// Whether `name` could have come out of [`safe_component`] (possibly with a suffix such as
/// `_0001.jpg` added): plain characters, no leading or trailing dot, no device name, at most
/// 200 bytes.
pub fn is_safe_component(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.starts_with('.')
        && !name.ends_with('.')
        && !is_reserved(name)
}

/// A file extension kept from a source path: lower-case ASCII letters and digits, 1–8 of
/// them; anything else (or none) becomes `bin`.
pub fn safe_extension(path: &str) -> String {
    let ext = Path::new(path).extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    if (1..=8).contains(&ext.len()) && ext.chars().all(|c| c.is_ascii_alphanumeric()) { ext } else { "bin".into() }
}

/// `target` joined with `relative` ('/'-separated), refusing anything that could leave
/// `target`: absolute paths, `..`, `.`, empty parts, backslashes, NUL, or any part that is
/// not [`is_safe_component`].
pub fn join_inside(target: &Path, relative: &str) -> Result<PathBuf, String> {
    let refuse = || format!("the path {} would not stay inside {}", quote(relative), target.display());
    if relative.is_empty() || relative.contains('\\') || relative.contains('\0') {
        return Err(refuse());
    }
    let mut out = target.to_path_buf();
    for part in relative.split('/') {
        let mut components = Path::new(part).components();
        match (components.next(), components.next()) {
            (Some(Component::Normal(p)), None) if p == part && is_safe_component(part) => out.push(part),
            _ => return Err(refuse()),
        }
    }
    if !out.starts_with(target) {
        return Err(refuse());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_names_become_safe_components() {
        let cases = [
            ("George_W_Bush", "George_W_Bush"),
            ("../../etc/passwd", "_.._etc_passwd"),
            ("/etc/passwd", "_etc_passwd"),
            ("..", "unnamed"),
            (".", "unnamed"),
            ("", "unnamed"),
            (".hidden", "hidden"),
            ("José María", "Jos__Mar_a"),
            ("a\\b", "a_b"),
            ("nul\0byte", "nul_byte"),
            ("con", "_con"),
            ("LPT1.txt", "_LPT1.txt"),
            ("trailing. ", "trailing._"),
            ("dots...", "dots"),
        ];
        for (raw, safe) in cases {
            assert_eq!(safe_component(raw), safe, "{raw:?}");
        }
        assert_eq!(safe_component(&"x".repeat(500)).len(), MAX_LEN);
        for raw in ["", "..", "a/b", "con.txt", "ünï", &"é".repeat(300)] {
            assert!(is_safe_component(&safe_component(raw)), "{raw:?}");
        }
        let long = format!("{}_0001.jpg", safe_component(&"x".repeat(500)));
        assert!(is_safe_component(&long), "a numbered file of a long identity is still safe");
    }

    #[test]
    fn extensions_are_kept_only_when_plain() {
        assert_eq!(safe_extension("a/b.JPG"), "jpg");
        assert_eq!(safe_extension("a/b.png"), "png");
        assert_eq!(safe_extension("noext"), "bin");
        assert_eq!(safe_extension("x.j p g"), "bin");
        assert_eq!(safe_extension("x.../../"), "bin");
    }

    #[test]
    fn joins_refuse_every_escape() {
        let target = Path::new("/tmp/export");
        assert_eq!(join_inside(target, "images/a/a_0001.jpg").unwrap(), target.join("images/a/a_0001.jpg"));
        for bad in [
            "../x",
            "images/../../x",
            "/etc/passwd",
            "images//x",
            "./x",
            "x/.",
            "a\\..\\b",
            "",
            "x\0y",
            ".hidden",
            "con",
            "white space",
        ] {
            assert!(join_inside(target, bad).is_err(), "{bad:?} was accepted");
        }
    }
}
