//! The UTF-8 check of loaded strings, with a fast path for ASCII text.
//!
//! Saved strings are mostly short and mostly ASCII (names, keys, paths, dates).
//! For them `std::str::from_utf8` spends more time getting ready than checking;
//! testing the bytes for ASCII a word at a time answers in a few instructions, and
//! text that is not all ASCII goes to `from_utf8` for the full check.

#![allow(unsafe_code)]

use std::str::Utf8Error;

use crate::packed::{allocate, copy_bytes, copy_from_window, loaded_capacity};

use super::scan::{leading_bytes_lack, window_lacks};

/// `text` as text, or the reason it is not valid UTF-8, where `ahead` is the input
/// from the start of `text` on (so at least as long).
///
/// Short texts are tested without a branch on their length (see
/// [`leading_bytes_lack`]): the lengths of consecutive strings vary too much for
/// such a branch to be predicted.
#[inline(always)]
pub(crate) fn leading_to_str<'a>(text: &'a [u8], ahead: &[u8]) -> Result<&'a str, Utf8Error> {
    checked(text, leading_bytes_lack(text, ahead, 0x80))
}

/// The capacity a loaded string of `len` bytes gets: `len`, but at least 16 unless
/// empty (see [`MIN_LOADED_BYTES`](crate::packed::MIN_LOADED_BYTES)).
#[inline(always)]
pub(crate) fn capacity_for(len: usize) -> usize {
    loaded_capacity(len, 1)
}

/// A string at the start of the input that is ASCII, at most 32 bytes long and
/// followed by enough input that 32 bytes can be loaded from its start: what
/// [`short_ascii`] finds.
pub(crate) struct ShortAscii<'a> {
    /// The 32 bytes of input from the text's first byte on.
    window: &'a [u8; 32],
    /// The text's length (at most 32): the first `len` bytes of `window` are the text.
    len: usize,
}

/// The string that `input` starts with (a little-endian u64 byte length, then the
/// bytes) and the input after it, when the text is ASCII, at most 32 bytes long and
/// followed by enough input that 32 bytes can be loaded from its start; `None`
/// otherwise, for the general path to decide.
///
/// The fast path of most loaded strings: one test for the input's length, one for
/// the text's, and the ASCII test of [`window_lacks`].
#[inline(always)]
pub(crate) fn short_ascii(input: &[u8]) -> Option<(ShortAscii<'_>, &[u8])> {
    let (len, after) = input.split_first_chunk::<8>()?;
    let window = after.first_chunk::<32>()?;
    let len = u64::from_le_bytes(*len);
    if len > 32 {
        return None;
    }
    // At most 32, so it fits any usize.
    let len = len as usize;
    if !window_lacks(window, len, 0x80) {
        return None;
    }
    let rest = after.get(len..)?;
    Some((ShortAscii { window, len }, rest))
}

impl ShortAscii<'_> {
    /// The capacity the owned string gets ([`capacity_for`]).
    #[inline(always)]
    pub(crate) fn capacity(&self) -> usize {
        capacity_for(self.len)
    }

    /// The text as an owned string with [`Self::capacity`], copied by
    /// [`copy_from_window`] (one or two 16-byte moves, no branch on the length up to
    /// 16 bytes).
    #[inline(always)]
    pub(crate) fn owned(&self) -> String {
        let (len, capacity) = (self.len, self.capacity());
        let Some(memory) = allocate::<u8>(capacity) else {
            return String::new();
        };
        // SAFETY: `len` is at most 32 (`short_ascii`), and `memory` is a fresh
        // allocation of `capacity` bytes, at least `len` and at least 16 (`len` is not
        // zero, or nothing would have been allocated).
        unsafe { copy_from_window(self.window, memory, len) };
        // SAFETY: `memory` was allocated by the global allocator for `capacity`
        // bytes, the capacity given here, and `len <= capacity`. Its first `len`
        // bytes are the first `len` bytes of `window`, the text, which `short_ascii`
        // found all ASCII, so valid UTF-8. (Bytes beyond `len` are spare capacity.)
        unsafe { String::from_raw_parts(memory, len, capacity) }
    }
}

/// An owned copy of `text`, with the capacity [`capacity_for`] gives it: what
/// `String::from` makes (but for the capacity of short texts), without its
/// out-of-line allocation path and, for short texts, without a call to `memcpy`
/// (see [`copy_bytes`]).
#[inline(always)]
pub(crate) fn owned(text: &str) -> String {
    let (len, capacity) = (text.len(), capacity_for(text.len()));
    let Some(memory) = allocate::<u8>(capacity) else {
        return String::new();
    };
    // SAFETY: `memory` is a fresh allocation of `capacity >= len` bytes, so valid for
    // writes of `len` bytes and not overlapping `text`.
    unsafe { copy_bytes(text.as_ptr(), memory, len) };
    // SAFETY: `memory` was allocated by the global allocator for `capacity` bytes,
    // the capacity given here, and `len <= capacity`; its first `len` bytes are a copy
    // of `text`, valid UTF-8. (Bytes beyond `len` are spare capacity.)
    unsafe { String::from_raw_parts(memory, len, capacity) }
}

