//! bzip2 compression of everything after the header, behind the `compression` feature.

use std::io::{Read, Write};

use crate::SavefileError;

/// Compresses `body` as one bzip2 stream onto `writer`.
#[cfg(feature = "compression")]
pub(crate) fn compress_into(writer: &mut impl Write, body: &[u8]) -> Result<(), SavefileError> {
    let mut encoder = bzip2::write::BzEncoder::new(writer, bzip2::Compression::best());
    encoder.write_all(body)?;
    encoder.finish()?;
    Ok(())
}

/// Without the `compression` feature nothing can be compressed.
#[cfg(not(feature = "compression"))]
pub(crate) fn compress_into(_writer: &mut impl Write, _body: &[u8]) -> Result<(), SavefileError> {
    Err(SavefileError::CompressionSupportNotCompiledIn)
}

/// A reader that decompresses the bzip2 stream read from `source`.
#[cfg(feature = "compression")]
pub(crate) fn decompressing_reader<R: Read>(source: R) -> Result<impl Read, SavefileError> {
    Ok(bzip2::read::BzDecoder::new(source))
}

/// Without the `compression` feature a compressed file cannot be read.
#[cfg(not(feature = "compression"))]
pub(crate) fn decompressing_reader<R: Read>(source: R) -> Result<R, SavefileError> {
    let _ = source;
    Err(SavefileError::CompressionSupportNotCompiledIn)
}
