//! The one error type of the crate: every way a save or a load can fail, as data.

use std::fmt;
use std::path::{Path, PathBuf};

/// Everything that can go wrong while saving or loading.
///
/// Each variant carries the facts of the failure (the numbers, the path in the
/// schema, the offending value) so that callers can react to it and so that its
/// `Display` reads as a sentence a user can act on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SavefileError {
    /// Reading or writing the underlying stream or file failed.
    #[error("I/O error: {io_error}")]
    IOError {
        /// The error reported by the reader or writer.
        #[from]
        io_error: std::io::Error,
    },

    /// The input ended before the value it describes was complete.
    #[error("the input ended before the saved value was complete (truncated or corrupt file)")]
    ShortRead,

    /// The input does not start with the `savefile\0` magic.
    #[error("the input is not a savefile: it does not start with the `savefile` magic bytes")]
    NotASavefile,

    /// The file was written with a newer, incompatible version of the savefile format.
    #[error(
        "the file uses savefile format version {file_format}, but this library reads versions up to {supported}"
    )]
    IncompatibleSavefileLibraryVersion {
        /// The format version found in the header.
        file_format: u16,
        /// The newest format version this library understands.
        supported: u16,
    },

    /// The file was saved by a newer version of the program than the one loading it.
    #[error(
        "the file was saved with data version {file_version}, but this program only knows versions up to {program_version}"
    )]
    WrongVersion {
        /// The user data version recorded in the file.
        file_version: u32,
        /// The version the program passed to `load`.
        program_version: u32,
    },

    /// The schema stored in the file does not match the program's types.
    #[error("the file does not match the program's data layout {mismatch}")]
    IncompatibleSchema {
        /// Where the schemas part ways and what differs there.
        mismatch: Box<SchemaMismatch>,
    },

    /// A string in the input is not valid UTF-8.
    #[error("a saved string is not valid UTF-8: {source}")]
    InvalidUtf8 {
        /// The UTF-8 validation error.
        #[source]
        source: std::str::Utf8Error,
    },

    /// A saved `char` is not a Unicode scalar value.
    #[error("the saved value {value:#x} is not a valid char")]
    InvalidChar {
        /// The u32 read from the input.
        value: u32,
    },

    /// A saved `bool` is neither 0 nor 1.
    #[error("the saved byte {value} is not a valid bool (expected 0 or 1)")]
    InvalidBool {
        /// The byte read from the input.
        value: u8,
    },

    /// A tag or enum index in the input names no variant of the type being loaded.
    #[error("the saved tag {tag} is not a valid variant of {type_name}")]
    InvalidTag {
        /// The type whose variant tag was read (`Option`, `Result`, a derived enum …).
        type_name: &'static str,
        /// The tag read from the input.
        tag: u64,
    },

    /// A length prefix claims more elements than the rest of the input can hold.
    #[error(
        "a saved length of {length} elements cannot fit in the {remaining} bytes of input that remain"
    )]
    LengthTooLarge {
        /// The element count read from the input.
        length: u64,
        /// How many bytes of input were left when it was read.
        remaining: u64,
    },

    /// A saved number does not fit the type being loaded on this platform.
    #[error("the saved value {value} is out of range for {type_name}")]
    IntegerOutOfRange {
        /// The type being loaded (`usize`, `NonZeroU32`, `SystemTime` …).
        type_name: &'static str,
        /// The value read from the input (boxed to keep the error small).
        value: Box<i128>,
    },

    /// A `Canary1` did not read back its magic value.
    #[error("canary mismatch: expected 0x47566843, found {found:#x}")]
    CanaryMismatch {
        /// The u32 read where the canary should have been.
        found: u32,
    },

    /// The schema in the file is malformed.
    #[error("the file's schema is malformed: invalid {what} {value}")]
    InvalidSchema {
        /// Which part of the schema encoding was invalid (`node tag`, `primitive code` …).
        what: &'static str,
        /// The value found.
        value: u64,
    },

    /// The value (or its schema) needs more memory than the load may allocate.
    #[error(
        "loading needs at least {requested} bytes of memory, more than the limit of {limit} \
         (LoadOptions::max_bytes)"
    )]
    MemoryLimitExceeded {
        /// The limit, [`crate::LoadOptions::max_bytes`].
        limit: u64,
        /// The total the load would have reached, counting the allocation refused.
        requested: u64,
    },

    /// A compressed file expands to more bytes than the load may read.
    #[error(
        "the compressed data expands to more than the limit of {limit} bytes (LoadOptions::max_bytes)"
    )]
    DecompressionLimitExceeded {
        /// The limit, [`crate::LoadOptions::max_bytes`].
        limit: u64,
    },

    /// More bytes follow the end of the saved value: the file was appended to, or
    /// partly overwritten by a longer one.
    #[error("{count} unexpected bytes follow the end of the saved value")]
    TrailingBytes {
        /// How many bytes follow the value (in a compressed file: after the value in
        /// the decompressed data, or after the end of the compressed data).
        count: u64,
    },

    /// Nesting went deeper than the configured limit.
    #[error("the data or its schema nests deeper than the limit of {limit} levels (LoadOptions::max_depth)")]
    DepthLimitExceeded {
        /// The limit that was reached.
        limit: u32,
    },

    /// A compressed file was to be loaded, or saved through savefile 0.20's
    /// `Serializer::save` with compression, but this build has no compression support.
    #[error(
        "this build of savefile has no `compression` feature, which is needed to save or load compressed files"
    )]
    CompressionSupportNotCompiledIn,

    /// The header names a compression method this library does not know.
    #[error("the file's header names unknown compression method {method}")]
    UnknownCompression {
        /// The compression byte from the header.
        method: u8,
    },

    /// Saving a data version in which a field or variant of a derived type did not
    /// exist, or had another type (only the newest layout can be written).
    #[error(
        "cannot save `{item}` as data version {version}: it is not saved in that version's layout"
    )]
    NotInVersion {
        /// The field or variant, as `Type.field` or `Type::Variant`.
        item: &'static str,
        /// The data version being written.
        version: u32,
    },

    /// A `#[savefile_default_val = "..."]` text does not parse as its field's type (a
    /// type the derive cannot check when the crate is compiled: not a primitive
    /// named as one).
    #[error("the #[savefile_default_val] of `{item}` does not parse as the field's type")]
    InvalidDefault {
        /// The field, as `Type.field`.
        item: &'static str,
    },

    /// A `RefCell` being saved is mutably borrowed.
    #[error("a RefCell being saved is mutably borrowed elsewhere")]
    CellBorrowed,

    /// A path being saved is not valid Unicode, so it has no savefile encoding.
    #[error("the path {path:?} is not valid Unicode and cannot be saved")]
    NonUtf8Path {
        /// The path, with invalid sequences replaced.
        path: Box<str>,
    },

    /// A `Mutex` or `RwLock` being saved was poisoned by a panic.
    #[error("a Mutex or RwLock being saved was poisoned by a panic in another thread")]
    PoisonedMutex,

    /// A saved `ArrayVec` or `ArrayString` holds more than the type's capacity
    /// (feature `arrayvec`).
    #[error("{msg}")]
    ArrayvecCapacityError {
        /// What was saved and what the type holds.
        msg: String,
    },

    /// A `chrono::DateTime<Utc>` being saved is outside the range of a 64-bit count of
    /// nanoseconds since 1970, about the years 1677 to 2262 (feature `chrono`).
    #[error("the timestamp cannot be saved: it is outside the years 1677 to 2262, which 64 bits of nanoseconds since 1970 hold")]
    TimestampOutOfRange,

    /// An array cannot be saved as a mapped array, or a file or image cannot be viewed
    /// as one ([`crate::MappedVec`]), for a reason that ordinary loads do not have.
    #[error("not usable as a mapped array: {problem}")]
    Mapped {
        /// What is wrong.
        problem: MappedProblem,
    },

    /// A borrowed load ([`crate::load_from_mem_borrowed`]) was given a compressed
    /// file: its values are not in its bytes, so nothing can be borrowed from them.
    #[error("a compressed file cannot be loaded borrowed: decompress it into memory first, or load it with an owned type")]
    CompressedBorrow,

    /// A borrowed `&[T]` was asked of elements whose memory is not their saved bytes
    /// in the file's version, so they cannot be viewed where they lie.
    #[error("a slice of `{type_name}` cannot be borrowed from the input: its elements are not stored as their memory bytes in this file's version; use `Cow<[T]>` or `Vec<T>`")]
    NotBorrowable {
        /// The element type.
        type_name: &'static str,
    },

    /// An error raised by a hand-written `Serialize` or `Deserialize` implementation.
    #[error("{msg}")]
    GeneralError {
        /// The message of the implementation that failed.
        msg: String,
    },
}

