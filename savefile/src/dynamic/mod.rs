//! Reading any file saved with its schema without the program's types: its header, its
//! schema, and its data as a tree of [`Value`]s.
//!
//! What the `savefile` command-line tool (the `savefile-cli` crate) is built on, and what
//! a save-slot menu needs: [`read_header`] reads the 16 bytes of the header and nothing
//! else; [`load_dynamic_schema`] also the schema; [`load_dynamic`] the whole file.
//!
//! A dynamic load has the guarantees of a typed one (docs/security.md): the
//! same [`LoadOptions`], lengths checked against the input, memory charged before it is
//! allocated, nesting limited, no panic on any input. Files saved without a schema (the
//! `*_noschema` functions) cannot be decoded: nothing in them says what their bytes are.

mod decode;
mod plan;
mod value;

use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

pub use value::{Value, ValueRef};

use crate::format::{Decompressor, Deserializer, Header, HEADER_LEN};
use crate::schema::{read_schema, NodeAllowance};
use crate::{LoadOptions, SavefileError, Schema};
use decode::{Decoder, Failure};
use plan::{Plan, ROOT};

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

/// Which part of a file a [`DynamicError`] is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FilePart {
    /// The 16-byte header (or opening and reading the file at all).
    Header,
    /// The schema after the header.
    Schema,
    /// The data after the schema.
    Data,
}

/// Why a dynamic load failed, and where.
#[derive(Debug)]
pub struct DynamicError {
    /// What went wrong, as a typed load would say it.
    pub error: SavefileError,
    /// The part of the file it went wrong in.
    pub part: FilePart,
    /// In the data: the path to the value that could not be read, from the root `.`
    /// through field names, variant names and element indices (`./players/3/name`).
    pub path: String,
    /// How many bytes had been read when it went wrong: from the start of the file, or,
    /// for a compressed file, from the start of the decompressed schema and data.
    pub offset: Option<u64>,
    /// Whether `offset` counts decompressed bytes.
    pub decompressed: bool,
}

impl DynamicError {
    fn header(error: SavefileError) -> DynamicError {
        DynamicError {
            error,
            part: FilePart::Header,
            path: String::new(),
            offset: None,
            decompressed: false,
        }
    }

    /// Whether the file may be one saved without a schema, which would explain the error.
    pub fn may_lack_schema(&self) -> bool {
        // Data read as a schema: a tag, count or text no schema has, or bytes left over.
        let malformed = matches!(
            self.error,
            SavefileError::InvalidSchema { .. }
                | SavefileError::InvalidTag { .. }
                | SavefileError::InvalidUtf8 { .. }
                | SavefileError::LengthTooLarge { .. }
                | SavefileError::IntegerOutOfRange { .. }
                | SavefileError::DepthLimitExceeded { .. }
        );
        self.part == FilePart::Schema && malformed
            || matches!(self.error, SavefileError::TrailingBytes { .. }) && self.path == "."
    }
}

