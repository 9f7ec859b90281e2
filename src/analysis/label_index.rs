//! Pair → label rows, in compressed sparse row form.
//!
//! Label rows come from the store in any order; consensus, HLP and agreement all walk the
//! labels of one pair at a time, so a counting sort by pair (linear, stable) is built once.

/// The label rows of each pair. Rows of one pair keep their original order.
#[derive(Clone, Debug, Default)]
pub(crate) struct LabelIndex {
    /// Pair `p`'s rows are `rows[offsets[p]..offsets[p + 1]]`.
    offsets: Vec<u32>,
    /// `None` when the label rows are already grouped by pair in ascending order (the usual
    /// case for rows read with `ORDER BY pair`), so the rows are their own positions.
    rows: Option<Vec<u32>>,
}

impl LabelIndex {
    /// Indexes label rows by their pair; every entry of `pair_of_row` must be `< pairs`.
    pub(crate) fn new(pairs: usize, pair_of_row: &[u32]) -> Self {
        let mut offsets = vec![0u32; pairs + 1];
        for &p in pair_of_row {
            offsets[p as usize + 1] += 1;
        }
        for i in 0..pairs {
            offsets[i + 1] += offsets[i];
        }
        let sorted = pair_of_row.windows(2).all(|w| w[0] <= w[1]);
        let rows = if sorted {
            None
        } else {
            let mut next = offsets.clone();
            let mut rows = vec![0u32; pair_of_row.len()];
            for (row, &p) in pair_of_row.iter().enumerate() {
                let slot = &mut next[p as usize];
                rows[*slot as usize] = row as u32;
                *slot += 1;
            }
            Some(rows)
        };
        LabelIndex { offsets, rows }
    }

    /// Number of label rows of `pair`.
    pub(crate) fn count(&self, pair: usize) -> usize {
        (self.offsets[pair + 1] - self.offsets[pair]) as usize
    }

    /// The label rows of `pair`, in their original order.
    pub(crate) fn rows(&self, pair: usize) -> impl Iterator<Item = usize> + Clone + '_ {
        let range = self.offsets[pair] as usize..self.offsets[pair + 1] as usize;
        let rows = self.rows.as_deref();
        range.map(move |i| match rows {
            Some(rows) => rows[i] as usize,
            None => i,
        })
    }

    /// The rows of `pair` as one contiguous range, when label rows are grouped by pair (the
    /// fast path: columns can then be sliced directly).
    pub(crate) fn contiguous(&self, pair: usize) -> Option<std::ops::Range<usize>> {
        self.rows.is_none().then(|| self.offsets[pair] as usize..self.offsets[pair + 1] as usize)
    }

    /// The first label row (in pair order) whose labeler already labeled the same pair.
    pub(crate) fn first_duplicate(&self, labeler_of_row: &[u32]) -> Option<usize> {
        let pairs = self.offsets.len() - 1;
        let mut scratch: Vec<(u32, usize)> = Vec::new();
        for pair in 0..pairs {
            let k = self.count(pair);
            if k < 2 {
                continue;
            }
            let start = self.offsets[pair] as usize;
            let row_at = |i: usize| match &self.rows {
                Some(rows) => rows[i] as usize,
                None => i,
            };
            if k <= 8 {
                // Few labelers per pair is the norm: compare directly, no allocation.
                for j in 1..k {
                    let rj = row_at(start + j);
                    if (0..j).any(|i| labeler_of_row[row_at(start + i)] == labeler_of_row[rj]) {
                        return Some(rj);
                    }
                }
                continue;
            }
            scratch.clear();
            scratch.extend(self.rows(pair).map(|r| (labeler_of_row[r], r)));
            scratch.sort_unstable();
            if let Some(w) = scratch.windows(2).find(|w| w[0].0 == w[1].0) {
                return Some(w[0].1.max(w[1].1));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_unsorted_rows_by_pair_keeping_order() {
        let index = LabelIndex::new(4, &[2, 0, 2, 3, 0]);
        assert_eq!(index.rows(0).collect::<Vec<_>>(), vec![1, 4]);
        assert_eq!(index.rows(1).count(), 0);
        assert_eq!(index.rows(2).collect::<Vec<_>>(), vec![0, 2]);
        assert_eq!(index.rows(3).collect::<Vec<_>>(), vec![3]);
        assert_eq!(index.count(2), 2);
    }

    #[test]
    fn sorted_rows_need_no_permutation() {
        let index = LabelIndex::new(3, &[0, 0, 2]);
        assert!(index.rows.is_none());
        assert_eq!(index.contiguous(0), Some(0..2));
        assert_eq!(LabelIndex::new(2, &[1, 0]).contiguous(0), None);
        assert_eq!(index.rows(0).collect::<Vec<_>>(), vec![0, 1]);
        assert_eq!(index.rows(2).collect::<Vec<_>>(), vec![2]);
    }

    #[test]
    fn finds_duplicate_labeler_on_a_pair() {
        let index = LabelIndex::new(2, &[0, 1, 0, 0]);
        assert_eq!(index.first_duplicate(&[0, 0, 1, 2]), None);
        assert_eq!(index.first_duplicate(&[0, 0, 1, 0]), Some(3));
    }
}
