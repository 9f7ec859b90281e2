//! A folder of identity subfolders (`DIR/<person>/*.jpg`): every same-person pair, plus a
//! seeded, reproducible sample of different-person pairs. The truth is known by construction,
//! and each image's identity is the name of its folder directly under `DIR`.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use serde_json::json;

use super::control::{ImportControl, ImportStage};
use super::image_files::{images_root, prepare_images};
use super::image_identity::record_identity;
use super::pair_upsert::{PairOutcome, upsert_pair};
use super::{ImportError, ImportReport, Problem, refuse_unless_skipping};
use crate::domain::Truth;
use crate::rng::SeededRng;
use crate::store::{NewPair, Store};

const IMAGE_EXTENSIONS: [&str; 6] = ["jpg", "jpeg", "png", "bmp", "webp", "jfif"];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FolderOptions {
    /// How many different-person pairs to sample; None = as many as there are same-person
    /// pairs, so the set is balanced.
    pub different: Option<usize>,
    pub seed: u64,
}

/// One identity and its images (relative paths), both sorted so the result is reproducible.
#[derive(Debug, PartialEq)]
pub(crate) struct Identity {
    pub name: String,
    pub images: Vec<String>,
}

pub(crate) fn scan(root: &Path) -> Result<(Vec<Identity>, Vec<Problem>), ImportError> {
    let mut identities = Vec::new();
    let mut problems = Vec::new();
    let entries = std::fs::read_dir(root).map_err(|e| ImportError::file(root, format!("cannot list: {e}")))?;
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let Some(name) = usable_name(&path, &mut problems) else { continue };
        let Some(meta) = followed(&path, &mut problems) else { continue };
        if !meta.is_dir() {
            problems.push(Problem::at(&path, None, "not inside an identity folder; ignored"));
            continue;
        }
        if loops_back(root, &path) {
            problems.push(Problem::at(&path, None, "a symlink that loops back to the images folder; skipped"));
            continue;
        }
        let mut images = Vec::new();
        for file in std::fs::read_dir(&path).map_err(|e| ImportError::file(&path, format!("cannot list: {e}")))? {
            let Ok(file) = file else { continue };
            let file_path = file.path();
            if !has_image_extension(&file_path) {
                continue;
            }
            let Some(file_name) = usable_name(&file_path, &mut problems) else { continue };
            if followed(&file_path, &mut problems).is_some_and(|m| m.is_file()) {
                images.push(format!("{name}/{file_name}"));
            }
        }
        images.sort();
        if images.is_empty() {
            problems.push(Problem::at(&path, None, "no images in this identity folder; ignored"));
            continue;
        }
        identities.push(Identity { name, images });
    }
    if identities.is_empty() {
        return Err(ImportError::file(root, "has no identity subfolders with images (expected DIR/<person>/*.jpg)"));
    }
    Ok((identities, problems))
}

/// The name of a folder entry as text. Hidden entries are None without a word; a name that is
/// not UTF-8 cannot be stored as an image path or an identity, so it is None with a problem.
fn usable_name(path: &Path, problems: &mut Vec<Problem>) -> Option<String> {
    let name = path.file_name()?;
    if name.as_encoded_bytes().starts_with(b".") {
        return None;
    }
    let text = name.to_str().map(str::to_owned);
    if text.is_none() {
        problems.push(Problem::at(path, None, "the name is not valid UTF-8, so pairscope cannot record it; skipped"));
    }
    text
}

/// What a folder entry is, following symlinks; None with a problem when that fails (a symlink
/// loop, a dangling symlink, no permission), which used to drop the entry without a word.
fn followed(path: &Path, problems: &mut Vec<Problem>) -> Option<std::fs::Metadata> {
    std::fs::metadata(path)
        .map_err(|e| problems.push(Problem::at(path, None, format!("cannot read: {e}; skipped"))))
        .ok()
}

/// A symlinked folder that leads back to the images folder or above it (`looproot -> .`):
/// taking it as an identity would file the root's own photos under the link's name.
fn loops_back(root: &Path, folder: &Path) -> bool {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_owned());
    folder.canonicalize().is_ok_and(|target| root.starts_with(target))
}

pub(crate) fn has_image_extension(path: &Path) -> bool {
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase());
    ext.is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.as_str()))
}

/// (identity index, image index) on each side, plus the truth.
pub(crate) type Generated = Vec<((usize, usize), (usize, usize), Truth)>;

/// All same-person pairs, then `different` sampled different-person pairs without repeats.
pub(crate) fn generate(identities: &[Identity], options: &FolderOptions) -> Generated {
    let mut pairs = Generated::new();
    for (p, identity) in identities.iter().enumerate() {
        for i in 0..identity.images.len() {
            for j in i + 1..identity.images.len() {
                pairs.push(((p, i), (p, j), Truth::Same));
            }
        }
    }
    let sizes: Vec<u64> = identities.iter().map(|i| i.images.len() as u64).collect();
    let total: u64 = sizes.iter().sum();
    let possible = (total * total - sizes.iter().map(|n| n * n).sum::<u64>()) / 2;
    let wanted = options.different.unwrap_or(pairs.len()) as u64;
    let wanted = wanted.min(possible) as usize;

    // Flat image index → (identity, image), so sampling is uniform over images.
    let flat: Vec<(usize, usize)> =
        identities.iter().enumerate().flat_map(|(p, id)| (0..id.images.len()).map(move |i| (p, i))).collect();
    let mut rng = SeededRng::new(options.seed);
    let mut chosen: HashSet<(usize, usize)> = HashSet::new();
    let mut different = Vec::with_capacity(wanted);
    if (wanted as u64) * 2 > possible {
        // Dense request: enumerate everything, shuffle, take a prefix.
        let mut all = Vec::new();
        for x in 0..flat.len() {
            for y in x + 1..flat.len() {
                if flat[x].0 != flat[y].0 {
                    all.push((x, y));
                }
            }
        }
        rng.shuffle(&mut all);
        different.extend(all.into_iter().take(wanted));
    } else {
        while different.len() < wanted {
            let x = rng.below(flat.len() as u64) as usize;
            let y = rng.below(flat.len() as u64) as usize;
            let key = (x.min(y), x.max(y));
            if flat[x].0 != flat[y].0 && chosen.insert(key) {
                different.push(key);
            }
        }
    }
    pairs.extend(different.into_iter().map(|(x, y)| (flat[x], flat[y], Truth::Different)));
    pairs
}

