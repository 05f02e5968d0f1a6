//! `arrayvec::ArrayVec<T, CAP>` and `ArrayString<CAP>` (arrayvec 0.7).
//!
//! An `ArrayVec` is saved as a sequence is (a u64 count, then the elements) and its
//! schema is a vector of `T`, so it loads as a `Vec` and any sequence loads as it, as
//! long as it fits: a saved count above `CAP` is refused with
//! [`SavefileError::ArrayvecCapacityError`] before any element is read. An
//! `ArrayString` is saved as a `String` is, with the same schema, and refused the same
//! way when its byte length is above `CAP`. Both hold their contents inline, so
//! loading one allocates nothing.
//!
//! Neither is packed, although savefile 0.20 lets a vector of `ArrayVec`s of packed
//! elements be copied as memory: an `ArrayVec`'s memory is its length and, past it,
//! uninitialised slots, which are not the bytes its schema describes.

use std::io::{Read, Write};

use arrayvec::{ArrayString, ArrayVec};

use crate::impls::seq::write_slice;
use crate::packed::{min_bytes, min_wire_size};
use crate::{
    introspect_item, Deserialize, Deserializer, Introspect, IntrospectItem, Packed, SavefileError,
    Schema, Serialize, Serializer, VecOrStringLayout, WithSchema, WithSchemaContext,
};

impl<T: WithSchema, const CAP: usize> WithSchema for ArrayVec<T, CAP> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        // Without registering `T` for recursion, unlike `Vec`: savefile 0.20 does not,
        // and recursion depths must count the same levels as in its files.
        Schema::Vector(
            Box::new(T::schema(version, context)),
            VecOrStringLayout::Unknown,
        )
    }
}

impl<T: Serialize + Packed, const CAP: usize> Serialize for ArrayVec<T, CAP> {
    #[inline]
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        write_slice(serializer, self)
    }
}

crate::borrowed::borrowed_as_owned!(impl[T, const CAP: usize] ArrayVec<T, CAP>);

impl<T: Deserialize + Packed, const CAP: usize> Deserialize for ArrayVec<T, CAP> {
    const __SAVEFILE_MIN_SIZE: usize = 8;
    // The elements are inline: reading one never reads another `ArrayVec<T, CAP>`
    // unless `T` can.
    const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        let version = deserializer.file_version;
        let count = deserializer.read_count(min_wire_size::<T>(version))?;
        if count > CAP {
            return Err(SavefileError::ArrayvecCapacityError {
                msg: format!(
                    "a saved ArrayVec holds {count} elements, more than its capacity of {CAP}"
                ),
            });
        }
        let mut items = ArrayVec::new();
        let mut elements = deserializer.begin_elements(count, min_bytes::<T>(version));
        for _ in 0..count {
            deserializer.next_element(&mut elements);
            match T::deserialize(deserializer) {
                // At most `CAP` pushes, checked above.
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

/// Never packed: see the module's documentation.
impl<T, const CAP: usize> Packed for ArrayVec<T, CAP> {}

/// No value of its own, children "0", "1" … as for `Vec`.
impl<T: Introspect, const CAP: usize> Introspect for ArrayVec<T, CAP> {
    fn introspect_value(&self) -> String {
        String::new()
    }
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        let item: &T = self.get(index)?;
        Some(introspect_item(index.to_string(), item))
    }
    fn introspect_len(&self) -> usize {
        self.len()
    }
}

impl<const CAP: usize> WithSchema for ArrayString<CAP> {
    fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
        Schema::string()
    }
}

impl<const CAP: usize> Serialize for ArrayString<CAP> {
    #[inline]
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        serializer.write_string(self)
    }
}

crate::borrowed::borrowed_as_owned!(impl[const CAP: usize] ArrayString<CAP>);

impl<const CAP: usize> Deserialize for ArrayString<CAP> {
    const __SAVEFILE_MIN_SIZE: usize = 8;
    const __SAVEFILE_FLAT: bool = true;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        let len = deserializer.read_u64()?;
        let too_long = || SavefileError::ArrayvecCapacityError {
            msg: format!(
                "a saved string of {len} bytes is longer than the capacity of ArrayString<{CAP}>"
            ),
        };
        let len = usize::try_from(len)
            .ok()
            .filter(|&len| len <= CAP)
            .ok_or_else(too_long)?;
        let mut bytes = [0u8; CAP];
        let bytes = &mut bytes[..len];
        deserializer.read_bytes_to_buf(bytes)?;
        let text = std::str::from_utf8(bytes)?;
        ArrayString::try_from(text).map_err(|_| too_long())
    }
}

