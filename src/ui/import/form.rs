//! The Import window's state: what the user chose, the preview of it, the running import and
//! how the last one ended. Owned by the app; the window edits its text fields, and everything
//! else changes through an `ImportCommand`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::import::{FolderOptions, ImagesFolder, ImportKind, ImportPreview, ImportRequest};
use crate::ui::import::command::ImportField;
use crate::ui::jobs::import::{ImportFailure, ImportJob, PreviewJob};

/// Typing pauses this long before the preview reads the file.
const PREVIEW_AFTER_TYPING: Duration = Duration::from_millis(300);

pub(in crate::ui) enum PreviewState {
    Empty,
    Loading(PreviewJob),
    Ready { key: (ImportKind, PathBuf), preview: ImportPreview },
    Failed { key: (ImportKind, PathBuf), message: String },
}

/// How the last import ended.
pub(in crate::ui) enum Ended {
    Imported { summary: String, pairs_added: u64, project: PathBuf },
    Failed { failure: ImportFailure, request: ImportRequest },
}

pub(in crate::ui) struct ImportForm {
    pub kind: ImportKind,
    pub input: String,
    pub images: String,
    /// Scores: the name they are stored under.
    pub model: String,
    pub trained_on_train: bool,
    /// Identities: replace those the project holds.
    pub replace: bool,
    /// Folders: how many different-person pairs ("" = as many as same-person pairs), and the seed.
    pub different: String,
    pub seed: String,
    /// Where a new project goes: Some when no project is open.
    pub new_project: Option<String>,
    pub preview: PreviewState,
    /// When the text last changed, for the preview's pause.
    pub edited: Option<Instant>,
    pub job: Option<ImportJob>,
    pub ended: Option<Ended>,
}

impl ImportForm {
    /// A form for the open project (`project_open`), or for a new one.
    pub fn new(project_open: bool) -> Self {
        ImportForm {
            kind: ImportKind::Lfw,
            input: String::new(),
            images: String::new(),
            model: String::new(),
            trained_on_train: false,
            replace: false,
            different: String::new(),
            seed: "0".into(),
            new_project: (!project_open).then(String::new),
            preview: PreviewState::Empty,
            edited: None,
            job: None,
            ended: None,
        }
    }

    /// Kinds this form may run: with no project open, only those that bring pairs.
    pub fn allows(&self, kind: ImportKind) -> bool {
        self.new_project.is_none() || kind.brings_pairs()
    }

    pub fn set_kind(&mut self, kind: ImportKind) {
        if self.allows(kind) && kind != self.kind {
            self.kind = kind;
            self.preview = PreviewState::Empty;
            self.edited = Some(Instant::now() - PREVIEW_AFTER_TYPING);
            self.ended = None;
        }
    }

    /// A path picked in a dialog; picking the input proposes the rest.
    pub fn pick(&mut self, field: ImportField, path: &Path) {
        let text = path.display().to_string();
        match field {
            ImportField::Input => {
                self.input = text;
                self.propose_from_input(path);
                // A picked file is complete: preview it now.
                self.edited = Some(Instant::now() - PREVIEW_AFTER_TYPING);
            }
            ImportField::Images => self.images = text,
            ImportField::NewProject => self.new_project = Some(text),
        }
        self.ended = None;
    }

    /// Fills what the input suggests and the user left empty: the images folder (the file's
    /// own folder), the model's name (the file's name), the new project (beside the input).
    fn propose_from_input(&mut self, input: &Path) {
        let folder = input.parent();
        if self.images.trim().is_empty()
            && self.kind.images_folder() == Some(ImagesFolder::Required)
            && self.kind != ImportKind::Folders
            && let Some(folder) = folder
        {
            self.images = folder.display().to_string();
        }
        if self.kind == ImportKind::ScoresCsv && self.model.trim().is_empty() {
            self.model = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        }
        // Beside the input (a folder of identities: beside that folder, never inside the data).
        let named_after = if self.kind == ImportKind::Folders { Some(input) } else { folder };
        if let (Some(new_project), Some(folder), Some(name)) =
            (self.new_project.as_mut(), folder, named_after.and_then(Path::file_name))
            && new_project.trim().is_empty()
        {
            *new_project = folder.join(format!("{}.pairscope", name.to_string_lossy())).display().to_string();
        }
    }

    /// The text of a path field changed.
    pub fn typed(&mut self) {
        self.edited = Some(Instant::now());
        self.ended = None;
        // A preview of another file would mislead: it goes, and comes back once typing pauses.
        let input = PathBuf::from(self.input.trim());
        if let PreviewState::Ready { key, .. } | PreviewState::Failed { key, .. } = &self.preview
            && (key.0 != self.kind || key.1 != input)
        {
            self.preview = PreviewState::Empty;
        }
    }

    /// The input to preview, once typing has paused on one that has not been previewed.
    pub fn preview_due(&self, now: Instant) -> Option<(ImportKind, PathBuf)> {
        let edited = self.edited?;
        let input = self.input.trim();
        if input.is_empty() || now < edited + PREVIEW_AFTER_TYPING {
            return None;
        }
        let key = (self.kind, PathBuf::from(input));
        let current = match &self.preview {
            PreviewState::Empty => None,
            PreviewState::Loading(job) => Some(&job.key),
            PreviewState::Ready { key, .. } | PreviewState::Failed { key, .. } => Some(key),
        };
        (current != Some(&key)).then_some(key)
    }

    /// An import or a preview runs, or a preview is due.
    pub fn busy(&self) -> bool {
        self.job.is_some()
            || matches!(self.preview, PreviewState::Loading(_))
            || self.preview_due(Instant::now()).is_some()
    }

