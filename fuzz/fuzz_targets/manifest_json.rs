//! `manifest.json` through `verify_export`, as `pairscope verify-export` runs it, in an export
//! folder that holds the manifest and two real files.
#![no_main]
use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn export_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = if std::path::Path::new("/dev/shm").is_dir() { "/dev/shm".into() } else { std::env::temp_dir() };
        let dir = base.join(format!("pairscope-fuzz-export-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("images/ann")).unwrap();
        std::fs::write(dir.join("pairs.csv"), "pair_id,image_a,image_b\n").unwrap();
        std::fs::write(dir.join("images/ann/ann_0001.jpg"), b"not really a photo").unwrap();
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = export_dir();
    std::fs::write(dir.join("manifest.json"), data).unwrap();
    let _ = pairscope::curate::verify_export(dir);
});
