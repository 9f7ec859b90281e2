//! Placing whole groups of pairs into splits: the union-find over shared images and
//! identities, and the greedy balance (the method is described in `curate::split`).

use std::collections::{BTreeMap, HashMap};

use super::Ratios;
use crate::domain::{Split, Truth};
use crate::rng::SeededRng;

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

/// Groups items into components of shared keys, in order of their first item.
pub fn components(items: &[SplitItem]) -> Vec<Vec<usize>> {
    crate::analysis::components::components(items.iter().map(|item| item.groups.as_slice()))
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
            // Ratios are checked before a plan (train is always above zero); should every
            // share be zero anyway, everything goes to train rather than nowhere.
            best.map_or(Split::Train, |b| b.1)
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
