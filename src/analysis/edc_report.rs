//! The EDC of a project as the report gives it (`edc` in `report --json`, a text section):
//! the FNMR at the operating threshold after discarding the lowest-quality 0 %, 5 %, … of
//! the genuine comparisons, once ranked by sharpness and once by brightness.

use std::fmt::Write;

use serde::Serialize;

use super::edc::{EDC_MAX_DISCARD, EDC_TABLE_FRACTIONS, EdcGenuine, EdcPoint};
use super::intervals::Proportion;
use super::snapshot::Truth;
use super::text::{TEXT, table};

/// The genuine comparisons ranked once by each image statistic.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EdcByQuality {
    /// By the lower sharpness of the two photos.
    pub sharpness: EdcGenuine,
    /// By the lower brightness of the two photos (the darker one).
    pub brightness: EdcGenuine,
}

impl EdcByQuality {
    /// `stats` is per pair: (lower brightness, lower sharpness) of its two photos, None when
    /// a photo has no statistics (as `Tx::pair_image_stats` gives them).
    pub fn new(score: &[f64], truth: &[Option<Truth>], stats: &[Option<(f64, f64)>]) -> EdcByQuality {
        let column = |pick: fn((f64, f64)) -> f64| -> Vec<Option<f64>> { stats.iter().map(|s| s.map(pick)).collect() };
        EdcByQuality {
            sharpness: EdcGenuine::new(score, truth, &column(|s| s.1)),
            brightness: EdcGenuine::new(score, truth, &column(|s| s.0)),
        }
    }

    /// The report at `threshold` (+∞: nothing accepted).
    pub fn report(&self, threshold: f64) -> EdcReport {
        let rows = |edc: &EdcGenuine| {
            EDC_TABLE_FRACTIONS.iter().map(|&x| EdcRow::new(x, edc.point_at(x, threshold))).collect()
        };
        EdcReport {
            threshold: threshold.is_finite().then_some(threshold),
            genuine: self.sharpness.genuine(),
            genuine_without_statistics: self.sharpness.without_quality(),
            max_discard: EDC_MAX_DISCARD,
            sharpness: rows(&self.sharpness),
            brightness: rows(&self.brightness),
        }
    }
}

/// `edc` in `report --json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EdcReport {
    /// The operating threshold the FNMR is taken at (null: +∞, nothing accepted).
    pub threshold: Option<f64>,
    /// Genuine comparisons (same person, scored) whose two photos have statistics.
    pub genuine: u64,
    /// Genuine comparisons left out because a photo has no statistics.
    pub genuine_without_statistics: u64,
    /// How far the curve on screen and in the HTML report goes.
    pub max_discard: f64,
    /// One row per discard fraction of [`EDC_TABLE_FRACTIONS`].
    pub sharpness: Vec<EdcRow>,
    pub brightness: Vec<EdcRow>,
}

/// The EDC at one requested discard fraction.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EdcRow {
    /// The fraction asked for.
    pub discard: f64,
    /// Discarded in whole groups of equal quality, so at most `discard` of `genuine`.
    pub discarded: u64,
    pub discarded_fraction: Option<f64>,
    /// The lowest quality kept (every comparison below it is discarded).
    pub kept_from_quality: Option<f64>,
    pub remaining: u64,
    pub false_non_matches: u64,
    /// false_non_matches / remaining.
    pub fnmr: Option<f64>,
    /// Two-sided 95 % Clopper–Pearson interval of the FNMR.
    pub fnmr_ci95: Option<[f64; 2]>,
}

impl EdcRow {
    /// False non-matches of the remaining comparisons, as a count.
    pub fn fnmr_count(&self) -> Proportion {
        Proportion::new(self.false_non_matches, self.remaining)
    }

    fn new(discard: f64, p: EdcPoint) -> EdcRow {
        EdcRow {
            discard,
            discarded: p.discarded,
            discarded_fraction: p.discard_fraction(),
            kept_from_quality: p.kept_from_quality,
            remaining: p.remaining,
            false_non_matches: p.false_non_matches,
            fnmr: p.fnmr(),
            fnmr_ci95: p.fnmr_ci95(),
        }
    }
}

