//! The importers from the shell: `import-lfw`, `import-pairs`, `import-labels`,
//! `import-scores`, `import-folders` and `import-identities`. Those that bring pairs create the
//! project if needed.

use std::path::{Path, PathBuf};

use clap::Args;

use super::common::{listed, open_project, with_new_or_existing_project};
use crate::import::{self, FolderOptions, ImportError, ImportReport};
use crate::store::Store;

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
        with_project(&project, common.verbose, |s| import::import_lfw(s, &pairs, &images, common.skip_bad))
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
        with_project(&project, common.verbose, |s| import::import_pairs(s, &csv, &images, common.skip_bad))
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
        let store = &mut open_project(&self.project)?;
        print_report(&import::import_labels(store, &self.csv, self.common.skip_bad)?, self.common.verbose);
        Ok(())
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
        let store = &mut open_project(&self.project)?;
        let report = import::import_scores(store, &self.csv, &self.model, self.common.skip_bad)?;
        store.write(|tx| tx.set_trained_on_train(&self.model, self.trained_on_train))?;
        print_report(&report, self.common.verbose);
        Ok(())
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
        with_project(&project, verbose, |s| import::import_folders(s, &images, &FolderOptions { different, seed }))
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
        let store = &mut open_project(&self.project)?;
        let report = import::import_identities(store, &self.csv, self.images.as_deref(), self.replace)?;
        println!("{}", report.summary(listed(self.verbose)));
        Ok(())
    }
}

/// Opens (or creates) the project and runs an importer on it.
fn with_project(
    project: &Path,
    verbose: bool,
    import: impl FnOnce(&mut Store) -> Result<ImportReport, ImportError>,
) -> anyhow::Result<()> {
    let (report, created) = with_new_or_existing_project(project, |store| import(store).map_err(anyhow::Error::from))?;
    if created {
        println!("created {}", project.display());
    }
    print_report(&report, verbose);
    Ok(())
}

fn print_report(report: &ImportReport, verbose: bool) {
    println!("{}", report.summary(listed(verbose)));
}
