#![no_main]
//! Fuzz target: see `tolk::fuzzing::expansion`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| tolk::fuzzing::expansion(data));