/// Why an array cannot be saved or viewed in place as a mapped array
/// ([`SavefileError::Mapped`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MappedProblem {
    /// The file is compressed: its bytes are not the array's memory bytes.
    Compressed,
    /// The element type is not copied as raw bytes for this data version (it has
    /// padding, a layout not fixed by `#[repr(C)]`, or fields such as `String`).
    NotBulkCopyable {
        /// The element type.
        type_name: &'static str,
        /// The data version asked for.
        version: u32,
    },
    /// The element type takes no bytes: there is nothing to map.
    ZeroSized {
        /// The element type.
        type_name: &'static str,
    },
    /// The element type's alignment is more than a mapped file's data can be aligned
    /// to (4096 bytes, a memory page).
    AlignmentTooLarge {
        /// The element type.
        type_name: &'static str,
        /// Its alignment in bytes.
        alignment: usize,
    },
    /// The product of the dimensions is not the number of elements (or overflows).
    ShapeMismatch {
        /// The dimensions.
        shape: Vec<u64>,
        /// The number of elements.
        len: u64,
    },
    /// The first element does not start at an address aligned for the element type:
    /// an image in a buffer that is not aligned, or a file written with other padding.
    Misaligned {
        /// The first element's offset from the start of the file or image.
        offset: u64,
        /// The alignment the element type needs.
        alignment: usize,
    },
}

