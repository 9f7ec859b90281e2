//! The comparison score: a dot product of two normalised vectors, computed in ONE fixed
//! order of operations, so the blocked SIMD kernel and a plain loop give bit-identical scores
//! (a brute-force count can then check every count exactly, ties included).
//!
//! The order: eight lanes, lane `l` accumulating the terms `k ≡ l (mod 8)` with fused
//! multiply-adds in increasing `k`, then `((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7))`. An AVX2
//! register holds the eight lanes; `f32::mul_add` is the same fused operation elsewhere.

/// Lanes of the accumulation; the padded dimension is a multiple of this.
pub(super) const LANES: usize = 8;
/// Rows of the first and second operand per call of the register kernel (12 accumulators).
pub(super) const ROWS_A: usize = 3;
pub(super) const ROWS_B: usize = 4;

/// The score of two vectors of equal length (the kernel's definition, as a plain loop).
pub fn score(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; LANES];
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        acc[k % LANES] = x.mul_add(*y, acc[k % LANES]);
    }
    reduce(acc)
}

fn reduce(l: [f32; LANES]) -> f32 {
    ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]))
}

/// Which implementation of the register kernel runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kernel {
    #[cfg(target_arch = "x86_64")]
    Avx2Fma,
    Portable,
}

impl Kernel {
    pub(super) fn detect() -> Kernel {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
            return Kernel::Avx2Fma;
        }
        Kernel::Portable
    }

    /// Scores of rows `a[0..3]` against rows `b[0..4]` (each `dim` long, `dim` a multiple of
    /// [`LANES`]) into `out[r * ROWS_B + c]`.
    #[inline]
    pub(super) fn block(self, a: &[f32], b: &[f32], dim: usize, out: &mut [f32; ROWS_A * ROWS_B]) {
        assert!(dim.is_multiple_of(LANES) && a.len() >= ROWS_A * dim && b.len() >= ROWS_B * dim);
        match self {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `detect` chose this kernel only where the CPU has AVX2 and FMA; the
            // assert above keeps every load in bounds.
            Kernel::Avx2Fma => unsafe { block_avx2(a, b, dim, out) },
            Kernel::Portable => {
                for r in 0..ROWS_A {
                    for c in 0..ROWS_B {
                        out[r * ROWS_B + c] = score(&a[r * dim..(r + 1) * dim], &b[c * dim..(c + 1) * dim]);
                    }
                }
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn block_avx2(a: &[f32], b: &[f32], dim: usize, out: &mut [f32; ROWS_A * ROWS_B]) {
    use std::arch::x86_64::*;
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc = [_mm256_setzero_ps(); ROWS_A * ROWS_B];
    let mut k = 0;
    while k < dim {
        // SAFETY (all loads): k + 8 ≤ dim and the caller checked the row counts.
        let (a0, a1, a2) = unsafe {
            (_mm256_loadu_ps(pa.add(k)), _mm256_loadu_ps(pa.add(dim + k)), _mm256_loadu_ps(pa.add(2 * dim + k)))
        };
        for c in 0..ROWS_B {
            let bc = unsafe { _mm256_loadu_ps(pb.add(c * dim + k)) };
            acc[c] = _mm256_fmadd_ps(a0, bc, acc[c]);
            acc[ROWS_B + c] = _mm256_fmadd_ps(a1, bc, acc[ROWS_B + c]);
            acc[2 * ROWS_B + c] = _mm256_fmadd_ps(a2, bc, acc[2 * ROWS_B + c]);
        }
        k += LANES;
    }
    for (o, v) in out.iter_mut().zip(acc) {
        // [l0+l4, l1+l5, l2+l6, l3+l7], then [s0+s2, s1+s3], then their sum: `reduce`'s order.
        let s4 = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
        let s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
        *o = _mm_cvtss_f32(_mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1)));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::SeededRng;
    use super::*;

    #[test]
    fn every_kernel_matches_the_plain_loop_bit_for_bit() {
        let mut rng = SeededRng::new(7);
        let dim = 40;
        let rows: Vec<f32> = (0..7 * dim).map(|_| rng.unit() as f32 * 2.0 - 1.0).collect();
        let (a, b) = (&rows[..3 * dim], &rows[3 * dim..]);
        for kernel in [Kernel::detect(), Kernel::Portable] {
            let mut out = [0f32; 12];
            kernel.block(a, b, dim, &mut out);
            for r in 0..3 {
                for c in 0..4 {
                    let expected = score(&a[r * dim..(r + 1) * dim], &b[c * dim..(c + 1) * dim]);
                    assert_eq!(out[r * 4 + c].to_bits(), expected.to_bits(), "{kernel:?} row {r} col {c}");
                }
            }
        }
    }
}
