//! Who is in each photo, from every source: LFW folder names, `import-folders` subfolders,
//! `import-pairs` identity columns and `import-identities`; on the real datasets in
//! ../shared/datasets and on hostile CSV files written in a tempdir.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{datasets, identities, info, ok, pairscope, stderr};
use pairscope::store::Store;

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs pairscope, insists that it fails, and returns stderr.
fn fails<const N: usize>(args: [&str; N]) -> String {
    let out = pairscope(args);
    assert!(!out.status.success(), "pairscope {args:?} should fail; stdout: {}", common::stdout(&out));
    stderr(&out)
}

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// The first fold of LFW's pairs.txt cut down to 2 same-person and 2 different-person lines,
/// as a valid protocol file of its own (`1 2`).
fn lfw_subset(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(datasets().join("lfw/pairs.txt")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let subset = ["1\t2", lines[1], lines[2], lines[301], lines[302]].join("\n") + "\n";
    write(dir, "pairs.txt", subset.as_bytes())
}

fn lfw_images() -> PathBuf {
    datasets().join("lfw/images")
}

/// LFW's person folders of the subset: every image is who its folder says.
fn lfw_subset_identities() -> BTreeMap<String, String> {
    [
        "Abel_Pacheco/Abel_Pacheco_0001.jpg",
        "Abel_Pacheco/Abel_Pacheco_0004.jpg",
        "Akhmed_Zakayev/Akhmed_Zakayev_0001.jpg",
        "Akhmed_Zakayev/Akhmed_Zakayev_0003.jpg",
        "Abdel_Madi_Shabneh/Abdel_Madi_Shabneh_0001.jpg",
        "Dean_Barker/Dean_Barker_0001.jpg",
        "Giancarlo_Fisichella/Giancarlo_Fisichella_0001.jpg",
    ]
    .into_iter()
    .map(|rel| (rel.to_string(), rel.split('/').next().unwrap().to_string()))
    .collect()
}

#[test]
fn lfw_images_are_who_their_person_folder_says_and_a_rerun_fills_in_older_projects() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("lfw.pairscope");
    let pairs = lfw_subset(dir.path());
    let images = lfw_images();
    let args = ["import-lfw", arg(&project), "--pairs", arg(&pairs), "--images", arg(&images)];

    let out = ok(args);
    assert!(out.contains("imported 4 pairs, 7 new images, 7 identities set"), "{out}");
    assert_eq!(identities(&project), lfw_subset_identities());

    // A project imported before images had identities: migration 0007 left them all NULL.
    let conn = rusqlite::Connection::open(&project).unwrap();
    conn.execute("UPDATE images SET identity = NULL", []).unwrap();
    drop(conn);
    assert!(identities(&project).is_empty());

    let out = ok(args);
    assert!(out.contains("imported 0 pairs, 4 already present, 7 identities set"), "{out}");
    assert_eq!(identities(&project), lfw_subset_identities());
    let i = info(&project);
    assert_eq!((i["pairs"].as_u64(), i["images"].as_u64()), (Some(4), Some(7)), "nothing duplicated");

    let out = ok(args);
    assert!(out.contains("imported 0 pairs, 4 already present") && !out.contains("identities set"), "{out}");
}

#[test]
fn lfw_refuses_an_image_the_project_knows_as_someone_else_naming_line_and_image() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("lfw.pairscope");
    let csv = write(
        dir.path(),
        "who.csv",
        b"image_a,image_b,identity_a,identity_b\n\
          Dean_Barker/Dean_Barker_0001.jpg,Abel_Pacheco/Abel_Pacheco_0004.jpg,Dean_Barker,Someone_Else\n",
    );
    ok(["import-pairs", arg(&project), "--csv", arg(&csv), "--images", arg(&lfw_images())]);
    let pairs = lfw_subset(dir.path());
    let err = fails(["import-lfw", arg(&project), "--pairs", arg(&pairs), "--images", arg(&lfw_images())]);
    assert!(
        err.contains(
            "pairs.txt:2: image Abel_Pacheco/Abel_Pacheco_0004.jpg is already identity \"Someone_Else\" in the \
             project; this says \"Abel_Pacheco\""
        ),
        "{err}"
    );
    assert_eq!(info(&project)["pairs"], 1, "a refused import writes nothing");
    assert_eq!(identities(&project).len(), 2);
}

