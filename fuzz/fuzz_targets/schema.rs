//! Any bytes, decoded as schemas and compared: with each other, with themselves,
//! with their re-encoding and with a program's schema.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| savefile_fuzz::check_schemas(data));
