//! Save Rust values to compact, versioned binary files and load them back, including
//! files written by older versions of the program.
//!
//! ```
//! use savefile::prelude::*;
//!
//! let scores: Vec<(String, u32)> = vec![("ada".into(), 42), ("bob".into(), 7)];
//! let bytes = save_to_mem(0, &scores).unwrap();
//! let back: Vec<(String, u32)> = load_from_mem(&bytes, 0).unwrap();
//! assert_eq!(back, scores);
//! ```
//!
//! Every file starts with a 16-byte header carrying the data version it was saved
//! with; [`save`] then writes the value's [`Schema`], which [`load`] compares with
//! the program's types as of that version before reading a byte of data. The
//! bytes are those of savefile format version 2 (see `docs/format.md`).
//!
//! A type is saved through four traits: [`WithSchema`], [`Serialize`],
//! [`Deserialize`] and [`Packed`], plus [`Introspect`] for looking into loaded
//! values. `#[derive(Savefile)]` (crate `savefile-derive`) implements them all.
//! Loading never trusts the input: malformed bytes give a [`SavefileError`], never
//! a panic, a stack overflow or an unbounded allocation, within limits that
//! [`LoadOptions`] sets; saving to a file never leaves it half-written (see
//! `docs/security.md`).

#![deny(unsafe_code)]

mod api;
mod ecosystem;
mod error;
mod format;
mod impls;
mod introspect;
mod packed;
mod safe_file;
mod schema;
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
    load_from_mem, load_from_mem_noschema, load_from_mem_noschema_with, load_from_mem_with,
    load_noschema, load_noschema_with, load_with, save, save_compressed, save_file,
    save_file_compressed, save_file_noschema, save_noschema, save_to_mem, CompressionEnabled,
};
pub use error::{SavefileError, SchemaDifference, SchemaMismatch};
pub use format::{
    Deserializer, LoadOptions, Serializer, CURRENT_SAVEFILE_LIB_VERSION, DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
};
pub use impls::{get_result_schema, Canary1, Removed};
pub use introspect::{
    introspect_item, Introspect, IntrospectItem, IntrospectItemSimple, IntrospectedElement,
    IntrospectedElementKey, IntrospectionError, IntrospectionFrame, IntrospectionResult,
    Introspector, IntrospectorNavCommand, Outline, MAX_CHILDREN,
};
pub use packed::{IsPacked, Packed};
pub use schema::{
    diff_schema, Field, Schema, SchemaArray, SchemaEnum, SchemaPrimitive, SchemaStruct, Variant,
    VecOrStringLayout, WithSchemaContext,
};
pub use traits::{Deserialize, Serialize, WithSchema};
pub use upstream::{
    calculate_slice_memory_layout, calculate_vec_memory_layout, deserialize_slice_as_vec, Savefile,
};
