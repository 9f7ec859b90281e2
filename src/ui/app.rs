use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::analysis_data::AnalysisData;
use super::background::Background;
use super::command::{Command, Nav};
use super::image_cache::ImageCache;
use super::labeling::{LabelEdit, Labeling, QueueKind};
use super::scoring_job::ScoringJob;
use super::screens::{AnalysisUi, Screen};
use super::session::Session;
use super::{
    adjudication, agreement_screen, cheat_sheet, error_analysis, labeler_picker, model_screen, note_editor, overview,
    queues, review, tag_editor, top_bar, welcome,
};
use crate::analysis::{Report, ThresholdRule};
use crate::store::{Decision, Labeler, Origin, PairId, ProjectInfo, ReviewData, Role, Store, StoreError, TagEdit};

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
    fn remember(&mut self, path: &Path) {
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
        result: Result<(ProjectInfo, ReviewData, Store), String>,
    },
    Data {
        seq: u64,
        result: Result<(ProjectInfo, ReviewData), String>,
    },
    Saved {
        result: Result<(), String>,
    },
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
}

pub(super) struct OpenProject {
    pub path: PathBuf,
    /// None while the first load is in flight.
    pub info: Option<ProjectInfo>,
    pub store: Arc<Mutex<Store>>,
    pub labeling: Labeling,
    pub session: Option<Session>,
}

/// How long the last page turn took: from the frame that handled the key to the end of the
/// frame that drew both photos of the new pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageTurn {
    pub frames: u64,
    pub elapsed: Duration,
}

struct PendingTurn {
    pair: PairId,
    frame: u64,
    started: Instant,
}

/// View state that does not outlive the window.
#[derive(Default)]
pub(super) struct Transient {
    pub labeler_field: String,
    pub new_is_adjudicator: bool,
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
    analysis_generation: u64,
    /// CPU time of the last `ui()` pass.
    last_frame_time: Option<Duration>,
    /// When the app was created (for the time to first paint).
    created: Instant,
    /// What arrived and is drawn at the end of this frame (logged with the time since start).
    paint_pending: Option<&'static str>,
    commands: Vec<Command>,
    background: Background<Loaded>,
    /// Jobs sent to the I/O thread whose result has not come back yet.
    in_flight: usize,
    seq: u64,
    /// The seq of the last label edit sent for saving; reloads older than it are stale.
    last_edit_seq: u64,
    unsaved: usize,
    frame: u64,
    frame_started: Option<Instant>,
    pending_turn: Option<PendingTurn>,
    last_turn: Option<PageTurn>,
}

fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    // Only the I/O thread locks the store; a panic there must not wedge the app for good.
    store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn read_all(store: &mut Store) -> Result<(ProjectInfo, ReviewData), StoreError> {
    store.read(|tx| Ok((tx.info()?, tx.review_data()?)))
}

