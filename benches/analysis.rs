//! Speed of the analysis engine on 1,000,000 pairs, 16 tags, 3 labelers (every labeler on
//! every pair). Targets (issue 4): a threshold change (operating point + per-tag table +
//! split table) under 16 ms; a full recompute including ROC/AUC and agreement under 100 ms.
//! Issue 12, the path the GUI takes: a verdict or tag updates the prepared snapshot in place
//! (`Prepared::set_label`, on the analysis of all labels and on the blind-only one, as
//! `AnalysisData::apply_label` does), then every table of the Error analysis screen is
//! computed again: under 50 ms. A threshold change computes the same tables.
//!
//! `cargo bench --bench analysis`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use pairscope::analysis::{
    Agreement, LabelBook, MetadataColumn, Prepared, Report, SPLITS, SliceRow, Snapshot, SplitTable, ThresholdRule,
    Truth,
};

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

/// What the Error analysis screen draws at a threshold (as `ui/analysis/error_analysis.rs`
/// asks for it: overall counts, per tag, per value of the first metadata column, the tag
/// combinations of at least 5 pairs, per split).
fn error_analysis_tables(
    p: &Prepared,
    threshold: f64,
) -> (u64, Vec<SliceRow>, Vec<SliceRow>, Vec<SliceRow>, SplitTable) {
    (
        p.confusion_at(threshold).errors(),
        p.tag_table(threshold),
        p.metadata_table(0, threshold).unwrap_or_default(),
        p.tag_pair_table(threshold, 5),
        p.split_table(threshold),
    )
}

/// The GUI's paths: a label edit in place, then the tables; a threshold change.
fn gui_paths(c: &mut Criterion, snap: &Snapshot, prepared: &Prepared) {
    let mut columns = snap.clone();
    let mut book = LabelBook::take(&mut columns).unwrap();
    // The blind-only analysis, which the GUI updates too once a label was given in view.
    let (mut blind, mut blind_book) = (prepared.clone(), book.clone());
    let mut prepared = prepared.clone();
    let threshold = prepared.operating_point(ThresholdRule::MaxAccuracy).unwrap().threshold;
    let mut i = 0usize;
    // A different pair each time, spread over the score order; labeler 0's verdict flipped.
    let mut next = move || {
        i += 1;
        i * 7919 % PAIRS
    };
    let flip = |p: &mut Prepared, book: &mut LabelBook, pair: usize| {
        let label = book.label(pair, 0).unwrap();
        let verdict = match label.verdict {
            Some(Truth::Same) => Truth::Different,
            _ => Truth::Same,
        };
        assert!(p.set_label(&columns, book, pair, 0, Some(verdict), label.tags).unwrap());
    };

    let mut group = c.benchmark_group("gui_label_edit_1M");
    group.bench_function("verdict_in_place", |b| {
        b.iter(|| {
            let pair = next();
            flip(&mut prepared, &mut book, pair);
        })
    });
    group.bench_function("verdict_in_place_then_every_table", |b| {
        b.iter(|| {
            let pair = next();
            flip(&mut prepared, &mut book, pair);
            flip(&mut blind, &mut blind_book, pair);
            black_box((error_analysis_tables(&prepared, threshold), prepared.agreement().fleiss_kappa))
        })
    });
    let mut tag = 0usize;
    group.bench_function("tag_in_place_then_every_table", |b| {
        b.iter(|| {
            let pair = next();
            tag = (tag + 1) % TAGS;
            let label = book.label(pair, 0).unwrap();
            prepared.set_label(&columns, &mut book, pair, 0, label.verdict, label.tags ^ 1 << tag).unwrap();
            blind.set_label(&columns, &mut blind_book, pair, 0, label.verdict, label.tags ^ 1 << tag).unwrap();
            black_box((error_analysis_tables(&prepared, threshold), prepared.agreement().fleiss_kappa))
        })
    });
    group.finish();

    let mut group = c.benchmark_group("gui_threshold_change_1M");
    // The slider: a new threshold each time, after the edits above (tag sets moved in place).
    let mut t = 0.0;
    group.bench_function("every_error_analysis_table", |b| {
        b.iter(|| {
            t = if t > 0.8 { 0.0 } else { t + 0.001 };
            black_box(error_analysis_tables(&prepared, black_box(t)))
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let snap = snapshot();
    let prepared = Prepared::new(&snap).unwrap();
    gui_paths(c, &snap, &prepared);

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
