//! Derive bug: version tests for closed ranges are generated as two comparisons,
//! `(version >= 1 && version <= 1)` for "1..1" and `(version >= 1 && version <= 2)`
//! for "1..2", which clippy flags in the user's crate (`double_comparisons`,
//! `manual_range_contains`). A user whose CI runs clippy with `-D warnings` cannot
//! use these ranges. This file is the `src/lib.rs` of a small crate that the test
//! `derive_bugs::generated_code_passes_clippy` lints.

use savefile::prelude::*;

/// A field saved as an older type in the single version 1 ("1..1").
#[derive(Savefile)]
pub struct Meter {
    #[savefile_versions_as = "0..0:u8"]
    #[savefile_versions_as = "1..1:u16"]
    #[savefile_versions = "2.."]
    pub reading: u32,
}

/// A field that existed in versions 1 to 2 only ("1..2").
#[derive(Savefile)]
pub struct Profile {
    pub name: String,
    #[savefile_versions = "1..2"]
    pub nickname: Removed<String>,
}
