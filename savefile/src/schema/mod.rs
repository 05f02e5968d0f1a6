//! Schemas: the description of a type's saved bytes that every file carries and every load checks.

mod codec;
mod compat;
mod context;
mod differences;
mod node_limit;
mod types;

pub use codec::{decode_schema, encode_schema};
pub(crate) use codec::{read_schema, write_schema};
pub use compat::diff_schema;
pub(crate) use compat::find_difference;
pub use context::WithSchemaContext;
pub use differences::schema_differences;
pub(crate) use node_limit::NodeAllowance;
pub use types::{
    Field, Schema, SchemaArray, SchemaEnum, SchemaPrimitive, SchemaStruct, Variant,
    VecOrStringLayout,
};
