//! The CLI importers on the real datasets in ../shared/datasets, and on malformed files.

use crate::common;

use std::path::Path;

use common::{datasets, info, ok, pairscope, stderr, stdout};

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn lfw_imports_5605_pairs_and_reports_395_skipped_then_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("lfw.pairscope");
    let lfw = datasets().join("lfw");
    let (pairs, images) = (lfw.join("pairs.txt"), lfw.join("images"));
    let args = ["import-lfw", arg(&project), "--pairs", arg(&pairs), "--images", arg(&images)];

    let first = ok(args);
    assert!(first.contains("imported 5605 pairs"), "{first}");
    assert!(first.contains("395 skipped"), "{first}");
    assert!(first.contains("not found"), "skipped pairs say why: {first}");
    assert!(first.contains("… and 385 more"), "only the first few are listed: {first}");

    let info1 = info(&project);
    assert_eq!(info1["pairs"], 5605);
    assert_eq!(info1["truth_same"].as_u64().unwrap() + info1["truth_different"].as_u64().unwrap(), 5605);
    assert_eq!(info1["truth_unknown"], 0);

    let second = ok(args);
    assert!(second.contains("imported 0 pairs, 5605 already present"), "{second}");
    assert_eq!(info(&project)["pairs"], 5605, "a second import duplicates nothing");
    assert_eq!(info(&project)["images"], info1["images"]);

    let text = ok(["info", arg(&project)]);
    assert!(text.contains("pairs    5605"), "{text}");
}

#[test]
fn celebrity_pairs_csv_imports_with_truth_then_labels_and_scores() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("celeb.pairscope");
    let celeb = datasets().join("celebrity-pairs");
    let out = ok(["import-pairs", arg(&project), "--csv", arg(&celeb.join("pairs.csv")), "--images", arg(&celeb)]);
    assert!(out.contains("imported 300 pairs"), "{out}");
    let i = info(&project);
    assert_eq!((i["truth_same"].as_u64(), i["truth_different"].as_u64()), (Some(38), Some(262)));

    // The CSV has no pair_id column, so pairs are named image_a|image_b.
    let labels = dir.path().join("labels.csv");
    std::fs::write(
        &labels,
        "pair_id,labeler,verdict,tags\n\
         img20.jpg|img21.jpg,ana,same,borderline\n\
         img20.jpg|img21.jpg,ben,different,borderline;glare\n\
         img16.jpg|img17.jpg,ana,same,\n",
    )
    .unwrap();
    let out = ok(["import-labels", arg(&project), "--csv", arg(&labels)]);
    assert!(out.contains("imported 3 labels"), "{out}");
    assert!(out.contains("created tag \"glare\""), "{out}");
    let again = ok(["import-labels", arg(&project), "--csv", arg(&labels)]);
    assert!(again.contains("imported 0 labels, 3 already present"), "{again}");
    let i = info(&project);
    let ana = i["labelers"].as_array().unwrap().iter().find(|l| l["name"] == "ana").unwrap();
    assert_eq!(ana["verdicts"], 2);
    assert_eq!(i["label_events"], 6, "3 verdicts + 3 tags, each in the audit log once");

    let scores = dir.path().join("scores.csv");
    std::fs::write(&scores, "pair_id,score\nimg20.jpg|img21.jpg,0.71\nimg16.jpg|img17.jpg,0.64\n").unwrap();
    let out = ok(["import-scores", arg(&project), "--csv", arg(&scores), "--model", "outside"]);
    assert!(out.contains("imported 2 scores"), "{out}");
    std::fs::write(&scores, "pair_id,score\nimg20.jpg|img21.jpg,0.5\nimg16.jpg|img17.jpg,0.64\n").unwrap();
    let out = ok(["import-scores", arg(&project), "--csv", arg(&scores), "--model", "outside"]);
    assert!(out.contains("1 already present, 1 updated"), "a changed score is reported: {out}");
}

#[test]
fn sitcom_folders_give_all_same_pairs_and_a_reproducible_sample() {
    let dir = tempfile::tempdir().unwrap();
    let sitcom = datasets().join("sitcom");
    let a = dir.path().join("a.pairscope");
    let out = ok(["import-folders", arg(&a), "--images", arg(&sitcom), "--seed", "7"]);
    assert!(out.contains("imported 160 pairs"), "8 people × C(5,2) = 80 same + 80 different: {out}");
    let i = info(&a);
    assert_eq!((i["truth_same"].as_u64(), i["truth_different"].as_u64()), (Some(80), Some(80)));
    assert_eq!(i["images"], 40);
    let again = ok(["import-folders", arg(&a), "--images", arg(&sitcom), "--seed", "7"]);
    assert!(again.contains("imported 0 pairs, 160 already present"), "same seed, same pairs: {again}");
}

