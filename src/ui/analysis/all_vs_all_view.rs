//! The all-vs-all result beside the labeled pairs on the Model screen: its counts, the FMR
//! targets observed and demonstrated, and the hardest impostors. Its DET curve is drawn with
//! the labeled pairs' one (`model_screen.rs`).

use crate::analysis::all_vs_all::{AllVsAllReport, all_vs_all_lines};
use crate::analysis::{TPR_AT_FPR, grouped, percent3, target_percent};
use crate::ui::analysis::data::AnalysisData;

/// The section, or a line saying how to get it.
pub(in crate::ui) fn show(ui: &mut egui::Ui, data: &AnalysisData) {
    ui.add_space(12.0);
    ui.strong("All-vs-all comparisons");
    let Some(view) = &data.all_vs_all else {
        ui.weak(
            "Not computed for these images and identities. `pairscope all-vs-all PROJECT` compares \
             every image with an identity against every other one: millions of impostor \
             comparisons, enough to measure and demonstrate a door-lock FMR.",
        );
        return;
    };
    let mut lines = all_vs_all_lines(&view.report).into_iter();
    if let Some(title) = lines.next() {
        ui.label(title);
    }
    for line in lines {
        ui.label(line);
    }
}

/// The door-lock claim on all-vs-all for the same FPR target as the labeled pairs' claim,
/// in one sentence; nothing when all-vs-all is not computed or the target is not one of its
/// points.
pub(in crate::ui) fn claim(ui: &mut egui::Ui, data: &AnalysisData, target: f64) {
    let Some(view) = &data.all_vs_all else { return };
    let Some(text) = claim_text(&view.report, target) else { return };
    ui.label(egui::RichText::new(text).strong());
}

fn claim_text(r: &AllVsAllReport, target: f64) -> Option<String> {
    let (key, _) = TPR_AT_FPR.iter().find(|(_, f)| *f == target)?;
    let p = r.points.get(key)?;
    let goal = target_percent(target);
    Some(match (p.demonstrated_threshold, p.demonstrated_tmr) {
        (Some(t), Some(tmr)) => format!(
            "On all-vs-all, FMR ≤ {goal} is demonstrated: {} impostor comparisons; at threshold {t:.4} the \
             TMR is {} of {} genuine comparisons.",
            grouped(r.impostors),
            percent3(tmr),
            grouped(r.genuine)
        ),
        _ => format!(
            "On all-vs-all, FMR ≤ {goal} is not demonstrated: {} impostor comparisons; it needs ≥ {}.",
            grouped(r.impostors),
            p.impostors_needed.map_or_else(|| "more".into(), grouped)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Named;
    use crate::analysis::all_vs_all::AllVsAllPoint;

    fn report(impostors: u64, demonstrated: Option<(f64, f64)>) -> AllVsAllReport {
        let point = AllVsAllPoint {
            threshold: Some(0.42),
            fmr: Some(0.0),
            false_accepts: 0,
            impostors,
            tmr: Some(0.95),
            false_rejects: 5,
            genuine: 100,
            fmr_ci95: None,
            fnmr_ci95: None,
            fmr_upper95: None,
            demonstrated: demonstrated.is_some(),
            demonstrated_threshold: demonstrated.map(|d| d.0),
            demonstrated_tmr: demonstrated.map(|d| d.1),
            impostors_needed: Some(29_956),
        };
        AllVsAllReport {
            model: "builtin".into(),
            images: 10,
            identities: 3,
            genuine: 100,
            impostors,
            eer: None,
            points: Named(vec![("1e-4".into(), point)]),
            hardest_impostors: vec![],
        }
    }

    #[test]
    fn says_whether_the_target_is_demonstrated_with_counts() {
        let yes = claim_text(&report(27_583_723, Some((0.4197, 0.9465))), 1e-4).unwrap();
        assert_eq!(
            yes,
            "On all-vs-all, FMR ≤ 0.01 % is demonstrated: 27,583,723 impostor comparisons; at threshold 0.4197 \
             the TMR is 94.7 % of 100 genuine comparisons."
        );
        let no = claim_text(&report(2_795, None), 1e-4).unwrap();
        assert_eq!(
            no,
            "On all-vs-all, FMR ≤ 0.01 % is not demonstrated: 2,795 impostor comparisons; it needs ≥ 29,956."
        );
        assert_eq!(claim_text(&report(2_795, None), 0.05), None, "not one of the six points");
    }
}
