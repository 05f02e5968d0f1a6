//! Any bytes, opened as a mapped-array image (aligned and as given) with three element
//! kinds: an error or a view that agrees with the typed load, never a panic or UB.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| savefile_fuzz::check_mapped(data));
