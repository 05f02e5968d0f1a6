//! bzip2 compression of everything after the header, behind the `compression` feature.

use std::io::{BufRead, Read, Write};

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

/// The decompressed bytes of the one bzip2 stream that `source` starts with, up to
/// a limit.
///
/// The decoder takes from `source` only the bytes of the compressed stream (it is
/// a `BufRead`, so nothing is read ahead and lost), which lets the caller see what
/// follows the stream. Reading beyond the limit is an error, and
/// [`Decompressor::exceeded`] then says so.
// Without the feature `new` always fails, so the struct is never built.
#[cfg_attr(not(feature = "compression"), allow(dead_code))]
pub(crate) struct Decompressor<R> {
    #[cfg(feature = "compression")]
    decoder: bzip2::bufread::BzDecoder<R>,
    #[cfg(not(feature = "compression"))]
    source: R,
    /// How many more decompressed bytes may be read.
    left: u64,
    /// Whether the data went on past the limit.
    exceeded: bool,
}

impl<R: BufRead> Decompressor<R> {
    /// Decompresses `source`, allowing at most `limit` decompressed bytes.
    #[cfg(feature = "compression")]
    pub(crate) fn new(source: R, limit: u64) -> Result<Self, SavefileError> {
        Ok(Decompressor {
            decoder: bzip2::bufread::BzDecoder::new(source),
            left: limit,
            exceeded: false,
        })
    }

    /// Without the `compression` feature a compressed file cannot be read.
    #[cfg(not(feature = "compression"))]
    pub(crate) fn new(source: R, limit: u64) -> Result<Self, SavefileError> {
        let _ = (source, limit);
        Err(SavefileError::CompressionSupportNotCompiledIn)
    }

    /// True once a read found more decompressed data than the limit allows.
    pub(crate) fn exceeded(&self) -> bool {
        self.exceeded
    }

    /// The compressed input that the decoder has not consumed.
    #[cfg(feature = "compression")]
    pub(crate) fn source(&self) -> &R {
        self.decoder.get_ref()
    }

    /// The input (never read: without the feature there is no decoder).
    #[cfg(not(feature = "compression"))]
    pub(crate) fn source(&self) -> &R {
        &self.source
    }

    #[cfg(feature = "compression")]
    fn read_unlimited(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.decoder.read(buf)
    }

    #[cfg(not(feature = "compression"))]
    fn read_unlimited(&mut self, _buf: &mut [u8]) -> std::io::Result<usize> {
        Ok(0)
    }
}

impl<R: BufRead> Read for Decompressor<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            // At the limit: the data must end here.
            let mut probe = [0u8; 1];
            if self.read_unlimited(&mut probe)? == 0 {
                return Ok(0);
            }
            self.exceeded = true;
            return Err(std::io::Error::other(
                "the decompressed data goes on past the limit",
            ));
        }
        let allowed = usize::try_from(self.left).unwrap_or(usize::MAX);
        let len = buf.len().min(allowed);
        let n = self.read_unlimited(&mut buf[..len])?;
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(all(test, feature = "compression"))]
mod tests {
    use super::*;

    fn compressed(body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        compress_into(&mut out, body).unwrap();
        out
    }

    #[test]
    fn reads_exactly_the_stream_and_leaves_what_follows() {
        let mut input = compressed(b"hello");
        input.extend_from_slice(b"tail");
        let mut decompressor = Decompressor::new(&input[..], 100).unwrap();
        let mut out = Vec::new();
        decompressor.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"hello");
        assert_eq!(*decompressor.source(), b"tail");
    }

    #[test]
    fn the_limit_is_enforced() {
        let input = compressed(&[7u8; 1000]);
        let mut out = Vec::new();
        let mut exact = Decompressor::new(&input[..], 1000).unwrap();
        exact.read_to_end(&mut out).unwrap();
        assert_eq!(out.len(), 1000);
        assert!(!exact.exceeded());
        let mut short = Decompressor::new(&input[..], 999).unwrap();
        assert!(short.read_to_end(&mut Vec::new()).is_err());
        assert!(short.exceeded());
    }
}
