//! uuid 1's `Uuid` (not covered by savefile 0.20): its 16 bytes.
//!
//! A `Uuid` is saved as the 16 bytes `Uuid::as_bytes` gives, in the standard's order
//! (the first byte is the first two hex digits of the text form), with the schema
//! of `[u8; 16]`: `Array { item_type: u8, count: 16 }`, so a file of either loads
//! as the other. Any 16 bytes are a `Uuid`, so loading checks nothing.
//!
//! **Packed:** uuid documents that `Uuid` has the ABI of its bytes (`[u8; 16]`,
//! `#[repr(transparent)]`); the impl also checks that the value is 16 bytes and
//! that `as_bytes` views it from its first byte, and is not packed otherwise.
//!
//! **Introspection:** the value is the hyphenated lowercase text
//! (`67e55044-10b1-426f-9247-bb680e5fe0c8`), with no children.

use std::io::{Read, Write};

use uuid::Uuid;

use crate::{
    Deserialize, Deserializer, IsPacked, Packed, SavefileError, Schema, SchemaArray,
    SchemaPrimitive, Serialize, Serializer, WithSchema, WithSchemaContext,
};

/// The number of bytes of a `Uuid`.
const LEN: usize = 16;

impl WithSchema for Uuid {
    fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
        Schema::Array(SchemaArray {
            item_type: Box::new(Schema::Primitive(SchemaPrimitive::schema_u8)),
            count: LEN,
        })
    }
}

impl Serialize for Uuid {
    #[inline]
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        self.as_bytes().serialize(serializer)
    }
}

crate::borrowed::borrowed_as_owned!(impl[] Uuid);

impl Deserialize for Uuid {
    const __SAVEFILE_FLAT: bool = true;
    const __SAVEFILE_FIXED_SIZE: Option<usize> = Some(LEN);

    #[inline]
    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        <[u8; LEN]>::deserialize(deserializer).map(Uuid::from_bytes)
    }

    #[inline]
    fn __savefile_read_fixed(bytes: &[u8], _version: u32) -> Result<Self, SavefileError> {
        let bytes: [u8; LEN] = bytes.try_into().map_err(|_| SavefileError::ShortRead)?;
        Ok(Uuid::from_bytes(bytes))
    }
}

/// True when a `Uuid` is nothing but the 16 bytes `as_bytes` shows: it is that
/// large, and the view starts at its first byte.
fn is_its_bytes() -> bool {
    let sample = Uuid::nil();
    std::mem::size_of::<Uuid>() == LEN && std::ptr::addr_eq(sample.as_bytes(), &sample)
}

#[allow(unsafe_code)] // The promise that a `Uuid` is its saved bytes.
impl Packed for Uuid {
    #[inline]
    unsafe fn repr_c_optimization_safe(_version: u32) -> IsPacked {
        if is_its_bytes() {
            // SAFETY: `as_bytes` borrows a `[u8; 16]` from the value that starts at
            // its first byte, and the value is 16 bytes, so that array is all of it
            // (uuid documents the same: `Uuid` has the ABI of `[u8; 16]`). Those bytes
            // are exactly what `serialize` writes, bytes have no endianness or
            // padding, and every 16 bytes are a valid `Uuid` (`from_bytes` takes any).
            unsafe { IsPacked::yes() }
        } else {
            IsPacked::no()
        }
    }
}

