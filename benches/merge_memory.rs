//! Peak memory of `merge-labels` with 600,000 labels in the other project (issue 14, item 11:
//! target under 300 MB).
//!
//! `cargo bench --bench merge_memory` prints the figures. Two real projects are built once into
//! `target/bench/merge/` the way a user would, by the `pairscope` binary from CSV files:
//! 200,000 pairs of LFW photos (`../shared/datasets/lfw/images`, read in place), then
//! - `base.pairscope`: the pairs, with ana's own verdicts on the first 1,000 pairs (each the
//!   opposite of the other copy's, so 1,000 conflicts);
//! - `labeled.pairscope`: a copy of the pairs labeled elsewhere: three labelers × 200,000 pairs
//!   = 600,000 label rows (a verdict each, and a tag on about one in four).
//!
//! Each run copies `base.pairscope` to `merged.pairscope` and runs `pairscope merge-labels
//! merged.pairscope --from labeled.pairscope` as a child process, whose wall time and peak RSS
//! (`wait4`) are the figures. `PAIRSCOPE_BIN` runs another build of the binary instead (a
//! baseline kept aside); `PAIRSCOPE_MERGE_REBUILD=1` builds the projects again.

#[path = "common/child_run.rs"]
mod child_run;

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};

use child_run::pairscope;
use pairscope::rng::SeededRng;

const PAIRS: usize = 200_000;
const LABELERS: [&str; 3] = ["ana", "ben", "cy"];
const TAGS: [&str; 4] = ["dark", "blurry", "glasses", "profile"];
/// Pairs on which `base.pairscope` already has ana's (opposite) verdict.
const CONFLICTS: usize = 1_000;
const TARGET_BYTES: u64 = 300_000_000;

fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench/merge")
}

fn lfw_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().join("shared/datasets/lfw/images")
}

/// Every LFW photo, relative to the images folder, sorted.
fn lfw_images() -> Vec<String> {
    let mut files = Vec::new();
    for person in std::fs::read_dir(lfw_root()).expect("../shared/datasets/lfw/images") {
        let person = person.unwrap();
        for photo in std::fs::read_dir(person.path()).unwrap() {
            let photo = photo.unwrap();
            files.push(format!("{}/{}", person.file_name().to_str().unwrap(), photo.file_name().to_str().unwrap()));
        }
    }
    files.sort();
    files
}

fn copy_project(from: &Path, to: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let (from, to) = (with_suffix(from, suffix), with_suffix(to, suffix));
        let _ = std::fs::remove_file(&to);
        if from.exists() {
            std::fs::copy(from, to).unwrap();
        }
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// Writes the CSV files and builds both projects (once).
fn projects(dir: &Path) -> (PathBuf, PathBuf) {
    let (base, labeled) = (dir.join("base.pairscope"), dir.join("labeled.pairscope"));
    let done = dir.join("projects.done");
    if done.is_file() && std::env::var_os("PAIRSCOPE_MERGE_REBUILD").is_none() {
        return (base, labeled);
    }
    let _ = std::fs::remove_file(&done);
    std::fs::create_dir_all(dir).unwrap();
    eprintln!("writing the inputs and building the projects in {} (once)…", dir.display());
    let photos = lfw_images();
    let mut rng = SeededRng::new(14);
    let mut seen = std::collections::HashSet::with_capacity(PAIRS);
    let file = |name: &str| std::io::BufWriter::new(std::fs::File::create(dir.join(name)).unwrap());
    let (mut pairs, mut labels, mut ours) = (file("pairs.csv"), file("labels.csv"), file("ours.csv"));
    writeln!(pairs, "pair_id,image_a,image_b").unwrap();
    writeln!(labels, "pair_id,labeler,verdict,tags").unwrap();
    writeln!(ours, "pair_id,labeler,verdict,tags").unwrap();
    let n = photos.len() as u64;
    while seen.len() < PAIRS {
        let (a, b) = (rng.below(n) as usize, rng.below(n) as usize);
        if a == b || !seen.insert((a.min(b), a.max(b))) {
            continue;
        }
        let id = format!("p{:06}", seen.len() - 1);
        writeln!(pairs, "{id},{},{}", photos[a], photos[b]).unwrap();
        for labeler in LABELERS {
            let same = rng.below(2) == 0;
            let tag = if rng.below(4) == 0 { TAGS[rng.below(TAGS.len() as u64) as usize] } else { "" };
            let verdict = if same { "same" } else { "different" };
            writeln!(labels, "{id},{labeler},{verdict},{tag}").unwrap();
            if labeler == "ana" && seen.len() <= CONFLICTS {
                writeln!(ours, "{id},{labeler},{},", if same { "different" } else { "same" }).unwrap();
            }
        }
    }
    for mut f in [pairs, labels, ours] {
        f.flush().unwrap();
    }
    let pairs_only = dir.join("pairs-only.pairscope");
    for p in [&base, &labeled, &pairs_only] {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(p, suffix));
        }
    }
    let csv = |name: &str| dir.join(name).into_os_string();
    let os = OsStr::new;
    eprintln!("import-pairs…");
    let images = lfw_root();
    pairscope(&[
        os("import-pairs"),
        pairs_only.as_os_str(),
        os("--csv"),
        &csv("pairs.csv"),
        os("--images"),
        images.as_os_str(),
    ]);
    copy_project(&pairs_only, &base);
    copy_project(&pairs_only, &labeled);
    eprintln!("import-labels (600,000 rows)…");
    pairscope(&[os("import-labels"), labeled.as_os_str(), os("--csv"), &csv("labels.csv")]);
    pairscope(&[os("import-labels"), base.as_os_str(), os("--csv"), &csv("ours.csv")]);
    std::fs::write(done, "").unwrap();
    (base, labeled)
}

fn main() {
    // `cargo test --benches` runs this without `--bench`: build nothing then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let dir = bench_dir();
    let (base, labeled) = projects(&dir);
    let merged = dir.join("merged.pairscope");
    copy_project(&base, &merged);
    let run = pairscope(&[OsStr::new("merge-labels"), merged.as_os_str(), OsStr::new("--from"), labeled.as_os_str()]);
    println!("{}", run.stdout.lines().next().unwrap_or(""));
    let pass = if run.peak_rss < TARGET_BYTES { "pass" } else { "FAIL" };
    println!(
        "merge-labels, {} label rows from {PAIRS} pairs: peak RSS {:.0} MB (target < {:.0} MB: {pass}), wall {:.1} s",
        PAIRS * LABELERS.len(),
        run.peak_rss as f64 / 1e6,
        TARGET_BYTES as f64 / 1e6,
        run.wall.as_secs_f64()
    );
}