#[test]
fn sitcom_folders_give_every_image_its_folder_name() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("sitcom.pairscope");
    let sitcom = datasets().join("sitcom");
    let out = ok(["import-folders", arg(&project), "--images", arg(&sitcom), "--seed", "1"]);
    assert!(out.contains("40 new images, 40 identities set"), "{out}");
    let found = identities(&project);
    assert_eq!(found.len(), 40);
    for (rel, who) in &found {
        assert_eq!(rel.split('/').next().unwrap(), who, "{rel}");
    }
    let people: std::collections::BTreeSet<&str> = found.values().map(String::as_str).collect();
    assert_eq!(people.len(), 8);
    assert_eq!(found["penny/penny3.png"], "penny");
}

#[test]
fn only_the_folder_directly_under_the_root_names_who_is_in_a_photo() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("photos");
    let sitcom = datasets().join("sitcom");
    for (from, to) in [
        ("amy/amy1.png", "amy/amy1.png"),
        ("amy/amy2.png", "amy/amy2.png"),
        ("raj/raj1.png", "raj/raj1.png"),
        ("raj/raj2.png", "raj/deeper/raj2.png"),
        ("penny/penny1.png", "penny1.png"),
    ] {
        std::fs::create_dir_all(root.join(to).parent().unwrap()).unwrap();
        std::fs::copy(sitcom.join(from), root.join(to)).unwrap();
    }
    let project = dir.path().join("p.pairscope");
    let out = ok(["import-folders", arg(&project), "--images", arg(&root)]);
    assert!(out.contains("penny1.png: not inside an identity folder"), "{out}");
    let expected: BTreeMap<String, String> =
        [("amy/amy1.png", "amy"), ("amy/amy2.png", "amy"), ("raj/raj1.png", "raj")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
    assert_eq!(identities(&project), expected);
    assert_eq!(info(&project)["images"], 3, "the root's own file and the deeper folder are not imported");

    let help = common::stdout(&pairscope(["import-folders", "--help"]));
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(help.contains("identity is the name of its folder directly under DIR"), "{help}");
}

#[test]
fn folders_refuse_an_image_the_project_knows_as_someone_else() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.pairscope");
    let sitcom = datasets().join("sitcom");
    let csv = write(dir.path(), "who.csv", b"image_a,image_b,identity_a\namy/amy1.png,raj/raj1.png,penny\n");
    ok(["import-pairs", arg(&project), "--csv", arg(&csv), "--images", arg(&sitcom)]);
    let err = fails(["import-folders", arg(&project), "--images", arg(&sitcom)]);
    assert!(
        err.contains(
            "amy/amy1.png: image amy/amy1.png is already identity \"penny\" in the project; this says \"amy\""
        ),
        "{err}"
    );
    assert_eq!(info(&project)["pairs"], 1, "a refused import writes nothing");
}

