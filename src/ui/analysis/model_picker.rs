//! Scoring with another model: the spec dialog for a user's `.onnx` embedder. The fields are
//! those of `pairscope embed --spec`; "Check" opens the model on a thread of its own (loading
//! a model is disk and CPU work, never done in a frame) and shows its declared shapes or what
//! does not fit. Scoring is offered once the check passed for the fields as they are.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

use crate::face::{ChannelOrder, EmbedderSpec, TensorLayout, check_embedder};
use crate::ui::analysis::command::AnalysisCommand;

/// What the last check said, and for which spec.
enum Check {
    NotYet,
    Running { spec: EmbedderSpec, answer: Receiver<Result<String, String>> },
    Done { spec: EmbedderSpec, result: Result<String, String> },
}

pub struct ModelPicker {
    path: PathBuf,
    name: String,
    size: String,
    order: ChannelOrder,
    mean: String,
    std: String,
    layout: TensorLayout,
    check: Check,
}

impl ModelPicker {
    /// Starts from the built-in model's spec, the most common one for ArcFace-style embedders.
    pub fn new(path: PathBuf) -> Self {
        let name = path.file_stem().map_or("onnx".into(), |s| s.to_string_lossy().into_owned());
        ModelPicker {
            path,
            name,
            size: "112x112".into(),
            order: ChannelOrder::Rgb,
            mean: "127".into(),
            std: "128".into(),
            layout: TensorLayout::Nchw,
            check: Check::NotYet,
        }
    }

    /// The spec the fields describe, parsed as `--spec` is.
    fn spec(&self) -> Result<EmbedderSpec, String> {
        for (what, text) in [("size", &self.size), ("mean", &self.mean), ("std", &self.std)] {
            // A comma or `=` would smuggle another key into the spec text.
            if text.contains([',', '=']) {
                return Err(format!("{what} '{text}' may not contain ',' or '='"));
            }
        }
        let order = if self.order == ChannelOrder::Rgb { "rgb" } else { "bgr" };
        let layout = if self.layout == TensorLayout::Nchw { "nchw" } else { "nhwc" };
        let text = format!("size={},order={order},mean={},std={},layout={layout}", self.size, self.mean, self.std);
        text.parse().map_err(|e: crate::face::FaceError| e.to_string())
    }

    fn start_check(&mut self, spec: EmbedderSpec, ctx: &egui::Context) {
        let (tx, rx) = channel();
        let (path, ctx) = (self.path.clone(), ctx.clone());
        let spawned = std::thread::Builder::new().name("pairscope-model-check".into()).spawn(move || {
            let result = check_embedder(&path, &spec).map(|info| info.describe()).map_err(|e| e.to_string());
            let _ = tx.send(result);
            ctx.request_repaint();
        });
        self.check = match spawned {
            Ok(_) => Check::Running { spec, answer: rx },
            Err(e) => Check::Done { spec, result: Err(format!("cannot start the check: {e}")) },
        };
    }

    /// Takes in a finished check; never blocks.
    fn poll(&mut self) {
        if let Check::Running { spec, answer } = &self.check {
            let result = match answer.try_recv() {
                Ok(result) => result,
                Err(std::sync::mpsc::TryRecvError::Empty) => return,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => Err("the check stopped unexpectedly".into()),
            };
            self.check = Check::Done { spec: *spec, result };
        }
    }
}

