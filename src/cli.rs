//! The command line: clap subcommands calling the same library functions as the GUI.
//! Without a subcommand, pairscope opens the GUI.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::import::{self, FolderOptions, ImportError, ImportReport};
use crate::store::Store;

#[derive(Debug, Parser)]
#[command(
    name = "pairscope",
    version,
    about = "Find where a face-verification model fails, and why.",
    long_about = "Find where a face-verification model fails, and why.\n\n\
        Without a subcommand pairscope opens the GUI, on PROJECT if one is given.\n\
        A project is one SQLite file (by convention *.pairscope).",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Project to open in the GUI.
    pub project: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the GUI (the default).
    Gui {
        /// Project file to open.
        project: Option<PathBuf>,
    },
    /// Create a new, empty project file.
    New {
        /// Path of the project file to create (refuses to overwrite).
        project: PathBuf,
    },
    /// Show what a project holds: images, pairs, labels per labeler, tags, models.
    Info {
        project: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Import the LFW protocol file (pairs.txt) and its images.
    #[command(long_about = "Import the LFW protocol file (pairs.txt) and its images.\n\n\
        The first line is 'folds pairs_per_fold'; then same-person lines 'name i j' and \
        different-person lines 'name1 i name2 j'. Images are read from \
        DIR/<name>/<name>_<NNNN>.jpg. The fold goes into each pair's metadata and the pair \
        gets the id lfw:<fold>:<n>. Pairs whose image is missing are skipped and reported. \
        The project is created if it does not exist.")]
    ImportLfw {
        project: PathBuf,
        /// The LFW pairs.txt protocol file.
        #[arg(long)]
        pairs: PathBuf,
        /// The folder holding <name>/<name>_<NNNN>.jpg.
        #[arg(long)]
        images: PathBuf,
        #[command(flatten)]
        common: ImportArgs,
    },
    /// Import pairs from a CSV file.
    #[command(long_about = "Import pairs from a CSV file.\n\n\
        Columns: image_a,image_b (required, relative to --images); pair_id (your own id, \
        usable in the labels and scores CSVs; without it a pair is named 'image_a|image_b'); truth (same/different or empty; 1/0, yes/no, \
        true/false also accepted); split (train, train-dev, dev, test). Any other column is \
        kept as the pair's metadata. The project is created if it does not exist.")]
    ImportPairs {
        project: PathBuf,
        #[arg(long)]
        csv: PathBuf,
        /// The folder the image paths are relative to.
        #[arg(long)]
        images: PathBuf,
        #[command(flatten)]
        common: ImportArgs,
    },
    /// Import labels made elsewhere: pair_id,labeler,verdict,tags.
    #[command(long_about = "Import labels made elsewhere (another tool, or a labeler on another machine).\n\n\
        Columns: pair_id, labeler, verdict (same/different or empty), tags (';'-separated \
        names; new tags and labelers are created). Every change is written to the audit \
        log. A verdict that contradicts what the labeler already said is reported, never \
        overwritten.")]
    ImportLabels {
        project: PathBuf,
        #[arg(long)]
        csv: PathBuf,
        #[command(flatten)]
        common: ImportArgs,
    },
    /// Import scores of a model evaluated outside pairscope: pair_id,score.
    ImportScores {
        project: PathBuf,
        #[arg(long)]
        csv: PathBuf,
        /// Name under which the scores are stored (higher score = more likely the same person).
        #[arg(long)]
        model: String,
        #[command(flatten)]
        common: ImportArgs,
    },
    /// Run the face model over every image and score every pair (cached; Ctrl-C keeps what is done).
    #[command(long_about = "Run the face model over every image and score every pair.\n\n\
        Embeddings are cached by model and image sha256, so a second run only processes new \
        images. Ctrl-C stops after the images in flight; what is done stays done. Brightness \
        and sharpness of each image are stored in the same pass. Every image ends with a \
        status (ok, several_faces, no_face, missing_file, undecodable, too_large), summarised \
        at the end.")]
    Embed(EmbedArgs),
    /// Make pairs from a folder of identity subfolders (DIR/<person>/*.jpg).
    #[command(long_about = "Make pairs from a folder of identity subfolders (DIR/<person>/*.jpg).\n\n\
        Every two images of one person form a same-person pair; different-person pairs are a \
        seeded, reproducible sample (by default as many as there are same-person pairs).")]
    ImportFolders {
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
    },
}

