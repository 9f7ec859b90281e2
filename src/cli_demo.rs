//! `pairscope demo`: (re)create the demo project, and open it.

use anyhow::Context;

use crate::cli::DemoArgs;
use crate::demo::{self, create_demo, default_demo_path};
use crate::face::FaceEngine;

pub fn demo(args: DemoArgs) -> anyhow::Result<()> {
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
