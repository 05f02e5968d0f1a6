//! The packed (memcpy) fast path: which types may be copied as raw bytes, and the copies themselves.
//!
//! A type is *packed* for a data version when its in-memory bytes are exactly its
//! saved bytes: fixed layout, no padding anywhere, little-endian host, and every
//! field packed. Sequences of such types are written and read with one copy.
//! It holds the bulk copies' `unsafe` code; the other modules that need `unsafe` (the input
//! window in `format/input.rs`, UTF-8 checks, the mapped views, the ecosystem types' packed
//! impls) opt in with a reasoned `allow` of their own.

#![allow(unsafe_code)]

use std::alloc::{self, Layout};
use std::io::{Read, Write};
use std::mem::{size_of, MaybeUninit};
use std::ops::BitAnd;
use std::rc::Rc;
use std::sync::Arc;

use crate::format::footprint::{self, grow_toward};
use crate::format::{copy_short, leading_bytes_lack, SHORT_WRITE};
use crate::traits::Written;
use crate::{Deserialize, Deserializer, SavefileError, Serializer};

/// The answer to "may this type be copied byte-for-byte?".
///
/// Only [`IsPacked::yes`] can say yes, and it is `unsafe` to call: saying yes is a
/// promise about the type's memory layout that the compiler cannot check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IsPacked(bool);

impl IsPacked {
    /// Promises that the type's memory bytes are exactly its saved bytes.
    ///
    /// # Safety
    ///
    /// The type must be `Copy`-like plain data with no padding, a fixed layout
    /// (`#[repr(C)]`, `#[repr(transparent)]`, a primitive, or an integer-repr enum),
    /// its memory bytes must be exactly its saved bytes (so the host must be
    /// little-endian), and every byte pattern must be a valid value, unless the type
    /// also overrides the hidden `Packed` check methods to reject the invalid ones.
    pub unsafe fn yes() -> IsPacked {
        IsPacked(true)
    }

    /// The type must be written field by field.
    pub fn no() -> IsPacked {
        IsPacked(false)
    }

    /// True if the type was promised packed.
    pub fn is_yes(self) -> bool {
        self.0
    }

    /// True if the type is not packed.
    pub fn is_false(self) -> bool {
        !self.0
    }
}

impl BitAnd<IsPacked> for IsPacked {
    type Output = IsPacked;

    /// Packed only if both sides are: a struct is packed when all its fields are.
    fn bitand(self, rhs: IsPacked) -> IsPacked {
        IsPacked(self.0 && rhs.0)
    }
}

/// Whether a type's memory layout equals its saved layout.
///
/// The default answer is "no", which is always safe. `#[derive(Savefile)]` measures
/// the layout and answers per data version.
pub trait Packed {
    /// Whether values of this type may be copied as raw bytes when reading or
    /// writing data version `version`.
    ///
    /// # Safety
    ///
    /// Implementations that return [`IsPacked::yes`] promise everything listed on
    /// [`IsPacked::yes`] for that version. Calling this function is always safe in
    /// itself; it is `unsafe` so that overriding it stands out.
    #[inline]
    unsafe fn repr_c_optimization_safe(_version: u32) -> IsPacked {
        IsPacked::no()
    }

    /// How values may be copied for `version`: `Plain` when
    /// [`Packed::repr_c_optimization_safe`] says yes; `Checked` for types whose
    /// memory bytes are their saved bytes although not every byte pattern is a valid
    /// value (`bool`, `char`, enums, and structs or arrays of them), so that each
    /// copied element must pass [`Packed::__savefile_check`] before it is used.
    ///
    /// # Safety
    ///
    /// `Plain` promises what [`IsPacked::yes`] does; `Checked` promises the same
    /// except that every byte pattern is valid: `__savefile_check` must reject every
    /// invalid one instead.
    #[doc(hidden)]
    #[inline]
    unsafe fn __savefile_bulk_copy(version: u32) -> BulkCopy {
        // SAFETY: asking has no preconditions; a yes carries its own promise over.
        if unsafe { Self::repr_c_optimization_safe(version) }.is_yes() {
            BulkCopy::Plain
        } else {
            BulkCopy::No
        }
    }

    /// Checks that `bytes` (exactly `size_of::<Self>()` of them, as saved) form a
    /// valid value, for types copied with `BulkCopy::Checked`.
    #[doc(hidden)]
    fn __savefile_check(_version: u32, _bytes: &[u8]) -> Result<(), SavefileError> {
        Ok(())
    }

    /// For a one-byte type copied with `BulkCopy::Checked` whose valid values are
    /// exactly the bytes with none of these bits set (`bool`: `0xfe`): lets a vector
    /// of it be checked with a few word loads. `None` for every other type.
    #[doc(hidden)]
    const __SAVEFILE_INVALID_BITS: Option<u8> = None;
}

/// Safe query of [`Packed::repr_c_optimization_safe`].
pub(crate) fn is_packed<T: Packed + ?Sized>(version: u32) -> bool {
    // SAFETY: the function only reports a fact about the type; calling it has no
    // preconditions. The unsafety is in *acting* on a yes, which only this module does.
    unsafe { T::repr_c_optimization_safe(version) }.is_yes()
}

/// How values of a type may be copied for one data version.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkCopy {
    /// Element by element, through `Serialize`/`Deserialize`.
    No,
    /// As raw bytes: every byte pattern is a valid value.
    Plain,
    /// As raw bytes, each element's bytes checked before it is used.
    Checked,
}

