//! Reading any file saved with its schema without the program's types: its header, its
//! schema, and its data as a tree of [`Value`]s or as calls to a [`Visit`]or.
//!
//! What the `savefile` command-line tool (the `savefile-cli` crate) is built on, and what
//! a save-slot menu needs: [`read_header`] reads the 16 bytes of the header and nothing
//! else; [`load_dynamic_schema`] also the schema; [`load_dynamic`] the whole file;
//! [`visit_dynamic_from_mem`] and its siblings tell the data to a visitor without
//! building a tree (`load_dynamic` is such a visit, by the visitor that builds it).
//!
//! A dynamic load has the guarantees of a typed one (docs/security.md): the
//! same [`LoadOptions`], lengths checked against the input, memory charged before it is
//! allocated, nesting limited, no panic on any input. Files saved without a schema (the
//! `*_noschema` functions) cannot be decoded: nothing in them says what their bytes are.

mod decode;
mod error;
mod plan;
mod tree;
mod value;
mod visit;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

pub use error::{DynamicError, FilePart, VisitError};
pub use value::{Value, ValueRef};
pub use visit::{NumberType, Numbers, SeqKind, Visit};

use crate::format::{Decompressor, Deserializer, Header, HEADER_LEN};
use crate::schema::{read_schema, NodeAllowance};
use crate::{LoadOptions, SavefileError, Schema};
use decode::Decoder;
use error::{data_error, trailing_error};
use plan::{Plan, ROOT};
use tree::TreeBuilder;

/// A whole file, decoded by its own schema: what [`load_dynamic`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Dynamic {
    /// The file's header.
    pub header: Header,
    /// The schema stored in the file.
    pub schema: Schema,
    /// The saved value.
    pub value: Value,
}

/// A file's header and schema, without its data: what [`load_dynamic_schema`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct FileSchema {
    /// The file's header.
    pub header: Header,
    /// The schema stored in the file.
    pub schema: Schema,
    /// How many bytes the schema takes (for a compressed file, decompressed).
    pub schema_len: u64,
}

