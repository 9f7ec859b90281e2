//! A project shared through a real PostgreSQL hub (issue 16), through the binary on real
//! photos: `share` the sitcom project, `clone` it as two labelers (every image found under
//! the shared datasets and checked by sha256), label in each copy as the app does, `sync`,
//! and every copy and the hub hold the same labels. Syncing again, or after forgetting how far
//! a copy had come, changes nothing; a copy's change to another labeler's labels stays in that
//! copy; a folder that lacks an image or holds a different one makes no copy at all.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common;

use common::hub::fresh_hub;
use common::{datasets, ok, pairscope, sitcom_project, stderr};
use pairscope::domain::Truth;
use pairscope::hub::{HubUrl, connect};
use pairscope::store::{Origin, PairId, Store, StoreError};

/// (pair, labeler, value, blind) of every current verdict, tag and note.
pub(crate) type Labels = BTreeSet<(i64, String, String, bool)>;

pub(crate) fn labels_of(project: &Path) -> Labels {
    let mut store = Store::open(project).unwrap();
    store
        .read(|tx| {
            let mut all = Labels::new();
            for v in tx.verdicts_to_share()? {
                all.insert((v.pair.0, v.labeler, format!("verdict {}", v.value.as_str()), v.blind));
            }
            for t in tx.pair_tags_to_share()? {
                all.insert((t.pair.0, t.labeler, format!("tag {}", t.value.to_lowercase()), t.blind));
            }
            for n in tx.notes_to_share()? {
                all.insert((n.pair.0, n.labeler, format!("note {}", n.value), n.blind));
            }
            Ok(all)
        })
        .unwrap()
}

pub(crate) fn labels_on_hub(url: &HubUrl) -> Labels {
    let mut client = connect(url).unwrap();
    let mut all = Labels::new();
    let rows = client
        .query(
            "SELECT v.pair_id, l.name, 'verdict ' || v.verdict, v.blind FROM verdicts v JOIN labelers l ON l.id = v.labeler_id
             UNION ALL
             SELECT pt.pair_id, l.name, 'tag ' || lower(t.name), pt.blind FROM pair_tags pt
                 JOIN labelers l ON l.id = pt.labeler_id JOIN tags t ON t.id = pt.tag_id
             UNION ALL
             SELECT n.pair_id, l.name, 'note ' || n.note, true FROM notes n JOIN labelers l ON l.id = n.labeler_id",
            &[],
        )
        .unwrap();
    for r in rows {
        all.insert((r.get(0), r.get(1), r.get(2), r.get(3)));
    }
    all
}