impl BulkCopy {
    /// The kind of a composite whose part at the current position has kind `part`:
    /// `contiguous` says that the part starts where the previous one ended.
    #[doc(hidden)]
    pub fn then(self, part: BulkCopy, contiguous: bool) -> BulkCopy {
        match (self, part) {
            _ if !contiguous => BulkCopy::No,
            (BulkCopy::No, _) | (_, BulkCopy::No) => BulkCopy::No,
            (BulkCopy::Checked, _) | (_, BulkCopy::Checked) => BulkCopy::Checked,
            (BulkCopy::Plain, BulkCopy::Plain) => BulkCopy::Plain,
        }
    }
}

/// How values of `T` may be copied when reading or writing data version `version`.
pub fn bulk_copy<T: Packed + ?Sized>(version: u32) -> BulkCopy {
    // SAFETY: asking has no preconditions; only this module acts on the answer.
    unsafe { T::__savefile_bulk_copy(version) }
}

/// The fewest bytes one element of `T` takes in the saved data of `version`.
///
/// Types copied in bulk take exactly their size. Everything else is assumed to take
/// at least one byte, which is what bounds how many elements a length prefix may claim.
pub(crate) fn min_wire_size<T: Packed>(version: u32) -> usize {
    match bulk_copy::<T>(version) {
        BulkCopy::No => 1,
        BulkCopy::Plain | BulkCopy::Checked => std::mem::size_of::<T>(),
    }
}

/// The fewest bytes one element of `T` takes in the saved data of `version`, as far
/// as is known: a lower bound, which may be 0 (see
/// [`Deserialize::__SAVEFILE_MIN_SIZE`]). Unlike [`min_wire_size`], never more than
/// the truth, so it may tell how far a stream can be read ahead.
#[inline]
pub(crate) fn min_bytes<T: Deserialize + Packed>(version: u32) -> usize {
    match bulk_copy::<T>(version) {
        BulkCopy::No => T::__SAVEFILE_MIN_SIZE,
        BulkCopy::Plain | BulkCopy::Checked => std::mem::size_of::<T>(),
    }
}

/// How many bytes of a packed vector read from a stream are read straight into it at a
/// time. Each piece is zeroed just before (a reader must be given initialised memory);
/// one this small is still in the level-1 cache when the reader fills it, which makes
/// the zeroing cheap. (6 MB from a `Cursor`, measured alone: 16 KiB pieces 157 µs,
/// 64 KiB pieces 200 µs, against 145 µs for a read into unzeroed memory, which is not
/// allowed and was measured only as the floor; on the mesh dataset 8 KiB did best.)
const DIRECT_CHUNK_BYTES: usize = 8 * 1024;

/// How many bytes of one packed vector are read straight into it, in
/// [`DIRECT_CHUNK_BYTES`] pieces; the rest is read in [`SCRATCH_CHUNK_BYTES`] blocks
/// into a scratch buffer that stays in cache and copied from there. From a file, small
/// pieces cost a system call each (192 MB in 16 KiB pieces: 1.3× the time of
/// `std::fs::read`) and zeroing large ones costs as much as a copy (1 MiB pieces: 1.2×),
/// while the copy of large blocks runs at `fs::read`'s speed. From a source in memory
/// (a `Cursor`) the copy through the scratch buffer takes twice as long as reading into
/// place, so the first 8 MiB, all of most vectors, are read into place.
const DIRECT_BYTES: usize = 8 << 20;

/// The size of the blocks read into the scratch buffer past [`DIRECT_BYTES`].
const SCRATCH_CHUNK_BYTES: usize = 2 << 20;

/// Checks the saved bytes of consecutive `T`s, when `how` asks for it; `ahead` is
/// the input from the start of `bytes` on, when it is in memory (else `bytes`).
///
/// Also what the checked-layout impls of arrays and wrappers call for their elements.
/// A one-byte type with `__SAVEFILE_INVALID_BITS` (`bool`) is checked with a few word
/// loads and no branch on the length; only bytes that fail that are checked one by
/// one, which finds the error to report.
#[inline(always)]
pub(crate) fn check_elements<T: Packed>(
    how: BulkCopy,
    version: u32,
    bytes: &[u8],
    ahead: &[u8],
) -> Result<(), SavefileError> {
    let size = size_of::<T>();
    if how != BulkCopy::Checked || size == 0 {
        return Ok(());
    }
    if let Some(bits) = T::__SAVEFILE_INVALID_BITS {
        if size == 1 && leading_bytes_lack(bytes, ahead, bits) {
            return Ok(());
        }
    }
    check_each::<T>(version, bytes)
}

/// [`check_elements`] one element at a time.
fn check_each<T: Packed>(version: u32, bytes: &[u8]) -> Result<(), SavefileError> {
    for element in bytes.chunks_exact(size_of::<T>()) {
        T::__savefile_check(version, element)?;
    }
    Ok(())
}

/// The bytes of a slice of packed values.
fn packed_bytes<T: Packed>(items: &[T]) -> &[u8] {
    // SAFETY: callers only pass slices of a type copied in bulk for the version being
    // written (packed, or with a checked layout): data with no padding, so every one
    // of its `size_of_val(items)` bytes is initialised. The byte slice borrows `items`, so it lives no longer.
    unsafe { std::slice::from_raw_parts(items.as_ptr().cast::<u8>(), std::mem::size_of_val(items)) }
}