    /// When the preview is due (to wake a frame then).
    pub fn preview_wait(&self, now: Instant) -> Option<Duration> {
        let due = self.edited? + PREVIEW_AFTER_TYPING;
        (due > now).then(|| due - now)
    }

    /// The new project's path, when this import creates one.
    pub fn new_project_path(&self) -> Option<Result<PathBuf, String>> {
        let text = self.new_project.as_deref()?.trim();
        Some(if text.is_empty() {
            Err("Choose where the new project goes.".into())
        } else {
            let path = PathBuf::from(text);
            Ok(if path.extension().is_none() { path.with_extension("pairscope") } else { path })
        })
    }

    /// The import the fields describe, or what is missing, in words.
    pub fn request(&self) -> Result<ImportRequest, String> {
        let input = self.input.trim();
        if input.is_empty() {
            return Err(match self.kind {
                ImportKind::Folders => "Choose the folder with one folder per person.".into(),
                kind => format!("Choose the {} file.", kind.title()),
            });
        }
        let input = PathBuf::from(input);
        let images = self.images.trim();
        let images = (!images.is_empty()).then(|| PathBuf::from(images));
        let needs_images =
            || images.clone().ok_or_else(|| "Choose the folder the image paths are relative to.".to_string());
        let request = match self.kind {
            ImportKind::Lfw => ImportRequest::Lfw { pairs: input, images: needs_images()?, skip_bad: false },
            ImportKind::PairsCsv => ImportRequest::PairsCsv { csv: input, images: needs_images()?, skip_bad: false },
            ImportKind::Folders => {
                let different = match self.different.trim() {
                    "" => None,
                    n => Some(n.parse().map_err(|_| format!("Different-person pairs: {n:?} is not a whole number."))?),
                };
                let seed = self.seed.trim().parse().map_err(|_| "The seed must be a whole number.".to_string())?;
                ImportRequest::Folders { images: input, options: FolderOptions { different, seed } }
            }
            ImportKind::LabelsCsv => ImportRequest::LabelsCsv { csv: input, skip_bad: false },
            ImportKind::ScoresCsv => {
                let model = self.model.trim();
                if model.is_empty() {
                    return Err("Name the model these scores come from.".into());
                }
                let (model, trained_on_train) = (model.to_owned(), self.trained_on_train);
                ImportRequest::ScoresCsv { csv: input, model, trained_on_train, skip_bad: false }
            }
            ImportKind::IdentitiesCsv => ImportRequest::IdentitiesCsv { csv: input, images, replace: self.replace },
        };
        if let Some(Err(why)) = self.new_project_path() {
            return Err(why);
        }
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picking_a_pairs_file_proposes_its_folder_and_a_project_beside_it() {
        let mut form = ImportForm::new(false);
        form.set_kind(ImportKind::PairsCsv);
        form.pick(ImportField::Input, Path::new("/data/celebs/pairs.csv"));
        assert_eq!(form.images, "/data/celebs");
        assert_eq!(form.new_project.as_deref(), Some("/data/celebs/celebs.pairscope"));
        let request = form.request().unwrap();
        assert_eq!(
            request,
            ImportRequest::PairsCsv {
                csv: "/data/celebs/pairs.csv".into(),
                images: "/data/celebs".into(),
                skip_bad: false
            }
        );
    }

    #[test]
    fn identity_folders_propose_a_project_beside_the_folder_not_inside_it() {
        let mut form = ImportForm::new(false);
        form.set_kind(ImportKind::Folders);
        form.pick(ImportField::Input, Path::new("/data/sitcom"));
        assert_eq!(form.new_project.as_deref(), Some("/data/sitcom.pairscope"));
        assert_eq!(form.images, "", "the folder is the input itself");
    }

    #[test]
    fn with_no_project_only_kinds_that_bring_pairs_are_offered() {
        let mut form = ImportForm::new(false);
        form.set_kind(ImportKind::ScoresCsv);
        assert_eq!(form.kind, ImportKind::Lfw, "scores need pairs to attach to");
        let mut open = ImportForm::new(true);
        open.set_kind(ImportKind::ScoresCsv);
        open.pick(ImportField::Input, Path::new("/runs/arcface.csv"));
        assert_eq!(open.model, "arcface", "the model is named after its file");
        assert!(open.new_project.is_none());
    }

    #[test]
    fn missing_fields_and_bad_numbers_are_said_in_words() {
        let mut form = ImportForm::new(true);
        assert_eq!(form.request().unwrap_err(), "Choose the LFW pairs.txt file.");
        form.input = "pairs.txt".into();
        assert!(form.request().unwrap_err().contains("image paths are relative to"));
        form.set_kind(ImportKind::Folders);
        form.different = "many".into();
        assert!(form.request().unwrap_err().contains("\"many\" is not a whole number"));
        form.set_kind(ImportKind::ScoresCsv);
        form.model = "  ".into();
        assert_eq!(form.request().unwrap_err(), "Name the model these scores come from.");
    }

    #[test]
    fn the_preview_waits_for_typing_to_pause_and_is_not_repeated() {
        let mut form = ImportForm::new(true);
        form.input = "/x/pairs.txt".into();
        form.typed();
        let now = Instant::now();
        assert_eq!(form.preview_due(now), None, "still typing");
        let later = now + PREVIEW_AFTER_TYPING * 2;
        let key = form.preview_due(later).unwrap();
        form.preview = PreviewState::Failed { key, message: "cannot read".into() };
        assert_eq!(form.preview_due(later), None, "already previewed");
    }

    #[test]
    fn a_new_project_gets_its_extension() {
        let mut form = ImportForm::new(false);
        form.new_project = Some("/tmp/faces".into());
        assert_eq!(form.new_project_path(), Some(Ok(PathBuf::from("/tmp/faces.pairscope"))));
    }
}
