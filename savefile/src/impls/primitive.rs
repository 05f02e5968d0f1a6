//! Integers, floats, bool, char and `()`.
//!
//! Fixed-width integers and floats are little-endian and packed (their memory
//! bytes are their saved bytes on a little-endian host). `usize`/`isize` are saved
//! as 8 bytes on every target, so they are not packed. `bool` and `char` are
//! validated on load (0/1; Unicode scalar values).

use std::io::{Read, Write};

use crate::packed::BulkCopy;
use crate::{
    Deserialize, Deserializer, IsPacked, Packed, SavefileError, Schema, SchemaPrimitive, Serialize,
    Serializer, WithSchema, WithSchemaContext,
};

/// `Packed` for a primitive: `plain` types (every bit pattern valid) are packed on
/// little-endian hosts, `no` types never, and `checked` ones are written by hand below.
macro_rules! packed_primitive {
    ($ty:ty, plain) => {
        #[allow(unsafe_code)]
        impl Packed for $ty {
            #[inline]
            unsafe fn repr_c_optimization_safe(_version: u32) -> IsPacked {
                if cfg!(target_endian = "little") {
                    // SAFETY: a fixed-width integer or float is plain data with no
                    // padding, every bit pattern is a valid value, and on a
                    // little-endian host its memory bytes are its saved bytes.
                    unsafe { IsPacked::yes() }
                } else {
                    IsPacked::no()
                }
            }
        }
    };
    ($ty:ty, no) => {
        impl Packed for $ty {}
    };
    ($ty:ty, checked) => {};
}

/// A primitive's saved bytes as a little-endian integer (the low bytes of the
/// result); only the types of at most 8 bytes are ever asked.
trait Bits {
    fn bits(self) -> u64;
}

macro_rules! bits {
    ($($ty:ty => |$v:ident| $bits:expr),* $(,)?) => {$(
        impl Bits for $ty {
            #[inline(always)]
            fn bits(self) -> u64 {
                let $v = self;
                $bits
            }
        }
    )*};
}

bits! {
    u8 => |v| u64::from(v), i8 => |v| u64::from(v as u8),
    u16 => |v| u64::from(v), i16 => |v| u64::from(v as u16),
    u32 => |v| u64::from(v), i32 => |v| u64::from(v as u32),
    u64 => |v| v, i64 => |v| v as u64,
    usize => |v| v as u64, isize => |v| v as u64,
    f32 => |v| u64::from(v.to_bits()), f64 => |v| v.to_bits(),
    bool => |v| u64::from(v), char => |v| u64::from(v as u32),
    // Never asked (16 bytes); the value is not used.
    u128 => |v| v as u64, i128 => |v| v as u64,
}

/// Implements everything for a primitive with its schema, read and write methods,
/// and whether it is packed.
macro_rules! primitive {
    ($($ty:ty => $schema:ident, $write:ident, $read:ident, packed: $packed:ident,
        fixed: $size:literal, $decode:expr;)*) => {$(
        impl WithSchema for $ty {
            fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
                Schema::Primitive(SchemaPrimitive::$schema)
            }
        }

        impl Serialize for $ty {
            #[inline]
            fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
                serializer.$write(*self)
            }

            const __SAVEFILE_BITS_SIZE: Option<usize> = if $size <= 8 { Some($size) } else { None };

            #[inline(always)]
            fn __savefile_bits(&self) -> u64 {
                Bits::bits(*self)
            }
        }

        impl Deserialize for $ty {
            const __SAVEFILE_FLAT: bool = true;

            const __SAVEFILE_FIXED_SIZE: Option<usize> = Some($size);

            #[inline]
            fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
                deserializer.$read()
            }

            #[inline(always)]
            fn __savefile_read_fixed(bytes: &[u8], _version: u32) -> Result<Self, SavefileError> {
                let bytes: [u8; $size] = bytes.try_into().map_err(|_| SavefileError::ShortRead)?;
                let decode: fn([u8; $size]) -> Result<$ty, SavefileError> = $decode;
                decode(bytes)
            }
        }

        packed_primitive!($ty, $packed);

        crate::borrowed::borrowed_as_owned!(impl[] $ty);

        crate::introspect::introspect_leaf!(|value| value.to_string() => $ty);
    )*};
}