/// The bytes of `value` if its type is copied in bulk for `version` (they are then
/// its saved bytes), else `None`. Used by derived `Serialize` to write a packed
/// struct as one region.
#[doc(hidden)]
#[inline]
pub fn bytes_of<T: Packed>(value: &T, version: u32) -> Option<&[u8]> {
    match bulk_copy::<T>(version) {
        BulkCopy::No => None,
        BulkCopy::Plain | BulkCopy::Checked => Some(packed_bytes(std::slice::from_ref(value))),
    }
}

/// Reads one value of `T` as its saved bytes, if `T` is copied in bulk for the
/// file's version (checked first, when `T` asks for it); `Ok(None)`, reading nothing,
/// otherwise. Used by derived `Deserialize` to read a packed struct with one bounds
/// check and one copy, the counterpart of [`bytes_of`].
#[doc(hidden)]
#[inline]
pub fn read_value<T: Packed>(
    deserializer: &mut Deserializer<impl Read>,
) -> Result<Option<T>, SavefileError> {
    let version = deserializer.file_version;
    let how = bulk_copy::<T>(version);
    let size = size_of::<T>();
    // Zero-sized values have no bytes: the field-by-field path makes them.
    if how == BulkCopy::No || size == 0 {
        return Ok(None);
    }
    if let Some(source) = deserializer.__take_now(size) {
        check_elements::<T>(how, version, source, source)?;
        // SAFETY: `source` is `size_of::<T>()` bytes of our input. `T` is copied in bulk
        // for this version, so these saved bytes are exactly the memory bytes of one
        // value, and they passed `T`'s checks (when it has any), so they form a valid
        // `T`. `read_unaligned` copies them out without any alignment requirement.
        return Ok(Some(unsafe {
            source.as_ptr().cast::<T>().read_unaligned()
        }));
    }
    let mut value = MaybeUninit::<T>::zeroed();
    // SAFETY: `zeroed` initialised all `size` bytes of the value's storage, so they may
    // be viewed as bytes; the view is dropped before `value` is used again.
    let bytes = unsafe { std::slice::from_raw_parts_mut(value.as_mut_ptr().cast::<u8>(), size) };
    deserializer.read_bytes_to_buf(bytes)?;
    check_elements::<T>(how, version, bytes, bytes)?;
    // SAFETY: the storage holds the saved bytes of one `T` copied in bulk, which are its
    // memory bytes, and they passed `T`'s checks (when it has any).
    Ok(Some(unsafe { value.assume_init() }))
}

/// Reads `count` more elements straight into the spare capacity of `items` and
/// appends them.
///
/// Element-by-element reading goes through here, so that a derived element is
/// written field by field in its final place (see
/// [`crate::Deserialize::__savefile_deserialize_into`]). Within the capacity already
/// reserved (callers reserve what the load's allowance grants), the loop walks the
/// spare slots and the length is set once per run of them, instead of a capacity
/// check and a length update per element; an element that fails ends the run, and
/// the length then covers exactly the elements before it.
#[inline]
pub(crate) fn extend_deserialized<T: Deserialize + Packed>(
    items: &mut Vec<T>,
    deserializer: &mut Deserializer<impl Read>,
    count: usize,
) -> Result<(), SavefileError> {
    let mut elements =
        deserializer.begin_elements(count, min_bytes::<T>(deserializer.file_version));
    let mut left = count;
    while left > 0 {
        grow_toward(items, 1, footprint::VEC_GROWTH_STEP, items.len() + left);
        let len = items.len();
        let spare = items.spare_capacity_mut();
        let run = spare.len().min(left);
        let mut written = 0;
        let mut outcome = Ok(());
        for slot in &mut spare[..run] {
            deserializer.next_element(&mut elements);
            match T::__savefile_deserialize_into(deserializer, slot) {
                Ok(Written { .. }) => written += 1,
                Err(e) => {
                    outcome = Err(e);
                    break;
                }
            }
        }
        // SAFETY: the first `written` spare slots, the `written` elements right after
        // the length, each got a `Written` from `__savefile_deserialize_into`, which
        // attests that it holds a valid `T`; the new length covers exactly them (and
        // `written <= run <= spare.len()`, so it stays within the capacity).
        unsafe { items.set_len(len + written) };
        if outcome.is_err() {
            deserializer.end_elements(elements);
            return outcome;
        }
        left -= run;
    }
    deserializer.end_elements(elements);
    Ok(())
}

/// Writes packed elements as one block of bytes. Returns `false`, writing nothing,
/// when `T` is not packed for the version being written.
#[inline]
pub(crate) fn try_write_packed<T: Packed>(
    serializer: &mut Serializer<impl Write>,
    items: &[T],
) -> Result<bool, SavefileError> {
    if bulk_copy::<T>(serializer.file_version) == BulkCopy::No {
        return Ok(false);
    }
    serializer.write_bytes(packed_bytes(items))?;
    Ok(true)
}

