//! The build by hand on a small example, one thread against two, and bad input.

use super::tagset_ids::TagsetIds;
use super::{PairCounts, Prepared};
use crate::analysis::hlp::Hlp;
use crate::analysis::slices::SliceRow;
use crate::analysis::snapshot::Split;
use crate::analysis::snapshot::Truth::{Different, Same};
use crate::analysis::snapshot::{Labels, Snapshot, SnapshotError};
use crate::analysis::threshold::ThresholdRule;

/// Six pairs, tags "dark" (bit 0) and "blurry" (bit 1), two labelers.
///
/// pair score truth split   consensus  verdicts (ann, bob)
/// 0    0.9   same  train   dark       same, same
/// 1    0.8   diff  train   dark+blur  same, diff
/// 2    0.4   same  dev     blurry     diff, diff
/// 3    0.2   diff  dev     -          diff, -
/// 4    NaN   same  test    dark       same, -
/// 5    0.7   -     test    dark       same, same
fn example() -> Snapshot {
    let mut s = Snapshot::with_pairs(6, vec!["dark".into(), "blurry".into()], vec!["ann".into(), "bob".into()]);
    s.score = vec![0.9, 0.8, 0.4, 0.2, f64::NAN, 0.7];
    s.truth = vec![Some(Same), Some(Different), Some(Same), Some(Different), Some(Same), None];
    s.split = vec![
        Some(Split::Train),
        Some(Split::Train),
        Some(Split::Dev),
        Some(Split::Dev),
        Some(Split::Test),
        Some(Split::Test),
    ];
    let l = &mut s.labels;
    l.push(0, 0, Some(Same), 0b01);
    l.push(0, 1, Some(Same), 0b00);
    l.push(1, 0, Some(Same), 0b11);
    l.push(1, 1, Some(Different), 0b11);
    l.push(2, 0, Some(Different), 0b10);
    l.push(2, 1, Some(Different), 0b10);
    l.push(3, 0, Some(Different), 0b00);
    l.push(4, 0, Some(Same), 0b01);
    l.push(5, 0, Some(Same), 0b01);
    l.push(5, 1, Some(Same), 0b01);
    s
}

#[test]
fn pair_counts_and_consensus() {
    let p = Prepared::new(&example()).unwrap();
    assert_eq!(p.pair_counts(), PairCounts { total: 6, with_truth: 5, scored: 5, evaluable: 4 });
    assert_eq!(p.consensus(), &[0b01, 0b11, 0b10, 0b00, 0b01, 0b01]);
    assert_eq!(p.hlp().overall, Hlp { correct: 5, total: 8 });
}

#[test]
fn overrides_replace_consensus_and_tag_only_labelers_count() {
    let mut s = example();
    // Pair 3: ann tags "blurry" with a verdict, bob tags nothing and gives none → one of
    // two is half → blurry. Pair 0: the adjudicator says "blurry" only.
    s.labels.tags[6] = 0b10;
    s.labels.push(3, 1, None, 0b00);
    s.consensus_override[0] = Some(0b10);
    let p = Prepared::new(&s).unwrap();
    assert_eq!(p.consensus()[3], 0b10);
    assert_eq!(p.consensus()[0], 0b10);
    assert_eq!(p.hlp().overall, Hlp { correct: 5, total: 8 }, "no verdict, no count");
}

#[test]
fn tag_table_by_hand_at_threshold_half() {
    // At 0.5: pair 1 (diff, 0.8) is a false positive, pair 2 (same, 0.4) a false
    // negative; pairs 0 and 3 are right. 2 errors over 4 evaluable pairs.
    let p = Prepared::new(&example()).unwrap();
    let rows = p.tag_table(0.5);
    assert_eq!(rows.len(), 2);
    let dark = rows.iter().find(|r| r.name == "dark").unwrap();
    // dark: pairs 0, 1 → 1 error (fp); humans on them: 2 + 1 right of 4.
    assert_eq!((dark.pairs, dark.errors, dark.fp, dark.fn_), (2, 1, 1, 0));
    assert_eq!(dark.share_of_data, 0.5);
    assert_eq!(dark.share_of_errors, Some(0.5));
    assert_eq!(dark.accuracy, 0.5);
    assert_eq!(dark.hlp, Some(0.75));
    assert_eq!(dark.gap_to_hlp, Some(0.25));
    assert_eq!(dark.priority, Some(0.125));
    let blurry = rows.iter().find(|r| r.name == "blurry").unwrap();
    // blurry: pairs 1, 2 → 2 errors; humans: pair 1 1/2, pair 2 0/2.
    assert_eq!((blurry.pairs, blurry.errors, blurry.fp, blurry.fn_), (2, 2, 1, 1));
    assert_eq!(blurry.accuracy, 0.0);
    assert_eq!(blurry.hlp, Some(0.25));
    assert_eq!(blurry.priority, Some(0.125));
    assert_eq!(rows[0].name, "blurry", "priority tie broken by error rate");
    assert_eq!(p.error_pairs(0.5), vec![1, 2]);
    assert_eq!(p.confusion_at(0.5).errors(), 2);
}

