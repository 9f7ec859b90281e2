//! `pairscope embed` on real photos: statuses, pair scores, and the embedding cache.

use crate::common;

use common::{datasets, info, ok};

#[test]
fn embed_scores_pairs_reports_bad_images_and_reuses_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let photos = dir.path().join("photos");
    std::fs::create_dir(&photos).unwrap();
    let sitcom = datasets().join("sitcom");
    for name in ["amy/amy1.png", "amy/amy2.png", "raj/raj1.png"] {
        let to = photos.join(name.replace('/', "_"));
        std::fs::copy(sitcom.join(name), to).unwrap(); // into a temp dir, never into the repo
    }
    let full = std::fs::read(datasets().join("celebrity-pairs/img1.jpg")).unwrap();
    std::fs::write(photos.join("cut.jpg"), &full[..full.len() / 3]).unwrap();
    let csv = dir.path().join("pairs.csv");
    std::fs::write(
        &csv,
        "pair_id,image_a,image_b,truth\nsame,amy_amy1.png,amy_amy2.png,same\n\
         diff,amy_amy1.png,raj_raj1.png,different\nbroken,amy_amy1.png,cut.jpg,different\n",
    )
    .unwrap();
    let project = dir.path().join("p.pairscope");
    let p = project.to_str().unwrap();
    ok(["import-pairs", p, "--csv", csv.to_str().unwrap(), "--images", photos.to_str().unwrap()]);

    let out = ok(["embed", p, "--quiet"]);
    assert!(out.contains("4 processed"), "{out}");
    assert!(out.contains("ok 3") && out.contains("undecodable 1"), "{out}");
    assert!(out.contains("scored 2 pairs; 1 without a score"), "{out}");
    assert!(
        out.contains("pair broken: image a ok, image b undecodable"),
        "the unscored pair says which and why: {out}"
    );

    let again = ok(["embed", p, "--quiet"]);
    assert!(again.contains("4 from the cache, 0 processed"), "{again}");
    let models = &info(&project)["models"];
    assert_eq!(models[0]["name"], "builtin");
    assert_eq!(models[0]["scores"], 2);
}