#[test]
fn bad_rows_refuse_the_import_naming_file_and_line_unless_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.pairscope");
    let celeb = datasets().join("celebrity-pairs");
    let csv = dir.path().join("bad.csv");
    std::fs::write(
        &csv,
        b"pair_id,image_a,image_b,truth\n\
          p1,img1.jpg,img2.jpg,same\n\
          p2,img3.jpg,img4.jpg,perhaps\n\
          p1,img5.jpg,img6.jpg,different\n\
          p4,img7.jpg\n\
          p5,nothere.jpg,img8.jpg,same\n\
          p6,img9.jpg,\xff\xfe.jpg,same\n\
          p7,../../etc/passwd,img8.jpg,same\n",
    )
    .unwrap();
    let args = ["import-pairs", arg(&project), "--csv", arg(&csv), "--images", arg(&celeb)];
    let out = pairscope(args);
    assert!(!out.status.success());
    let err = stderr(&out);
    let first_line = err.lines().next().unwrap();
    assert!(first_line.starts_with("error: ") && first_line.contains("bad.csv"), "{err}");
    for expected in [
        "bad.csv:3: truth: \"perhaps\"",
        "bad.csv:4: pair_id \"p1\" is already used on line 2",
        "bad.csv:5: 2 fields",
        "bad.csv:7: column \"image_b\" is not valid UTF-8",
        "bad.csv:8: image_a: image path",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(!project.exists(), "a refused first import leaves no project behind");

    let out =
        ok(["import-pairs", arg(&project), "--csv", arg(&csv), "--images", arg(&celeb), "--skip-bad", "--verbose"]);
    assert!(out.contains("imported 1 pairs"), "{out}");
    assert!(out.contains("6 skipped"), "{out}");
    assert!(out.contains("bad.csv:6: image nothere.jpg not found"), "{out}");
    assert_eq!(info(&project)["pairs"], 1);
}

#[test]
fn file_level_faults_are_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.pairscope");
    let celeb = datasets().join("celebrity-pairs");
    let cases: [(&str, &[u8], &str); 3] = [
        ("empty.csv", b"", "empty.csv: the file is empty"),
        ("header.csv", b"image_a,image_b\n", "header.csv: has a header but no rows"),
        ("cols.csv", b"a,b\n1,2\n", "cols.csv: line 1: missing columns image_a, image_b"),
    ];
    for (name, content, expected) in cases {
        let csv = dir.path().join(name);
        std::fs::write(&csv, content).unwrap();
        let out = pairscope(["import-pairs", arg(&project), "--csv", arg(&csv), "--images", arg(&celeb)]);
        assert!(!out.status.success());
        assert!(stderr(&out).contains(expected), "{name}: {}", stderr(&out));
    }
    let out = pairscope(["info", arg(&dir.path().join("missing.pairscope"))]);
    assert_eq!(
        stderr(&out).trim(),
        format!("error: {}: no such project file", dir.path().join("missing.pairscope").display())
    );
}

#[test]
fn labels_for_unknown_pairs_and_contradictions_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.pairscope");
    ok(["import-folders", arg(&project), "--images", arg(&datasets().join("sitcom"))]);
    let csv = dir.path().join("labels.csv");
    std::fs::write(
        &csv,
        "pair_id,labeler,verdict,tags\n\
         amy/amy1.png|amy/amy2.png,zoe,same,dark\n\
         nope,zoe,same,\n\
         amy/amy1.png|amy/amy3.png,zoe,maybe,\n\
         amy/amy1.png|amy/amy2.png,zoe,different,\n",
    )
    .unwrap();
    let out = pairscope(["import-labels", arg(&project), "--csv", arg(&csv)]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(err.contains("labels.csv:4: verdict \"maybe\" is not same or different"), "{err}");
    assert!(err.contains("labels.csv:5: a second label by \"zoe\""), "{err}");

    std::fs::write(&csv, "pair_id,labeler,verdict\namy/amy1.png|amy/amy2.png,zoe,same\nnope,zoe,same\n").unwrap();
    let err = stderr(&pairscope(["import-labels", arg(&project), "--csv", arg(&csv)]));
    assert!(err.contains("labels.csv:3: unknown pair_id \"nope\""), "{err}");
    assert_eq!(info(&project)["label_events"], 0, "refused: nothing written");

    ok(["import-labels", arg(&project), "--csv", arg(&csv), "--skip-bad"]);
    std::fs::write(&csv, "pair_id,labeler,verdict\namy/amy1.png|amy/amy2.png,zoe,different\n").unwrap();
    let err = stderr(&pairscope(["import-labels", arg(&project), "--csv", arg(&csv)]));
    assert!(err.contains("zoe already said same"), "a contradiction is never an overwrite: {err}");
}

#[test]
fn help_describes_every_subcommand() {
    let help = stdout(&pairscope(["--help"]));
    for sub in [
        "gui",
        "new",
        "info",
        "import-lfw",
        "import-pairs",
        "import-labels",
        "import-scores",
        "import-folders",
        "import-identities",
    ] {
        assert!(help.contains(sub), "{sub} missing from --help:\n{help}");
        assert!(pairscope([sub, "--help"]).status.success(), "{sub} --help");
    }
}

#[test]
fn a_closed_pipe_ends_the_cli_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.pairscope");
    ok(["import-folders", arg(&project), "--images", arg(&datasets().join("sitcom"))]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_pairscope"))
        .args(["info", arg(&project), "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away before pairscope writes
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
}