/// Never packed: its memory holds a length beside the bytes.
impl<const CAP: usize> Packed for ArrayString<CAP> {}

/// Its value is the text; no children.
impl<const CAP: usize> Introspect for ArrayString<CAP> {
    fn introspect_value(&self) -> String {
        self.to_string()
    }
    fn introspect_child<'a>(&'a self, _index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        None
    }
    fn introspect_len(&self) -> usize {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impls::test_support::assert_roundtrip;

    #[test]
    fn an_array_vec_is_a_count_and_its_elements() {
        let items: ArrayVec<u16, 4> = [0x0201, 0x0403].into_iter().collect();
        let mut expected = 2u64.to_le_bytes().to_vec();
        expected.extend_from_slice(&[1, 2, 3, 4]);
        assert_eq!(assert_roundtrip(&items), expected);
        assert_eq!(assert_roundtrip(&ArrayVec::<String, 3>::new()), [0; 8]);
        let words: ArrayVec<String, 3> = ["a", "bc", "def"].map(String::from).into();
        assert_roundtrip(&words);
        let nested: ArrayVec<ArrayVec<u8, 2>, 2> =
            [[1, 2].into(), ArrayVec::new()].into_iter().collect();
        assert_roundtrip(&nested);
    }

    #[test]
    fn it_loads_as_a_vec_and_a_vec_loads_as_it_when_it_fits() {
        let items: ArrayVec<u32, 8> = (1..=5).collect();
        let bytes = crate::save_to_mem(0, &items).unwrap();
        assert_eq!(
            bytes,
            crate::save_to_mem(0, &vec![1u32, 2, 3, 4, 5]).unwrap()
        );
        let back: Vec<u32> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(back, [1, 2, 3, 4, 5]);
        let small: Result<ArrayVec<u32, 4>, _> = crate::load_from_mem(&bytes, 0);
        match small {
            Err(SavefileError::ArrayvecCapacityError { msg }) => {
                assert!(
                    msg.contains("5 elements") && msg.contains("capacity of 4"),
                    "{msg}"
                );
            }
            other => panic!("expected a capacity error, got {other:?}"),
        }
        let exact: ArrayVec<u32, 5> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(exact.as_slice(), back.as_slice());
    }

    #[test]
    fn an_array_string_is_a_string() {
        let text = ArrayString::<16>::from("héllo").unwrap();
        let bytes = assert_roundtrip(&text);
        assert_eq!(&bytes[..8], &6u64.to_le_bytes());
        assert_eq!(&bytes[8..], "héllo".as_bytes());
        assert_eq!(
            crate::save_to_mem(0, &text).unwrap(),
            crate::save_to_mem(0, "héllo").unwrap()
        );
        assert_roundtrip(&ArrayString::<0>::new());
        assert_eq!(text.introspect_value(), "héllo");
    }

    #[test]
    fn a_string_too_long_or_not_utf8_is_refused() {
        let bytes = crate::save_to_mem(0, "seventeen bytes!!").unwrap();
        for result in [
            crate::load_from_mem::<ArrayString<16>>(&bytes, 0).map(drop),
            crate::load::<ArrayString<4>>(&mut &bytes[..], 0).map(drop),
        ] {
            assert!(
                matches!(result, Err(SavefileError::ArrayvecCapacityError { .. })),
                "{result:?}"
            );
        }
        let fits: ArrayString<17> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(fits.as_str(), "seventeen bytes!!");
        let mut bad = crate::save_to_mem(0, "ab").unwrap();
        let last = bad.len() - 1;
        bad[last] = 0xff;
        assert!(matches!(
            crate::load_from_mem::<ArrayString<8>>(&bad, 0),
            Err(SavefileError::InvalidUtf8 { .. })
        ));
        // A length of 2^63 is refused as too long, without reading or allocating.
        let mut huge = Vec::new();
        crate::save_noschema(&mut huge, 0, "").unwrap();
        huge.truncate(16);
        huge.extend_from_slice(&(1u64 << 63).to_le_bytes());
        assert!(matches!(
            crate::load_from_mem_noschema::<ArrayString<8>>(&huge, 0),
            Err(SavefileError::ArrayvecCapacityError { .. })
        ));
    }
}