crate::introspect::introspect_leaf!(|value| value.hyphenated().to_string() => Uuid);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impls::test_support::assert_roundtrip;
    use crate::packed::{bulk_copy, is_packed, BulkCopy};
    use crate::Introspect;

    const TEXT: &str = "67e55044-10b1-426f-9247-bb680e5fe0c8";

    fn sample() -> Uuid {
        Uuid::parse_str(TEXT).unwrap()
    }

    #[test]
    fn a_uuid_is_its_16_bytes_in_text_order() {
        let bytes = assert_roundtrip(&sample());
        assert_eq!(
            bytes,
            [
                0x67, 0xe5, 0x50, 0x44, 0x10, 0xb1, 0x42, 0x6f, 0x92, 0x47, 0xbb, 0x68, 0x0e, 0x5f,
                0xe0, 0xc8
            ]
        );
        assert_eq!(assert_roundtrip(&Uuid::nil()), [0; 16]);
        assert_eq!(assert_roundtrip(&Uuid::max()), [0xff; 16]);
        // Inside a tuple it is read from its fixed-size block.
        let mut expected = vec![9];
        expected.extend_from_slice(sample().as_bytes());
        expected.push(1);
        assert_eq!(assert_roundtrip(&(9u8, sample(), true)), expected);
    }

    #[test]
    fn the_schema_is_that_of_16_bytes_and_files_move_between_them() {
        assert_eq!(
            crate::get_schema::<Uuid>(0),
            Schema::Array(SchemaArray {
                item_type: Box::new(Schema::Primitive(SchemaPrimitive::schema_u8)),
                count: 16,
            })
        );
        assert_eq!(
            crate::get_schema::<Uuid>(0),
            crate::get_schema::<[u8; 16]>(0)
        );
        let raw = *sample().as_bytes();
        let file = crate::save_to_mem(0, &raw).unwrap();
        assert_eq!(crate::load_from_mem::<Uuid>(&file, 0).unwrap(), sample());
        let file = crate::save_to_mem(0, &vec![sample(), Uuid::max()]).unwrap();
        let arrays: Vec<[u8; 16]> = crate::load_from_mem(&file, 0).unwrap();
        assert_eq!(arrays, [raw, [0xff; 16]]);
        assert!(matches!(
            crate::load_from_mem::<Uuid>(&crate::save_to_mem(0, &[0u8; 15]).unwrap(), 0),
            Err(SavefileError::IncompatibleSchema { .. })
        ));
        assert!(matches!(
            crate::load_from_mem::<Uuid>(&crate::save_to_mem(0, &0u128).unwrap(), 0),
            Err(SavefileError::IncompatibleSchema { .. })
        ));
    }

    #[test]
    fn a_vector_of_uuids_is_copied_in_bulk() {
        assert!(is_packed::<Uuid>(0));
        assert_eq!(bulk_copy::<Uuid>(0), BulkCopy::Plain);
        // 20 000 ids are 320 000 bytes: several chunks of a stream read.
        let ids: Vec<Uuid> = (0..20_000u128)
            .map(|i| Uuid::from_u128(i.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835)))
            .collect();
        let mut file = Vec::new();
        crate::save_noschema(&mut file, 0, &ids).unwrap();
        assert_eq!(&file[16..24], &20_000u64.to_le_bytes());
        let one_by_one: Vec<u8> = ids.iter().flat_map(|id| *id.as_bytes()).collect();
        assert_eq!(&file[24..], &one_by_one[..]);
        let from_memory: Vec<Uuid> = crate::load_from_mem_noschema(&file, 0).unwrap();
        assert_eq!(from_memory, ids);
        let from_stream: Vec<Uuid> = crate::load_noschema(&mut &file[..], 0).unwrap();
        assert_eq!(from_stream, ids);
        for cut in [20, 25, file.len() / 2, file.len() - 1] {
            assert!(crate::load_from_mem_noschema::<Vec<Uuid>>(&file[..cut], 0).is_err());
            assert!(crate::load_noschema::<Vec<Uuid>>(&mut &file[..cut], 0).is_err());
        }
    }

    #[test]
    fn introspection_shows_the_hyphenated_text() {
        assert_eq!(sample().introspect_value(), TEXT);
        assert_eq!(
            Uuid::nil().introspect_value(),
            "00000000-0000-0000-0000-000000000000"
        );
        assert_eq!(sample().introspect_len(), 0);
        assert!(sample().introspect_child(0).is_none());
    }
}
