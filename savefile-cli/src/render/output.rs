//! Where a rendering writes: a large buffer in front of the writer, drained when it is
//! full, and the integer formatting both renderings share (without `core::fmt`, which
//! took a twentieth of a JSON dump's time).

use std::fmt;
use std::io::{self, Write};

/// Bytes collected before they are written out: few calls to the writer, each large.
const DRAIN_AT: usize = 1 << 17;

/// Two decimal digits for every number below 100: `"00"`, `"01"` … `"99"`.
const DIGIT_PAIRS: [u8; 200] = {
    let mut pairs = [0u8; 200];
    let mut n = 0;
    while n < 100 {
        pairs[2 * n] = b'0' + (n / 10) as u8;
        pairs[2 * n + 1] = b'0' + (n % 10) as u8;
        n += 1;
    }
    pairs
};

/// Spaces for indentation, written a slice at a time.
const SPACES: [u8; 64] = [b' '; 64];

/// A writer with a buffer that writes to it never fail; only draining does.
pub(super) struct Output<W: Write> {
    buffer: Vec<u8>,
    inner: W,
}

impl<W: Write> Output<W> {
    pub(super) fn new(inner: W) -> Output<W> {
        Output {
            buffer: Vec::with_capacity(DRAIN_AT + 4096),
            inner,
        }
    }

    #[inline(always)]
    pub(super) fn bytes(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    #[inline(always)]
    pub(super) fn byte(&mut self, byte: u8) {
        self.buffer.push(byte);
    }

    /// Text made by `core::fmt`, for what is rare or has no faster form (floats, Rust
    /// debug strings of the text tree).
    pub(super) fn format(&mut self, args: fmt::Arguments<'_>) {
        // Writing to a vector cannot fail.
        let _ = self.buffer.write_fmt(args);
    }

    /// `count` spaces.
    pub(super) fn spaces(&mut self, mut count: usize) {
        while count > 0 {
            let now = count.min(SPACES.len());
            self.bytes(&SPACES[..now]);
            count -= now;
        }
    }

    /// Writes the buffer out when it is full: called between values.
    #[inline(always)]
    pub(super) fn drain_if_full(&mut self) -> io::Result<()> {
        if self.buffer.len() >= DRAIN_AT {
            return self.drain();
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn drain(&mut self) -> io::Result<()> {
        self.inner.write_all(&self.buffer)?;
        self.buffer.clear();
        Ok(())
    }

    /// Writes out what is left and flushes the writer.
    pub(super) fn finish(mut self) -> io::Result<W> {
        self.drain()?;
        self.inner.flush()?;
        Ok(self.inner)
    }

    /// `n` in decimal.
    #[inline]
    pub(super) fn u64(&mut self, mut n: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        while n >= 100 {
            let pair = (n % 100) as usize * 2;
            n /= 100;
            at -= 2;
            digits[at..at + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
        }
        if n >= 10 {
            let pair = n as usize * 2;
            at -= 2;
            digits[at..at + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
        } else {
            at -= 1;
            digits[at] = b'0' + n as u8;
        }
        self.bytes(&digits[at..]);
    }

    #[inline]
    pub(super) fn i64(&mut self, n: i64) {
        if n < 0 {
            self.byte(b'-');
        }
        self.u64(n.unsigned_abs());
    }

    /// `n` in decimal, through u64 when it fits (128-bit division is slow).
    #[inline]
    pub(super) fn u128(&mut self, n: u128) {
        match u64::try_from(n) {
            Ok(small) => self.u64(small),
            Err(_) => self.format(format_args!("{n}")),
        }
    }

    #[inline]
    pub(super) fn i128(&mut self, n: i128) {
        match i64::try_from(n) {
            Ok(small) => self.i64(small),
            Err(_) => self.format(format_args!("{n}")),
        }
    }

    /// What has been written and not yet drained (for tests).
    #[cfg(test)]
    pub(crate) fn buffered(&self) -> &[u8] {
        &self.buffer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(write: impl FnOnce(&mut Output<Vec<u8>>)) -> String {
        let mut out = Output::new(Vec::new());
        write(&mut out);
        String::from_utf8(out.buffered().to_vec()).unwrap()
    }

    #[test]
    fn integers_read_as_core_fmt_writes_them() {
        let mut unsigned = vec![0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 65535, u64::MAX];
        unsigned.extend((0..64).map(|bit| 1u64 << bit));
        unsigned.extend((0..64).map(|bit| (1u64 << bit) - 1));
        unsigned.extend((1..20).map(|digits| 10u64.pow(digits) - 1));
        for n in unsigned {
            assert_eq!(written(|out| out.u64(n)), n.to_string());
            assert_eq!(written(|out| out.u128(n.into())), n.to_string());
        }
        for n in [0, -1, 1, -10, -99, -100, i64::MIN, i64::MAX, -1234567] {
            assert_eq!(written(|out| out.i64(n)), n.to_string());
        }
        for n in [u128::MAX, u64::MAX as u128 + 1] {
            assert_eq!(written(|out| out.u128(n)), n.to_string());
        }
        for n in [i128::MIN, i128::MAX, i64::MIN as i128 - 1, 5] {
            assert_eq!(written(|out| out.i128(n)), n.to_string());
        }
    }

    #[test]
    fn a_full_buffer_is_drained_between_values() {
        let mut out = Output::new(Vec::new());
        out.bytes(&[b'x'; DRAIN_AT - 1]);
        out.drain_if_full().unwrap();
        assert_eq!(out.buffered().len(), DRAIN_AT - 1);
        out.byte(b'y');
        out.drain_if_full().unwrap();
        assert!(out.buffered().is_empty());
        out.spaces(100);
        let inner = out.finish().unwrap();
        assert_eq!(inner.len(), DRAIN_AT + 100);
    }
}
