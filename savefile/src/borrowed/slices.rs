//! The borrowing types themselves: `&str`, `&[T]`, `Cow<str>` and `Cow<[T]>`, lent
//! out of the loaded bytes.
//!
//! Their schemas and bytes are those of `String` and `Vec<T>`, so a field can change
//! between an owned and a borrowed type without a version bump. Text is checked to
//! be UTF-8 and lengths against the input, as owned loads check them.
//!
//! A slice of numbers can only be lent where its first element lies at an address
//! aligned for the number type: the format puts elements right after their count,
//! wherever that falls. `Cow<[T]>` borrows when the bytes happen to be aligned and
//! copies them into a vector otherwise (the copy an owned load makes). `&[T]` is
//! offered only for element types aligned to one byte (`u8`, `i8`, `bool`, arrays
//! and `#[repr(C)]` structs of them), which are always aligned.

use std::borrow::Cow;

use super::std_impls::read_elements;
use super::DeserializeBorrowed;
use crate::format::BorrowedDeserializer;
use crate::packed::{min_wire_size, view_packed};
use crate::{Packed, SavefileError, WithSchema};

impl<'de: 'a, 'a> DeserializeBorrowed<'de> for &'a str {
    const __SAVEFILE_FLAT: bool = true;
    const __SAVEFILE_MIN_SIZE: usize = 8;

    #[inline]
    fn deserialize_borrowed(
        deserializer: &mut BorrowedDeserializer<'de>,
    ) -> Result<Self, SavefileError> {
        deserializer.read_borrowed_str()
    }
}

impl<'de: 'a, 'a> DeserializeBorrowed<'de> for Cow<'a, str> {
    const __SAVEFILE_FLAT: bool = true;
    const __SAVEFILE_MIN_SIZE: usize = 8;

    #[inline]
    fn deserialize_borrowed(
        deserializer: &mut BorrowedDeserializer<'de>,
    ) -> Result<Self, SavefileError> {
        Ok(Cow::Borrowed(deserializer.read_borrowed_str()?))
    }
}

/// Reads a vector's count of `T`s and lends its elements where they lie, if they can
/// be (see `crate::packed::view_packed`); `Err(count)` with nothing consumed after
/// the count when they cannot.
#[inline]
fn read_view<'de, T: Packed + Copy>(
    deserializer: &mut BorrowedDeserializer<'de>,
) -> Result<Result<&'de [T], usize>, SavefileError> {
    let version = deserializer.file_version;
    let count = deserializer.read_count(min_wire_size::<T>(version))?;
    match view_packed::<T>(deserializer.borrowed_input(), count, version)? {
        Some(items) => {
            deserializer.take_borrowed(std::mem::size_of_val(items))?;
            Ok(Ok(items))
        }
        None => Ok(Err(count)),
    }
}

/// `&[T]` for element types aligned to one byte, whose saved bytes are their memory:
/// a slice of the input. (Using it with a type aligned to more is a compile-time
/// error; use `Cow<[T]>`, which copies when the bytes are not aligned.)
///
/// Not flat, though it cannot nest: a `Vec<T>` is not, and a borrowed load must count
/// the levels of nesting that the owned twin's load counts, so that both refuse the
/// same files for their depth.
impl<'de: 'a, 'a, T> DeserializeBorrowed<'de> for &'a [T]
where
    T: Packed + Copy + WithSchema + 'de,
{
    const __SAVEFILE_MIN_SIZE: usize = 8;

    #[inline]
    fn deserialize_borrowed(
        deserializer: &mut BorrowedDeserializer<'de>,
    ) -> Result<Self, SavefileError> {
        const {
            assert!(
                std::mem::align_of::<T>() == 1,
                "savefile: `&[T]` can only be borrowed for element types aligned to one byte; \
                 use `Cow<[T]>`, which borrows when the input is aligned and copies otherwise"
            )
        };
        match read_view::<T>(deserializer)? {
            Ok(items) => Ok(items),
            Err(_) => Err(SavefileError::NotBorrowable {
                type_name: std::any::type_name::<T>(),
            }),
        }
    }
}

impl<'de: 'a, 'a, T> DeserializeBorrowed<'de> for Cow<'a, [T]>
where
    T: DeserializeBorrowed<'de> + Packed + Copy + 'de,
{
    const __SAVEFILE_MIN_SIZE: usize = 8;

    #[inline]
    fn deserialize_borrowed(
        deserializer: &mut BorrowedDeserializer<'de>,
    ) -> Result<Self, SavefileError> {
        match read_view::<T>(deserializer)? {
            Ok(items) => Ok(Cow::Borrowed(items)),
            Err(count) => Ok(Cow::Owned(read_elements(deserializer, count)?)),
        }
    }
}
