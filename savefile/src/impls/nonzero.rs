//! Non-zero integers: `NonZeroU8` … `NonZeroU128`, `NonZeroI8` … `NonZeroI128`,
//! `NonZeroUsize` and `NonZeroIsize`.
//!
//! Each is saved exactly like its integer (so `NonZeroUsize` takes 8 bytes on
//! every target) and described by the integer's schema, so a file of the integer
//! loads as the non-zero type and back. A saved 0 is an error naming the type.
//!
//! Not packed in the strict sense (a zero would be an invalid value), but the
//! fixed-width ones have their integer's memory layout, so vectors and arrays of
//! them are copied in bulk with every element checked for zero before it exists.
//! `NonZeroUsize`/`NonZeroIsize` follow `usize`/`isize` and are never bulk-copied.

use std::io::{Read, Write};
use std::num::{
    NonZeroI128, NonZeroI16, NonZeroI32, NonZeroI64, NonZeroI8, NonZeroIsize, NonZeroU128,
    NonZeroU16, NonZeroU32, NonZeroU64, NonZeroU8, NonZeroUsize,
};

use crate::{
    Deserialize, Deserializer, Packed, SavefileError, Schema, Serialize, Serializer, WithSchema,
    WithSchemaContext,
};

/// Implements everything for a non-zero type over the integer `$int`.
macro_rules! nonzero {
    ($($nonzero:ident => $int:ty;)*) => {$(
        impl WithSchema for $nonzero {
            fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
                <$int>::schema(version, context)
            }
        }

        impl Serialize for $nonzero {
            #[inline]
            fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
                self.get().serialize(serializer)
            }
        }

        crate::borrowed::borrowed_as_owned!(impl[] $nonzero);

        impl Deserialize for $nonzero {
            const __SAVEFILE_MIN_SIZE: usize = <$int as Deserialize>::__SAVEFILE_MIN_SIZE;
            const __SAVEFILE_FLAT: bool = true;

            #[inline]
            fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
                let value = <$int>::deserialize(deserializer)?;
                $nonzero::new(value)
                    .ok_or_else(|| SavefileError::out_of_range(stringify!($nonzero), 0))
            }
        }

        /// Copied in bulk, but each value is checked for zero first (see the module docs).
        #[allow(unsafe_code)]
        impl Packed for $nonzero {
            #[inline]
            unsafe fn __savefile_bulk_copy(version: u32) -> crate::packed::BulkCopy {
                // The integer's layout (documented for NonZero), zero excluded by the
                // check below.
                match crate::packed::bulk_copy::<$int>(version) {
                    crate::packed::BulkCopy::No => crate::packed::BulkCopy::No,
                    _ => crate::packed::BulkCopy::Checked,
                }
            }

            #[inline]
            fn __savefile_check(_version: u32, bytes: &[u8]) -> Result<(), SavefileError> {
                if bytes.iter().all(|&b| b == 0) {
                    Err(SavefileError::out_of_range(stringify!($nonzero), 0))
                } else {
                    Ok(())
                }
            }
        }

        crate::introspect::introspect_leaf!(|value| value.to_string() => $nonzero);
    )*};
}

