//! What one load may spend, whatever its input claims: nesting depth, memory and
//! decompressed bytes, set by [`LoadOptions`] and accounted for by the deserializer.
//!
//! Memory is watched in two ways. Every allocation whose size comes from the
//! input (the elements of a collection, the bytes of a string, a boxed value) is
//! *charged* before it is made, at what it really takes from the allocator (see
//! `footprint`), and what is charged at one time may not exceed
//! [`LoadOptions::max_bytes`]; memory freed during the load (the buffer a collection
//! grew out of) is given back. And memory reserved *ahead* of the elements that will
//! fill it is *granted* from an allowance that only the input can raise: a fixed
//! slack plus a few bytes per byte of input (all of it when its size is known,
//! what has been read so far for a stream). A length prefix that lies therefore
//! costs at most that allowance, not what it claims.

use crate::SavefileError;

/// The default limit on how deeply data (through recursive types) and schemas may nest.
pub const DEFAULT_MAX_DEPTH: u32 = 512;

/// The default limit on the memory one load may allocate for the value's contents
/// (and on the bytes a compressed file may expand to): 1 GiB.
pub const DEFAULT_MAX_BYTES: u64 = 1 << 30;

/// How many elements of zero-byte types the lengths of one load may claim in all.
///
/// Such elements consume no input, so the input cannot bound their number, and
/// each costs a loop iteration (and, in a linked list, a node); this does.
pub(crate) const MAX_ZERO_SIZED_ELEMENTS: u64 = 1 << 24;

/// Bytes that may be reserved ahead of the data before any input backs them.
const PREALLOCATION_SLACK: u64 = 1 << 20;

/// Bytes that may be reserved ahead of the data per byte of input.
///
/// Four covers the collections of typical saves exactly (a `String` or a `Vec`
/// takes 24 bytes of memory for at least 8 saved bytes), so they are allocated
/// once; rarer, denser ones grow as their elements arrive.
const PREALLOCATION_RATIO: u64 = 4;

/// Limits for one load, passed to the `load_*_with` functions.
///
/// The plain `load*` functions use [`LoadOptions::default()`]: nesting up to
/// [`DEFAULT_MAX_DEPTH`] levels and up to [`DEFAULT_MAX_BYTES`] of memory. Raise
/// them for large trusted files; lower them for input from untrusted sources.
///
/// ```
/// use savefile::{load_from_mem_with, save_to_mem, LoadOptions, SavefileError};
///
/// let bytes = save_to_mem(0, &vec![0u64; 1000]).unwrap();
/// let options = LoadOptions::default().max_bytes(4096);
/// let loaded = load_from_mem_with::<Vec<u64>>(&bytes, 0, &options);
/// assert!(matches!(loaded, Err(SavefileError::MemoryLimitExceeded { .. })));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoadOptions {
    /// How many levels deep data may nest through derived types (each derived struct
    /// or enum value is one level, unless its type cannot contain a value of its own
    /// type: one whose fields are all primitives, strings, or inline combinations of
    /// them), and, separately, how deep the schema's nodes may nest. Deeper input is [`SavefileError::DepthLimitExceeded`].
    ///
    /// The default, 512, is safe on an 8 MiB stack (a main thread) in unoptimised
    /// builds for types whose `deserialize` frames stay under 16 KiB per level; a
    /// thread with a smaller stack, or a type with very large fields, may need less.
    pub max_depth: u32,
    /// How many bytes of memory a load may hold at one time for the contents of the
    /// value and its schema.
    ///
    /// Every allocation is charged before it is made, at what it takes: vectors and
    /// strings at their capacity, hash tables at their real (power-of-two) number of
    /// buckets with their control bytes, B-trees at the most nodes their entries can
    /// take, linked lists at their nodes, `Box`, `Rc` and `Arc` with their reference
    /// counts, and every heap block at 16 bytes at least (no common allocator hands
    /// out less). A collection that grows because only part of it could be reserved
    /// up front (a stream, or a length that the input does not back yet) is also
    /// charged the older buffer or table it grows out of, until it is complete, and
    /// memory freed during the load is given back. A claim beyond the limit is
    /// [`SavefileError::MemoryLimitExceeded`] at once.
    ///
    /// So the heap a load holds for the value, succeeding or failing, stays within
    /// this figure plus 64 KiB (the buffer a stream load reads its stream into),
    /// counting every block as at least 16 bytes. Not included: a load with schema
    /// also holds the program's own schema of the type (its size set by the type, not
    /// by the file), a compressed file bzip2's decompressor (under 4 MiB) and, in
    /// `load_file*`, its compressed bytes, and every load the allocator's own
    /// bookkeeping per block (glibc: 8 bytes, and no block under 32).
    /// `docs/security.md` tells how this is measured.
    ///
    /// The same number also bounds the bytes a compressed file may expand to
    /// ([`SavefileError::DecompressionLimitExceeded`]) and the size of a file that
    /// `load_file*` reads.
    pub max_bytes: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_depth: DEFAULT_MAX_DEPTH,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