/// The text report's section.
pub(super) fn render_edc_text(out: &mut String, edc: Option<&EdcReport>) {
    let Some(edc) = edc else { return };
    let _ = writeln!(
        out,
        "\nQuality against error (EDC): FNMR at threshold {} after discarding the lowest-quality genuine pairs",
        TEXT.coefficient(edc.threshold)
    );
    let _ = writeln!(
        out,
        "{} genuine pairs with image statistics; {} without, left out",
        edc.genuine, edc.genuine_without_statistics
    );
    let rows: Vec<Vec<String>> = edc
        .sharpness
        .iter()
        .zip(&edc.brightness)
        .map(|(s, b)| vec![format!("{:.0}%", 100.0 * s.discard), fnmr_cell(s), fnmr_cell(b)])
        .collect();
    out.push_str(&table(&["discarded", "FNMR by sharpness", "FNMR by brightness"], &rows));
}

/// `1.23% (12/975; 95% CI 0.64–2.14%)`.
fn fnmr_cell(row: &EdcRow) -> String {
    TEXT.proportion(row.fnmr_count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_the_fractions_and_both_qualities() {
        // Four genuine pairs: the blurriest is also the brightest and is the only false
        // non-match; one pair has no statistics.
        let score = [0.1, 0.9, 0.8, 0.7, 0.2];
        let truth = [Some(Truth::Same); 5];
        let stats = [Some((9.0, 1.0)), Some((1.0, 5.0)), Some((2.0, 6.0)), Some((3.0, 7.0)), None];
        let report = EdcByQuality::new(&score, &truth, &stats).report(0.5);
        assert_eq!((report.genuine, report.genuine_without_statistics), (4, 1));
        let fnm = |rows: &[EdcRow]| rows.iter().map(|r| (r.false_non_matches, r.remaining)).collect::<Vec<_>>();
        // Sharpness discards the blurry false non-match first: 1/4, then 0/3 from 25 %.
        assert_eq!(fnm(&report.sharpness), vec![(1, 4), (1, 4), (1, 4), (1, 4), (0, 3), (0, 2)]);
        // Brightness discards it last.
        assert_eq!(fnm(&report.brightness), vec![(1, 4), (1, 4), (1, 4), (1, 4), (1, 3), (1, 2)]);
        let text = {
            let mut out = String::new();
            render_edc_text(&mut out, Some(&report));
            out
        };
        assert!(text.contains("4 genuine pairs with image statistics; 1 without"), "{text}");
        assert!(text.contains("25.00% (1/4; 95% CI 0.631–80.59%)"), "{text}");
    }

    #[test]
    fn json_keys_and_intervals() {
        let score = [0.1, 0.9, 0.8];
        let stats = [Some((1.0, 1.0)), Some((2.0, 2.0)), None];
        let report = EdcByQuality::new(&score, &[Some(Truth::Same); 3], &stats).report(f64::INFINITY);
        let v = serde_json::to_value(&report).unwrap();
        let mut keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            ["brightness", "genuine", "genuine_without_statistics", "max_discard", "sharpness", "threshold"]
        );
        let row = &v["sharpness"][3];
        let mut keys: Vec<&String> = row.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "discard",
                "discarded",
                "discarded_fraction",
                "false_non_matches",
                "fnmr",
                "fnmr_ci95",
                "kept_from_quality",
                "remaining"
            ]
        );
        // An infinite threshold (nothing accepted) is null; every pair is a false non-match,
        // and 2 of 2 has the exact interval [0.025^(1/2), 1].
        assert_eq!(v["threshold"], serde_json::Value::Null);
        assert_eq!((row["false_non_matches"].as_u64(), row["remaining"].as_u64()), (Some(2), Some(2)));
        let lo = row["fnmr_ci95"][0].as_f64().unwrap();
        assert!((lo - 0.025f64.sqrt()).abs() < 1e-9, "{lo}");
        assert_eq!(row["fnmr_ci95"][1].as_f64(), Some(1.0));
    }
}
