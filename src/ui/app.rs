use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::analysis_data::AnalysisData;
use super::background::Background;
use super::command::Command;
use super::curate::{CurateLoaded, CurateUi};
use super::file_dialogs::{Dialogs, FileDialogs, SystemDialogs};
use super::image_cache::ImageCache;
use super::labeling::{LabelEdit, Labeling};
use super::outside_changes::Watch;
use super::save_queue::{Edit, SaveQueue};
use super::scoring_job::ScoringJob;
use super::screens::{AnalysisUi, Screen};
use super::session::Session;
use super::{
    adjudication, agreement_screen, cheat_sheet, curate_screen, error_analysis, labeler_picker, model_picker,
    model_screen, note_editor, overview, queues, review, screen_keys, tag_editor, top_bar, welcome,
};
use crate::analysis::ThresholdRule;
use crate::store::{Labeler, Origin, PairId, ProjectInfo, ReviewData, Role, Store, StoreError};

const MAX_RECENT: usize = 8;

/// What survives a restart (eframe storage).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub recent_projects: Vec<PathBuf>,
    pub last_project: Option<PathBuf>,
    pub last_labeler: Option<String>,
    /// Hide truth, score and others' work on a pair until I have given my verdict.
    pub blind: bool,
    /// Model score at or above which a pair counts as "same" (for the model-errors queue).
    pub threshold: f64,
}

impl Default for State {
    fn default() -> Self {
        State { recent_projects: Vec::new(), last_project: None, last_labeler: None, blind: true, threshold: 0.5 }
    }
}

impl State {
    pub(super) fn remember(&mut self, path: &Path) {
        self.recent_projects.retain(|p| p != path);
        self.recent_projects.insert(0, path.to_owned());
        self.recent_projects.truncate(MAX_RECENT);
        self.last_project = Some(path.to_owned());
    }
}

/// Results of background work. `seq` orders them against the edits made meanwhile.
pub(super) enum Loaded {
    Project {
        path: PathBuf,
        result: Result<Box<Opened>, String>,
    },
    Data {
        seq: u64,
        result: Result<(ProjectInfo, ReviewData), String>,
    },
    /// The save queue's I/O job is done: every edit up to now is committed, or the error.
    Saved {
        result: Result<(), String>,
    },
    /// A write outside the save queue (a saved run).
    Written {
        result: Result<(), String>,
    },
    /// A job panicked on the I/O thread; its work was not done.
    Panicked(String),
    Labeler {
        result: Result<(Labeler, ProjectInfo, ReviewData), String>,
    },
    /// The analysis screens' data; `generation` says which request it answers.
    Analysis {
        generation: u64,
        result: Result<Box<AnalysisData>, String>,
    },
    Exported {
        result: Result<Option<PathBuf>, String>,
    },
    Curate(CurateLoaded),
}

pub(super) struct OpenProject {
    pub path: PathBuf,
    /// None while the first load is in flight.
    pub info: Option<ProjectInfo>,
    pub store: Arc<Mutex<Store>>,
    pub labeling: Labeling,
    pub session: Option<Session>,
    /// Tells when another process changed the project.
    pub watch: Watch,
}

/// How long the last page turn took: from the frame that handled the key to the end of the
/// frame that drew both photos of the new pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageTurn {
    pub frames: u64,
    pub elapsed: Duration,
}

pub(super) struct PendingTurn {
    pub(super) pair: PairId,
    pub(super) frame: u64,
    pub(super) started: Instant,
}