/// Reads the 16-byte header from `reader`, and nothing more: the format version, the
/// data version and whether the rest is compressed. Any data version is accepted.
pub fn read_header(reader: &mut impl Read) -> Result<Header, SavefileError> {
    let mut bytes = [0u8; HEADER_LEN];
    let mut got = 0;
    while got < HEADER_LEN {
        match reader.read(&mut bytes[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Header::parse(&bytes[..got], u32::MAX)
}

/// [`read_header`] of the file at `path`.
pub fn read_header_file(path: impl AsRef<Path>) -> Result<Header, SavefileError> {
    read_header(&mut File::open(path)?)
}

/// Reads the header and the schema from `reader`, not the data after them (for a
/// compressed file, only as much of the stream as holds the schema is decompressed).
pub fn load_dynamic_schema(
    reader: &mut impl Read,
    options: &LoadOptions,
) -> Result<FileSchema, DynamicError> {
    let header = read_header(reader).map_err(DynamicError::header)?;
    if header.compressed {
        let decompressor = Decompressor::new(BufReader::new(reader), options.max_bytes)
            .map_err(DynamicError::header)?;
        let mut d = body_reader(decompressor, None, header, options);
        let schema = schema_of(&mut d, true)?;
        let schema_len = d.position();
        return Ok(FileSchema {
            header,
            schema,
            schema_len,
        });
    }
    let mut d = body_reader(reader, None, header, options);
    let schema = schema_of(&mut d, false).map_err(|mut e| {
        e.offset = e.offset.map(|at| at + HEADER_LEN as u64);
        e
    })?;
    let schema_len = d.position();
    Ok(FileSchema {
        header,
        schema,
        schema_len,
    })
}

/// Reads a whole file saved with its schema from `reader` and decodes its data by that
/// schema alone, with the default [`LoadOptions`]. The reader is left after the value.
pub fn load_dynamic(reader: &mut impl Read) -> Result<Dynamic, DynamicError> {
    load_dynamic_with(reader, &LoadOptions::default())
}

/// [`load_dynamic`] with the limits of `options`.
pub fn load_dynamic_with(
    reader: &mut impl Read,
    options: &LoadOptions,
) -> Result<Dynamic, DynamicError> {
    build(|tree| load_source(reader, None, options, tree))
}

/// [`load_dynamic`] from a reader that holds `len` bytes, the file and nothing more
/// (bytes after the value are an error). Knowing the length, every count in the file
/// is checked against the bytes that remain before anything is allocated for it.
pub fn load_dynamic_exact(
    reader: impl Read,
    len: u64,
    options: &LoadOptions,
) -> Result<Dynamic, DynamicError> {
    build(|tree| load_source(reader, Some(len), options, tree))
}

/// [`load_dynamic`] of bytes in memory, which must hold the file and nothing more.
///
/// ```
/// use savefile::{load_dynamic_from_mem, save_to_mem, Value};
///
/// let file = save_to_mem(3, &(7u32, vec![1.5f32, 2.5], Some("slot 1".to_string())))?;
/// let dynamic = load_dynamic_from_mem(&file)?;
/// assert_eq!(dynamic.header.data_version, 3);
/// let Value::Struct { fields, .. } = &dynamic.value else { panic!() };
/// assert_eq!(fields[0].1, Value::UInt(7));
/// assert_eq!(fields[1].1, Value::F32s(vec![1.5, 2.5]));
/// # Ok::<(), savefile::SavefileError>(())
/// ```
pub fn load_dynamic_from_mem(bytes: &[u8]) -> Result<Dynamic, DynamicError> {
    load_dynamic_from_mem_with(bytes, &LoadOptions::default())
}

/// [`load_dynamic_from_mem`] with the limits of `options`.
pub fn load_dynamic_from_mem_with(
    bytes: &[u8],
    options: &LoadOptions,
) -> Result<Dynamic, DynamicError> {
    build(|tree| load_memory(bytes, options, tree))
}

/// [`load_dynamic`] of the file at `path`, which must hold the value and nothing more.
pub fn load_dynamic_file(path: impl AsRef<Path>) -> Result<Dynamic, DynamicError> {
    load_dynamic_file_with(path, &LoadOptions::default())
}

/// [`load_dynamic_file`] with the limits of `options`.
pub fn load_dynamic_file_with(
    path: impl AsRef<Path>,
    options: &LoadOptions,
) -> Result<Dynamic, DynamicError> {
    build(|tree| load_file(path.as_ref(), options, tree))
}

/// Reads a whole file saved with its schema from `reader`, as [`load_dynamic_with`]
/// does, and tells its data to `visitor` instead of building a tree; returns the
/// header and the schema. The reader is left after the value.
///
/// The visit has the checks and limits of [`load_dynamic_with`], and the same errors
/// ([`VisitError::Load`]): it is charged to [`LoadOptions::max_bytes`] the memory the
/// tree of the data would take, whatever the visitor keeps, so that both accept and
/// refuse the same files. See [`Visit`] for the calls a visitor is given.
pub fn visit_dynamic<V: Visit>(
    reader: &mut impl Read,
    options: &LoadOptions,
    visitor: &mut V,
) -> Result<FileSchema, VisitError<V::Error>> {
    load_source(reader, None, options, visitor)
}

/// [`visit_dynamic`] from a reader that holds `len` bytes, the file and nothing more,
/// as [`load_dynamic_exact`] reads it.
pub fn visit_dynamic_exact<V: Visit>(
    reader: impl Read,
    len: u64,
    options: &LoadOptions,
    visitor: &mut V,
) -> Result<FileSchema, VisitError<V::Error>> {
    load_source(reader, Some(len), options, visitor)
}

/// [`visit_dynamic`] of bytes in memory, which must hold the file and nothing more, as
/// [`load_dynamic_from_mem_with`] reads them: strings are lent straight from `bytes`.
///
/// ```
/// use savefile::{save_to_mem, visit_dynamic_from_mem, LoadOptions, Visit};
///
/// /// The length of the longest string.
/// struct Longest(usize);
/// impl Visit for Longest {
///     type Error = std::convert::Infallible;
///     fn str(&mut self, text: &str) -> Result<(), Self::Error> {
///         self.0 = self.0.max(text.len());
///         Ok(())
///     }
/// }
///
/// let file = save_to_mem(0, &vec![("a".to_string(), 1u8), ("abc".to_string(), 2)])?;
/// let mut longest = Longest(0);
/// let found = visit_dynamic_from_mem(&file, &LoadOptions::default(), &mut longest).unwrap();
/// assert_eq!(longest.0, 3);
/// assert_eq!(found.header.data_version, 0);
/// # Ok::<(), savefile::SavefileError>(())
/// ```
pub fn visit_dynamic_from_mem<V: Visit>(
    bytes: &[u8],
    options: &LoadOptions,
    visitor: &mut V,
) -> Result<FileSchema, VisitError<V::Error>> {
    load_memory(bytes, options, visitor)
}

/// [`visit_dynamic`] of the file at `path`, which must hold the value and nothing more.
pub fn visit_dynamic_file<V: Visit>(
    path: impl AsRef<Path>,
    options: &LoadOptions,
    visitor: &mut V,
) -> Result<FileSchema, VisitError<V::Error>> {
    load_file(path.as_ref(), options, visitor)
}

/// A load by the visitor that builds the tree.
fn build(
    load: impl FnOnce(&mut TreeBuilder) -> Result<FileSchema, VisitError<std::convert::Infallible>>,
) -> Result<Dynamic, DynamicError> {
    let mut tree = TreeBuilder::default();
    let found = load(&mut tree).map_err(VisitError::into_load)?;
    Ok(Dynamic {
        header: found.header,
        schema: found.schema,
        value: tree.finish(),
    })
}

/// The file at `path`, of the length its metadata gives.
fn load_file<V: Visit>(
    path: &Path,
    options: &LoadOptions,
    visitor: &mut V,
) -> Result<FileSchema, VisitError<V::Error>> {
    let opened = File::open(path).and_then(|file| Ok((file.metadata()?.len(), file)));
    let (len, file) = opened.map_err(|e| DynamicError::header(e.into()))?;
    load_source(file, Some(len), options, visitor)
}

/// The whole file from `reader`, of `len` bytes when that is known.
fn load_source<R: Read, V: Visit>(
    mut reader: R,
    len: Option<u64>,
    options: &LoadOptions,
    visitor: &mut V,
) -> Result<FileSchema, VisitError<V::Error>> {
    if let Some(len) = len {
        if len > options.max_bytes {
            return Err(VisitError::Load(DynamicError::header(
                SavefileError::MemoryLimitExceeded {
                    limit: options.max_bytes,
                    requested: len,
                },
            )));
        }
    }
    let header = read_header(&mut reader).map_err(DynamicError::header)?;
    let body_len = len.map(|len| len.saturating_sub(HEADER_LEN as u64));
    if header.compressed {
        let mut source = BufReader::new(reader);
        let mut decompressor =
            Decompressor::new(&mut source, options.max_bytes).map_err(DynamicError::header)?;
        let mut d = body_reader(&mut decompressor, None, header, options);
        let decoded = decode_all(&mut d, header, true, visitor);
        let unread = d.into_reader().0;
        let exceeded = decompressor.exceeded();
        if exceeded {
            return Err(VisitError::Load(DynamicError::header(
                SavefileError::DecompressionLimitExceeded {
                    limit: options.max_bytes,
                },
            )));
        }
        let found = decoded?;
        // Nothing may follow the value, in the decompressed data or after the stream.
        let mut trailing = unread as u64;
        let mut rest = Vec::new();
        let more = decompressor
            .read_to_end(&mut rest)
            .map_err(|e| DynamicError::header(e.into()))?;
        trailing += more as u64;
        trailing += std::io::copy(&mut source, &mut std::io::sink())
            .map_err(|e| DynamicError::header(e.into()))?;
        if trailing > 0 {
            return Err(VisitError::Load(trailing_error(trailing, None, true)));
        }
        return Ok(found);
    }
    let d = body_reader(reader, body_len, header, options).reading_ahead();
    decode_uncompressed(d, header, visitor)
}

/// A whole file in memory: read straight out of the slice, like `load_from_mem`.
fn load_memory<V: Visit>(
    bytes: &[u8],
    options: &LoadOptions,
    visitor: &mut V,
) -> Result<FileSchema, VisitError<V::Error>> {
    let header = Header::parse(&bytes[..bytes.len().min(HEADER_LEN)], u32::MAX)
        .map_err(DynamicError::header)?;
    if header.compressed {
        return load_source(bytes, Some(bytes.len() as u64), options, visitor);
    }
    // `parse` succeeded, so the header is all there.
    let body = bytes.get(HEADER_LEN..).unwrap_or_default();
    let mut d =
        Deserializer::with_parts(body, std::io::empty(), Some(0), 0, 0).with_options(options);
    set_versions(&mut d, header);
    decode_uncompressed(d, header, visitor)
}

/// Schema and data of an uncompressed file from `d`, which starts after the header and
/// must end with the value.
fn decode_uncompressed<R: Read, V: Visit>(
    mut d: Deserializer<'_, R>,
    header: Header,
    visitor: &mut V,
) -> Result<FileSchema, VisitError<V::Error>> {
    // Offsets of errors count from the start of the file.
    let found = decode_all(&mut d, header, false, visitor).map_err(|e| match e {
        VisitError::Load(mut e) => {
            e.offset = e.offset.map(|at| at + HEADER_LEN as u64);
            VisitError::Load(e)
        }
        visitor => visitor,
    })?;
    match d.remaining_hint() {
        Some(0) | None => Ok(found),
        Some(count) => Err(VisitError::Load(trailing_error(
            count,
            Some(d.position() + HEADER_LEN as u64),
            false,
        ))),
    }
}

/// A deserializer for what follows the header.
fn body_reader<'a, R: Read>(
    reader: R,
    len: Option<u64>,
    header: Header,
    options: &LoadOptions,
) -> Deserializer<'a, R> {
    let mut d = Deserializer::with_parts(&[], reader, len, 0, 0).with_options(options);
    set_versions(&mut d, header);
    d
}

fn set_versions<R: Read>(d: &mut Deserializer<'_, R>, header: Header) {
    d.file_version = header.data_version;
    d.format_version = header.format_version;
}

/// Reads the schema that `d` starts with.
fn schema_of<R: Read>(
    d: &mut Deserializer<'_, R>,
    decompressed: bool,
) -> Result<Schema, DynamicError> {
    read_schema(d, NodeAllowance::unlimited()).map_err(|error| DynamicError {
        error,
        part: FilePart::Schema,
        path: String::new(),
        offset: Some(d.position()),
        decompressed,
    })
}

/// Reads the schema that `d` holds and tells the data after it to `visitor`.
fn decode_all<R: Read, V: Visit>(
    d: &mut Deserializer<'_, R>,
    header: Header,
    decompressed: bool,
    visitor: &mut V,
) -> Result<FileSchema, VisitError<V::Error>> {
    let schema = schema_of(d, decompressed)?;
    let schema_len = d.position();
    let plan = Plan::new(&schema);
    Decoder::new(&plan, visitor)
        .value(d, ROOT)
        .map_err(|stop| data_error(stop, decompressed))?;
    Ok(FileSchema {
        header,
        schema,
        schema_len,
    })
}

#[cfg(test)]
mod tests;
