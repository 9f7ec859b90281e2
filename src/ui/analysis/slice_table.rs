//! A table of slices (tags, metadata values, tag combinations): sortable by every column,
//! numbers right-aligned, priority drawn as a bar. Clicking a slice's name opens its errors.

use std::cmp::Ordering;

use egui_extras::{Column, TableBuilder};

use crate::analysis::{SliceKey, SliceRow, SliceStats, TOO_FEW_TO_RANK, natural_cmp, ranked_first};
use crate::ui::widgets::format::{count, csv_line, interval, pct, pp, right};

/// A column of the table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SliceColumn {
    Name,
    Pairs,
    ShareOfData,
    Errors,
    ShareOfErrors,
    ErrorRate,
    ErrorRateCi,
    Accuracy,
    Hlp,
    GapToHlp,
    #[default]
    Priority,
    Fp,
    Fn,
}

impl SliceColumn {
    pub const ALL: [SliceColumn; 13] = [
        SliceColumn::Name,
        SliceColumn::Pairs,
        SliceColumn::ShareOfData,
        SliceColumn::Errors,
        SliceColumn::ShareOfErrors,
        SliceColumn::ErrorRate,
        SliceColumn::ErrorRateCi,
        SliceColumn::Accuracy,
        SliceColumn::Hlp,
        SliceColumn::GapToHlp,
        SliceColumn::Priority,
        SliceColumn::Fp,
        SliceColumn::Fn,
    ];

    pub fn title(self) -> &'static str {
        match self {
            SliceColumn::Name => "Slice",
            SliceColumn::Pairs => "Pairs",
            SliceColumn::ShareOfData => "% of data",
            SliceColumn::Errors => "Errors",
            SliceColumn::ShareOfErrors => "% of errors",
            SliceColumn::ErrorRate => "Error rate",
            SliceColumn::ErrorRateCi => "95% interval",
            SliceColumn::Accuracy => "Accuracy",
            SliceColumn::Hlp => "HLP",
            SliceColumn::GapToHlp => "Gap to HLP",
            SliceColumn::Priority => "Priority",
            SliceColumn::Fp => "FP",
            SliceColumn::Fn => "FN",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            SliceColumn::Name => "The slice. Click a name to browse its errors.",
            SliceColumn::Pairs => {
                "Pairs in the slice with a truth and a score. A tag's slice: the pairs whose consensus tags \
                 include it (applied by at least half of the pair's labelers)."
            }
            SliceColumn::ShareOfData => "The slice's share of all evaluable pairs.",
            SliceColumn::Errors => "Pairs the model gets wrong at this threshold.",
            SliceColumn::ShareOfErrors => "The slice's share of all the model's errors.",
            SliceColumn::ErrorRate => "Errors / pairs in the slice.",
            SliceColumn::ErrorRateCi => {
                "Where the slice's true error rate lies, with 95% confidence (two-sided Clopper–Pearson); \
                 the bar spans it on a 0–100% scale. Few pairs, wide interval. Sorted by its lower end."
            }
            SliceColumn::Accuracy => "1 - error rate (hover a value for its 95% interval).",
            SliceColumn::Hlp => "Human-level performance: the labelers' accuracy on the slice.",
            SliceColumn::GapToHlp => "HLP - accuracy: how much better humans do.",
            SliceColumn::Priority => "max(gap to HLP, 0) × share of data: what fixing the slice could gain.",
            SliceColumn::Fp => "Different people predicted same.",
            SliceColumn::Fn => "Same person predicted different.",
        }
    }

    fn value(self, r: &SliceRow) -> Option<f64> {
        match self {
            SliceColumn::Name => None,
            SliceColumn::Pairs => Some(r.pairs as f64),
            SliceColumn::ShareOfData => Some(r.share_of_data),
            SliceColumn::Errors => Some(r.errors as f64),
            SliceColumn::ShareOfErrors => r.share_of_errors,
            SliceColumn::ErrorRate => Some(r.error_rate),
            SliceColumn::ErrorRateCi => r.error_rate_ci95.map(|c| c[0]),
            SliceColumn::Accuracy => Some(r.accuracy),
            SliceColumn::Hlp => r.hlp,
            SliceColumn::GapToHlp => r.gap_to_hlp,
            SliceColumn::Priority => r.priority,
            SliceColumn::Fp => Some(r.fp as f64),
            SliceColumn::Fn => Some(r.fn_ as f64),
        }
    }

    fn text(self, r: &SliceRow) -> String {
        match self {
            SliceColumn::Name => r.name.clone(),
            SliceColumn::Pairs => count(r.pairs),
            SliceColumn::Errors => count(r.errors),
            SliceColumn::Fp => count(r.fp),
            SliceColumn::Fn => count(r.fn_),
            SliceColumn::GapToHlp => pp(r.gap_to_hlp),
            SliceColumn::Priority => r.priority.map(|p| format!("{p:.4}")).unwrap_or_else(|| "–".into()),
            SliceColumn::ErrorRateCi => interval(r.error_rate_ci95),
            other => pct(other.value(r)),
        }
    }
}

