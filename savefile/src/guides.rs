//! The guides, rendered with the API documentation: the same text as the files in the
//! repository's `docs/` directory, one module each (the modules hold no items).
//!
//! - [`versioning`]: evolving saved types across versions.
//! - [`derive`](mod@derive): what `#[derive(Savefile)]` generates, and every attribute.
//! - [`introspection`]: looking into loaded values.
//! - [`inspect`]: the `savefile` command and `load_dynamic`: any save read without its types.
//! - [`compatibility`]: files moving to and from savefile 0.20, and the API beside 0.20's.
//! - [`format`](mod@format): the bytes, the schema encoding and the schema check (normative).
//! - [`security`]: what is guaranteed on hostile input and crashes, and how it is tested.
//! - [`mapped`]: packed arrays used in place, from memory-mapped files and images.
//! - [`borrowed`]: loads whose `&str`, `&[u8]` and `Cow` fields point into the loaded bytes.
//! - [`performance`]: measured speed, and the commands that reproduce it.
//!
//! Links between the guides point at the files of `docs/` and work where the
//! repository is browsed; from here, use the list above.

#[doc = include_str!("../../docs/versioning.md")]
pub mod versioning {}

#[doc = include_str!("../../docs/derive.md")]
pub mod derive {}

#[doc = include_str!("../../docs/introspection.md")]
pub mod introspection {}

#[doc = include_str!("../../docs/inspect.md")]
pub mod inspect {}

#[doc = include_str!("../../docs/compatibility.md")]
pub mod compatibility {}

#[doc = include_str!("../../docs/format.md")]
pub mod format {}

#[doc = include_str!("../../docs/security.md")]
pub mod security {}

#[doc = include_str!("../../docs/performance.md")]
pub mod performance {}

#[doc = include_str!("../../docs/mapped.md")]
pub mod mapped {}

#[doc = include_str!("../../docs/borrowed.md")]
pub mod borrowed {}