#[test]
fn pairs_csv_identity_columns_are_recorded_with_bom_crlf_and_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("celeb.pairscope");
    let celeb = datasets().join("celebrity-pairs");
    let csv = write(
        dir.path(),
        "pairs.csv",
        b"\xEF\xBB\xBFimage_a,image_b,truth,Identity_A,identity_b\r\n\
          img20.jpg,img21.jpg,same,\"Smith, Ann\",\"Smith, Ann\"\r\n\
          img16.jpg,img17.jpg,same,  Bo  ,\r\n\
          img1.jpg,img2.jpg,different,,\r\n",
    );
    let out = ok(["import-pairs", arg(&project), "--csv", arg(&csv), "--images", arg(&celeb)]);
    assert!(out.contains("imported 3 pairs, 6 new images, 3 identities set"), "{out}");
    let expected: BTreeMap<String, String> =
        [("img20.jpg", "Smith, Ann"), ("img21.jpg", "Smith, Ann"), ("img16.jpg", "Bo")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
    assert_eq!(identities(&project), expected, "an empty cell is unknown");
    let again = ok(["import-pairs", arg(&project), "--csv", arg(&csv), "--images", arg(&celeb)]);
    assert!(again.contains("imported 0 pairs, 3 already present") && !again.contains("identities set"), "{again}");
}

#[test]
fn pairs_csv_identities_that_contradict_the_truth_or_an_earlier_row_refuse_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("celeb.pairscope");
    let celeb = datasets().join("celebrity-pairs");
    let bad = write(
        dir.path(),
        "bad.csv",
        b"image_a,image_b,truth,identity_a,identity_b\n\
          img3.jpg,img4.jpg,same,Cy,Di\n\
          img5.jpg,img6.jpg,different,Ed,Ed\n\
          img7.jpg,img8.jpg,,Fay,Gus\n\
          img7.jpg,img9.jpg,,Hal,\n\
          img10.jpg,img7.jpg,,Ivy,Fay2\n\
          img10.jpg,img11.jpg,,Ivy,Jo\n",
    );
    let err = fails(["import-pairs", arg(&project), "--csv", arg(&bad), "--images", arg(&celeb)]);
    for expected in [
        "bad.csv:2: truth is same, but identity_a \"Cy\" and identity_b \"Di\" are different people",
        "bad.csv:3: truth is different, but identity_a and identity_b are both \"Ed\"",
        "bad.csv:5: image img7.jpg is identity \"Fay\" on line 4; this row says \"Hal\"",
        "bad.csv:6: image img7.jpg is identity \"Fay\" on line 4; this row says \"Fay2\"",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(err.contains("4 bad rows; nothing was imported"), "{err}");
    assert!(!project.exists(), "all or nothing: not even a project of the good rows");

    // With --skip-bad the good rows go in, and the bad ones leave nothing behind.
    let out = ok(["import-pairs", arg(&project), "--csv", arg(&bad), "--images", arg(&celeb), "--skip-bad"]);
    assert!(out.contains("imported 2 pairs") && out.contains("4 skipped"), "{out}");
    let expected: BTreeMap<String, String> =
        [("img7.jpg", "Fay"), ("img8.jpg", "Gus"), ("img10.jpg", "Ivy"), ("img11.jpg", "Jo")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
    assert_eq!(identities(&project), expected);
}

#[test]
fn pairs_csv_refuses_an_identity_the_project_holds_otherwise_naming_file_line_and_image() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("celeb.pairscope");
    let celeb = datasets().join("celebrity-pairs");
    let first = write(dir.path(), "first.csv", b"image_a,image_b,identity_a\nimg1.jpg,img2.jpg,Ann\n");
    ok(["import-pairs", arg(&project), "--csv", arg(&first), "--images", arg(&celeb)]);
    let second = write(
        dir.path(),
        "second.csv",
        b"image_a,image_b,identity_a,identity_b\nimg3.jpg,img4.jpg,Cy,Di\nimg5.jpg,img1.jpg,Ed,Bob\n",
    );
    let err = fails(["import-pairs", arg(&project), "--csv", arg(&second), "--images", arg(&celeb)]);
    assert!(
        err.contains("second.csv:3: image img1.jpg is already identity \"Ann\" in the project; this says \"Bob\""),
        "{err}"
    );
    assert_eq!(info(&project)["pairs"], 1, "all or nothing");
    assert_eq!(identities(&project).len(), 1);

    // With --skip-bad, the contradicting row leaves nothing: no pair, and img5.jpg no identity.
    let out = ok(["import-pairs", arg(&project), "--csv", arg(&second), "--images", arg(&celeb), "--skip-bad"]);
    assert!(out.contains("imported 1 pairs") && out.contains("1 skipped"), "{out}");
    assert_eq!(info(&project)["pairs"], 2);
    let found = identities(&project);
    assert_eq!((found.len(), found["img1.jpg"].as_str(), found["img3.jpg"].as_str()), (3, "Ann", "Cy"), "{found:?}");
    assert!(!found.contains_key("img5.jpg"), "{found:?}");
}

