//! `cargo +nightly fuzz run check`: see src/lib.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| poolc_fuzz::check(data));
