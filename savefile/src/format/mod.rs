//! The byte level: the file header, the writer and reader of primitives, the
//! limits of a load (and the memory footprint it charges), and compression.

mod borrow;
mod compression;
mod deserializer;
pub(crate) mod footprint;
mod header;
mod input;
mod limits;
mod scan;
mod serializer;
pub(crate) mod utf8;

pub use borrow::BorrowedDeserializer;
pub use deserializer::Deserializer;
pub use limits::{LoadOptions, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH};
pub use serializer::Serializer;

pub(crate) use compression::{compress_into, Decompressor};
pub use header::Header;
pub(crate) use header::HEADER_LEN;
pub(crate) use scan::leading_bytes_lack;
pub(crate) use serializer::{copy_short, Staged, SHORT_WRITE};

/// The savefile format version this library writes (and the newest it reads).
pub const CURRENT_SAVEFILE_LIB_VERSION: u16 = 2;
