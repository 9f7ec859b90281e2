//! The brightness and sharpness behind the suggested `dark` and `blurry` tags, on the shared
//! datasets: their distribution (percentiles) per dataset, and how many images and pairs each
//! cut-off flags, with the flagged files named so they can be looked at. Prints figures;
//! asserts nothing.
//!
//! The measures are those scoring stores (`face_stats` when a face was aligned, else the whole
//! photo's). Datasets: a sample of LFW (every pair of `pairs.txt` in steps, until about 500
//! images), sitcom (every two images form a pair), celebrity-pairs (`pairs.csv`).
//!
//!     cargo bench --bench image_quality
//!
//! (or `cargo test --bench image_quality`, which runs the same `main` unoptimised, from the
//! debug build).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use pairscope::analysis::image_quality::{BLURRY_BELOW, DARK_BELOW};
use pairscope::face::{BatchOptions, FaceEngine, ImageJob};

const LFW_SAMPLE: usize = 500;
const PERCENTILES: [f64; 9] = [0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99];

struct Dataset {
    name: &'static str,
    images: Vec<PathBuf>,
    /// Indices into `images`.
    pairs: Vec<(usize, usize)>,
}

fn datasets_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets")
}

fn index_of(images: &mut Vec<PathBuf>, index: &mut BTreeMap<PathBuf, usize>, path: PathBuf) -> usize {
    *index.entry(path.clone()).or_insert_with(|| {
        images.push(path);
        images.len() - 1
    })
}

fn lfw() -> Dataset {
    let root = datasets_root().join("lfw");
    let text = std::fs::read_to_string(root.join("pairs.txt")).expect("lfw/pairs.txt");
    let photo = |name: &str, n: &str| root.join(format!("images/{name}/{name}_{:04}.jpg", n.parse::<u32>().unwrap()));
    let lines: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split_whitespace().collect()).collect();
    let (mut images, mut index, mut pairs) = (Vec::new(), BTreeMap::new(), Vec::new());
    // Every 5th line spreads the sample over the ten folds, same and different pairs alike.
    for f in lines.iter().step_by(5) {
        let (a, b) = match f.as_slice() {
            [name, i, j] => (photo(name, i), photo(name, j)),
            [n1, i, n2, j] => (photo(n1, i), photo(n2, j)),
            _ => continue,
        };
        if !a.exists() || !b.exists() {
            continue;
        }
        let (a, b) = (index_of(&mut images, &mut index, a), index_of(&mut images, &mut index, b));
        pairs.push((a, b));
        if images.len() >= LFW_SAMPLE {
            break;
        }
    }
    Dataset { name: "lfw (sample)", images, pairs }
}

fn sitcom() -> Dataset {
    let root = datasets_root().join("sitcom");
    let mut images: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("sitcom/")
        .flat_map(|person| std::fs::read_dir(person.unwrap().path()).unwrap().map(|e| e.unwrap().path()))
        .collect();
    images.sort();
    let n = images.len();
    let pairs = (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).collect();
    Dataset { name: "sitcom", images, pairs }
}

fn celebrity_pairs() -> Dataset {
    let root = datasets_root().join("celebrity-pairs");
    let text = std::fs::read_to_string(root.join("pairs.csv")).expect("celebrity-pairs/pairs.csv");
    let (mut images, mut index, mut pairs) = (Vec::new(), BTreeMap::new(), Vec::new());
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let (a, b) = (root.join(cells[0]), root.join(cells[1]));
        pairs.push((index_of(&mut images, &mut index, a), index_of(&mut images, &mut index, b)));
    }
    Dataset { name: "celebrity-pairs", images, pairs }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn print_percentiles(label: &str, values: &[f64]) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let cells: Vec<String> = PERCENTILES.iter().map(|&p| format!("{:>9.3}", percentile(&sorted, p))).collect();
    println!("  {label:<28}{}", cells.join(""));
}

/// The rule before issue 17's fix: the lowest tenth of the per-pair values (the lower of a
/// pair's two photos), pair by pair.
fn lowest_tenth_per_pair(pair_values: &[f64]) -> f64 {
    let mut sorted = pair_values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 10).copied().unwrap_or(0.0)
}

