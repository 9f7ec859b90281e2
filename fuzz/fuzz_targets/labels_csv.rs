//! A labels CSV through `import_labels`, as `pairscope import-labels` runs it, into a project
//! that has pairs `p1` and `p2` and a verdict by `cy` on `p1`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pairscope_fuzz::{Scratch, flag};

fuzz_target!(|data: &[u8]| {
    let (input, mut store) = Scratch::get().input("labels.csv", data);
    let _ = pairscope::import::import_labels(&mut store, &input, flag(data));
});
