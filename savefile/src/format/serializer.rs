//! The writer side: primitives to little-endian bytes.

use std::io::Write;

use crate::SavefileError;

/// Writes values in the savefile format to a [`Write`].
///
/// `file_version` is the data version being written; `Serialize` implementations
/// of versioned types consult it.
pub struct Serializer<'a, W: Write> {
    /// The stream the bytes go to.
    pub writer: &'a mut W,
    /// The data version being written.
    pub file_version: u32,
}

macro_rules! write_le {
    ($($(#[$doc:meta])* $name:ident: $ty:ty;)*) => {$(
        $(#[$doc])*
        #[inline]
        pub fn $name(&mut self, value: $ty) -> Result<(), SavefileError> {
            self.write_bytes(&value.to_le_bytes())
        }
    )*};
}

impl<'a, W: Write> Serializer<'a, W> {
    /// A serializer writing data version `file_version` to `writer`.
    ///
    /// Nothing is written: use [`crate::save`] and friends for whole files with a header.
    pub fn new(writer: &'a mut W, file_version: u32) -> Self {
        Serializer {
            writer,
            file_version,
        }
    }

    /// Writes raw bytes with no length prefix.
    #[inline]
    pub fn write_bytes(&mut self, bytes: &[u8]) -> Result<(), SavefileError> {
        self.writer.write_all(bytes)?;
        Ok(())
    }

    /// Writes raw bytes with no length prefix (the same as [`Self::write_bytes`]).
    #[inline]
    pub fn write_buf(&mut self, bytes: &[u8]) -> Result<(), SavefileError> {
        self.write_bytes(bytes)
    }

    /// Writes a bool as one byte, 1 or 0.
    #[inline]
    pub fn write_bool(&mut self, value: bool) -> Result<(), SavefileError> {
        self.write_u8(value as u8)
    }

    /// Writes one byte.
    #[inline]
    pub fn write_u8(&mut self, value: u8) -> Result<(), SavefileError> {
        self.write_bytes(&[value])
    }

    /// Writes one signed byte.
    #[inline]
    pub fn write_i8(&mut self, value: i8) -> Result<(), SavefileError> {
        self.write_u8(value as u8)
    }

    write_le! {
        /// Writes a little-endian u16.
        write_u16: u16;
        /// Writes a little-endian i16.
        write_i16: i16;
        /// Writes a little-endian u32.
        write_u32: u32;
        /// Writes a little-endian i32.
        write_i32: i32;
        /// Writes a little-endian u64.
        write_u64: u64;
        /// Writes a little-endian i64.
        write_i64: i64;
        /// Writes a little-endian u128.
        write_u128: u128;
        /// Writes a little-endian i128.
        write_i128: i128;
        /// Writes an f32 as its IEEE-754 bits, little-endian.
        write_f32: f32;
        /// Writes an f64 as its IEEE-754 bits, little-endian.
        write_f64: f64;
    }

    /// Writes a usize as 8 bytes (u64) on every target.
    #[inline]
    pub fn write_usize(&mut self, value: usize) -> Result<(), SavefileError> {
        self.write_u64(value as u64)
    }

    /// Writes an isize as 8 bytes (i64) on every target.
    #[inline]
    pub fn write_isize(&mut self, value: isize) -> Result<(), SavefileError> {
        self.write_i64(value as i64)
    }

    /// Writes a char as its u32 scalar value.
    #[inline]
    pub fn write_char(&mut self, value: char) -> Result<(), SavefileError> {
        self.write_u32(value as u32)
    }

    /// Writes a string: its byte length as u64, then its UTF-8 bytes.
    #[inline]
    pub fn write_string(&mut self, value: &str) -> Result<(), SavefileError> {
        self.write_usize(value.len())?;
        self.write_bytes(value.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primitives_are_little_endian() {
        let mut out = Vec::new();
        let mut s = Serializer::new(&mut out, 0);
        s.write_u16(0x0102).unwrap();
        s.write_i32(-2).unwrap();
        s.write_bool(true).unwrap();
        s.write_usize(5).unwrap();
        s.write_char('é').unwrap();
        s.write_string("hé").unwrap();
        s.write_f32(1.0).unwrap();
        assert_eq!(
            out,
            [
                2, 1, // u16
                0xfe, 0xff, 0xff, 0xff, // i32 -2
                1,    // bool
                5, 0, 0, 0, 0, 0, 0, 0, // usize as u64
                0xe9, 0, 0, 0, // char
                3, 0, 0, 0, 0, 0, 0, 0, b'h', 0xc3, 0xa9, // string
                0, 0, 0x80, 0x3f, // 1.0f32
            ]
        );
    }
}