/// Which column the table is sorted by, and which way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SortState {
    pub column: SliceColumn,
    /// Smallest first (names: A→Z). The default sort is largest priority first.
    pub ascending: bool,
}

impl SortState {
    fn click(&mut self, column: SliceColumn) {
        if self.column == column {
            self.ascending = !self.ascending;
        } else {
            self.column = column;
            self.ascending = column == SliceColumn::Name;
        }
    }
}

/// Sorts rows by the column; unranked rows (too few pairs) after the ranked ones and missing
/// values last, either way; ties by name.
pub fn sort(rows: &mut [SliceRow], by: SortState) {
    rows.sort_by(|x, y| {
        let rank = ranked_first(x, y);
        if rank != Ordering::Equal {
            return rank;
        }
        let primary = match by.column {
            SliceColumn::Name => natural_cmp(&x.name, &y.name),
            c => match (c.value(x), c.value(y)) {
                (Some(a), Some(b)) => a.total_cmp(&b),
                (Some(_), None) => return Ordering::Less,
                (None, Some(_)) => return Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
        };
        let primary = if by.ascending { primary } else { primary.reverse() };
        primary.then_with(|| natural_cmp(&x.name, &y.name))
    });
}

/// The rows as CSV (fractions as plain numbers, for spreadsheets).
pub fn to_csv(rows: &[SliceRow]) -> String {
    let mut out = csv_line(["slice"].into_iter().chain(SliceStats::CSV_COLUMNS));
    for r in rows {
        out += &csv_line([r.name.clone()].into_iter().chain(r.csv_cells()));
    }
    out
}

const ROW_HEIGHT: f32 = 20.0;
/// The width of the interval bar at the left of its cell.
const INTERVAL_BAR: f32 = 44.0;

/// A small triangle: pointing up when sorted smallest first, down when largest first
/// (painted: the bundled fonts have no arrow glyphs).
fn sort_marker(ui: &mut egui::Ui, ascending: bool) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
    let c = rect.center();
    let (tip, base) = if ascending { (-4.0, 3.0) } else { (4.0, -3.0) };
    let points = vec![egui::pos2(c.x, c.y + tip), egui::pos2(c.x - 4.0, c.y + base), egui::pos2(c.x + 4.0, c.y + base)];
    let colour = ui.visuals().strong_text_color();
    ui.painter().add(egui::Shape::convex_polygon(points, colour, egui::Stroke::NONE));
}

/// What was asked of a slice by its name.
#[derive(Clone, Debug, PartialEq)]
pub enum SliceClick {
    /// Browse its errors (a click on the name).
    Browse(SliceKey),
    /// Synthesise more pairs like a tag's slice (its name's context menu): the tag.
    Augment(String),
}

