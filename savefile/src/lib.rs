//! Save Rust values to compact, versioned binary files and load them back, including
//! files written by older versions of the program.
//!
//! # Adding it
//!
//! ```toml
//! [dependencies]
//! # The `savefile/` directory of this repository; `savefile-derive` comes with it.
//! savefile = { path = "savefile" }
//! # Or with compression and the optional types:
//! # savefile = { path = "savefile", features = ["compression", "glam", "uuid"] }
//! ```
//!
//! One dependency is enough: the `derive` feature (on by default) re-exports the derive
//! macros from [`prelude`] (and the macro crate as [`savefile_derive`]).
//!
//! # Features
//!
//! | feature | default | enables |
//! |---|---|---|
//! | `derive` | yes | `#[derive(Savefile)]`, `SavefileNoIntrospect`, `SavefileIntrospectOnly` |
//! | `compression` | no | bzip2: [`save_compressed`], [`save_file_compressed`], and loading compressed files (every load detects them) |
//! | `indexmap` | yes | `IndexMap`, `IndexSet` (indexmap 2) |
//! | `arrayvec` | yes | `ArrayVec`, `ArrayString` (arrayvec 0.7) |
//! | `smallvec` | yes | `SmallVec` (smallvec 1) |
//! | `bit-vec`, `bit-vec08` | yes | `BitVec` of bit-vec 0.6, of bit-vec 0.8 |
//! | `bit-set`, `bit-set08` | yes | `BitSet` of bit-set 0.5, of bit-set 0.8 |
//! | `chrono` | yes | `DateTime<Utc>` (chrono 0.4) |
//! | `parking_lot` | yes | `Mutex`, `RwLock` (parking_lot 0.12) |
//! | `mmap` | yes | [`MappedVec::open`]: packed arrays used where they lie in a memory-mapped file (memmap2 0.9; in-memory images need no feature) |
//! | `nalgebra` | no | `Vector3`, `Point3`, `Isometry3` (nalgebra 0.33) |
//! | `glam` | no | vectors, quaternions and matrices of glam 0.34 |
//! | `uuid` | no | `Uuid` (uuid 1) |
//! | `testing` | no | `savefile::testing`, for a program's tests: its saved types' schema history (a change without a version bump fails) and its kept saves loading |
//!
//! The defaults are savefile 0.20's, plus `mmap` (which 0.20 does not have). The types 0.20
//! also supports have its schemas and bytes, so files move between the two
//! ([`guides::compatibility`]).
//!
// The example derives its types: it is part of the page in builds with `derive`.
#![cfg_attr(
    feature = "derive",
    doc = r####"
# Saving, changing the type, loading the old file

```
use savefile::prelude::*;

mod release_1 {
    use savefile::prelude::*;
    #[derive(Savefile)]
    pub struct Player {
        pub name: String,
        pub strength: u32,
    }
}

// Release 2 saves data version 1: `strength` is gone, `skills` is new.
#[derive(Savefile, Debug, PartialEq)]
struct Player {
    name: String,
    #[savefile_versions = "..0"]
    strength: Removed<u32>,
    #[savefile_versions = "1.."]
    skills: Vec<String>,
}
const DATA_VERSION: u32 = 1;

let old = release_1::Player { name: "Ada".into(), strength: 7 };
let file = save_to_mem(0, &old)?;

// The new program reads the old file: the removed field is skipped, the new one defaulted.
let player: Player = load_from_mem(&file, DATA_VERSION)?;
assert_eq!(player.name, "Ada");
assert!(player.skills.is_empty());

// A file from a newer program, or one whose types do not match, is refused with an
// error that says what and where.
let newer = save_to_mem(2, &player)?;
assert!(matches!(
    load_from_mem::<Player>(&newer, DATA_VERSION),
    Err(SavefileError::WrongVersion { .. })
));
# Ok::<(), SavefileError>(())
```