primitive! {
    u8 => schema_u8, write_u8, read_u8, packed: plain, fixed: 1, |b| Ok(u8::from_le_bytes(b));
    i8 => schema_i8, write_i8, read_i8, packed: plain, fixed: 1, |b| Ok(i8::from_le_bytes(b));
    u16 => schema_u16, write_u16, read_u16, packed: plain, fixed: 2, |b| Ok(u16::from_le_bytes(b));
    i16 => schema_i16, write_i16, read_i16, packed: plain, fixed: 2, |b| Ok(i16::from_le_bytes(b));
    u32 => schema_u32, write_u32, read_u32, packed: plain, fixed: 4, |b| Ok(u32::from_le_bytes(b));
    i32 => schema_i32, write_i32, read_i32, packed: plain, fixed: 4, |b| Ok(i32::from_le_bytes(b));
    u64 => schema_u64, write_u64, read_u64, packed: plain, fixed: 8, |b| Ok(u64::from_le_bytes(b));
    i64 => schema_i64, write_i64, read_i64, packed: plain, fixed: 8, |b| Ok(i64::from_le_bytes(b));
    u128 => schema_u128, write_u128, read_u128, packed: plain, fixed: 16,
        |b| Ok(u128::from_le_bytes(b));
    i128 => schema_i128, write_i128, read_i128, packed: plain, fixed: 16,
        |b| Ok(i128::from_le_bytes(b));
    f32 => schema_f32, write_f32, read_f32, packed: plain, fixed: 4, |b| Ok(f32::from_le_bytes(b));
    f64 => schema_f64, write_f64, read_f64, packed: plain, fixed: 8, |b| Ok(f64::from_le_bytes(b));
    usize => schema_u64, write_usize, read_usize, packed: no, fixed: 8, |b| {
        let value = u64::from_le_bytes(b);
        usize::try_from(value).map_err(|_| SavefileError::out_of_range("usize", value))
    };
    isize => schema_i64, write_isize, read_isize, packed: no, fixed: 8, |b| {
        let value = i64::from_le_bytes(b);
        isize::try_from(value).map_err(|_| SavefileError::out_of_range("isize", value))
    };
    bool => schema_bool, write_bool, read_bool, packed: checked, fixed: 1, |[b]| match b {
        0 => Ok(false),
        1 => Ok(true),
        value => Err(SavefileError::InvalidBool { value }),
    };
    char => schema_char, write_char, read_char, packed: checked, fixed: 4, |b| {
        let value = u32::from_le_bytes(b);
        char::from_u32(value).ok_or(SavefileError::InvalidChar { value })
    };
}

/// A bool is one byte, 0 or 1, in memory and saved: copied in bulk, with every byte
/// checked before it becomes a bool (any other byte would be an invalid value). Not
/// `repr_c_optimization_safe`, which promises that every byte pattern is valid.
#[allow(unsafe_code)]
impl Packed for bool {
    #[inline]
    unsafe fn __savefile_bulk_copy(_version: u32) -> BulkCopy {
        // A bool is one byte holding 0 or 1, which is how it is saved; the other
        // bytes are rejected by the check below.
        BulkCopy::Checked
    }
    #[inline]
    fn __savefile_check(_version: u32, bytes: &[u8]) -> Result<(), SavefileError> {
        match bytes {
            [0 | 1] => Ok(()),
            [value] => Err(SavefileError::InvalidBool { value: *value }),
            _ => Err(SavefileError::ShortRead),
        }
    }
    const __SAVEFILE_INVALID_BITS: Option<u8> = Some(!1);
}

/// A char is a u32 Unicode scalar value in memory and saved: copied in bulk on
/// little-endian hosts, with every value checked before it becomes a char.
#[allow(unsafe_code)]
impl Packed for char {
    #[inline]
    unsafe fn __savefile_bulk_copy(_version: u32) -> BulkCopy {
        // A char is 4 bytes holding its scalar value as a u32, which is how it is
        // saved (little-endian); other values are rejected by the check below.
        if cfg!(target_endian = "little") {
            BulkCopy::Checked
        } else {
            BulkCopy::No
        }
    }
    #[inline]
    fn __savefile_check(_version: u32, bytes: &[u8]) -> Result<(), SavefileError> {
        let value = u32::from_le_bytes(bytes.try_into().map_err(|_| SavefileError::ShortRead)?);
        match char::from_u32(value) {
            Some(_) => Ok(()),
            None => Err(SavefileError::InvalidChar { value }),
        }
    }
}

