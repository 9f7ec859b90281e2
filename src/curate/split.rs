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

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::CurateError;
use super::snapshot::Snapshot;
use crate::domain::{Split, Truth};
use crate::rng::SeededRng;
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
                "{:?} is not a ratio: use small (60/20/20), large (98/1/1) or train/dev/test such as 70/15/15",
                text.trim()
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
            return Err(format!("{:?}: the train share must be above zero", text.trim()));
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

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One pair as the split sees it.
#[derive(Clone, Debug)]
pub struct SplitItem {
    /// Group keys: any two items sharing a key land in the same split.
    pub groups: Vec<String>,
    pub truth: Option<Truth>,
    pub tags: Vec<String>,
}

/// Where each item goes, parallel to the items.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub splits: Vec<Split>,
    pub components: usize,
    pub largest_component: usize,
    /// Components whose pinned items were already in more than one split.
    pub spanning: usize,
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// Groups items into components of shared keys, in order of their first item.
pub fn components(items: &[SplitItem]) -> Vec<Vec<usize>> {
    let mut node_of: HashMap<&str, usize> = HashMap::new();
    let mut uf = UnionFind(Vec::new());
    let mut item_node = Vec::with_capacity(items.len());
    for item in items {
        // Every item gets a node of its own, so one without keys is a component of itself.
        let own = uf.0.len();
        uf.0.push(own);
        for key in &item.groups {
            let node = *node_of.entry(key.as_str()).or_insert_with(|| {
                uf.0.push(uf.0.len());
                uf.0.len() - 1
            });
            uf.union(own, node);
        }
        item_node.push(own);
    }
    let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, node) in item_node.into_iter().enumerate() {
        let root = uf.find(node);
        by_root.entry(root).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = by_root.into_values().collect();
    groups.sort_by_key(|g| g[0]);
    groups
}

fn truth_name(truth: Option<Truth>) -> &'static str {
    truth.map_or("unknown", Truth::as_str)
}

/// Assigns every item to a split: whole components, balanced, reproducible for a seed.
pub fn assign(items: &[SplitItem], ratios: &Ratios, seed: u64) -> Assignment {
    assign_keeping(items, &vec![None; items.len()], ratios, seed)
}

fn split_index(split: Split) -> usize {
    Split::ALL.iter().position(|s| *s == split).expect("every split is in ALL")
}

/// Like [`assign`], but items with `pinned[i] = Some(split)` stay in that split, and every other
/// item of a component that holds pinned items joins them (the most common pinned split when
/// they differ: such a component already spans splits, counted in `spanning`). The remaining
/// components are balanced around the pinned ones.
pub fn assign_keeping(items: &[SplitItem], pinned: &[Option<Split>], ratios: &Ratios, seed: u64) -> Assignment {
    let mut groups = components(items);
    let largest_component = groups.iter().map(Vec::len).max().unwrap_or(0);
    let component_count = groups.len();
    SeededRng::new(seed).shuffle(&mut groups);
    // Pinned groups first (they are placed already), then largest first; the sort is stable,
    // so the shuffle breaks ties.
    groups.sort_by_key(|g| (!g.iter().any(|&i| pinned[i].is_some()), std::cmp::Reverse(g.len())));

    // Features of each item, as indices; totals per feature.
    let mut feature_of: HashMap<String, usize> = HashMap::new();
    let mut feature = |name: String| {
        let next = feature_of.len();
        *feature_of.entry(name).or_insert(next)
    };
    let item_features: Vec<Vec<usize>> = items
        .iter()
        .map(|item| {
            let mut tags: Vec<String> = item.tags.iter().map(|t| t.to_lowercase()).collect();
            tags.sort();
            tags.dedup();
            let mut f = vec![feature("total".into()), feature(format!("truth:{}", truth_name(item.truth)))];
            f.extend(tags.iter().map(|t| feature(format!("tag:{t}"))));
            f.push(feature(format!("joint:{}|{}", truth_name(item.truth), tags.join(";"))));
            f
        })
        .collect();
    let feature_count = feature_of.len();
    let mut totals = vec![0.0f64; feature_count];
    for f in item_features.iter().flatten() {
        totals[*f] += 1.0;
    }
    let weight: Vec<f64> = totals.iter().map(|&n| if n > 0.0 { 1.0 / n } else { 0.0 }).collect();

    let open: Vec<(usize, Split, f64)> =
        Split::ALL.iter().enumerate().map(|(i, s)| (i, *s, ratios.share(*s))).filter(|(_, _, r)| *r > 0.0).collect();
    let mut counts = vec![vec![0.0f64; feature_count]; Split::ALL.len()];
    let mut splits = vec![Split::Train; items.len()];
    let mut spanning = 0;
    for group in &groups {
        let pins: Vec<Split> = group.iter().filter_map(|&i| pinned[i]).collect();
        let chosen = if pins.is_empty() {
            let mut v: BTreeMap<usize, f64> = BTreeMap::new();
            for &item in group {
                for &f in &item_features[item] {
                    *v.entry(f).or_default() += 1.0;
                }
            }
            let mut best: Option<(f64, Split)> = None;
            for &(index, split, ratio) in &open {
                let delta: f64 = v
                    .iter()
                    .map(|(&f, &c)| weight[f] * (2.0 * c * (counts[index][f] - ratio * totals[f]) + c * c))
                    .sum();
                if best.is_none_or(|(b, _)| delta < b) {
                    best = Some((delta, split));
                }
            }
            best.expect("train always has a share").1
        } else {
            let mut tally = [0usize; 4];
            for pin in &pins {
                tally[split_index(*pin)] += 1;
            }
            if tally.iter().filter(|&&n| n > 0).count() > 1 {
                spanning += 1;
            }
            let most = *tally.iter().max().expect("four splits");
            Split::ALL[tally.iter().position(|&n| n == most).expect("a maximum exists")]
        };
        for &item in group {
            let split = pinned[item].unwrap_or(chosen);
            splits[item] = split;
            for &f in &item_features[item] {
                counts[split_index(split)][f] += 1.0;
            }
        }
    }
    Assignment { splits, components: component_count, largest_component, spanning }
}

