//! Speed of the analysis engine on 1,000,000 pairs, 16 tags, 3 labelers (every labeler on
//! every pair). Targets (issue 4): a threshold change (operating point + per-tag table +
//! split table) under 16 ms; a full recompute including ROC/AUC and agreement under 100 ms.
//!
//! `cargo bench --bench analysis`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use pairscope::analysis::{Agreement, MetadataColumn, Prepared, Report, SPLITS, Snapshot, ThresholdRule, Truth};

const PAIRS: usize = 1_000_000;
const TAGS: usize = 16;
const LABELERS: usize = 3;

/// xorshift64*: deterministic data without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Roughly normal (sum of four uniforms, centred and scaled).
    fn normal(&mut self) -> f64 {
        ((0..4).map(|_| self.unit()).sum::<f64>() - 2.0) * 1.7
    }
}

fn snapshot() -> Snapshot {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let mut s = Snapshot::with_pairs(
        PAIRS,
        (0..TAGS).map(|t| format!("tag{t}")).collect(),
        (0..LABELERS).map(|l| format!("labeler{l}")).collect(),
    );
    let mut camera = MetadataColumn {
        name: "camera".into(),
        values: (0..8).map(|c| format!("camera{c}")).collect(),
        codes: Vec::with_capacity(PAIRS),
    };
    for p in 0..PAIRS {
        let same = rng.unit() < 0.5;
        let truth = if same { Truth::Same } else { Truth::Different };
        // Scores on a 1e-4 grid, so there are ties as with real similarity scores.
        let score = (if same { 0.6 } else { 0.2 }) + 0.12 * rng.normal();
        s.score[p] = (score * 1e4).round() / 1e4;
        s.truth[p] = Some(truth);
        s.split[p] = Some(SPLITS[(rng.next() % 4) as usize]);
        camera.codes.push(Some((rng.next() % 8) as u32));
        let latent: u64 = (0..TAGS).fold(0, |acc, t| acc | (u64::from(rng.unit() < 0.1) << t));
        for l in 0..LABELERS {
            let verdict = if rng.unit() < 0.95 {
                truth
            } else if same {
                Truth::Different
            } else {
                Truth::Same
            };
            let mut tags = 0u64;
            for t in 0..TAGS {
                let applied = if latent >> t & 1 == 1 { rng.unit() < 0.8 } else { rng.unit() < 0.01 };
                tags |= u64::from(applied) << t;
            }
            s.labels.push(p as u32, l as u32, Some(verdict), tags);
        }
    }
    s.metadata.push(camera);
    s
}

fn benches(c: &mut Criterion) {
    let snap = snapshot();
    let prepared = Prepared::new(&snap).unwrap();

    let mut group = c.benchmark_group("threshold_change_1M");
    // The GUI's slider: a new fixed threshold each time.
    let mut t = 0.0;
    group.bench_function("live_fixed", |b| {
        b.iter(|| {
            t = if t > 0.8 { 0.0 } else { t + 0.001 };
            black_box(prepared.live(ThresholdRule::Fixed(black_box(t))).unwrap())
        })
    });
    group.bench_function("live_max_fpr", |b| {
        b.iter(|| black_box(prepared.live(ThresholdRule::MaxFpr(black_box(1e-3))).unwrap()))
    });
    group.bench_function("live_max_accuracy", |b| {
        b.iter(|| black_box(prepared.live(ThresholdRule::MaxAccuracy).unwrap()))
    });
    group.bench_function("tag_pair_table", |b| b.iter(|| black_box(prepared.tag_pair_table(black_box(0.4), 100))));
    group.bench_function("metadata_table", |b| b.iter(|| black_box(prepared.metadata_table(0, black_box(0.4)))));
    group.finish();

    let mut group = c.benchmark_group("full_recompute_1M");
    group.sample_size(10);
    // Everything after a data change: validate, consensus, HLP, agreement, sorted scores
    // per slice, AUC, then the live tables, the ROC curve for plotting and TPR at FPR.
    group.bench_function("prepare", |b| b.iter(|| black_box(Prepared::new(black_box(&snap)).unwrap())));
    group.bench_function("prepare_live_roc", |b| {
        b.iter(|| {
            let p = Prepared::new(black_box(&snap)).unwrap();
            let live = p.live(ThresholdRule::MaxAccuracy).unwrap();
            let roc = p.roc_curve(true);
            let tpr = p.tpr_at_fpr(1e-4);
            black_box((live, roc, tpr, p.auc(), p.agreement().fleiss_kappa));
        })
    });
    group.bench_function("agreement_only", |b| b.iter(|| black_box(Agreement::compute(black_box(&snap)).unwrap())));
    group.bench_function("validate_only", |b| b.iter(|| snap.validate().unwrap()));
    group.bench_function("report_json", |b| {
        b.iter(|| black_box(Report::new(&prepared, ThresholdRule::MaxAccuracy).unwrap().to_json()))
    });
    group.finish();
}

criterion_group!(analysis, benches);
criterion_main!(analysis);
