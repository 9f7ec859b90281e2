//! Properties that must hold on any project (proptest): metrics stay in range, the order of
//! pairs and labels changes nothing, identical labelers agree perfectly, AUC ignores
//! monotone score transforms, and the fast per-threshold tables equal a plain recount.

use proptest::prelude::*;

use super::*;

/// A pair: (score on a 0.05 grid or None, truth, split, tag override).
type PairSpec = (Option<i8>, Option<bool>, Option<u8>, Option<u8>);
/// A label: (pair, labeler, verdict, tags), indices taken modulo the sizes.
type LabelSpec = (u16, u8, Option<bool>, u8);

fn build(tags: usize, labelers: usize, pairs: &[PairSpec], labels: &[LabelSpec]) -> Snapshot {
    let mut s = Snapshot::with_pairs(
        pairs.len(),
        (0..tags).map(|t| format!("tag{t}")).collect(),
        (0..labelers).map(|l| format!("labeler{l}")).collect(),
    );
    let mask = tag_mask(tags);
    let truth = |b: bool| if b { Truth::Same } else { Truth::Different };
    for (p, &(score, t, split, over)) in pairs.iter().enumerate() {
        s.score[p] = score.map_or(f64::NAN, |x| f64::from(x) * 0.05);
        s.truth[p] = t.map(truth);
        s.split[p] = split.map(|x| SPLITS[x as usize % 4]);
        s.consensus_override[p] = over.filter(|o| o % 5 == 0).map(|o| u64::from(o) & mask);
    }
    s.metadata.push(MetadataColumn {
        name: "parity".into(),
        values: vec!["even".into(), "odd".into()],
        codes: (0..pairs.len()).map(|p| (p % 3 != 2).then_some((p % 2) as u32)).collect(),
    });
    if !pairs.is_empty() {
        let mut seen = std::collections::HashSet::new();
        for &(p, l, v, bits) in labels {
            let (p, l) = (p as usize % pairs.len(), l as usize % labelers);
            if seen.insert((p, l)) {
                s.labels.push(p as u32, l as u32, v.map(truth), u64::from(bits) & mask);
            }
        }
    }
    s
}

pub(super) fn snapshots() -> impl Strategy<Value = Snapshot> {
    (0usize..5, 1usize..5).prop_flat_map(|(tags, labelers)| {
        let pair = (
            prop::option::weighted(0.9, -40i8..40),
            prop::option::weighted(0.9, any::<bool>()),
            prop::option::weighted(0.8, any::<u8>()),
            prop::option::of(any::<u8>()),
        );
        let label = (any::<u16>(), any::<u8>(), prop::option::weighted(0.85, any::<bool>()), any::<u8>());
        (prop::collection::vec(pair, 0..50), prop::collection::vec(label, 0..120))
            .prop_map(move |(pairs, labels)| build(tags, labelers, &pairs, &labels))
    })
}

fn rules() -> impl Strategy<Value = ThresholdRule> {
    prop_oneof![
        Just(ThresholdRule::MaxAccuracy),
        Just(ThresholdRule::Eer),
        (0.0f64..=1.0).prop_map(ThresholdRule::MaxFpr),
        (-2.5f64..2.5).prop_map(ThresholdRule::Fixed),
    ]
}

fn in_unit(x: Option<f64>) -> bool {
    x.is_none_or(|x| (0.0..=1.0).contains(&x))
}

fn at_most_one(x: Option<f64>) -> bool {
    x.is_none_or(|x| x.is_finite() && x <= 1.0 + 1e-12)
}

