//! Evaluable pairs in ascending score order, by a stable LSD radix sort.
//!
//! Sorting is the largest single cost of a full recompute on a million pairs; a radix sort
//! on the scores' order-preserving bit patterns is several times faster than a comparison
//! sort, and each record carries the few per-pair facts the groupings need, so building
//! them afterwards reads memory in order instead of jumping around by pair index.

/// One evaluable pair: its score as an order key, its index and a packed payload.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Scored {
    pub(crate) key: u64,
    pub(crate) pair: u32,
    pub(crate) payload: u32,
}

/// A u64 whose order is the numeric order of (non-NaN) f64s, with -0.0 equal to 0.0.
pub(crate) fn order_key(score: f64) -> u64 {
    let bits = (score + 0.0).to_bits();
    if bits >> 63 == 1 { !bits } else { bits | 1 << 63 }
}

/// The score an order key was made from (-0.0 comes back as 0.0).
pub(crate) fn score_of(key: u64) -> f64 {
    let bits = if key >> 63 == 1 { key & !(1 << 63) } else { !key };
    f64::from_bits(bits)
}

/// Sorts by `key`, stably (records with equal keys keep their order), with 11-bit digits
/// (few enough buckets for the scatter to stay in cache); digits that are the same in every
/// record are skipped.
pub(crate) fn radix_sort(records: Vec<Scored>) -> Vec<Scored> {
    const BITS: usize = 11;
    const DIGITS: usize = 64usize.div_ceil(BITS);
    const BUCKETS: usize = 1 << BITS;
    const MASK: u64 = BUCKETS as u64 - 1;
    if records.len() < 256 {
        let mut records = records;
        records.sort_by_key(|r| r.key);
        return records;
    }
    let mut counts = vec![[0u32; DIGITS]; BUCKETS];
    for r in &records {
        for (d, bucket) in (0..DIGITS).map(|d| (d, (r.key >> (BITS * d) & MASK) as usize)) {
            counts[bucket][d] += 1;
        }
    }
    let n = records.len() as u32;
    let mut from = records;
    let mut to = vec![Scored::default(); from.len()];
    let mut offsets = vec![0u32; BUCKETS];
    for d in 0..DIGITS {
        if counts.iter().any(|c| c[d] == n) {
            continue; // every record has the same digit here
        }
        let mut sum = 0;
        for (offset, c) in offsets.iter_mut().zip(&counts) {
            *offset = sum;
            sum += c[d];
        }
        for r in &from {
            let bucket = (r.key >> (BITS * d) & MASK) as usize;
            to[offsets[bucket] as usize] = *r;
            offsets[bucket] += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    from
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_key_orders_like_numbers_and_round_trips() {
        let xs = [f64::NEG_INFINITY, -2.5, -1e-300, 0.0, 1e-300, 1.0, 3.5, f64::INFINITY];
        for w in xs.windows(2) {
            assert!(order_key(w[0]) < order_key(w[1]), "{} < {}", w[0], w[1]);
        }
        for x in xs {
            assert_eq!(score_of(order_key(x)).to_bits(), x.to_bits());
        }
        assert_eq!(order_key(-0.0), order_key(0.0));
        assert_eq!(score_of(order_key(-0.0)).to_bits(), 0.0f64.to_bits());
    }

    #[test]
    fn radix_sort_is_a_stable_sort() {
        let mut state = 0x1234_5678_9abc_def1u64;
        let mut records: Vec<Scored> = (0..5000)
            .map(|i| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                // Few distinct scores, so stability matters; mixed signs and magnitudes.
                let score = ((state % 200) as f64 - 100.0) * 1e-3 * if i % 7 == 0 { 1e9 } else { 1.0 };
                Scored { key: order_key(score), pair: i, payload: i * 3 }
            })
            .collect();
        let sorted = radix_sort(records.clone());
        records.sort_by_key(|r| (r.key, r.pair));
        assert_eq!(sorted, records);
        let small = radix_sort(records[..10].iter().rev().copied().collect());
        assert!(small.windows(2).all(|w| w[0].key <= w[1].key));
    }
}