/// The `count` elements of `T` at the start of `input`, viewed where they lie, for as
/// long as `input` lives, when they can be: `T` is copied in bulk for `version` (its
/// memory is its saved bytes), not zero-sized, and the bytes are at an address
/// aligned for `T`. Every element is checked first (when `T` asks for it). `None`,
/// with nothing checked, when they cannot be viewed; `ShortRead` when `input` is too
/// short. What borrowed loads lend packed slices with.
///
/// `T: Copy` keeps interior mutability out: a type with an `UnsafeCell` inside (a
/// `Cell`, an atomic) is never `Copy`, and only such a type could change bytes that
/// the shared borrow of `input` promises are frozen.
#[inline]
pub(crate) fn view_packed<T: Packed + Copy>(
    input: &[u8],
    count: usize,
    version: u32,
) -> Result<Option<&[T]>, SavefileError> {
    let how = bulk_copy::<T>(version);
    let size = size_of::<T>();
    if how == BulkCopy::No || size == 0 {
        return Ok(None);
    }
    let total = count.checked_mul(size).ok_or(SavefileError::ShortRead)?;
    let bytes = input.get(..total).ok_or(SavefileError::ShortRead)?;
    if bytes.as_ptr().align_offset(std::mem::align_of::<T>()) != 0 {
        return Ok(None);
    }
    check_elements::<T>(how, version, bytes, input)?;
    // SAFETY: `bytes` is `count * size_of::<T>()` initialised bytes at an address
    // aligned for `T` (checked above), inside one allocation that `input` borrows for
    // as long as the returned view lives, so they cannot change or be freed while the view lives. `bulk_copy` says
    // that `T`'s memory is exactly its saved bytes, laid out as `size_of::<T>()`
    // bytes per element with no padding, and that every pattern of them is a valid
    // `T` (`Plain`) or that each element's bytes were checked to be one (`Checked`,
    // `check_elements` above). `T: Copy` has no interior mutability (see above), so
    // a shared view of bytes that are only read is sound.
    Ok(Some(unsafe {
        std::slice::from_raw_parts(bytes.as_ptr().cast::<T>(), count)
    }))
}

/// Reads `count` elements as one block of bytes straight into a new vector's buffer:
/// from memory with one copy into an allocation of [`loaded_capacity`] elements, from
/// a stream chunk by chunk. Every element is checked (when `T` asks for it) before the
/// vector's length covers it, so no invalid value ever exists. Returns `None`,
/// reading nothing, when `T` is not copied in bulk for the file's version, or is
/// zero-sized.
///
/// `count` must have been checked against the input with `min_wire_size::<T>`.
#[inline]
pub(crate) fn try_read_packed<T: Packed>(
    deserializer: &mut Deserializer<impl Read>,
    count: usize,
    room: Room,
) -> Result<Option<Vec<T>>, SavefileError> {
    let version = deserializer.file_version;
    let how = bulk_copy::<T>(version);
    let size = size_of::<T>();
    // Zero-sized elements have no bytes to copy: the element-by-element path makes them.
    if how == BulkCopy::No || size == 0 {
        return Ok(None);
    }
    let total = count
        .checked_mul(size)
        .ok_or_else(|| SavefileError::LengthTooLarge {
            length: count as u64,
            remaining: deserializer.remaining_hint().unwrap_or(0),
        })?;
    // Charged at the capacity a vector from memory gets (from a stream too, so that
    // both count the same): `total`, or with spare room a little more below 16 bytes,
    // which cannot overflow then.
    deserializer.charge_memory(footprint::block(room.capacity(count, size) * size))?;
    let ahead = deserializer.input();
    if let Some(source) = ahead.get(..total) {
        check_elements::<T>(how, version, source, ahead)?;
        let items = copied_vec(source, ahead, room);
        deserializer.skip_input(total);
        return Ok(Some(items));
    }
    read_packed_from_stream(deserializer, count, how, room).map(Some)
}

/// How much room a vector read in bulk gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Room {
    /// At least 16 bytes' worth ([`loaded_capacity`]), which lets a short vector be
    /// copied with [`copy_from_window`]: for vectors and what is built on their
    /// buffer (deques, heaps).
    Spare,
    /// Exactly the elements: for boxed slices, which would give spare room back
    /// with a `realloc`, and for vectors only copied into a shared slice.
    Exact,
}

impl Room {
    /// The capacity of a vector of `count` elements of `size` bytes with this room.
    #[inline(always)]
    pub(crate) fn capacity(self, count: usize, size: usize) -> usize {
        match self {
            Room::Spare => loaded_capacity(count, size),
            Room::Exact => count,
        }
    }
}

/// A vector of the packed `T`s whose saved bytes, already checked, are `source`
/// (`T` not zero-sized; `source` a whole number of values long), where `ahead` is
/// the input from the start of `source` on, with the capacity `room` gives it.
///
/// Allocates straight from the global allocator: `Vec::with_capacity` goes through
/// an out-of-line function that costs more than the copy for the short vectors that
/// are common in saved data. With spare room, up to 32 bytes followed by enough input
/// are copied with [`copy_from_window`].
#[inline(always)]
pub(crate) fn copied_vec<T: Packed>(source: &[u8], ahead: &[u8], room: Room) -> Vec<T> {
    debug_assert_eq!(source.as_ptr(), ahead.as_ptr());
    let size = size_of::<T>().max(1);
    let count = source.len() / size;
    debug_assert_eq!(source.len(), count * size);
    let capacity = room.capacity(count, size);
    let Some(memory) = allocate::<T>(capacity) else {
        return Vec::new();
    };
    let len = source.len();
    let window = ahead.first_chunk::<32>().filter(|_| room == Room::Spare);
    match window {
        // SAFETY: the allocation holds `capacity * size` bytes, at least `len`
        // (`capacity >= count`) and, with spare room (the only case with a window), at
        // least 16 (`loaded_capacity`, `count` not zero since the allocation is not
        // empty), as `copy_from_window` requires; it is fresh, so it does not overlap
        // the input. The first `len` bytes of `window` are `source`'s, since both
        // start where `ahead` does.
        Some(window) if len <= 32 => unsafe { copy_from_window(window, memory.cast(), len) },
        // SAFETY: `source` is `len` bytes, the allocation at least as many, and fresh.
        _ => unsafe { copy_bytes(source.as_ptr(), memory.cast(), len) },
    }
    // SAFETY: `memory` was allocated by the global allocator with the layout of
    // `capacity` `T`s (`Layout::array`), which is the capacity given here, and
    // `count <= capacity`. `T` is packed, so the `len` bytes copied are exactly the
    // memory bytes of `count` values, and they passed `T`'s checks, so every value
    // is valid: the first `count` elements are initialised, as `from_raw_parts`
    // requires. (The bytes beyond them are spare capacity, which may hold anything.)
    unsafe { Vec::from_raw_parts(memory, count, capacity) }
}

