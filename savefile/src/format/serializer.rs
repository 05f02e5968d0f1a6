//! The writer side: primitives to little-endian bytes, and the staging buffer the
//! save functions write them into.

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

/// How many bytes the save functions gather before passing them to the caller's writer.
const STAGE_BYTES: usize = 8 * 1024;

/// Writes of at most this many bytes are copied into the staging buffer inline (and
/// the most that [`copy_short`] copies).
pub(crate) const SHORT_WRITE: usize = 32;

/// A buffer in front of the caller's writer, which the save functions serialize into.
///
/// A save makes one small write per field: a length prefix, a tag, a string of a few
/// bytes. Into a `Vec` each costs a capacity check through two pointers, and each one
/// whose length is not a constant (every string) a call to the C library's `memcpy`;
/// into an unbuffered file or socket each is a system call. Here the capacity is a
/// constant, and a short copy is one or two moves of a fixed width, inline. The bytes
/// reach the writer in large blocks, in order, and blocks of half the buffer or more
/// (packed vectors) go straight through, without a second copy.
pub(crate) struct Staged<'a, W: Write> {
    /// Where the bytes finally go.
    inner: &'a mut W,
    /// The bytes gathered and not yet passed on: `buffer[..len]`.
    buffer: [u8; STAGE_BYTES],
    /// How many bytes `buffer` holds.
    len: usize,
}

impl<'a, W: Write> Staged<'a, W> {
    /// Runs `write` on a staging buffer in front of `inner`, then passes on what it
    /// gathered, also after an error: `inner` receives the same bytes as it would
    /// have without the buffer, in as few writes as the buffer allows.
    pub(crate) fn write_through(
        inner: &'a mut W,
        write: impl FnOnce(&mut Self) -> Result<(), SavefileError>,
    ) -> Result<(), SavefileError> {
        let mut staged = Staged {
            inner,
            buffer: [0; STAGE_BYTES],
            len: 0,
        };
        let written = write(&mut staged);
        let passed_on = staged.pass_on();
        written?;
        Ok(passed_on?)
    }

    /// Writes the gathered bytes to the inner writer and empties the buffer (also if
    /// the write fails: bytes are never passed on twice).
    fn pass_on(&mut self) -> std::io::Result<()> {
        let gathered = &self.buffer[..self.len];
        self.len = 0;
        if gathered.is_empty() {
            return Ok(());
        }
        self.inner.write_all(gathered)
    }

    /// A write too long for the inline copy, or one that does not fit: copied with
    /// `memcpy` when it fits (after passing the buffer on, if need be), else written
    /// straight through.
    #[cold]
    #[inline(never)]
    fn write_long(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if bytes.len() > STAGE_BYTES - self.len {
            self.pass_on()?;
            if bytes.len() >= STAGE_BYTES / 2 {
                return self.inner.write_all(bytes);
            }
        }
        let end = self.len + bytes.len();
        if let Some(dest) = self.buffer.get_mut(self.len..end) {
            dest.copy_from_slice(bytes);
            self.len = end;
        }
        Ok(())
    }
}

impl<W: Write> Write for Staged<'_, W> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    // Always inline: with a constant length (every primitive) this is one compare
    // and one store, which LLVM otherwise sometimes leaves behind a call.
    #[inline(always)]
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let end = self.len + bytes.len();
        if bytes.len() <= SHORT_WRITE {
            if let Some(dest) = self.buffer.get_mut(self.len..end) {
                copy_short(dest, bytes);
                self.len = end;
                return Ok(());
            }
        }
        self.write_long(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.pass_on()?;
        self.inner.flush()
    }
}

