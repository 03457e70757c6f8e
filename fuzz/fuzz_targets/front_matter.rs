#![no_main]
//! Fuzz target: see `tolk::fuzzing::front_matter`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| tolk::fuzzing::front_matter(data));