"####
)]
//! Every file starts with a 16-byte header carrying the data version it was saved
//! with; [`save`] then writes the value's [`Schema`], which [`load`] compares with
//! the program's types as of that version before reading a byte of data. The
//! bytes are those of savefile format version 2 ([`guides::format`]).
//!
//! A type is saved through four traits: [`WithSchema`], [`Serialize`],
//! [`Deserialize`] and [`Packed`], plus [`Introspect`] for looking into loaded
//! values. `#[derive(Savefile)]` implements them all ([`guides::derive`](mod@guides::derive)).
//! Loading never trusts the input: malformed bytes give a [`SavefileError`], never
//! a panic, a stack overflow or an unbounded allocation, within limits that
//! [`LoadOptions`] sets; saving to a file never leaves it half-written
//! ([`guides::security`]).
//!
//! # Guides
//!
//! - [`guides::versioning`]: evolving saved types across versions.
//! - [`guides::derive`](mod@guides::derive): what the derive generates, and every attribute.
//! - [`guides::introspection`]: looking into loaded values.
//! - [`guides::inspect`]: reading any save without its types (`load_dynamic`, the `savefile` command).
//! - [`guides::compatibility`]: files and code moving from savefile 0.20.
//! - [`guides::format`](mod@guides::format): the bytes and the schema check (normative).
//! - [`guides::security`]: hostile files, crashes and limits.
//! - [`guides::mapped`]: packed arrays used where they lie, in mapped files and images.
//! - [`guides::borrowed`]: loads whose `&str`, `&[u8]` and `Cow` fields point into the bytes.
//! - [`guides::performance`]: measured speed, against 0.20 and other formats.

#![deny(unsafe_code)]

mod api;
mod borrowed;
mod dynamic;
mod ecosystem;
mod error;
mod format;
// The guides' examples derive their types.
#[cfg(feature = "derive")]
pub mod guides;
mod impls;
mod introspect;
mod mapped;
mod packed;
mod safe_file;
mod schema;
#[cfg(feature = "testing")]
pub mod testing;
mod traits;
mod upstream;

pub mod prelude;

/// The derive macros' crate, under the path savefile 0.20 gives it
/// (`savefile::savefile_derive::Savefile`); the prelude re-exports the macros themselves.
#[cfg(feature = "derive")]
pub use savefile_derive;

/// Items the derive macros' generated code uses. Not part of the public API: they
/// may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::packed::{bulk_copy, bytes_of, read_value, BulkCopy};
    pub use crate::schema::{decode_schema, encode_schema};
    pub use crate::traits::{
        fixed_run, fixed_sum, min_sum, parse_default, read_field, read_field_into, read_fixed_part,
        read_whole_fixed, write_field, Gathered, PartialDrop, Written,
    };
}

pub use api::{
    get_schema, load, load_file, load_file_noschema, load_file_noschema_with, load_file_with,
    load_from_mem, load_from_mem_borrowed, load_from_mem_borrowed_with, load_from_mem_noschema,
    load_from_mem_noschema_borrowed, load_from_mem_noschema_borrowed_with,
    load_from_mem_noschema_with, load_from_mem_with, load_noschema, load_noschema_with, load_with,
    save, save_compressed, save_file, save_file_compressed, save_file_noschema, save_noschema,
    save_to_mem, CompressionEnabled,
};
pub use borrowed::DeserializeBorrowed;
pub use dynamic::{
    load_dynamic, load_dynamic_exact, load_dynamic_file, load_dynamic_file_with,
    load_dynamic_from_mem, load_dynamic_from_mem_with, load_dynamic_schema, load_dynamic_with,
    read_header, read_header_file, visit_dynamic, visit_dynamic_exact, visit_dynamic_file,
    visit_dynamic_from_mem, Dynamic, DynamicError, FilePart, FileSchema, NumberType, Numbers,
    SeqKind, Value, ValueRef, Visit, VisitError,
};
pub use error::{MappedProblem, SavefileError, SchemaDifference, SchemaMismatch};
pub use format::{
    BorrowedDeserializer, Deserializer, Header, LoadOptions, Serializer,
    CURRENT_SAVEFILE_LIB_VERSION, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH,
};
pub use impls::{get_result_schema, Canary1, Removed};
pub use introspect::{
    introspect_item, Introspect, IntrospectItem, IntrospectItemSimple, IntrospectedElement,
    IntrospectedElementKey, IntrospectionError, IntrospectionFrame, IntrospectionResult,
    Introspector, IntrospectorNavCommand, Outline, MAX_CHILDREN,
};
pub use mapped::{
    read_mapped_metadata, save_mapped, save_mapped_image, Access, AlignedBytes, Borrowed, InMemory,
    MappedData, MappedVec, ReadOnly, Writable,
};
#[cfg(feature = "mmap")]
pub use mapped::{CopyOnWrite, FileAccess, ReadWrite};
pub use packed::{IsPacked, Packed};
pub use schema::{
    diff_schema, schema_differences, Field, Schema, SchemaArray, SchemaEnum, SchemaPrimitive,
    SchemaStruct, Variant, VecOrStringLayout, WithSchemaContext,
};
pub use traits::{Deserialize, Serialize, WithSchema};
pub use upstream::{
    calculate_slice_memory_layout, calculate_vec_memory_layout, deserialize_slice_as_vec, Savefile,
};