pub fn import_folders(
    store: &mut Store,
    images_dir: &Path,
    options: &FolderOptions,
) -> Result<ImportReport, ImportError> {
    import_folders_watched(store, images_dir, options, ImportControl::none())
}

/// [`import_folders`] with progress and Cancel (the app's Import window).
pub fn import_folders_watched(
    store: &mut Store,
    images_dir: &Path,
    options: &FolderOptions,
    control: ImportControl<'_>,
) -> Result<ImportReport, ImportError> {
    let root = images_root(images_dir)?;
    let (identities, notes) = scan(&root)?;
    let pairs = generate(&identities, options);
    let rels: BTreeSet<String> = identities.iter().flat_map(|i| i.images.iter().cloned()).collect();
    let prepared = prepare_images(store, &root, &rels, control)?;
    control.report(ImportStage::Writing, 0, 0);
    let source = format!("folders:{}", super::file_label(&root));

    store.write(|tx| {
        let (ids, images_added) = prepared.register(tx)?;
        let mut report = ImportReport::new("pairs");
        report.images_added = images_added;
        report.skipped = notes;
        let mut conflicts = Vec::new();
        for &((pa, ia), (pb, ib), truth) in &pairs {
            let (a, b) = (&identities[pa].images[ia], &identities[pb].images[ib]);
            if let Some(why) = prepared.unusable.get(a).or_else(|| prepared.unusable.get(b)) {
                report.skipped.push(Problem::at(&root, None, why.clone()));
                continue;
            }
            let external_id = format!("{a}|{b}");
            let metadata = json!({ "identity_a": identities[pa].name, "identity_b": identities[pb].name });
            let new = NewPair {
                external_id: Some(&external_id),
                image_a: ids[a],
                image_b: ids[b],
                truth: Some(truth),
                split: None,
                source: &source,
                metadata: &metadata,
            };
            match upsert_pair(tx, &new)? {
                Ok(PairOutcome::Added) => report.added += 1,
                Ok(PairOutcome::Unchanged) => report.unchanged += 1,
                Err(conflict) => conflicts.push(Problem::at(&root, None, format!("{external_id}: {conflict}"))),
            }
        }
        // Who is in a photo is the name of its folder directly under the root.
        for identity in &identities {
            for rel in identity.images.iter().filter(|rel| ids.contains_key(*rel)) {
                match record_identity(tx, ids[rel], rel, &identity.name)? {
                    Ok(set) => report.identities_set += u64::from(set),
                    Err(conflict) => conflicts.push(Problem::at(&root.join(rel), None, conflict)),
                }
            }
        }
        refuse_unless_skipping(&root, &conflicts, false)?;
        Ok(report)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identities(sizes: &[usize]) -> Vec<Identity> {
        sizes
            .iter()
            .enumerate()
            .map(|(p, &n)| Identity {
                name: format!("p{p}"),
                images: (0..n).map(|i| format!("p{p}/{i}.jpg")).collect(),
            })
            .collect()
    }

    #[test]
    fn all_same_pairs_and_a_balanced_distinct_different_sample() {
        let ids = identities(&[5, 5, 5, 1]);
        let pairs = generate(&ids, &FolderOptions::default());
        let same = pairs.iter().filter(|p| p.2 == Truth::Same).count();
        assert_eq!(same, 30);
        let different: Vec<_> = pairs.iter().filter(|p| p.2 == Truth::Different).collect();
        assert_eq!(different.len(), 30);
        assert!(different.iter().all(|p| p.0.0 != p.1.0), "different pairs cross identities");
        let unique: HashSet<_> = different.iter().map(|p| (p.0, p.1)).collect();
        assert_eq!(unique.len(), 30, "no repeats");
    }

    #[test]
    fn same_seed_same_pairs_other_seed_other_pairs() {
        let ids = identities(&[8, 8, 8, 8]);
        let opts = |seed| FolderOptions { different: Some(20), seed };
        assert_eq!(generate(&ids, &opts(3)), generate(&ids, &opts(3)));
        assert_ne!(generate(&ids, &opts(3)), generate(&ids, &opts(4)));
    }

    #[test]
    fn asking_for_more_than_exist_gives_all_of_them() {
        let ids = identities(&[2, 2]);
        let pairs = generate(&ids, &FolderOptions { different: Some(100), seed: 1 });
        assert_eq!(pairs.iter().filter(|p| p.2 == Truth::Different).count(), 4);
    }
}
