//! Every unordered pair of distinct rows, once, without ever holding more than a 3×4 block
//! of scores: the upper triangle of the N×N score matrix is cut into square tiles of
//! [`TILE`] rows (the second tile's rows, 192 KB at 512-d, stay in L2 while the first one's
//! rows go by three at a time), and threads take tiles from a shared counter.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::dot::{Kernel, LANES, ROWS_A, ROWS_B};

/// Rows per tile: a multiple of both register-block sides.
const TILE: usize = 96;
const ROW_GROUP: usize = 12;

/// The vectors, copied with zero padding: each row to a multiple of [`LANES`], the row count
/// to a multiple of 12 (padded rows are computed and never visited).
pub(super) struct Padded {
    data: Vec<f32>,
    rows: usize,
    padded_rows: usize,
    dim: usize,
}

impl Padded {
    pub(super) fn new(vectors: &[f32], rows: usize, dim: usize) -> Self {
        let padded_dim = dim.div_ceil(LANES) * LANES;
        let padded_rows = rows.div_ceil(ROW_GROUP) * ROW_GROUP;
        let mut data = vec![0f32; padded_rows * padded_dim];
        for (r, row) in vectors.chunks_exact(dim).enumerate() {
            data[r * padded_dim..r * padded_dim + dim].copy_from_slice(row);
        }
        Padded { data, rows, padded_rows, dim: padded_dim }
    }

    fn tiles(&self) -> usize {
        self.padded_rows.div_ceil(TILE)
    }

    /// Tile pairs (i ≤ j) of the upper triangle.
    pub(super) fn work(&self) -> u64 {
        let n = self.tiles() as u64;
        n * (n + 1) / 2
    }
}

/// Runs `visit(state, i, j, score)` for every i < j < rows, each thread on its own state
/// from `make_state`; `tick` after each tile. Returns the states, or None once `cancel` is
/// seen (checked before each tile).
pub(super) fn sweep<S: Send>(
    m: &Padded,
    kernel: Kernel,
    threads: usize,
    make_state: impl Fn() -> S + Sync,
    visit: impl Fn(&mut S, u32, u32, f32) + Sync,
    cancel: &AtomicBool,
    tick: impl Fn() + Sync,
) -> Option<Vec<S>> {
    let tiles = m.tiles();
    // offsets[i]: index of the first tile pair (i, i).
    let offsets: Vec<usize> = (0..tiles).scan(0, |acc, i| Some(std::mem::replace(acc, *acc + tiles - i))).collect();
    let total = m.work() as usize;
    let next = AtomicUsize::new(0);
    let stopped = AtomicBool::new(false);
    let worker = || {
        let mut state = make_state();
        loop {
            if cancel.load(Ordering::Relaxed) {
                stopped.store(true, Ordering::Relaxed);
                break;
            }
            let item = next.fetch_add(1, Ordering::Relaxed);
            if item >= total {
                break;
            }
            let ti = offsets.partition_point(|&o| o <= item) - 1;
            let tj = ti + (item - offsets[ti]);
            tile(m, kernel, ti, tj, &mut state, &visit);
            tick();
        }
        state
    };
    let states: Vec<S> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads.max(1)).map(|_| scope.spawn(worker)).collect();
        let mut states = vec![worker()];
        states.extend(handles.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))));
        states
    });
    (!stopped.load(Ordering::Relaxed)).then_some(states)
}

fn tile<S>(m: &Padded, kernel: Kernel, ti: usize, tj: usize, state: &mut S, visit: &impl Fn(&mut S, u32, u32, f32)) {
    let (dim, rows) = (m.dim, m.rows);
    let a_rows = ti * TILE..((ti + 1) * TILE).min(m.padded_rows);
    let b_rows = tj * TILE..((tj + 1) * TILE).min(m.padded_rows);
    let mut out = [0f32; ROWS_A * ROWS_B];
    for i0 in a_rows.step_by(ROWS_A) {
        if i0 >= rows {
            break;
        }
        let a = &m.data[i0 * dim..(i0 + ROWS_A) * dim];
        for j0 in b_rows.clone().step_by(ROWS_B) {
            // Blocks wholly on or below the diagonal, or wholly padding, hold no pair.
            if j0 + ROWS_B <= i0 + 1 || j0 >= rows {
                continue;
            }
            kernel.block(a, &m.data[j0 * dim..(j0 + ROWS_B) * dim], dim, &mut out);
            for r in 0..ROWS_A {
                let i = i0 + r;
                for c in 0..ROWS_B {
                    let j = j0 + c;
                    if i < j && j < rows {
                        visit(state, i as u32, j as u32, out[r * ROWS_B + c]);
                    }
                }
            }
        }
    }
}