impl fmt::Display for MappedProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MappedProblem::Compressed => write!(
                f,
                "the file is compressed; save mapped arrays with save_mapped, uncompressed"
            ),
            MappedProblem::NotBulkCopyable { type_name, version } => write!(
                f,
                "{type_name} is not stored as its memory bytes in data version {version} \
                 (it must be packed: a primitive, or #[repr(C)] with no padding)"
            ),
            MappedProblem::ZeroSized { type_name } => {
                write!(f, "{type_name} takes no bytes, so there is nothing to map")
            }
            MappedProblem::AlignmentTooLarge {
                type_name,
                alignment,
            } => write!(
                f,
                "{type_name} needs {alignment}-byte alignment, more than the 4096 a page gives"
            ),
            MappedProblem::ShapeMismatch { shape, len } => write!(
                f,
                "the shape {shape:?} does not hold exactly the {len} elements saved"
            ),
            MappedProblem::Misaligned { offset, alignment } => write!(
                f,
                "the first element, at offset {offset}, is not at an address aligned to \
                 {alignment} bytes (copy the image into an AlignedBytes)"
            ),
        }
    }
}

/// Where a file's schema parts ways with the program's, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaMismatch {
    /// The place, from the root: struct and enum names, field and variant names,
    /// and `*` for elements, as in `./Player/inventory/*`.
    pub path: String,
    /// What differs there, naming both sides.
    pub difference: SchemaDifference,
}

impl fmt::Display for SchemaMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.difference)
    }
}

impl SavefileError {
    /// A [`SavefileError::GeneralError`] whose message is `something` displayed: for
    /// hand-written `Serialize` and `Deserialize` implementations (savefile 0.20's
    /// constructor).
    pub fn general(something: impl fmt::Display) -> SavefileError {
        SavefileError::GeneralError {
            msg: something.to_string(),
        }
    }

