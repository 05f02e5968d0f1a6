//! The contract between a type and the format: its schema, how it writes itself and how it reads itself back.
//!
//! The three traits must agree. `WithSchema` describes, for every data version, the
//! bytes that `Serialize` writes and `Deserialize` reads; the schema stored in a file
//! is compared with it on load. `#[derive(Savefile)]` writes all of them (and
//! [`crate::Packed`] and [`crate::Introspect`]) so that they cannot drift apart.

use std::io::{Read, Write};
use std::mem::MaybeUninit;

use crate::format::{Deserializer, Serializer};
use crate::schema::{Schema, WithSchemaContext};
use crate::SavefileError;

/// A type that can describe its saved layout as a [`Schema`], for any data version.
pub trait WithSchema {
    /// The schema of this type's bytes as they were in data version `version`.
    ///
    /// `context` tracks the types being described, so that recursive types can
    /// refer back to themselves with [`Schema::Recursion`] instead of recursing forever.
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema;
}

/// A type that can write itself to a [`Serializer`].
pub trait Serialize: WithSchema {
    /// Writes `self` in the format described by `Self::schema(serializer.file_version)`.
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError>;

    /// How many bytes every value of this type writes in every version, when that is
    /// at most 8 and the bytes are [`Self::__savefile_bits`]: primitives up to 64 bits.
    /// Derived types gather consecutive such fields into one write of up to 8 bytes.
    #[doc(hidden)]
    const __SAVEFILE_BITS_SIZE: Option<usize> = None;

    /// The bytes `serialize` writes, as a little-endian integer, when
    /// [`Self::__SAVEFILE_BITS_SIZE`] says how many there are.
    #[doc(hidden)]
    #[inline(always)]
    fn __savefile_bits(&self) -> u64 {
        0
    }
}

/// Bytes of consecutive small fixed-size fields gathered for one write (see
/// [`write_field`]): at most 8, as a little-endian integer.
#[doc(hidden)]
#[derive(Default)]
pub struct Gathered {
    bits: u64,
    len: usize,
}

impl Gathered {
    /// Writes what was gathered, if anything, and starts over. Derived types call it
    /// after their last field and before a field written only in some versions.
    #[inline(always)]
    pub fn flush(&mut self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        std::mem::take(self).write(serializer)
    }

    /// Writes the gathered bytes. Takes the gathering by value, so that the caller's
    /// own (reset to a constant) never has its address taken, even where this is not
    /// inlined.
    #[inline]
    fn write(self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        let bytes = self.bits.to_le_bytes();
        match bytes.get(..self.len) {
            Some(gathered) if self.len > 0 => serializer.write_bytes(gathered),
            _ => Ok(()),
        }
    }

    /// Writes the gathered bytes, then `value` as usual.
    #[inline]
    fn write_then<T: Serialize + ?Sized>(
        self,
        serializer: &mut Serializer<impl Write>,
        value: &T,
    ) -> Result<(), SavefileError> {
        self.write(serializer)?;
        value.serialize(serializer)
    }
}

/// Writes the next field of a derived value (or element of a tuple): a small
/// fixed-size one ([`Serialize::__SAVEFILE_BITS_SIZE`]) is added to `gathered`, which
/// is written first if it would grow past 8 bytes; any other field is written as
/// usual, after what was gathered. The sizes are constants, so once inlined this is
/// straight-line code in which `gathered` lives in a register: a row of small fields
/// costs one write. (Not inlined, `gathered` would live in memory and its length
/// would not be known: saves took twice as long, measured.) Kept small, with one
/// `Result`, because unoptimised builds inline it too, once per field.
#[doc(hidden)]
#[inline(always)]
pub fn write_field<T: Serialize + ?Sized>(
    serializer: &mut Serializer<impl Write>,
    value: &T,
    gathered: &mut Gathered,
) -> Result<(), SavefileError> {
    match T::__SAVEFILE_BITS_SIZE {
        Some(size) if gathered.len + size <= 8 => {
            gathered.bits |= value.__savefile_bits() << (8 * gathered.len);
            gathered.len += size;
            Ok(())
        }
        Some(size) => {
            let next = Gathered {
                bits: value.__savefile_bits(),
                len: size,
            };
            std::mem::replace(gathered, next).write(serializer)
        }
        None => std::mem::take(gathered).write_then(serializer, value),
    }
}

/// The gathering size of a value made of parts with gathering sizes `sizes`: their
/// sum, if every part has one and the sum is at most 8.
pub(crate) const fn bits_sum(sizes: &[Option<usize>]) -> Option<usize> {
    match fixed_sum(sizes) {
        Some(total) if total <= 8 => Some(total),
        _ => None,
    }
}

