//! Balanced, identity-grouped, seeded train / train-dev / dev / test splits.
//!
//! Grouping: a pair links its two images, and each image to the identity its pair's metadata
//! names (`identity_a` / `identity_b`). Pairs connected through a shared image or identity form
//! one component, and a component always goes to one split whole, so no person (and no image)
//! is ever in two splits. Without identity metadata, pairs are grouped by image only.
//!
//! Balance: components are placed largest first (ties in seeded random order), each into the
//! split where it most reduces the squared distance from the target counts of every feature:
//! pairs, truth, each consensus tag, and each joint (truth, tag set) stratum, weighted by
//! 1 / the feature's total so a rare tag counts as much as a common one. Big components go
//! first while there is room; the many small ones at the end even out the shares.

mod assign;
mod preview;

use std::collections::HashMap;

use serde::Serialize;

pub use assign::{Assignment, SplitItem, assign, assign_keeping, components};
pub use preview::{Preview, PreviewRow};

use super::CurateError;
use super::snapshot::Snapshot;
use crate::domain::Split;
use crate::quote::quote;
use crate::store::{PairId, Store};

/// From this many pairs on, `auto` ratios are the large-data preset (98/1/1): 1 % of 100,000
/// pairs is still 1,000 pairs to measure dev and test on.
pub const LARGE_DATA_PAIRS: usize = 100_000;

/// Target shares of the four splits, in `Split::ALL` order; they sum to 1.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Ratios {
    pub train: f64,
    pub train_dev: f64,
    pub dev: f64,
    pub test: f64,
}

impl Ratios {
    /// Small data (up to tens of thousands of pairs): 60 / 20 / 20.
    pub const SMALL: Ratios = Ratios { train: 0.6, train_dev: 0.0, dev: 0.2, test: 0.2 };
    /// Large data: 98 / 1 / 1.
    pub const LARGE: Ratios = Ratios { train: 0.98, train_dev: 0.0, dev: 0.01, test: 0.01 };

    /// `small`, `large`, or custom `train/dev/test` (percentages or any positive weights,
    /// e.g. `70/15/15`).
    pub fn parse(text: &str) -> Result<Ratios, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "small" => return Ok(Ratios::SMALL),
            "large" => return Ok(Ratios::LARGE),
            _ => {}
        }
        let parts: Vec<&str> = text.split('/').map(str::trim).collect();
        let bad = || {
            format!(
                "{} is not a ratio: use small (60/20/20), large (98/1/1) or train/dev/test such as 70/15/15",
                quote(text.trim())
            )
        };
        if parts.len() != 3 {
            return Err(bad());
        }
        let mut values = [0.0; 3];
        for (value, part) in values.iter_mut().zip(&parts) {
            *value = part.parse::<f64>().map_err(|_| bad())?;
            if !value.is_finite() || *value < 0.0 {
                return Err(bad());
            }
        }
        let total: f64 = values.iter().sum();
        if values[0] <= 0.0 || total <= 0.0 {
            return Err(format!("{}: the train share must be above zero", quote(text.trim())));
        }
        Ok(Ratios { train: values[0] / total, train_dev: 0.0, dev: values[1] / total, test: values[2] / total })
    }

    /// The preset for a dataset of this many pairs.
    pub fn for_size(pairs: usize) -> Ratios {
        if pairs >= LARGE_DATA_PAIRS { Ratios::LARGE } else { Ratios::SMALL }
    }

    /// Carves `percent` of train out as train-dev (same distribution as train, held out).
    pub fn with_train_dev(self, percent: f64) -> Result<Ratios, String> {
        if !(0.0..100.0).contains(&percent) {
            return Err(format!("train-dev is a percentage of train from 0 up to (not including) 100, not {percent}"));
        }
        let carved = self.train * percent / 100.0;
        Ok(Ratios { train: self.train - carved, train_dev: self.train_dev + carved, ..self })
    }

    /// Every share finite and not negative, train above zero, summing to 1.
    pub fn check(&self) -> Result<(), String> {
        let shares = [self.train, self.train_dev, self.dev, self.test];
        let sum: f64 = shares.iter().sum();
        if shares.iter().any(|s| !s.is_finite() || *s < 0.0) || self.train <= 0.0 || (sum - 1.0).abs() > 1e-6 {
            return Err(format!(
                "split shares must be zero or more, train above zero, together 100 %; got {}",
                self.label()
            ));
        }
        Ok(())
    }

    pub fn share(&self, split: Split) -> f64 {
        match split {
            Split::Train => self.train,
            Split::TrainDev => self.train_dev,
            Split::Dev => self.dev,
            Split::Test => self.test,
        }
    }

    /// e.g. "54/6/20/20" (train/train-dev/dev/test, percent).
    pub fn label(&self) -> String {
        Split::ALL.iter().map(|s| format!("{}", round2(self.share(*s) * 100.0))).collect::<Vec<_>>().join("/")
    }
}

