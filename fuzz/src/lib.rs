//! What the importer fuzz targets share: a scratch folder with real images and a real project
//! (two pairs, a label, a score), copied afresh for every input so each run starts from the
//! same project and a crash replays exactly.
//!
//! The importers read a path and write a project, and their row checks need the project (pair
//! ids, identities, earlier verdicts), so the targets call them as the CLI does: the input is
//! written to a file in the scratch folder (under /dev/shm when there is one, so a run costs no
//! disk writes) and imported into a fresh copy of the project.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use pairscope::store::Store;

pub struct Scratch {
    dir: PathBuf,
    template: PathBuf,
    /// LFW-shaped (`Ann/Ann_0001.jpg`) and flat (`a.png`) images, all real PNGs.
    pub images: PathBuf,
}

/// The pairs, label and score the template project holds, so inputs can name them.
const PAIRS_CSV: &str = "pair_id,image_a,image_b,truth,split,identity_a,identity_b\n\
    p1,a.png,b.png,same,train,Ann,Ann\n\
    p2,c.png,d.png,different,test,Bob,Cy\n";
const LABELS_CSV: &str = "pair_id,labeler,verdict,tags\np1,cy,same,dark\n";
const SCORES_CSV: &str = "pair_id,score\np1,0.75\n";

impl Scratch {
    /// The process's scratch folder, made on first use.
    pub fn get() -> &'static Scratch {
        static SCRATCH: OnceLock<Scratch> = OnceLock::new();
        SCRATCH.get_or_init(Scratch::make)
    }

    fn make() -> Scratch {
        let base = if Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
        let dir = base.join(format!("pairscope-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let images = dir.join("images");
        for (rel, shade) in [
            ("a.png", 10u8),
            ("b.png", 60),
            ("c.png", 110),
            ("d.png", 160),
            ("Ann/Ann_0001.jpg", 200),
            ("Ann/Ann_0002.jpg", 220),
            ("Bob/Bob_0001.jpg", 240),
        ] {
            let path = images.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            image::RgbImage::from_pixel(4, 3, image::Rgb([shade, 0, 255 - shade]))
                .save_with_format(&path, image::ImageFormat::Png)
                .unwrap();
        }
        let template = dir.join("template.pairscope");
        let mut store = Store::create(&template).unwrap();
        let file = |name: &str, text: &str| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            path
        };
        pairscope::import::import_pairs(&mut store, &file("pairs.csv", PAIRS_CSV), &images, false).unwrap();
        pairscope::import::import_labels(&mut store, &file("labels.csv", LABELS_CSV), false).unwrap();
        pairscope::import::import_scores(&mut store, &file("scores.csv", SCORES_CSV), "fuzz", false).unwrap();
        drop(store);
        Scratch { dir, template, images }
    }

    /// Writes `data` to the scratch file `name` and opens a fresh copy of the template project.
    pub fn input(&self, name: &str, data: &[u8]) -> (PathBuf, Store) {
        let input = self.dir.join(name);
        std::fs::write(&input, data).unwrap();
        let project = self.dir.join("run.pairscope");
        for leftover in ["run.pairscope-wal", "run.pairscope-shm"] {
            let _ = std::fs::remove_file(self.dir.join(leftover));
        }
        std::fs::copy(&self.template, &project).unwrap();
        (input, Store::open(&project).unwrap())
    }
}

/// A yes/no choice taken from the input itself (its length's parity), so both sides of an
/// importer's flag are fuzzed and a crashing input still replays alone.
pub fn flag(data: &[u8]) -> bool {
    data.len() % 2 == 1
}
