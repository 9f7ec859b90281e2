use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::background::Background;
use super::command::Command;
use super::{overview, welcome};
use crate::store::{ProjectInfo, Store};

const MAX_RECENT: usize = 8;

/// What survives a restart (eframe storage).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub recent_projects: Vec<PathBuf>,
    pub last_project: Option<PathBuf>,
    pub last_labeler: Option<String>,
}

impl State {
    fn remember(&mut self, path: &Path) {
        self.recent_projects.retain(|p| p != path);
        self.recent_projects.insert(0, path.to_owned());
        self.recent_projects.truncate(MAX_RECENT);
        self.last_project = Some(path.to_owned());
    }
}

/// Results of background work.
pub(super) enum Loaded {
    Project { path: PathBuf, result: Result<ProjectInfo, String> },
}

pub(super) struct OpenProject {
    pub path: PathBuf,
    /// None while the first load is in flight.
    pub info: Option<ProjectInfo>,
}

pub struct PairscopeApp {
    pub state: State,
    pub(super) project: Option<OpenProject>,
    pub(super) error: Option<String>,
    pub(super) path_field: String,
    commands: Vec<Command>,
    background: Background<Loaded>,
}

impl PairscopeApp {
    pub fn new(cc: &eframe::CreationContext<'_>, project: Option<PathBuf>) -> Self {
        let state: State = cc.storage.and_then(|s| eframe::get_value(s, eframe::APP_KEY)).unwrap_or_default();
        Self::with_state(cc.egui_ctx.clone(), state, project)
    }

    /// The app without eframe storage (tests).
    pub fn with_state(ctx: egui::Context, state: State, project: Option<PathBuf>) -> Self {
        let mut app = PairscopeApp {
            path_field: String::new(),
            background: Background::new(move || ctx.request_repaint()),
            state,
            project: None,
            error: None,
            commands: Vec::new(),
        };
        if let Some(path) = project.or_else(|| app.state.last_project.clone().filter(|p| p.is_file())) {
            app.commands.push(Command::OpenProject(path));
        }
        app
    }

    pub(super) fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    fn load(&self, path: PathBuf, create: bool) {
        self.background.spawn(move || {
            let result = (|| {
                let mut store = if create { Store::create(&path)? } else { Store::open(&path)? };
                store.read(|tx| tx.info())
            })()
            .map_err(|e| e.to_string());
            Loaded::Project { path, result }
        });
    }

    fn apply(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::OpenProject(path) => self.load(path, false),
            Command::CreateProject(path) => self.load(path, true),
            Command::Refresh => {
                if let Some(p) = &self.project {
                    self.load(p.path.clone(), false);
                }
            }
            Command::CloseProject => {
                self.project = None;
                self.state.last_project = None;
                ctx.send_viewport_cmd(egui::ViewportCommand::Title("pairscope".into()));
            }
            Command::DismissError => self.error = None,
        }
    }

    fn receive(&mut self, ctx: &egui::Context) {
        for loaded in self.background.poll() {
            match loaded {
                Loaded::Project { path, result: Ok(info) } => {
                    self.state.remember(&path);
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    ctx.send_viewport_cmd(egui::ViewportCommand::Title(format!("{name} — pairscope")));
                    self.project = Some(OpenProject { path, info: Some(info) });
                }
                Loaded::Project { result: Err(e), .. } => self.error = Some(e),
            }
        }
    }

    fn dropped_project(ctx: &egui::Context) -> Option<PathBuf> {
        ctx.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_owned()).find(|p| p.is_file()))
    }
}

impl eframe::App for PairscopeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.receive(&ctx);
        if let Some(path) = Self::dropped_project(&ctx) {
            self.push(Command::OpenProject(path));
        }

        egui::Panel::top("menu").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.strong("pairscope");
                ui.separator();
                if self.project.is_some() && ui.button("Close project").clicked() {
                    self.push(Command::CloseProject);
                }
                if self.project.is_some() && ui.button("Reload").clicked() {
                    self.push(Command::Refresh);
                }
            });
        });
        if let Some(error) = self.error.clone() {
            egui::Panel::bottom("error").show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.colored_label(ui.visuals().error_fg_color, format!("Error: {error}"));
                    if ui.button("Dismiss").clicked() {
                        self.push(Command::DismissError);
                    }
                });
            });
        }
        egui::CentralPanel::default().show(ui, |ui| match &self.project {
            Some(project) => {
                let commands = overview::show(ui, project);
                self.commands.extend(commands);
            }
            None => {
                let commands = welcome::show(ui, &self.state, &mut self.path_field);
                self.commands.extend(commands);
            }
        });

        for command in std::mem::take(&mut self.commands) {
            self.apply(&ctx, command);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.state);
    }
}