/// Labels as the review screen does: one transaction per action, logged.
fn label(project: &Path, who: &str, pairs: impl IntoIterator<Item = i64>, verdict: Truth) {
    let mut store = Store::open(project).unwrap();
    store
        .write(|tx| {
            let me = tx.labeler_or_create(who)?.0.id;
            for pair in pairs {
                tx.set_verdict(PairId(pair), me, Some(verdict), Origin::Gui)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

fn hub_events(url: &HubUrl) -> i64 {
    connect(url).unwrap().query_one("SELECT count(*) FROM events", &[]).unwrap().get(0)
}

#[test]
fn two_labelers_clone_label_and_sync_to_the_same_labels_everywhere() {
    let Some((url, suffix)) = fresh_hub("hub_sync") else { return };
    let dir = tempfile::tempdir().unwrap();
    let owner = sitcom_project(dir.path());
    // History from before the share: the owner's own verdict, as ana, on pair 1.
    label(&owner, "ana", [1], Truth::Same);
    ok(["hub", "init", &url.to_string()]);
    let shared = ok(["share", owner.to_str().unwrap(), "--hub", &url.to_string()]);
    assert!(shared.contains("160 pairs") && shared.contains("1 labels"), "{shared}");
    let again = pairscope(["share", owner.to_str().unwrap(), "--hub", &url.to_string()]);
    assert!(!again.status.success() && stderr(&again).contains("is a copy of the hub"), "{}", stderr(&again));

    let (ana, ben) = (format!("ana_{suffix}"), format!("ben_{suffix}"));
    ok(["hub", "add-labeler", &url.to_string(), "ana", "--pg-role", &ana]);
    ok(["hub", "add-labeler", &url.to_string(), "ben", "--pg-role", &ben]);
    let sitcom = datasets().join("sitcom");
    let (copy_a, copy_b) = (dir.path().join("ana.pairscope"), dir.path().join("ben.pairscope"));
    for (role, copy) in [(&ana, &copy_a), (&ben, &copy_b)] {
        let out =
            ok(["clone", &url.as_role(role).to_string(), copy.to_str().unwrap(), "--images", sitcom.to_str().unwrap()]);
        assert!(out.contains("160 pairs") && out.contains("every sha256 checked"), "{out}");
    }
    assert_eq!(labels_of(&copy_a), labels_of(&owner), "a clone starts with the hub's labels");

    // Both label at once, on overlapping pairs; ana also tags and notes.
    label(&copy_a, "ana", 1..=10, Truth::Different);
    label(&copy_b, "ben", 5..=12, Truth::Same);
    {
        let mut store = Store::open(&copy_a).unwrap();
        store
            .write(|tx| {
                let me = tx.labeler_or_create("ana")?.0.id;
                let dark = tx.find_tag("dark")?.unwrap().id;
                tx.set_pair_tag(PairId(2), me, dark, true, Origin::Gui)?;
                tx.set_note(PairId(3), me, "the left one wears glasses", Origin::Gui)
            })
            .unwrap();
    }
    let sent_a = ok(["sync", copy_a.to_str().unwrap()]);
    assert!(sent_a.contains("sent 12 changes, brought 0"), "{sent_a}");
    let sent_b = ok(["sync", copy_b.to_str().unwrap()]);
    assert!(sent_b.contains("sent 8 changes, brought 12"), "{sent_b}");
    let brought_a = ok(["sync", copy_a.to_str().unwrap()]);
    assert!(brought_a.contains("sent 0 changes, brought 8"), "{brought_a}");
    let owner_sync = ok(["sync", owner.to_str().unwrap()]);
    assert!(owner_sync.contains("sent 0 changes, brought 20"), "{owner_sync}");

    // Every copy has now pulled the whole log: none is behind.
    let status = ok(["hub", "status", &url.to_string()]);
    let ana_line = status.lines().find(|l| l.starts_with("ana ") && l.contains("labeler")).expect("ana's counts");
    assert_eq!(ana_line.split_whitespace().take(5).collect::<Vec<_>>(), ["ana", "labeler", "10", "1", "1"], "{status}");
    let copies: Vec<&str> = status.lines().skip_while(|l| !l.starts_with("copy of")).skip(1).collect();
    assert_eq!(copies.len(), 3, "the owner's copy and two clones: {status}");
    for copy in &copies {
        assert_eq!(copy.split_whitespace().nth(2), Some("0"), "{status}");
    }

    let hub = labels_on_hub(&url);
    assert_eq!(hub.len(), 10 + 8 + 2, "ana's 10 verdicts (one replacing her first), ben's 8, a tag and a note");
    assert!(hub.contains(&(3, "ana".into(), "note the left one wears glasses".into(), true)));
    assert!(hub.contains(&(2, "ana".into(), "tag dark".into(), true)));
    for copy in [&owner, &copy_a, &copy_b] {
        assert_eq!(labels_of(copy), hub, "{} holds the hub's labels", copy.display());
    }

    // Nothing is sent or applied twice: not on a second sync, nor after a copy forgot how far
    // it had come (a kill between the hub's commit and the copy's).
    let events = hub_events(&url);
    assert!(ok(["sync", copy_b.to_str().unwrap()]).contains("sent 0 changes, brought 0"));
    let mut store = Store::open(&copy_b).unwrap();
    store
        .write(|tx| {
            let link = tx.hub_link()?.unwrap();
            tx.set_hub_link(&pairscope::store::HubLink { pushed_up_to: 0, pulled_up_to: 0, ..link })
        })
        .unwrap();
    drop(store);
    let replay = ok(["sync", copy_b.to_str().unwrap()]);
    assert!(replay.contains("sent 0 changes, brought 0"), "{replay}");
    assert_eq!(hub_events(&url), events);
    assert_eq!(labels_of(&copy_b), hub);

    // A change to ben's labels made in ana's copy stays there: the hub takes a labeler's
    // labels from their own copy only.
    label(&copy_a, "ben", [100], Truth::Different);
    let kept = ok(["sync", copy_a.to_str().unwrap()]);
    assert!(kept.contains("sent 0 changes") && kept.contains("kept here: 1 changes"), "{kept}");
    assert_eq!(labels_on_hub(&url), hub);
}

#[test]
fn a_folder_that_lacks_an_image_or_holds_another_makes_no_copy() {
    let Some((url, suffix)) = fresh_hub("hub_clone_images") else { return };
    let dir = tempfile::tempdir().unwrap();
    let owner = sitcom_project(dir.path());
    ok(["hub", "init", &url.to_string()]);
    ok(["share", owner.to_str().unwrap(), "--hub", &url.to_string()]);
    let ana = format!("ana_{suffix}");
    ok(["hub", "add-labeler", &url.to_string(), "ana", "--pg-role", &ana]);

    // The sitcom photos, copied at test time, then one removed and one replaced.
    let photos = dir.path().join("photos");
    let sitcom = datasets().join("sitcom");
    let mut files = Vec::new();
    for entry in walk(&sitcom) {
        let relative = entry.strip_prefix(&sitcom).unwrap().to_owned();
        std::fs::create_dir_all(photos.join(&relative).parent().unwrap()).unwrap();
        std::fs::copy(&entry, photos.join(&relative)).unwrap();
        files.push(relative);
    }
    files.sort();
    let (gone, changed) = (&files[0], &files[1]);
    std::fs::remove_file(photos.join(gone)).unwrap();
    std::fs::write(photos.join(changed), b"not the photo the hub knows").unwrap();

    let copy = dir.path().join("ana.pairscope");
    let out = pairscope([
        "clone",
        &url.as_role(&ana).to_string(),
        copy.to_str().unwrap(),
        "--images",
        photos.to_str().unwrap(),
    ]);
    let message = stderr(&out);
    assert!(!out.status.success(), "{message}");
    assert!(message.contains("2 of the hub's") && message.contains("no copy was made"), "{message}");
    assert!(message.contains(&gone.to_string_lossy().into_owned()), "names the missing file: {message}");
    assert!(message.contains(&format!("{}: its sha256 is", changed.to_string_lossy())), "{message}");
    assert!(!copy.exists(), "no project is left behind");
    let copies: i64 = connect(&url).unwrap().query_one("SELECT count(*) FROM copies", &[]).unwrap().get(0);
    assert_eq!(copies, 1, "only the owner's copy is registered");

    // A role the hub does not know, and a project that is no copy, are told so.
    let stranger = pairscope([
        "clone",
        &url.to_string(),
        dir.path().join("x.pairscope").to_str().unwrap(),
        "--images",
        sitcom.to_str().unwrap(),
    ]);
    assert!(stderr(&stranger).contains("is no labeler of the hub"), "{}", stderr(&stranger));
    std::fs::create_dir(dir.path().join("plain")).unwrap();
    let plain = sitcom_project(&dir.path().join("plain"));
    let no_copy = pairscope(["sync", plain.to_str().unwrap()]);
    assert!(stderr(&no_copy).contains("no copy of a hub"), "{}", stderr(&no_copy));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
