//! An identities CSV through `import_identities`, as `pairscope import-identities` runs it:
//! with `--images` and `--replace` or without either, chosen by the input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pairscope_fuzz::{Scratch, flag};

fuzz_target!(|data: &[u8]| {
    let scratch = Scratch::get();
    let (input, mut store) = scratch.input("identities.csv", data);
    let images = flag(data).then_some(scratch.images.as_path());
    let _ = pairscope::import::import_identities(&mut store, &input, images, flag(data));
});