/// One row of the preview: a split (or None for all pairs) and what it holds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PreviewRow {
    pub split: Option<Split>,
    pub pairs: usize,
    /// Percent of all pairs.
    pub share_pct: f64,
    /// The percent asked for.
    pub target_pct: f64,
    /// Percent of the pairs with a known truth that are "same"; None without any.
    pub same_pct: Option<f64>,
    /// (tag, percent of the split's pairs with it as a consensus tag), in the project's tag order.
    pub tag_pct: Vec<(String, f64)>,
    /// Distinct identities (from metadata) in the split.
    pub identities: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Preview {
    pub rows: Vec<PreviewRow>,
}

fn pct(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { round2(100.0 * part as f64 / whole as f64) }
}

impl Preview {
    /// `items[i]` went to `splits[i]`; `identities[i]` are the identities it names.
    pub fn build(
        items: &[SplitItem],
        identities: &[Vec<String>],
        splits: &[Split],
        ratios: &Ratios,
        tag_order: &[String],
    ) -> Preview {
        let used_tags: Vec<String> = tag_order
            .iter()
            .filter(|t| items.iter().any(|i| i.tags.iter().any(|x| x.eq_ignore_ascii_case(t))))
            .cloned()
            .collect();
        let row = |split: Option<Split>| {
            let members: Vec<usize> = (0..items.len()).filter(|&i| split.is_none_or(|s| splits[i] == s)).collect();
            let known = members.iter().filter(|&&i| items[i].truth.is_some()).count();
            let same = members.iter().filter(|&&i| items[i].truth == Some(Truth::Same)).count();
            let mut names: Vec<&str> = members.iter().flat_map(|&i| identities[i].iter().map(String::as_str)).collect();
            names.sort_unstable();
            names.dedup();
            PreviewRow {
                split,
                pairs: members.len(),
                share_pct: pct(members.len(), items.len()),
                target_pct: round2(split.map_or(1.0, |s| ratios.share(s)) * 100.0),
                same_pct: (known > 0).then(|| pct(same, known)),
                tag_pct: used_tags
                    .iter()
                    .map(|t| {
                        let n = members
                            .iter()
                            .filter(|&&i| items[i].tags.iter().any(|x| x.eq_ignore_ascii_case(t)))
                            .count();
                        (t.clone(), pct(n, members.len()))
                    })
                    .collect(),
                identities: names.len(),
            }
        };
        let mut rows: Vec<PreviewRow> =
            Split::ALL.iter().filter(|s| ratios.share(**s) > 0.0).map(|s| row(Some(*s))).collect();
        rows.push(row(None));
        Preview { rows }
    }

    /// A plain-text table for the terminal.
    pub fn table(&self) -> String {
        let mut header = vec![
            "split".to_string(),
            "pairs".into(),
            "share %".into(),
            "target %".into(),
            "same %".into(),
            "identities".into(),
        ];
        if let Some(first) = self.rows.first() {
            header.extend(first.tag_pct.iter().map(|(t, _)| format!("{t} %")));
        }
        let mut lines = vec![header];
        for row in &self.rows {
            let mut cells = vec![
                row.split.map_or("all", Split::as_str).to_string(),
                row.pairs.to_string(),
                format!("{:.1}", row.share_pct),
                format!("{:.1}", row.target_pct),
                row.same_pct.map_or("-".into(), |p| format!("{p:.1}")),
                row.identities.to_string(),
            ];
            cells.extend(row.tag_pct.iter().map(|(_, p)| format!("{p:.1}")));
            lines.push(cells);
        }
        let widths: Vec<usize> =
            (0..lines[0].len()).map(|c| lines.iter().map(|l| l[c].chars().count()).max().unwrap_or(0)).collect();
        lines
            .iter()
            .map(|l| {
                l.iter()
                    .enumerate()
                    .map(|(c, cell)| {
                        if c == 0 { format!("{cell:<w$}", w = widths[c]) } else { format!("{cell:>w$}", w = widths[c]) }
                    })
                    .collect::<Vec<_>>()
                    .join("  ")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
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
