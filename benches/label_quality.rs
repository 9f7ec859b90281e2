//! Label quality on LFW (issue 15): with 2 % of `pairs.txt`'s truths flipped at random, how
//! many of the flipped pairs are among the first 2N of "Likely wrong truth" (N = the number
//! flipped), with the built-in model alone and with three simulated labelers of 90 %
//! accuracy; and how long one computation takes. Prints figures; asserts nothing.
//!
//! Then the same computation on a million synthetic pairs (scores, truths and three labelers'
//! verdicts on every pair), which is what the app recomputes after a label change there.
//!
//! The scored LFW project comes from `PAIRSCOPE_LFW_PROJECT` (read only), or is made in a
//! temporary folder with `import-lfw` and `embed` (13,233 images: minutes).
//!
//!     cargo bench --bench label_quality

#[path = "common/child_run.rs"]
mod child_run;

use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::Instant;

use pairscope::analysis::label_quality::{LabelQuality, QualityInput};
use pairscope::analysis::snapshot::{Snapshot, Truth};
use pairscope::rng::SeededRng;
use pairscope::store::{QualityFacts, Store};

const SEEDS: u64 = 5;
const FLIP_SHARE: f64 = 0.02;
const LABELERS: u32 = 3;
const LABELER_ACCURACY: f64 = 0.9;

fn lfw_project(tmp: &tempfile::TempDir) -> PathBuf {
    if let Some(path) = std::env::var_os("PAIRSCOPE_LFW_PROJECT") {
        return path.into();
    }
    let lfw = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets/lfw");
    let project = tmp.path().join("lfw.pairscope");
    let os = |s: &str| OsStr::new(s).to_owned();
    let (pairs, images) = (lfw.join("pairs.txt"), lfw.join("images"));
    let import = [os("import-lfw"), project.clone().into(), os("--pairs"), pairs.into(), os("--images"), images.into()];
    let refs: Vec<&OsStr> = import.iter().map(|s| s.as_os_str()).collect();
    child_run::pairscope(&refs);
    let embed = [os("embed"), project.clone().into(), os("--quiet")];
    let refs: Vec<&OsStr> = embed.iter().map(|s| s.as_os_str()).collect();
    let run = child_run::pairscope(&refs);
    println!("scored LFW in {:.0} s (peak RSS {} MB)", run.wall.as_secs_f64(), run.peak_rss >> 20);
    let _ = run.stdout;
    project
}

fn opposite(t: Truth) -> Truth {
    if t == Truth::Same { Truth::Different } else { Truth::Same }
}

