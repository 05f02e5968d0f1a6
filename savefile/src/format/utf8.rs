//! The UTF-8 check of loaded strings, with a fast path for ASCII text.
//!
//! Saved strings are mostly short and mostly ASCII (names, keys, paths, dates).
//! For them `std::str::from_utf8` spends more time getting ready than checking;
//! testing the bytes for ASCII a word at a time answers in a few instructions, and
//! text that is not all ASCII goes to `from_utf8` for the full check.

#![allow(unsafe_code)]

use std::str::Utf8Error;

use super::scan::{leading_bytes_lack, no_byte_has};

/// `bytes` as text, or the reason they are not valid UTF-8.
#[inline(always)]
pub(crate) fn to_str(bytes: &[u8]) -> Result<&str, Utf8Error> {
    checked(bytes, is_ascii(bytes))
}

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
                assert!(!is_ascii(&high), "len {len}, high bit at {at}");
                // A lone byte at or above 0x80 is never valid UTF-8 between ASCII bytes.
                assert!(to_str(&high).is_err(), "len {len}, at {at}");
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
            assert_eq!(to_str(text.as_bytes()), Ok(text));
            let ahead = [text.as_bytes(), &[0x80; 16][..]].concat();
            assert_eq!(leading_to_str(text.as_bytes(), &ahead), Ok(text));
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