fn file_name(p: &Path) -> String {
    let parent = p.parent().and_then(|d| d.file_name()).map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
    format!("{parent}/{}", p.file_name().unwrap().to_string_lossy())
}

fn report(engine: &FaceEngine, d: &Dataset) {
    let jobs: Vec<ImageJob> =
        d.images.iter().enumerate().map(|(i, path)| ImageJob { id: i as i64, path: path.clone() }).collect();
    // (stored brightness, stored sharpness, whole-photo brightness, face found)
    let mut measured = vec![None; jobs.len()];
    engine
        .run_batch(&jobs, &BatchOptions::default(), &AtomicBool::new(false), |r| {
            let stored = r.face_stats.or(r.image_stats);
            if let (Some(s), Some(whole)) = (stored, r.image_stats) {
                measured[r.id as usize] = Some((
                    f64::from(s.brightness),
                    f64::from(s.sharpness),
                    f64::from(whole.brightness),
                    r.face_stats.is_some(),
                ));
            }
        })
        .expect("the face pipeline runs");
    let ok: Vec<usize> = (0..jobs.len()).filter(|&i| measured[i].is_some()).collect();
    let m = |i: usize| measured[i].unwrap();
    let faces = ok.iter().filter(|&&i| m(i).3).count();
    println!("\n== {}: {} images measured ({} with an aligned face), {} pairs", d.name, ok.len(), faces, d.pairs.len());
    let head: Vec<String> = PERCENTILES.iter().map(|p| format!("{:>9}", format!("p{}", (p * 100.0).round()))).collect();
    println!("  {:<28}{}", "per image", head.join(""));
    print_percentiles("brightness (stored)", &ok.iter().map(|&i| m(i).0).collect::<Vec<_>>());
    print_percentiles("brightness (whole photo)", &ok.iter().map(|&i| m(i).2).collect::<Vec<_>>());
    print_percentiles("sharpness (stored)", &ok.iter().map(|&i| m(i).1).collect::<Vec<_>>());

    let scored: Vec<(usize, usize)> =
        d.pairs.iter().copied().filter(|&(a, b)| measured[a].is_some() && measured[b].is_some()).collect();
    type Pick = fn((f64, f64, f64, bool)) -> f64;
    let measures: [(&str, &str, Pick, f64); 2] =
        [("dark", "brightness", |x| x.0, DARK_BELOW), ("blurry", "sharpness", |x| x.1, BLURRY_BELOW)];
    for (tag, measure, pick, fixed) in measures {
        let pair_values: Vec<f64> = scored.iter().map(|&(a, b)| pick(m(a)).min(pick(m(b)))).collect();
        let tenth = lowest_tenth_per_pair(&pair_values);
        let before_pairs = pair_values.iter().filter(|&&v| v < tenth).count();
        let mut before_images: Vec<usize> = scored
            .iter()
            .zip(&pair_values)
            .filter(|(_, v)| **v < tenth)
            .map(|(&(a, b), _)| if pick(m(a)) <= pick(m(b)) { a } else { b })
            .collect();
        before_images.sort();
        before_images.dedup();
        let after: Vec<usize> = ok.iter().copied().filter(|&i| pick(m(i)) < fixed).collect();
        let after_pairs = scored.iter().filter(|&&(a, b)| after.contains(&a) || after.contains(&b)).count();
        println!("  {tag} ({measure}):");
        println!(
            "    before, lowest tenth per pair (< {tenth:.3}): {before_pairs} pairs flagged, {} distinct images",
            before_images.len()
        );
        for &i in before_images.iter().take(8) {
            println!("      {} {measure} {:.3}", file_name(&d.images[i]), pick(m(i)));
        }
        println!("    after, per image (< {fixed}): {} images flagged, in {after_pairs} pairs", after.len());
        for &i in after.iter().take(12) {
            println!("      {} {measure} {:.3}", file_name(&d.images[i]), pick(m(i)));
        }
    }
}

fn main() {
    let engine = FaceEngine::builtin().expect("the embedded face model loads");
    for d in [celebrity_pairs(), sitcom(), lfw()] {
        report(&engine, &d);
    }
}