/// A type that can read itself back from a [`Deserializer`].
///
/// Implementations must accept the bytes of every data version up to the current
/// one; `deserializer.file_version` says which version is being read.
pub trait Deserialize: WithSchema + Sized {
    /// True when reading a value of this type can never lead to reading another value
    /// of the same type, whatever the input says: the type holds its parts inline,
    /// with no box, pointer or collection on the way, so its values nest only as deep
    /// as the type itself does. Derived types that are flat skip the depth accounting
    /// of [`Deserializer::enter_nested`]. The default, `false`, is always safe;
    /// `true` is only for leaf types and for inline wrappers whose parts are all flat.
    #[doc(hidden)]
    const __SAVEFILE_FLAT: bool = false;

    /// Reads a value of this type.
    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError>;

    /// The number of bytes every value of this type takes in the data of every
    /// version, when that is fixed (primitives, and tuples and unversioned derived
    /// structs of them); `None` otherwise.
    ///
    /// Derived types read a run of consecutive fixed-size fields as one block: one
    /// bounds check for the run, then each field from its place in the block.
    #[doc(hidden)]
    const __SAVEFILE_FIXED_SIZE: Option<usize> = None;

    /// The fewest bytes a value of this type takes in the data of any version: a
    /// lower bound, never more than any value's bytes (0 when nothing better is
    /// known). A collection of such values tells the deserializer that its elements
    /// take at least this much, which lets a stream be read ahead over them without
    /// going past the end of the value being loaded.
    #[doc(hidden)]
    const __SAVEFILE_MIN_SIZE: usize = match Self::__SAVEFILE_FIXED_SIZE {
        Some(size) => size,
        None => 0,
    };

    /// Reads a value from exactly `__SAVEFILE_FIXED_SIZE` bytes, saved in data
    /// version `version`. Only called when that size is known.
    #[doc(hidden)]
    #[inline]
    fn __savefile_read_fixed(bytes: &[u8], version: u32) -> Result<Self, SavefileError> {
        // The general answer, for types that give a size but no faster way.
        let mut deserializer = Deserializer::from_slice(bytes, version);
        let value = Self::deserialize(&mut deserializer)?;
        match deserializer.remaining_hint() {
            Some(0) => Ok(value),
            count => Err(SavefileError::TrailingBytes {
                count: count.unwrap_or(0),
            }),
        }
    }

    /// Reads a value of this type into `slot`, which on `Ok` holds it (as the
    /// returned [`Written`] attests) and on `Err` holds nothing that needs dropping.
    ///
    /// What vectors use to read their elements straight into their buffer. Derived
    /// structs write each field in place, so that the value is never assembled
    /// elsewhere and copied (a copy that, right after the fields' narrow stores,
    /// stalls the processor's store forwarding).
    #[doc(hidden)]
    #[inline]
    #[allow(unsafe_code)]
    fn __savefile_deserialize_into(
        deserializer: &mut Deserializer<impl Read>,
        slot: &mut MaybeUninit<Self>,
    ) -> Result<Written, SavefileError> {
        slot.write(Self::deserialize(deserializer)?);
        // SAFETY: `slot` was just initialised with a value.
        Ok(unsafe { Written::new() })
    }
}

/// The fixed size of consecutive values of the types whose fixed sizes (or `None`)
/// are `sizes`, up to the first that has none: the length of a run of fixed-size
/// fields that can be read as one block.
#[doc(hidden)]
pub const fn fixed_run(sizes: &[Option<usize>]) -> usize {
    let mut total = 0;
    let mut index = 0;
    while index < sizes.len() {
        match sizes[index] {
            Some(size) => total += size,
            None => break,
        }
        index += 1;
    }
    total
}

/// The fixed size of a value made of parts whose fixed sizes are `sizes`: their
/// sum, if every part has one.
#[doc(hidden)]
pub const fn fixed_sum(sizes: &[Option<usize>]) -> Option<usize> {
    let mut total = 0;
    let mut index = 0;
    while index < sizes.len() {
        match sizes[index] {
            Some(size) => total += size,
            None => return None,
        }
        index += 1;
    }
    Some(total)
}

/// The sum of `sizes`, or `usize::MAX` if it overflows: the least size of a value made
/// of parts whose least sizes are `sizes` (see [`Deserialize::__SAVEFILE_MIN_SIZE`]).
#[doc(hidden)]
pub const fn min_sum(sizes: &[usize]) -> usize {
    let mut total = 0usize;
    let mut index = 0;
    while index < sizes.len() {
        total = total.saturating_add(sizes[index]);
        index += 1;
    }
    total
}

