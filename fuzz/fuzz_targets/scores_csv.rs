//! A scores CSV through `import_scores`, as `pairscope import-scores` runs it, into a project
//! where model `fuzz` already scored `p1`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pairscope_fuzz::{Scratch, flag};

fuzz_target!(|data: &[u8]| {
    let (input, mut store) = Scratch::get().input("scores.csv", data);
    let _ = pairscope::import::import_scores(&mut store, &input, "fuzz", flag(data));
});
