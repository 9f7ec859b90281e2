//! Connected components of items that share keys (images, identities): what must stay
//! together in one split, and in one fold of an out-of-fold fit.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

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

/// Groups items (each given by its keys) into components of shared keys, in order of their
/// first item. An item without keys is a component of its own.
pub fn components<'a, K: Hash + Eq + 'a>(items: impl IntoIterator<Item = &'a [K]>) -> Vec<Vec<usize>> {
    let mut node_of: HashMap<&K, usize> = HashMap::new();
    let mut uf = UnionFind(Vec::new());
    let mut item_node = Vec::new();
    for keys in items {
        let own = uf.0.len();
        uf.0.push(own);
        for key in keys {
            let node = *node_of.entry(key).or_insert_with(|| {
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

/// Per item, the index of its component in [`components`]' order.
pub fn component_of<'a, K: Hash + Eq + 'a>(items: impl IntoIterator<Item = &'a [K]>) -> Vec<u32> {
    let groups = components(items);
    let mut of = vec![0u32; groups.iter().map(Vec::len).sum()];
    for (g, members) in groups.iter().enumerate() {
        for &i in members {
            of[i] = g as u32;
        }
    }
    of
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_sharing_a_key_directly_or_through_others_form_one_component() {
        let items: Vec<Vec<u64>> = vec![vec![1, 2], vec![3], vec![2, 4], vec![], vec![4, 5], vec![3]];
        assert_eq!(components(items.iter().map(Vec::as_slice)), vec![vec![0, 2, 4], vec![1, 5], vec![3]]);
        assert_eq!(component_of(items.iter().map(Vec::as_slice)), vec![0, 1, 0, 2, 0, 1]);
    }
}