pub(super) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// What the user asks of a split.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SplitOptions {
    /// None: chosen by dataset size (see [`Ratios::for_size`]).
    pub ratios: Option<Ratios>,
    /// Percent of train carved out as train-dev (0 for none).
    pub train_dev_percent: f64,
    pub seed: u64,
    /// Keep every pair that has a split where it is and only place the others (new pairs join
    /// the split of the people they share; the rest are balanced around them).
    #[serde(default)]
    pub keep_existing: bool,
}

/// A computed split, not yet written.
#[derive(Clone, Debug)]
pub struct SplitPlan {
    pub options: SplitOptions,
    pub ratios: Ratios,
    /// (pair, split now, split planned), in pair id order.
    pub moves: Vec<(PairId, Option<Split>, Split)>,
    pub preview: Preview,
    pub components: usize,
    pub largest_component: usize,
    /// Things the user should know before applying (empty splits, oversized groups).
    pub warnings: Vec<String>,
}

impl SplitPlan {
    /// Pairs that already have a split and would move to another one.
    pub fn replaced(&self) -> usize {
        self.moves.iter().filter(|(_, now, next)| now.is_some_and(|n| n != *next)).count()
    }

    /// Pairs whose split would change (including pairs that have none yet).
    pub fn changed(&self) -> usize {
        self.moves.iter().filter(|(_, now, next)| *now != Some(*next)).count()
    }
}

/// The split items of a snapshot: grouped by image and by identity, stratified on truth and
/// consensus tags. Also returns each pair's identities for the preview.
pub fn items_of(snapshot: &Snapshot) -> (Vec<SplitItem>, Vec<Vec<String>>) {
    snapshot
        .pairs
        .iter()
        .map(|p| {
            let mut groups = vec![format!("image:{}", p.image_a), format!("image:{}", p.image_b)];
            let names: Vec<String> = ['a', 'b'].iter().filter_map(|s| p.identity(*s)).map(str::to_owned).collect();
            // One item holds all four keys, so each image is linked to its identity as well.
            groups.extend(names.iter().map(|n| format!("identity:{n}")));
            (SplitItem { groups, truth: p.truth, tags: p.consensus_tags.clone() }, names)
        })
        .unzip()
}

/// Plans a split of every pair of the project. Writes nothing.
pub fn plan_split(store: &mut Store, options: &SplitOptions) -> Result<SplitPlan, CurateError> {
    let snapshot = Snapshot::load(store)?;
    if snapshot.pairs.is_empty() {
        return Err(CurateError::Invalid(format!("{}: the project has no pairs to split", store.path().display())));
    }
    let base = options.ratios.unwrap_or_else(|| Ratios::for_size(snapshot.pairs.len()));
    let ratios = base.with_train_dev(options.train_dev_percent).map_err(CurateError::Invalid)?;
    ratios.check().map_err(CurateError::Invalid)?;
    let (items, identities) = items_of(&snapshot);
    let pinned: Vec<Option<Split>> =
        snapshot.pairs.iter().map(|p| if options.keep_existing { p.split } else { None }).collect();
    let assignment = assign_keeping(&items, &pinned, &ratios, options.seed);
    let preview = Preview::build(&items, &identities, &assignment.splits, &ratios, &snapshot.tags);
    let mut warnings = Vec::new();
    for row in &preview.rows {
        if let Some(split) = row.split
            && row.pairs == 0
        {
            warnings.push(format!(
                "{} gets no pairs: the pairs form {} group(s) linked by shared identities or images, and the \
                 largest holds {} of {} pairs; a group is never divided, so that no person is in two splits",
                split.as_str(),
                assignment.components,
                assignment.largest_component,
                items.len()
            ));
        }
    }
    if assignment.spanning > 0 {
        warnings.push(format!(
            "the existing splits already put the same person or image in two splits in {} group(s); \
             kept as they are (re-split without keeping existing splits to fix it)",
            assignment.spanning
        ));
    }
    let moves = snapshot.pairs.iter().zip(&assignment.splits).map(|(p, s)| (p.id, p.split, *s)).collect();
    Ok(SplitPlan {
        options: options.clone(),
        ratios,
        moves,
        preview,
        components: assignment.components,
        largest_component: assignment.largest_component,
        warnings,
    })
}