/// The fewest bytes a loaded string or packed vector that is not empty has room for.
///
/// Allocators hand out no less anyway (glibc's smallest chunk holds 24 bytes), and
/// it lets the short contents that most of them have be copied with one fixed
/// 16-byte move ([`copy_from_window`]) instead of a branch on their length, which
/// varies too much from one to the next to be predicted (minecraft_savedata loads
/// took 8 % less time, mk48 7 %).
pub(crate) const MIN_LOADED_BYTES: usize = 16;

/// The capacity a loaded string or packed vector of `count` elements of `size`
/// bytes gets: `count`, but room for at least [`MIN_LOADED_BYTES`] unless empty.
#[inline(always)]
pub(crate) fn loaded_capacity(count: usize, size: usize) -> usize {
    if count == 0 {
        0
    } else {
        count.max(MIN_LOADED_BYTES.div_ceil(size.max(1)))
    }
}

/// A fresh allocation for `capacity` `T`s from the global allocator (as a `Vec` of
/// that capacity would make); `None`, allocating nothing, when it would be empty.
/// Running out of memory is `handle_alloc_error`, as for `Vec`.
#[inline(always)]
pub(crate) fn allocate<T>(capacity: usize) -> Option<*mut T> {
    // Only more than isize::MAX bytes fail, which no caller asks for (capacities
    // come from lengths of slices in memory).
    let layout = Layout::array::<T>(capacity).ok()?;
    if layout.size() == 0 {
        return None;
    }
    // SAFETY: `layout` is not zero-sized (checked above).
    let memory = unsafe { alloc::alloc(layout) };
    if memory.is_null() {
        alloc::handle_alloc_error(layout);
    }
    Some(memory.cast())
}

/// Copies the first `len` bytes of `window` to `to`: one 16-byte move, and a second
/// one ending at `len` when `len` is above 16. The first move also writes the bytes
/// up to 16 beyond `len`, from the input that follows the text.
///
/// # Safety
///
/// `len` must be at most 32, and `to` valid for writes of `max(len, 16)` bytes, not
/// overlapping `window`.
#[inline(always)]
pub(crate) unsafe fn copy_from_window(window: &[u8; 32], to: *mut u8, len: usize) {
    debug_assert!(len <= 32);
    // Both are always there: the window has 32 bytes, and from `len - 16` (at most
    // 16) on it has `48 - len`, at least 16. Were one missing, the bytes it should
    // have written would be left uninitialised, so the callers rely on this.
    if let Some(first) = window.first_chunk::<16>() {
        // SAFETY: `to` is valid for writes of at least 16 bytes (the caller's promise).
        unsafe { std::ptr::write_unaligned(to.cast::<[u8; 16]>(), *first) };
    }
    if len > 16 {
        if let Some(last) = window
            .get(len - 16..)
            .and_then(|tail| tail.first_chunk::<16>())
        {
            // SAFETY: `to` is valid for writes of `len` bytes (the caller's promise),
            // and this move writes bytes `len - 16..len`.
            unsafe { std::ptr::write_unaligned(to.add(len - 16).cast::<[u8; 16]>(), *last) };
        }
    }
}

/// Copies `len` bytes from `from` to `to`, like `copy_nonoverlapping`; up to
/// [`SHORT_WRITE`] (32) bytes with the staging buffer's [`copy_short`] (two
/// overlapping moves of a fixed width) instead of a call to `memcpy`, which costs
/// more in the call and its own dispatch than in copying so few bytes.
///
/// # Safety
///
/// As for `std::ptr::copy_nonoverlapping`: `from` valid for reads and `to` for writes
/// of `len` bytes, the two regions not overlapping.
#[inline(always)]
pub(crate) unsafe fn copy_bytes(from: *const u8, to: *mut u8, len: usize) {
    if len > SHORT_WRITE {
        // SAFETY: the caller's promise, which is `copy_nonoverlapping`'s contract.
        unsafe { std::ptr::copy_nonoverlapping(from, to, len) };
        return;
    }
    // SAFETY: the caller vouches that `from` is valid for reads and `to` for writes of
    // `len` bytes, not overlapping, so the two slices may exist side by side for this
    // call. Viewing the bytes as `MaybeUninit<u8>` asks nothing of their contents, so
    // `to` may be uninitialised (a fresh allocation) and `from` initialised or not.
    let (src, dest) = unsafe {
        (
            std::slice::from_raw_parts(from.cast::<MaybeUninit<u8>>(), len),
            std::slice::from_raw_parts_mut(to.cast::<MaybeUninit<u8>>(), len),
        )
    };
    copy_short(dest, src);
}