#[derive(Debug, Args)]
pub struct EmbedArgs {
    pub project: PathBuf,
    /// An ONNX face embedder to use instead of the built-in one (the built-in detector and
    /// alignment still make the 112x112 crop it sees).
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// The input spec of --model, e.g. "size=112x112,order=rgb,mean=127.5,std=127.5,layout=nchw".
    #[arg(long, requires = "model", default_value = "size=112x112,order=rgb,mean=127,std=128,layout=nchw")]
    pub spec: String,
    /// Name under which the scores are stored (default: "builtin", or the file name of --model).
    #[arg(long)]
    pub name: Option<String>,
    /// No progress bar (for logs).
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Import the good rows and report the bad ones, instead of refusing the whole file.
    #[arg(long)]
    skip_bad: bool,
    /// List every skipped row, not just the first few.
    #[arg(long, short)]
    verbose: bool,
}

/// How many problems a report lists before summarising the rest.
const FIRST_FEW: usize = 10;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            if let Some(import) = e.downcast_ref::<ImportError>() {
                for problem in import.problems() {
                    eprintln!("  {problem}");
                }
            }
            ExitCode::FAILURE
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    init_logging();
    match cli.command {
        None => crate::ui::run(cli.project),
        Some(Command::Gui { project }) => crate::ui::run(project),
        Some(Command::New { project }) => {
            Store::create(&project)?;
            println!("created {}", project.display());
            Ok(())
        }
        Some(Command::Info { project, json }) => info(&project, json),
        Some(Command::ImportLfw { project, pairs, images, common }) => {
            with_project(&project, common.verbose, |s| import::import_lfw(s, &pairs, &images, common.skip_bad))
        }
        Some(Command::ImportPairs { project, csv, images, common }) => {
            with_project(&project, common.verbose, |s| import::import_pairs(s, &csv, &images, common.skip_bad))
        }
        Some(Command::ImportLabels { project, csv, common }) => {
            let store = &mut Store::open(&project)?;
            print_report(&import::import_labels(store, &csv, common.skip_bad)?, common.verbose);
            Ok(())
        }
        Some(Command::ImportScores { project, csv, model, common }) => {
            let store = &mut Store::open(&project)?;
            print_report(&import::import_scores(store, &csv, &model, common.skip_bad)?, common.verbose);
            Ok(())
        }
        Some(Command::Embed(args)) => crate::cli_embed::embed(args),
        Some(Command::ImportFolders { project, images, different, seed, verbose }) => {
            with_project(&project, verbose, |s| import::import_folders(s, &images, &FolderOptions { different, seed }))
        }
    }
}

/// Opens (or creates) the project and runs an importer on it.
fn with_project(
    project: &Path,
    verbose: bool,
    import: impl FnOnce(&mut Store) -> Result<ImportReport, ImportError>,
) -> anyhow::Result<()> {
    let (mut store, created) = Store::open_or_create(project)?;
    if created {
        println!("created {}", project.display());
    }
    print_report(&import(&mut store)?, verbose);
    Ok(())
}

fn print_report(report: &ImportReport, verbose: bool) {
    println!("{}", report.summary(if verbose { usize::MAX } else { FIRST_FEW }));
}

fn info(project: &Path, json: bool) -> anyhow::Result<()> {
    let info = Store::open(project)?.read(|tx| tx.info())?;
    if json {
        println!("{}", serde_json::to_string_pretty(&info).context("serialising info")?);
        return Ok(());
    }
    println!("{} (schema {})", project.display(), info.schema_version);
    println!("images   {}", info.images);
    for root in &info.image_roots {
        println!("  under  {root}");
    }
    println!(
        "pairs    {}  ({} same, {} different, {} unknown)",
        info.pairs, info.truth_same, info.truth_different, info.truth_unknown
    );
    let splits: Vec<String> = info.splits.iter().map(|(s, n)| format!("{s} {n}")).collect();
    println!("splits   {}", splits.join(", "));
    println!("labelers {}", info.labelers.len());
    for l in &info.labelers {
        let simulated = if l.simulated { ", simulated" } else { "" };
        println!("  {:<20} {:>7} verdicts {:>7} tags  ({}{simulated})", l.name, l.verdicts, l.tags_applied, l.role);
    }
    println!("tags     {}", info.tags.len());
    for t in &info.tags {
        let key = t.hotkey.map(|k| k.to_string()).unwrap_or_else(|| "-".into());
        println!("  [{key}] {:<16} {:>7} pairs {:>7} applications", t.name, t.pairs, t.applications);
    }
    println!("models   {}", info.models.len());
    for m in &info.models {
        println!("  {:<20} {:>7} scores  ({})", m.name, m.scores, m.kind);
    }
    println!("events   {}", info.label_events);
    Ok(())
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
