//! `pairscope demo`: (re)create the demo project, and open it.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::demo::{self, create_demo, default_demo_path};
use crate::face::FaceEngine;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to create the demo project (default: in your data directory).
    path: Option<PathBuf>,
    /// Only create it (already scored and labeled); do not open the GUI.
    #[arg(long)]
    no_gui: bool,
    /// Recreate it even if it exists (its project file and images are replaced).
    #[arg(long)]
    replace: bool,
    /// Developers: regenerate the demo recipe from the embedded photos and write it to FILE
    /// (sample-data/demo-recipe.json is what this writes).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["path", "no_gui", "replace"])]
    write_recipe: Option<PathBuf>,
}

impl DemoArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        demo(self)
    }
}

fn demo(args: DemoArgs) -> anyhow::Result<()> {
    if let Some(file) = args.write_recipe {
        let recipe = demo::recipe::generate(&FaceEngine::builtin()?, demo::photos(), demo::recipe::DEFAULT_SEED)?;
        std::fs::write(&file, recipe.to_json()).with_context(|| format!("writing {}", file.display()))?;
        println!(
            "wrote {}: {} faces, {} images, {} pairs, {} simulated labels",
            file.display(),
            recipe.photos.iter().map(|p| p.faces.len()).sum::<usize>(),
            recipe.images.len(),
            recipe.pairs.len(),
            recipe.labels.len()
        );
        return Ok(());
    }
    let path = args.path.unwrap_or_else(default_demo_path);
    if args.replace || !path.exists() {
        let summary = create_demo(&path, args.replace, |stage| eprintln!("demo: {stage}…"))?;
        println!(
            "created the demo project {}: {} images, {} pairs, {} simulated labels, {} pairs scored",
            summary.project.display(),
            summary.images,
            summary.pairs,
            summary.labels,
            summary.scoring.pairs_scored
        );
    } else {
        println!("the demo project is at {} (--replace recreates it)", path.display());
    }

    if args.no_gui { Ok(()) } else { crate::ui::run(Some(path), None) }
}
