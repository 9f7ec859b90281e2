//! Throughput of the whole face pipeline (decode → pad → detect → landmarks → align → embed) on
//! real LFW photos, for several ways of spreading the work over the cores.
//!
//! `cargo bench --bench face_pipeline`; criterion prints images/s as "thrpt". The Python
//! reference of the same pipeline took about 76 ms per image on 2 cores (13 images/s).

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use pairscope::face::{BatchOptions, FaceEngine, ImageJob};

/// Images per iteration: the first photos of LFW in name order.
const IMAGES: usize = 100;

fn lfw_jobs() -> Vec<ImageJob> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets/lfw/images");
    let mut people: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("the LFW photos are missing at {}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .collect();
    people.sort();
    let mut paths = Vec::new();
    for person in people {
        let mut photos: Vec<PathBuf> = std::fs::read_dir(person).unwrap().map(|e| e.unwrap().path()).collect();
        photos.sort();
        paths.extend(photos);
        if paths.len() >= IMAGES {
            break;
        }
    }
    paths.truncate(IMAGES);
    paths.into_iter().enumerate().map(|(i, path)| ImageJob { id: i as i64, path }).collect()
}

fn bench_pipeline(c: &mut Criterion) {
    let engine = FaceEngine::builtin().expect("the embedded face model loads");
    let jobs = lfw_jobs();
    let mut group = c.benchmark_group("face_pipeline_lfw");
    group.sampling_mode(SamplingMode::Flat).sample_size(10).warm_up_time(Duration::from_secs(3));
    group.measurement_time(Duration::from_secs(15)).throughput(Throughput::Elements(jobs.len() as u64));

    let configs = [
        ("default", BatchOptions::default()),
        (
            "workers2_decode1_intra1",
            BatchOptions { workers: 2, decode_threads: 1, intra_threads: 1, ..Default::default() },
        ),
        (
            "workers1_decode1_intra2",
            BatchOptions { workers: 1, decode_threads: 1, intra_threads: 2, ..Default::default() },
        ),
        (
            "workers1_decode1_intra1",
            BatchOptions { workers: 1, decode_threads: 1, intra_threads: 1, ..Default::default() },
        ),
    ];
    for (name, options) in configs {
        group.bench_function(name, |b| {
            b.iter(|| {
                let summary = engine.run_batch(&jobs, &options, &AtomicBool::new(false), |_| {}).unwrap();
                assert_eq!(summary.delivered, jobs.len());
            })
        });
    }
    group.bench_function("serial_process", |b| {
        b.iter(|| {
            for job in &jobs {
                engine.process(job.id, &job.path).unwrap();
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_pipeline);
criterion_main!(benches);
