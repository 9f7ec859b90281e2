//! A pairs CSV through `import_pairs`, as `pairscope import-pairs` runs it.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pairscope_fuzz::{Scratch, flag};

fuzz_target!(|data: &[u8]| {
    let scratch = Scratch::get();
    let (input, mut store) = scratch.input("pairs.csv", data);
    let _ = pairscope::import::import_pairs(&mut store, &input, &scratch.images, flag(data));
});