#[test]
fn tag_pairs_and_metadata() {
    let mut s = example();
    s.metadata.push(crate::analysis::snapshot::MetadataColumn {
        name: "camera".into(),
        values: vec!["a".into(), "b".into(), "unused".into()],
        codes: vec![Some(0), Some(0), Some(1), None, Some(1), Some(0)],
    });
    let p = Prepared::new(&s).unwrap();
    let combos = p.tag_pair_table(0.5, 1);
    assert_eq!(combos.len(), 1);
    assert_eq!(combos[0].name, "dark + blurry");
    assert_eq!((combos[0].pairs, combos[0].errors), (1, 1));
    assert!(p.tag_pair_table(0.5, 2).is_empty());
    let camera = p.metadata_table(0, 0.5).unwrap();
    assert_eq!(camera.len(), 2, "empty values have no row");
    let a = camera.iter().find(|r| r.name == "a").unwrap();
    assert_eq!((a.pairs, a.errors), (2, 1));
    assert!(p.metadata_table(1, 0.5).is_none());
    assert_eq!(p.metadata_names().collect::<Vec<_>>(), vec!["camera"]);
}

#[test]
fn split_table_by_hand() {
    let p = Prepared::new(&example()).unwrap();
    let t = p.split_table(0.5);
    assert_eq!(t.rows.len(), 2, "test has no evaluable pair");
    let train = t.row(Split::Train).unwrap();
    assert_eq!((train.pairs, train.errors, train.error_rate), (2, 1, 0.5));
    // Humans on train: pair 0 2/2, pair 1 1/2 → error 1/4.
    assert_eq!(train.human_error, Some(0.25));
    let dev = t.row(Split::Dev).unwrap();
    assert_eq!((dev.pairs, dev.errors), (2, 1));
    assert_eq!(t.human_error, Some(0.375));
    assert_eq!(t.diagnosis.avoidable_bias, Some(0.125));
    assert_eq!(t.diagnosis.variance, None);
}

#[test]
fn live_tables_follow_the_rule() {
    let p = Prepared::new(&example()).unwrap();
    let live = p.live(ThresholdRule::MaxAccuracy).unwrap();
    // Candidates: +∞ (2 right), 0.9 (3), 0.8 (2), 0.4 (3), 0.2 (2) → 0.9.
    assert_eq!(live.operating_point.threshold, 0.9);
    assert_eq!(live.tags, p.tag_table(0.9));
    assert!(p.live(ThresholdRule::Fixed(f64::NAN)).is_err());
}

#[test]
fn negative_zero_is_zero() {
    let mut s = Snapshot::with_pairs(2, vec![], vec![]);
    s.score = vec![-0.0, 0.0];
    s.truth = vec![Some(Same), Some(Different)];
    let p = Prepared::new(&s).unwrap();
    assert_eq!(p.roc_curve(false).unwrap().len(), 2);
    assert_eq!(p.confusion_at(0.0).tp, 1);
}

#[test]
fn two_threads_give_the_same_results_as_one() {
    let mut s = example();
    s.metadata.push(crate::analysis::snapshot::MetadataColumn {
        name: "camera".into(),
        values: vec!["a".into(), "b".into()],
        codes: vec![Some(0), Some(1), Some(1), None, Some(0), Some(0)],
    });
    for pairs in [0, 1, 5, 6] {
        let mut t = s.clone();
        t.score.truncate(pairs);
        t.truth.truncate(pairs);
        t.split.truncate(pairs);
        t.consensus_override.truncate(pairs);
        t.metadata[0].codes.truncate(pairs);
        let keep: Vec<usize> = (0..t.labels.len()).filter(|&r| (t.labels.pair[r] as usize) < pairs).collect();
        let l = t.labels.clone();
        t.labels = Labels::default();
        for r in keep {
            t.labels.push(l.pair[r], l.labeler[r], l.verdict[r], l.tags[r]);
        }
        let one = Prepared::new_on_threads(&t, false).unwrap();
        let two = Prepared::new_on_threads(&t, true).unwrap();
        assert_eq!(one.agreement(), two.agreement(), "{pairs} pairs");
        for threshold in [0.3, 0.5, 0.85] {
            assert_eq!(one.tag_table(threshold), two.tag_table(threshold));
            assert_eq!(one.split_table(threshold), two.split_table(threshold));
            assert_eq!(one.metadata_table(0, threshold), two.metadata_table(0, threshold));
        }
        let rule = ThresholdRule::MaxAccuracy;
        assert_eq!(
            crate::analysis::Report::new(&one, rule).unwrap(),
            crate::analysis::Report::new(&two, rule).unwrap()
        );
    }
}

#[test]
fn many_tags_use_the_hashed_tag_set_ids_with_the_same_results() {
    let few = example();
    let mut many = few.clone();
    // 20 tags: "dark" and "blurry" become tags 18 and 19.
    many.tag_names = (0..18).map(|t| format!("unused{t}")).collect();
    many.tag_names.extend(few.tag_names.iter().cloned());
    for tags in &mut many.labels.tags {
        *tags <<= 18;
    }
    let (a, b) = (Prepared::new(&few).unwrap(), Prepared::new(&many).unwrap());
    assert!(matches!(TagsetIds::new(20), TagsetIds::Hashed(_)));
    for t in [0.3, 0.5, 0.85] {
        let strip = |rows: Vec<SliceRow>| -> Vec<(String, u64, u64)> {
            rows.into_iter().map(|r| (r.name, r.stats.pairs, r.stats.errors)).collect()
        };
        assert_eq!(strip(a.tag_table(t)), strip(b.tag_table(t)));
        assert_eq!(strip(a.tag_pair_table(t, 1)), strip(b.tag_pair_table(t, 1)));
    }
}

#[test]
fn invalid_snapshots_are_errors() {
    let mut s = example();
    s.split.pop();
    assert!(Prepared::new(&s).is_err());
    // Invalid labels are caught on either path.
    let mut s = example();
    s.labels.push(0, 0, None, 0);
    for parallel in [false, true] {
        let err = Prepared::new_on_threads(&s, parallel).unwrap_err();
        assert!(matches!(err, SnapshotError::DuplicateLabel { .. }), "{err}");
    }
}
