//! The benchmark datasets of `savefile-test`, compiled against the savefile 0.20 derive.
//!
//! The generator sources are included as they are, so both benchmark crates measure the same
//! values: the files name `savefile_derive::Savefile`, which here is the 0.20 release's
//! derive, generating impls of that release's traits.

#[path = "../../../savefile-test/src/datasets/mod.rs"]
pub mod datasets;
