//! The all-vs-all DET curve from the stored histogram: FMR and FNMR at every bin floor.

use super::AllVsAllRecord;

/// (FMR, FNMR) when accepting scores at or above each non-empty bin's floor, from the
/// highest threshold down. Exact at those thresholds: a bin holds the scores from its floor
/// up to the next one's. Empty without genuine or impostor comparisons.
pub fn det_points(record: &AllVsAllRecord) -> Vec<(f64, f64)> {
    if record.genuine == 0 || record.impostors == 0 {
        return Vec::new();
    }
    let mut bins: Vec<_> = record.histogram.iter().collect();
    bins.sort_by(|a, b| b.floor.total_cmp(&a.floor));
    let (mut impostors_above, mut genuine_above) = (0u64, 0u64);
    bins.iter()
        .map(|bin| {
            impostors_above += bin.impostors;
            genuine_above += bin.genuine;
            let fmr = impostors_above as f64 / record.impostors as f64;
            let fnmr = (record.genuine - genuine_above.min(record.genuine)) as f64 / record.genuine as f64;
            (fmr, fnmr)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::all_vs_all::HistogramBin;

    #[test]
    fn rates_at_each_bin_floor_from_the_top() {
        let bin = |floor: f32, genuine: u64, impostors: u64| HistogramBin { floor, genuine, impostors };
        let record = AllVsAllRecord {
            model: "m".into(),
            images: 5,
            identities: 2,
            left_out: 0,
            genuine: 4,
            impostors: 6,
            eer: None,
            points: vec![],
            // Out of order on purpose: the curve sorts.
            histogram: vec![bin(0.1, 0, 5), bin(0.8, 3, 0), bin(0.4, 1, 1)],
            hardest_impostors: vec![],
            weakest_genuine: vec![],
            seconds: 0.0,
        };
        // ≥ 0.8: 0 of 6 impostors, 1 of 4 genuine missed; ≥ 0.4: 1/6, 0/4; ≥ 0.1: 6/6, 0/4.
        assert_eq!(det_points(&record), vec![(0.0, 0.25), (1.0 / 6.0, 0.0), (1.0, 0.0)]);
        assert!(det_points(&AllVsAllRecord { impostors: 0, ..record }).is_empty());
    }
}
