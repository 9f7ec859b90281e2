//! Plot helpers shared by the screens: colours that read on both themes and the probit
//! axis of the DET curve.

use egui_plot::{GridInput, GridMark, Plot};

use crate::analysis::probit;

/// The curves.
pub fn curve(dark: bool) -> egui::Color32 {
    if dark { egui::Color32::from_rgb(120, 200, 140) } else { egui::Color32::from_rgb(20, 120, 60) }
}

/// A second curve beside [`curve`] (all-vs-all beside the labeled pairs).
pub fn second_curve(dark: bool) -> egui::Color32 {
    if dark { egui::Color32::from_rgb(120, 170, 250) } else { egui::Color32::from_rgb(30, 80, 200) }
}

/// The threshold line and the operating point.
pub fn marker(dark: bool) -> egui::Color32 {
    if dark { egui::Color32::from_rgb(250, 90, 90) } else { egui::Color32::from_rgb(200, 20, 20) }
}

/// A still plot of the unit square, both axes 0 to 1 (ROC, reliability), with its axis names.
pub fn unit_square<'a>(id: &str, height: f32, x: &str, y: &str) -> Plot<'a> {
    Plot::new(id)
        .height(height)
        .include_x(0.0)
        .include_x(1.0)
        .include_y(0.0)
        .include_y(1.0)
        .allow_drag(false)
        .allow_scroll(false)
        .x_axis_label(x.to_owned())
        .y_axis_label(y.to_owned())
}

/// Rates marked on a probit axis.
const PROBIT_MARKS: [f64; 8] = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 0.5, 0.9];

/// Grid marks at round rates (the axis is in probit units).
pub fn probit_grid(input: GridInput) -> Vec<GridMark> {
    PROBIT_MARKS
        .iter()
        .filter_map(|&p| probit(p))
        .filter(|x| x.is_finite() && *x >= input.bounds.0 && *x <= input.bounds.1)
        .map(|value| GridMark { value, step_size: 1.0 })
        .collect()
}

/// The rate at a probit value, for the axis labels: `0.1 %`, `1e-4`.
pub fn probit_label(value: f64) -> String {
    let p = PROBIT_MARKS.iter().find(|&&p| probit(p).is_some_and(|x| (x - value).abs() < 1e-6));
    match p {
        Some(&p) if p < 1e-3 => format!("{p:.0e}"),
        Some(&p) => format!("{} %", p * 100.0),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probit_axis_labels_round_rates() {
        assert_eq!(probit_label(probit(1e-4).unwrap()), "1e-4");
        assert_eq!(probit_label(probit(0.01).unwrap()), "1 %");
        assert_eq!(probit_label(0.123), "");
    }
}
