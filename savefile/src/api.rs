//! The entry points: save and load, to and from streams, memory and files, with or without schema.
//!
//! Every save writes the 16-byte header. The schema follows it unless a
//! `*_noschema` function is used, and `load` must be paired with `save` (and
//! `load_noschema` with `save_noschema`): the file does not say whether it carries
//! a schema. Compression is detected from the header by every load function.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use crate::format::{
    compress_into, decompressing_reader, Deserializer, Header, Serializer, HEADER_LEN,
};
use crate::schema::{find_difference, read_schema, write_schema, Schema, WithSchemaContext};
use crate::{Deserialize, SavefileError, SchemaMismatch, Serialize, WithSchema};

/// Writes `data`, saved as data version `version`, with its schema, to `writer`.
pub fn save<T: WithSchema + Serialize + ?Sized>(
    writer: &mut impl Write,
    version: u32,
    data: &T,
) -> Result<(), SavefileError> {
    write_file(writer, version, data, true)
}

/// Writes `data` without a schema: smaller, but a mismatch between the file and
/// the program's types is no longer detected. Load it with [`load_noschema`].
pub fn save_noschema<T: WithSchema + Serialize + ?Sized>(
    writer: &mut impl Write,
    version: u32,
    data: &T,
) -> Result<(), SavefileError> {
    write_file(writer, version, data, false)
}

/// Writes `data` with its schema, bzip2-compressed after the header.
///
/// Any `load` function reads the result. Needs the `compression` feature; without
/// it this returns [`SavefileError::CompressionSupportNotCompiledIn`].
pub fn save_compressed<T: WithSchema + Serialize + ?Sized>(
    writer: &mut impl Write,
    version: u32,
    data: &T,
) -> Result<(), SavefileError> {
    let mut body = Vec::new();
    write_body(&mut body, version, data, true)?;
    let mut serializer = Serializer::new(writer, version);
    serializer.write_bytes(&Header::current(version, true).to_bytes())?;
    compress_into(serializer.writer, &body)
}

/// Saves `data` with its schema into a new byte vector.
///
/// The vector is allocated once, at its final size: a first pass measures the
/// output (for packed vectors and arrays that costs nothing per element), the
/// second writes it.
pub fn save_to_mem<T: WithSchema + Serialize + ?Sized>(
    version: u32,
    data: &T,
) -> Result<Vec<u8>, SavefileError> {
    let mut counter = ByteCounter(0);
    save(&mut counter, version, data)?;
    let mut out = Vec::with_capacity(counter.0);
    save(&mut out, version, data)?;
    Ok(out)
}

/// A writer that only counts the bytes written to it.
struct ByteCounter(usize);

impl Write for ByteCounter {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 = self.0.saturating_add(buf.len());
        Ok(buf.len())
    }

    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.0 = self.0.saturating_add(buf.len());
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Saves `data` with its schema into the file at `path`, replacing it.
pub fn save_file<T: WithSchema + Serialize + ?Sized>(
    path: impl AsRef<Path>,
    version: u32,
    data: &T,
) -> Result<(), SavefileError> {
    write_to_path(path.as_ref(), |w| save(w, version, data))
}

/// Saves `data` without a schema into the file at `path`, replacing it.
pub fn save_file_noschema<T: WithSchema + Serialize + ?Sized>(
    path: impl AsRef<Path>,
    version: u32,
    data: &T,
) -> Result<(), SavefileError> {
    write_to_path(path.as_ref(), |w| save_noschema(w, version, data))
}

/// Saves `data` with its schema, compressed, into the file at `path`, replacing it.
pub fn save_file_compressed<T: WithSchema + Serialize + ?Sized>(
    path: impl AsRef<Path>,
    version: u32,
    data: &T,
) -> Result<(), SavefileError> {
    write_to_path(path.as_ref(), |w| save_compressed(w, version, data))
}

/// Reads a value saved with [`save`] from `reader`.
///
/// `version` is the program's current data version: files of that version or
/// older load (the type adapts to the file's version); newer files are refused
/// with [`SavefileError::WrongVersion`]. The stored schema must match `T`'s schema
/// as of the file's version, else [`SavefileError::IncompatibleSchema`] says where.
pub fn load<T: WithSchema + Deserialize>(
    reader: &mut impl Read,
    version: u32,
) -> Result<T, SavefileError> {
    read_file(&[], reader, None, version, true)
}

/// Reads a value saved with [`save_noschema`] from `reader`.
pub fn load_noschema<T: WithSchema + Deserialize>(
    reader: &mut impl Read,
    version: u32,
) -> Result<T, SavefileError> {
    read_file(&[], reader, None, version, false)
}

/// Reads a value saved with [`save`] from bytes in memory.
///
/// The fastest way to load: values are read straight out of the slice, and
/// every length in the input is checked against the bytes that remain.
pub fn load_from_mem<T: WithSchema + Deserialize>(
    input: &[u8],
    version: u32,
) -> Result<T, SavefileError> {
    read_file(input, std::io::empty(), Some(0), version, true)
}

/// Reads a value saved with [`save_noschema`] from bytes in memory.
pub fn load_from_mem_noschema<T: WithSchema + Deserialize>(
    input: &[u8],
    version: u32,
) -> Result<T, SavefileError> {
    read_file(input, std::io::empty(), Some(0), version, false)
}

