#![no_main]
//! Fuzz target: see `tolk::fuzzing::check_pair`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| tolk::fuzzing::check_pair(data));