    /// The same error, saying which file operation it happened in when it is an I/O
    /// error: its message then reads "I/O error: opening `save.bin` for loading: …".
    /// The I/O error keeps its kind, and the original error is its source.
    pub(crate) fn in_file(self, operation: FileOperation, path: &Path) -> SavefileError {
        match self {
            SavefileError::IOError { io_error } => SavefileError::IOError {
                io_error: std::io::Error::new(
                    io_error.kind(),
                    FileError {
                        operation,
                        path: path.to_path_buf(),
                        source: io_error,
                    },
                ),
            },
            other => other,
        }
    }

    /// The error for a value out of range of `type_name`.
    pub(crate) fn out_of_range(type_name: &'static str, value: impl Into<i128>) -> SavefileError {
        SavefileError::IntegerOutOfRange {
            type_name,
            value: Box::new(value.into()),
        }
    }
}

/// What was being done to a file when an I/O error happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileOperation {
    /// Opening the file that `load_file*` loads.
    OpenForLoading,
    /// Reading the file that `load_file*` loads.
    Reading,
    /// Creating the temporary file a save writes first, in the target's directory.
    CreatingTemporary,
    /// Writing the new contents (to the temporary file).
    Writing,
    /// Renaming the temporary file over the target.
    Replacing,
}

/// An I/O error with the file operation it happened in: what an `IOError` of a file
/// function holds, so that its message names the file.
#[derive(Debug)]
struct FileError {
    operation: FileOperation,
    path: PathBuf,
    source: std::io::Error,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match self.operation {
            FileOperation::OpenForLoading => write!(f, "opening `{path}` for loading"),
            FileOperation::Reading => write!(f, "reading `{path}`"),
            FileOperation::CreatingTemporary => {
                write!(f, "creating a temporary file beside `{path}` to save it")
            }
            FileOperation::Writing => write!(f, "writing the new contents of `{path}`"),
            FileOperation::Replacing => write!(f, "replacing `{path}` with its new contents"),
        }?;
        write!(f, ": {}", self.source)
    }
}

impl std::error::Error for FileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Invalid UTF-8 where a string was read: [`SavefileError::InvalidUtf8`], so that `?`
/// on `std::str::from_utf8` works in a hand-written `Deserialize`.
impl From<std::str::Utf8Error> for SavefileError {
    fn from(source: std::str::Utf8Error) -> SavefileError {
        SavefileError::InvalidUtf8 { source }
    }
}

/// Invalid UTF-8 from `String::from_utf8`: [`SavefileError::InvalidUtf8`] (the bytes are
/// dropped; the error keeps where the invalid sequence starts).
impl From<std::string::FromUtf8Error> for SavefileError {
    fn from(error: std::string::FromUtf8Error) -> SavefileError {
        SavefileError::InvalidUtf8 {
            source: error.utf8_error(),
        }
    }
}

/// A poisoned lock: [`SavefileError::PoisonedMutex`], so that `?` on `lock()` works in a
/// hand-written `Serialize`.
impl<T> From<std::sync::PoisonError<T>> for SavefileError {
    fn from(_: std::sync::PoisonError<T>) -> SavefileError {
        SavefileError::PoisonedMutex
    }
}