/// Share of the flipped pairs among the first 2N of the queue.
fn recall(quality: &LabelQuality, flipped: &[usize]) -> f64 {
    let top: Vec<u32> = quality.likely_wrong_truth.iter().take(2 * flipped.len()).copied().collect();
    flipped.iter().filter(|&&p| top.contains(&(p as u32))).count() as f64 / flipped.len() as f64
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let project = lfw_project(&tmp);
    let mut store = Store::open_to_read(&project).unwrap();
    let (snapshot, facts): (Snapshot, QualityFacts) = store
        .read(|tx| {
            let model = tx.choose_model(None)?;
            let p = tx.snapshot(model.map(|m| m.id))?;
            let facts = tx.quality_facts(&p.pair_ids, &p.labeler_ids)?;
            Ok((p.snapshot, facts))
        })
        .unwrap();
    let eligible: Vec<usize> =
        (0..snapshot.pair_count()).filter(|&p| snapshot.truth[p].is_some() && !snapshot.score[p].is_nan()).collect();
    let n_flip = (eligible.len() as f64 * FLIP_SHARE).round() as usize;
    println!(
        "LFW: {} pairs, {} scored with a truth; flipping {n_flip} ({:.0} %) per seed",
        snapshot.pair_count(),
        eligible.len(),
        FLIP_SHARE * 100.0
    );
    println!("{:>4} {:>14} {:>18} {:>10} {:>10}", "seed", "model alone", "+3 labelers @90%", "queue", "queue+lab");
    let (mut sum_alone, mut sum_crowd) = (0.0, 0.0);
    let mut times = Vec::new();
    for seed in 1..=SEEDS {
        let mut rng = SeededRng::new(seed);
        let mut order = eligible.clone();
        rng.shuffle(&mut order);
        let flipped: Vec<usize> = order[..n_flip].to_vec();
        let mut s = snapshot.clone();
        let real = s.truth.clone();
        for &p in &flipped {
            s.truth[p] = s.truth[p].map(opposite);
        }
        let mut input = |s: &Snapshot, history: &[Vec<(u32, Option<u64>)>]| -> LabelQuality {
            let started = Instant::now();
            let q =
                LabelQuality::compute(&QualityInput { snapshot: s, groups: &facts.groups, gold: &facts.gold, history });
            times.push(started.elapsed().as_secs_f64());
            q
        };
        let alone = input(&s, &[]);

        // Three labelers, each right about the photos with probability 0.9, on every pair.
        let mut crowd = s.clone();
        crowd.labeler_names = (0..LABELERS).map(|l| format!("sim-{l}")).collect();
        for (p, truth) in real.iter().enumerate() {
            let Some(truth) = *truth else { continue };
            for l in 0..LABELERS {
                let verdict = if rng.unit() < LABELER_ACCURACY { truth } else { opposite(truth) };
                crowd.labels.push(p as u32, l, Some(verdict), 0);
            }
        }
        let with_labelers = input(&crowd, &[]);
        let (a, c) = (recall(&alone, &flipped), recall(&with_labelers, &flipped));
        sum_alone += a;
        sum_crowd += c;
        println!(
            "{seed:>4} {:>13.1}% {:>17.1}% {:>10} {:>10}",
            a * 100.0,
            c * 100.0,
            alone.likely_wrong_truth.len(),
            with_labelers.likely_wrong_truth.len()
        );
    }
    println!(
        "mean {:>13.1}% {:>17.1}%   (flipped pairs in the first 2N of Likely wrong truth)",
        sum_alone / SEEDS as f64 * 100.0,
        sum_crowd / SEEDS as f64 * 100.0
    );
    times.sort_by(f64::total_cmp);
    println!(
        "one label-quality computation: median {:.0} ms over {} runs",
        times[times.len() / 2] * 1000.0,
        times.len()
    );
    million();
}

/// A million pairs, each a group of its own, with three labelers on every pair: what the app
/// recomputes after a label change on such a project.
fn million() {
    const N: usize = 1_000_000;
    let mut rng = SeededRng::new(7);
    let mut s = Snapshot::with_pairs(N, vec![], (0..LABELERS).map(|l| format!("sim-{l}")).collect());
    for p in 0..N {
        let same = rng.unit() < 0.5;
        let noise = rng.unit() - 0.5;
        s.score[p] = if same { 0.6 + noise * 0.6 } else { 0.1 + noise * 0.6 };
        let truth = if same { Truth::Same } else { Truth::Different };
        s.truth[p] = Some(truth);
        for l in 0..LABELERS {
            let verdict = if rng.unit() < LABELER_ACCURACY { truth } else { opposite(truth) };
            s.labels.push(p as u32, l, Some(verdict), 0);
        }
    }
    let groups: Vec<u32> = (0..N as u32).collect();
    let gold = vec![false; N];
    let mut times = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let q = LabelQuality::compute(&QualityInput { snapshot: &s, groups: &groups, gold: &gold, history: &[] });
        times.push(started.elapsed().as_secs_f64());
        std::hint::black_box(q);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "a million pairs, 3 labelers on each: one label-quality computation {:.2} s (median of 3; {:.2}-{:.2} s)",
        times[1], times[0], times[2]
    );
}
