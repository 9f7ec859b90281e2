//! Any one import, as a value: what the app's Import window builds and its job runs. Each kind
//! is one of the CLI's `import-*` subcommands, with the same arguments.

use std::path::PathBuf;

use super::{
    FolderOptions, IdentityReport, ImportControl, ImportError, ImportReport, import_folders_watched, import_identities,
    import_labels, import_lfw_watched, import_pairs_watched, import_scores,
};
use crate::store::Store;

/// The kinds of input pairscope imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ImportKind {
    /// LFW's `pairs.txt` and its images folder.
    Lfw,
    /// A CSV of pairs (`image_a,image_b[,truth,split,pair_id,…]`) and the folder its paths are in.
    PairsCsv,
    /// One folder per person: same-person pairs within a folder, sampled different-person pairs.
    Folders,
    /// A CSV of labels (`pair_id,labeler,verdict,tags[,blind]`).
    LabelsCsv,
    /// A CSV of model scores (`pair_id,score`).
    ScoresCsv,
    /// A CSV of who is in each photo (`image,identity`).
    IdentitiesCsv,
}

impl ImportKind {
    pub const ALL: [ImportKind; 6] = [
        ImportKind::Lfw,
        ImportKind::PairsCsv,
        ImportKind::Folders,
        ImportKind::LabelsCsv,
        ImportKind::ScoresCsv,
        ImportKind::IdentitiesCsv,
    ];

    pub fn title(self) -> &'static str {
        match self {
            ImportKind::Lfw => "LFW pairs.txt",
            ImportKind::PairsCsv => "Pairs CSV / Parquet",
            ImportKind::Folders => "Identity folders",
            ImportKind::LabelsCsv => "Labels CSV / Parquet",
            ImportKind::ScoresCsv => "Scores CSV / Parquet",
            ImportKind::IdentitiesCsv => "Identities CSV / Parquet",
        }
    }

    /// One line on what the input looks like.
    pub fn describe(self) -> &'static str {
        match self {
            ImportKind::Lfw => {
                "LFW's protocol file (folds of matched and mismatched pairs) and the folder of <name>/<name>_<NNNN>.jpg"
            }
            ImportKind::PairsCsv => {
                "image_a,image_b and optionally truth, split, pair_id, identity_a, identity_b; other columns are kept as metadata"
            }
            ImportKind::Folders => {
                "one folder per person: same-person pairs within a folder, as many different-person pairs sampled"
            }
            ImportKind::LabelsCsv => {
                "pair_id,labeler,verdict,tags and optionally blind; new labelers and tags are created"
            }
            ImportKind::ScoresCsv => "pair_id,score from a model of yours (higher = more likely the same person)",
            ImportKind::IdentitiesCsv => "image,identity: who is in each photo, for all-vs-all impostor pairs",
        }
    }

    /// It brings pairs (and so may start a new project).
    pub fn brings_pairs(self) -> bool {
        matches!(self, ImportKind::Lfw | ImportKind::PairsCsv | ImportKind::Folders)
    }

    /// It reads a file (all but the folders, which read only a folder).
    pub fn reads_file(self) -> bool {
        self != ImportKind::Folders
    }

    /// What its images folder is for: None when it has none.
    pub fn images_folder(self) -> Option<ImagesFolder> {
        match self {
            ImportKind::Lfw | ImportKind::PairsCsv | ImportKind::Folders => Some(ImagesFolder::Required),
            ImportKind::IdentitiesCsv => Some(ImagesFolder::Optional),
            ImportKind::LabelsCsv | ImportKind::ScoresCsv => None,
        }
    }

    /// It may skip bad rows instead of refusing the whole file.
    pub fn may_skip_bad(self) -> bool {
        matches!(self, ImportKind::Lfw | ImportKind::PairsCsv | ImportKind::LabelsCsv | ImportKind::ScoresCsv)
    }

    /// The file extensions its file dialog offers.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            ImportKind::Lfw => &["txt"],
            ImportKind::Folders => &[],
            _ => &["csv", "parquet", "tsv", "txt"],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImagesFolder {
    Required,
    /// Identities: without one, every image folder of the project is searched.
    Optional,
}

