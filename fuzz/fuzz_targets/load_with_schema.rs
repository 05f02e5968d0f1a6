//! Any bytes, loaded as a file with a schema: an error or a value that saves and
//! loads back equal, never a panic, an abort or a runaway allocation.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| savefile_fuzz::check_load(data, true));
