//! The house rules a reviewer would otherwise check by hand, read from the source files:
//! - no file in `src/` is over 500 lines (its tests excluded);
//! - only `src/store/` names SQLite's crate;
//! - in `src/ui/`, dependencies point from `app/` into the feature folders, never back, and no
//!   file imports another file that (directly or not) imports it;
//! - `tests/` builds a fixed set of test binaries, so a new test file does not add another
//!   ~190 MB link of the whole app (see DEVELOPERS.md).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 500;

/// Folders of `src/ui/` that must not know the app (`PairscopeApp`, its state, its commands).
const FEATURES: [&str; 5] = ["review", "analysis", "curate", "jobs", "widgets"];
/// Folders below every feature, each with the folders it may import: `jobs/` (work off the UI
/// thread) imports nothing of the ui; `widgets/` only `jobs/`.
const FOUNDATIONS: [(&str, &[&str]); 2] = [("jobs", &[]), ("widgets", &["jobs"])];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code without its unit tests (which by convention close the file).
fn code(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |i| &text[..i])
}

/// Without `//` comments, so that prose naming a module is not an import.
fn without_comments(text: &str) -> String {
    text.lines().map(|l| l.find("//").map_or(l, |i| &l[..i])).collect::<Vec<_>>().join("\n")
}

#[test]
fn no_source_file_is_over_500_lines() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut long: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).expect("a readable source file");
            let lines = code(&text).lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", path.display()))
        })
        .collect();
    long.sort();
    assert!(long.is_empty(), "over {MAX_LINES} lines without tests: {long:#?}");
}

/// The folders of `tests/` with a `main.rs`: each is one test binary.
const TEST_BINARIES: [&str; 3] = ["gui", "hostile_input", "integration"];

#[test]
fn tests_build_only_the_known_test_binaries() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut binaries = Vec::new();
    for entry in std::fs::read_dir(&tests).expect("tests/ is readable") {
        let path = entry.expect("a directory entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.extension().is_some_and(|e| e == "rs") || path.join("main.rs").is_file() {
            binaries.push(name);
        }
    }
    binaries.sort();
    assert_eq!(
        binaries, TEST_BINARIES,
        "each of these links the whole app; add a module to tests/integration/ or tests/gui/ instead"
    );
}

#[test]
fn only_the_store_names_sqlite() {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut naming: Vec<String> = files
        .iter()
        .filter(|path| !path.starts_with(root.join("store")))
        .filter(|path| {
            let text = std::fs::read_to_string(path).expect("a readable source file");
            without_comments(&text).contains("rusqlite")
        })
        .map(|path| path.display().to_string())
        .collect();
    naming.sort();
    assert!(naming.is_empty(), "rusqlite named outside src/store/: {naming:#?}");
}

/// `src/ui/` as modules: "app/state" for `src/ui/app/state.rs`, "app" for `src/ui/app/mod.rs`,
/// "" for `src/ui/mod.rs`; each with its code (tests and comments left out).
fn ui_modules() -> BTreeMap<String, String> {
    let root = src().join("ui");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(&root).expect("under src/ui").with_extension("");
            let mut name = rel.to_string_lossy().replace('\\', "/");
            if name == "mod" {
                name.clear();
            } else if let Some(parent) = name.strip_suffix("/mod") {
                name = parent.to_owned();
            }
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            (name, without_comments(code(&text)))
        })
        .collect()
}

fn parent(module: &str) -> &str {
    module.rsplit_once('/').map_or("", |(p, _)| p)
}

fn join(base: &str, segment: &str) -> String {
    if base.is_empty() { segment.to_owned() } else { format!("{base}/{segment}") }
}

/// Every path a file names: `use` trees expanded (`a::{b, c::d}` → `a::b`, `a::c::d`), and paths
/// written inline in code.
fn paths_named(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(start) = rest.find("use ") {
        let before = rest[..start].chars().last();
        let tail = &rest[start + 4..];
        let Some(end) = tail.find(';') else { break };
        if before.is_none_or(|c| !c.is_alphanumeric() && c != '_') {
            expand(tail[..end].trim(), "", &mut paths);
        }
        rest = &tail[end..];
    }
    let text = code;
    for prefix in ["crate::ui::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(prefix) {
            let at = from + i;
            let end = text[at..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .map_or(text.len(), |e| at + e);
            let boundary = at == 0 || !text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':');
            // `super::{a, b}` is a use tree, read above.
            let tree = text[end..].starts_with('{');
            if boundary && !tree {
                paths.push(text[at..end].trim_end_matches(':').to_owned());
            }
            from = end.max(at + prefix.len());
        }
    }
    paths
}

