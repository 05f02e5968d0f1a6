//! savefile 0.20's spellings of things this crate's own API says another way.
//!
//! Code written against savefile 0.20 calls these; each one is a thin door into the
//! functions documented elsewhere in the crate, with 0.20's name and parameters. New
//! code has no reason to prefer them.

use std::io::{Read, Write};

use crate::{Deserialize, Deserializer, SavefileError, Serialize, Serializer, WithSchema};

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
            crate::save_compressed(writer, version, data)
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