/// What differs between the program's schema and the file's at one place.
///
/// Produced by [`crate::diff_schema`] and carried by [`SavefileError::IncompatibleSchema`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemaDifference {
    /// The two sides are different kinds of thing, or different primitives.
    Kind {
        /// The program's side, in words.
        program: String,
        /// The file's side, in words.
        file: String,
    },
    /// Two structs (or two enum variants) have a different number of fields.
    FieldCount {
        /// Fields in the program's type.
        program: usize,
        /// Fields in the file.
        file: usize,
    },
    /// Two enums have a different number of variants.
    VariantCount {
        /// Variants in the program's type.
        program: usize,
        /// Variants in the file.
        file: usize,
    },
    /// Two enums store their variant index with a different number of bytes.
    DiscriminantSize {
        /// Index bytes in the program's type.
        program: u8,
        /// Index bytes in the file.
        file: u8,
    },
    /// An enum variant has another name.
    VariantName {
        /// The program's variant name.
        program: String,
        /// The file's variant name.
        file: String,
    },
    /// An enum variant has another discriminant.
    VariantDiscriminant {
        /// The program's discriminant.
        program: u8,
        /// The file's discriminant.
        file: u8,
    },
    /// Two fixed-size arrays have a different length.
    ArrayLength {
        /// Length in the program.
        program: usize,
        /// Length in the file.
        file: usize,
    },
    /// Two custom schemas carry different names.
    Custom {
        /// The program's custom name.
        program: String,
        /// The file's custom name.
        file: String,
    },
    /// Two recursion references point a different number of levels up.
    RecursionDepth {
        /// Levels up in the program's schema.
        program: usize,
        /// Levels up in the file's schema.
        file: usize,
    },
    /// The file's schema has far more nodes than the program's (matching schemas
    /// have as many), so it was not decoded to the end.
    NodeCount {
        /// Nodes in the program's schema.
        program: usize,
        /// The file's schema has more nodes than this.
        file_more_than: usize,
    },
}

impl fmt::Display for SchemaDifference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaDifference::Kind { program, file } => {
                write!(f, "the program has {program}, the file has {file}")
            }
            SchemaDifference::FieldCount { program, file } => write!(
                f,
                "the program's type has {program} fields, the file's has {file}"
            ),
            SchemaDifference::VariantCount { program, file } => write!(
                f,
                "the program's enum has {program} variants, the file's has {file}"
            ),
            SchemaDifference::DiscriminantSize { program, file } => write!(
                f,
                "the program's enum stores its variant in {program} bytes, the file's in {file}"
            ),
            SchemaDifference::VariantName { program, file } => write!(
                f,
                "the program's variant is named `{program}`, the file's `{file}`"
            ),
            SchemaDifference::VariantDiscriminant { program, file } => write!(
                f,
                "the program's variant has discriminant {program}, the file's {file}"
            ),
            SchemaDifference::ArrayLength { program, file } => write!(
                f,
                "the program's array has {program} elements, the file's has {file}"
            ),
            SchemaDifference::Custom { program, file } => write!(
                f,
                "the program's custom type is `{program}`, the file's is `{file}`"
            ),
            SchemaDifference::RecursionDepth { program, file } => write!(
                f,
                "the program's recursive reference goes {program} levels up, the file's {file}"
            ),
            SchemaDifference::NodeCount {
                program,
                file_more_than,
            } => write!(
                f,
                "the program's schema has {program} nodes, the file's more than {file_more_than}"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_as_sentences() {
        let e = SavefileError::WrongVersion {
            file_version: 3,
            program_version: 1,
        };
        assert_eq!(
            e.to_string(),
            "the file was saved with data version 3, but this program only knows versions up to 1"
        );
        let e = SavefileError::IncompatibleSchema {
            mismatch: Box::new(SchemaMismatch {
                path: "./Player/inventory/*".into(),
                difference: SchemaDifference::Kind {
                    program: "u32".into(),
                    file: "a string".into(),
                },
            }),
        };
        assert_eq!(
            e.to_string(),
            "the file does not match the program's data layout at `./Player/inventory/*`: \
             the program has u32, the file has a string"
        );
    }

    #[test]
    fn the_error_is_small_enough_to_return_cheaply() {
        // Every read returns Result<T, SavefileError>: a large error slows them all.
        assert!(std::mem::size_of::<SavefileError>() <= 32);
    }

    #[test]
    fn io_errors_keep_their_source() {
        use std::error::Error as _;
        let e: SavefileError = std::io::Error::other("disk on fire").into();
        assert!(e.source().is_some());
        assert!(e.to_string().contains("disk on fire"));
    }
}
