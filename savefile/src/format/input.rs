//! The bytes a load reads from: a window of unread bytes that is either the caller's
//! slice (in-memory loads) or a buffer of its own refilled from a stream.
//!
//! Every read of the deserializer looks at one slice, wherever its bytes came from,
//! so loads from memory and from streams run the same decoding code: the bounds
//! check that finds the bytes in memory is the only test on the fast path, and a
//! stream only adds work when the window runs out ([`Input::fill_from`]).
//!
//! The window is a pointer and a length rather than a `&'a [u8]` because its bytes
//! may live in the buffer that `Input` itself owns, which a refill overwrites. So
//! slices of it are only handed out for as long as the `Input` is borrowed, and a
//! refill, which needs it mutably, cannot happen while one is alive.

#![allow(unsafe_code)]

use std::io::{ErrorKind, Read};
use std::marker::PhantomData;

/// How many bytes a stream's buffer holds: reads from the stream are made in blocks
/// of up to this size, and single reads longer than it go straight to their
/// destination instead of through the buffer.
pub(crate) const STREAM_BUFFER: usize = 64 * 1024;

/// The unread bytes of a load, in memory.
pub(crate) struct Input<'a> {
    /// The first unread byte.
    ptr: *const u8,
    /// One past the last unread byte. (An end rather than a length, so that a read
    /// that takes bytes stores one pointer, not two words.)
    end: *const u8,
    /// True while `ptr` points into the caller's slice of lifetime `'a`; false once
    /// it points into `buffer`.
    borrowed: bool,
    /// The buffer a stream is read into: empty until the first refill, then
    /// [`STREAM_BUFFER`] bytes, all initialised, never reallocated.
    buffer: Vec<u8>,
    /// The caller's slice is borrowed for `'a`.
    _input: PhantomData<&'a [u8]>,
}

// Invariant, kept by every method: `ptr .. end` is a range of initialised
// bytes that stay unchanged while `self` is not used mutably. When `borrowed`, the
// range lies in the caller's `&'a [u8]` (which `PhantomData` keeps borrowed for as
// long as `self` lives); otherwise it lies in the heap allocation of `buffer`,
// which only `fill_from` writes to (through `&mut self`, resetting the range after)
// and which never moves, since `buffer` is never grown or shrunk once allocated
// (moving the `Vec` itself does not move its allocation).

