//! A project the disk will not let us write opens read-only, says so in a banner, and refuses
//! every edit on screen instead of showing it and failing to save it (issue 14, item 3); the
//! labeler picker refuses a name the store would refuse, as it is typed (item 9).

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::gui::{at_labeler_picker, settle, step_until, text_with, type_into};
use egui::Key;
use egui_kittest::kittest::Queryable;

/// Takes writing away from a file while it lives (`chmod 444`, and `chattr +i` as root, who
/// ignores modes); gives it back on drop, even when the test fails.
struct Frozen(PathBuf);

impl Frozen {
    fn new(path: &Path) -> Frozen {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o444)).unwrap();
        let frozen = Frozen(path.to_owned());
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            assert!(Command::new("chattr").arg("+i").arg(path).status().unwrap().success());
        }
        frozen
    }
}

impl Drop for Frozen {
    fn drop(&mut self) {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
        }
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o644));
    }
}

#[test]
fn a_read_only_project_opens_with_a_banner_and_a_verdict_key_is_refused_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    common::ok([Path::new("role"), &project, Path::new("ana"), Path::new("labeler")]);
    let before = std::fs::read(&project).unwrap();
    let _frozen = Frozen::new(&project);

    let mut harness = at_labeler_picker(&project);
    let banner = text_with(&harness, "read-only:").expect("a read-only banner");
    assert_eq!(
        banner,
        format!("read-only: cannot write to {}: the file is read-only; changes cannot be saved", project.display())
    );
    harness.get_by_label("Label as ana").click();
    step_until(&mut harness, "review as ana", |h| h.state().current_pair().is_some());
    settle(&mut harness);
    harness.key_press(Key::S);
    harness.run_steps(2);
    let refusal = text_with(&harness, "this change was not made").expect("the verdict key is refused on screen");
    assert!(refusal.contains("read-only") && refusal.contains(&project.display().to_string()), "{refusal}");
    settle(&mut harness);
    drop(harness);
    assert_eq!(std::fs::read(&project).unwrap(), before, "the project changed");
}

#[test]
fn the_labeler_picker_refuses_a_name_the_store_would_refuse_as_it_is_typed() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = at_labeler_picker(&project);
    type_into(&mut harness, "New labeler:", "ana;ben");
    harness.run_steps(2);
    let refusal = text_with(&harness, "may not contain").expect("the refusal, inline");
    assert_eq!(refusal, r#"labeler name "ana;ben" may not contain ';' or control characters"#);
    harness.get_by_label("Start labeling").click();
    harness.run_steps(3);
    assert_eq!(harness.state().labeler(), None, "no labeler of a refused name");
}