/// View state that does not outlive the window.
#[derive(Default)]
pub(super) struct Transient {
    pub labeler_field: String,
    /// The role a new labeler gets.
    pub new_role: Role,
    pub cheat_sheet: bool,
    pub note: Option<note_editor::NoteDraft>,
    pub tag_editor: Option<tag_editor::TagEditor>,
    pub adjudication: Option<adjudication::Draft>,
    pub zoom: review::Zoom,
    pub show_overview: bool,
    pub queue_counts: Option<queues::Counts>,
    /// Long work the welcome screen is waiting for (e.g. building the demo on first run).
    pub busy: Option<String>,
    pub screen: Screen,
    pub analysis: AnalysisUi,
    /// Analyse this model's scores (None: the project's default model).
    pub model: Option<String>,
    /// Where the last CSV export went.
    pub exported: Option<PathBuf>,
    pub curate: CurateUi,
    /// The Model screen's path field for another `.onnx` (for desktops without a file dialog).
    pub embedder_path: String,
    /// The spec dialog of another model, while open.
    pub model_picker: Option<model_picker::ModelPicker>,
    /// Suggestions accepted or rejected in this window, off the list before the reload shows it.
    pub reviewed_suggestions: std::collections::HashSet<(PairId, String)>,
}

pub struct PairscopeApp {
    pub state: State,
    pub(super) project: Option<OpenProject>,
    pub(super) error: Option<String>,
    pub(super) path_field: String,
    pub(super) ui: Transient,
    pub(super) images: ImageCache,
    /// The analysis of the open project (None until the I/O thread has prepared it).
    pub(super) analysis: Option<AnalysisData>,
    /// The built-in model scoring the project, if running.
    pub(super) scoring: Option<ScoringJob>,
    /// What the last scoring run did (or why it stopped).
    pub(super) scoring_outcome: Option<String>,
    /// Requests for analysis data sent; only the newest answer is kept.
    pub(super) analysis_generation: u64,
    /// CPU time of the last `ui()` pass.
    pub(super) last_frame_time: Option<Duration>,
    /// When the app was created (for the time to first paint).
    pub(super) created: Instant,
    /// What arrived and is drawn at the end of this frame (logged with the time since start).
    pub(super) paint_pending: Option<&'static str>,
    pub(super) commands: Vec<Command>,
    pub(super) dialogs: Dialogs,
    pub(super) background: Background<Loaded>,
    /// Jobs sent to the I/O thread whose result has not come back yet.
    pub(super) in_flight: usize,
    pub(super) seq: u64,
    /// The seq of the last label edit sent for saving; reloads older than it are stale.
    pub(super) last_edit_seq: u64,
    /// Edits shown but not yet committed.
    pub(super) saves: SaveQueue,
    pub(super) frame: u64,
    pub(super) frame_started: Option<Instant>,
    pub(super) pending_turn: Option<PendingTurn>,
    pub(super) last_turn: Option<PageTurn>,
    /// Open the next project straight into review as this labeler (`gui --labeler`).
    pub(super) labeler_on_open: Option<String>,
}

pub(super) fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    // Only the I/O thread and the watch thread lock the store, never a frame; a panic there
    // must not wedge the app for good.
    store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A project just opened, as read on the I/O thread.
pub(super) struct Opened {
    pub info: ProjectInfo,
    pub data: ReviewData,
    pub store: Store,
    /// `PRAGMA data_version` right after the read: the watch for outside changes starts here.
    pub version: i64,
}

pub(super) fn read_opened(mut store: Store) -> Result<Box<Opened>, StoreError> {
    let (info, data) = read_all(&mut store)?;
    let version = store.data_version()?;
    Ok(Box::new(Opened { info, data, store, version }))
}

pub(super) fn read_all(store: &mut Store) -> Result<(ProjectInfo, ReviewData), StoreError> {
    store.read(|tx| Ok((tx.info()?, tx.review_data()?)))
}

impl PairscopeApp {
    pub fn new(cc: &eframe::CreationContext<'_>, project: Option<PathBuf>) -> Self {
        let state: State = cc.storage.and_then(|s| eframe::get_value(s, eframe::APP_KEY)).unwrap_or_default();
        let first_run = project.is_none() && !state.last_project.as_ref().is_some_and(|p| p.is_file());
        let mut app = Self::with_state(cc.egui_ctx.clone(), state, project);
        if first_run {
            app.commands.push(Command::OpenDemo);
        }
        app
    }