fn expand(tree: &str, prefix: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    match tree.find('{') {
        None => out.push(format!("{prefix}{}", tree.split(" as ").next().unwrap_or(tree).trim())),
        Some(open) => {
            let head = &tree[..open];
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            let (mut depth, mut item) = (0, String::new());
            for c in inner.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(&item, &format!("{prefix}{head}"), out);
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            if !item.trim().is_empty() {
                expand(&item, &format!("{prefix}{head}"), out);
            }
        }
    }
}

/// The module a path lands in: the longest prefix that is a file of `src/ui/`.
fn resolve(from: &str, path: &str, modules: &BTreeMap<String, String>) -> Option<String> {
    let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let (mut base, mut rest): (String, &[&str]) = match segments.first() {
        Some(&"crate") if segments.get(1) == Some(&"ui") => (String::new(), &segments[2..]),
        Some(&"crate") => return None,
        Some(&"super") => (parent(from).to_owned(), &segments[1..]),
        Some(&"self") => (from.to_owned(), &segments[1..]),
        // A child module named from its parent's file (`use state::X` in app/mod.rs).
        Some(first) if modules.contains_key(&join(from, first)) => (from.to_owned(), &segments[..]),
        _ => return None,
    };
    while rest.first() == Some(&"super") {
        base = parent(&base).to_owned();
        rest = &rest[1..];
    }
    let mut found = base.clone();
    let mut candidate = base;
    for segment in rest {
        candidate = join(&candidate, segment);
        if modules.contains_key(&candidate) {
            found = candidate.clone();
        } else {
            break;
        }
    }
    Some(found)
}

fn ui_imports() -> BTreeMap<String, BTreeSet<String>> {
    let modules = ui_modules();
    modules
        .iter()
        .map(|(module, code)| {
            let targets = paths_named(code)
                .iter()
                .filter_map(|path| resolve(module, path, &modules))
                .filter(|target| target != module && !target.is_empty())
                .collect();
            (module.clone(), targets)
        })
        .collect()
}

fn folder(module: &str) -> &str {
    module.split('/').next().unwrap_or(module)
}

#[test]
fn features_never_import_the_app() {
    let mut wrong = Vec::new();
    for (module, targets) in ui_imports() {
        let from = folder(&module);
        if !FEATURES.contains(&from) {
            continue;
        }
        for target in targets {
            let to = folder(&target);
            let foundation_reaching_out =
                FOUNDATIONS.iter().any(|(folder, below)| *folder == from && to != from && !below.contains(&to));
            if to == "app" || foundation_reaching_out {
                wrong.push(format!("{module} → {target}"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports pointing the wrong way: {wrong:#?}");
}

#[test]
fn no_import_cycle_in_ui() {
    let graph = ui_imports();
    let cycles = strongly_connected(&graph).into_iter().filter(|c| c.len() > 1).collect::<Vec<_>>();
    assert!(cycles.is_empty(), "files of src/ui/ that import each other (directly or not): {cycles:#?}");
}

/// Tarjan's strongly connected components.
fn strongly_connected(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.graph.contains_key(w) {
                    continue;
                }
                if !self.index.contains_key(w) {
                    self.visit(w);
                    self.low.insert(v, self.low[v].min(self.low[w]));
                } else if self.on_stack.contains(w) {
                    self.low.insert(v, self.low[v].min(self.index[w]));
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.push(w.to_owned());
                    if w == v {
                        break;
                    }
                }
                component.sort();
                self.found.push(component);
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.found
}

#[test]
fn the_import_reader_sees_grouped_relative_and_inline_paths() {
    let modules: BTreeMap<String, String> = ["app", "app/state", "review", "review/view", "review/session"]
        .iter()
        .map(|m| (m.to_string(), String::new()))
        .collect();
    let named = paths_named(
        "use super::{session::Session, view as v};\nuse crate::ui::app::state::{A, B};\nfn f() { crate::ui::app::PairscopeApp::x(); }\n",
    );
    let resolved: BTreeSet<String> = named.iter().filter_map(|p| resolve("review/view", p, &modules)).collect();
    assert_eq!(resolved, ["app", "app/state", "review/session", "review/view"].map(String::from).into());
    // A child module named from its parent's file.
    assert_eq!(resolve("app", "state::A", &modules).as_deref(), Some("app/state"));
    // A cycle of three and a lone file.
    let graph: BTreeMap<String, BTreeSet<String>> =
        [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"]), ("d", vec!["a"])]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.into_iter().map(String::from).collect()))
            .collect();
    let big: Vec<_> = strongly_connected(&graph).into_iter().filter(|c| c.len() > 1).collect();
    assert_eq!(big, vec![vec!["a".to_owned(), "b".to_owned(), "c".to_owned()]]);
}