impl fmt::Display for DynamicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = |f: &mut fmt::Formatter<'_>| match self.offset {
            Some(offset) if self.decompressed => {
                write!(f, " at byte {offset} of the decompressed data")
            }
            Some(offset) => write!(f, " at byte {offset}"),
            None => Ok(()),
        };
        match self.part {
            FilePart::Header => write!(f, "{}", self.error)?,
            FilePart::Schema => {
                write!(f, "the file's schema cannot be read")?;
                place(f)?;
                write!(f, ": {}", self.error)?;
            }
            FilePart::Data => {
                write!(f, "the value at `{}` cannot be read", self.path)?;
                place(f)?;
                write!(f, ": {}", self.error)?;
            }
        }
        if self.may_lack_schema() {
            write!(
                f,
                " (a file saved without a schema, by a `*_noschema` function, cannot be \
                 decoded without its program's types)"
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for DynamicError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl From<DynamicError> for SavefileError {
    fn from(error: DynamicError) -> SavefileError {
        error.error
    }
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
    load_source(reader, None, options)
}

/// [`load_dynamic`] from a reader that holds `len` bytes, the file and nothing more
/// (bytes after the value are an error). Knowing the length, every count in the file
/// is checked against the bytes that remain before anything is allocated for it.
pub fn load_dynamic_exact(
    reader: impl Read,
    len: u64,
    options: &LoadOptions,
) -> Result<Dynamic, DynamicError> {
    load_source(reader, Some(len), options)
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
    load_memory(bytes, options)
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
    let opened = File::open(path).and_then(|file| Ok((file.metadata()?.len(), file)));
    let (len, file) = opened.map_err(|e| DynamicError::header(e.into()))?;
    load_source(file, Some(len), options)
}

/// The whole file from `reader`, of `len` bytes when that is known.
fn load_source<R: Read>(
    mut reader: R,
    len: Option<u64>,
    options: &LoadOptions,
) -> Result<Dynamic, DynamicError> {
    if let Some(len) = len {
        if len > options.max_bytes {
            return Err(DynamicError::header(SavefileError::MemoryLimitExceeded {
                limit: options.max_bytes,
                requested: len,
            }));
        }
    }
    let header = read_header(&mut reader).map_err(DynamicError::header)?;
    let body_len = len.map(|len| len.saturating_sub(HEADER_LEN as u64));
    if header.compressed {
        let mut source = BufReader::new(reader);
        let mut decompressor =
            Decompressor::new(&mut source, options.max_bytes).map_err(DynamicError::header)?;
        let mut d = body_reader(&mut decompressor, None, header, options);
        let decoded = decode_all(&mut d, header, true);
        let unread = d.into_reader().0;
        let exceeded = decompressor.exceeded();
        if exceeded {
            return Err(DynamicError::header(
                SavefileError::DecompressionLimitExceeded {
                    limit: options.max_bytes,
                },
            ));
        }
        let dynamic = decoded?;
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
            return Err(trailing_error(trailing, None, true));
        }
        return Ok(dynamic);
    }
    let d = body_reader(reader, body_len, header, options).reading_ahead();
    decode_uncompressed(d, header)
}

/// A whole file in memory: read straight out of the slice, like `load_from_mem`.
fn load_memory(bytes: &[u8], options: &LoadOptions) -> Result<Dynamic, DynamicError> {
    let header = Header::parse(&bytes[..bytes.len().min(HEADER_LEN)], u32::MAX)
        .map_err(DynamicError::header)?;
    if header.compressed {
        return load_source(bytes, Some(bytes.len() as u64), options);
    }
    // `parse` succeeded, so the header is all there.
    let body = bytes.get(HEADER_LEN..).unwrap_or_default();
    let mut d =
        Deserializer::with_parts(body, std::io::empty(), Some(0), 0, 0).with_options(options);
    set_versions(&mut d, header);
    decode_uncompressed(d, header)
}

/// Schema and data of an uncompressed file from `d`, which starts after the header and
/// must end with the value.
fn decode_uncompressed<R: Read>(
    mut d: Deserializer<'_, R>,
    header: Header,
) -> Result<Dynamic, DynamicError> {
    // Offsets of errors count from the start of the file.
    let dynamic = decode_all(&mut d, header, false).map_err(|mut e| {
        e.offset = e.offset.map(|at| at + HEADER_LEN as u64);
        e
    })?;
    match d.remaining_hint() {
        Some(0) | None => Ok(dynamic),
        Some(count) => Err(trailing_error(
            count,
            Some(d.position() + HEADER_LEN as u64),
            false,
        )),
    }
}

fn trailing_error(count: u64, offset: Option<u64>, decompressed: bool) -> DynamicError {
    DynamicError {
        error: SavefileError::TrailingBytes { count },
        part: FilePart::Data,
        path: ".".to_string(),
        offset,
        decompressed,
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

/// Reads the schema and the data that `d` holds.
fn decode_all<R: Read>(
    d: &mut Deserializer<'_, R>,
    header: Header,
    decompressed: bool,
) -> Result<Dynamic, DynamicError> {
    let schema = schema_of(d, decompressed)?;
    let plan = Plan::new(&schema);
    let value = Decoder::new(&plan)
        .value(d, ROOT)
        .map_err(|failure| data_error(*failure, decompressed))?;
    Ok(Dynamic {
        header,
        schema,
        value,
    })
}

fn data_error(failure: Failure, decompressed: bool) -> DynamicError {
    let mut path = String::from(".");
    for step in failure.steps.iter().rev() {
        path.push('/');
        path.push_str(step);
    }
    DynamicError {
        error: failure.error,
        part: FilePart::Data,
        path,
        offset: Some(failure.offset),
        decompressed,
    }
}

#[cfg(test)]
mod tests;
