//! The all-vs-all result beside the labeled pairs on the Model screen: its counts, the FMR
//! targets observed and demonstrated, and the hardest impostors. Its DET curve is drawn with
//! the labeled pairs' one (`model_screen.rs`).

use crate::analysis::all_vs_all::all_vs_all_lines;
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
