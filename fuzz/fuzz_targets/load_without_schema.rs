//! Any bytes, loaded as a file without a schema, where nothing vets the data before
//! it is decoded: an error or a value that saves and loads back equal.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| savefile_fuzz::check_load(data, false));
