//! Quality against error (EDC) through the CLI on a real project: the demo, scored by the
//! built-in ONNX model (which also measures each photo's sharpness and brightness), plus the
//! celebrity pairs with scores but no photo statistics. `report --json`'s `edc` must equal a
//! brute-force recomputation from the project file, at the rule's threshold and at a fixed one;
//! the text and HTML reports show the same rows.

use crate::common;

use std::path::Path;

use common::{datasets, ok};
use pairscope::analysis::Numbers;
use pairscope::analysis::intervals::{Proportion, clopper_pearson};
use pairscope::domain::Truth;
use pairscope::store::Store;
use serde_json::Value;

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Genuine comparisons as (score, quality) per measure, and how many have no statistics.
struct Genuine {
    sharpness: Vec<(f64, f64)>,
    brightness: Vec<(f64, f64)>,
    without_statistics: u64,
}

fn genuine(project: &Path) -> Genuine {
    let mut store = Store::open(project).unwrap();
    store
        .read(|tx| {
            let model = tx.choose_model(None)?.expect("the demo is scored");
            let scores = tx.scores_of(model.id)?;
            let stats = tx.pair_image_stats()?;
            let mut g = Genuine { sharpness: Vec::new(), brightness: Vec::new(), without_statistics: 0 };
            for pair in tx.pairs()? {
                let Some(&score) = scores.get(&pair.id) else { continue };
                if pair.truth != Some(Truth::Same) {
                    continue;
                }
                match stats.get(&pair.id) {
                    Some(&(brightness, sharpness)) => {
                        g.sharpness.push((score, sharpness));
                        g.brightness.push((score, brightness));
                    }
                    None => g.without_statistics += 1,
                }
            }
            Ok::<_, pairscope::store::StoreError>(g)
        })
        .unwrap()
}

/// The EDC's definition read literally: among "discard every comparison of quality below q"
/// for each quality q present (and "discard all"), the largest discard that is at most
/// `x · N`; then the false non-matches (score < t) of the rest.
fn brute_force(genuine: &[(f64, f64)], x: f64, t: f64) -> (u64, u64, u64, Option<f64>) {
    let n = genuine.len();
    let mut best = (0, f64::NEG_INFINITY);
    for q in genuine.iter().map(|g| g.1).chain([f64::INFINITY]) {
        let discarded = genuine.iter().filter(|g| g.1 < q).count();
        if discarded as f64 <= x * n as f64 + 1e-9 && discarded > best.0 {
            best = (discarded, q);
        }
    }
    let kept: Vec<&(f64, f64)> = genuine.iter().filter(|g| g.1 >= best.1).collect();
    let fnm = kept.iter().filter(|g| g.0 < t).count();
    let lowest_kept = kept.iter().map(|g| g.1).reduce(f64::min);
    (best.0 as u64, kept.len() as u64, fnm as u64, lowest_kept)
}

