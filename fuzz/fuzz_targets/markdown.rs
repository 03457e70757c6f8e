#![no_main]
//! Fuzz target: see `tolk::fuzzing::markdown`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| tolk::fuzzing::markdown(data));