impl LoadOptions {
    /// The default options; the same as [`LoadOptions::default()`].
    pub fn new() -> Self {
        LoadOptions::default()
    }

    /// Sets [`LoadOptions::max_depth`].
    #[must_use]
    pub fn max_depth(mut self, levels: u32) -> Self {
        self.max_depth = levels;
        self
    }

    /// Sets [`LoadOptions::max_bytes`].
    #[must_use]
    pub fn max_bytes(mut self, bytes: u64) -> Self {
        self.max_bytes = bytes;
        self
    }
}

/// The memory account of one load.
#[derive(Clone, Debug)]
pub(crate) struct Budget {
    /// The most that may be charged.
    max_bytes: u64,
    /// What is charged now: what has been charged, less what was released.
    charged: u64,
    /// The most that was charged at one time before the last release (`charged` is
    /// the most since, as charges only add up between releases).
    peak_before_release: u64,
    /// What has been granted for reservations ahead of data so far.
    granted: u64,
    /// How many more zero-byte elements lengths may claim.
    zero_sized_left: u64,
}

impl Budget {
    /// A fresh account against `options`.
    pub(crate) fn new(options: &LoadOptions) -> Budget {
        Budget {
            max_bytes: options.max_bytes,
            charged: 0,
            peak_before_release: 0,
            granted: 0,
            zero_sized_left: MAX_ZERO_SIZED_ELEMENTS,
        }
    }

    /// The most that was charged at one time so far: the least limit under which the
    /// charges so far all succeed.
    pub(crate) fn peak(&self) -> u64 {
        self.peak_before_release.max(self.charged)
    }

    /// Takes back `bytes` charged for memory that has been freed (a buffer that a
    /// collection grew out of, a copy that served its purpose): later charges may use
    /// them again. Rare (once per collection at most), so the peak is kept here and
    /// not in the charges.
    #[inline]
    pub(crate) fn release(&mut self, bytes: u64) {
        self.peak_before_release = self.peak();
        self.charged = self.charged.saturating_sub(bytes);
    }

    /// Charges `bytes` about to be allocated; refuses if the total would exceed the limit.
    #[inline]
    pub(crate) fn charge(&mut self, bytes: u64) -> Result<(), SavefileError> {
        let total = self.charged.saturating_add(bytes);
        if total > self.max_bytes {
            return Err(SavefileError::MemoryLimitExceeded {
                limit: self.max_bytes,
                requested: total,
            });
        }
        self.charged = total;
        Ok(())
    }

    /// Charges `bytes` if the total stays within the limit; false (charging
    /// nothing) otherwise.
    #[inline(always)]
    pub(crate) fn try_charge(&mut self, bytes: u64) -> bool {
        match self.charged.checked_add(bytes) {
            Some(total) if total <= self.max_bytes => {
                self.charged = total;
                true
            }
            _ => false,
        }
    }

    /// Takes `count` elements of a zero-byte type from the load's allowance; false
    /// (taking nothing) if fewer are left.
    #[inline]
    pub(crate) fn take_zero_sized(&mut self, count: u64) -> bool {
        match self.zero_sized_left.checked_sub(count) {
            Some(left) => {
                self.zero_sized_left = left;
                true
            }
            None => false,
        }
    }