    /// The app without eframe storage (tests).
    pub fn with_state(ctx: egui::Context, state: State, project: Option<PathBuf>) -> Self {
        let wake = ctx.clone();
        let mut app = PairscopeApp {
            path_field: String::new(),
            background: Background::new(move || wake.request_repaint()),
            dialogs: Dialogs::new(ctx.clone(), Arc::new(SystemDialogs)),
            images: ImageCache::new(ctx),
            state,
            project: None,
            error: None,
            ui: Transient::default(),
            analysis: None,
            scoring: None,
            scoring_outcome: None,
            analysis_generation: 0,
            last_frame_time: None,
            created: Instant::now(),
            paint_pending: None,
            commands: Vec::new(),
            in_flight: 0,
            seq: 0,
            last_edit_seq: 0,
            saves: SaveQueue::default(),
            frame: 0,
            frame_started: None,
            pending_turn: None,
            last_turn: None,
            labeler_on_open: None,
        };
        if let Some(path) = project.or_else(|| app.state.last_project.clone().filter(|p| p.is_file())) {
            app.commands.push(Command::OpenProject(path));
        }
        app
    }

    /// Opens the project straight into review as this labeler, created if the project does not
    /// know them yet (`pairscope gui P --labeler NAME`).
    pub fn labeling_as(mut self, labeler: Option<String>) -> Self {
        self.labeler_on_open = labeler;
        self
    }

    /// Answers file dialogs with these instead of the desktop's (tests).
    pub fn with_file_dialogs(mut self, dialogs: Arc<dyn FileDialogs>) -> Self {
        self.dialogs.replace(dialogs);
        self
    }

    /// No work is waiting on the I/O thread or a dialog: everything the user did is on disk.
    pub fn is_idle(&self) -> bool {
        self.in_flight == 0
            && self.saves.len() == 0
            && self.commands.is_empty()
            && !self.dialogs.waiting()
            && self.ui.curate.export.job.is_none()
    }

    /// Photos being decoded (the pair on screen and the prefetched ones).
    pub fn images_loading(&self) -> usize {
        self.images.loading()
    }

    /// How far the photos are zoomed in (1 = fitted).
    pub fn zoom_scale(&self) -> f32 {
        self.ui.zoom.scale
    }

    /// The last page turn, once the new pair was drawn.
    pub fn last_page_turn(&self) -> Option<PageTurn> {
        self.last_turn
    }

    /// The labeler at work, if any.
    pub fn labeler(&self) -> Option<&str> {
        self.project.as_ref()?.session.as_ref().map(|s| s.me.name.as_str())
    }

    /// The pair on screen, if any.
    pub fn current_pair(&self) -> Option<PairId> {
        self.project.as_ref()?.session.as_ref()?.current()
    }

    /// The pairs of the review queue, in the order the labeler walks them.
    pub fn queue_pairs(&self) -> Vec<PairId> {
        self.project.as_ref().and_then(|p| p.session.as_ref()).map(|s| s.order.clone()).unwrap_or_default()
    }

    /// The screen shown.
    pub fn screen(&self) -> Screen {
        self.ui.screen
    }

    /// Whether the analysis screens have their data (prepared on the I/O thread).
    pub fn analysis_ready(&self) -> bool {
        self.analysis.is_some() && !self.ui.analysis.loading
    }

    /// Saved runs of the open project, as the screens last read them.
    pub fn run_names(&self) -> Vec<String> {
        self.analysis.as_ref().map(|a| a.runs.iter().map(|r| r.name.clone()).collect()).unwrap_or_default()
    }

    /// The pairs the error browser shows, in its order (None when it is closed).
    pub fn error_browser_pairs(&self) -> Option<Vec<PairId>> {
        let key = self.ui.analysis.browsing.as_ref()?;
        let data = self.analysis.as_ref()?;
        Some(data.slice_errors(key, self.state.threshold).into_iter().map(|i| data.pair_ids[i as usize]).collect())
    }

    /// What the last "Score project" did, once it finished.
    pub fn scoring_outcome(&self) -> Option<&str> {
        if self.scoring.is_some() { None } else { self.scoring_outcome.as_deref() }
    }