/// One import, ready to run.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportRequest {
    Lfw { pairs: PathBuf, images: PathBuf, skip_bad: bool },
    PairsCsv { csv: PathBuf, images: PathBuf, skip_bad: bool },
    Folders { images: PathBuf, options: FolderOptions },
    LabelsCsv { csv: PathBuf, skip_bad: bool },
    ScoresCsv { csv: PathBuf, model: String, trained_on_train: bool, skip_bad: bool },
    IdentitiesCsv { csv: PathBuf, images: Option<PathBuf>, replace: bool },
}

impl ImportRequest {
    pub fn kind(&self) -> ImportKind {
        match self {
            ImportRequest::Lfw { .. } => ImportKind::Lfw,
            ImportRequest::PairsCsv { .. } => ImportKind::PairsCsv,
            ImportRequest::Folders { .. } => ImportKind::Folders,
            ImportRequest::LabelsCsv { .. } => ImportKind::LabelsCsv,
            ImportRequest::ScoresCsv { .. } => ImportKind::ScoresCsv,
            ImportRequest::IdentitiesCsv { .. } => ImportKind::IdentitiesCsv,
        }
    }

    /// The same request, skipping the bad rows (after a refusal listed them).
    pub fn skipping_bad(mut self) -> Self {
        match &mut self {
            ImportRequest::Lfw { skip_bad, .. }
            | ImportRequest::PairsCsv { skip_bad, .. }
            | ImportRequest::LabelsCsv { skip_bad, .. }
            | ImportRequest::ScoresCsv { skip_bad, .. } => *skip_bad = true,
            ImportRequest::Folders { .. } | ImportRequest::IdentitiesCsv { .. } => {}
        }
        self
    }
}

/// What an import did.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportOutcome {
    Rows(ImportReport),
    Identities(IdentityReport),
}

impl ImportOutcome {
    /// The same summary the CLI prints, with at most `max_listed` problems.
    pub fn summary(&self, max_listed: usize) -> String {
        match self {
            ImportOutcome::Rows(report) => report.summary(max_listed),
            ImportOutcome::Identities(report) => report.summary(max_listed),
        }
    }

    /// Pairs this import added (what there is to score).
    pub fn pairs_added(&self) -> u64 {
        match self {
            ImportOutcome::Rows(report) if report.rows_are == "pairs" => report.added,
            _ => 0,
        }
    }
}

/// Runs one import on `store`, exactly as its CLI subcommand does.
pub fn run_import(
    store: &mut Store,
    request: &ImportRequest,
    control: ImportControl<'_>,
) -> Result<ImportOutcome, ImportError> {
    let rows = match request {
        ImportRequest::Lfw { pairs, images, skip_bad } => import_lfw_watched(store, pairs, images, *skip_bad, control)?,
        ImportRequest::PairsCsv { csv, images, skip_bad } => {
            import_pairs_watched(store, csv, images, *skip_bad, control)?
        }
        ImportRequest::Folders { images, options } => import_folders_watched(store, images, options, control)?,
        ImportRequest::LabelsCsv { csv, skip_bad } => {
            control.check()?;
            import_labels(store, csv, *skip_bad)?
        }
        ImportRequest::ScoresCsv { csv, model, trained_on_train, skip_bad } => {
            control.check()?;
            let report = import_scores(store, csv, model, *skip_bad)?;
            store.write(|tx| tx.set_trained_on_train(model, *trained_on_train))?;
            report
        }
        ImportRequest::IdentitiesCsv { csv, images, replace } => {
            control.check()?;
            return Ok(ImportOutcome::Identities(import_identities(store, csv, images.as_deref(), *replace)?));
        }
    };
    Ok(ImportOutcome::Rows(rows))
}
