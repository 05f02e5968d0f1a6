//! The contract between a type and the format: its schema, how it writes itself and how it reads itself back.
//!
//! The three traits must agree. `WithSchema` describes, for every data version, the
//! bytes that `Serialize` writes and `Deserialize` reads; the schema stored in a file
//! is compared with it on load. `#[derive(Savefile)]` writes all of them (and
//! [`crate::Packed`] and [`crate::Introspect`]) so that they cannot drift apart.

use std::io::{Read, Write};

use crate::format::{Deserializer, Serializer};
use crate::schema::{Schema, WithSchemaContext};
use crate::SavefileError;

/// A type that can describe its saved layout as a [`Schema`], for any data version.
pub trait WithSchema {
    /// The schema of this type's bytes as they were in data version `version`.
    ///
    /// `context` tracks the types being described, so that recursive types can
    /// refer back to themselves with [`Schema::Recursion`] instead of recursing forever.
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema;
}

/// A type that can write itself to a [`Serializer`].
pub trait Serialize: WithSchema {
    /// Writes `self` in the format described by `Self::schema(serializer.file_version)`.
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError>;
}

/// A type that can read itself back from a [`Deserializer`].
///
/// Implementations must accept the bytes of every data version up to the current
/// one; `deserializer.file_version` says which version is being read.
pub trait Deserialize: WithSchema + Sized {
    /// True when reading a value of this type can never lead to reading another value
    /// of the same type, whatever the input says: the type holds its parts inline,
    /// with no box, pointer or collection on the way, so its values nest only as deep
    /// as the type itself does. Derived types that are flat skip the depth accounting
    /// of [`Deserializer::enter_nested`]. The default, `false`, is always safe;
    /// `true` is only for leaf types and for inline wrappers whose parts are all flat.
    #[doc(hidden)]
    const __SAVEFILE_FLAT: bool = false;

    /// Reads a value of this type.
    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError>;
}