/// [`try_read_packed`] for elements not all in memory: from a stream, through its
/// buffer when they fit in it; otherwise into the vector's spare capacity piece by piece, straight from the reader for the first
/// [`DIRECT_BYTES`] (each piece zeroed just before it is filled, so that the reader
/// gets initialised memory: every byte is written twice, in cache), then through a
/// scratch buffer. Each piece is checked (when `T` asks for it) before the vector's
/// length covers it.
///
/// The vector grows only as bytes actually arrive, so a lying count cannot make it
/// allocate ahead of them: it starts with what the load's allowance for memory ahead
/// of data grants (all of it, when that covers the elements) and, when full, grows by
/// what the allowance grants then. Since that rises by four bytes per byte read, each
/// step is about four times as large as what was read before it: a long vector is
/// reallocated a few times, not once per piece.
#[cold]
#[inline(never)]
fn read_packed_from_stream<T: Packed>(
    deserializer: &mut Deserializer<impl Read>,
    count: usize,
    how: BulkCopy,
    room: Room,
) -> Result<Vec<T>, SavefileError> {
    let version = deserializer.file_version;
    let size = size_of::<T>();
    // `try_read_packed` checked that this does not overflow.
    let total = count * size;
    // A vector that fits in the stream's buffer is brought into it and copied from
    // there, as from memory.
    if deserializer.fill_input(total)? {
        let ahead = deserializer.input();
        if let Some(source) = ahead.get(..total) {
            check_elements::<T>(how, version, source, ahead)?;
            let items = copied_vec(source, ahead, room);
            deserializer.skip_input(total);
            return Ok(items);
        }
    }
    let mut out = Vec::<T>::new();
    let mut scratch = Vec::<u8>::new();
    while out.len() < count {
        let left = count - out.len();
        let direct = out.len() * size < DIRECT_BYTES;
        let chunk = match direct {
            true => DIRECT_CHUNK_BYTES,
            false => SCRATCH_CHUNK_BYTES,
        };
        let per_chunk = (chunk / size).max(1);
        if out.len() == out.capacity() {
            // At least one piece, which the bytes read next back. The older buffer
            // lives beside the new one while the vector moves: charged meanwhile (the
            // vector's own bytes were charged at its full length before).
            let granted = deserializer.capacity_for::<T>(left);
            let older = footprint::buffer::<T>(out.capacity());
            deserializer.charge_memory(older)?;
            out.reserve_exact(granted.max(left.min(per_chunk)));
            deserializer.release_memory(older);
        }
        let n = (out.capacity() - out.len()).min(left).min(per_chunk);
        let spare = &mut out.spare_capacity_mut()[..n];
        let start = spare.as_mut_ptr().cast::<u8>();
        if direct {
            // SAFETY: `spare` is `n` elements of the vector's capacity beyond its
            // length, i.e. `n * size` bytes we may write. Zeroing them first makes
            // every byte initialised, so viewing them as `&mut [u8]` for the reader is
            // sound; the view ends before the vector is touched again.
            let bytes = unsafe {
                std::ptr::write_bytes(start, 0, n * size);
                std::slice::from_raw_parts_mut(start, n * size)
            };
            deserializer.read_bytes_to_buf(bytes)?;
            check_elements::<T>(how, version, bytes, bytes)?;
        } else {
            if scratch.len() < n * size {
                // Charged until the vector is complete.
                deserializer.charge_memory(n * size - scratch.len())?;
                scratch.resize(n * size, 0);
            }
            let bytes = &mut scratch[..n * size];
            deserializer.read_bytes_to_buf(bytes)?;
            check_elements::<T>(how, version, bytes, bytes)?;
            // SAFETY: `start` is valid for writes of the `n * size` bytes of `spare`,
            // a part of the vector's allocation, which cannot overlap `scratch`, a
            // separate allocation holding `n * size` bytes.
            unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), start, n * size) };
        }
        // SAFETY: the `n` elements after the length now hold the saved bytes of `n`
        // values, which are their memory bytes since `T` is copied in bulk, and they
        // passed `T`'s checks (if it has any); `len + n` is within the capacity.
        unsafe { out.set_len(out.len() + n) };
    }
    deserializer.release_memory(scratch.len());
    Ok(out)
}

