//! Tag definitions through a real PostgreSQL hub (issue 16): an adjudicator's edit, rename and
//! new tag, made in their copy, reach the hub and a labeler's copy by `sync`; a labeler's new
//! tag reaches the hub, her edit and any copy's hotkeys stay in their copy; two adjudicators who edit the same field without
//! seeing each other's edit get a conflict on both sides, with nothing overwritten, and the
//! server itself refuses a labeler's edit.

use std::path::{Path, PathBuf};

use crate::common;

use common::hub::fresh_hub;
use common::{datasets, ok, sitcom_project};
use pairscope::hub::{HubUrl, connect};
use pairscope::store::{Origin, Store, Tag, TagEdit};

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The sitcom project (tags dark, blurry, sunset, borderline) shared on a fresh hub, with the
/// copies of adjudicators judge and jo and of labeler ana, and ana's role.
fn hub_with_copies(dir: &Path) -> Option<(HubUrl, [PathBuf; 3], String)> {
    let (url, suffix) = fresh_hub("hub_tag_definitions")?;
    ok(["hub", "init", &url.to_string()]);
    ok(["share", arg(&sitcom_project(dir)), "--hub", &url.to_string()]);
    let copies = [("judge", "adjudicator"), ("jo", "adjudicator"), ("ana", "labeler")].map(|(name, role)| {
        let pg_role = format!("{name}_{suffix}");
        ok(["hub", "add-labeler", &url.to_string(), name, "--role", role, "--pg-role", &pg_role]);
        let copy = dir.join(format!("{name}.pairscope"));
        let images = datasets().join("sitcom");
        ok(["clone", &url.as_role(&pg_role).to_string(), arg(&copy), "--images", images.to_str().unwrap()]);
        copy
    });
    Some((url, copies, format!("ana_{suffix}")))
}

fn tag(copy: &Path, name: &str) -> Option<Tag> {
    Store::open(copy).unwrap().read(|tx| tx.find_tag(name)).unwrap()
}

/// A tag's editable definition, as the tag editor holds it.
struct Draft {
    name: String,
    description: String,
    colour: String,
    hotkey: Option<u8>,
}

fn edit(copy: &Path, name: &str, change: impl FnOnce(&mut Draft)) {
    let before = tag(copy, name).unwrap();
    let mut draft =
        Draft { name: before.name, description: before.description, colour: before.colour, hotkey: before.hotkey };
    change(&mut draft);
    let edit =
        TagEdit { name: &draft.name, description: &draft.description, colour: &draft.colour, hotkey: draft.hotkey };
    Store::open(copy).unwrap().write(|tx| tx.edit_tag(before.id, &edit, Origin::Gui)).unwrap();
}

/// (name, description, colour, hotkey) of a tag on the hub.
fn on_hub(url: &HubUrl, name: &str) -> Option<(String, String, String, Option<i16>)> {
    connect(url)
        .unwrap()
        .query_opt("SELECT name, description, colour, hotkey FROM tags WHERE lower(name) = lower($1)", &[&name])
        .unwrap()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
}

