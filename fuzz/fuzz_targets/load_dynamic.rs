//! Any bytes, decoded by the schema they hold (`load_dynamic`): an error or a value,
//! never a panic, an abort or a runaway allocation; memory and stream decodes agree,
//! and whatever loads as a `Node` decodes without its types.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| savefile_fuzz::check_dynamic(data));