/// Shows the rows in their order (sorted by `sort_state` where they were computed: a click on
/// a heading changes it, and the rows come sorted anew). Returns what was asked of a slice by
/// its name.
pub fn show(
    ui: &mut egui::Ui,
    id: &str,
    rows: &[SliceRow],
    sort_state: &mut SortState,
    max_height: f32,
) -> Option<SliceClick> {
    let max_priority = rows.iter().filter(|r| r.ranked).filter_map(|r| r.priority).fold(0.0f64, f64::max);
    let mut clicked = None;
    let bar_colour = ui.visuals().selection.bg_fill;
    ui.push_id(id, |ui| {
        let mut table = TableBuilder::new(ui)
            .striped(true)
            .max_scroll_height(max_height)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(170.0).at_least(90.0).clip(true).resizable(true));
        for c in &SliceColumn::ALL[1..] {
            let width = match c {
                SliceColumn::Priority => 130.0,
                SliceColumn::Fp | SliceColumn::Fn => 56.0,
                SliceColumn::Pairs | SliceColumn::Errors => 64.0,
                SliceColumn::ErrorRateCi => 124.0,
                _ => 82.0,
            };
            table = table.column(Column::exact(width));
        }
        table
            .header(ROW_HEIGHT + 4.0, |mut header| {
                for c in SliceColumn::ALL {
                    header.col(|ui| {
                        let sorted = (sort_state.column == c).then_some(sort_state.ascending);
                        let layout = if c == SliceColumn::Name {
                            egui::Layout::left_to_right(egui::Align::Center)
                        } else {
                            egui::Layout::right_to_left(egui::Align::Center)
                        };
                        ui.with_layout(layout, |ui| {
                            if let Some(ascending) = sorted {
                                sort_marker(ui, ascending);
                            }
                            let text = egui::RichText::new(c.title()).strong();
                            if ui.add(egui::Button::new(text).frame(false)).on_hover_text(c.hint()).clicked() {
                                sort_state.click(c);
                            }
                            if c == SliceColumn::Name
                                && let Some(ascending) = sorted
                            {
                                sort_marker(ui, ascending);
                            }
                        });
                    });
                }
            })
            .body(|body| {
                // The unranked rows (too few pairs) come last, below a divider row.
                let ranked = rows.iter().take_while(|r| r.ranked).count();
                let divider = (ranked < rows.len()).then_some(ranked);
                body.rows(ROW_HEIGHT, rows.len() + usize::from(divider.is_some()), |mut row| {
                    let index = row.index();
                    if divider == Some(index) {
                        row.col(|ui| {
                            ui.weak(TOO_FEW_TO_RANK).on_hover_text(
                                "Slices with fewer pairs than the minimum support (set above the table) are \
                                 listed here, never ranked: their rates are too uncertain to say where to look first.",
                            );
                        });
                        for _ in &SliceColumn::ALL[1..] {
                            row.col(|_| {});
                        }
                        return;
                    }
                    let r = &rows[if divider.is_some_and(|d| index > d) { index - 1 } else { index }];
                    row.col(|ui| {
                        let tag = matches!(r.key, SliceKey::Tag { .. });
                        let hint = if tag {
                            "Browse this slice's errors (right-click: Augment…, more pairs like these)"
                        } else {
                            "Browse this slice's errors"
                        };
                        let link = ui.link(&r.name).on_hover_text(hint);
                        if link.clicked() {
                            clicked = Some(SliceClick::Browse(r.key.clone()));
                        }
                        if tag {
                            link.context_menu(|ui| {
                                if ui.button("Browse errors").clicked() {
                                    clicked = Some(SliceClick::Browse(r.key.clone()));
                                    ui.close();
                                }
                                let augment = ui.button("Augment…").on_hover_text(
                                    "Synthesise more pairs like this slice (on Curate, previewed before anything is written).",
                                );
                                if augment.clicked() {
                                    clicked = Some(SliceClick::Augment(r.name.clone()));
                                    ui.close();
                                }
                            });
                        }
                    });
                    for c in &SliceColumn::ALL[1..] {
                        row.col(|ui| {
                            if *c == SliceColumn::Priority {
                                let rect = ui.max_rect().shrink2(egui::vec2(0.0, 4.0));
                                if let Some(p) = r.priority
                                    && max_priority > 0.0
                                    && r.ranked
                                {
                                    let w = rect.width() * (p / max_priority) as f32;
                                    let bar = egui::Rect::from_min_size(rect.min, egui::vec2(w, rect.height()));
                                    ui.painter().rect_filled(bar, 2.0, bar_colour.gamma_multiply(0.6));
                                }
                            }
                            if *c == SliceColumn::ErrorRateCi
                                && let Some([lo, hi]) = r.error_rate_ci95
                            {
                                // The interval on a 0–100 % scale, left of its text.
                                let cell = ui.max_rect().shrink2(egui::vec2(0.0, 7.0));
                                let rect = egui::Rect::from_min_size(cell.min, egui::vec2(INTERVAL_BAR, cell.height()));
                                ui.painter().rect_filled(rect, 1.0, ui.visuals().faint_bg_color);
                                let x = |v: f64| rect.left() + rect.width() * v as f32;
                                let span = egui::Rect::from_x_y_ranges(x(lo)..=x(hi).max(x(lo) + 1.0), rect.y_range());
                                ui.painter().rect_filled(span, 1.0, bar_colour.gamma_multiply(0.45));
                            }
                            let response = right(ui, c.text(r));
                            if *c == SliceColumn::Accuracy {
                                response.on_hover_text(format!("95% interval {}", interval(r.accuracy_ci95())));
                            }
                        });
                    }
                });
            });
    });
    clicked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, pairs: u64, priority: Option<f64>) -> SliceRow {
        SliceRow {
            name: name.into(),
            key: SliceKey::Tag { tag: 0 },
            stats: SliceStats {
                pairs,
                share_of_data: 0.1,
                errors: 1,
                share_of_errors: None,
                error_rate: 0.1,
                accuracy: 0.9,
                hlp: None,
                gap_to_hlp: None,
                priority,
                fp: 0,
                fn_: 1,
                error_rate_ci95: Some([0.01, 0.4]),
                ranked: true,
            },
        }
    }

    #[test]
    fn sorts_by_any_column_with_missing_values_last() {
        let mut rows = vec![row("b", 5, None), row("a", 9, Some(0.1)), row("c", 1, Some(0.3))];
        sort(&mut rows, SortState { column: SliceColumn::Priority, ascending: false });
        assert_eq!(rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["c", "a", "b"]);
        sort(&mut rows, SortState { column: SliceColumn::Priority, ascending: true });
        assert_eq!(rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["a", "c", "b"]);
        sort(&mut rows, SortState { column: SliceColumn::Pairs, ascending: true });
        assert_eq!(rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["c", "b", "a"]);
        let mut state = SortState::default();
        state.click(SliceColumn::Name);
        sort(&mut rows, state);
        assert_eq!(rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
    }

    #[test]
    fn unranked_rows_come_last_whatever_the_sort() {
        let mut rows = vec![row("b", 5, Some(0.1)), row("a", 9, Some(0.9)), row("c", 30, Some(0.3))];
        rows[1].stats.ranked = false;
        for state in [
            SortState { column: SliceColumn::Priority, ascending: false },
            SortState { column: SliceColumn::Priority, ascending: true },
            SortState { column: SliceColumn::Name, ascending: true },
            SortState { column: SliceColumn::ErrorRateCi, ascending: false },
        ] {
            sort(&mut rows, state);
            assert_eq!(rows[2].name, "a", "{state:?}");
        }
    }

    #[test]
    fn fold_slices_sort_as_numbers_by_name_and_on_ties() {
        let names = |rows: &[SliceRow]| rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>();
        let mut rows: Vec<SliceRow> = ["fold 10", "fold 2", "fold 1"].iter().map(|n| row(n, 5, Some(0.1))).collect();
        let mut state = SortState::default();
        state.click(SliceColumn::Name);
        sort(&mut rows, state);
        assert_eq!(names(&rows), ["fold 1", "fold 2", "fold 10"]);
        sort(&mut rows, SortState { column: SliceColumn::Priority, ascending: false });
        assert_eq!(names(&rows), ["fold 1", "fold 2", "fold 10"], "equal priorities: by name, as numbers");
    }
}