/// The pairs reordered by `order` (new pair i is old pair order[i]), labels reversed.
fn permuted(s: &Snapshot, order: &[usize]) -> Snapshot {
    let mut new_index = vec![0u32; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new as u32;
    }
    let mut p = s.clone();
    p.score = order.iter().map(|&o| s.score[o]).collect();
    p.truth = order.iter().map(|&o| s.truth[o]).collect();
    p.split = order.iter().map(|&o| s.split[o]).collect();
    p.consensus_override = order.iter().map(|&o| s.consensus_override[o]).collect();
    for (m, col) in p.metadata.iter_mut().zip(&s.metadata) {
        m.codes = order.iter().map(|&o| col.codes[o]).collect();
    }
    let mut labels = Labels::default();
    for row in (0..s.labels.len()).rev() {
        labels.push(
            new_index[s.labels.pair[row] as usize],
            s.labels.labeler[row],
            s.labels.verdict[row],
            s.labels.tags[row],
        );
    }
    p.labels = labels;
    p
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn metrics_stay_in_range(s in snapshots(), rule in rules()) {
        let prepared = Prepared::new(&s).unwrap();
        let report = Report::new(&prepared, rule).unwrap();
        let op = &report.operating_point;
        prop_assert_eq!(op.tp + op.fp + op.tn + op.fn_, report.pairs.evaluable);
        for x in [op.accuracy, op.precision, op.recall, op.f1, op.fpr, report.roc.auc, report.hlp.accuracy] {
            prop_assert!(in_unit(x), "{:?}", x);
        }
        for (_, x) in &report.roc.tpr_at_fpr.0 {
            prop_assert!(in_unit(*x));
        }
        if let ThresholdRule::MaxFpr(f) = rule {
            prop_assert!(op.fpr.is_none_or(|x| x <= f));
        }
        let a = &report.agreement;
        prop_assert!(in_unit(a.percent_agreement));
        prop_assert!(at_most_one(a.fleiss_kappa) && at_most_one(a.krippendorff_alpha));
        for k in &a.cohen_kappa {
            prop_assert!(at_most_one(k.kappa) && k.kappa.is_none_or(|k| k >= -1.0 - 1e-12));
        }
        for (_, t) in &a.tags.0 {
            prop_assert!(in_unit(t.percent_agreement) && at_most_one(t.krippendorff_alpha));
        }
        for row in &report.tags {
            prop_assert!(row.pairs >= 1 && row.pairs <= report.pairs.evaluable);
            prop_assert!(in_unit(Some(row.share_of_data)) && in_unit(row.share_of_errors));
            prop_assert!(in_unit(Some(row.error_rate)) && in_unit(Some(row.accuracy)));
            prop_assert!(in_unit(row.hlp) && in_unit(row.priority));
            prop_assert_eq!(row.errors, row.fp + row.fn_);
        }
        for (_, split) in &report.splits.splits.0 {
            prop_assert!(in_unit(Some(split.error_rate)));
        }
        let json = report.to_json();
        prop_assert!(!json.contains("NaN") && !json.contains("inf"));
    }

    #[test]
    fn permuting_pairs_and_labels_changes_nothing(
        s in snapshots(),
        rule in rules(),
        seed in any::<u64>(),
    ) {
        let n = s.pair_count();
        let mut order: Vec<usize> = (0..n).collect();
        // A seeded Fisher–Yates shuffle.
        let mut state = seed | 1;
        for i in (1..n).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            order.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let p = permuted(&s, &order);
        let a = Report::from_snapshot(&s, rule).unwrap();
        let b = Report::from_snapshot(&p, rule).unwrap();
        prop_assert_eq!(a.to_json(), b.to_json());
        let (pa, pb) = (Prepared::new(&s).unwrap(), Prepared::new(&p).unwrap());
        prop_assert_eq!(pa.auc(), pb.auc());
        prop_assert_eq!(pa.roc_curve(false), pb.roc_curve(false));
        let t = pa.operating_point(rule).unwrap().threshold;
        prop_assert_eq!(pa.tag_pair_table(t, 1), pb.tag_pair_table(t, 1));
        prop_assert_eq!(pa.metadata_table(0, t), pb.metadata_table(0, t));
        let mut errors_b: Vec<u32> = pb.error_pairs(t).iter().map(|&e| order[e as usize] as u32).collect();
        errors_b.sort_unstable();
        prop_assert_eq!(pa.error_pairs(t), errors_b);
        prop_assert_eq!(pa.agreement().disagreements.len(), pb.agreement().disagreements.len());
    }

    #[test]
    fn two_threads_give_the_same_results_as_one(s in snapshots(), t in -2.5f64..2.5) {
        let one = Prepared::new_on_threads(&s, false).unwrap();
        let two = Prepared::new_on_threads(&s, true).unwrap();
        prop_assert_eq!(one.consensus(), two.consensus());
        prop_assert_eq!(one.hlp(), two.hlp());
        prop_assert_eq!(one.agreement(), two.agreement());
        prop_assert_eq!(one.tag_table(t), two.tag_table(t));
        prop_assert_eq!(one.tag_pair_table(t, 1), two.tag_pair_table(t, 1));
        prop_assert_eq!(one.metadata_table(0, t), two.metadata_table(0, t));
        prop_assert_eq!(one.split_table(t), two.split_table(t));
        prop_assert_eq!(one.error_pairs(t), two.error_pairs(t));
        let rule = ThresholdRule::MaxAccuracy;
        prop_assert_eq!(Report::new(&one, rule).unwrap(), Report::new(&two, rule).unwrap());
    }

    #[test]
    fn identical_labelers_agree_perfectly(verdicts in prop::collection::vec(any::<bool>(), 2..60)) {
        prop_assume!(verdicts.iter().any(|&v| v) && verdicts.iter().any(|&v| !v));
        let mut s = Snapshot::with_pairs(verdicts.len(), vec![], vec!["a".into(), "b".into()]);
        for (p, &v) in verdicts.iter().enumerate() {
            let v = if v { Truth::Same } else { Truth::Different };
            s.labels.push(p as u32, 0, Some(v), 0);
            s.labels.push(p as u32, 1, Some(v), 0);
        }
        let a = Agreement::compute(&s).unwrap();
        prop_assert_eq!(a.cohen_kappa.len(), 1);
        prop_assert_eq!(a.cohen_kappa[0].kappa, Some(1.0));
        prop_assert_eq!(a.cohen_kappa[0].n, verdicts.len() as u64);
        prop_assert_eq!(a.fleiss_kappa, Some(1.0));
        prop_assert_eq!(a.krippendorff_alpha, Some(1.0));
        prop_assert_eq!(a.percent_agreement, Some(1.0));
        prop_assert!(a.disagreements.is_empty());
    }

    #[test]
    fn auc_ignores_monotone_score_transforms(s in snapshots()) {
        let mut t = s.clone();
        for x in &mut t.score {
            *x = x.powi(3) + 5.0 * *x - 7.0;
        }
        let (a, b) = (Prepared::new(&s).unwrap(), Prepared::new(&t).unwrap());
        prop_assert_eq!(a.auc(), b.auc());
        let rule = ThresholdRule::MaxAccuracy;
        let (ta, tb) = (a.live(rule).unwrap(), b.live(rule).unwrap());
        prop_assert_eq!(ta.operating_point.confusion, tb.operating_point.confusion);
        prop_assert_eq!(ta.tags, tb.tags);
    }

    #[test]
    fn fast_tables_equal_a_plain_recount(s in snapshots(), t in -2.5f64..2.5) {
        let prepared = Prepared::new(&s).unwrap();
        let consensus = prepared.consensus();
        let evaluable: Vec<usize> = (0..s.pair_count())
            .filter(|&p| s.truth[p].is_some() && !s.score[p].is_nan())
            .collect();
        let is_error = |p: usize| (s.score[p] >= t) != (s.truth[p] == Some(Truth::Same));
        let all_errors = evaluable.iter().filter(|&&p| is_error(p)).count() as u64;
        prop_assert_eq!(prepared.confusion_at(t).errors(), all_errors);
        let rows = prepared.tag_table(t);
        for tag in 0..s.tag_names.len() {
            let slice: Vec<usize> = evaluable.iter().copied().filter(|&p| consensus[p] >> tag & 1 == 1).collect();
            let row = rows.iter().find(|r| r.key == SliceKey::Tag { tag });
            prop_assert_eq!(row.is_some(), !slice.is_empty());
            if let Some(row) = row {
                prop_assert_eq!(row.pairs, slice.len() as u64);
                prop_assert_eq!(row.errors, slice.iter().filter(|&&p| is_error(p)).count() as u64);
                let fp = slice.iter().filter(|&&p| is_error(p) && s.truth[p] == Some(Truth::Different)).count();
                prop_assert_eq!(row.fp, fp as u64);
            }
        }
        let table = prepared.split_table(t);
        for split in SPLITS {
            let slice: Vec<usize> = evaluable.iter().copied().filter(|&p| s.split[p] == Some(split)).collect();
            let errors = slice.iter().filter(|&&p| is_error(p)).count() as u64;
            match table.row(split) {
                Some(row) => prop_assert_eq!((row.pairs, row.errors), (slice.len() as u64, errors)),
                None => prop_assert!(slice.is_empty()),
            }
        }
        let mut errors: Vec<u32> = evaluable.iter().copied().filter(|&p| is_error(p)).map(|p| p as u32).collect();
        errors.sort_unstable();
        prop_assert_eq!(prepared.error_pairs(t), errors);
    }
}
