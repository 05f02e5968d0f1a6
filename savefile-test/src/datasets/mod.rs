//! The four datasets of the community serialization benchmark, generated deterministically.
//!
//! Each submodule defines the types of one dataset and a `generate()` that builds it from a
//! fixed seed, with the shapes and value distributions of the public
//! rust_serialization_benchmark (see `docs/performance.md`): [`log`] (10 000 access-log
//! records, many short strings), [`mesh`] (125 000 padding-free triangles, the memcpy case),
//! [`minecraft`] (500 nested player records) and [`mk48`] (1 000 game updates full of small
//! integers, enums and short vectors).
//!
//! The values follow the documented distributions, drawn from our own PCG32 generator; they
//! are not byte-for-byte the community benchmark's data, so sizes differ from its published
//! ones by a fraction of a percent.
//!
//! Every type derives `Savefile`, serde's `Serialize`/`Deserialize` and bitcode's
//! `Encode`/`Decode`, so all formats of `benches/datasets.rs` run on the same values. The files
//! name no savefile API beyond the derive, so `compat/bench-savefile020` compiles the same
//! sources against the savefile 0.20 derive.

pub mod log;
pub mod mesh;
pub mod minecraft;
pub mod mk48;
mod rng;

/// The seed every dataset starts from: a fresh generator per dataset, as the community
/// benchmark does, so that each dataset is the same whichever others are generated.
const SEED: (u64, u64) = (3_141_592_653, 5_897_932_384);
