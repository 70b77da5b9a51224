//! Arbitrary bytes as a connector definition, through the whole pipeline: load, validate,
//! model, render, and every diagnostic format. Nothing may panic, hang or allocate without
//! bound, and whatever renders must keep the output invariants.

#![no_main]

use connector_gen::Generator;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let run = Generator::new().source("fuzz.yaml", text).generate();
    connector_gen_fuzz_invariants::check(&run);
});

mod connector_gen_fuzz_invariants {
    include!("invariants.rs");
}
