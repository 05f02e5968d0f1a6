//! `smallvec::SmallVec<A>` (smallvec 1).
//!
//! Saved as a sequence is (a u64 count, then the elements), with the schema of a
//! vector of the elements, so it loads as a `Vec` and any sequence loads as it. A
//! loaded `SmallVec` keeps up to its inline capacity inline, allocating nothing; a
//! longer one is read as a `Vec` of exactly its length (copied in one block when the
//! elements are packed) whose buffer the `SmallVec` then takes over, without a copy.

use std::io::{Read, Write};

use smallvec::{Array, SmallVec};

use crate::impls::seq::{read_elements, vector_schema, write_slice};
use crate::packed::{min_bytes, min_wire_size, Room};
use crate::{
    introspect_item, Deserialize, Deserializer, Introspect, IntrospectItem, Packed, SavefileError,
    Schema, Serialize, Serializer, WithSchema, WithSchemaContext,
};

impl<A: Array> WithSchema for SmallVec<A>
where
    A::Item: WithSchema,
{
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        vector_schema::<A::Item>(version, context)
    }
}

impl<A: Array> Serialize for SmallVec<A>
where
    A::Item: Serialize + Packed,
{
    #[inline]
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        write_slice(serializer, self)
    }
}

crate::borrowed::borrowed_as_owned!(impl[A: Array] SmallVec<A>);

impl<A: Array> Deserialize for SmallVec<A>
where
    A::Item: Deserialize + Packed,
{
    const __SAVEFILE_MIN_SIZE: usize = 8;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        let version = deserializer.file_version;
        let count = deserializer.read_count(min_wire_size::<A::Item>(version))?;
        if count > A::size() {
            let items = read_elements(deserializer, count, Room::Exact)?;
            return Ok(SmallVec::from_vec(items));
        }
        let mut items = SmallVec::new();
        let mut elements = deserializer.begin_elements(count, min_bytes::<A::Item>(version));
        for _ in 0..count {
            deserializer.next_element(&mut elements);
            match A::Item::deserialize(deserializer) {
                // At most the inline capacity: no allocation.
                Ok(item) => items.push(item),
                Err(e) => {
                    deserializer.end_elements(elements);
                    return Err(e);
                }
            }
        }
        deserializer.end_elements(elements);
        Ok(items)
    }
}

/// Never packed: its memory is a length and inline slots or a pointer.
impl<A: Array> Packed for SmallVec<A> {}

/// No value of its own, children "0", "1" … as for `Vec`.
impl<A: Array> Introspect for SmallVec<A>
where
    A::Item: Introspect,
{
    fn introspect_value(&self) -> String {
        String::new()
    }
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        let item: &A::Item = self.get(index)?;
        Some(introspect_item(index.to_string(), item))
    }
    fn introspect_len(&self) -> usize {
        self.len()
    }
}

#[cfg(test)]
mod tests {
    use smallvec::smallvec;

    use super::*;
    use crate::impls::test_support::assert_roundtrip;

    #[test]
    fn a_small_vec_is_a_count_and_its_elements() {
        let items: SmallVec<[u16; 4]> = smallvec![0x0201, 0x0403];
        let mut expected = 2u64.to_le_bytes().to_vec();
        expected.extend_from_slice(&[1, 2, 3, 4]);
        assert_eq!(assert_roundtrip(&items), expected);
        assert_eq!(assert_roundtrip(&SmallVec::<[String; 2]>::new()), [0; 8]);
        let words: SmallVec<[String; 2]> = (0..9).map(|i| i.to_string()).collect();
        assert_roundtrip(&words);
    }

    #[test]
    fn short_ones_stay_inline_and_long_ones_take_the_vectors_buffer() {
        let short: SmallVec<[u32; 4]> = smallvec![1, 2, 3];
        let back: SmallVec<[u32; 4]> =
            crate::load_from_mem(&crate::save_to_mem(0, &short).unwrap(), 0).unwrap();
        assert!(!back.spilled());
        assert_eq!(back, short);
        let long: SmallVec<[u32; 4]> = (0..1000).collect();
        let bytes = crate::save_to_mem(0, &long).unwrap();
        for back in [
            crate::load_from_mem::<SmallVec<[u32; 4]>>(&bytes, 0).unwrap(),
            crate::load::<SmallVec<[u32; 4]>>(&mut &bytes[..], 0).unwrap(),
        ] {
            assert!(back.spilled());
            assert_eq!(back.capacity(), 1000, "read at exactly its length");
            assert_eq!(back, long);
        }
    }

    #[test]
    fn it_loads_as_a_vec_and_a_vec_loads_as_it() {
        let items: SmallVec<[u8; 2]> = smallvec![7, 8, 9];
        let bytes = crate::save_to_mem(0, &items).unwrap();
        assert_eq!(bytes, crate::save_to_mem(0, &vec![7u8, 8, 9]).unwrap());
        let back: Vec<u8> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(back, [7, 8, 9]);
    }

    #[test]
    fn a_count_that_cannot_fit_the_input_is_refused() {
        let mut bytes = Vec::new();
        crate::save_noschema(&mut bytes, 0, &SmallVec::<[u8; 4]>::new()).unwrap();
        bytes.truncate(16);
        bytes.extend_from_slice(&(1u64 << 60).to_le_bytes());
        assert!(matches!(
            crate::load_from_mem_noschema::<SmallVec<[u64; 4]>>(&bytes, 0),
            Err(SavefileError::LengthTooLarge { .. })
        ));
        // An element that fails inside the inline part drops what was read.
        let mut cut = Vec::new();
        crate::save_noschema(
            &mut cut,
            0,
            &SmallVec::<[String; 4]>::from_vec(vec!["a".into(), "b".into()]),
        )
        .unwrap();
        cut.pop();
        assert!(crate::load_noschema::<SmallVec<[String; 4]>>(&mut &cut[..], 0).is_err());
    }
}