/// Writes a plan in one transaction and records it in the project's lineage. Pairs that
/// already have another split are only moved with `replace_existing`; a project that changed
/// since the plan was made is refused (plan again).
pub fn apply_split(
    store: &mut Store,
    plan: &SplitPlan,
    replace_existing: bool,
    origin: &str,
) -> Result<usize, CurateError> {
    let replaced = plan.replaced();
    if replaced > 0 && !replace_existing {
        return Err(CurateError::Invalid(format!(
            "{replaced} pairs already have a different split; nothing was changed \
             (confirm replacing existing splits to apply this plan)"
        )));
    }
    let params = serde_json::json!({
        "ratios": plan.ratios,
        "requested": plan.options,
        "components": plan.components,
        "largest_component": plan.largest_component,
    });
    let preview = serde_json::to_value(&plan.preview).map_err(|e| CurateError::Invalid(e.to_string()))?;
    store.write(|tx| {
        let current: HashMap<PairId, Option<Split>> = tx.pairs()?.into_iter().map(|p| (p.id, p.split)).collect();
        let stale = current.len() != plan.moves.len()
            || plan.moves.iter().any(|(id, before, _)| current.get(id) != Some(before));
        if stale {
            return Err(CurateError::Invalid(
                "the project changed since this split was planned; nothing was changed (plan it again)".into(),
            ));
        }
        let mut changed = 0;
        for (id, _, next) in &plan.moves {
            changed += usize::from(tx.set_split(*id, Some(*next))?);
        }
        tx.record_split_run(&params, &preview, changed as u64, origin)?;
        Ok::<_, CurateError>(changed)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Truth;
    use crate::rng::SeededRng;

    fn item(groups: &[&str], truth: Truth, tags: &[&str]) -> SplitItem {
        SplitItem {
            groups: groups.iter().map(|g| g.to_string()).collect(),
            truth: Some(truth),
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn ratios_parse_presets_and_custom_and_carve_train_dev() {
        assert_eq!(Ratios::parse("small").unwrap(), Ratios::SMALL);
        assert_eq!(Ratios::parse(" Large ").unwrap(), Ratios::LARGE);
        let r = Ratios::parse("70/15/15").unwrap();
        assert!((r.train - 0.7).abs() < 1e-12 && (r.test - 0.15).abs() < 1e-12);
        let r = Ratios::SMALL.with_train_dev(10.0).unwrap();
        assert!((r.train - 0.54).abs() < 1e-12 && (r.train_dev - 0.06).abs() < 1e-12);
        assert_eq!(r.label(), "54/6/20/20");
        for bad in ["", "60/40", "a/b/c", "0/50/50", "-1/1/1", "60/20/20/0"] {
            assert!(Ratios::parse(bad).is_err(), "{bad}");
        }
        assert!(Ratios::SMALL.with_train_dev(100.0).is_err());
        assert!(Ratios::SMALL.check().is_ok() && Ratios::LARGE.with_train_dev(5.0).unwrap().check().is_ok());
        assert!(Ratios { train: 0.0, train_dev: 0.0, dev: 0.5, test: 0.5 }.check().is_err());
        assert!(Ratios { train: 0.5, train_dev: 0.0, dev: 0.2, test: 0.2 }.check().is_err(), "sums to 90 %");
        assert!(Ratios { train: f64::NAN, ..Ratios::SMALL }.check().is_err());
        assert_eq!(Ratios::for_size(10), Ratios::SMALL);
        assert_eq!(Ratios::for_size(LARGE_DATA_PAIRS), Ratios::LARGE);
    }

    #[test]
    fn components_follow_shared_keys() {
        let items = vec![
            item(&["a", "b"], Truth::Same, &[]),
            item(&["c"], Truth::Same, &[]),
            item(&["b", "d"], Truth::Same, &[]),
            item(&[], Truth::Same, &[]),
        ];
        assert_eq!(components(&items), vec![vec![0, 2], vec![1], vec![3]]);
    }

    #[test]
    fn groups_stay_whole_shares_and_strata_balance_and_seed_reproduces() {
        // 400 groups of 1–3 pairs; a quarter tagged dark, truth alternating.
        let mut rng = SeededRng::new(5);
        let mut items = Vec::new();
        for g in 0..400 {
            for k in 0..(1 + rng.below(3)) {
                let tags: &[&str] = if rng.below(4) == 0 { &["dark"] } else { &[] };
                let truth = if (g + k) % 2 == 0 { Truth::Same } else { Truth::Different };
                items.push(item(&[&format!("person{g}")], truth, tags));
            }
        }
        let ratios = Ratios::SMALL.with_train_dev(10.0).unwrap();
        let a = assign(&items, &ratios, 42);
        assert_eq!(a, assign(&items, &ratios, 42), "same seed, same split");
        assert_ne!(a.splits, assign(&items, &ratios, 43).splits, "another seed, another split");
        for group in components(&items) {
            assert!(group.iter().all(|&i| a.splits[i] == a.splits[group[0]]), "a group was divided");
        }
        let total = items.len() as f64;
        let dark_all = items.iter().filter(|i| !i.tags.is_empty()).count() as f64 / total;
        for split in Split::ALL {
            let members: Vec<&SplitItem> =
                items.iter().zip(&a.splits).filter(|(_, s)| **s == split).map(|(i, _)| i).collect();
            let n = members.len() as f64;
            assert!((n / total - ratios.share(split)).abs() < 0.01, "{split:?}: {n} of {total}");
            let dark = members.iter().filter(|i| !i.tags.is_empty()).count() as f64 / n;
            assert!((dark - dark_all).abs() < 0.02, "{split:?}: dark {dark} vs {dark_all}");
            let same = members.iter().filter(|i| i.truth == Some(Truth::Same)).count() as f64 / n;
            assert!((same - 0.5).abs() < 0.03, "{split:?}: same {same}");
        }
    }

    #[test]
    fn one_giant_group_goes_to_train_and_the_preview_says_why() {
        let items: Vec<SplitItem> = (0..10).map(|_| item(&["everyone"], Truth::Same, &[])).collect();
        let a = assign(&items, &Ratios::SMALL, 1);
        assert!(a.splits.iter().all(|s| *s == Split::Train));
        assert_eq!((a.components, a.largest_component, a.spanning), (1, 10, 0));
        let ids = vec![Vec::new(); items.len()];
        let preview = Preview::build(&items, &ids, &a.splits, &Ratios::SMALL, &[]);
        assert_eq!(preview.rows.iter().map(|r| r.pairs).collect::<Vec<_>>(), [10, 0, 0, 10]);
        assert!(preview.table().contains("train"));
    }

    #[test]
    fn pinned_items_stay_and_their_groups_follow_them() {
        let items = vec![
            item(&["p1"], Truth::Same, &[]),
            item(&["p1"], Truth::Same, &[]),
            item(&["p2"], Truth::Same, &[]),
            item(&["p2"], Truth::Same, &[]),
            item(&["p2"], Truth::Same, &[]),
            item(&["p3"], Truth::Same, &[]),
        ];
        let pinned = [Some(Split::Test), None, Some(Split::Dev), Some(Split::Train), Some(Split::Dev), None];
        let a = assign_keeping(&items, &pinned, &Ratios::SMALL, 3);
        assert_eq!(&a.splits[..5], [Split::Test, Split::Test, Split::Dev, Split::Train, Split::Dev]);
        assert_eq!(a.spanning, 1, "p2 was already in two splits");
    }
}
