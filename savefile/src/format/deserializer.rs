//! The reader side: little-endian bytes to primitives, with every value checked.
//!
//! A `Deserializer` reads from one window of bytes in memory ([`Input`]): for an
//! in-memory load, the caller's slice; for a stream, a buffer that is refilled from
//! the reader when a read finds too few bytes in it. Every read is a bounds check
//! and a copy out of the window, the same code from memory and from streams.
//!
//! A stream is never read past the end of the value being loaded, so that values
//! saved one after another can be loaded one after another from any `Read`. A
//! refill takes the bytes the read at hand needs plus those the value is *known* to
//! still hold after it (`beyond`: what the elements left in the collections being
//! read take at the least), never more; in typical data that is many kilobytes at
//! a time. Reads too long for the buffer go straight from the reader to their
//! destination.
//!
//! Lengths read from the input are never trusted: an element count is checked
//! against the bytes that remain when that is known, the memory it implies is
//! charged to the load's budget, and allocations made before the elements arrive
//! are granted from an allowance that grows with the input (see `limits`).

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::io::{ErrorKind, Read};

use super::footprint;
use super::input::{Input, STREAM_BUFFER};
use super::limits::{Budget, LoadOptions};
use super::utf8;
use crate::SavefileError;

/// Reads of at least this many bytes that the input in memory cannot satisfy go
/// straight from the stream to their destination, not through the stream's buffer.
const DIRECT_READ: usize = 2048;

/// Reads values in the savefile format.
///
/// `file_version` is the data version of the file being read; `Deserialize`
/// implementations of versioned types branch on it.
pub struct Deserializer<'a, R: Read> {
    /// The unread bytes in memory: the rest of the caller's slice, or of what was
    /// last read from `reader`.
    pub(super) input: Input<'a>,
    /// Where bytes come from once `input` is exhausted.
    reader: R,
    /// How many bytes `reader` can still yield, when known.
    reader_left: Option<u64>,
    /// How many bytes have come into `input` (the caller's slice, then what was read
    /// from `reader`) or been read from `reader` past it: the position of the end of
    /// `input`.
    fetched: u64,
    /// How many bytes the value certainly holds after the element being read (the
    /// innermost one of the collections being read), at the least: what a stream
    /// may be read ahead by without going past the value's end.
    beyond: u64,
    /// True when the stream holds nothing but what is being loaded (a file), so that
    /// it may be read ahead by a whole buffer whatever `beyond` says.
    read_ahead: bool,
    /// The data version of the file being read.
    pub file_version: u32,
    /// The savefile format version (0, 1 or 2) of the file: decides the schema encoding.
    pub(crate) format_version: u16,
    /// How deeply nested data and schemas may be.
    pub(crate) max_depth: u32,
    /// How deeply the value being read is nested right now.
    depth: u32,
    /// The memory this load has charged and reserved ahead.
    budget: Budget,
    /// State kept for the whole load by implementations that need it, keyed by type.
    ///
    /// See [`Deserializer::get_state`].
    pub ephemeral_state: HashMap<TypeId, Box<dyn Any>>,
}

/// The elements of a collection being read, as [`Deserializer::begin_elements`]
/// describes them to the reader.
pub(crate) struct Elements {
    /// `beyond` around the collection: what follows it.
    outer: u64,
    /// `beyond` for the next element: what its successors and the collection's
    /// followers take at the least.
    next: u64,
    /// The fewest bytes an element takes.
    min: u64,
}

impl<'a> Deserializer<'a, std::io::Empty> {
    /// A deserializer over bytes in memory, for data version `file_version`, with
    /// the default [`LoadOptions`].
    ///
    /// `bytes` holds data only (no header, no schema): use [`crate::load_from_mem`]
    /// for whole files.
    pub fn from_slice(bytes: &'a [u8], file_version: u32) -> Self {
        Deserializer::with_parts(bytes, std::io::empty(), Some(0), file_version, 2)
    }
}

impl<R: Read> Deserializer<'static, R> {
    /// A deserializer over a stream, for data version `file_version`, with the
    /// default [`LoadOptions`].
    ///
    /// The stream holds data only (no header, no schema): use [`crate::load`] for
    /// whole files. The stream is read in blocks, but never past the end of the
    /// values read from it, so what follows them is left in the stream.
    pub fn from_reader(reader: R, file_version: u32) -> Self {
        Deserializer::with_parts(&[], reader, None, file_version, 2)
    }
}

impl<'a, R: Read> Deserializer<'a, R> {
    /// Assembles a deserializer from the bytes in memory, the reader behind them and
    /// what is known of the reader's length.
    pub(crate) fn with_parts(
        input: &'a [u8],
        reader: R,
        reader_left: Option<u64>,
        file_version: u32,
        format_version: u16,
    ) -> Self {
        let options = LoadOptions::default();
        Deserializer {
            input: Input::new(input),
            reader,
            reader_left,
            fetched: input.len() as u64,
            beyond: 0,
            read_ahead: false,
            file_version,
            format_version,
            max_depth: options.max_depth,
            depth: 0,
            budget: Budget::new(&options),
            ephemeral_state: HashMap::new(),
        }
    }