/// `bytes` as text, when `ascii` says whether they are all ASCII.
#[inline(always)]
fn checked(bytes: &[u8], ascii: bool) -> Result<&str, Utf8Error> {
    if ascii {
        debug_assert!(bytes.is_ascii());
        // SAFETY: the callers computed `ascii` as "every byte is below 0x80". Each such
        // byte is a one-byte UTF-8 sequence (a code point below U+0080), so the whole
        // slice is valid UTF-8, which is all `from_utf8_unchecked` requires.
        Ok(unsafe { std::str::from_utf8_unchecked(bytes) })
    } else {
        std::str::from_utf8(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::scan::no_byte_has;

    #[test]
    fn ascii_is_found_at_every_length_and_position() {
        let text = b"The quick brown fox jumps over the lazy dog, 0123456789.";
        for len in 0..text.len() {
            let bytes = &text[..len];
            assert!(no_byte_has(bytes, 0x80), "{len}");
            assert_eq!(leading_to_str(bytes, bytes).unwrap().as_bytes(), bytes);
            // Followed by bytes with their high bits set, as the input after a
            // string may have.
            let mut ahead = bytes.to_vec();
            ahead.extend_from_slice(&[0xff; 32]);
            for end in len..ahead.len() {
                assert_eq!(
                    leading_to_str(bytes, &ahead[..end]).unwrap().as_bytes(),
                    bytes
                );
            }
            assert_eq!(leading_to_str(bytes, bytes).unwrap().as_bytes(), bytes);
            for at in 0..len {
                let mut high = bytes.to_vec();
                high[at] |= 0x80;
                assert!(!no_byte_has(&high, 0x80), "len {len}, high bit at {at}");
                // A lone byte at or above 0x80 is never valid UTF-8 between ASCII bytes.
                assert!(leading_to_str(&high, &high).is_err(), "len {len}, at {at}");
                let mut ahead = high.clone();
                ahead.extend_from_slice(&[0; 32]);
                for end in len..ahead.len() {
                    assert!(
                        leading_to_str(&high, &ahead[..end]).is_err(),
                        "len {len}, at {at}"
                    );
                }
                assert!(leading_to_str(&high, &high).is_err(), "len {len}, at {at}");
            }
        }
    }

    #[test]
    fn other_text_gets_the_full_check() {
        for text in [
            "é",
            "héllo ✓ 𝄞",
            "日本語のテキスト",
            "mixed ascii and ü at the end ü",
        ] {
            assert_eq!(leading_to_str(text.as_bytes(), text.as_bytes()), Ok(text));
            let ahead = [text.as_bytes(), &[0x80; 16][..]].concat();
            assert_eq!(leading_to_str(text.as_bytes(), &ahead), Ok(text));
        }
        for bad in [
            &b"\xff"[..],
            b"abc\xc3",
            b"\xed\xa0\x80 surrogate",
            b"overlong \xc0\xaf",
        ] {
            assert!(leading_to_str(bad, bad).is_err(), "{bad:?}");
        }
    }

    /// A saved string (`len` as a u64, then the text) followed by `tail`.
    fn saved(text: &[u8], tail: &[u8]) -> Vec<u8> {
        [&(text.len() as u64).to_le_bytes()[..], text, tail].concat()
    }

    #[test]
    fn short_ascii_takes_short_text_with_a_full_window_and_nothing_else() {
        let text = b"The quick brown fox jumps over the lazy dog, 0123456789.";
        for len in 0..text.len() {
            let bytes = &text[..len];
            for tail_len in 0..40 {
                // The bytes after the text have their high bits set, as the next
                // value's may: they must not count.
                let input = saved(bytes, &vec![0xff; tail_len]);
                let taken = short_ascii(&input);
                if len <= 32 && input.len() >= 40 {
                    let (got, rest) = taken.expect("short text, full window");
                    assert_eq!(rest.len(), tail_len, "len {len}");
                    assert_eq!(got.capacity(), capacity_for(len));
                    let owned = got.owned();
                    assert_eq!(owned.as_bytes(), bytes, "len {len}, tail {tail_len}");
                    assert_eq!(owned.capacity(), capacity_for(len));
                    assert_ordinary(owned);
                } else {
                    assert!(taken.is_none(), "len {len}, tail {tail_len}");
                }
                for at in 0..len {
                    let mut high = bytes.to_vec();
                    high[at] |= 0x80;
                    let input = saved(&high, &vec![0; tail_len]);
                    assert!(short_ascii(&input).is_none(), "len {len}, at {at}");
                }
            }
        }
        // A length that does not fit the input, or not even a length.
        assert!(short_ascii(&saved(b"", &[0; 40])[..7]).is_none());
        let mut input = saved(b"abc", &[b'x'; 40]);
        input[..8].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(short_ascii(&input).is_none());
    }

    /// A loaded string is an ordinary `String`: it grows, shrinks and drops as one.
    fn assert_ordinary(mut text: String) {
        let before = text.clone();
        for _ in 0..20 {
            text.push('!');
        }
        assert_eq!(text, format!("{before}{}", "!".repeat(20)));
        text.truncate(before.len());
        text.shrink_to_fit();
        assert_eq!(
            (text.as_str(), text.capacity()),
            (before.as_str(), before.len())
        );
    }

    #[test]
    fn owned_copies_every_length_exactly() {
        let source = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for len in 0..=source.len() {
            let text = &source[..len];
            let owned = owned(text);
            assert_eq!(owned, text);
            assert_eq!(owned.len(), len);
            assert_eq!(owned.capacity(), capacity_for(len));
            assert_ordinary(owned);
        }
    }

    #[test]
    fn only_short_texts_get_room_to_spare() {
        assert_eq!(capacity_for(0), 0);
        for len in 1..=16 {
            assert_eq!(capacity_for(len), 16);
        }
        for len in 17..100 {
            assert_eq!(capacity_for(len), len);
        }
    }
}