/// Reads a value saved with [`save_file`] (or [`save`]) from the file at `path`.
///
/// The file is read into memory whole and decoded from there, like [`load_from_mem`].
pub fn load_file<T: WithSchema + Deserialize>(
    path: impl AsRef<Path>,
    version: u32,
) -> Result<T, SavefileError> {
    let bytes = std::fs::read(path)?;
    load_from_mem(&bytes, version)
}

/// Reads a value saved with [`save_file_noschema`] from the file at `path`.
pub fn load_file_noschema<T: WithSchema + Deserialize>(
    path: impl AsRef<Path>,
    version: u32,
) -> Result<T, SavefileError> {
    let bytes = std::fs::read(path)?;
    load_from_mem_noschema(&bytes, version)
}

/// The schema of `T` as of data version `version`.
pub fn get_schema<T: WithSchema + ?Sized>(version: u32) -> Schema {
    T::schema(version, &mut WithSchemaContext::new())
}

fn write_file<T: WithSchema + Serialize + ?Sized>(
    writer: &mut impl Write,
    version: u32,
    data: &T,
    with_schema: bool,
) -> Result<(), SavefileError> {
    writer.write_all(&Header::current(version, false).to_bytes())?;
    write_body(writer, version, data, with_schema)
}

/// Writes what follows the header: the schema (if asked for), then the data.
fn write_body<T: WithSchema + Serialize + ?Sized>(
    writer: &mut impl Write,
    version: u32,
    data: &T,
    with_schema: bool,
) -> Result<(), SavefileError> {
    let mut serializer = Serializer::new(writer, version);
    if with_schema {
        write_schema(&mut serializer, &get_schema::<T>(version))?;
    }
    data.serialize(&mut serializer)
}

fn write_to_path(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), SavefileError>,
) -> Result<(), SavefileError> {
    let mut writer = BufWriter::new(File::create(path)?);
    write(&mut writer)?;
    writer
        .into_inner()
        .map_err(|e| e.into_error())?
        .sync_all()?;
    Ok(())
}

/// Reads a whole file: header, then (decompressing if needed) schema and data.
///
/// `input` holds the bytes already in memory and `reader` the rest;
/// `reader_left` is how many bytes `reader` holds, when known.
fn read_file<T: WithSchema + Deserialize>(
    input: &[u8],
    reader: impl Read,
    reader_left: Option<u64>,
    version: u32,
    with_schema: bool,
) -> Result<T, SavefileError> {
    let mut deserializer = Deserializer::with_parts(input, reader, reader_left, 0, 0);
    let mut header = [0u8; HEADER_LEN];
    let got = deserializer.read_available(&mut header)?;
    let header = Header::parse(&header[..got], version)?;
    deserializer.file_version = header.data_version;
    deserializer.format_version = header.format_version;
    if header.compressed {
        let (rest, reader) = deserializer.into_parts();
        let decompressed = decompressing_reader(rest.chain(reader))?;
        let mut deserializer = Deserializer::with_parts(
            &[],
            decompressed,
            None,
            header.data_version,
            header.format_version,
        );
        read_body(&mut deserializer, with_schema)
    } else {
        read_body(&mut deserializer, with_schema)
    }
}

fn read_body<T: WithSchema + Deserialize>(
    deserializer: &mut Deserializer<impl Read>,
    with_schema: bool,
) -> Result<T, SavefileError> {
    if with_schema {
        let in_file = read_schema(deserializer)?;
        let in_program = get_schema::<T>(deserializer.file_version);
        if let Some((path, difference)) = find_difference(&in_program, &in_file) {
            return Err(SavefileError::IncompatibleSchema {
                mismatch: Box::new(SchemaMismatch { path, difference }),
            });
        }
    }
    T::deserialize(deserializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_to_mem_allocates_exactly_once() {
        let value = (
            vec![1.5f64; 1000],
            "text".to_string(),
            vec![vec![1u8, 2], vec![]],
        );
        let bytes = save_to_mem(0, &value).unwrap();
        assert_eq!(bytes.capacity(), bytes.len());
        let mut streamed = Vec::new();
        save(&mut streamed, 0, &value).unwrap();
        assert_eq!(bytes, streamed);
    }

    #[test]
    #[cfg(not(feature = "compression"))]
    fn without_the_feature_compression_is_a_clear_error() {
        assert!(matches!(
            save_compressed(&mut Vec::new(), 0, &1u8),
            Err(SavefileError::CompressionSupportNotCompiledIn)
        ));
        let mut file = save_to_mem(0, &1u8).unwrap();
        file[15] = 1;
        for result in [load_from_mem::<u8>(&file, 0), load::<u8>(&mut &file[..], 0)] {
            assert!(matches!(
                result,
                Err(SavefileError::CompressionSupportNotCompiledIn)
            ));
        }
    }

    #[test]
    #[cfg(feature = "compression")]
    fn compressed_files_are_detected_by_every_load() {
        let mut file = Vec::new();
        save_compressed(&mut file, 2, &(7u32, "text".to_string())).unwrap();
        assert_eq!(file[15], 1);
        let expected = (7u32, "text".to_string());
        assert_eq!(load_from_mem::<(u32, String)>(&file, 2).unwrap(), expected);
        assert_eq!(load::<(u32, String)>(&mut &file[..], 2).unwrap(), expected);
        // A corrupt bzip2 stream is an error, not a panic.
        let last = file.len() - 3;
        file[last] ^= 0xff;
        assert!(load_from_mem::<(u32, String)>(&file, 2).is_err());
    }
}