    /// Pairs suggested for `tag` on the Error analysis screen, in the review list's order.
    pub fn suggested_pairs(&self, tag: &str) -> Vec<PairId> {
        let Some(data) = &self.analysis else { return Vec::new() };
        super::suggestions::listed(self, data, tag).into_iter().map(|(pair, _)| pair).collect()
    }

    /// CPU time of the last frame's `ui()` pass.
    pub fn last_frame_time(&self) -> Option<Duration> {
        self.last_frame_time
    }

    pub(super) fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// What the status line says about saving (and whether it is a problem): "All changes
    /// saved" only once every edit has committed.
    pub(super) fn save_status(&self) -> (String, bool) {
        self.saves.status()
    }

    /// Edits shown on screen but not yet committed to the project file.
    pub fn unsaved_edits(&self) -> usize {
        self.saves.len()
    }

    /// Test hook: the next save panics on the I/O thread in the middle of its transaction.
    #[doc(hidden)]
    pub fn panic_in_next_save(&mut self) {
        self.saves.panic_in_next_save();
    }

    pub(super) fn spawn(&mut self, job: impl FnOnce() -> Loaded + Send + 'static) -> u64 {
        self.spawn_or(job, Loaded::Panicked)
    }

    /// [`spawn`](Self::spawn), answering `if_panics(message)` should the job panic.
    pub(super) fn spawn_or(
        &mut self,
        job: impl FnOnce() -> Loaded + Send + 'static,
        if_panics: impl FnOnce(String) -> Loaded + Send + 'static,
    ) -> u64 {
        self.in_flight += 1;
        self.seq += 1;
        self.background.spawn(job, if_panics);
        self.seq
    }

    /// Queues an edit (already shown on screen) for saving in its own transaction.
    pub(super) fn queue_save(&mut self, edit: Edit) {
        let Some(project) = &self.project else { return };
        self.saves.push(&project.store, edit);
        self.drain_saves();
    }

    /// Sends the I/O thread to write every queued edit, in order.
    pub(super) fn drain_saves(&mut self) {
        let (job, if_panics) = self.saves.drain_job();
        // Reads sent before this job may miss the edits; reads sent after it see them.
        self.last_edit_seq = self.spawn_or(job, if_panics);
    }

    pub(super) fn load(&mut self, path: PathBuf, create: bool) {
        self.spawn(move || {
            let result = (|| {
                let store = if create { Store::create(&path)? } else { Store::open(&path)? };
                read_opened(store)
            })()
            .map_err(|e| e.to_string());
            Loaded::Project { path, result }
        });
    }

    /// Reads and prepares the analysis on the I/O thread (after the writes queued so far).
    pub(super) fn load_analysis(&mut self) {
        let Some(project) = &self.project else { return };
        let store = project.store.clone();
        let model = self.ui.model.clone();
        self.analysis_generation += 1;
        let generation = self.analysis_generation;
        self.ui.analysis.loading = true;
        self.spawn(move || Loaded::Analysis {
            generation,
            result: AnalysisData::load(&mut lock(&store), model.as_deref()).map(Box::new),
        });
    }

    /// Re-reads the project after the writes queued so far.
    pub(super) fn reload(&mut self) {
        let Some(project) = &self.project else { return };
        let store = project.store.clone();
        let seq = self.seq + 1;
        self.spawn(move || Loaded::Data { seq, result: read_all(&mut lock(&store)).map_err(|e| e.to_string()) });
    }

    /// Runs a write that changes more than labels, then re-reads the project.
    pub(super) fn write_and_reload(
        &mut self,
        write: impl FnOnce(&mut Store) -> Result<(), StoreError> + Send + 'static,
    ) {
        let Some(project) = &self.project else { return };
        let store = project.store.clone();
        let seq = self.seq + 1;
        self.spawn(move || {
            let mut store = lock(&store);
            let result = write(&mut store).and_then(|()| read_all(&mut store)).map_err(|e| e.to_string());
            Loaded::Data { seq, result }
        });
    }