    /// Grants up to `wanted` bytes of reservation ahead of data, given that `extent`
    /// bytes of input back the load (its whole size if known, else what has been
    /// read); returns how many bytes were granted.
    #[inline]
    pub(crate) fn grant(&mut self, wanted: u64, extent: u64) -> u64 {
        let allowance = PREALLOCATION_SLACK
            .saturating_add(extent.saturating_mul(PREALLOCATION_RATIO))
            .saturating_sub(self.granted);
        let granted = wanted.min(allowance);
        self.granted += granted;
        granted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Deserializer;

    #[test]
    fn options_build_from_the_defaults() {
        let options = LoadOptions::new().max_depth(8).max_bytes(100);
        assert_eq!((options.max_depth, options.max_bytes), (8, 100));
        let default = LoadOptions::default();
        assert_eq!(default.max_depth, DEFAULT_MAX_DEPTH);
        assert_eq!(default.max_bytes, DEFAULT_MAX_BYTES);
    }

    #[test]
    fn charges_stop_at_the_limit() {
        let mut budget = Budget::new(&LoadOptions::new().max_bytes(100));
        budget.charge(60).unwrap();
        budget.charge(40).unwrap();
        assert!(matches!(
            budget.charge(1),
            Err(SavefileError::MemoryLimitExceeded {
                limit: 100,
                requested: 101
            })
        ));
        // A refused charge is not recorded: the account stays exactly full.
        assert!(budget.charge(0).is_ok());
        assert!(budget.charge(u64::MAX).is_err());
    }

    #[test]
    fn a_charge_that_is_tried_is_recorded_only_if_it_fits() {
        let mut budget = Budget::new(&LoadOptions::new().max_bytes(100));
        assert!(budget.try_charge(60));
        assert!(!budget.try_charge(41));
        assert!(budget.try_charge(40));
        assert!(!budget.try_charge(1));
        assert!(!budget.try_charge(u64::MAX));
        assert!(budget.try_charge(0));
        // The refused tries left the account exactly full.
        assert!(budget.charge(1).is_err());
    }

    #[test]
    fn released_bytes_may_be_charged_again_and_the_peak_stays() {
        let mut budget = Budget::new(&LoadOptions::new().max_bytes(100));
        budget.charge(70).unwrap();
        budget.release(30);
        assert_eq!(budget.peak(), 70);
        budget.charge(50).unwrap();
        assert_eq!(budget.peak(), 90);
        assert!(budget.charge(11).is_err());
        assert!(budget.try_charge(10));
        assert_eq!(budget.peak(), 100);
        budget.release(1000);
        assert_eq!(budget.peak(), 100);
        assert!(budget.try_charge(100));
        assert!(!budget.try_charge(1));
    }

    #[test]
    fn zero_sized_elements_are_counted_for_the_whole_load() {
        let mut budget = Budget::new(&LoadOptions::default());
        assert!(budget.take_zero_sized(MAX_ZERO_SIZED_ELEMENTS - 1));
        assert!(!budget.take_zero_sized(2));
        assert!(budget.take_zero_sized(1));
        assert!(!budget.take_zero_sized(1));
    }

    #[test]
    fn grants_are_bounded_by_the_input_in_total() {
        let mut budget = Budget::new(&LoadOptions::default());
        // A small input: the slack, plus four bytes per input byte, shared by all.
        let extent = 1000;
        let total = PREALLOCATION_SLACK + 4 * extent;
        assert_eq!(budget.grant(u64::MAX, extent), total);
        assert_eq!(budget.grant(10, extent), 0);
        // Reading more input raises the allowance again, for streams.
        assert_eq!(budget.grant(u64::MAX, extent + 10), 40);
    }

    #[test]
    fn reservations_ahead_of_data_share_one_allowance() {
        // 100 bytes in memory: 1 MiB + 400 bytes may be reserved ahead, in total,
        // however many collections ask.
        let bytes = [0u8; 100];
        let mut d = Deserializer::from_slice(&bytes, 0);
        let first = d.capacity_for::<[u8; 1024]>(10_000);
        assert_eq!(first, ((1 << 20) + 400) / 1024);
        let second = d.capacity_for::<[u8; 1024]>(10_000);
        assert_eq!(second, 0);
        // Zero-sized elements cost nothing to reserve.
        assert_eq!(d.capacity_for::<()>(usize::MAX), usize::MAX);
        // A stream earns allowance as it is read.
        let stream = vec![0u8; 4096];
        let mut d = Deserializer::from_reader(&stream[..], 0);
        assert_eq!(d.capacity_for::<u8>(usize::MAX), 1 << 20);
        assert_eq!(d.capacity_for::<u8>(usize::MAX), 0);
        d.read_bytes_to_buf(&mut [0u8; 1000]).unwrap();
        assert_eq!(d.position(), 1000);
        assert_eq!(d.capacity_for::<u8>(usize::MAX), 4000);
    }

    #[test]
    fn the_memory_budget_counts_every_charge() {
        let mut bytes = 3u64.to_le_bytes().to_vec();
        bytes.extend_from_slice(b"abc");
        let options = LoadOptions::new().max_bytes(35);
        let mut d = Deserializer::from_slice(&bytes, 0).with_options(&options);
        // Two u16 are one heap block: charged at the smallest block, 16 bytes.
        assert_eq!(d.reserve_for::<u16>(2).unwrap(), 2);
        assert_eq!(d.charged_memory(), 16);
        // A short string is charged at its capacity, 16 bytes.
        let text = d.read_string().unwrap();
        assert_eq!((text.as_str(), text.capacity()), ("abc", 16));
        assert_eq!(d.charged_memory(), 32);
        assert!(matches!(
            d.charge_memory(4),
            Err(SavefileError::MemoryLimitExceeded {
                limit: 35,
                requested: 36
            })
        ));
        d.charge_memory(3).unwrap();
        assert_eq!(d.charged_memory(), 35);
    }
}