fn save_edit(store: &mut Store, edit: &LabelEdit, origin: Origin<'static>) -> Result<(), StoreError> {
    store.write(|tx| {
        match *edit {
            LabelEdit::Verdict { pair, labeler, after, .. } => tx.set_verdict(pair, labeler, after, origin)?,
            LabelEdit::Tag { pair, labeler, tag, applied } => tx.set_pair_tag(pair, labeler, tag, applied, origin)?,
        };
        Ok(())
    })
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
            unsaved: 0,
            frame: 0,
            frame_started: None,
            pending_turn: None,
            last_turn: None,
        };
        if let Some(path) = project.or_else(|| app.state.last_project.clone().filter(|p| p.is_file())) {
            app.commands.push(Command::OpenProject(path));
        }
        app
    }

    /// No work is waiting on the I/O thread: everything the user did is on disk.
    pub fn is_idle(&self) -> bool {
        self.in_flight == 0 && self.commands.is_empty()
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

    /// CPU time of the last frame's `ui()` pass.
    pub fn last_frame_time(&self) -> Option<Duration> {
        self.last_frame_time
    }

    pub(super) fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Label or note writes not yet committed.
    pub(super) fn unsaved(&self) -> usize {
        self.unsaved
    }

    fn spawn(&mut self, job: impl FnOnce() -> Loaded + Send + 'static) -> u64 {
        self.in_flight += 1;
        self.seq += 1;
        self.background.spawn(job);
        self.seq
    }

    fn load(&mut self, path: PathBuf, create: bool) {
        self.spawn(move || {
            let result = (|| {
                let mut store = if create { Store::create(&path)? } else { Store::open(&path)? };
                let (info, data) = read_all(&mut store)?;
                Ok::<_, StoreError>((info, data, store))
            })()
            .map_err(|e| e.to_string());
            Loaded::Project { path, result }
        });
    }

    /// Reads and prepares the analysis on the I/O thread (after the writes queued so far).
    fn load_analysis(&mut self) {
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
    fn reload(&mut self) {
        let Some(project) = &self.project else { return };
        let store = project.store.clone();
        let seq = self.seq + 1;
        self.spawn(move || Loaded::Data { seq, result: read_all(&mut lock(&store)).map_err(|e| e.to_string()) });
    }

    /// Runs a write that changes more than labels, then re-reads the project.
    fn write_and_reload(&mut self, write: impl FnOnce(&mut Store) -> Result<(), StoreError> + Send + 'static) {
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
    fn save(&mut self, edit: LabelEdit, origin: Origin<'static>) {
        let Some(project) = &mut self.project else { return };
        project.labeling.apply(&edit);
        let store = project.store.clone();
        self.unsaved += 1;
        self.last_edit_seq = self.spawn(move || Loaded::Saved {
            result: save_edit(&mut lock(&store), &edit, origin).map_err(|e| e.to_string()),
        });
    }

    fn start_session(&mut self, ctx: &egui::Context, me: Labeler) {
        let Some(project) = &mut self.project else { return };
        self.state.last_labeler = Some(me.name.clone());
        // Blind mode is on by default for labelers (each may turn it off); adjudicators need
        // to see everyone's work.
        self.state.blind = me.role != Role::Adjudicator;
        project.session = Some(Session::new(me, &project.labeling));
        self.ui.zoom = review::Zoom::default();
        self.ui.show_overview = false;
        self.set_title(ctx);
    }

    fn set_title(&self, ctx: &egui::Context) {
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

    fn go(&mut self, nav: Nav) {
        let Some(project) = &mut self.project else { return };
        let Some(session) = &mut project.session else { return };
        if let Some(pair) = session.go(nav, &project.labeling) {
            self.ui.zoom = review::Zoom::default();
            let started = self.frame_started.unwrap_or_else(Instant::now);
            self.pending_turn = Some(PendingTurn { pair, frame: self.frame, started });
        }
    }

    fn undo_or_redo(&mut self, undo: bool) {
        let Some(session) = self.project.as_mut().and_then(|p| p.session.as_mut()) else { return };
        let Some(edit) = session.take_undo_or_redo(undo) else { return };
        if let Some(i) = session.order.iter().position(|&p| p == edit.pair())
            && i != session.cursor
        {
            self.go(Nav::To(i));
        }
        self.save(edit, if undo { Origin::GuiUndo } else { Origin::GuiRedo });
    }

    /// A new edit by the labeler: saved, and undoable.
    fn edit(&mut self, edit: LabelEdit) {
        let Some(session) = self.project.as_mut().and_then(|p| p.session.as_mut()) else { return };
        session.record(edit.clone());
        self.save(edit, Origin::Gui);
    }

    fn apply(&mut self, ctx: &egui::Context, command: Command) {
        let me = self.project.as_ref().and_then(|p| p.session.as_ref()).map(|s| s.me.id);
        match command {
            Command::OpenProject(path) => self.load(path, false),
            Command::OpenDemo => {
                let path = crate::demo::default_demo_path();
                self.ui.busy = Some(format!(
                    "Preparing the demo project in {} (first run: cutting faces, scoring them with the built-in model)…",
                    path.parent().unwrap_or(&path).display()
                ));
                self.spawn(move || {
                    let result = (|| {
                        if !path.exists() {
                            crate::demo::create_demo(&path, false, |_| {}).map_err(|e| e.to_string())?;
                        }
                        let mut store = Store::open(&path).map_err(|e| e.to_string())?;
                        let (info, data) = read_all(&mut store).map_err(|e| e.to_string())?;
                        Ok((info, data, store))
                    })();
                    Loaded::Project { path, result }
                });
            }
            Command::CreateProject(path) => self.load(path, true),
            Command::Refresh => self.reload(),
            Command::CloseProject => {
                self.project = None;
                self.state.last_project = None;
                self.ui = Transient::default();
                self.images.want(&[], 0);
                self.set_title(ctx);
            }
            Command::DismissError => self.error = None,
            Command::PickLabeler { name, adjudicator } => {
                let Some(project) = &self.project else { return };
                let store = project.store.clone();
                self.spawn(move || {
                    let mut store = lock(&store);
                    let result = store
                        .write(|tx| {
                            let (labeler, created) = tx.labeler_or_create(&name)?;
                            if created && adjudicator {
                                tx.set_labeler_role(labeler.id, Role::Adjudicator)?;
                                return Ok::<_, StoreError>(Labeler { role: Role::Adjudicator, ..labeler });
                            }
                            Ok(labeler)
                        })
                        .and_then(|labeler| read_all(&mut store).map(|(info, data)| (labeler, info, data)))
                        .map_err(|e| e.to_string());
                    Loaded::Labeler { result }
                });
            }
            Command::SetRole(labeler, role) => {
                self.write_and_reload(move |s| s.write(|tx| tx.set_labeler_role(labeler, role)))
            }
            Command::SwitchLabeler => {
                if let Some(p) = &mut self.project {
                    p.session = None;
                }
                self.ui.adjudication = None;
                self.set_title(ctx);
            }
            Command::SetVerdict { pair, verdict } => {
                let (Some(me), Some(project)) = (me, &self.project) else { return };
                let before = project.labeling.verdict(pair, me);
                if before != Some(verdict) {
                    self.edit(LabelEdit::Verdict { pair, labeler: me, before, after: Some(verdict) });
                }
            }
            Command::ToggleTag { pair, tag } => {
                let (Some(me), Some(project)) = (me, &self.project) else { return };
                let applied = !project.labeling.has_tag(pair, me, tag);
                self.edit(LabelEdit::Tag { pair, labeler: me, tag, applied });
            }
            Command::Undo => self.undo_or_redo(true),
            Command::Redo => self.undo_or_redo(false),
            Command::Go(nav) => self.go(nav),
            Command::SelectQueue(kind) => {
                let (threshold, blind) = (self.state.threshold, self.state.blind);
                let Some(project) = &mut self.project else { return };
                let Some(session) = &mut project.session else { return };
                session.select(kind, project.labeling.queue(kind, session.me.id, threshold, blind));
                self.ui.zoom = review::Zoom::default();
            }
            Command::SaveNote { pair, text } => {
                let (Some(me), Some(project)) = (me, &mut self.project) else { return };
                let key = (pair, me);
                if text.trim().is_empty() {
                    project.labeling.data.notes.remove(&key);
                } else {
                    project.labeling.data.notes.insert(key, text.clone());
                }
                let store = project.store.clone();
                self.unsaved += 1;
                self.last_edit_seq = self.spawn(move || Loaded::Saved {
                    result: lock(&store)
                        .write(|tx| tx.set_note(pair, me, &text, Origin::Gui))
                        .map_err(|e| e.to_string()),
                });
            }
            Command::Adjudicate { pair, verdict, tags, reason, correct_truth } => {
                let Some(me) = me else { return };
                self.write_and_reload(move |s| {
                    let decision = Decision {
                        verdict,
                        tags: &tags,
                        reason: &reason,
                        correct_truth: correct_truth.then_some(verdict),
                    };
                    s.write(|tx| tx.adjudicate(pair, me, &decision, Origin::Gui))
                });
                self.ui.adjudication = None;
            }
            Command::EditTag { tag, name, description, colour, hotkey } => self.write_and_reload(move |s| {
                let edit = TagEdit { name: &name, description: &description, colour: &colour, hotkey };
                s.write(|tx| tx.edit_tag(tag, &edit, Origin::Gui)).map(|_| ())
            }),
            Command::MergeTags { from, into } => {
                self.write_and_reload(move |s| s.write(|tx| tx.merge_tags(from, into, Origin::Gui)))
            }
            Command::CreateTag(name) => {
                self.write_and_reload(move |s| s.write(|tx| tx.create_tag(&name, Origin::Gui)).map(|_| ()))
            }
            Command::ShowScreen(screen) => {
                self.ui.screen = screen;
                if screen != Screen::Review {
                    // Labels may have changed since the last read.
                    self.load_analysis();
                }
            }
            Command::LoadAnalysis => self.load_analysis(),
            Command::ChooseModel(name) => {
                self.ui.model = Some(name);
                self.load_analysis();
            }
            Command::OpenInReview(pair) => self.open_in_review(ctx, pair),
            Command::SaveRun(name) => self.save_run(name),
            Command::ExportCsv { suggested_name, csv } => {
                self.spawn(move || {
                    let result = match rfd::FileDialog::new().set_file_name(&suggested_name).save_file() {
                        Some(path) => std::fs::write(&path, csv)
                            .map(|()| Some(path.clone()))
                            .map_err(|e| format!("cannot write {}: {e}", path.display())),
                        None => Ok(None),
                    };
                    Loaded::Exported { result }
                });
            }
            Command::SavePlotPng { suggested_name, rect } => {
                let ppp = ctx.pixels_per_point();
                let callback = egui::ScreenshotCallback::new(move |image| {
                    // The file dialog must not hold up the renderer that delivered the image.
                    std::thread::spawn(move || {
                        let plot = image.region(&rect, Some(ppp));
                        let Some(path) = rfd::FileDialog::new().set_file_name(&suggested_name).save_file() else {
                            return;
                        };
                        let [w, h] = plot.size;
                        let saved = image::RgbaImage::from_raw(w as u32, h as u32, plot.as_raw().to_vec())
                            .ok_or_else(|| "bad screenshot size".to_owned())
                            .and_then(|img| img.save(&path).map_err(|e| e.to_string()));
                        if let Err(e) = saved {
                            tracing::error!(path = %path.display(), "cannot save the plot: {e}");
                        }
                    });
                });
                ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(callback));
            }
            Command::ScoreProject => {
                if self.scoring.is_none()
                    && let Some(project) = &self.project
                {
                    self.scoring = Some(ScoringJob::start(project.path.clone(), ctx.clone()));
                    self.scoring_outcome = None;
                }
            }
            Command::CancelScoring => {
                if let Some(job) = &self.scoring {
                    job.cancel();
                }
            }
            Command::ApplyTag { pairs, tag } => {
                let Some(me) = me else {
                    self.error =
                        Some("Pick a labeler first (Review): accepted suggestions are tagged in their name.".into());
                    return;
                };
                self.write_and_reload(move |s| {
                    s.write(|tx| {
                        for &pair in &pairs {
                            tx.set_pair_tag(pair, me, tag, true, Origin::Gui)?;
                        }
                        Ok(())
                    })
                });
                self.load_analysis();
            }
        }
        // Whatever changed shows in the next frame, without waiting for more input.
        ctx.request_repaint();
    }

    fn open_in_review(&mut self, ctx: &egui::Context, pair: PairId) {
        self.ui.screen = Screen::Review;
        let (threshold, blind) = (self.state.threshold, self.state.blind);
        let Some(project) = &mut self.project else { return };
        let Some(session) = &mut project.session else {
            self.error = Some("Pick a labeler to open the pair in review.".into());
            return;
        };
        if !session.order.contains(&pair) {
            session.select(QueueKind::All, project.labeling.queue(QueueKind::All, session.me.id, threshold, blind));
        }
        if let Some(i) = session.order.iter().position(|&p| p == pair) {
            self.go(Nav::To(i));
        }
        ctx.request_repaint();
    }

    /// Stores the report at the current threshold as a run, on the I/O thread.
    fn save_run(&mut self, name: String) {
        let (Some(project), Some(data)) = (&self.project, &self.analysis) else { return };
        let store = project.store.clone();
        let prepared = data.prepared.clone();
        let model = data.model.as_ref().map(|m| m.id);
        let threshold = self.state.threshold;
        let rule = match self.ui.analysis.rule {
            Some(rule) => rule.to_string(),
            None => ThresholdRule::Fixed(threshold).to_string(),
        };
        self.spawn(move || {
            let result = Report::new(&prepared, ThresholdRule::Fixed(threshold))
                .map_err(|e| e.to_string())
                .and_then(|report| serde_json::to_value(&report).map_err(|e| e.to_string()))
                .and_then(|metrics| {
                    lock(&store)
                        .write(|tx| tx.save_run(&name, model, &rule, Some(threshold), &metrics))
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                });
            Loaded::Saved { result }
        });
        self.load_analysis();
    }

    fn receive(&mut self, ctx: &egui::Context) {
        for loaded in self.background.poll() {
            self.in_flight = self.in_flight.saturating_sub(1);
            match loaded {
                Loaded::Project { path, result: Ok((info, data, store)) } => {
                    let millis = self.created.elapsed().as_millis() as u64;
                    tracing::info!(millis, "project loaded");
                    self.paint_pending = Some("first paint of the project");
                    self.ui.busy = None;
                    self.state.remember(&path);
                    let last = self.state.last_labeler.clone();
                    let me = data.labelers.iter().find(|l| Some(&l.name) == last.as_ref()).cloned();
                    self.project = Some(OpenProject {
                        path,
                        info: Some(info),
                        store: Arc::new(Mutex::new(store)),
                        labeling: Labeling::new(data),
                        session: None,
                    });
                    self.ui = Transient::default();
                    self.analysis = None;
                    self.load_analysis();
                    match me {
                        Some(me) => self.start_session(ctx, me),
                        None => self.set_title(ctx),
                    }
                }
                Loaded::Project { result: Err(e), .. } => {
                    self.ui.busy = None;
                    self.error = Some(e);
                }
                Loaded::Data { seq, result: Ok((info, data)) } => {
                    if seq < self.last_edit_seq {
                        // Edits made after this read are not in it; read again after them.
                        self.reload();
                        continue;
                    }
                    self.refresh(info, data);
                    if self.ui.screen != Screen::Review {
                        self.load_analysis();
                    }
                }
                Loaded::Data { result: Err(e), .. } => {
                    self.error = Some(e);
                }
                Loaded::Saved { result: Ok(()) } => self.unsaved = self.unsaved.saturating_sub(1),
                Loaded::Saved { result: Err(e) } => {
                    self.unsaved = self.unsaved.saturating_sub(1);
                    // The edit did not reach the disk: say so, and show what the disk holds.
                    self.error = Some(format!("not saved: {e}"));
                    self.reload();
                }
                Loaded::Labeler { result: Ok((me, info, data)) } => {
                    self.refresh(info, data);
                    // The next new labeler starts from a blank form, not as an adjudicator.
                    self.ui.labeler_field.clear();
                    self.ui.new_is_adjudicator = false;
                    self.start_session(ctx, me);
                }
                Loaded::Labeler { result: Err(e) } => self.error = Some(e),
                Loaded::Analysis { generation, result } => {
                    if generation != self.analysis_generation {
                        continue;
                    }
                    self.ui.analysis.loading = false;
                    tracing::info!(millis = self.created.elapsed().as_millis() as u64, "analysis ready");
                    self.paint_pending = Some("first paint of the analysis");
                    match result {
                        Ok(data) => {
                            self.analysis = Some(*data);
                            // A rule follows the data as labels and scores change; a project whose
                            // threshold nobody set here starts at max accuracy (as `report` does),
                            // not at a number carried over from another project.
                            match self.ui.analysis.rule {
                                Some(rule) => self.apply_rule(rule),
                                None if !self.ui.analysis.touched || !self.threshold_in_range() => {
                                    self.apply_rule(ThresholdRule::MaxAccuracy)
                                }
                                None => {}
                            }
                        }
                        Err(e) => self.error = Some(format!("cannot analyse the project: {e}")),
                    }
                }
                Loaded::Exported { result: Ok(path) } => self.ui.exported = path,
                Loaded::Exported { result: Err(e) } => self.error = Some(e),
            }
        }
        if self.images.poll(ctx) {
            ctx.request_repaint();
        }
        if let Some(outcome) = self.scoring.as_ref().and_then(ScoringJob::finished) {
            let cancelled = self.scoring.as_ref().is_some_and(ScoringJob::cancelled);
            self.scoring = None;
            self.scoring_outcome = Some(match outcome {
                Ok(s) if cancelled => format!("Cancelled; kept what was done: {} pairs scored.", s.pairs_scored),
                Ok(s) => format!(
                    "Scored {} pairs ({} images, {} from the cache).",
                    s.pairs_scored, s.images_total, s.images_cached
                ),
                Err(e) => format!("Scoring stopped: {e}"),
            });
            self.reload();
            self.load_analysis();
        }
    }

    fn threshold_in_range(&self) -> bool {
        let Some(h) = self.analysis.as_ref().map(|a| &a.histograms) else { return true };
        h.same.is_empty() || (h.min..=h.min + h.width * h.same.len() as f64).contains(&self.state.threshold)
    }

    /// Sets the threshold by a rule (as the rule buttons do).
    pub fn apply_rule(&mut self, rule: ThresholdRule) {
        let Some(data) = &self.analysis else { return };
        if let Ok(op) = data.prepared.operating_point(rule) {
            let h = &data.histograms;
            self.state.threshold = op.finite_threshold().unwrap_or(h.min + h.width * h.same.len() as f64);
            self.ui.analysis.rule = Some(rule);
        }
    }

    fn refresh(&mut self, info: ProjectInfo, data: ReviewData) {
        let Some(project) = &mut self.project else { return };
        project.info = Some(info);
        if let Some(session) = &mut project.session
            && let Some(me) = data.labelers.iter().find(|l| l.id == session.me.id)
        {
            session.me = me.clone();
        }
        project.labeling.replace(data);
        if let Some(editor) = &mut self.ui.tag_editor {
            editor.reset(&project.labeling.data.tags);
        }
    }

    /// The photos to keep decoded: the current pair first, then the next few and the previous ones.
    fn prefetch(&mut self, ctx: &egui::Context) {
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
        let side = super::image_cache::side_for_window(ctx.content_rect().size(), ctx.pixels_per_point());
        self.images.want(&paths, side);
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

    fn dropped_project(ctx: &egui::Context) -> Option<PathBuf> {
        ctx.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_owned()).find(|p| p.is_file()))
    }
}

impl eframe::App for PairscopeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.frame += 1;
        self.frame_started = Some(Instant::now());
        self.receive(&ctx);
        if let Some(path) = Self::dropped_project(&ctx) {
            self.push(Command::OpenProject(path));
        }

        let analysing = self.project.is_some() && self.ui.screen != Screen::Review;
        let labeling = !analysing && self.project.as_ref().is_some_and(|p| p.session.is_some());
        if labeling && !self.ui.show_overview {
            // No view has drawn yet this frame, so the keys' commands can be applied now: the
            // page turned by a key is drawn in the same frame that read the key.
            for command in review::shortcuts(&ctx, self) {
                self.apply(&ctx, command);
            }
        }
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
        if let Some(project) = &self.project {
            self.commands.extend(tag_editor::show(&ctx, &mut self.ui.tag_editor, &project.labeling.data.tags));
        }

        for command in std::mem::take(&mut self.commands) {
            self.apply(&ctx, command);
        }
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
