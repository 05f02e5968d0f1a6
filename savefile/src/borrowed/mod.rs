//! Borrowed loads: values that point into the bytes they were loaded from.
//!
//! A type with a lifetime (`struct Entry<'a> { host: &'a str, .. }`) cannot be
//! [`Deserialize`](crate::Deserialize)d: nothing outlives an owned load to borrow
//! from. [`DeserializeBorrowed<'de>`] is its counterpart for loads from bytes in
//! memory that live for `'de` ([`crate::load_from_mem_borrowed`]): `&'de str`,
//! `&'de [u8]` and `Cow<'de, str>` are lent out of those bytes, checked as an owned
//! load checks them, and never copied. The schema of a borrowed type is that of its
//! owned twin (`&str` is a `String`, `&[u8]` a `Vec<u8>`), so either loads the files
//! of the other, and savefile 0.20 reads them.
//!
//! `#[derive(Savefile)]` implements the trait for every type: a type without
//! lifetimes or type parameters reads itself as its `Deserialize` does (the same
//! code, so an owned part of a borrowed value loads at owned speed); any other type
//! reads its fields with their own `DeserializeBorrowed`, so borrowed types nest in
//! vectors, options, maps, boxes, tuples and arrays, in versioned fields and enums.
//! A type that implements `Deserialize` by hand gets a `DeserializeBorrowed` that
//! reads it owned from [`crate::deserialize_borrowed_as_owned!`].

mod slices;
mod std_impls;

use crate::format::BorrowedDeserializer;
use crate::{SavefileError, WithSchema};

/// A type that can read itself from bytes in memory that live for `'de`, borrowing
/// from them where it holds references.
///
/// The bytes are those [`Deserialize`](crate::Deserialize) reads, with the schema
/// of [`WithSchema`]; implementations must accept every data version up to the
/// current one (`deserializer.file_version`), as `Deserialize` does.
pub trait DeserializeBorrowed<'de>: WithSchema + Sized {
    /// True when reading a value of this type can never lead to reading another of
    /// the same type (see `Deserialize::__SAVEFILE_FLAT`).
    #[doc(hidden)]
    const __SAVEFILE_FLAT: bool = false;

    /// The fewest bytes a value of this type takes in the data of any version (see
    /// `Deserialize::__SAVEFILE_MIN_SIZE`): what a collection's element count is
    /// checked against.
    #[doc(hidden)]
    const __SAVEFILE_MIN_SIZE: usize = 0;

    /// Reads a value of this type, borrowing from the deserializer's input.
    fn deserialize_borrowed(
        deserializer: &mut BorrowedDeserializer<'de>,
    ) -> Result<Self, SavefileError>;
}

/// Implements [`DeserializeBorrowed`] for types that hold no borrows, by reading
/// them as their [`Deserialize`](crate::Deserialize) does: for types with a
/// hand-written `Deserialize` that are to be parts of borrowed types.
///
/// ```
/// use savefile::prelude::*;
///
/// struct Celsius(f32);
/// # impl WithSchema for Celsius {
/// #     fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
/// #         f32::schema(version, context)
/// #     }
/// # }
/// # impl Deserialize for Celsius {
/// #     fn deserialize(d: &mut Deserializer<impl std::io::Read>) -> Result<Self, SavefileError> {
/// #         Ok(Celsius(d.read_f32()?))
/// #     }
/// # }
/// // `Celsius` implements `WithSchema` and `Deserialize` by hand.
/// savefile::deserialize_borrowed_as_owned!(Celsius);
/// ```
#[macro_export]
macro_rules! deserialize_borrowed_as_owned {
    ($($ty:ty),* $(,)?) => {$(
        impl<'de> $crate::DeserializeBorrowed<'de> for $ty {
            const __SAVEFILE_FLAT: bool = <$ty as $crate::Deserialize>::__SAVEFILE_FLAT;
            const __SAVEFILE_MIN_SIZE: usize = <$ty as $crate::Deserialize>::__SAVEFILE_MIN_SIZE;

            #[inline]
            fn deserialize_borrowed(
                deserializer: &mut $crate::BorrowedDeserializer<'de>,
            ) -> ::core::result::Result<Self, $crate::SavefileError> {
                <$ty as $crate::Deserialize>::deserialize(deserializer)
            }
        }
    )*};
}

/// [`deserialize_borrowed_as_owned!`] for the crate's own types, generic ones too:
/// `borrowed_as_owned!(impl[T: Ord] BinaryHeap<T>, impl[] PathBuf)`. The impl
/// applies where the type is `Deserialize`, and reads it as that does.
macro_rules! borrowed_as_owned {
    ($(impl[$($generics:tt)*] $ty:ty),* $(,)?) => {$(
        impl<'de, $($generics)*> $crate::DeserializeBorrowed<'de> for $ty
        where
            $ty: $crate::Deserialize,
        {
            const __SAVEFILE_FLAT: bool = <$ty as $crate::Deserialize>::__SAVEFILE_FLAT;
            const __SAVEFILE_MIN_SIZE: usize = <$ty as $crate::Deserialize>::__SAVEFILE_MIN_SIZE;

            #[inline]
            fn deserialize_borrowed(
                deserializer: &mut $crate::BorrowedDeserializer<'de>,
            ) -> ::core::result::Result<Self, $crate::SavefileError> {
                <$ty as $crate::Deserialize>::deserialize(deserializer)
            }
        }
    )*};
}

pub(crate) use borrowed_as_owned;

#[cfg(test)]
mod tests;