    /// Shows a label edit at once and saves it in its own transaction on the I/O thread.
    pub(super) fn save(&mut self, edit: LabelEdit, origin: Origin<'static>) {
        let blind = self.label_is_blind(edit.pair(), edit.labeler());
        let Some(project) = &mut self.project else { return };
        project.labeling.apply(&edit);
        self.queue_save(Edit::Label { edit, origin, blind });
    }

    pub(super) fn start_session(&mut self, ctx: &egui::Context, me: Labeler) {
        let Some(project) = &mut self.project else { return };
        self.state.last_labeler = Some(me.name.clone());
        // Labelers always work blind; adjudicators and engineers start seeing everyone's work
        // (and may turn blind mode on to label blind themselves).
        self.state.blind = !me.role.may_unblind();
        project.session = Some(Session::new(me, &project.labeling, self.state.blind));
        self.ui.zoom = review::Zoom::default();
        self.ui.show_overview = false;
        self.enforce_access();
        self.set_title(ctx);
    }

    pub(super) fn set_title(&self, ctx: &egui::Context) {
        let title = match &self.project {
            Some(p) => {
                let name = p.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                match &p.session {
                    Some(s) => format!("{name} — {} — pairscope", s.me.name),
                    None => format!("{name} — pairscope"),
                }
            }
            None => "pairscope".into(),
        };
        ctx.send_viewport_cmd(egui::ViewportCommand::Title(title));
    }

    pub(super) fn threshold_in_range(&self) -> bool {
        let range = self.analysis.as_ref().and_then(|a| a.histograms.range());
        range.is_none_or(|(lo, hi)| (lo..=hi).contains(&self.state.threshold))
    }

    /// Sets the threshold by a rule (as the rule buttons do).
    pub fn apply_rule(&mut self, rule: ThresholdRule) {
        let Some(data) = &self.analysis else { return };
        if let Ok(op) = data.prepared.operating_point(rule) {
            // +∞ (nothing predicted same) is the top of the slider.
            let top = data.histograms.range().map_or(data.histograms.min, |(_, hi)| hi);
            self.state.threshold = op.finite_threshold().unwrap_or(top);
            self.ui.analysis.rule = Some(rule);
        }
    }

    pub(super) fn refresh(&mut self, info: ProjectInfo, data: ReviewData) {
        let Some(project) = &mut self.project else { return };
        project.info = Some(info);
        if let Some(session) = &mut project.session
            && let Some(me) = data.labelers.iter().find(|l| l.id == session.me.id)
        {
            session.me = me.clone();
        }
        project.labeling.replace(data);
        // Edits not committed yet are not in what was read: keep showing them.
        for edit in self.saves.pending_for(&project.store) {
            edit.show(&mut project.labeling);
        }
        // A role may have changed, here or in another pairscope.
        self.enforce_access();
        let Some(project) = &mut self.project else { return };
        if let Some(editor) = &mut self.ui.tag_editor {
            editor.reset(&project.labeling.data.tags);
        }
    }

    /// The photos to keep decoded: the current pair first, then the next few and the previous ones.
    pub(super) fn prefetch(&mut self, ctx: &egui::Context) {
        let Some(project) = &self.project else { return };
        let Some(session) = &project.session else { return };
        let mut paths = Vec::new();
        let offsets: [isize; 6] = [0, 1, -1, 2, 3, -2];
        for offset in offsets {
            let i = session.cursor as isize + offset;
            if i < 0 {
                continue;
            }
            if let Some(pair) = session.order.get(i as usize).and_then(|&id| project.labeling.pair(id)) {
                paths.push(pair.a.path.clone());
                paths.push(pair.b.path.clone());
            }
        }
        self.images.want(&paths, super::image_cache::review_side(ctx));
    }

