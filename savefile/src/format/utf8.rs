//! The UTF-8 check of loaded strings, with a fast path for ASCII text.
//!
//! Saved strings are mostly short and mostly ASCII (names, keys, paths, dates).
//! For them `std::str::from_utf8` spends more time getting ready than checking;
//! testing the bytes for ASCII a word at a time answers in a few instructions, and
//! text that is not all ASCII goes to `from_utf8` for the full check.

#![allow(unsafe_code)]

use std::str::Utf8Error;

use super::scan::no_byte_has;

const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// `bytes` as text, or the reason they are not valid UTF-8.
#[inline(always)]
pub(crate) fn to_str(bytes: &[u8]) -> Result<&str, Utf8Error> {
    checked(bytes, is_ascii(bytes))
}

/// The last `len` bytes of `window` as text, or the reason they are not valid UTF-8.
///
/// The bytes in front of the text (a string's length prefix) let a text of up to
/// eight bytes be tested with a single word: the word that ends where the text ends,
/// with the bytes that are not the text's masked off. `len` must not exceed
/// `window.len()`.
#[inline(always)]
pub(crate) fn tail_to_str(window: &[u8], len: usize) -> Result<&str, Utf8Error> {
    let text = &window[window.len() - len..];
    let ascii = match window.last_chunk::<8>() {
        Some(last) if len <= 8 => {
            // Byte `i` of the word is bits 8i..8i+8; the text is its top `len` bytes.
            let text_bits = u64::MAX.checked_shl(8 * (8 - len) as u32).unwrap_or(0);
            u64::from_le_bytes(*last) & text_bits & HIGH_BITS == 0
        }
        _ => is_ascii(text),
    };
    checked(text, ascii)
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

/// True if every byte is below 0x80.
#[inline(always)]
fn is_ascii(bytes: &[u8]) -> bool {
    no_byte_has(bytes, 0x80)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_found_at_every_length_and_position() {
        let text = b"The quick brown fox jumps over the lazy dog, 0123456789.";
        for len in 0..text.len() {
            let bytes = &text[..len];
            assert!(is_ascii(bytes), "{len}");
            assert_eq!(to_str(bytes).unwrap().as_bytes(), bytes);
            // Behind an eight-byte prefix with its high bits set, as a length may have.
            let mut window = vec![0xff; 8];
            window.extend_from_slice(bytes);
            assert_eq!(tail_to_str(&window, len).unwrap().as_bytes(), bytes);
            for at in 0..len {
                let mut high = bytes.to_vec();
                high[at] |= 0x80;
                assert!(!is_ascii(&high), "len {len}, high bit at {at}");
                // A lone byte at or above 0x80 is never valid UTF-8 between ASCII bytes.
                assert!(to_str(&high).is_err(), "len {len}, at {at}");
                let mut window = vec![0; 8];
                window.extend_from_slice(&high);
                assert!(tail_to_str(&window, len).is_err(), "len {len}, at {at}");
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
            assert_eq!(to_str(text.as_bytes()), Ok(text));
            let window = [&[0x80; 8][..], text.as_bytes()].concat();
            assert_eq!(tail_to_str(&window, text.len()), Ok(text));
        }
        for bad in [
            &b"\xff"[..],
            b"abc\xc3",
            b"\xed\xa0\x80 surrogate",
            b"overlong \xc0\xaf",
        ] {
            assert!(to_str(bad).is_err(), "{bad:?}");
        }
    }
}
