//! The entry points: save and load, to and from streams, memory and files, with or without schema.
//!
//! Every save writes the 16-byte header. The schema follows it unless a
//! `*_noschema` function is used, and `load` must be paired with `save` (and
//! `load_noschema` with `save_noschema`): the file does not say whether it carries
//! a schema. Compression is detected from the header by every load function.
//!
//! Every load has a `*_with` twin that takes [`LoadOptions`]; the plain ones use
//! the defaults. Loads from memory and files must consume their input exactly;
//! saves to files replace the file only once the new one is complete.
//!
//! The generic parameters are those of savefile 0.20, so its turbofish forms compile:
//! the value type comes first, and the file functions name the path's type as a
//! second parameter `P: AsRef<Path>` (`load_file::<World, _>("world.sav", 0)`), while
//! readers and writers are `impl Read` / `impl Write` arguments (`load::<World>(..)`).

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use crate::error::FileOperation;
use crate::format::{
    compress_into, Decompressor, Deserializer, Header, Serializer, Staged, HEADER_LEN,
};
use crate::safe_file::replace_file;
use crate::schema::{
    find_difference, read_schema, write_schema, NodeAllowance, Schema, WithSchemaContext,
};
use crate::{
    Deserialize, DeserializeBorrowed, LoadOptions, SavefileError, SchemaMismatch, Serialize,
    WithSchema,
};

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
/// Any `load` function reads the result. Needs the `compression` feature: without it
/// a call does not compile (the [`CompressionEnabled`] bound is not met).
pub fn save_compressed<T: WithSchema + Serialize + CompressionEnabled + ?Sized>(
    writer: &mut impl Write,
    version: u32,
    data: &T,
) -> Result<(), SavefileError> {
    write_compressed(writer, version, data)
}

/// [`save_compressed`] for any build: without the `compression` feature it fails
/// with [`SavefileError::CompressionSupportNotCompiledIn`]. For savefile 0.20's
/// `Serializer::save`, whose compression is a run-time flag.
pub(crate) fn write_compressed<T: WithSchema + Serialize + ?Sized>(
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

/// Met by every type when savefile is built with its `compression` feature, and by
/// none without it: the bound of [`save_compressed`] and [`save_file_compressed`],
/// so that asking for compression in a build that has none is a compile-time error
/// that says so, not an error when the program runs.
#[cfg_attr(
    not(feature = "compression"),
    doc = "\n\nThis build has no `compression` feature, so a call does not compile:\n\n\
           ```compile_fail\nlet mut out = Vec::new();\n\
           savefile::save_compressed(&mut out, 0, &1u32).unwrap();\n```"
)]
#[diagnostic::on_unimplemented(
    message = "saving a compressed file needs savefile's `compression` feature",
    label = "savefile was built without the `compression` feature",
    note = "enable it in Cargo.toml: savefile = {{ version = \"...\", features = [\"compression\"] }}"
)]
pub trait CompressionEnabled {}

#[cfg(feature = "compression")]
impl<T: ?Sized> CompressionEnabled for T {}

