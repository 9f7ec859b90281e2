//! The command line: clap subcommands calling the same library functions as the GUI.
//! Without a subcommand, pairscope opens the GUI.

//!
//! Each subcommand family has a file of its own, holding its clap arguments and its `run`;
//! this file only parses and dispatches. What several of them share is in `common.rs`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

mod all_vs_all;
mod augment;
mod common;
mod completions;
mod demo;
mod embed;
mod eval_lfw;
mod export;
mod export_embeddings;
mod gui;
mod hub;
mod import;
mod lineage;
mod merge;
mod monitor;
mod password_prompt;
mod project;
mod quality;
mod report;
mod role;
mod selection_args;
mod split;
mod team;

use all_vs_all::AllVsAllArgs;
use augment::AugmentArgs;
use completions::CompletionsArgs;
use demo::DemoArgs;
use embed::EmbedArgs;
use eval_lfw::EvalLfwArgs;
use export::{ExportArgs, VerifyExportArgs};
use export_embeddings::ExportEmbeddingsArgs;
use gui::GuiArgs;
use hub::HubArgs;
use import::{FoldersArgs, IdentitiesArgs, LabelsArgs, LfwArgs, PairsArgs, ScoresArgs};
use lineage::LineageArgs;
use merge::MergeLabelsArgs;
use monitor::MonitorArgs;
use project::{InfoArgs, NewArgs};
use quality::QualityArgs;
use report::ReportArgs;
use role::RoleArgs;
use split::SplitArgs;
use team::{CloneArgs, ShareArgs, SyncArgs};

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
    Gui(GuiArgs),
    /// Create a new, empty project file.
    New(NewArgs),
    /// Show what a project holds: images, pairs, labels per labeler, tags, models.
    Info(InfoArgs),
    /// Import the LFW protocol file (pairs.txt) and its images.
    #[command(long_about = "Import the LFW protocol file (pairs.txt) and its images.\n\n\
        The first line is 'folds pairs_per_fold'; then same-person lines 'name i j' and \
        different-person lines 'name1 i name2 j'. Images are read from \
        DIR/<name>/<name>_<NNNN>.jpg. The fold goes into each pair's metadata and the pair \
        gets the id lfw:<fold>:<n>. Pairs whose image is missing are skipped and reported. \
        Each image's identity (who is in it) is its person folder <name>; importing again \
        into an older project fills the identities in and adds nothing else. \
        The project is created if it does not exist.")]
    ImportLfw(LfwArgs),
    /// Import pairs from a CSV file.
    #[command(long_about = "Import pairs from a CSV file.\n\n\
        Columns: image_a,image_b (required, relative to --images); pair_id (your own id, \
        usable in the labels and scores CSVs; without it a pair is named 'image_a|image_b'); truth (same/different or empty; 1/0, yes/no, \
        true/false also accepted); split (train, train-dev, dev, test); identity_a, identity_b \
        (who is in each image, empty = unknown; also kept in the metadata). A row whose \
        identity contradicts its truth, an earlier row or the identity the project holds for \
        that image is an error. Any other column is \
        kept as the pair's metadata. The project is created if it does not exist.")]
    ImportPairs(PairsArgs),
    /// Import labels made elsewhere: pair_id,labeler,verdict,tags[,blind].
    #[command(long_about = "Import labels made elsewhere (another tool, or a labeler on another machine).\n\n\
        Columns: pair_id, labeler, verdict (same/different or empty), tags (';'-separated \
        names; new tags and labelers are created), and optionally blind: true/false, 1/0 or \
        yes/no, whether the labeler gave the row's labels without seeing the truth or other \
        labelers' work (empty or no column: true; a label that is not blind can be left out \
        of the agreement numbers). Every change is written to the audit log. A verdict that \
        contradicts what the labeler already said is reported, never overwritten.")]
    ImportLabels(LabelsArgs),
    /// Import scores of a model evaluated outside pairscope: pair_id,score.
    ImportScores(ScoresArgs),
    /// Run the face model over every image and score every pair (cached; Ctrl-C keeps what is done).
    #[command(long_about = "Run the face model over every image and score every pair.\n\n\
        Embeddings are cached by model and image sha256, so a second run only processes new \
        images. Ctrl-C stops after the images in flight; what is done stays done. Brightness \
        and sharpness of each image are stored in the same pass. Every image ends with a \
        status (ok, several_faces, no_face, missing_file, undecodable, too_large, model_error, \
        bad_embedding), summarised \
        at the end.")]
    Embed(EmbedArgs),
    /// Compare every image with an identity against every other one (cached; Ctrl-C stops).
    #[command(long_about = "Compare every image with an identity against every other one.\n\n\
        Each unordered pair of distinct images is compared once: same identity is genuine, \
        different is impostor. Missing embeddings of the built-in model are computed first. The \
        result (exact counts at FMR 1e-1 to 1e-6, observed and demonstrated, the EER, the 200 \
        hardest impostors and weakest genuine comparisons) is stored in the project, cached by \
        model and image set, and shown by `pairscope report`.")]
    AllVsAll(AllVsAllArgs),
    /// Every number of the error analysis: operating point, ROC, HLP, agreement, per-tag table, splits.
    #[command(long_about = "Every number of the error analysis, for people and for scripts.\n\n\
        The operating point is chosen by a rule: by default max accuracy; --threshold T fixes \
        it; --max-fpr F takes the smallest threshold with FPR <= F (the door-lock rule: \
        \"FPR <= 0.01%, then the best recall\" is --max-fpr 0.0001); --eer where FPR and FNR \
        cross. With --json the output is one JSON object (null, never NaN, where a number is \
        undefined); otherwise readable tables.")]
    Report(ReportArgs),
    /// Label quality: likely wrong truths, pairs that need another label, each labeler's quality.
    #[command(long_about = "Label quality: which truths are likely wrong, which pairs need another \
        label, and how good each labeler is.\n\n\
        The model's scores are calibrated to P(same) by Platt scaling, out of fold (10 folds, \
        pairs sharing an image or identity in one fold). With the labelers' blind verdicts, \
        CROWDLAB (as cleanlab 2.9.0 computes it) gives each pair a consensus and each labeler a \
        quality; without verdicts the calibrated model stands alone. \"Likely wrong truth\" \
        lists the pairs whose truth disagrees with that consensus, surest first; \"Needs \
        another label\" ranks pairs by ActiveLab. Per labeler: accuracy against truth and on \
        gold pairs with 95 % intervals, agreement with consensus, median seconds per verdict \
        (pauses over 2 minutes left out) and drift over the first and last 100 verdicts.")]
    Quality(QualityArgs),
    /// Is a folder of new photos like the project's? Brightness, sharpness, face size, detector confidence.
    #[command(long_about = "Compare a folder of new photos (no labels needed) with the project's photos, \
        or with one split's (--baseline), to see whether the input has drifted.\n\n\
        The new photos go through the built-in face pass (nothing is written to the project); the \
        project's photos are taken as `pairscope embed` measured them, so run it first. For \
        brightness and sharpness (of the aligned face crop, or the whole photo without a face), \
        face size (square root of the face box's area, in pixels) and detector confidence: the \
        two-sample Kolmogorov-Smirnov statistic and p-value (as scipy's ks_2samp: exact up to \
        10,000 values a side, asymptotic beyond; the method is printed), the population \
        stability index over 10 quantile bins of the baseline (an empty bin counts as a 0.0001 \
        share) and a verdict: drifted when p < 0.01 and PSI >= 0.2. The no-face and \
        several-faces rates are shown beside. When brightness drifts darker, the project's \
        `dark` slice error rate is shown. --fail-on-drift exits with status 3 when a measure \
        drifted (1 is an error), for a deployment pipeline.")]
    Monitor(MonitorArgs),
    /// LFW 10-fold accuracy of a model's scores (threshold chosen on 9 folds, tested on the 10th).
    EvalLfw(EvalLfwArgs),
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
        seeded, reproducible sample (by default as many as there are same-person pairs). \
        Each image's identity is the name of its folder directly under DIR (DIR/<person>/x.jpg \
        is <person>); files directly in DIR belong to no one and are skipped, and folders \
        deeper down are not read.")]
    ImportFolders(FoldersArgs),
    /// Say who is in images the project holds: a CSV with the columns image,identity.
    #[command(long_about = "Say who is in images the project already holds (for all-vs-all).\n\n\
        Columns: image (its path relative to its image folder, as in import-pairs) and identity. \
        All or nothing: an image not in the project, an empty identity, or two rows giving one \
        image two identities is an error naming the line, and nothing is written. An image \
        that already has another identity is an error naming both, unless --replace, which \
        replaces it and lists the change. Prints how many identities were set, unchanged and \
        replaced.")]
    ImportIdentities(IdentitiesArgs),
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
    Export(ExportArgs),
    /// Synthesise more pairs like a slice (darker, blurred, sunset, noise…) into a new folder.
    #[command(long_about = "Synthesise more pairs like a slice into a new (or empty) folder.\n\n\
        The pairs are chosen as `export` chooses them (e.g. --split train --tag dark). Each of \
        their images gets `copies` derived images, each pair `copies` derived pairs with its \
        truth and split. The recipe lists changes applied in order, each with a number or a \
        range LO..HI drawn with --seed: darken=F and brighten=F multiply every pixel by F \
        (0.01-1, 1-4); sunset=S a warm cast (0-1); blur=SIGMA a Gaussian blur in pixels \
        (0-20); noise=SIGMA Gaussian noise in grey levels (0-64); jpeg=Q re-encoding at \
        quality Q (1-100); shift=PX moves the photo up to PX pixels each way (0-64); flip \
        mirrors it; copies=K (1-100, default 1). The folder has the export layout (derived \
        images as PNG) and a manifest.json that records, for each derived image, its source's \
        sha256, its seed and the exact changes; the same command gives byte-identical files, \
        and `verify-export --reapply` re-makes every image from its source to check. \
        --add-to-project brings the derived pairs into the project (source augment, with \
        their lineage); --adjudicate-as NAME also records the recipe's tags on them.")]
    Augment(AugmentArgs),
    /// Write every image's embedding under a model to a Parquet file (image, identity, status, embedding).
    #[command(long_about = "Write every image's embedding under a model to a Parquet file.\n\n\
        One row per image with an embedding: image (its path relative to its root, as an \
        export's manifest names its source), identity (null when unknown), status (ok or \
        several_faces) and embedding (a fixed-size list of float32: the L2-normalised vector \
        the scores are computed from). pandas, pyarrow, polars and DuckDB read it as is. The \
        file is written beside its target and renamed, so a failure never leaves half a file.")]
    ExportEmbeddings(ExportEmbeddingsArgs),
    /// Check an export folder against its manifest.json (every file's sha256, nothing extra).
    VerifyExport(VerifyExportArgs),
    /// Merge labels from another project of the same pairs (e.g. a labeler's offline copy).
    #[command(long_about = "Merge labels from another project of the same pairs.\n\n\
        Pairs are matched by the sha256 of their two images, or by pair id. For each labeler's \
        verdict, tag and note on a pair, and for each pair's adjudication, the audit histories \
        decide: labels changed only in the other project come in with their authors, times and \
        history; labels changed in both are conflicts, reported and kept as they are here. \
        Ground truth is never changed; pairs whose truth differs are listed. The other project \
        is only read.")]
    MergeLabels(MergeLabelsArgs),
    /// Show or set a labeler's role: labeler, adjudicator or engineer.
    #[command(long_about = "Show or set a labeler's role: labeler, adjudicator or engineer.\n\n\
        Labelers work blind and see only the review screen. Adjudicators settle disagreements. \
        Adjudicators and engineers may turn blind mode off and open the analysis screens. A \
        labeler named for the first time is created. Every change is written to the audit log.")]
    Role(RoleArgs),
    /// List the split runs and exports recorded in a project (its curation lineage).
    Lineage(LineageArgs),
    /// A team hub on PostgreSQL: init, add-labeler, status.
    Hub(HubArgs),
    /// Publish a project to an empty team hub; it becomes the hub's first copy.
    Share(ShareArgs),
    /// Make a labeler's own copy of a hub's project (images found under --images, sha256 checked).
    Clone(CloneArgs),
    /// Exchange changes with the project's hub: send this copy's labels, bring the others'.
    Sync(SyncArgs),
    /// Print a shell's completion script: bash, zsh, fish, elvish or powershell.
    #[command(long_about = "Print a shell's completion script for pairscope's subcommands and options.\n\n\
        Install it where the shell looks for completions, for example:\n  \
        pairscope completions bash > ~/.local/share/bash-completion/completions/pairscope\n  \
        pairscope completions zsh > ~/.zfunc/_pairscope   (with ~/.zfunc in $fpath)\n  \
        pairscope completions fish > ~/.config/fish/completions/pairscope.fish")]
    Completions(CompletionsArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::try_parse().unwrap_or_else(|e| shorten_values(e).exit());
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            if let Some(import) = e.downcast_ref::<crate::import::ImportError>() {
                for problem in import.problems() {
                    eprintln!("  {problem}");
                }
            }
            ExitCode::FAILURE
        }
    }
}

