//! LFW `pairs.txt` through `import_lfw`, as `pairscope import-lfw` runs it.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pairscope_fuzz::{Scratch, flag};

fuzz_target!(|data: &[u8]| {
    let scratch = Scratch::get();
    let (input, mut store) = scratch.input("pairs.txt", data);
    let _ = pairscope::import::import_lfw(&mut store, &input, &scratch.images, flag(data));
});