nonzero! {
    NonZeroU8 => u8;
    NonZeroU16 => u16;
    NonZeroU32 => u32;
    NonZeroU64 => u64;
    NonZeroU128 => u128;
    NonZeroUsize => usize;
    NonZeroI8 => i8;
    NonZeroI16 => i16;
    NonZeroI32 => i32;
    NonZeroI64 => i64;
    NonZeroI128 => i128;
    NonZeroIsize => isize;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impls::test_support::assert_roundtrip;
    use crate::packed::is_packed;
    use crate::Introspect;

    /// `NonZero` of a literal known not to be zero.
    macro_rules! nz {
        ($ty:ident, $value:expr) => {
            $ty::new($value).expect("the test value is not zero")
        };
    }

    #[test]
    fn saved_as_the_integer() {
        assert_eq!(assert_roundtrip(&nz!(NonZeroU8, 0xff)), [0xff]);
        assert_eq!(assert_roundtrip(&nz!(NonZeroI8, -1)), [0xff]);
        assert_eq!(assert_roundtrip(&nz!(NonZeroU16, 0x0102)), [2, 1]);
        assert_eq!(assert_roundtrip(&nz!(NonZeroI16, -2)), [0xfe, 0xff]);
        assert_eq!(assert_roundtrip(&nz!(NonZeroU32, 1)), [1, 0, 0, 0]);
        assert_eq!(
            assert_roundtrip(&nz!(NonZeroI32, i32::MIN)),
            [0, 0, 0, 0x80]
        );
        assert_eq!(assert_roundtrip(&nz!(NonZeroU64, u64::MAX)), [0xff; 8]);
        assert_eq!(assert_roundtrip(&nz!(NonZeroI64, -1)), [0xff; 8]);
        assert_eq!(
            assert_roundtrip(&nz!(NonZeroU128, 1 << 127)),
            (1u128 << 127).to_le_bytes()
        );
        assert_eq!(
            assert_roundtrip(&nz!(NonZeroI128, i128::MIN)),
            i128::MIN.to_le_bytes()
        );
        assert_eq!(
            assert_roundtrip(&nz!(NonZeroUsize, 3)),
            [3, 0, 0, 0, 0, 0, 0, 0]
        );
        assert_eq!(
            assert_roundtrip(&nz!(NonZeroIsize, -3)),
            (-3i64).to_le_bytes()
        );
        assert_eq!(assert_roundtrip(&Some(nz!(NonZeroU16, 5))), [1, 5, 0]);
    }

    #[test]
    fn a_saved_zero_is_an_error_naming_the_type() {
        fn zero_fails<T: Deserialize + std::fmt::Debug>(width: usize, name: &str) {
            let zeros = vec![0u8; width];
            let mut d = Deserializer::from_slice(&zeros, 0);
            let result = T::deserialize(&mut d);
            match result {
                Err(SavefileError::IntegerOutOfRange { type_name, value }) => {
                    assert_eq!((type_name, *value), (name, 0));
                }
                other => panic!("{name}: expected an out-of-range error, got {other:?}"),
            }
        }
        zero_fails::<NonZeroU8>(1, "NonZeroU8");
        zero_fails::<NonZeroU16>(2, "NonZeroU16");
        zero_fails::<NonZeroU32>(4, "NonZeroU32");
        zero_fails::<NonZeroU64>(8, "NonZeroU64");
        zero_fails::<NonZeroU128>(16, "NonZeroU128");
        zero_fails::<NonZeroUsize>(8, "NonZeroUsize");
        zero_fails::<NonZeroI8>(1, "NonZeroI8");
        zero_fails::<NonZeroI16>(2, "NonZeroI16");
        zero_fails::<NonZeroI32>(4, "NonZeroI32");
        zero_fails::<NonZeroI64>(8, "NonZeroI64");
        zero_fails::<NonZeroI128>(16, "NonZeroI128");
        zero_fails::<NonZeroIsize>(8, "NonZeroIsize");

        let bytes = crate::save_to_mem(0, &0u32).unwrap();
        let err = crate::load_from_mem::<NonZeroU32>(&bytes, 0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the saved value 0 is out of range for NonZeroU32"
        );
    }

    #[test]
    fn schema_is_the_integers_and_files_interchange() {
        assert_eq!(
            crate::get_schema::<NonZeroI16>(0),
            crate::get_schema::<i16>(0)
        );
        assert_eq!(
            crate::get_schema::<NonZeroUsize>(0),
            crate::get_schema::<u64>(0)
        );
        let bytes = crate::save_to_mem(0, &42u64).unwrap();
        let back: NonZeroU64 = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(back.get(), 42);
        let bytes = crate::save_to_mem(0, &back).unwrap();
        assert_eq!(crate::load_from_mem::<u64>(&bytes, 0).unwrap(), 42);
    }

    #[test]
    fn copied_in_bulk_only_with_a_zero_check() {
        use crate::packed::{bulk_copy, BulkCopy};
        assert!(!is_packed::<NonZeroU32>(0));
        assert_eq!(bulk_copy::<NonZeroU32>(0), BulkCopy::Checked);
        assert_eq!(bulk_copy::<NonZeroI8>(0), BulkCopy::Checked);
        assert_eq!(bulk_copy::<NonZeroUsize>(0), BulkCopy::No);
        // A zero inside a bulk-copied vector is refused, from memory and from a stream.
        let mut bytes = crate::save_to_mem(0, &vec![NonZeroU16::MIN; 3]).unwrap();
        let at = bytes.len() - 2;
        bytes[at] = 0;
        assert!(matches!(
            crate::load_from_mem::<Vec<NonZeroU16>>(&bytes, 0),
            Err(SavefileError::IntegerOutOfRange {
                type_name: "NonZeroU16",
                ..
            })
        ));
        assert!(crate::load::<Vec<NonZeroU16>>(&mut &bytes[..], 0).is_err());
    }

    #[test]
    fn introspection_shows_the_number() {
        let value = nz!(NonZeroI32, -12);
        assert_eq!(value.introspect_value(), "-12");
        assert_eq!(value.introspect_len(), 0);
        assert!(value.introspect_child(0).is_none());
    }
}