/// Clap's error with the user's values it quotes (an invalid value, an unexpected argument)
/// cut and escaped by [`crate::quote::shortened`]: a 100 KB argument never fills the screen.
fn shorten_values(mut error: clap::Error) -> clap::Error {
    use clap::error::{ContextKind, ContextValue};
    for kind in [ContextKind::InvalidValue, ContextKind::InvalidArg] {
        let short = match error.get(kind) {
            Some(ContextValue::String(value)) => match crate::quote::shortened(value) {
                std::borrow::Cow::Owned(short) => Some(short),
                std::borrow::Cow::Borrowed(_) => None,
            },
            _ => None,
        };
        if let Some(short) = short {
            error.insert(kind, ContextValue::String(short));
        }
    }
    error
}

/// Runs a command; its exit status is success unless it says otherwise (`monitor
/// --fail-on-drift`).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    init_logging();
    let Some(command) = cli.command else { return crate::ui::run(cli.project, None).map(|()| ExitCode::SUCCESS) };
    // The commands that talk to a hub may ask for its password at a terminal (the app never).
    if matches!(command, Command::Hub(_) | Command::Share(_) | Command::Clone(_) | Command::Sync(_)) {
        password_prompt::install();
    }
    match command {
        Command::Gui(args) => args.run(),
        Command::New(args) => args.run(),
        Command::Info(args) => args.run(),
        Command::Role(args) => args.run(),
        Command::ImportLfw(args) => args.run(),
        Command::ImportPairs(args) => args.run(),
        Command::ImportLabels(args) => args.run(),
        Command::ImportScores(args) => args.run(),
        Command::ImportFolders(args) => args.run(),
        Command::ImportIdentities(args) => args.run(),
        Command::Embed(args) => args.run(),
        Command::AllVsAll(args) => args.run(),
        Command::Demo(args) => args.run(),
        Command::Report(args) => args.run(),
        Command::Hub(args) => args.run(),
        Command::Share(args) => args.run(),
        Command::Clone(args) => args.run(),
        Command::Sync(args) => args.run(),
        Command::Quality(args) => args.run(),
        Command::EvalLfw(args) => args.run(),
        Command::Split(args) => args.run(),
        Command::Export(args) => args.run(),
        Command::Augment(args) => args.run(),
        Command::ExportEmbeddings(args) => args.run(),
        Command::VerifyExport(args) => args.run(),
        Command::MergeLabels(args) => args.run(),
        Command::Lineage(args) => args.run(),
        Command::Monitor(args) => return args.run(),
        Command::Completions(args) => args.run(Cli::command()),
    }
    .map(|()| ExitCode::SUCCESS)
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