#[test]
fn an_adjudicators_definitions_reach_everyone_and_unseen_edits_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let Some((url, [judge, jo, ana], ana_role)) = hub_with_copies(dir.path()) else { return };
    let dark_on_hub = on_hub(&url, "dark").unwrap();
    let sunset_on_hub = on_hub(&url, "sunset").unwrap();
    let seeded = &dark_on_hub.1;
    assert_ne!(seeded, "the face is in shadow");

    // The judge describes dark, renames blurry, adds glare, and moves dark's hotkey.
    edit(&judge, "dark", |e| e.description = "the face is in shadow".into());
    edit(&judge, "blurry", |e| e.name = "out of focus".into());
    Store::open(&judge).unwrap().write(|tx| tx.create_tag("glare", Origin::Gui)).unwrap();
    edit(&judge, "dark", |e| e.hotkey = Some(9));
    let out = ok(["sync", arg(&judge)]);
    assert!(out.contains("sent 3 changes"), "{out}");
    assert!(out.contains("kept here: 1 changes"), "the hotkey stays in the copy: {out}");
    let dark = on_hub(&url, "dark").unwrap();
    assert_eq!((dark.1.as_str(), dark.3), ("the face is in shadow", dark_on_hub.3), "described; hotkey unchanged");
    assert!(on_hub(&url, "blurry").is_none() && on_hub(&url, "out of focus").is_some());
    assert!(on_hub(&url, "glare").is_some());

    // They reach the labeler's copy, whose own hotkeys stay.
    let ana_dark_key = tag(&ana, "dark").unwrap().hotkey;
    let out = ok(["sync", arg(&ana)]);
    assert!(!out.contains("conflicts"), "{out}");
    let dark = tag(&ana, "dark").unwrap();
    assert_eq!((dark.description.as_str(), dark.hotkey), ("the face is in shadow", ana_dark_key));
    assert!(tag(&ana, "blurry").is_none() && tag(&ana, "out of focus").is_some() && tag(&ana, "glare").is_some());

    // A labeler's edit stays in her copy; the server refuses it too.
    // A labeler's new tag travels (anyone may add one).
    edit(&ana, "sunset", |e| e.description = "orange light".into());
    Store::open(&ana).unwrap().write(|tx| tx.create_tag("glint", Origin::Gui)).unwrap();
    let out = ok(["sync", arg(&ana)]);
    assert!(out.contains("sent 1 changes") && out.contains("kept here: 1 changes"), "{out}");
    assert!(on_hub(&url, "glint").is_some(), "ana's new tag is on the hub");
    assert_eq!(on_hub(&url, "sunset").unwrap().1, sunset_on_hub.1);
    let refused = connect(&url.as_role(&ana_role))
        .unwrap()
        .execute("UPDATE tags SET description = 'orange light' WHERE name = 'sunset'", &[])
        .unwrap_err();
    assert!(refused.as_db_error().unwrap().message().contains("permission denied"), "{refused}");

    // Jo, who has not synced since, describes dark otherwise: a conflict on both sides.
    edit(&jo, "dark", |e| e.description = "too dark to see".into());
    let out = ok(["sync", arg(&jo)]);
    let on_the_hub = format!(
        "tag \"dark\": the hub keeps description \"the face is in shadow\"; the change from {seeded:?} to \"too dark \
         to see\" was made without seeing it and was not applied — edit it again"
    );
    assert!(out.contains(&on_the_hub), "{out}");
    let here = format!(
        "tag \"dark\": this copy keeps description \"too dark to see\"; the change from {seeded:?} to \"the face is \
         in shadow\" was made without seeing it"
    );
    assert!(out.contains(&here), "{out}");
    assert_eq!(on_hub(&url, "dark").unwrap().1, "the face is in shadow", "nothing overwritten on the hub");
    assert_eq!(tag(&jo, "dark").unwrap().description, "too dark to see", "nor in jo's copy");
    // Jo's other fields still follow the hub: the rename and the new tag arrived.
    assert!(tag(&jo, "out of focus").is_some() && tag(&jo, "glare").is_some());
    let kept: Vec<bool> = connect(&url)
        .unwrap()
        .query("SELECT applied FROM events WHERE kind = 'tag-def' ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(kept.last(), Some(&false), "jo's edit is in the hub's log as history, not applied: {kept:?}");

    // Run again: nothing new, nothing doubled.
    let again = ok(["sync", arg(&jo)]);
    assert!(again.contains("sent 0 changes, brought 0") && !again.contains("conflicts"), "{again}");

    // Knowing the hub's now, jo edits again from it: that applies, and reaches the judge.
    edit(&jo, "dark", |e| e.description = "the face is in shadow".into());
    edit(&jo, "dark", |e| e.description = "the face is in shadow or backlit".into());
    ok(["sync", arg(&jo)]);
    assert_eq!(on_hub(&url, "dark").unwrap().1, "the face is in shadow or backlit");
    ok(["sync", arg(&judge)]);
    assert_eq!(tag(&judge, "dark").unwrap().description, "the face is in shadow or backlit");
}