#[test]
fn import_identities_sets_keeps_and_with_replace_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("celeb.pairscope");
    let celeb = datasets().join("celebrity-pairs");
    ok(["import-pairs", arg(&project), "--csv", arg(&celeb.join("pairs.csv")), "--images", arg(&celeb)]);
    assert!(identities(&project).is_empty());

    let csv = write(
        dir.path(),
        "who.csv",
        b"\xEF\xBB\xBFImage,Identity\r\n\
          img20.jpg,\"Smith, Ann\"\r\n\
          ./img21.jpg, Smith, Ann \r\n\
          img16.jpg,Bo\r\n\
          img16.jpg,Bo\r\n",
    );
    // "Smith, Ann" unquoted is two fields: a located problem, not a silent cut.
    let err = fails(["import-identities", arg(&project), arg(&csv)]);
    assert!(err.contains("who.csv:3: 3 fields, but the header has 2 columns"), "{err}");
    assert!(err.contains("nothing was imported (fix them and import the file again)"), "{err}");
    assert!(identities(&project).is_empty(), "all or nothing");

    let csv = write(
        dir.path(),
        "who.csv",
        b"\xEF\xBB\xBFImage,Identity\r\nimg20.jpg,\"Smith, Ann\"\r\n./img21.jpg,\" Smith, Ann \"\r\nimg16.jpg,Bo\r\nimg16.jpg,Bo\r\n",
    );
    let out = ok(["import-identities", arg(&project), arg(&csv)]);
    assert!(out.contains("identities: 3 set, 0 unchanged, 0 replaced"), "{out}");
    assert_eq!(identities(&project)["img21.jpg"], "Smith, Ann");
    let out = ok(["import-identities", arg(&project), arg(&csv), "--images", arg(&celeb)]);
    assert!(out.contains("identities: 0 set, 3 unchanged, 0 replaced"), "{out}");

    let other = write(dir.path(), "other.csv", b"image,identity\nimg16.jpg,Cy\nimg17.jpg,Di\n");
    let err = fails(["import-identities", arg(&project), arg(&other)]);
    assert!(
        err.contains(
            "other.csv:2: image img16.jpg is already identity \"Bo\" in the project; this file says \"Cy\" \
             (pass --replace to replace it)"
        ),
        "{err}"
    );
    assert!(!identities(&project).contains_key("img17.jpg"), "all or nothing");

    let out = ok(["import-identities", arg(&project), arg(&other), "--replace"]);
    assert!(out.contains("identities: 1 set, 0 unchanged, 1 replaced"), "{out}");
    assert!(out.contains("replaced img16.jpg: \"Bo\" -> \"Cy\""), "{out}");
    assert_eq!((identities(&project)["img16.jpg"].as_str(), identities(&project)["img17.jpg"].as_str()), ("Cy", "Di"));

    let help = common::stdout(&pairscope(["import-identities", "--help"]));
    assert!(help.contains("--replace") && help.contains("image,identity"), "{help}");
}

