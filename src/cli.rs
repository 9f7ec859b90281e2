//! The command line: clap subcommands calling the same library functions as the GUI.
//! Without a subcommand, pairscope opens the GUI.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::cli_open::{open_or_create_project, open_project};
use crate::curate;
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
    #[command(long_about = "Open the GUI (the default).\n\n\
        With --labeler the app opens straight into review as that labeler, creating them (as a \
        plain labeler) if the project does not know them yet: for scripted sessions, kiosks, and \
        tests that drive the real window.")]
    Gui {
        /// Project file to open (default: the last one opened).
        project: Option<PathBuf>,
        /// Open straight into review as this labeler (created if new).
        #[arg(long, value_name = "NAME", value_parser = parse_labeler_name)]
        labeler: Option<String>,
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
    /// Import labels made elsewhere: pair_id,labeler,verdict,tags[,blind].
    #[command(long_about = "Import labels made elsewhere (another tool, or a labeler on another machine).\n\n\
        Columns: pair_id, labeler, verdict (same/different or empty), tags (';'-separated \
        names; new tags and labelers are created), and optionally blind: true/false, 1/0 or \
        yes/no, whether the labeler gave the row's labels without seeing the truth or other \
        labelers' work (empty or no column: true; a label that is not blind can be left out \
        of the agreement numbers). Every change is written to the audit log. A verdict that \
        contradicts what the labeler already said is reported, never overwritten.")]
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
    /// Every number of the error analysis: operating point, ROC, HLP, agreement, per-tag table, splits.
    #[command(long_about = "Every number of the error analysis, for people and for scripts.\n\n\
        The operating point is chosen by a rule: by default max accuracy; --threshold T fixes \
        it; --max-fpr F takes the smallest threshold with FPR <= F (the door-lock rule: \
        \"FPR <= 0.01%, then the best recall\" is --max-fpr 0.0001); --eer where FPR and FNR \
        cross. With --json the output is one JSON object (null, never NaN, where a number is \
        undefined); otherwise readable tables.")]
    Report(ReportArgs),
    /// LFW 10-fold accuracy of a model's scores (threshold chosen on 9 folds, tested on the 10th).
    EvalLfw {
        project: PathBuf,
        /// The model whose scores to evaluate (default: the only one, or the built-in one).
        #[arg(long)]
        model: Option<String>,
    },
    /// Create the demo project (if needed) and open it; the default when pairscope starts fresh.
    #[command(long_about = "Create the demo project and open it.\n\n\
        The demo is built from six group photos embedded in pairscope: two faces of one photo \
        are different people, a face and a changed copy of itself (darker, blurred, sunset \
        colours, shifted, flipped, JPEG noise) are the same person. Three simulated labelers \
        (named as such) label it, and the built-in model scores it. Without PATH it lives in \
        your data directory.")]
    Demo(DemoArgs),
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
    /// Plan balanced train/dev/test splits; shows a preview, writes only with --apply.
    #[command(long_about = "Plan balanced train/(train-dev)/dev/test splits of every pair.\n\n\
        Pairs are grouped by identity (the identity_a/identity_b metadata of LFW and folder \
        imports) and by image, and a group always goes to one split whole, so no person is in \
        two splits. Within that, each split gets the same share of same-person pairs and of \
        each consensus tag. The same seed always gives the same split. Without --apply only \
        the preview is shown; pairs that already have another split are moved only with \
        --apply --replace-existing, or kept where they are with --keep-existing (new pairs are \
        then placed around them).")]
    Split(SplitArgs),
    /// Export a selection of pairs with their images, labels and a manifest to a new folder.
    #[command(long_about = "Export a selection of pairs to a new (or empty) folder.\n\n\
        Writes images/<identity>/<identity>_NNNN.<ext> (copied, never overwriting), pairs.csv, \
        labels.csv, LFW pairs.txt and manifest.json (sha256 of every file, the source of \
        every image and pair, the project, the model and threshold, the filter). The export \
        is recorded in the project. Exporting the same selection again gives byte-identical \
        files (unless --stamp puts the time into the manifest).")]
    Export {
        project: PathBuf,
        /// The folder to create (it must not exist, or be empty).
        #[arg(long)]
        out: PathBuf,
        /// Only this split (train, train-dev, dev, test).
        #[arg(long, value_parser = parse_split)]
        split: Option<crate::domain::Split>,
        /// Only pairs whose labelers reach a majority verdict.
        #[arg(long)]
        consensus_only: bool,
        /// Only pairs with this consensus tag (repeatable).
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// Leave out pairs with this consensus tag (repeatable), e.g. borderline.
        #[arg(long = "exclude-tag")]
        exclude_tags: Vec<String>,
        /// Only pairs whose verdicts agree at least this much (0-1).
        #[arg(long)]
        min_agreement: Option<f64>,
        /// Only pairs whose verdicts agree at most this much (0-1; e.g. 0.99 for the
        /// disagreement queue).
        #[arg(long)]
        max_agreement: Option<f64>,
        /// Only the pairs --model gets wrong at --threshold (false accepts and rejects).
        #[arg(long, requires = "threshold")]
        errors_only: bool,
        /// Include this model's scores.
        #[arg(long)]
        model: Option<String>,
        /// The operating threshold of --model (adds a predicted column).
        #[arg(long, requires = "model")]
        threshold: Option<f64>,
        /// Put the export time into the manifest (re-exports then differ in that line).
        #[arg(long)]
        stamp: bool,
    },
    /// Check an export folder against its manifest.json (every file's sha256, nothing extra).
    VerifyExport { folder: PathBuf },
    /// Merge labels from another project of the same pairs (e.g. a labeler's offline copy).
    #[command(long_about = "Merge labels from another project of the same pairs.\n\n\
        Pairs are matched by the sha256 of their two images, or by pair id. For each labeler's \
        verdict, tag and note on a pair, and for each pair's adjudication, the audit histories \
        decide: labels changed only in the other project come in with their authors, times and \
        history; labels changed in both are conflicts, reported and kept as they are here. \
        Ground truth is never changed; pairs whose truth differs are listed. The other project \
        is only read.")]
    MergeLabels {
        project: PathBuf,
        /// The project to take labels from.
        #[arg(long)]
        from: PathBuf,
        /// List every conflict and unmatched pair, not just the first few.
        #[arg(long, short)]
        verbose: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show or set a labeler's role: labeler, adjudicator or engineer.
    #[command(long_about = "Show or set a labeler's role: labeler, adjudicator or engineer.\n\n\
        Labelers work blind and see only the review screen. Adjudicators settle disagreements. \
        Adjudicators and engineers may turn blind mode off and open the analysis screens. A \
        labeler named for the first time is created. Every change is written to the audit log.")]
    Role {
        project: PathBuf,
        /// The labeler's name.
        #[arg(value_parser = parse_labeler_name)]
        labeler: String,
        /// The new role; without it, the current one is printed.
        role: Option<crate::store::Role>,
    },
    /// List the split runs and exports recorded in a project (its curation lineage).
    Lineage {
        project: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// A labeler's name as the store takes it: trimmed, not empty.
fn parse_labeler_name(text: &str) -> Result<String, String> {
    let name = text.trim();
    if name.is_empty() { Err("a labeler needs a name".into()) } else { Ok(name.to_owned()) }
}

fn parse_split(text: &str) -> Result<crate::domain::Split, String> {
    crate::domain::Split::parse(text)?.ok_or_else(|| "name a split: train, train-dev, dev or test".to_string())
}

/// `pairscope split`.
#[derive(Debug, Args)]
pub struct SplitArgs {
    project: PathBuf,
    /// small (60/20/20), large (98/1/1), auto (large from 100,000 pairs), or train/dev/test
    /// such as 70/15/15.
    #[arg(long, default_value = "auto")]
    ratios: String,
    /// Percent of train to carve out as train-dev (same distribution as train, held out).
    #[arg(long, default_value_t = 0.0)]
    train_dev: f64,
    /// Seed: the same seed always gives the same split.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Write the split into the project (without it nothing is written).
    #[arg(long)]
    apply: bool,
    /// Confirm moving pairs that already have another split.
    #[arg(long, requires = "apply")]
    replace_existing: bool,
    /// Keep pairs that have a split where they are; place only the others (new pairs join
    /// the split of the people they share with existing ones).
    #[arg(long, conflicts_with = "replace_existing")]
    keep_existing: bool,
    /// Print the plan's preview as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    pub project: PathBuf,
    /// One JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
    /// The model whose scores to use (default: the only one, or the built-in one).
    #[arg(long)]
    pub model: Option<String>,
    /// Use this threshold.
    #[arg(long, group = "rule")]
    pub threshold: Option<f64>,
    /// The smallest threshold with FPR <= F (e.g. 0.0001 for 0.01%).
    #[arg(long, group = "rule", value_name = "F")]
    pub max_fpr: Option<f64>,
    /// The threshold where FPR and FNR cross.
    #[arg(long, group = "rule")]
    pub eer: bool,
    /// Also write a self-contained HTML report (tables and plots) to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Also write every table as a CSV file into DIR.
    #[arg(long, value_name = "DIR")]
    pub csv: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to create the demo project (default: in your data directory).
    pub path: Option<PathBuf>,
    /// Only create it (already scored and labeled); do not open the GUI.
    #[arg(long)]
    pub no_gui: bool,
    /// Recreate it even if it exists (its project file and images are replaced).
    #[arg(long)]
    pub replace: bool,
    /// Developers: regenerate the demo recipe from the embedded photos and write it to FILE
    /// (sample-data/demo-recipe.json is what this writes).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["path", "no_gui", "replace"])]
    pub write_recipe: Option<PathBuf>,
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
        None => crate::ui::run(cli.project, None),
        Some(Command::Gui { project, labeler }) => crate::ui::run(project, labeler),
        Some(Command::New { project }) => {
            Store::create(&project)?;
            println!("created {}", project.display());
            Ok(())
        }
        Some(Command::Info { project, json }) => info(&project, json),
        Some(Command::Role { project, labeler, role }) => set_role(&project, &labeler, role),
        Some(Command::ImportLfw { project, pairs, images, common }) => {
            with_project(&project, common.verbose, |s| import::import_lfw(s, &pairs, &images, common.skip_bad))
        }
        Some(Command::ImportPairs { project, csv, images, common }) => {
            with_project(&project, common.verbose, |s| import::import_pairs(s, &csv, &images, common.skip_bad))
        }
        Some(Command::ImportLabels { project, csv, common }) => {
            let store = &mut open_project(&project)?;
            print_report(&import::import_labels(store, &csv, common.skip_bad)?, common.verbose);
            Ok(())
        }
        Some(Command::ImportScores { project, csv, model, common }) => {
            let store = &mut open_project(&project)?;
            print_report(&import::import_scores(store, &csv, &model, common.skip_bad)?, common.verbose);
            Ok(())
        }
        Some(Command::Embed(args)) => crate::cli_embed::embed(args),
        Some(Command::Demo(args)) => crate::cli_demo::demo(args),
        Some(Command::Report(args)) => crate::cli_report::report(args),
        Some(Command::EvalLfw { project, model }) => crate::cli_report::eval_lfw(&project, model.as_deref()),
        Some(Command::ImportFolders { project, images, different, seed, verbose }) => {
            with_project(&project, verbose, |s| import::import_folders(s, &images, &FolderOptions { different, seed }))
        }
        Some(Command::Split(args)) => split(&args),
        Some(Command::Export {
            project,
            out,
            split,
            consensus_only,
            tags,
            exclude_tags,
            min_agreement,
            max_agreement,
            errors_only,
            model,
            threshold,
            stamp,
        }) => {
            let selection = curate::Selection {
                split,
                consensus_only,
                require_tags: tags,
                exclude_tags,
                min_agreement,
                max_agreement,
                model_errors: errors_only,
            };
            let described = selection.describe();
            let options = curate::ExportOptions { selection, model, threshold, stamp, origin: "cli".into() };
            let report = curate::export(&mut open_project(&project)?, &out, &options)?;
            println!(
                "exported {} pairs, {} images, {} labels ({described}) to {}",
                report.pairs,
                report.images,
                report.labels,
                report.target.display()
            );
            if report.lfw_left_out > 0 {
                println!(
                    "pairs.txt holds {} pairs; {} cannot be written in LFW format (listed in manifest.json)",
                    report.lfw_pairs, report.lfw_left_out
                );
            }
            println!(
                "manifest sha256 {} (recorded in the project as export #{})",
                report.manifest_sha256, report.lineage_id
            );
            Ok(())
        }
        Some(Command::MergeLabels { project, from, verbose, json }) => {
            let report = curate::merge_labels(&mut open_project(&project)?, &from)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report).context("serialising the report")?);
            } else {
                println!("{}", report.summary(if verbose { usize::MAX } else { FIRST_FEW }));
            }
            Ok(())
        }
        Some(Command::Lineage { project, json }) => lineage(&project, json),
        Some(Command::VerifyExport { folder }) => {
            let problems = curate::verify_export(&folder)?;
            if problems.is_empty() {
                println!("{}: every file matches manifest.json", folder.display());
                Ok(())
            } else {
                for problem in &problems {
                    eprintln!("  {problem}");
                }
                anyhow::bail!("{}: {} files do not match manifest.json", folder.display(), problems.len())
            }
        }
    }
}

