//! Everything a typical user needs: `use savefile::prelude::*;`.

pub use crate::{
    deserialize_slice_as_vec, diff_schema, get_result_schema, get_schema, introspect_item, load,
    load_file, load_file_noschema, load_from_mem, load_from_mem_noschema, load_noschema, save,
    save_compressed, save_file, save_file_compressed, save_file_noschema, save_noschema,
    save_to_mem, Canary1, Deserialize, DeserializeBorrowed, Deserializer, Field, Introspect,
    IntrospectItem, IntrospectedElementKey, IntrospectionResult, Introspector,
    IntrospectorNavCommand, IsPacked, LoadOptions, Packed, Removed, SavefileError, Schema,
    SchemaArray, SchemaEnum, SchemaPrimitive, SchemaStruct, Serialize, Serializer, Variant,
    VecOrStringLayout, WithSchema, WithSchemaContext,
};

/// `offset_of!(Type, field)`, for hand-written schemas that record field offsets; in
/// savefile 0.20's prelude too.
pub use std::mem::offset_of;

#[cfg(feature = "derive")]
pub use savefile_derive::{Savefile, SavefileIntrospectOnly, SavefileNoIntrospect};
