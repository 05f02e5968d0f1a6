//! The contract between a type and the format: its schema, how it writes itself and how it reads itself back.
//!
//! The three traits must agree. `WithSchema` describes, for every data version, the
//! bytes that `Serialize` writes and `Deserialize` reads; the schema stored in a file
//! is compared with it on load. `#[derive(Savefile)]` writes all of them (and
//! [`crate::Packed`] and [`crate::Introspect`]) so that they cannot drift apart.

use std::io::{Read, Write};
use std::mem::MaybeUninit;

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

    /// Reads a value of this type into `slot`, which on `Ok` holds it (as the
    /// returned [`Written`] attests) and on `Err` holds nothing that needs dropping.
    ///
    /// What vectors use to read their elements straight into their buffer. Derived
    /// structs write each field in place, so that the value is never assembled
    /// elsewhere and copied (a copy that, right after the fields' narrow stores,
    /// stalls the processor's store forwarding).
    #[doc(hidden)]
    #[inline]
    #[allow(unsafe_code)]
    fn __savefile_deserialize_into(
        deserializer: &mut Deserializer<impl Read>,
        slot: &mut MaybeUninit<Self>,
    ) -> Result<Written, SavefileError> {
        slot.write(Self::deserialize(deserializer)?);
        // SAFETY: `slot` was just initialised with a value.
        Ok(unsafe { Written::new() })
    }
}

/// Proof that a [`Deserialize::__savefile_deserialize_into`] call initialised its slot.
///
/// Only `unsafe` code can make one, so an implementation that returns it has taken
/// on the promise.
#[doc(hidden)]
#[derive(Debug)]
pub struct Written(());

impl Written {
    /// Attests that the slot was initialised.
    ///
    /// # Safety
    ///
    /// The slot the surrounding `__savefile_deserialize_into` received must hold a
    /// valid value of its type.
    #[inline(always)]
    #[allow(unsafe_code)]
    pub unsafe fn new() -> Written {
        Written(())
    }
}

/// Drops the fields of a partly written value when reading one of its later fields
/// fails: the guard of a derived `__savefile_deserialize_into`.
///
/// `done` counts the fields written so far, in order; `drop_fields(place, done)`
/// must drop exactly those. Defused with `mem::forget` once the value is complete.
#[doc(hidden)]
pub struct PartialDrop<T, F: FnMut(*mut T, usize)> {
    /// The value being written.
    pub place: *mut T,
    /// How many of its fields (in writing order) hold values.
    pub done: usize,
    /// Drops the first `done` fields of the value at `place`.
    pub drop_fields: F,
}

impl<T, F: FnMut(*mut T, usize)> Drop for PartialDrop<T, F> {
    fn drop(&mut self) {
        (self.drop_fields)(self.place, self.done);
    }
}
