//! `pairscope augment` on hostile input: a source photo changed or gone since the import, an
//! `--out` that is a file, and recipes no one should type. Each is refused naming what is
//! wrong, writes no folder and leaves the project as it was.

use std::path::Path;

use crate::common::ok;
use crate::harness::{ProjectBytes, refused};

/// Four generated photos of two people in `dir/photos` and a project of two pairs from them.
fn project(dir: &Path) -> std::path::PathBuf {
    let photos = dir.join("photos");
    std::fs::create_dir_all(&photos).unwrap();
    for (i, name) in ["a1.png", "a2.png", "b1.png", "b2.png"].iter().enumerate() {
        let image = image::RgbImage::from_fn(48, 40, |x, y| image::Rgb([(x * 5) as u8, (y * 6) as u8, (i * 60) as u8]));
        image.save(photos.join(name)).unwrap();
    }
    let csv = dir.join("pairs.csv");
    std::fs::write(&csv, "image_a,image_b,truth,split\na1.png,a2.png,same,train\na1.png,b1.png,different,train\n")
        .unwrap();
    let project = dir.join("p.pairscope");
    let (p, c, i) = (project.to_str().unwrap(), csv.to_str().unwrap(), photos.to_str().unwrap());
    ok(["import-pairs", p, "--csv", c, "--images", i]);
    project
}

fn augment(project: &Path, out: &Path, recipe: &str) -> String {
    refused(["augment", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "--recipe", recipe, "-q"])
}

#[test]
fn a_source_changed_or_gone_since_the_import_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let out = dir.path().join("out");
    let before = ProjectBytes::of(&project);

    let b1 = dir.path().join("photos/b1.png");
    image::RgbImage::from_pixel(48, 40, image::Rgb([1, 2, 3])).save(&b1).unwrap();
    let said = augment(&project, &out, "darken=0.5");
    assert!(said.contains("b1.png") && said.contains("changed since it was imported"), "{said}");
    assert!(!out.exists(), "no folder");
    before.assert_unchanged(&project, "a changed source");

    std::fs::remove_file(&b1).unwrap();
    let said = augment(&project, &out, "darken=0.5");
    assert!(said.contains("b1.png") && said.contains("cannot read the image"), "{said}");
    assert!(!out.exists(), "no folder");
    before.assert_unchanged(&project, "a missing source");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(!leftovers.iter().any(|n| n.to_string_lossy().contains("partial")), "{leftovers:?}");
}

#[test]
fn an_out_that_is_a_file_and_recipes_no_one_should_type_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let before = ProjectBytes::of(&project);
    let file = dir.path().join("taken.txt");
    std::fs::write(&file, "mine").unwrap();
    let said = augment(&project, &file, "flip");
    assert!(said.contains("taken.txt") && said.contains("exists and is not a folder"), "{said}");
    assert_eq!(std::fs::read(&file).unwrap(), b"mine");

    let out = dir.path().join("out");
    let long = vec!["flip"; 20_000].join(","); // ~100 KB: under the kernel's 128 KB per argument
    for (recipe, says) in [
        ("darken=1e308", "out of range"),
        ("darken=-0", "out of range"),
        ("darken=inf", "out of range"),
        ("copies=99999999999, flip", "copies is a whole number from 1 to 100"),
        ("shift=3..2", "runs backwards"),
        ("blur=1..2..3", "is not a number"),
        ("dárken=0.5", "unknown change"),
        ("darken=0.5\u{7f}", "is not a number"),
        // A decimal comma splits the part: "darken=0" is refused, not read as 0.5 or as 0.
        ("darken=0,5", "recipe part 1 \"darken=0\": 0 is out of range"),
        (long.as_str(), "flip is given twice"),
    ] {
        let said = augment(&project, &out, recipe);
        assert!(said.contains(says), "{:.60}: {said}", recipe);
        assert!(!out.exists());
    }
    before.assert_unchanged(&project, "refused recipes");
}
