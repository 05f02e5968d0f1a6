//! savefile 0.20's spellings of things this crate's own API says another way.
//!
//! Code written against savefile 0.20 uses these: its associated-function forms of the
//! entry points, its `Savefile` bound, and helpers its hand-written impls call. Each is
//! a thin layer over what is documented elsewhere in the crate, with 0.20's name and
//! parameters; new code has no reason to prefer them.

use std::io::{Read, Write};

use crate::{
    Deserialize, Deserializer, IsPacked, Packed, SavefileError, Serialize, Serializer,
    VecOrStringLayout, WithSchema,
};

impl<'a, W: Write> Serializer<'a, W> {
    /// Writes a whole file (header, schema, data) to `writer`: [`crate::save`], or
    /// [`crate::save_compressed`] when `with_compression` is true.
    ///
    /// The associated-function form savefile 0.20 has beside the free function.
    pub fn save<T: WithSchema + Serialize + ?Sized>(
        writer: &mut W,
        version: u32,
        data: &T,
        with_compression: bool,
    ) -> Result<(), SavefileError> {
        if with_compression {
            crate::api::write_compressed(writer, version, data)
        } else {
            crate::save(writer, version, data)
        }
    }

    /// Writes a whole file without schema to `writer`: [`crate::save_noschema`].
    pub fn save_noschema<T: WithSchema + Serialize + ?Sized>(
        writer: &mut W,
        version: u32,
        data: &T,
    ) -> Result<(), SavefileError> {
        crate::save_noschema(writer, version, data)
    }

    /// Writes `data` alone, as data version `file_version`: no header and no schema.
    /// Then flushes `writer`. [`Deserializer::bare_deserialize`] reads it back.
    pub fn bare_serialize<T: Serialize + ?Sized>(
        writer: &mut W,
        file_version: u32,
        data: &T,
    ) -> Result<(), SavefileError> {
        data.serialize(&mut Serializer::new(&mut *writer, file_version))?;
        writer.flush()?;
        Ok(())
    }

    /// A serializer writing data version `file_version` to `writer`: the same as
    /// [`Serializer::new`], in savefile 0.20's form (which names the writer type of
    /// `Self` but does not use it: `Serializer::<Vec<u8>>::new_raw(&mut out, 0)`).
    pub fn new_raw(writer: &mut impl Write, file_version: u32) -> Serializer<'_, impl Write> {
        Serializer::new(writer, file_version)
    }
}

impl<'a, R: Read> Deserializer<'a, R> {
    /// Reads a whole file saved with schema from `reader`: [`crate::load`].
    ///
    /// The associated-function form savefile 0.20 has beside the free function.
    pub fn load<T: WithSchema + Deserialize>(
        reader: &mut R,
        version: u32,
    ) -> Result<T, SavefileError> {
        crate::load(reader, version)
    }

    /// Reads a whole file saved without schema from `reader`: [`crate::load_noschema`].
    pub fn load_noschema<T: WithSchema + Deserialize>(
        reader: &mut R,
        version: u32,
    ) -> Result<T, SavefileError> {
        crate::load_noschema(reader, version)
    }

    /// Reads a value written by [`Serializer::bare_serialize`] (no header, no schema)
    /// as data version `file_version`, with the default [`crate::LoadOptions`].
    pub fn bare_deserialize<T: Deserialize>(
        reader: &mut R,
        file_version: u32,
    ) -> Result<T, SavefileError> {
        T::deserialize(&mut Deserializer::from_reader(reader, file_version))
    }
}

/// The four traits a type needs to be saved and loaded with schema, as one bound:
/// `fn store<T: Savefile>(..)`. Every type with all four has it.
///
/// Not the derive macro of the same name (`#[derive(Savefile)]`, from the prelude),
/// which lives in the macro namespace.
pub trait Savefile: WithSchema + Serialize + Deserialize + Packed {}

impl<T: WithSchema + Serialize + Deserialize + Packed> Savefile for T {}

/// The answer of a type that does not override [`Packed::repr_c_optimization_safe`]:
/// not packed ([`IsPacked::no`]).
impl Default for IsPacked {
    fn default() -> IsPacked {
        IsPacked::no()
    }
}

/// Reads a `Vec<T>` (a u64 count, then the elements), as `Vec<T>`'s own
/// [`Deserialize`] does: for hand-written impls of slice-like containers, such as a
/// `Box<[T]>` of one's own, whose saved form is a vector's.
pub fn deserialize_slice_as_vec<R: Read, T: Deserialize + Packed>(
    deserializer: &mut Deserializer<'_, R>,
) -> Result<Vec<T>, SavefileError> {
    Vec::<T>::deserialize(deserializer)
}

/// The memory layout of `Vec<T>` for a [`crate::Schema::Vector`] node: always
/// [`VecOrStringLayout::Unknown`] here.
///
/// savefile 0.20 measures the layout at run time and records it; this crate does not
/// record memory layouts of vectors and strings (docs/compatibility.md), and no
/// loader compares them. A hand-written schema that uses this describes a vector as
/// this crate's own `Vec` schema does.
pub fn calculate_vec_memory_layout<T>() -> VecOrStringLayout {
    VecOrStringLayout::Unknown
}

/// The memory layout of `&[T]`: always [`VecOrStringLayout::Unknown`], as for
/// [`calculate_vec_memory_layout`].
pub const fn calculate_slice_memory_layout<T>() -> VecOrStringLayout {
    VecOrStringLayout::Unknown
}