    /// The same deserializer, allowed to read its stream ahead as far as its buffer
    /// holds: for streams that hold nothing after what is loaded (files).
    #[must_use]
    pub(crate) fn reading_ahead(mut self) -> Self {
        self.read_ahead = true;
        self
    }

    /// The same deserializer with the limits of `options` instead of the defaults.
    ///
    /// Call it before reading anything: the memory account starts afresh.
    #[must_use]
    pub fn with_options(mut self, options: &LoadOptions) -> Self {
        self.max_depth = options.max_depth;
        self.budget = Budget::new(options);
        self
    }

    /// A state object of type `S` that lives for the whole load, created on first use.
    ///
    /// `T` is the type asking (it keys the state, so unrelated implementations do not
    /// collide). Useful, for instance, to de-duplicate shared values.
    pub fn get_state<T: 'static, S: Default + 'static>(&mut self) -> &mut S {
        let slot = self
            .ephemeral_state
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(S::default()));
        if !slot.is::<S>() {
            *slot = Box::new(S::default());
        }
        slot.downcast_mut::<S>()
            .expect("the slot was just set to an S")
    }

    /// Notes that reading goes one level deeper into nested values, refusing to go
    /// beyond the depth limit ([`LoadOptions::max_depth`], by default
    /// [`crate::DEFAULT_MAX_DEPTH`] levels).
    ///
    /// Derived types call this around their fields, so that data nested through a
    /// recursive type cannot overflow the stack; a hand-written `Deserialize` of a
    /// recursive container should too. Pair every successful call with
    /// [`Deserializer::leave_nested`].
    #[inline]
    pub fn enter_nested(&mut self) -> Result<(), SavefileError> {
        if self.depth >= self.max_depth {
            return Err(SavefileError::DepthLimitExceeded {
                limit: self.max_depth,
            });
        }
        self.depth += 1;
        Ok(())
    }

    /// Notes that reading came back up one level; see [`Deserializer::enter_nested`].
    #[inline]
    pub fn leave_nested(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Describes the `count` elements of a collection about to be read, each of
    /// which takes at least `min` bytes, so that a stream may be read ahead over
    /// them. Call [`Self::next_element`] before each element and
    /// [`Self::end_elements`] after the last.
    #[inline(always)]
    pub(crate) fn begin_elements(&self, count: usize, min: usize) -> Elements {
        let outer = self.beyond;
        let after_first = (count as u64).saturating_sub(1).saturating_mul(min as u64);
        Elements {
            outer,
            next: outer.saturating_add(after_first),
            min: min as u64,
        }
    }

    /// Notes that the next element of `elements` is about to be read.
    #[inline(always)]
    pub(crate) fn next_element(&mut self, elements: &mut Elements) {
        self.beyond = elements.next;
        // Past the last element this wraps, but it is never used then.
        elements.next = elements.next.wrapping_sub(elements.min);
    }

    /// Notes that the elements of `elements` have been read (or that reading them
    /// stopped).
    #[inline(always)]
    pub(crate) fn end_elements(&mut self, elements: Elements) {
        self.beyond = elements.outer;
    }

    /// The number of bytes the input still holds, when it is known.
    ///
    /// Known for in-memory loads and files; unknown for streams and compressed data.
    pub fn remaining_hint(&self) -> Option<u64> {
        self.reader_left
            .map(|left| left.saturating_add(self.input.len() as u64))
    }

    /// True when every byte of a known-length input has been read.
    #[cfg(test)]
    pub(crate) fn is_exhausted(&self) -> bool {
        self.remaining_hint() == Some(0)
    }

    /// How many bytes have been read so far.
    pub(crate) fn position(&self) -> u64 {
        self.fetched - self.input.len() as u64
    }

    /// Notes `n` bytes taken from `reader`.
    #[inline]
    fn note_from_reader(&mut self, n: u64) {
        self.fetched = self.fetched.saturating_add(n);
        if let Some(left) = &mut self.reader_left {
            *left = left.saturating_sub(n);
        }
    }

    /// Makes the input in memory hold at least `len` bytes, reading them from the
    /// stream if need be; false if it cannot: the input ends first (what there was
    /// of it is then in memory), or `len` is more than a stream's buffer holds
    /// (then nothing is read, and the caller reads straight from the stream).
    ///
    /// Reads only bytes that belong to the value: these `len` (the caller reads
    /// them next) and up to `beyond` after them (or a whole buffer, when the stream
    /// holds nothing else).
    #[cold]
    #[inline(never)]
    fn fill(&mut self, len: usize) -> Result<bool, SavefileError> {
        let have = self.input.len();
        if have >= len {
            return Ok(true);
        }
        if len > STREAM_BUFFER || self.reader_left == Some(0) {
            return Ok(false);
        }
        let ahead = match self.read_ahead {
            true => u64::MAX,
            false => self.beyond,
        };
        let mut limit = (len as u64).saturating_add(ahead).min(STREAM_BUFFER as u64);
        if let Some(left) = self.reader_left {
            limit = limit.min(left.saturating_add(have as u64));
        }
        // At most STREAM_BUFFER, so it fits.
        let limit = limit as usize;
        let outcome = self
            .input
            .fill_from(&mut self.reader, len.min(limit), limit);
        self.note_from_reader((self.input.len() - have) as u64);
        outcome?;
        Ok(self.input.len() >= len)
    }

    /// [`Self::fill`], for the bulk copies: true if the input in memory now holds
    /// `len` bytes.
    #[inline(always)]
    pub(crate) fn fill_input(&mut self, len: usize) -> Result<bool, SavefileError> {
        self.fill(len)
    }

    /// Makes the input in memory hold `len` bytes if it can (see [`Self::fill`]): a
    /// derived type asks for the bytes of a run of fixed-size fields before reading
    /// the first, so that a stream is read once for all of them.
    #[doc(hidden)]
    #[inline(always)]
    pub fn __prefetch(&mut self, len: usize) -> Result<(), SavefileError> {
        if self.input.len() < len {
            self.fill(len)?;
        }
        Ok(())
    }

    /// The next `len` bytes if they are in memory now (consumed), else nothing
    /// (nothing consumed): where a derived type takes a fixed-size field from,
    /// after [`Self::__prefetch`], falling back to reading it on its own.
    #[doc(hidden)]
    #[inline(always)]
    pub fn __take_now(&mut self, len: usize) -> Option<&[u8]> {
        self.input.take(len)
    }

    /// Fills as much of `out` as the input holds; returns how many bytes that was.
    ///
    /// Used for the header, whose first bytes tell "not a savefile" apart from "truncated".
    pub(crate) fn read_available(&mut self, out: &mut [u8]) -> Result<usize, SavefileError> {
        self.__prefetch(out.len())?;
        let bytes = self.input.bytes();
        let n = bytes.len().min(out.len());
        out[..n].copy_from_slice(&bytes[..n]);
        self.input.skip(n);
        Ok(n)
    }

    /// The unread bytes already in memory; not consumed.
    #[inline(always)]
    pub(crate) fn input(&self) -> &[u8] {
        self.input.bytes()
    }

    /// Marks the first `len` bytes of [`Self::input`] as read.
    #[inline(always)]
    pub(crate) fn skip_input(&mut self, len: usize) {
        self.input.skip(len);
    }

    /// The next `len` bytes, after reading them from the stream if need be and if
    /// they fit its buffer (see [`Self::fill`]); not consumed. `None` if they are
    /// not all in memory.
    #[inline(always)]
    pub(crate) fn peek_input(&mut self, len: usize) -> Result<Option<&[u8]>, SavefileError> {
        if self.input.len() < len {
            self.fill(len)?;
        }
        Ok(self.input.bytes().get(..len))
    }

    /// [`Self::peek_input`], consumed.
    #[inline(always)]
    pub(crate) fn take_input(&mut self, len: usize) -> Result<Option<&[u8]>, SavefileError> {
        if self.input.len() < len {
            self.fill(len)?;
        }
        Ok(self.input.take(len))
    }

    /// The unread rest of the caller's slice, when nothing was read from the stream.
    pub(crate) fn rest_in_memory(&self) -> Option<&'a [u8]> {
        self.input.borrowed()
    }

    /// How many bytes are still unread in memory, and the reader behind them.
    pub(crate) fn into_reader(self) -> (usize, R) {
        (self.input.len(), self.reader)
    }

    /// Fills `out` from the input, or fails with [`SavefileError::ShortRead`].
    #[inline]
    pub fn read_bytes_to_buf(&mut self, out: &mut [u8]) -> Result<(), SavefileError> {
        if let Some(bytes) = self.input.take(out.len()) {
            out.copy_from_slice(bytes);
            return Ok(());
        }
        self.read_spilling(out)
    }

    /// [`Self::read_bytes_to_buf`] when the bytes are not all in memory: a short read
    /// through the stream's buffer (which is filled with what follows too, as far as
    /// it belongs to the value); a long one ([`DIRECT_READ`] bytes or more) from the
    /// bytes in memory and then straight from the stream into `out`, without a copy
    /// through the buffer.
    #[cold]
    #[inline(never)]
    fn read_spilling(&mut self, out: &mut [u8]) -> Result<(), SavefileError> {
        if out.len() < DIRECT_READ {
            if self.fill(out.len())? {
                if let Some(bytes) = self.input.take(out.len()) {
                    out.copy_from_slice(bytes);
                    return Ok(());
                }
            }
            // The input ended first.
            return Err(SavefileError::ShortRead);
        }
        let have = self.input.len();
        let (from_input, from_reader) = out.split_at_mut(have);
        from_input.copy_from_slice(self.input.bytes());
        self.input.skip(have);
        if let Some(left) = self.reader_left {
            if (from_reader.len() as u64) > left {
                return Err(SavefileError::ShortRead);
            }
        }
        match self.reader.read_exact(from_reader) {
            Ok(()) => {
                self.note_from_reader(from_reader.len() as u64);
                Ok(())
            }
            Err(e) if e.kind() == ErrorKind::UnexpectedEof => Err(SavefileError::ShortRead),
            Err(e) => Err(e.into()),
        }
    }

    #[inline(always)]
    fn read_array<const N: usize>(&mut self) -> Result<[u8; N], SavefileError> {
        match self.input.take_array::<N>() {
            Some(bytes) => Ok(bytes),
            None => self.read_array_spilling(),
        }
    }

    #[cold]
    #[inline(never)]
    fn read_array_spilling<const N: usize>(&mut self) -> Result<[u8; N], SavefileError> {
        self.fill(N)?;
        self.input.take_array::<N>().ok_or(SavefileError::ShortRead)
    }

    /// Reads `len` raw bytes into a new vector, charging them to the load's memory
    /// budget first (at least 16 bytes, the smallest heap block, unless empty).
    ///
    /// The vector never reserves more than the input can supply: in memory the
    /// length is checked first, from a stream the bytes are taken as they arrive.
    pub fn read_bytes(&mut self, len: usize) -> Result<Vec<u8>, SavefileError> {
        self.budget.charge(footprint::block(len) as u64)?;
        if let Some(bytes) = self.take_input(len)? {
            return Ok(bytes.to_vec());
        }
        self.read_bytes_spilling(len)
    }

    #[cold]
    fn read_bytes_spilling(&mut self, len: usize) -> Result<Vec<u8>, SavefileError> {
        if let Some(remaining) = self.remaining_hint() {
            if len as u64 > remaining {
                return Err(SavefileError::ShortRead);
            }
        }
        let ahead = self.budget.grant(len as u64, self.extent());
        // Room for the bytes already in memory is backed by them; short of `len`, the
        // buffer grows toward it, and its older buffer at the last step is charged.
        let start = (ahead as usize).max(self.input.len());
        let step = footprint::VEC_GROWTH_STEP;
        let older = footprint::capacity_before_last_growth(start, step, len);
        self.budget.charge(footprint::block(older) as u64)?;
        let mut out = Vec::with_capacity(start);
        out.extend_from_slice(self.input.bytes());
        self.input.skip(out.len());
        let wanted = (len - out.len()) as u64;
        let got = footprint::read_growing(&mut self.reader, &mut out, len)?;
        self.note_from_reader(got);
        if got != wanted {
            return Err(SavefileError::ShortRead);
        }
        // The buffer it grew out of is gone.
        self.budget.release(footprint::block(older) as u64);
        Ok(out)
    }

    /// Reads a bool: one byte, 0 or 1. Any other byte is an error.
    #[inline(always)]
    pub fn read_bool(&mut self) -> Result<bool, SavefileError> {
        match self.read_u8()? {
            0 => Ok(false),
            1 => Ok(true),
            value => Err(SavefileError::InvalidBool { value }),
        }
    }

    /// Reads one byte.
    #[inline(always)]
    pub fn read_u8(&mut self) -> Result<u8, SavefileError> {
        Ok(self.read_array::<1>()?[0])
    }

    /// Reads one signed byte.
    #[inline(always)]
    pub fn read_i8(&mut self) -> Result<i8, SavefileError> {
        Ok(self.read_u8()? as i8)
    }
}

