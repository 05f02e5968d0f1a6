//! The packed (memcpy) fast path: which types may be copied as raw bytes, and the copies themselves.
//!
//! A type is *packed* for a data version when its in-memory bytes are exactly its
//! saved bytes: fixed layout, no padding anywhere, little-endian host, and every
//! field packed. Sequences of such types are written and read with one copy.
//! This module is the only place in the crate where `unsafe` code lives.

#![allow(unsafe_code)]

use std::ops::BitAnd;

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
    /// every bit pattern that `Serialize` can produce must be one the type accepts
    /// or is validated before use, and the host must be little-endian.
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
    unsafe fn repr_c_optimization_safe(_version: u32) -> IsPacked {
        IsPacked::no()
    }
}

/// Safe query of [`Packed::repr_c_optimization_safe`].
pub(crate) fn is_packed<T: Packed + ?Sized>(version: u32) -> bool {
    // SAFETY: the function only reports a fact about the type; calling it has no
    // preconditions. The unsafety is in *acting* on a yes, which only this module does.
    unsafe { T::repr_c_optimization_safe(version) }.is_yes()
}

/// The fewest bytes one element of `T` takes in the saved data of `version`.
///
/// Packed types take exactly their size. Everything else is assumed to take at
/// least one byte, which is what bounds how many elements a length prefix may claim.
pub(crate) fn min_wire_size<T: Packed>(version: u32) -> usize {
    if is_packed::<T>(version) {
        std::mem::size_of::<T>()
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn and_is_packed_only_when_both_are() {
        // SAFETY: these values are only compared, never used to copy memory.
        let yes = unsafe { IsPacked::yes() };
        assert!((yes & yes).is_yes());
        assert!((yes & IsPacked::no()).is_false());
        assert!((IsPacked::no() & yes).is_false());
        assert!(IsPacked::no().is_false());
    }
}
