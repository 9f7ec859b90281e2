//! All-vs-all comparisons (issue 13): every image against every other one.
//!
//! - LFW-sized: 7,437 × 512 seeded random normalised vectors (they cost what real
//!   embeddings cost), with LFW's identities (the folder sizes of `../shared/datasets/lfw`
//!   in name order; one identity per image if that folder is absent). Target ≤ 1 s on 2 cores
//!   and faster than numpy: the same vectors are written to `target/bench/` and
//!   `tools/all_vs_all_numpy.py` runs on them in the same run, with `$PAIRSCOPE_PYTHON`
//!   (default `python3`) when it can import numpy.
//! - 100,000 × 512 synthetic (5 billion comparisons), once, outside criterion's sampling:
//!   time and peak RSS (VmHWM, reset first), with progress. Skip it with
//!   `ALL_VS_ALL_SKIP_100K=1`.
//!
//! `cargo bench --bench all_vs_all`

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use criterion::{Criterion, criterion_group};
use pairscope::analysis::TPR_AT_FPR;
use pairscope::analysis::all_vs_all::{AllVsAll, Input, Options, compare_all, max_false_accepts, pair_counts};
use pairscope::rng::SeededRng;

const DIM: usize = 512;
const LFW_IMAGES: usize = 7_437;

fn vectors(rows: usize, seed: u64) -> Vec<f32> {
    let mut rng = SeededRng::new(seed);
    let mut out = Vec::with_capacity(rows * DIM);
    for _ in 0..rows {
        // Sum of uniforms: roughly normal, so directions are uniform enough.
        let v: Vec<f32> = (0..DIM).map(|_| ((0..3).map(|_| rng.unit()).sum::<f64>() - 1.5) as f32).collect();
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        out.extend(v.iter().map(|x| x / norm));
    }
    out
}

fn lfw_identities() -> Vec<u32> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets/lfw/images");
    let mut people: Vec<_> =
        std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    people.sort();
    let mut ids = Vec::with_capacity(LFW_IMAGES);
    for (person, folder) in people.iter().enumerate() {
        let photos = std::fs::read_dir(folder).map_or(0, |d| d.count());
        ids.extend(std::iter::repeat_n(person as u32, photos));
    }
    let next = ids.len() as u32 + 1_000_000;
    ids.extend(next..next + LFW_IMAGES as u32); // one identity per image, if LFW is absent
    ids.truncate(LFW_IMAGES);
    ids
}

fn options(identities: &[u32]) -> Options {
    let (_, impostors) = pair_counts(identities);
    let limits = TPR_AT_FPR.iter().map(|&(_, f)| max_false_accepts(f, impostors)).collect();
    Options { threads: 0, keep: 200, false_accept_limits: limits }
}

fn run(vectors: &[f32], identities: &[u32], progress: &(dyn Fn(u64, u64) + Sync)) -> AllVsAll {
    compare_all(Input { vectors, dim: DIM, identities }, &options(identities), &AtomicBool::new(false), &|p| {
        progress(p.done, p.total)
    })
    .expect("valid input")
}

fn summary(r: &AllVsAll) -> String {
    let t = |i: usize| r.thresholds[i].threshold.map_or("none".into(), |t| format!("{t:.6}"));
    format!(
        "genuine {} impostors {} threshold@1e-3 {} false_accepts@1e-3 {} hardest {:.6}",
        r.genuine,
        r.impostors,
        t(2),
        r.thresholds[2].false_accepts,
        r.hardest_impostors.first().map_or(f32::NAN, |p| p.score)
    )
}

fn benches(c: &mut Criterion) {
    let data = vectors(LFW_IMAGES, 0x5EED_0001);
    let identities = lfw_identities();
    let (g, i) = pair_counts(&identities);
    println!("LFW-sized: {LFW_IMAGES} x {DIM}, {g} genuine + {i} impostor comparisons");
    let mut group = c.benchmark_group("all_vs_all");
    group.sample_size(10);
    group.bench_function("lfw_7437x512", |b| b.iter(|| black_box(run(&data, &identities, &|_, _| {}))));
    group.finish();
    let (started, cpu) = (Instant::now(), cpu_seconds());
    let result = run(&data, &identities, &|_, _| {});
    println!(
        "pairscope: {:.3} s wall, {:.3} s CPU (all threads; one run)  {}",
        started.elapsed().as_secs_f64(),
        cpu_seconds() - cpu,
        summary(&result)
    );
    numpy(&data, &identities);
}

/// The same computation with numpy (OpenBLAS), on the same vectors, when numpy is there.
fn numpy(data: &[f32], identities: &[u32]) {
    let python = std::env::var("PAIRSCOPE_PYTHON").unwrap_or_else(|_| "python3".into());
    let has_numpy = Command::new(&python).args(["-c", "import numpy"]).status().is_ok_and(|s| s.success());
    if !has_numpy {
        println!("numpy: skipped ({python} cannot import numpy; set PAIRSCOPE_PYTHON)");
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir).expect("target/bench");
    let (vectors_file, ids_file) = (dir.join("all_vs_all_vectors.f32"), dir.join("all_vs_all_identities.u32"));
    std::fs::write(&vectors_file, data.iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<u8>>()).expect("write");
    std::fs::write(&ids_file, identities.iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<u8>>()).expect("write");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/all_vs_all_numpy.py");
    let out = Command::new(&python)
        .arg(script)
        .args([&vectors_file, &ids_file])
        .args(["--dim", &DIM.to_string(), "--repeat", "3"])
        .output()
        .expect("running the numpy script");
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
}

/// User + system CPU time of this process, all threads: what the run costs whatever else
/// the machine is doing (wall time on a busy 2-core machine is not).
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 * 1e-6;
    t(usage.ru_utime) + t(usage.ru_stime)
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// 100,000 synthetic embeddings, 10 per identity: 5 billion comparisons.
fn hundred_thousand() {
    if std::env::var_os("ALL_VS_ALL_SKIP_100K").is_some() {
        return;
    }
    let rows = 100_000;
    let data = vectors(rows, 0x5EED_0002);
    let identities: Vec<u32> = (0..rows as u32).map(|i| i / 10).collect();
    let rss_input = peak_rss_kib();
    // Reset the peak to what is resident now (Linux), so the run's own peak shows.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let (started, cpu) = (Instant::now(), cpu_seconds());
    let last = AtomicU64::new(0);
    let result = run(&data, &identities, &|done, total| {
        let tenth = done * 10 / total;
        if last.fetch_max(tenth, Ordering::Relaxed) < tenth {
            eprintln!("  100k: {}% after {:.0} s", tenth * 10, started.elapsed().as_secs_f64());
        }
    });
    println!(
        "100,000 x {DIM}: {} comparisons in {:.1} s wall, {:.1} s CPU; peak RSS {} MiB during the run (input alone {} MiB, peak before {} MiB); {}",
        result.genuine + result.impostors,
        started.elapsed().as_secs_f64(),
        cpu_seconds() - cpu,
        peak_rss_kib().unwrap_or(0) / 1024,
        rows * DIM * 4 / (1 << 20),
        rss_input.unwrap_or(0) / 1024,
        summary(&result)
    );
}

criterion_group!(all_vs_all, benches);

fn main() {
    all_vs_all();
    hundred_thousand();
    Criterion::default().configure_from_args().final_summary();
}