pub(in crate::ui) fn show(
    ctx: &egui::Context,
    picker: &mut Option<ModelPicker>,
    scoring: bool,
) -> Vec<AnalysisCommand> {
    let mut commands = Vec::new();
    let Some(p) = picker else { return commands };
    p.poll();
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("model picker")).show(ctx, |ui| {
        ui.set_width(560.0);
        ui.heading("Score with another model");
        ui.label(format!("File: {}", p.path.display()));
        ui.weak("Describe the embedder's input as its authors feed it (faces are detected and aligned by pairscope).");
        ui.add_space(6.0);
        egui::Grid::new("embedder spec").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
            let label = ui.label("Model name");
            ui.text_edit_singleline(&mut p.name)
                .labelled_by(label.id)
                .on_hover_text("Its scores are stored under this name.");
            ui.end_row();
            let label = ui.label("Input size");
            ui.text_edit_singleline(&mut p.size)
                .labelled_by(label.id)
                .on_hover_text("Width x height in pixels, e.g. 112x112.");
            ui.end_row();
            ui.label("Channel order");
            ui.horizontal(|ui| {
                ui.selectable_value(&mut p.order, ChannelOrder::Rgb, "RGB");
                ui.selectable_value(&mut p.order, ChannelOrder::Bgr, "BGR");
            });
            ui.end_row();
            let label = ui.label("Mean");
            ui.text_edit_singleline(&mut p.mean)
                .labelled_by(label.id)
                .on_hover_text("Subtracted from each pixel (0..255): one value, or R:G:B in the model's order.");
            ui.end_row();
            let label = ui.label("Std");
            ui.text_edit_singleline(&mut p.std)
                .labelled_by(label.id)
                .on_hover_text("The difference is divided by it: one value, or R:G:B.");
            ui.end_row();
            ui.label("Layout");
            ui.horizontal(|ui| {
                ui.selectable_value(&mut p.layout, TensorLayout::Nchw, "NCHW");
                ui.selectable_value(&mut p.layout, TensorLayout::Nhwc, "NHWC");
            });
            ui.end_row();
        });
        ui.add_space(6.0);
        let spec = p.spec();
        let checked = matches!((&p.check, &spec), (Check::Done { spec: s, result: Ok(_) }, Ok(now)) if s == now);
        match (&spec, &p.check) {
            (Err(e), _) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            (Ok(_), Check::NotYet) => {
                ui.weak("Check the model against this description before scoring with it.");
            }
            (Ok(_), Check::Running { .. }) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Checking the model…");
                });
            }
            (Ok(now), Check::Done { spec, result }) => {
                match result {
                    Ok(shapes) => ui.label(format!("The model fits: {shapes}")),
                    Err(e) => ui.colored_label(ui.visuals().error_fg_color, e),
                };
                if spec != now {
                    ui.weak("The fields changed since: check again.");
                }
            }
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let running = matches!(p.check, Check::Running { .. });
            if ui.add_enabled(spec.is_ok() && !running, egui::Button::new("Check")).clicked()
                && let Ok(spec) = spec
            {
                p.start_check(spec, ui.ctx());
            }
            let name_ok = !p.name.trim().is_empty();
            let score = ui
                .add_enabled(checked && name_ok && !scoring, egui::Button::new("Score project with this model"))
                .on_disabled_hover_text(if scoring {
                    "A scoring run is in progress."
                } else if !name_ok {
                    "Give the model a name."
                } else {
                    "Check the model first."
                });
            if score.clicked()
                && let Ok(spec) = spec
            {
                commands.push(AnalysisCommand::ScoreWithModel {
                    name: p.name.trim().into(),
                    path: p.path.clone(),
                    spec,
                });
                close = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
    });
    if close || modal.should_close() {
        *picker = None;
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fields_make_the_cli_spec() {
        let mut p = ModelPicker::new(PathBuf::from("/models/arcface_r50.onnx"));
        assert_eq!(p.name, "arcface_r50");
        assert_eq!(p.spec().unwrap(), EmbedderSpec::default());
        p.size = "96x112".into();
        p.order = ChannelOrder::Bgr;
        p.mean = "127.5".into();
        p.std = "1:2:4".into();
        p.layout = TensorLayout::Nhwc;
        assert_eq!(
            p.spec().unwrap(),
            "size=96x112,order=bgr,mean=127.5,std=1:2:4,layout=nhwc".parse::<EmbedderSpec>().unwrap()
        );
        p.std = "0".into();
        assert!(p.spec().unwrap_err().contains("std"), "a zero std is refused");
        p.std = "128,layout=nchw".into();
        assert!(p.spec().unwrap_err().contains("may not contain"));
    }
}