/// Reads the next value of fixed-size type `T` from the front of `block`, which it
/// then advances past it; fails (reading nothing) if the block is too short.
#[doc(hidden)]
#[inline(always)]
pub fn read_fixed_part<T: Deserialize>(
    block: &mut &[u8],
    version: u32,
) -> Result<T, SavefileError> {
    let Some((bytes, rest)) =
        T::__SAVEFILE_FIXED_SIZE.and_then(|size| block.split_at_checked(size))
    else {
        return Err(SavefileError::ShortRead);
    };
    *block = rest;
    T::__savefile_read_fixed(bytes, version)
}

/// Reads a whole value of fixed-size type `T` as one block, when all its bytes are in
/// memory (or, from a stream, could be read into it); `None` (nothing read) for other
/// types, or when they are not.
#[doc(hidden)]
#[inline]
pub fn read_whole_fixed<T: Deserialize>(
    deserializer: &mut Deserializer<impl Read>,
) -> Result<Option<T>, SavefileError> {
    let Some(size) = T::__SAVEFILE_FIXED_SIZE else {
        return Ok(None);
    };
    let version = deserializer.file_version;
    if let Some(block) = deserializer.__take_now(size) {
        return T::__savefile_read_fixed(block, version).map(Some);
    }
    deserializer.__prefetch(size)?;
    match deserializer.__take_now(size) {
        Some(block) => T::__savefile_read_fixed(block, version).map(Some),
        None => Ok(None),
    }
}

/// Reads the next field, of type `T`, of a derived value: when `T` has a fixed size,
/// straight from the bytes in memory, after bringing the rest of the field's run of
/// consecutive fixed-size fields (`run` bytes from this field on) into memory if the
/// field is not there, so that a stream is read once for the whole run; otherwise, or
/// if the input ends first, through `T::deserialize`.
#[doc(hidden)]
#[inline]
pub fn read_field<T: Deserialize>(
    deserializer: &mut Deserializer<impl Read>,
    run: usize,
) -> Result<T, SavefileError> {
    match T::__SAVEFILE_FIXED_SIZE {
        Some(size) => {
            let version = deserializer.file_version;
            if let Some(bytes) = deserializer.__take_now(size) {
                return T::__savefile_read_fixed(bytes, version);
            }
            // The first field of the run that is not in memory brings the rest in.
            deserializer.__prefetch(run)?;
            match deserializer.__take_now(size) {
                Some(bytes) => T::__savefile_read_fixed(bytes, version),
                None => T::deserialize(deserializer),
            }
        }
        None => T::deserialize(deserializer),
    }
}

/// [`read_field`] into `slot`, which holds the field on `Ok`: a field that is not of
/// a fixed size is read in place ([`Deserialize::__savefile_deserialize_into`]).
#[doc(hidden)]
#[inline(always)]
pub fn read_field_into<T: Deserialize>(
    deserializer: &mut Deserializer<impl Read>,
    run: usize,
    slot: &mut MaybeUninit<T>,
) -> Result<Written, SavefileError> {
    if T::__SAVEFILE_FIXED_SIZE.is_none() {
        return T::__savefile_deserialize_into(deserializer, slot);
    }
    slot.write(read_field(deserializer, run)?);
    // SAFETY: `slot` was just initialised with a value.
    #[allow(unsafe_code)]
    Ok(unsafe { Written::new() })
}

/// The value of a derived field's `#[savefile_default_val = "text"]`, parsed with
/// `FromStr` (`None` if the text does not parse). A function of its own so that a type
/// without `FromStr` is reported at the attribute.
#[doc(hidden)]
pub fn parse_default<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.parse().ok()
}

/// Proof that a [`Deserialize::__savefile_deserialize_into`] call initialised its slot.
///
/// Only `unsafe` code can make one, so an implementation that returns it has taken
/// on the promise.
#[doc(hidden)]
#[derive(Debug)]
pub struct Written(());

impl Written {
    /// Attests that the slot was initialised.
    ///
    /// # Safety
    ///
    /// The slot the surrounding `__savefile_deserialize_into` received must hold a
    /// valid value of its type.
    #[inline(always)]
    #[allow(unsafe_code)]
    pub unsafe fn new() -> Written {
        Written(())
    }
}

/// Drops the fields of a partly written value when reading one of its later fields
/// fails: the guard of a derived `__savefile_deserialize_into`.
///
/// `done` counts the fields written so far, in order; `drop_fields(place, done)`
/// must drop exactly those. Defused with `mem::forget` once the value is complete.
#[doc(hidden)]
pub struct PartialDrop<T, F: FnMut(*mut T, usize)> {
    /// The value being written.
    pub place: *mut T,
    /// How many of its fields (in writing order) hold values.
    pub done: usize,
    /// Drops the first `done` fields of the value at `place`.
    pub drop_fields: F,
}

impl<T, F: FnMut(*mut T, usize)> Drop for PartialDrop<T, F> {
    fn drop(&mut self) {
        (self.drop_fields)(self.place, self.done);
    }
}
