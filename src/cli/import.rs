//! The importers from the shell: `import-lfw`, `import-pairs`, `import-labels`,
//! `import-scores`, `import-folders` and `import-identities`. Those that bring pairs create the
//! project if needed.

use std::path::{Path, PathBuf};

use clap::Args;

use super::common::{listed, open_project, with_new_or_existing_project};
use crate::import::{FolderOptions, ImportControl, ImportRequest, run_import};

// The flags every file importer takes (no doc comment: clap would take it for help text).
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Import the good rows and report the bad ones, instead of refusing the whole file.
    #[arg(long)]
    skip_bad: bool,
    /// List every skipped row, not just the first few.
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Debug, Args)]
pub struct LfwArgs {
    project: PathBuf,
    /// The LFW pairs.txt protocol file.
    #[arg(long)]
    pairs: PathBuf,
    /// The folder holding <name>/<name>_<NNNN>.jpg.
    #[arg(long)]
    images: PathBuf,
    #[command(flatten)]
    common: ImportArgs,
}

impl LfwArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let LfwArgs { project, pairs, images, common } = self;
        into_new_or_existing(&project, common.verbose, ImportRequest::Lfw { pairs, images, skip_bad: common.skip_bad })
    }
}

#[derive(Debug, Args)]
pub struct PairsArgs {
    project: PathBuf,
    /// The table: CSV, or Parquet with the same columns when the name ends in `.parquet`.
    #[arg(long, visible_alias = "parquet")]
    csv: PathBuf,
    /// The folder the image paths are relative to.
    #[arg(long)]
    images: PathBuf,
    #[command(flatten)]
    common: ImportArgs,
}

impl PairsArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let PairsArgs { project, csv, images, common } = self;
        into_new_or_existing(
            &project,
            common.verbose,
            ImportRequest::PairsCsv { csv, images, skip_bad: common.skip_bad },
        )
    }
}

#[derive(Debug, Args)]
pub struct LabelsArgs {
    project: PathBuf,
    /// The table: CSV, or Parquet with the same columns when the name ends in `.parquet`.
    #[arg(long, visible_alias = "parquet")]
    csv: PathBuf,
    #[command(flatten)]
    common: ImportArgs,
}

impl LabelsArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let request = ImportRequest::LabelsCsv { csv: self.csv, skip_bad: self.common.skip_bad };
        into_existing(&self.project, self.common.verbose, request)
    }
}

#[derive(Debug, Args)]
pub struct ScoresArgs {
    project: PathBuf,
    /// The table: CSV, or Parquet with the same columns when the name ends in `.parquet`.
    #[arg(long, visible_alias = "parquet")]
    csv: PathBuf,
    /// Name under which the scores are stored (higher score = more likely the same person).
    #[arg(long)]
    model: String,
    /// The model was trained on this project's train split. Without it (and for every import
    /// without it) the report notes that bias and variance describe the data, not the model's
    /// training.
    #[arg(long)]
    trained_on_train: bool,
    #[command(flatten)]
    common: ImportArgs,
}

impl ScoresArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let ScoresArgs { project, csv, model, trained_on_train, common } = self;
        let request = ImportRequest::ScoresCsv { csv, model, trained_on_train, skip_bad: common.skip_bad };
        into_existing(&project, common.verbose, request)
    }
}

#[derive(Debug, Args)]
pub struct FoldersArgs {
    project: PathBuf,
    #[arg(long)]
    images: PathBuf,
    /// How many different-person pairs to sample (default: as many as same-person pairs).
    #[arg(long)]
    different: Option<usize>,
    /// Seed of the sample; the same seed always gives the same pairs.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// List every skipped item, not just the first few.
    #[arg(long, short)]
    verbose: bool,
}

impl FoldersArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let FoldersArgs { project, images, different, seed, verbose } = self;
        into_new_or_existing(
            &project,
            verbose,
            ImportRequest::Folders { images, options: FolderOptions { different, seed } },
        )
    }
}

#[derive(Debug, Args)]
pub struct IdentitiesArgs {
    project: PathBuf,
    /// The CSV (or .parquet) file, with the columns image,identity.
    csv: PathBuf,
    /// The image folder the paths are relative to (as given to the import that brought the
    /// images); without it every image folder of the project is searched.
    #[arg(long)]
    images: Option<PathBuf>,
    /// Replace an identity the project already holds for an image by the file's (without it,
    /// a different identity is an error and nothing is written).
    #[arg(long)]
    replace: bool,
    /// List every replaced identity, not just the first few.
    #[arg(long, short)]
    verbose: bool,
}

impl IdentitiesArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let IdentitiesArgs { project, csv, images, replace, verbose } = self;
        into_existing(&project, verbose, ImportRequest::IdentitiesCsv { csv, images, replace })
    }
}

/// Opens (or creates) the project and runs the import on it, as the app's Import window does
/// (`import::run_import`).
fn into_new_or_existing(project: &Path, verbose: bool, request: ImportRequest) -> anyhow::Result<()> {
    let (outcome, created) = with_new_or_existing_project(project, |store| {
        run_import(store, &request, ImportControl::none()).map_err(anyhow::Error::from)
    })?;
    if created {
        println!("created {}", project.display());
    }
    println!("{}", outcome.summary(listed(verbose)));
    Ok(())
}

/// Runs the import on an existing project.
fn into_existing(project: &Path, verbose: bool, request: ImportRequest) -> anyhow::Result<()> {
    let store = &mut open_project(project)?;
    println!("{}", run_import(store, &request, ImportControl::none())?.summary(listed(verbose)));
    Ok(())
}