impl<'a> Input<'a> {
    /// An input whose unread bytes are `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> Input<'a> {
        Input {
            ptr: bytes.as_ptr(),
            end: bytes.as_ptr_range().end,
            borrowed: true,
            buffer: Vec::new(),
            _input: PhantomData,
        }
    }

    /// The unread bytes.
    #[inline(always)]
    pub(crate) fn bytes(&self) -> &[u8] {
        // SAFETY: by the invariant, `ptr .. end` (`len()` bytes) is initialised
        // memory that stays unchanged while `self` is borrowed, which the returned
        // slice does.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len()) }
    }

    /// The unread bytes, for as long as the caller's slice lives, when they are
    /// still part of it (an in-memory load); `None` once a stream was read.
    #[inline]
    pub(crate) fn borrowed(&self) -> Option<&'a [u8]> {
        // SAFETY: when `borrowed`, the range lies in the caller's `&'a [u8]`, which
        // nothing can change for `'a`.
        self.borrowed
            .then(|| unsafe { std::slice::from_raw_parts(self.ptr, self.len()) })
    }

    /// How many unread bytes there are.
    #[inline(always)]
    pub(crate) fn len(&self) -> usize {
        // Both point into one allocation, `end` not before `ptr`: `sub_ptr`'s
        // contract, spelled with addresses on stable Rust.
        self.end as usize - self.ptr as usize
    }

    /// Marks the first `count` unread bytes as read.
    ///
    /// # Safety
    ///
    /// `count` must be at most [`Input::len`].
    #[inline(always)]
    unsafe fn advance(&mut self, count: usize) {
        debug_assert!(count <= self.len());
        // SAFETY: `count <= len()` (the caller's promise), so the new pointer is within
        // the range (or one past its end), which is part of one allocation.
        self.ptr = unsafe { self.ptr.add(count) };
    }

    /// The next `count` bytes, marked as read, if there are that many.
    #[inline(always)]
    pub(crate) fn take(&mut self, count: usize) -> Option<&[u8]> {
        if count > self.len() {
            return None;
        }
        let start = self.ptr;
        // SAFETY: `count <= len`, checked above.
        unsafe { self.advance(count) };
        // SAFETY: the `count` bytes at `start` were part of the range, which
        // `advance` shortened without changing any byte; the slice borrows `self`,
        // so no refill can overwrite them while it lives.
        Some(unsafe { std::slice::from_raw_parts(start, count) })
    }

    /// The next `count` bytes, marked as read, for as long as the caller's slice
    /// lives: `None` if there are fewer, or if the bytes are no longer the caller's
    /// (a stream was read). What borrowed loads hand out.
    #[inline(always)]
    pub(crate) fn take_borrowed(&mut self, count: usize) -> Option<&'a [u8]> {
        if !self.borrowed || count > self.len() {
            return None;
        }
        let start = self.ptr;
        // SAFETY: `count <= len`, checked above.
        unsafe { self.advance(count) };
        // SAFETY: the range lies in the caller's `&'a [u8]` (`borrowed`), whose bytes
        // nothing can change for `'a`; the `count` bytes at `start` were part of it.
        Some(unsafe { std::slice::from_raw_parts(start, count) })
    }

    /// The string at the start of the unread bytes (a little-endian u64 length, then
    /// the text), marked as read and lent for as long as the caller's slice lives,
    /// when it is there whole and is ASCII (tested a word at a time, see
    /// `super::utf8::leading_to_str`); `None`, nothing read, otherwise (the general
    /// path then decides). The fast path of borrowed strings: no call, no copy.
    #[inline(always)]
    pub(crate) fn take_borrowed_str(&mut self) -> Option<&'a str> {
        let bytes = self.borrowed()?;
        let (len, rest) = bytes.split_first_chunk::<8>()?;
        let len = u64::from_le_bytes(*len);
        if len > rest.len() as u64 {
            return None;
        }
        // At most `rest.len()`, so it fits in usize.
        let text = rest.get(..len as usize)?;
        let text = super::utf8::leading_to_str(text, rest).ok()?;
        // SAFETY: the length and the text were found in the unread bytes above.
        unsafe { self.advance(8 + text.len()) };
        Some(text)
    }

    /// The next `N` bytes, marked as read, if there are that many.
    #[inline(always)]
    pub(crate) fn take_array<const N: usize>(&mut self) -> Option<[u8; N]> {
        let bytes = *self.bytes().first_chunk::<N>()?;
        // SAFETY: the range has at least `N` bytes: `first_chunk` found them.
        unsafe { self.advance(N) };
        Some(bytes)
    }

    /// Marks `count` bytes, which the caller found in [`Input::bytes`], as read (no
    /// more than there are).
    #[inline(always)]
    pub(crate) fn skip(&mut self, count: usize) {
        let count = count.min(self.len());
        // SAFETY: `count <= len`, just made so.
        unsafe { self.advance(count) };
    }

    /// Reads from `reader` until at least `want` bytes are unread, taking at most
    /// `limit` unread bytes in all. Stops early, with fewer than `want`, when the
    /// reader is at its end or fails; what was read before an error stays unread
    /// input (so [`Input::len`] tells how much arrived either way).
    ///
    /// `want` and `limit` must be at most [`STREAM_BUFFER`], `want <= limit`. The
    /// unread bytes are moved to the start of the buffer first, so the bytes taken
    /// by previous reads are gone: that is why no slice of them may be alive, which
    /// `&mut self` guarantees.
    pub(crate) fn fill_from(
        &mut self,
        reader: &mut impl Read,
        want: usize,
        limit: usize,
    ) -> std::io::Result<()> {
        debug_assert!(want <= limit && limit <= STREAM_BUFFER);
        let limit = limit.min(STREAM_BUFFER);
        if self.buffer.is_empty() {
            self.buffer = vec![0; STREAM_BUFFER];
        }
        let kept = self.len();
        if self.borrowed {
            // SAFETY: the range lies in the caller's slice, not in `buffer`, and is
            // initialised; `kept < want <= STREAM_BUFFER`, the buffer's length.
            let unread = unsafe { std::slice::from_raw_parts(self.ptr, kept) };
            self.buffer[..kept].copy_from_slice(unread);
            self.borrowed = false;
        } else {
            // The range lies in `buffer`: its offset there is the distance from the start.
            let offset = self.ptr as usize - self.buffer.as_ptr() as usize;
            self.buffer.copy_within(offset..offset + kept, 0);
        }
        let mut filled = kept;
        let mut outcome = Ok(());
        while filled < want {
            match reader.read(&mut self.buffer[filled..limit]) {
                Ok(0) => break,
                // A reader that claims more than it was given is broken; count no more.
                Ok(n) => filled += n.min(limit - filled),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => {
                    outcome = Err(e);
                    break;
                }
            }
        }
        // The unread bytes are now the first `filled` of the buffer, all initialised
        // (the buffer was zeroed when made), which restores the invariant.
        self.ptr = self.buffer.as_ptr();
        // SAFETY: `filled <= limit <= STREAM_BUFFER`, the buffer's length.
        self.end = unsafe { self.ptr.add(filled) };
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gives out its bytes a few at a time, with an interruption before each.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
        interrupt: bool,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            self.interrupt = !self.interrupt;
            if self.interrupt {
                return Err(ErrorKind::Interrupted.into());
            }
            let n = out.len().min(self.step).min(self.bytes.len());
            out[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    #[test]
    fn takes_from_the_borrowed_bytes_then_from_the_reader() {
        let memory = [1u8, 2, 3];
        let mut input = Input::new(&memory);
        assert_eq!(input.take(1), Some(&[1u8][..]));
        assert_eq!(input.borrowed(), Some(&[2u8, 3][..]));
        let stream: Vec<u8> = (10..40).collect();
        let mut reader = Trickle {
            bytes: &stream,
            step: 4,
            interrupt: false,
        };
        // Wants 7 (2 kept + 5 read), may take up to 12: reads of 4 stop once 7 are
        // there, at 10.
        input.fill_from(&mut reader, 7, 12).unwrap();
        assert_eq!(input.borrowed(), None);
        assert_eq!(input.bytes(), &[2, 3, 10, 11, 12, 13, 14, 15, 16, 17]);
        assert_eq!(input.take_array::<3>(), Some([2, 3, 10]));
        // The limit caps what is taken, whatever the reader could give.
        reader.step = 100;
        input.fill_from(&mut reader, 8, 9).unwrap();
        assert_eq!(input.bytes(), &[11, 12, 13, 14, 15, 16, 17, 18, 19]);
        assert_eq!(input.take(10), None);
        input.skip(9);
        // At the end of the reader, fewer bytes than wanted, and no error.
        input.fill_from(&mut reader, 100, 100).unwrap();
        assert_eq!(input.len(), 20);
        input.fill_from(&mut reader, 100, 100).unwrap();
        assert_eq!(input.bytes(), &stream[10..]);
    }

    #[test]
    fn a_reader_error_keeps_what_was_read() {
        struct Failing(bool);
        impl Read for Failing {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                if std::mem::replace(&mut self.0, true) {
                    return Err(std::io::Error::other("gone"));
                }
                out[0] = 9;
                Ok(1)
            }
        }
        let mut input = Input::new(&[]);
        let error = input.fill_from(&mut Failing(false), 4, 4).unwrap_err();
        assert_eq!(error.to_string(), "gone");
        assert_eq!(input.bytes(), &[9]);
    }
}
