//! The UTF-8 check of loaded strings, with a fast path for ASCII text.
//!
//! Saved strings are mostly short and mostly ASCII (names, keys, paths, dates).
//! For them `std::str::from_utf8` spends more time getting ready than checking;
//! testing the bytes for ASCII a word at a time answers in a few instructions, and
//! text that is not all ASCII goes to `from_utf8` for the full check.

#![allow(unsafe_code)]

use std::str::Utf8Error;

use super::scan::no_byte_has;

/// `bytes` as text, or the reason they are not valid UTF-8.
#[inline(always)]
pub(crate) fn to_str(bytes: &[u8]) -> Result<&str, Utf8Error> {
    checked(bytes, is_ascii(bytes))
}

/// The high bit of every byte of a 128-bit word.
const HIGH: u128 = u128::from_ne_bytes([0x80; 16]);

/// For each text length up to 32, the masks that keep the text's bytes of the two
/// little-endian 128-bit words read from its start.
const TEXT_MASKS: [[u128; 2]; 33] = {
    let mut masks = [[0; 2]; 33];
    let mut len = 1;
    while len <= 32 {
        let low = if len >= 16 { 16 } else { len };
        let high = len - low;
        masks[len] = [low_bytes(low), low_bytes(high)];
        len += 1;
    }
    masks
};

/// The low `n` bytes (`n` at most 16) of a little-endian 128-bit word.
const fn low_bytes(n: usize) -> u128 {
    if n == 0 {
        0
    } else {
        u128::MAX >> (128 - 8 * n)
    }
}

/// `text` as text, or the reason it is not valid UTF-8, where `ahead` is the input
/// from the start of `text` on (so at least as long).
///
/// A text of up to 32 bytes with 32 bytes of input ahead is tested with two 128-bit
/// loads and masks, without a branch on its length: the lengths of consecutive
/// strings vary too much for such a branch to be predicted. (Near the end of the
/// input, one load for up to 16 bytes, else the general test.)
#[inline(always)]
pub(crate) fn leading_to_str<'a>(text: &'a [u8], ahead: &[u8]) -> Result<&'a str, Utf8Error> {
    let len = text.len();
    let ascii = match (
        ahead.first_chunk::<16>(),
        ahead.get(16..).and_then(<[u8]>::first_chunk::<16>),
    ) {
        (Some(low), Some(high)) if len <= 32 => {
            // Byte `i` of a word is bits 8i..8i+8; the text is the low `len` bytes of
            // the two words together, which the table's masks keep.
            let [low_mask, high_mask] = TEXT_MASKS[len];
            let seen =
                (u128::from_le_bytes(*low) & low_mask) | (u128::from_le_bytes(*high) & high_mask);
            seen & HIGH == 0
        }
        (Some(low), None) if len <= 16 => {
            u128::from_le_bytes(*low) & TEXT_MASKS[len][0] & HIGH == 0
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
