//! Cohen's κ between every two labelers, from the counts of their verdicts on shared pairs.

use std::collections::HashMap;

use super::CohenKappa;

/// Per two labelers, counts of (verdict of a, verdict of b): [ss, sd, ds, dd].
#[derive(Clone, Debug)]
pub(super) enum CohenCells {
    /// Dense upper triangle for the usual handful of labelers.
    Dense {
        labelers: usize,
        cells: Vec<[u64; 4]>,
    },
    Sparse(HashMap<(u32, u32), [u64; 4]>),
}

impl CohenCells {
    pub(super) fn new(labelers: usize) -> Self {
        if labelers <= 1024 {
            CohenCells::Dense { labelers, cells: vec![[0; 4]; labelers * labelers] }
        } else {
            CohenCells::Sparse(HashMap::new())
        }
    }

    #[cfg(test)]
    pub(super) fn add(&mut self, a: u32, b: u32, cell: usize) {
        self.step(a, b, cell, true);
    }

    /// Adds one pair's verdicts of `a` and `b` (`up`), or takes them back (a label edit).
    pub(super) fn step(&mut self, a: u32, b: u32, cell: usize, up: bool) {
        let (a, b, cell) = if a < b {
            (a, b, cell)
        } else {
            // Swap the labelers, and so the two verdicts of the cell.
            (b, a, (cell & 1) << 1 | cell >> 1)
        };
        let count = match self {
            CohenCells::Dense { labelers, cells } => &mut cells[a as usize * *labelers + b as usize][cell],
            CohenCells::Sparse(map) => &mut map.entry((a, b)).or_default()[cell],
        };
        if up {
            *count += 1;
        } else {
            *count -= 1;
        }
    }

    pub(super) fn merge(&mut self, other: CohenCells) {
        let add = |mine: &mut [u64; 4], theirs: &[u64; 4]| mine.iter_mut().zip(theirs).for_each(|(a, b)| *a += b);
        match (self, other) {
            (CohenCells::Dense { cells, .. }, CohenCells::Dense { cells: theirs, .. }) => {
                cells.iter_mut().zip(&theirs).for_each(|(mine, theirs)| add(mine, theirs));
            }
            (CohenCells::Sparse(map), CohenCells::Sparse(theirs)) => {
                for (key, theirs) in theirs {
                    add(map.entry(key).or_default(), &theirs);
                }
            }
            _ => unreachable!("both sums are made for the same labelers"),
        }
    }

    pub(super) fn kappas(&self) -> Vec<CohenKappa> {
        let mut out: Vec<CohenKappa> = match self {
            CohenCells::Dense { labelers, cells } => cells
                .iter()
                .enumerate()
                .filter(|(_, c)| c.iter().sum::<u64>() > 0)
                .map(|(i, c)| cohen_kappa(i / labelers, i % labelers, c))
                .collect(),
            CohenCells::Sparse(map) => map
                .iter()
                .filter(|(_, c)| c.iter().sum::<u64>() > 0)
                .map(|(&(a, b), c)| cohen_kappa(a as usize, b as usize, c))
                .collect(),
        };
        out.sort_by_key(|k| (k.a, k.b));
        out
    }
}

/// κ = (n·agree − Σ) / (n² − Σ) with Σ = a_same·b_same + a_diff·b_diff, the same as
/// (p_o − p_e) / (1 − p_e); computed in integers up to the final division.
pub(super) fn cohen_kappa(a: usize, b: usize, c: &[u64; 4]) -> CohenKappa {
    let [ss, sd, ds, dd] = c.map(u128::from);
    let n = ss + sd + ds + dd;
    let chance = (ss + sd) * (ss + ds) + (ds + dd) * (sd + dd);
    let kappa = (n * n != chance).then(|| {
        let num = (n * (ss + dd)) as i128 - chance as i128;
        num as f64 / (n * n - chance) as f64
    });
    CohenKappa { a, b, n: n as u64, kappa }
}
