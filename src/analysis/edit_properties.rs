//! Label edits applied in place ([`Prepared::set_label`]) give exactly the tables of preparing
//! the edited snapshot from scratch: every table the analysis screens and the report show.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::properties::snapshots;
use super::*;

/// An edit: (pair, labeler, verdict, tags), indices taken modulo the sizes; every fourth
/// removes the label.
type EditSpec = (u16, u8, Option<bool>, u8);

/// Everything a screen or the report reads of a prepared snapshot.
fn assert_same_tables(edited: &Prepared, fresh: &Prepared) {
    assert_eq!(edited.pair_counts(), fresh.pair_counts());
    assert_eq!(edited.consensus(), fresh.consensus(), "consensus");
    assert_eq!(edited.hlp(), fresh.hlp(), "HLP");
    assert_eq!(edited.agreement(), fresh.agreement(), "agreement");
    for t in [f64::NEG_INFINITY, -1.0, -0.3, 0.0, 0.25, 0.5, 1.0, 2.0, f64::NAN] {
        assert_eq!(edited.tag_table(t), fresh.tag_table(t), "per-tag table at {t}");
        assert_eq!(edited.tag_pair_table(t, 1), fresh.tag_pair_table(t, 1), "two-tag table at {t}");
        assert_eq!(edited.metadata_table(0, t), fresh.metadata_table(0, t), "metadata table at {t}");
        assert_eq!(edited.split_table(t), fresh.split_table(t), "split table at {t}");
        assert_eq!(edited.error_pairs(t), fresh.error_pairs(t));
    }
    for rule in [ThresholdRule::MaxAccuracy, ThresholdRule::Fixed(0.3)] {
        assert_eq!(Report::new(edited, rule).unwrap(), Report::new(fresh, rule).unwrap(), "report at {rule}");
    }
}

/// Applies `edits` in place and to an independent map of the labels, then prepares the
/// edited snapshot from scratch and compares.
fn check(s: &Snapshot, edits: &[EditSpec], parallel: bool) {
    let (pairs, labelers, tags) = (s.pair_count(), s.labeler_names.len(), s.tag_names.len());
    let mut labels: BTreeMap<(u32, u32), (Option<Truth>, TagBits)> = (0..s.labels.len())
        .map(|r| ((s.labels.pair[r], s.labels.labeler[r]), (s.labels.verdict[r], s.labels.tags[r])))
        .collect();
    let mut edited = Prepared::new_on_threads(s, parallel).unwrap();
    let mut columns = s.clone();
    let mut book = LabelBook::take(&mut columns).unwrap();
    if pairs == 0 {
        return;
    }
    let truth = |b: bool| if b { Truth::Same } else { Truth::Different };
    for (i, &(p, l, v, bits)) in edits.iter().enumerate() {
        let (pair, labeler) = (p as usize % pairs, l as usize % labelers);
        let (verdict, bits) = if i % 4 == 3 { (None, 0) } else { (v.map(truth), u64::from(bits) & tag_mask(tags)) };
        let changed = edited.set_label(&columns, &mut book, pair, labeler, verdict, bits).unwrap();
        let key = (pair as u32, labeler as u32);
        let before = labels.get(&key).copied();
        if verdict.is_some() || bits != 0 {
            labels.insert(key, (verdict, bits));
        } else {
            labels.remove(&key);
        }
        assert_eq!(changed, labels.get(&key).copied() != before);
    }
    let mut fresh = s.clone();
    fresh.labels = Labels::default();
    for (&(pair, labeler), &(verdict, bits)) in &labels {
        fresh.labels.push(pair, labeler, verdict, bits);
    }
    assert_same_tables(&edited, &Prepared::new(&fresh).unwrap());
}

fn edits() -> impl Strategy<Value = Vec<EditSpec>> {
    prop::collection::vec((any::<u16>(), any::<u8>(), prop::option::weighted(0.8, any::<bool>()), any::<u8>()), 1..40)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn edits_in_place_equal_preparing_from_scratch(s in snapshots(), edits in edits(), parallel in any::<bool>()) {
        check(&s, &edits, parallel);
    }
}

#[test]
fn many_labelers_and_tags_use_the_sparse_and_hashed_paths() {
    // 1100 labelers (sparse Cohen cells) and 20 tags (hashed tag-set ids) on 30 pairs.
    let tags: Vec<String> = (0..20).map(|t| format!("tag{t}")).collect();
    let labelers: Vec<String> = (0..1100).map(|l| format!("l{l}")).collect();
    let mut s = Snapshot::with_pairs(30, tags, labelers);
    for p in 0..30 {
        s.score[p] = (p % 7) as f64 / 7.0;
        s.truth[p] = Some(if p % 3 == 0 { Truth::Same } else { Truth::Different });
        s.labels.push(p as u32, (p * 37 % 1100) as u32, Some(Truth::Same), 1 << (p % 20));
        s.labels.push(p as u32, 1099, Some(Truth::Different), 1 << 19);
    }
    s.metadata.push(MetadataColumn { name: "m".into(), values: vec!["x".into()], codes: vec![Some(0); 30] });
    let edits: Vec<EditSpec> = (0..60).map(|i| (i * 7, (i * 13) as u8, Some(i % 2 == 0), (i * 5) as u8)).collect();
    check(&s, &edits, false);
}