/// Reads `count` elements straight into a new shared slice (`Rc<[T]>`, `Arc<[T]>`),
/// when they are copied in bulk and all already in memory; `None` otherwise (the
/// caller then reads a vector and moves it into the shared allocation).
macro_rules! read_packed_shared {
    ($($name:ident => $shared:ident),*) => {$(
        pub(crate) fn $name<T: Packed>(
            deserializer: &mut Deserializer<impl Read>,
            count: usize,
        ) -> Result<Option<$shared<[T]>>, SavefileError> {
            let version = deserializer.file_version;
            let how = bulk_copy::<T>(version);
            let size = size_of::<T>();
            if how == BulkCopy::No || size == 0 {
                return Ok(None);
            }
            let Some(total) = count.checked_mul(size) else {
                return Ok(None);
            };
            if deserializer.peek_input(total)?.is_none() {
                return Ok(None);
            }
            deserializer.charge_memory(footprint::counted_slice::<T>(count))?;
            let Some(source) = deserializer.input().get(..total) else {
                return Ok(None);
            };
            check_elements::<T>(how, version, source, source)?;
            let mut shared = $shared::<[T]>::new_uninit_slice(count);
            let Some(slots) = $shared::get_mut(&mut shared) else {
                return Ok(None);
            };
            // SAFETY: `slots` is `count` uninitialised elements, i.e. `total` bytes we
            // may write, in a fresh allocation that cannot overlap our input `source`,
            // which holds exactly `total` bytes.
            unsafe {
                std::ptr::copy_nonoverlapping(source.as_ptr(), slots.as_mut_ptr().cast::<u8>(), total);
            }
            deserializer.skip_input(total);
            // SAFETY: every slot now holds the saved bytes of a `T`, which are its
            // memory bytes since `T` is copied in bulk, and they passed `T`'s checks.
            Ok(Some(unsafe { shared.assume_init() }))
        }
    )*};
}

read_packed_shared!(try_read_packed_rc => Rc, try_read_packed_arc => Arc);

