//! Asking the user for a path. The system dialogs block the thread that opens them, so they run
//! on a thread of their own and the answer comes back as a command: no frame waits on a dialog.
//! Tests put a `FileDialogs` with fixed answers in place of the system one, so everything
//! behind a dialog (writing the CSV, the PNG, the export) runs as it does for a user.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::ui::app::command::Command;

/// What to ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathRequest {
    /// An existing file, e.g. a project or an `.onnx` model.
    OpenFile { title: String, filter: String, extensions: Vec<String> },
    /// Where to write a new file.
    SaveFile { title: String, suggested_name: String },
    /// A folder (created if the user types a new name in the dialog).
    Folder { title: String },
}

impl PathRequest {
    pub fn open(title: &str, filter: &str, extensions: &[&str]) -> Self {
        PathRequest::OpenFile {
            title: title.into(),
            filter: filter.into(),
            extensions: extensions.iter().map(|e| e.to_string()).collect(),
        }
    }

    pub fn save(title: &str, suggested_name: &str) -> Self {
        PathRequest::SaveFile { title: title.into(), suggested_name: suggested_name.into() }
    }

    pub fn folder(title: &str) -> Self {
        PathRequest::Folder { title: title.into() }
    }
}

/// Answers path requests; None when the user cancels.
pub trait FileDialogs: Send + Sync + 'static {
    fn ask(&self, request: &PathRequest) -> Option<PathBuf>;
}

/// The desktop's own dialogs.
pub struct SystemDialogs;

impl FileDialogs for SystemDialogs {
    fn ask(&self, request: &PathRequest) -> Option<PathBuf> {
        match request {
            PathRequest::OpenFile { title, filter, extensions } => {
                rfd::FileDialog::new().set_title(title).add_filter(filter, extensions).pick_file()
            }
            PathRequest::SaveFile { title, suggested_name } => {
                rfd::FileDialog::new().set_title(title).set_file_name(suggested_name).save_file()
            }
            PathRequest::Folder { title } => rfd::FileDialog::new().set_title(title).pick_folder(),
        }
    }
}

/// Runs dialogs off the UI thread and hands their answers back as commands.
pub(in crate::ui) struct Dialogs {
    dialogs: Arc<dyn FileDialogs>,
    answers_tx: Sender<Command>,
    answers: Receiver<Command>,
    /// Dialogs open (or whose answer is not yet taken in).
    open: Arc<AtomicUsize>,
    ctx: egui::Context,
}

impl Dialogs {
    pub fn new(ctx: egui::Context, dialogs: Arc<dyn FileDialogs>) -> Self {
        let (answers_tx, answers) = channel();
        Dialogs { dialogs, answers_tx, answers, open: Arc::new(AtomicUsize::new(0)), ctx }
    }

    pub fn replace(&mut self, dialogs: Arc<dyn FileDialogs>) {
        self.dialogs = dialogs;
    }

    /// The dialogs themselves, for work that asks from a thread of its own (saving a plot).
    pub fn handle(&self) -> Arc<dyn FileDialogs> {
        self.dialogs.clone()
    }

    /// Asks on a thread of its own; if the user picks a path, `then(path)` is applied as a command.
    pub fn ask(&self, request: PathRequest, then: impl FnOnce(PathBuf) -> Command + Send + 'static) {
        let (dialogs, tx, ctx, open) =
            (self.dialogs.clone(), self.answers_tx.clone(), self.ctx.clone(), self.open.clone());
        open.fetch_add(1, Ordering::SeqCst);
        std::thread::Builder::new()
            .name("pairscope-dialog".into())
            .spawn(move || {
                if let Some(path) = dialogs.ask(&request) {
                    let _ = tx.send(then(path));
                }
                open.fetch_sub(1, Ordering::SeqCst);
                ctx.request_repaint();
            })
            .expect("spawning a dialog thread");
    }

    /// A dialog is open, or its answer has not been taken in yet.
    pub fn waiting(&self) -> bool {
        self.open.load(Ordering::SeqCst) > 0
    }

    /// Commands from answered dialogs; never blocks.
    pub fn answers(&self) -> Vec<Command> {
        self.answers.try_iter().collect()
    }
}