/// Opens (or creates) the project and runs an importer on it.
fn with_project(
    project: &Path,
    verbose: bool,
    import: impl FnOnce(&mut Store) -> Result<ImportReport, ImportError>,
) -> anyhow::Result<()> {
    let (mut store, created) = open_or_create_project(project)?;
    if created {
        println!("created {}", project.display());
    }
    print_report(&import(&mut store)?, verbose);
    Ok(())
}

fn print_report(report: &ImportReport, verbose: bool) {
    println!("{}", report.summary(if verbose { usize::MAX } else { FIRST_FEW }));
}

fn set_role(project: &Path, name: &str, role: Option<crate::store::Role>) -> anyhow::Result<()> {
    let mut store = Store::open(project)?;
    let Some(role) = role else {
        let labeler = store.read(|tx| tx.find_labeler(name))?;
        let labeler = labeler.with_context(|| format!("{}: no labeler named {name:?}", project.display()))?;
        println!("{}: {}", labeler.name, labeler.role.as_str());
        return Ok(());
    };
    let change = store.write(|tx| {
        let (labeler, _) = tx.labeler_or_create(name)?;
        tx.set_labeler_role(labeler.id, role, crate::store::Origin::Cli)
    })?;
    let done = if change == crate::store::LabelChange::Changed { "is now" } else { "was already" };
    println!("{name} {done} {}", role.as_str());
    Ok(())
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

fn split(args: &SplitArgs) -> anyhow::Result<()> {
    let SplitArgs { project, ratios, train_dev, seed, apply, replace_existing, keep_existing, json } = args;
    let (train_dev, seed, apply, replace_existing, json) = (*train_dev, *seed, *apply, *replace_existing, *json);
    let ratios = match ratios.trim().to_ascii_lowercase().as_str() {
        "auto" => None,
        other => Some(curate::Ratios::parse(other).map_err(anyhow::Error::msg)?),
    };
    let store = &mut open_project(project)?;
    let options = curate::SplitOptions { ratios, train_dev_percent: train_dev, seed, keep_existing: *keep_existing };
    let plan = curate::plan_split(store, &options)?;
    if json {
        let out = serde_json::json!({
            "ratios": plan.ratios,
            "seed": seed,
            "components": plan.components,
            "largest_component": plan.largest_component,
            "would_change": plan.changed(),
            "would_replace": plan.replaced(),
            "warnings": plan.warnings,
            "rows": plan.preview.rows,
        });
        println!("{}", serde_json::to_string_pretty(&out).context("serialising the preview")?);
    } else {
        println!(
            "split {} pairs {} (train/train-dev/dev/test %), seed {}: {} groups linked by identity or image, \
             the largest {} pairs",
            plan.moves.len(),
            plan.ratios.label(),
            seed,
            plan.components,
            plan.largest_component
        );
        println!("{}", plan.preview.table());
    }
    for warning in &plan.warnings {
        eprintln!("warning: {warning}");
    }
    if !apply {
        // With --json, stdout holds only the JSON.
        let say = |text: String| if json { eprintln!("{text}") } else { println!("{text}") };
        say(format!(
            "preview only: nothing was written ({} pairs would change, {} of them already in another split); \
             run again with --apply to write it",
            plan.changed(),
            plan.replaced()
        ));
        return Ok(());
    }
    if plan.replaced() > 0 && !replace_existing {
        anyhow::bail!(
            "{}: {} pairs already have a different split; nothing was written \
             (add --replace-existing to confirm moving them, or --keep-existing to place only the pairs without a split)",
            project.display(),
            plan.replaced()
        );
    }
    let changed = curate::apply_split(store, &plan, replace_existing, "cli")?;
    println!("wrote the split: {changed} pairs changed");
    Ok(())
}

fn lineage(project: &Path, json: bool) -> anyhow::Result<()> {
    let (splits, exports) = Store::open(project)?.read(|tx| Ok((tx.split_runs()?, tx.exports()?)))?;
    if json {
        let out = serde_json::json!({ "split_runs": splits, "exports": exports });
        println!("{}", serde_json::to_string_pretty(&out).context("serialising the lineage")?);
        return Ok(());
    }
    println!("split runs {}", splits.len());
    for run in &splits {
        let ratios = serde_json::from_value::<curate::Ratios>(run.params["ratios"].clone())
            .map(|r| r.label())
            .unwrap_or_else(|_| "?".into());
        println!(
            "  #{} {}  {} seed {}  {} pairs changed  ({})",
            run.id, run.at, ratios, run.params["requested"]["seed"], run.changed, run.origin
        );
    }
    println!("exports    {}", exports.len());
    for export in &exports {
        println!(
            "  #{} {}  {} pairs, {} images -> {}  manifest sha256 {}  filter {}  ({})",
            export.id,
            export.at,
            export.pairs,
            export.images,
            export.target,
            export.manifest_sha256,
            export.selection,
            export.origin
        );
    }
    Ok(())
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
