//! Scanning short byte strings a word at a time.
//!
//! Loaded strings and bool vectors are mostly a few to a few dozen bytes long. For
//! them, a loop over bytes costs a branch per byte and a vectorised loop costs more
//! in setting up than it saves; a handful of overlapping unaligned word loads covers
//! every byte with one test.

/// True if no byte of `bytes` has any of the bits of `bits` set.
///
/// Words are read unaligned and may overlap (the last word ends at the last byte),
/// so every byte is looked at at least once and none outside the slice.
#[inline(always)]
pub(crate) fn no_byte_has(bytes: &[u8], bits: u8) -> bool {
    let words = u64::from_ne_bytes([bits; 8]);
    let len = bytes.len();
    if (8..=32).contains(&len) {
        // Four words, two from each end, overlapping as much as needed: the second
        // ends at or after the start of the third since `2 * step + 16 >= len`.
        // (A word out of range, which cannot happen, would count as a hit.)
        let word = |at: usize| {
            bytes
                .get(at..)
                .and_then(|rest| rest.first_chunk::<8>())
                .map_or(words, |word| u64::from_ne_bytes(*word))
        };
        let step = ((len - 8) / 2).min(8);
        let seen = word(0) | word(step) | word(len - 8 - step) | word(len - 8);
        seen & words == 0
    } else if len > 32 {
        let mut seen = 0u64;
        for word in bytes.chunks_exact(8) {
            if let Some(word) = word.first_chunk::<8>() {
                seen |= u64::from_ne_bytes(*word);
            }
        }
        if let Some(last) = bytes.last_chunk::<8>() {
            seen |= u64::from_ne_bytes(*last);
        }
        seen & words == 0
    } else if len >= 4 {
        let (Some(first), Some(last)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) else {
            return false;
        };
        (u32::from_ne_bytes(*first) | u32::from_ne_bytes(*last)) & u32::from_ne_bytes([bits; 4])
            == 0
    } else {
        bytes.iter().fold(0u8, |seen, byte| seen | byte) & bits == 0
    }
}

/// True if no byte of `bytes` has any of the bits of `bits` set, where `ahead` is the
/// input from the start of `bytes` on (so at least as long).
///
/// Up to 32 bytes with 32 bytes of input ahead are tested with two 128-bit loads and
/// two masks from a table, without a branch on the length (near the end of the input,
/// one load for up to 16 bytes; otherwise [`no_byte_has`]). Strings and bool vectors
/// come in lengths that vary from one to the next, so a branch on the length would
/// be mispredicted often, at the cost of a dozen or more instructions each time.
#[inline(always)]
pub(crate) fn leading_bytes_lack(bytes: &[u8], ahead: &[u8], bits: u8) -> bool {
    let len = bytes.len();
    match (ahead.first_chunk::<32>(), ahead.first_chunk::<16>()) {
        (Some(window), _) if len <= 32 => window_lacks(window, len, bits),
        (None, Some(low)) if len <= 16 => {
            u128::from_le_bytes(*low) & LEADING_MASKS[len][0] & u128::from_ne_bytes([bits; 16]) == 0
        }
        _ => no_byte_has(bytes, bits),
    }
}

/// True if none of the first `len` bytes (at most 32) of `window` has any of the
/// bits of `bits` set: two 128-bit loads and two masks, no branch on the length.
#[inline(always)]
pub(crate) fn window_lacks(window: &[u8; 32], len: usize, bits: u8) -> bool {
    let (low, high) = window.split_at(16);
    let (Some(low), Some(high)) = (low.first_chunk::<16>(), high.first_chunk::<16>()) else {
        return false;
    };
    // Byte `i` of a word is bits 8i..8i+8; the bytes tested are the low `len` bytes of
    // the two words together, which the table's masks keep.
    let [low_mask, high_mask] = LEADING_MASKS[len.min(32)];
    let seen = (u128::from_le_bytes(*low) & low_mask) | (u128::from_le_bytes(*high) & high_mask);
    seen & u128::from_ne_bytes([bits; 16]) == 0
}

/// For each length up to 32, the masks that keep that many leading bytes of two
/// consecutive little-endian 128-bit words.
const LEADING_MASKS: [[u128; 2]; 33] = {
    let mut masks = [[0; 2]; 33];
    let mut len = 1;
    while len <= 32 {
        let low = if len >= 16 { 16 } else { len };
        masks[len] = [low_bytes(low), low_bytes(len - low)];
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_is_seen_at_every_length() {
        for bits in [0x80, 0xfe, 0x01] {
            for len in 0..80 {
                let clean = vec![0u8; len];
                assert!(no_byte_has(&clean, bits), "len {len}");
                for at in 0..len {
                    let mut hit = clean.clone();
                    hit[at] = bits;
                    assert!(
                        !no_byte_has(&hit, bits),
                        "bits {bits:#x}, len {len}, at {at}"
                    );
                    // Bits outside the mask are not hits.
                    hit[at] = !bits;
                    assert!(
                        no_byte_has(&hit, bits),
                        "bits {bits:#x}, len {len}, at {at}"
                    );
                }
            }
        }
    }
}