/// Copies `src` into `dest`, of the same length (at most [`SHORT_WRITE`]), as two
/// possibly overlapping moves of the widest fixed width that fits, as `memcpy` does
/// inside; inline, the width costs one or two branches on the length, and none
/// when the length is a constant. Generic so that it can also fill uninitialised
/// memory (`MaybeUninit<u8>`, see `packed::copy_bytes`).
#[inline]
pub(crate) fn copy_short<T: Copy>(dest: &mut [T], src: &[T]) {
    /// The first and the last `K` elements.
    #[inline(always)]
    fn ends<const K: usize, T: Copy>(dest: &mut [T], src: &[T]) {
        if let (Some(d), Some(s)) = (dest.first_chunk_mut::<K>(), src.first_chunk::<K>()) {
            *d = *s;
        }
        if let (Some(d), Some(s)) = (dest.last_chunk_mut::<K>(), src.last_chunk::<K>()) {
            *d = *s;
        }
    }
    debug_assert!(src.len() == dest.len() && src.len() <= SHORT_WRITE);
    match src.len() {
        16.. => ends::<16, T>(dest, src),
        8.. => ends::<8, T>(dest, src),
        4.. => ends::<4, T>(dest, src),
        2.. => ends::<2, T>(dest, src),
        1 => ends::<1, T>(dest, src),
        0 => {}
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
    /// Every length of write, short and long, in runs that cross the buffer's end.
    fn mixed_writes() -> Vec<Vec<u8>> {
        let mut writes = Vec::new();
        for round in 0..40u8 {
            for len in 0..=2 * SHORT_WRITE {
                writes.push(
                    (0..len)
                        .map(|i| (i as u8).wrapping_mul(31) ^ round)
                        .collect(),
                );
            }
            if round % 10 == 3 {
                writes.push(vec![round; STAGE_BYTES / 2]);
            }
            if round % 10 == 7 {
                writes.push(vec![round; STAGE_BYTES * 3 + 5]);
            }
        }
        writes
    }

    #[test]
    fn staging_passes_on_every_byte_in_order() {
        let writes = mixed_writes();
        let mut out = Vec::new();
        Staged::write_through(&mut out, |staged| {
            for bytes in &writes {
                staged.write_all(bytes)?;
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(out, writes.concat());
    }

    /// A writer that records the size of each write and fails once it holds `limit` bytes.
    struct Recorder {
        bytes: Vec<u8>,
        writes: Vec<usize>,
        limit: usize,
    }

    impl Write for Recorder {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.bytes.len() >= self.limit {
                return Err(std::io::Error::other("full"));
            }
            self.writes.push(buf.len());
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn staging_writes_in_blocks() {
        let writes = mixed_writes();
        let mut out = Recorder {
            bytes: Vec::new(),
            writes: Vec::new(),
            limit: usize::MAX,
        };
        Staged::write_through(&mut out, |staged| {
            for bytes in &writes {
                staged.write_all(bytes)?;
            }
            staged.flush()?;
            Ok(())
        })
        .unwrap();
        assert_eq!(out.bytes, writes.concat());
        // Only the large blocks and the flush make writes below the buffer's size.
        assert!(out.writes.len() < out.bytes.len() / (STAGE_BYTES / 2) + 5);
    }

    #[test]
    fn staged_bytes_go_out_after_an_error() {
        let mut out = Vec::new();
        let result = Staged::write_through(&mut out, |staged| {
            staged.write_all(b"gathered")?;
            Err(SavefileError::ShortRead)
        });
        assert!(matches!(result, Err(SavefileError::ShortRead)));
        assert_eq!(out, b"gathered");
    }

    #[test]
    fn a_failing_writer_fails_the_save() {
        let mut out = Recorder {
            bytes: Vec::new(),
            writes: Vec::new(),
            limit: 1,
        };
        let result = Staged::write_through(&mut out, |staged| {
            for _ in 0..STAGE_BYTES {
                staged.write_all(b"abc")?;
            }
            Ok(())
        });
        assert!(matches!(result, Err(SavefileError::IOError { .. })));
        // The first block went out; nothing after the failure did.
        assert_eq!(out.writes, [STAGE_BYTES - STAGE_BYTES % 3]);
    }
}