macro_rules! read_le {
    ($($(#[$doc:meta])* $name:ident: $ty:ty;)*) => {
        impl<R: Read> Deserializer<'_, R> {$(
            $(#[$doc])*
            #[inline(always)]
            pub fn $name(&mut self) -> Result<$ty, SavefileError> {
                Ok(<$ty>::from_le_bytes(self.read_array()?))
            }
        )*}
    };
}

read_le! {
    /// Reads a little-endian u16.
    read_u16: u16;
    /// Reads a little-endian i16.
    read_i16: i16;
    /// Reads a little-endian u32.
    read_u32: u32;
    /// Reads a little-endian i32.
    read_i32: i32;
    /// Reads a little-endian u64.
    read_u64: u64;
    /// Reads a little-endian i64.
    read_i64: i64;
    /// Reads a little-endian u128.
    read_u128: u128;
    /// Reads a little-endian i128.
    read_i128: i128;
    /// Reads an f32 from its IEEE-754 bits.
    read_f32: f32;
    /// Reads an f64 from its IEEE-754 bits.
    read_f64: f64;
}

impl<'a, R: Read> Deserializer<'a, R> {
    /// Reads a usize saved as u64; a value too large for this target is an error.
    #[inline]
    pub fn read_usize(&mut self) -> Result<usize, SavefileError> {
        let value = self.read_u64()?;
        usize::try_from(value).map_err(|_| SavefileError::out_of_range("usize", value))
    }

    /// Reads an isize saved as i64; a value out of range for this target is an error.
    #[inline]
    pub fn read_isize(&mut self) -> Result<isize, SavefileError> {
        let value = self.read_i64()?;
        isize::try_from(value).map_err(|_| SavefileError::out_of_range("isize", value))
    }

    /// Reads a char saved as u32; a value that is not a Unicode scalar is an error.
    #[inline]
    pub fn read_char(&mut self) -> Result<char, SavefileError> {
        let value = self.read_u32()?;
        char::from_u32(value).ok_or(SavefileError::InvalidChar { value })
    }

    /// Reads a string: a u64 byte length, then that many bytes of valid UTF-8.
    ///
    /// A string of 1 to 16 bytes gets room for 16 (its `capacity()`), which is no
    /// more memory than allocators hand out for it anyway and lets it be copied
    /// with one fixed-size move; longer ones get exactly their length.
    #[inline]
    pub fn read_string(&mut self) -> Result<String, SavefileError> {
        match self.short_string() {
            Some(text) => Ok(text),
            None => self.read_string_general(),
        }
    }

    /// [`Self::read_string`] for the strings that [`Self::short_string`] leaves.
    #[inline(never)]
    fn read_string_general(&mut self) -> Result<String, SavefileError> {
        match self.str_in_memory(utf8::capacity_for, utf8::owned)? {
            Ok(text) => Ok(text),
            Err(_) => self.read_string_spilling(utf8::capacity_for),
        }
    }

    /// The next string when it is short ASCII text all in memory and the budget has
    /// room for it: charged, consumed and copied into a string of its own. `None`
    /// (nothing consumed) otherwise, for the general path to read it or to report
    /// what is wrong.
    #[inline(always)]
    fn short_string(&mut self) -> Option<String> {
        let bytes = self.input.bytes();
        let (text, rest) = utf8::short_ascii(bytes)?;
        if !self.budget.try_charge(text.capacity() as u64) {
            return None;
        }
        let owned = text.owned();
        let used = bytes.len() - rest.len();
        self.input.skip(used);
        Some(owned)
    }

    /// [`Self::read_string`] into `slot`, which holds the string on `Ok`: the string's
    /// parts are stored straight into their final place. (Not `slot.write(self.
    /// read_string()?)`: the `Result` in between costs minecraft_savedata loads about
    /// 1.5 %, measured.)
    #[inline(always)]
    pub(crate) fn read_string_into(
        &mut self,
        slot: &mut std::mem::MaybeUninit<String>,
    ) -> Result<(), SavefileError> {
        let text = match self.short_string() {
            Some(text) => text,
            None => self.read_string_general()?,
        };
        slot.write(text);
        Ok(())
    }

    /// Reads a string into a `Box<str>` of exactly its length: straight from the input
    /// in memory, else from the bytes read (no second copy either way).
    pub(crate) fn read_boxed_str(&mut self) -> Result<Box<str>, SavefileError> {
        let boxed = |text: &str| Box::<str>::from(text);
        match self.str_in_memory(footprint::block, boxed)? {
            Ok(text) => Ok(text),
            Err(_) => Ok(self
                .read_string_spilling(footprint::block)?
                .into_boxed_str()),
        }
    }

    /// Reads a string and hands it to `make` as a `&str`, without an intermediate
    /// `String` when its bytes fit in memory.
    ///
    /// What `make` makes is charged as one heap block of the string's length (at
    /// least 16 bytes unless empty); when the string is too long for a stream's
    /// buffer, so is the `String` it is read into first, until `make` returns.
    #[inline]
    pub fn read_str_with<T>(&mut self, make: impl FnOnce(&str) -> T) -> Result<T, SavefileError> {
        self.read_str_as(footprint::block, make)
    }

    /// Reads a string and makes a `T` of it with `make`, which allocates `memory(len)`
    /// bytes for a string of `len` bytes (charged first): from the bytes in memory, or
    /// from a `String` of them, charged beside what `make` makes until it is dropped,
    /// when they are too long for a stream's buffer.
    #[inline(always)]
    pub(crate) fn read_str_as<T>(
        &mut self,
        memory: impl Fn(usize) -> usize,
        make: impl FnOnce(&str) -> T,
    ) -> Result<T, SavefileError> {
        match self.str_in_memory(&memory, make)? {
            Ok(value) => Ok(value),
            Err(make) => {
                let text = self.read_string_spilling(&memory)?;
                self.budget.charge(memory(text.len()) as u64)?;
                let made = make(&text);
                let len = text.len();
                drop(text);
                self.budget.release(memory(len) as u64);
                Ok(made)
            }
        }
    }

    /// Reads a string and lends it to `lend` as a `&str` straight from the input, or,
    /// when it is too long for a stream's buffer, hands it to `hand` as a `String` read
    /// for it; both are given `to` as well. Charged what [`Self::read_string`]
    /// charges, kept or not: a dynamic visit is charged as the tree it may build (see
    /// `dynamic/visit.rs`).
    #[inline(always)]
    pub(crate) fn lend_str<C, T>(
        &mut self,
        to: &mut C,
        lend: impl FnOnce(&mut C, &str) -> T,
        hand: impl FnOnce(&mut C, String) -> T,
    ) -> Result<T, SavefileError> {
        match self.str_in_memory(utf8::capacity_for, |text| lend(to, text))? {
            Ok(lent) => Ok(lent),
            Err(unused) => {
                // It borrows `to`.
                drop(unused);
                let text = self.read_string_spilling(utf8::capacity_for)?;
                Ok(hand(to, text))
            }
        }
    }

    /// The next string made into a `T` by `make`, when its length and bytes are in
    /// memory or, from a stream, can be read into its buffer: checked, charged
    /// `memory(len)` bytes and consumed. `Err(make)` (nothing consumed, nothing
    /// charged) when they cannot be (a string longer than the buffer, or an input
    /// that ends first), for the general path to read it or to report what is wrong.
    #[inline(always)]
    fn str_in_memory<T, F: FnOnce(&str) -> T>(
        &mut self,
        memory: impl Fn(usize) -> usize,
        make: F,
    ) -> Result<Result<T, F>, SavefileError> {
        if let Some(len) = self.str_len_in_input() {
            return self.str_in_input(len, memory, make).map(Ok);
        }
        self.fill_str_in_memory(memory, make)
    }

    /// [`Self::str_in_memory`] when the string is not all in memory yet.
    #[cold]
    #[inline(never)]
    fn fill_str_in_memory<T, F: FnOnce(&str) -> T>(
        &mut self,
        memory: impl Fn(usize) -> usize,
        make: F,
    ) -> Result<Result<T, F>, SavefileError> {
        if !self.fill(8)? {
            return Ok(Err(make));
        }
        let Some(len) = self.input.bytes().first_chunk::<8>() else {
            return Ok(Err(make));
        };
        let len = u64::from_le_bytes(*len);
        if len > (STREAM_BUFFER - 8) as u64 || !self.fill(8 + len as usize)? {
            return Ok(Err(make));
        }
        match self.str_len_in_input() {
            Some(len) => self.str_in_input(len, memory, make).map(Ok),
            None => Ok(Err(make)),
        }
    }

    /// The byte length of the next string, when it and all its bytes are in memory.
    #[inline(always)]
    fn str_len_in_input(&self) -> Option<usize> {
        let (len, rest) = self.input.bytes().split_first_chunk::<8>()?;
        let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
        (len <= rest.len()).then_some(len)
    }

    /// The next string, of `len` bytes all in memory ([`Self::str_len_in_input`]),
    /// checked, charged `memory(len)` bytes, made into a `T` by `make` and consumed.
    ///
    /// The fast path of every string load: one bounds check for the length, one for
    /// the bytes, and an ASCII test that spares most text the full UTF-8 check (see
    /// `format/utf8.rs`).
    #[inline(always)]
    fn str_in_input<T>(
        &mut self,
        len: usize,
        memory: impl Fn(usize) -> usize,
        make: impl FnOnce(&str) -> T,
    ) -> Result<T, SavefileError> {
        self.budget.charge(memory(len) as u64)?;
        let rest = self.input.bytes().get(8..).unwrap_or_default();
        let text = rest.get(..len).unwrap_or_default();
        match utf8::leading_to_str(text, rest) {
            Ok(text) => {
                let value = make(text);
                self.input.skip(8 + len);
                Ok(value)
            }
            Err(source) => Err(SavefileError::InvalidUtf8 { source }),
        }
    }

    /// [`Self::read_string`] when the string is not all in memory (or its length is
    /// wrong): the general path, through [`Self::read_bytes`]. The string has exactly
    /// its length; it is charged `memory(len)` bytes, what the same string costs when
    /// read from memory, so that a load is refused the same from either.
    #[cold]
    #[inline(never)]
    fn read_string_spilling(
        &mut self,
        memory: impl Fn(usize) -> usize,
    ) -> Result<String, SavefileError> {
        let len = self.read_byte_len()?;
        // `read_bytes` charges `block(len)` of it.
        self.budget
            .charge(memory(len).saturating_sub(footprint::block(len)) as u64)?;
        let bytes = self.read_bytes(len)?;
        String::from_utf8(bytes).map_err(|e| SavefileError::InvalidUtf8 {
            source: e.utf8_error(),
        })
    }

    /// Reads a u64 byte count and checks that the input can still hold that many bytes.
    fn read_byte_len(&mut self) -> Result<usize, SavefileError> {
        self.read_count(1)
    }

    /// Reads a u64 element count for elements that take at least `min_element_bytes`
    /// each, and checks it against what the input can still hold.
    ///
    /// When the input's size is known (memory, files), a count whose elements could
    /// not fit in the remaining bytes is refused with
    /// [`SavefileError::LengthTooLarge`]. Elements that take no bytes cannot be
    /// bounded that way: all the counts of such elements in one load may add up to
    /// 2^24 at most.
    #[inline]
    pub fn read_count(&mut self, min_element_bytes: usize) -> Result<usize, SavefileError> {
        let count = self.read_u64()?;
        // The common case, decided here: elements that take bytes, and fit in the
        // bytes already in memory (which are part of what remains).
        if min_element_bytes > 0
            && count
                .checked_mul(min_element_bytes as u64)
                .is_some_and(|bytes| bytes <= self.input.len() as u64)
        {
            // At most `input.len()`, so it fits in usize.
            return Ok(count as usize);
        }
        self.check_count(count, min_element_bytes)
    }

    /// Checks an element count already read; see [`Self::read_count`].
    pub fn check_count(
        &mut self,
        count: u64,
        min_element_bytes: usize,
    ) -> Result<usize, SavefileError> {
        let too_large = |remaining| SavefileError::LengthTooLarge {
            length: count,
            remaining,
        };
        let remaining = self.remaining_hint();
        if min_element_bytes == 0 {
            if !self.budget.take_zero_sized(count) {
                return Err(too_large(remaining.unwrap_or(0)));
            }
        } else if let Some(remaining) = remaining {
            if count.saturating_mul(min_element_bytes as u64) > remaining {
                return Err(too_large(remaining));
            }
        }
        usize::try_from(count).map_err(|_| too_large(remaining.unwrap_or(0)))
    }

    /// Charges `count` elements of `T` to the load's memory budget, then says how
    /// many of them to reserve before reading them (see [`Self::capacity_for`]).
    ///
    /// What a collection calls right after [`Self::read_count`]: a length whose
    /// elements would take more memory than [`LoadOptions::max_bytes`] allows is
    /// refused here with [`SavefileError::MemoryLimitExceeded`], before anything is
    /// allocated. The elements are charged as one heap block of `count` values of
    /// `T`, at least 16 bytes unless empty. A collection that is reserved fewer than
    /// `count` and grows by doubling holds its old and new buffers side by side for
    /// a moment; what that costs beyond `count` elements is not charged here.
    #[inline]
    pub fn reserve_for<T>(&mut self, count: usize) -> Result<usize, SavefileError> {
        self.budget.charge(footprint::buffer::<T>(count) as u64)?;
        Ok(self.capacity_for::<T>(count))
    }

    /// Charges `bytes` of memory about to be allocated for the value being loaded
    /// (a boxed value, a node of a linked structure …) to the load's budget.
    ///
    /// Fails with [`SavefileError::MemoryLimitExceeded`] when the load has used up
    /// [`LoadOptions::max_bytes`].
    #[inline]
    pub fn charge_memory(&mut self, bytes: usize) -> Result<(), SavefileError> {
        self.budget.charge(bytes as u64)
    }

    /// The most bytes of memory this load has had charged to its budget at one time
    /// so far: what [`LoadOptions::max_bytes`] is compared with. (Memory freed during
    /// the load, such as the buffer a collection grew out of, is given back to the
    /// budget once freed.)
    ///
    /// What a load charges does not depend on its limit, so a load whose figure ends
    /// at this succeeds with any limit of at least it and is refused with
    /// [`SavefileError::MemoryLimitExceeded`] under any smaller one.
    pub fn charged_memory(&self) -> u64 {
        self.budget.peak()
    }

    /// Gives back `bytes` charged for memory that has been freed during the load.
    pub(crate) fn release_memory(&mut self, bytes: usize) {
        self.budget.release(bytes as u64);
    }

    /// Grants up to `bytes` of memory reserved ahead of the data, from the load's
    /// allowance (see [`Self::capacity_for`]); returns how many were granted.
    pub(crate) fn grant_memory(&mut self, bytes: u64) -> u64 {
        self.budget.grant(bytes, self.extent())
    }

    /// How many elements of `T` to reserve before reading `count` of them: all of
    /// them if the load's allowance for memory reserved ahead of data covers them,
    /// fewer otherwise, and the collection then grows as the elements arrive.
    ///
    /// The allowance is shared by the whole load and grows only with the input (a
    /// fixed 1 MiB plus four bytes per byte of input: all of it when its size is
    /// known, what has been read so far for a stream), so no number of lying
    /// lengths can make a load reserve more than that. This does not charge the
    /// budget; [`Self::reserve_for`] does both.
    pub fn capacity_for<T>(&mut self, count: usize) -> usize {
        let size = std::mem::size_of::<T>();
        if size == 0 {
            return count;
        }
        let wanted = (count as u64).saturating_mul(size as u64);
        let granted = self.budget.grant(wanted, self.extent());
        // `granted` is at most `count * size`, so the quotient fits in usize.
        (granted / size as u64) as usize
    }

    /// How many bytes of input back this load: all of it when its size is known,
    /// else what has been read.
    fn extent(&self) -> u64 {
        // Bytes read ahead into the buffer are not counted: what a load may reserve
        // does not depend on how its stream is buffered.
        self.position()
            .saturating_add(self.remaining_hint().unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_primitives_from_memory() {
        let bytes = [2, 1, 0xfe, 0xff, 0xff, 0xff, 1, 0xe9, 0, 0, 0];
        let mut d = Deserializer::from_slice(&bytes, 0);
        assert_eq!(d.read_u16().unwrap(), 0x0102);
        assert_eq!(d.read_i32().unwrap(), -2);
        assert!(d.read_bool().unwrap());
        assert_eq!(d.read_char().unwrap(), 'é');
        assert!(d.is_exhausted());
        assert!(matches!(d.read_u8(), Err(SavefileError::ShortRead)));
    }

    #[test]
    fn reads_across_memory_into_the_stream() {
        let tail: &[u8] = &[3, 4, b'a', b'b'];
        let mut d = Deserializer::with_parts(&[1, 2], tail, Some(4), 0, 2);
        assert_eq!(d.read_u32().unwrap(), 0x0403_0201);
        assert_eq!(d.read_bytes(2).unwrap(), b"ab");
        assert!(d.is_exhausted());
    }

    #[test]
    fn invalid_values_are_errors() {
        let mut d = Deserializer::from_slice(&[2], 0);
        assert!(matches!(
            d.read_bool(),
            Err(SavefileError::InvalidBool { value: 2 })
        ));
        let surrogate = 0xD800u32.to_le_bytes();
        let mut d = Deserializer::from_slice(&surrogate, 0);
        assert!(matches!(
            d.read_char(),
            Err(SavefileError::InvalidChar { value: 0xD800 })
        ));
        let mut bytes = 2u64.to_le_bytes().to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe]);
        let mut d = Deserializer::from_slice(&bytes, 0);
        assert!(matches!(
            d.read_string(),
            Err(SavefileError::InvalidUtf8 { .. })
        ));
    }

    #[test]
    fn huge_counts_are_refused_before_allocating() {
        let bytes = (1u64 << 60).to_le_bytes();
        let mut d = Deserializer::from_slice(&bytes, 0);
        assert!(matches!(
            d.read_count(1),
            Err(SavefileError::LengthTooLarge {
                length: 0x1000_0000_0000_0000,
                remaining: 0
            })
        ));
        let mut d = Deserializer::from_slice(&bytes, 0);
        assert!(matches!(
            d.read_string(),
            Err(SavefileError::LengthTooLarge { .. })
        ));
        // A stream of unknown size cannot be checked up front: the memory budget
        // refuses the claim, and reservations stay within the slack.
        let stream: &[u8] = &bytes;
        let mut d = Deserializer::from_reader(stream, 0);
        let count = d.read_count(8).unwrap();
        assert!(matches!(
            d.reserve_for::<u64>(count),
            Err(SavefileError::MemoryLimitExceeded { .. })
        ));
        assert!(d.capacity_for::<u64>(count) <= ((1 << 20) + 4 * 8) / 8);
        assert!(matches!(
            d.read_bytes(count),
            Err(SavefileError::MemoryLimitExceeded { .. })
        ));
        // Without a budget, the stream simply runs out.
        let unlimited = LoadOptions::new().max_bytes(u64::MAX);
        let mut d = Deserializer::from_reader(stream, 0).with_options(&unlimited);
        let count = d.read_count(8).unwrap();
        assert!(matches!(d.read_bytes(count), Err(SavefileError::ShortRead)));
        // Zero-sized elements are bounded by their count, over the whole load.
        assert!(d.check_count((1 << 24) + 1, 0).is_err());
        assert!(d.check_count(1 << 23, 0).is_ok());
        assert!(d.check_count(1 << 23, 0).is_ok());
        assert!(d.check_count(1, 0).is_err());
    }

    #[test]
    fn state_is_kept_per_type() {
        let mut d = Deserializer::from_slice(&[], 0);
        *d.get_state::<u8, u32>() += 5;
        *d.get_state::<u8, u32>() += 1;
        assert_eq!(*d.get_state::<u8, u32>(), 6);
        assert_eq!(*d.get_state::<u16, u32>(), 0);
    }
}