/// Saves `data` with its schema into a new byte vector.
///
/// The vector is allocated once, at its final size: a first pass measures the
/// output (for packed vectors and arrays that costs nothing per element), the
/// second writes it.
pub fn save_to_mem<T: WithSchema + Serialize + ?Sized>(
    version: u32,
    data: &T,
) -> Result<Vec<u8>, SavefileError> {
    // Counting needs no staging buffer: it would only copy bytes that are not kept.
    let mut counter = ByteCounter(HEADER_LEN);
    write_body_unstaged(&mut counter, version, data, true)?;
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
///
/// Crash-safe: the data is written to a temporary file in the same directory,
/// synced to disk and then renamed over `path`, so `path` holds the old file or
/// the new one, complete, even if the program or the machine stops mid-save. On
/// an error the old file is left as it was and the temporary file is removed. A
/// symbolic link at `path` is followed; on unix the new file keeps the old one's
/// permissions.
pub fn save_file<T: WithSchema + Serialize + ?Sized, P: AsRef<Path>>(
    path: P,
    version: u32,
    data: &T,
) -> Result<(), SavefileError> {
    replace_file(path.as_ref(), |w| save(w, version, data))
}

/// Saves `data` without a schema into the file at `path`, replacing it as
/// [`save_file`] does.
pub fn save_file_noschema<T: WithSchema + Serialize + ?Sized, P: AsRef<Path>>(
    path: P,
    version: u32,
    data: &T,
) -> Result<(), SavefileError> {
    replace_file(path.as_ref(), |w| save_noschema(w, version, data))
}

/// Saves `data` with its schema, compressed, into the file at `path`, replacing
/// it as [`save_file`] does. Needs the `compression` feature, as [`save_compressed`]
/// does.
pub fn save_file_compressed<
    T: WithSchema + Serialize + CompressionEnabled + ?Sized,
    P: AsRef<Path>,
>(
    path: P,
    version: u32,
    data: &T,
) -> Result<(), SavefileError> {
    replace_file(path.as_ref(), |w| save_compressed(w, version, data))
}

/// Reads a value saved with [`save`] from `reader`, with the default [`LoadOptions`].
///
/// `version` is the program's current data version: files of that version or
/// older load (the type adapts to the file's version); newer files are refused
/// with [`SavefileError::WrongVersion`]. The stored schema must match `T`'s schema
/// as of the file's version, else [`SavefileError::IncompatibleSchema`] says where.
///
/// The reader is read in blocks, with the same fast paths as a load from memory,
/// but never past the end of the value: it is left right after it, so several
/// values saved one after the other can be loaded one after the other, from any
/// `Read`. The blocks are as large as the value is known to still be (the fewest
/// bytes the elements left in the collections being read take): in typical data
/// many kilobytes, while in data that gives little to go by (a deep chain of
/// boxes, say) a plain unbuffered reader such as a `File` gets a read call per
/// field; wrap such a reader in a `BufReader`, or use [`load_file`]. A compressed
/// file is the exception: bzip2 data does not say where it ends, so it is read
/// through a buffer that may take bytes beyond it, as savefile 0.20 does.
pub fn load<T: WithSchema + Deserialize>(
    reader: &mut impl Read,
    version: u32,
) -> Result<T, SavefileError> {
    load_with(reader, version, &LoadOptions::default())
}

/// [`load`] with the limits of `options`.
pub fn load_with<T: WithSchema + Deserialize>(
    reader: &mut impl Read,
    version: u32,
    options: &LoadOptions,
) -> Result<T, SavefileError> {
    read_stream(reader, version, true, options)
}

/// Reads a value saved with [`save_noschema`] from `reader`; see [`load`].
pub fn load_noschema<T: WithSchema + Deserialize>(
    reader: &mut impl Read,
    version: u32,
) -> Result<T, SavefileError> {
    load_noschema_with(reader, version, &LoadOptions::default())
}

/// [`load_noschema`] with the limits of `options`.
pub fn load_noschema_with<T: WithSchema + Deserialize>(
    reader: &mut impl Read,
    version: u32,
    options: &LoadOptions,
) -> Result<T, SavefileError> {
    read_stream(reader, version, false, options)
}

/// Reads a value saved with [`save`] from bytes in memory, with the default
/// [`LoadOptions`].
///
/// The fastest way to load: values are read straight out of the slice, and
/// every length in the input is checked against the bytes that remain. The
/// input must hold the file and nothing else: bytes after the value are
/// [`SavefileError::TrailingBytes`].
pub fn load_from_mem<T: WithSchema + Deserialize>(
    input: &[u8],
    version: u32,
) -> Result<T, SavefileError> {
    load_from_mem_with(input, version, &LoadOptions::default())
}

/// [`load_from_mem`] with the limits of `options`.
pub fn load_from_mem_with<T: WithSchema + Deserialize>(
    input: &[u8],
    version: u32,
    options: &LoadOptions,
) -> Result<T, SavefileError> {
    read_memory(input, version, true, options)
}

/// Reads a value saved with [`save_noschema`] from bytes in memory; see
/// [`load_from_mem`].
pub fn load_from_mem_noschema<T: WithSchema + Deserialize>(
    input: &[u8],
    version: u32,
) -> Result<T, SavefileError> {
    load_from_mem_noschema_with(input, version, &LoadOptions::default())
}

/// [`load_from_mem_noschema`] with the limits of `options`.
pub fn load_from_mem_noschema_with<T: WithSchema + Deserialize>(
    input: &[u8],
    version: u32,
    options: &LoadOptions,
) -> Result<T, SavefileError> {
    read_memory(input, version, false, options)
}

/// Reads a value saved with [`save`] from bytes in memory, borrowing from them: the
/// `&str`, `&[u8]` and `Cow` fields of `T` point into `input` instead of being
/// copied (see [`DeserializeBorrowed`]).
///
/// Everything else is as [`load_from_mem`]: the header, the schema check (a borrowed
/// type has the schema of its owned twin, so either loads the other's files), the
/// limits of the default [`LoadOptions`], and `TrailingBytes` after the value. A
/// compressed file is refused with [`SavefileError::CompressedBorrow`]: its values
/// are not in its bytes.
///
/// ```
/// use savefile::prelude::*;
///
/// // Saved owned (a derived type with `&'a str` fields works the same, docs/borrowed.md).
/// let bytes = save_to_mem(0, &("example.org".to_string(), 200u16)).unwrap();
/// let (host, status): (&str, u16) = savefile::load_from_mem_borrowed(&bytes, 0).unwrap();
/// assert_eq!((host, status), ("example.org", 200));
/// // The text was not copied: it lies in `bytes`.
/// assert!(bytes.as_ptr_range().contains(&host.as_ptr()));
/// ```
pub fn load_from_mem_borrowed<'de, T: DeserializeBorrowed<'de>>(
    input: &'de [u8],
    version: u32,
) -> Result<T, SavefileError> {
    load_from_mem_borrowed_with(input, version, &LoadOptions::default())
}

/// [`load_from_mem_borrowed`] with the limits of `options`.
pub fn load_from_mem_borrowed_with<'de, T: DeserializeBorrowed<'de>>(
    input: &'de [u8],
    version: u32,
    options: &LoadOptions,
) -> Result<T, SavefileError> {
    read_memory_borrowed(input, version, true, options)
}

/// Reads a value saved with [`save_noschema`] from bytes in memory, borrowing from
/// them; see [`load_from_mem_borrowed`].
pub fn load_from_mem_noschema_borrowed<'de, T: DeserializeBorrowed<'de>>(
    input: &'de [u8],
    version: u32,
) -> Result<T, SavefileError> {
    load_from_mem_noschema_borrowed_with(input, version, &LoadOptions::default())
}

/// [`load_from_mem_noschema_borrowed`] with the limits of `options`.
pub fn load_from_mem_noschema_borrowed_with<'de, T: DeserializeBorrowed<'de>>(
    input: &'de [u8],
    version: u32,
    options: &LoadOptions,
) -> Result<T, SavefileError> {
    read_memory_borrowed(input, version, false, options)
}

/// Reads a value saved with [`save_file`] (or [`save`]) from the file at `path`,
/// with the default [`LoadOptions`].
///
/// The file must hold the value and nothing else (bytes after it are
/// [`SavefileError::TrailingBytes`]). It is read in blocks and decoded as it
/// arrives, at the speed of a load from memory, without holding the file's bytes in
/// memory; a packed vector is read straight into its allocation. A file larger than
/// [`LoadOptions::max_bytes`] is refused before it is read.
pub fn load_file<T: WithSchema + Deserialize, P: AsRef<Path>>(
    path: P,
    version: u32,
) -> Result<T, SavefileError> {
    load_file_with(path, version, &LoadOptions::default())
}

/// [`load_file`] with the limits of `options`.
pub fn load_file_with<T: WithSchema + Deserialize, P: AsRef<Path>>(
    path: P,
    version: u32,
    options: &LoadOptions,
) -> Result<T, SavefileError> {
    read_file(path.as_ref(), version, true, options)
}

/// Reads a value saved with [`save_file_noschema`] from the file at `path`; see
/// [`load_file`].
pub fn load_file_noschema<T: WithSchema + Deserialize, P: AsRef<Path>>(
    path: P,
    version: u32,
) -> Result<T, SavefileError> {
    load_file_noschema_with(path, version, &LoadOptions::default())
}

/// [`load_file_noschema`] with the limits of `options`.
pub fn load_file_noschema_with<T: WithSchema + Deserialize, P: AsRef<Path>>(
    path: P,
    version: u32,
    options: &LoadOptions,
) -> Result<T, SavefileError> {
    read_file(path.as_ref(), version, false, options)
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
    Staged::write_through(writer, |staged| {
        staged.write_all(&Header::current(version, false).to_bytes())?;
        write_body_unstaged(staged, version, data, with_schema)
    })
}

/// Writes what follows the header: the schema (if asked for), then the data.
fn write_body<T: WithSchema + Serialize + ?Sized>(
    writer: &mut impl Write,
    version: u32,
    data: &T,
    with_schema: bool,
) -> Result<(), SavefileError> {
    Staged::write_through(writer, |staged| {
        write_body_unstaged(staged, version, data, with_schema)
    })
}

/// [`write_body`] without the staging buffer: for the staging buffer itself, and for
/// writers that do nothing with the bytes.
fn write_body_unstaged<T: WithSchema + Serialize + ?Sized>(
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

/// Reads a whole file from the file at `path`: it must end where the value ends.
///
/// The file is read as a stream of known length (through the deserializer's buffer,
/// large reads straight into their destination), not into memory first: a load needs
/// no memory for the file's bytes, and a packed vector is read in one pass. Since the
/// file holds nothing else, it is read ahead by whole buffers. A compressed file's
/// compressed bytes are read into memory and decompressed from there.
fn read_file<T: WithSchema + Deserialize>(
    path: &Path,
    version: u32,
    with_schema: bool,
    options: &LoadOptions,
) -> Result<T, SavefileError> {
    let opened = File::open(path).and_then(|file| Ok((file.metadata()?.len(), file)));
    let (len, file) =
        opened.map_err(|e| SavefileError::from(e).in_file(FileOperation::OpenForLoading, path))?;
    if len > options.max_bytes {
        return Err(SavefileError::MemoryLimitExceeded {
            limit: options.max_bytes,
            requested: len,
        });
    }
    let read = || {
        let mut deserializer = Deserializer::with_parts(&[], file, Some(len), 0, 0)
            .with_options(options)
            .reading_ahead();
        let header = read_header(&mut deserializer, version)?;
        if header.compressed {
            // Within `max_bytes`, checked above.
            let mut rest = deserializer.input().to_vec();
            let (_, file) = deserializer.into_reader();
            file.take(len).read_to_end(&mut rest)?;
            return read_compressed_whole(&rest, header, with_schema, options);
        }
        let value = read_body(&mut deserializer, with_schema)?;
        ends_here(value, &deserializer)
    };
    read().map_err(|e| e.in_file(FileOperation::Reading, path))
}

/// Reads the header and sets the deserializer up for the file's versions.
pub(crate) fn read_header(
    deserializer: &mut Deserializer<impl Read>,
    version: u32,
) -> Result<Header, SavefileError> {
    let mut header = [0u8; HEADER_LEN];
    let got = deserializer.read_available(&mut header)?;
    let header = Header::parse(&header[..got], version)?;
    deserializer.file_version = header.data_version;
    deserializer.format_version = header.format_version;
    Ok(header)
}

/// Reads a whole file from memory: it must end where the value ends.
fn read_memory<T: WithSchema + Deserialize>(
    input: &[u8],
    version: u32,
    with_schema: bool,
    options: &LoadOptions,
) -> Result<T, SavefileError> {
    let mut deserializer =
        Deserializer::with_parts(input, std::io::empty(), Some(0), 0, 0).with_options(options);
    let header = read_header(&mut deserializer, version)?;
    if header.compressed {
        // Nothing was read from a stream: the header came from memory.
        let rest = deserializer.rest_in_memory().unwrap_or_default();
        return read_compressed_whole(rest, header, with_schema, options);
    }
    let value = read_body(&mut deserializer, with_schema)?;
    ends_here(value, &deserializer)
}

/// [`read_memory`] for borrowed loads.
fn read_memory_borrowed<'de, T: DeserializeBorrowed<'de>>(
    input: &'de [u8],
    version: u32,
    with_schema: bool,
    options: &LoadOptions,
) -> Result<T, SavefileError> {
    let mut deserializer =
        Deserializer::with_parts(input, std::io::empty(), Some(0), 0, 0).with_options(options);
    let header = read_header(&mut deserializer, version)?;
    if header.compressed {
        return Err(SavefileError::CompressedBorrow);
    }
    if with_schema {
        check_schema::<T>(&mut deserializer)?;
    }
    let value = T::deserialize_borrowed(&mut deserializer)?;
    ends_here(value, &deserializer)
}

/// Reads a whole file's value from `compressed`, the bytes after its header, which
/// must end where the bzip2 stream does.
fn read_compressed_whole<T: WithSchema + Deserialize>(
    compressed: &[u8],
    header: Header,
    with_schema: bool,
    options: &LoadOptions,
) -> Result<T, SavefileError> {
    let mut decompressor = Decompressor::new(compressed, options.max_bytes)?;
    let value = read_compressed(&mut decompressor, header, with_schema, options)?;
    match decompressor.source().len() {
        0 => Ok(value),
        count => Err(SavefileError::TrailingBytes {
            count: count as u64,
        }),
    }
}

/// `value`, read from `deserializer`, if its input of known length ends with it.
fn ends_here<T>(value: T, deserializer: &Deserializer<impl Read>) -> Result<T, SavefileError> {
    match deserializer.remaining_hint() {
        Some(0) | None => Ok(value),
        Some(count) => Err(SavefileError::TrailingBytes { count }),
    }
}

/// Reads a whole file from a stream, leaving the stream after the value.
fn read_stream<T: WithSchema + Deserialize>(
    reader: &mut impl Read,
    version: u32,
    with_schema: bool,
    options: &LoadOptions,
) -> Result<T, SavefileError> {
    let mut deserializer =
        Deserializer::with_parts(&[], &mut *reader, None, 0, 0).with_options(options);
    let header = read_header(&mut deserializer, version)?;
    if header.compressed {
        drop(deserializer);
        let mut decompressor = Decompressor::new(BufReader::new(reader), options.max_bytes)?;
        return read_compressed(&mut decompressor, header, with_schema, options);
    }
    read_body(&mut deserializer, with_schema)
}

/// Reads schema and data from decompressed bytes, which must end with the value.
fn read_compressed<T: WithSchema + Deserialize>(
    decompressor: &mut Decompressor<impl BufRead>,
    header: Header,
    with_schema: bool,
    options: &LoadOptions,
) -> Result<T, SavefileError> {
    // The decompressed data holds the value and nothing else: it may be read ahead.
    let mut deserializer = Deserializer::with_parts(
        &[],
        &mut *decompressor,
        None,
        header.data_version,
        header.format_version,
    )
    .with_options(options)
    .reading_ahead();
    let value = read_body(&mut deserializer, with_schema).and_then(|value| {
        // The deserializer reads no further than the value, so what remains is after it.
        let (unread, rest) = deserializer.into_reader();
        match unread as u64 + std::io::copy(rest, &mut std::io::sink())? {
            0 => Ok(value),
            count => Err(SavefileError::TrailingBytes { count }),
        }
    });
    if decompressor.exceeded() {
        // Whatever error reading past the limit caused, the limit is the cause.
        return Err(SavefileError::DecompressionLimitExceeded {
            limit: options.max_bytes,
        });
    }
    value
}

fn read_body<T: WithSchema + Deserialize>(
    deserializer: &mut Deserializer<impl Read>,
    with_schema: bool,
) -> Result<T, SavefileError> {
    if with_schema {
        check_schema::<T>(deserializer)?;
    }
    T::deserialize(deserializer)
}

/// Reads the file's schema and compares it with `T`'s as of the file's version: every
/// load with a schema goes through here (mapped arrays too, see `crate::mapped`).
pub(crate) fn check_schema<T: WithSchema + ?Sized>(
    deserializer: &mut Deserializer<impl Read>,
) -> Result<(), SavefileError> {
    let in_program = get_schema::<T>(deserializer.file_version);
    let nodes = NodeAllowance::matching(in_program.node_count());
    let in_file = read_schema(deserializer, nodes)?;
    match find_difference(&in_program, &in_file) {
        Some((path, difference)) => Err(SavefileError::IncompatibleSchema {
            mismatch: Box::new(SchemaMismatch { path, difference }),
        }),
        None => Ok(()),
    }
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
        // `save_compressed` does not compile here (see the crate docs' compile-fail
        // example); the run-time flag of 0.20's `Serializer::save` is an error.
        assert!(matches!(
            write_compressed(&mut Vec::new(), 0, &1u8),
            Err(SavefileError::CompressionSupportNotCompiledIn)
        ));
        let message = SavefileError::CompressionSupportNotCompiledIn.to_string();
        assert!(message.contains("save or load"), "{message}");
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