impl WithSchema for () {
    fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
        Schema::ZeroSize
    }
}

impl Serialize for () {
    #[inline]
    fn serialize(&self, _serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        Ok(())
    }
}

impl Deserialize for () {
    const __SAVEFILE_FLAT: bool = true;
    const __SAVEFILE_FIXED_SIZE: Option<usize> = Some(0);

    #[inline]
    fn deserialize(_deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        Ok(())
    }
}

#[allow(unsafe_code)]
impl Packed for () {
    #[inline]
    unsafe fn repr_c_optimization_safe(_version: u32) -> IsPacked {
        // SAFETY: `()` has no bytes in memory and none saved.
        unsafe { IsPacked::yes() }
    }
}

crate::borrowed::borrowed_as_owned!(impl[] ());

crate::introspect::introspect_leaf!(|_| "()".to_string() => ());

#[cfg(test)]
mod tests {
    use crate::impls::test_support::assert_roundtrip;
    use crate::packed::is_packed;
    use crate::Introspect;

    #[test]
    fn every_primitive_round_trips_with_its_exact_bytes() {
        assert_eq!(assert_roundtrip(&0x12u8), [0x12]);
        assert_eq!(assert_roundtrip(&-2i8), [0xfe]);
        assert_eq!(assert_roundtrip(&0x1234u16), [0x34, 0x12]);
        assert_eq!(assert_roundtrip(&-2i16), [0xfe, 0xff]);
        assert_eq!(assert_roundtrip(&0x1234_5678u32), [0x78, 0x56, 0x34, 0x12]);
        assert_eq!(assert_roundtrip(&i32::MIN), [0, 0, 0, 0x80]);
        assert_eq!(assert_roundtrip(&u64::MAX), [0xff; 8]);
        assert_eq!(assert_roundtrip(&-1i64), [0xff; 8]);
        assert_eq!(assert_roundtrip(&(1u128 << 120)), {
            let mut b = [0u8; 16];
            b[15] = 1;
            b
        });
        assert_eq!(assert_roundtrip(&i128::MIN)[15], 0x80);
        assert_eq!(assert_roundtrip(&1.5f32), 1.5f32.to_le_bytes());
        assert_eq!(assert_roundtrip(&-0.0f64), (-0.0f64).to_le_bytes());
        assert_eq!(
            assert_roundtrip(&f64::INFINITY),
            f64::INFINITY.to_le_bytes()
        );
        assert_eq!(assert_roundtrip(&7usize), [7, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(assert_roundtrip(&-7isize), (-7i64).to_le_bytes());
        assert_eq!(assert_roundtrip(&true), [1]);
        assert_eq!(assert_roundtrip(&false), [0]);
        assert_eq!(assert_roundtrip(&'€'), 0x20ACu32.to_le_bytes());
        assert_eq!(assert_roundtrip(&()), [] as [u8; 0]);
    }

    #[test]
    fn nan_keeps_its_bits() {
        let nan = f64::from_bits(0x7ff8_0000_dead_beef);
        let bytes = crate::save_to_mem(0, &nan).unwrap();
        let back: f64 = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(back.to_bits(), nan.to_bits());
    }

    #[test]
    fn a_u32_file_does_not_load_as_a_string() {
        let bytes = crate::save_to_mem(0, &5u32).unwrap();
        let err = crate::load_from_mem::<String>(&bytes, 0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the file does not match the program's data layout at `.`: the program has a string, the file has u32"
        );
    }

    #[test]
    fn which_primitives_are_packed() {
        assert!(is_packed::<u32>(0) == cfg!(target_endian = "little"));
        assert!(is_packed::<f64>(0) == cfg!(target_endian = "little"));
        assert!(is_packed::<()>(0));
        assert!(!is_packed::<usize>(0));
        assert!(!is_packed::<bool>(0));
        assert!(!is_packed::<char>(0));
        assert_eq!(
            crate::packed::bulk_copy::<bool>(0),
            crate::packed::BulkCopy::Checked
        );
    }

    #[test]
    fn introspection_shows_the_value() {
        assert_eq!(42u16.introspect_value(), "42");
        assert_eq!(42u16.introspect_len(), 0);
        assert_eq!(true.introspect_value(), "true");
        assert!('x'.introspect_child(0).is_none());
    }
}