#[test]
fn import_identities_reports_every_bad_row_by_file_and_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("celeb.pairscope");
    let celeb = datasets().join("celebrity-pairs");
    ok(["import-pairs", arg(&project), "--csv", arg(&celeb.join("pairs.csv")), "--images", arg(&celeb)]);
    let csv = write(
        dir.path(),
        "bad.csv",
        b"image,identity\n\
          img1.jpg,Ann\n\
          nobody.jpg,Nobody\n\
          img2.jpg,\n\
          img3.jpg,Cy\n\
          img3.jpg,Cyd\n\
          ../../etc/passwd,root\n\
          img4.jpg,\"Di\",extra\n",
    );
    let err = fails(["import-identities", arg(&project), arg(&csv)]);
    for expected in [
        "bad.csv:3: image nobody.jpg is not in the project",
        "bad.csv:4: image img2.jpg: empty identity",
        "bad.csv:6: image img3.jpg is identity \"Cy\" on line 5; this row says \"Cyd\"",
        "bad.csv:7: image: image path \"../../etc/passwd\" must be relative",
        "bad.csv:8: 3 fields, but the header has 2 columns",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(identities(&project).is_empty(), "nothing written, not even img1.jpg");

    let cases: [(&str, &[u8], &str); 4] = [
        ("cols.csv", b"image,who\nimg1.jpg,Ann\n", "cols.csv: line 1: missing column identity"),
        ("latin1.csv", b"image,identity\nimg1.jpg,Am\xe9lie\n", "latin1.csv:2: column \"identity\" is not valid UTF-8"),
        ("latin1head.csv", b"image,identit\xe9\n", "latin1head.csv: line 1: column 2 of the header is not valid UTF-8"),
        ("empty.csv", b"", "empty.csv: the file is empty"),
    ];
    for (name, content, expected) in cases {
        let csv = write(dir.path(), name, content);
        let err = fails(["import-identities", arg(&project), arg(&csv)]);
        assert!(err.contains(expected), "{name}: {err}");
    }
    let err = fails(["import-identities", arg(&dir.path().join("missing.pairscope")), arg(&csv)]);
    assert!(err.contains("no such project file"), "{err}");
    assert!(identities(&project).is_empty(), "nothing written");
}

#[test]
fn import_identities_asks_which_folder_when_a_path_is_in_two() {
    let dir = tempfile::tempdir().unwrap();
    let sitcom_dir = datasets().join("sitcom");
    let copy = dir.path().join("copy");
    std::fs::create_dir_all(copy.join("amy")).unwrap();
    for n in 1..=2 {
        std::fs::copy(sitcom_dir.join(format!("amy/amy{n}.png")), copy.join(format!("amy/amy{n}.png"))).unwrap();
    }
    let project = dir.path().join("p.pairscope");
    for (name, images) in [("s", &sitcom_dir), ("c", &copy)] {
        let pairs = write(
            dir.path(),
            "pairs.csv",
            format!("pair_id,image_a,image_b\n{name},amy/amy1.png,amy/amy2.png\n").as_bytes(),
        );
        ok(["import-pairs", arg(&project), "--csv", arg(&pairs), "--images", arg(images)]);
    }
    let csv = write(dir.path(), "who.csv", b"image,identity\namy/amy1.png,Amy\n");
    let err = fails(["import-identities", arg(&project), arg(&csv)]);
    assert!(err.contains("who.csv:2: image amy/amy1.png is in several image folders"), "{err}");
    assert!(err.contains("pass --images"), "{err}");
    let out = ok(["import-identities", arg(&project), arg(&csv), "--images", arg(&copy)]);
    assert!(out.contains("identities: 1 set"), "{out}");
    let mut store = Store::open(&project).unwrap();
    let named = store
        .read(|tx| {
            let images = tx.all_images()?;
            Ok(tx.image_identities()?.into_iter().map(|(id, who)| (images[&id].root.clone(), who)).collect::<Vec<_>>())
        })
        .unwrap();
    let copy_root = copy.canonicalize().unwrap().to_string_lossy().into_owned();
    assert_eq!(named, vec![(copy_root, "Amy".to_string())], "only the image in the folder asked for");
}