    /// Called by the review view once both photos of the pair on screen are drawn.
    pub(super) fn drawn(&mut self, pair: PairId) {
        if let Some(turn) = &self.pending_turn
            && turn.pair == pair
        {
            let shown = PageTurn { frames: self.frame - turn.frame, elapsed: turn.started.elapsed() };
            tracing::info!(frames = shown.frames, micros = shown.elapsed.as_micros() as u64, "page turn drawn");
            self.last_turn = Some(shown);
            self.pending_turn = None;
        }
    }

    pub(super) fn dropped_project(ctx: &egui::Context) -> Option<PathBuf> {
        ctx.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_owned()).find(|p| p.is_file()))
    }
}

impl eframe::App for PairscopeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.frame += 1;
        self.frame_started = Some(Instant::now());
        self.receive(&ctx);
        self.take_outside_changes();
        if let Some(path) = Self::dropped_project(&ctx) {
            self.push(Command::OpenProject(path));
        }

        let analysing = self.project.is_some() && self.ui.screen != Screen::Review;
        let labeling = !analysing && self.project.as_ref().is_some_and(|p| p.session.is_some());
        if labeling && !self.ui.show_overview {
            // No view has drawn yet this frame, so the keys can be applied now, one by one: the
            // page turned by a key is drawn in the same frame that read the key.
            self.apply_review_keys(&ctx);
        }
        let keys = screen_keys::shortcuts(&ctx, self);
        self.commands.extend(keys);
        let commands = top_bar::show(ui, self);
        self.commands.extend(commands);
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

        if analysing {
            egui::CentralPanel::default().show(ui, |ui| {
                let commands = match self.ui.screen {
                    Screen::Curate => curate_screen::show(ui, self),
                    _ if self.analysis.is_none() => {
                        ui.horizontal(|ui| {
                            ui.spinner();
                            ui.label("Preparing the analysis…");
                        });
                        Vec::new()
                    }
                    Screen::Model => model_screen::show(ui, self),
                    Screen::Agreement => agreement_screen::show(ui, self),
                    _ => error_analysis::show(ui, self),
                };
                self.commands.extend(commands);
            });
        } else if labeling && !self.ui.show_overview {
            self.prefetch(&ctx);
            let commands = queues::show(ui, self);
            self.commands.extend(commands);
            let commands = adjudication::show(ui, self);
            self.commands.extend(commands);
            let (commands, drawn) = review::show(ui, self);
            self.commands.extend(commands);
            if let Some(pair) = drawn {
                self.drawn(pair);
            }
        } else {
            egui::CentralPanel::default().show(ui, |ui| match &self.project {
                Some(project) if project.session.is_none() => {
                    let commands = labeler_picker::show(ui, project, &mut self.ui);
                    self.commands.extend(commands);
                    ui.separator();
                    self.commands.extend(overview::show(ui, project));
                }
                Some(project) => self.commands.extend(overview::show(ui, project)),
                None => {
                    let commands = welcome::show(ui, &self.state, &mut self.path_field, self.ui.busy.as_deref());
                    self.commands.extend(commands);
                }
            });
        }
        if labeling {
            self.commands.extend(cheat_sheet::show(&ctx, &mut self.ui.cheat_sheet));
            self.commands.extend(note_editor::show(&ctx, &mut self.ui.note));
        }
        if self.project.is_some() {
            let commands = model_picker::show(&ctx, &mut self.ui.model_picker, self.scoring.is_some());
            self.commands.extend(commands);
        }
        if let Some(project) = &self.project {
            self.commands.extend(tag_editor::show(&ctx, &mut self.ui.tag_editor, &project.labeling.data.tags));
        }

        for command in std::mem::take(&mut self.commands) {
            self.apply(&ctx, command);
        }
        self.follow_blind_mode();
        if let Some(started) = self.frame_started {
            let elapsed = started.elapsed();
            self.last_frame_time = Some(elapsed);
            if let Some(what) = self.paint_pending.take() {
                tracing::info!(frame = self.frame, millis = self.created.elapsed().as_millis() as u64, "{what}");
            }
            tracing::debug!(frame = self.frame, micros = elapsed.as_micros() as u64, "ui pass");
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.state);
    }
}
