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