fn check(edc: &Value, genuine: &Genuine, t: f64) {
    assert_eq!(edc["genuine"].as_u64(), Some(genuine.sharpness.len() as u64));
    assert_eq!(edc["genuine_without_statistics"].as_u64(), Some(genuine.without_statistics));
    for (name, pairs) in [("sharpness", &genuine.sharpness), ("brightness", &genuine.brightness)] {
        let rows = edc[name].as_array().unwrap();
        assert_eq!(rows.len(), 6, "{name}");
        for row in rows {
            let x = row["discard"].as_f64().unwrap();
            let (discarded, remaining, fnm, lowest_kept) = brute_force(pairs, x, t);
            let got = (row["discarded"].as_u64(), row["remaining"].as_u64(), row["false_non_matches"].as_u64());
            assert_eq!(got, (Some(discarded), Some(remaining), Some(fnm)), "{name} at {x}");
            assert_eq!(row["kept_from_quality"].as_f64(), lowest_kept, "{name} at {x}");
            let fnmr = fnm as f64 / remaining as f64;
            assert!((row["fnmr"].as_f64().unwrap() - fnmr).abs() < 1e-12, "{name} at {x}");
            let ci = clopper_pearson(fnm, remaining, 0.95).unwrap();
            let got: Vec<f64> = row["fnmr_ci95"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
            // JSON keeps 17 digits; the last bit may differ on the way back.
            assert!((got[0] - ci[0]).abs() < 1e-15 && (got[1] - ci[1]).abs() < 1e-15, "{name} at {x}: {got:?} {ci:?}");
            assert!(ci[0] <= fnmr && fnmr <= ci[1]);
        }
    }
}

fn report(project: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["report", arg(project), "--json"];
    args.extend(extra);
    serde_json::from_str(&ok(args)).unwrap()
}

#[test]
fn report_edc_equals_a_brute_force_count_on_the_scored_demo() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("demo").join("demo.pairscope");
    ok(["demo", arg(&project), "--no-gui"]);
    // Celebrity pairs with scores from elsewhere: same-person pairs whose photos were never
    // measured, which the EDC leaves out and counts.
    let celeb = datasets().join("celebrity-pairs");
    ok(["import-pairs", arg(&project), "--csv", arg(&celeb.join("pairs.csv")), "--images", arg(&celeb)]);
    let mut store = Store::open(&project).unwrap();
    store
        .write(|tx| {
            let model = tx.choose_model(None)?.unwrap();
            let scored = tx.scores_of(model.id)?;
            for (i, pair) in tx.pairs()?.into_iter().filter(|p| !scored.contains_key(&p.id)).enumerate() {
                if pair.truth == Some(Truth::Same) {
                    tx.set_score(pair.id, model.id, (i % 10) as f64 / 10.0)?;
                }
            }
            Ok::<_, pairscope::store::StoreError>(())
        })
        .unwrap();
    drop(store);
    let g = genuine(&project);
    assert_eq!(g.without_statistics, 38, "the celebrity set's 38 same-person pairs");
    assert!(g.sharpness.len() > 50, "{}", g.sharpness.len());

    let json = report(&project, &[]);
    let edc = &json["edc"];
    let t = json["operating_point"]["threshold"].as_f64().unwrap();
    assert_eq!(edc["threshold"].as_f64(), Some(t), "the EDC is taken at the operating threshold");
    check(edc, &g, t);
    assert!(edc["sharpness"][0]["false_non_matches"].as_u64().unwrap() > 0, "something to discard: {edc}");
    assert_ne!(edc["sharpness"], edc["brightness"], "two rankings");

    let fixed = report(&project, &["--threshold", "0.45"]);
    assert_eq!(fixed["edc"]["threshold"].as_f64(), Some(0.45));
    check(&fixed["edc"], &g, 0.45);
    assert_ne!(fixed["edc"]["sharpness"], edc["sharpness"], "the threshold moves the EDC");

    // The text and the HTML report show the same rows.
    let row = &edc["sharpness"][3];
    let count = |key: &str| row[key].as_u64().unwrap();
    // The shared format of a rate with its count and interval.
    let cell = Numbers { missing: "-" }.proportion(Proportion::new(count("false_non_matches"), count("remaining")));
    let text = ok(["report", arg(&project)]);
    let line = text.lines().find(|l| l.trim_start().starts_with("20%")).expect("the 20 % row");
    assert!(line.contains(&cell), "{line} lacks {cell}");
    assert!(text.contains(&format!("{} genuine pairs with image statistics; 38 without, left out", g.sharpness.len())));
    let html_file = dir.path().join("report.html");
    ok(["report", arg(&project), "--html", arg(&html_file)]);
    let html = std::fs::read_to_string(&html_file).unwrap();
    let section = html.split("<h2>Quality against error (EDC)</h2>").nth(1).expect("the EDC section");
    assert!(section.contains(&cell), "{cell}");
    assert!(section.contains("aria-label=\"EDC:"), "the plot");
}