/// Reads `[T; N]` as one block of bytes when `T` is packed; `None` otherwise.
pub(crate) fn try_read_packed_array<T: Packed, const N: usize>(
    deserializer: &mut Deserializer<impl Read>,
) -> Result<Option<[T; N]>, SavefileError> {
    let version = deserializer.file_version;
    let how = bulk_copy::<T>(version);
    if how == BulkCopy::No || (size_of::<T>() == 0 && how == BulkCopy::Checked) {
        return Ok(None);
    }
    let total = size_of::<[T; N]>();
    let mut array = MaybeUninit::<[T; N]>::zeroed();
    // SAFETY: `zeroed` initialised all `total` bytes of the array's storage, so they
    // may be viewed as bytes; the view is dropped before `array` is used again.
    let bytes = unsafe { std::slice::from_raw_parts_mut(array.as_mut_ptr().cast::<u8>(), total) };
    deserializer.read_bytes_to_buf(bytes)?;
    check_elements::<T>(how, version, bytes, bytes)?;
    // SAFETY: the array's bytes are the saved bytes of N `T`s copied in bulk, which are
    // their memory bytes, laid out with the same stride as the array, and each passed
    // `T`'s checks if it has any (zero-sized `T`s with checks never get here).
    Ok(Some(unsafe { array.assume_init() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_bytes_copies_exactly_every_length() {
        let source: Vec<u8> = (1..=80).collect();
        for len in 0..=source.len() {
            // Sentinels on both sides of the destination must stay untouched.
            let mut target = vec![0u8; len + 2];
            // SAFETY: `source` has at least `len` bytes and `target[1..]` at least
            // `len + 1`; they are separate allocations.
            unsafe { copy_bytes(source.as_ptr(), target[1..].as_mut_ptr(), len) };
            assert_eq!(&target[1..=len], &source[..len], "len {len}");
            assert_eq!((target[0], target[len + 1]), (0, 0), "len {len}");
        }
    }

    #[test]
    fn copy_from_window_copies_every_length_and_stays_in_its_room() {
        let window: [u8; 32] = std::array::from_fn(|i| i as u8 + 1);
        for len in 0..=32 {
            // The room the caller provides, `max(len, 16)` bytes, between sentinels.
            let room = len.max(16);
            let mut target = vec![0u8; room + 2];
            // SAFETY: `target[1..]` has `room + 1` bytes, a separate allocation.
            unsafe { copy_from_window(&window, target[1..].as_mut_ptr(), len) };
            assert_eq!(&target[1..=len], &window[..len], "len {len}");
            assert_eq!((target[0], target[room + 1]), (0, 0), "len {len}");
        }
    }

    #[test]
    fn loaded_vectors_have_room_for_16_bytes_or_their_length() {
        for size in [1, 2, 3, 4, 5, 8, 12, 16, 24, 100] {
            assert_eq!(loaded_capacity(0, size), 0);
            for count in 1..40 {
                let capacity = loaded_capacity(count, size);
                assert!(capacity >= count && capacity * size >= MIN_LOADED_BYTES);
                if count * size >= MIN_LOADED_BYTES {
                    assert_eq!(capacity, count, "size {size}, count {count}");
                } else {
                    assert_eq!(capacity, MIN_LOADED_BYTES.div_ceil(size));
                }
            }
        }
    }

    /// `copied_vec` of every count of `T` (each value's bytes from `value`), with 0 to
    /// 40 bytes of other input after them: the elements, and the capacity.
    fn copied_vecs_of<T: Packed + PartialEq + std::fmt::Debug>(value: impl Fn(usize) -> T) {
        for count in 0..12 {
            let items: Vec<T> = (0..count).map(&value).collect();
            let bytes = packed_bytes(&items);
            for tail in 0..40 {
                let mut input = bytes.to_vec();
                input.resize(bytes.len() + tail, 0xa5);
                let exact: Vec<T> = copied_vec(&input[..bytes.len()], &input, Room::Exact);
                assert_eq!((&exact, exact.capacity()), (&items, count));
                let copied: Vec<T> = copied_vec(&input[..bytes.len()], &input, Room::Spare);
                assert_eq!(copied, items, "count {count}, tail {tail}");
                assert_eq!(copied.capacity(), loaded_capacity(count, size_of::<T>()));
                // An ordinary vector: it grows and drops as one.
                let mut grown = copied;
                grown.extend((0..20).map(&value));
                assert_eq!(&grown[..count], &items[..]);
            }
        }
    }

    #[test]
    fn copied_vec_copies_every_count_whatever_follows() {
        copied_vecs_of(|i| i as u8);
        copied_vecs_of(|i| i % 2 == 1);
        copied_vecs_of(|i| 0x0102u16.wrapping_mul(i as u16 + 1));
        copied_vecs_of(|i| [i as u8, 0xfe, 7]);
        copied_vecs_of(|i| (i as u64) << 40 | 0xabcd);
        copied_vecs_of(|i| [i as u32; 5]);
    }

    #[test]
    fn and_is_packed_only_when_both_are() {
        // SAFETY: these values are only compared, never used to copy memory.
        let yes = unsafe { IsPacked::yes() };
        assert!((yes & yes).is_yes());
        assert!((yes & IsPacked::no()).is_false());
        assert!((IsPacked::no() & yes).is_false());
        assert!(IsPacked::no().is_false());
    }

    /// The bytes element-by-element serialization writes for `items` (no count).
    fn one_by_one<T: crate::Serialize>(items: &[T]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut serializer = Serializer::new(&mut out, 0);
        for item in items {
            item.serialize(&mut serializer).unwrap();
        }
        out
    }

    /// Loads `Vec<T>` from memory and from a stream; both must agree.
    fn load_both<T: crate::Deserialize + Packed + PartialEq + std::fmt::Debug>(
        file: &[u8],
    ) -> Result<Vec<T>, SavefileError> {
        let from_memory = crate::load_from_mem_noschema::<Vec<T>>(file, 0);
        let from_stream = crate::load_noschema::<Vec<T>>(&mut &file[..], 0);
        match (&from_memory, &from_stream) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(_), Err(_)) => {}
            _ => panic!("memory and stream loads disagree: {from_memory:?} / {from_stream:?}"),
        }
        from_memory
    }

    fn file_of<T: crate::Serialize + crate::WithSchema>(value: &T) -> Vec<u8> {
        let mut out = Vec::new();
        crate::save_noschema(&mut out, 0, value).unwrap();
        out
    }

    #[test]
    fn bulk_bytes_equal_element_by_element_bytes() {
        let numbers: Vec<u32> = (0..70_000u32)
            .map(|i| i.wrapping_mul(2_654_435_761))
            .collect();
        let file = file_of(&numbers);
        assert_eq!(&file[24..], one_by_one(&numbers).as_slice());
        // 70 000 u32 are 280 000 bytes: several stream chunks.
        assert_eq!(load_both::<u32>(&file).unwrap(), numbers);
        let flags = vec![true, false, true];
        assert_eq!(&file_of(&flags)[24..], one_by_one(&flags).as_slice());
        assert_eq!(load_both::<bool>(&file_of(&flags)).unwrap(), flags);
        let text: Vec<char> = "h€llo 𝄞".chars().collect();
        assert_eq!(load_both::<char>(&file_of(&text)).unwrap(), text);
        let units = vec![(); 5];
        assert_eq!(load_both::<()>(&file_of(&units)).unwrap(), units);
        // Shared slices are filled in place from memory, and through a vector from a stream.
        let shared: Arc<[u32]> = crate::load_from_mem_noschema(&file, 0).unwrap();
        assert_eq!(&shared[..], &numbers[..]);
        let shared: Rc<[u32]> = crate::load_noschema(&mut &file[..], 0).unwrap();
        assert_eq!(&shared[..], &numbers[..]);
        let mut bad = file_of(&vec![true, false]);
        bad[25] = 5;
        assert!(matches!(
            crate::load_from_mem_noschema::<Arc<[bool]>>(&bad, 0),
            Err(SavefileError::InvalidBool { value: 5 })
        ));
    }

    #[test]
    fn invalid_bytes_in_a_bulk_copy_are_errors() {
        let mut bools = file_of(&vec![true; 100_000]);
        bools[24 + 99_999] = 2;
        assert!(matches!(
            load_both::<bool>(&bools),
            Err(SavefileError::InvalidBool { value: 2 })
        ));
        let mut chars = file_of(&vec!['a'; 4]);
        chars[24 + 8..24 + 12].copy_from_slice(&0xD800u32.to_le_bytes());
        assert!(matches!(
            load_both::<char>(&chars),
            Err(SavefileError::InvalidChar { value: 0xD800 })
        ));
        let mut array = file_of(&[true; 4]);
        array[16 + 3] = 7;
        assert!(matches!(
            crate::load_from_mem_noschema::<[bool; 4]>(&array, 0),
            Err(SavefileError::InvalidBool { value: 7 })
        ));
        assert!(crate::load_noschema::<[bool; 4]>(&mut &array[..], 0).is_err());
        let mut nested = file_of(&vec![[false; 3]; 2]);
        let last = nested.len() - 1;
        nested[last] = 9;
        assert!(matches!(
            load_both::<[bool; 3]>(&nested),
            Err(SavefileError::InvalidBool { value: 9 })
        ));
    }

    #[test]
    fn truncated_bulk_data_is_an_error() {
        let file = file_of(&vec![7u64; 10_000]);
        for cut in [16 + 8, 16 + 9, file.len() / 2, file.len() - 1] {
            assert!(load_both::<u64>(&file[..cut]).is_err(), "cut at {cut}");
        }
    }
}
