//! Fixed-size arrays `[T; N]`, for every `N`.
//!
//! An array is saved as its `N` elements with no count: the length is part of the
//! type, and of the schema (`Array { count: N }`). It is packed exactly when `T` is,
//! since an array has no padding between or after its elements.

use std::io::{Read, Write};

use crate::impls::seq::write_elements;
use crate::packed::{
    bulk_copy, check_elements, is_packed, min_bytes, try_read_packed_array, BulkCopy,
};
use crate::{
    introspect_item, Deserialize, Deserializer, Introspect, IntrospectItem, IsPacked, Packed,
    SavefileError, Schema, SchemaArray, Serialize, Serializer, WithSchema, WithSchemaContext,
};

impl<T: WithSchema, const N: usize> WithSchema for [T; N] {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        // Registered like a sequence's element, as savefile 0.20 does, so recursion
        // depths count the same levels as in the files it wrote.
        let item = context.possible_recursion::<T>(|context| T::schema(version, context));
        Schema::Array(SchemaArray {
            item_type: Box::new(item),
            count: N,
        })
    }
}

impl<T: Serialize + Packed, const N: usize> Serialize for [T; N] {
    #[inline]
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        write_elements(serializer, self)
    }
}

impl<T: Deserialize + Packed, const N: usize> Deserialize for [T; N] {
    const __SAVEFILE_MIN_SIZE: usize = T::__SAVEFILE_MIN_SIZE.saturating_mul(N);
    const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        if let Some(array) = try_read_packed_array(deserializer)? {
            return Ok(array);
        }
        // Element by element, with no allocation: each slot holds `Some` once read.
        // After the first error the remaining slots stay `None` and nothing more is
        // read; the elements read so far are dropped with the array.
        let mut error = None;
        let mut elements =
            deserializer.begin_elements(N, min_bytes::<T>(deserializer.file_version));
        let slots: [Option<T>; N] = std::array::from_fn(|_| {
            if error.is_some() {
                return None;
            }
            deserializer.next_element(&mut elements);
            T::deserialize(deserializer)
                .map_err(|e| error = Some(e))
                .ok()
        });
        deserializer.end_elements(elements);
        match error {
            Some(error) => Err(error),
            // With no error, every call above returned `Some`.
            None => Ok(slots.map(|slot| slot.expect("every slot is filled when no read failed"))),
        }
    }
}

#[allow(unsafe_code)]
impl<T: Packed, const N: usize> Packed for [T; N] {
    #[inline]
    unsafe fn repr_c_optimization_safe(version: u32) -> IsPacked {
        if is_packed::<T>(version) {
            // SAFETY: `[T; N]` is N values of `T` laid out back to back with a stride
            // of `size_of::<T>()` and no padding before, between or after them, and
            // its saved form is the N saved `T`s back to back. `T` is packed for this
            // version, so each element's memory bytes are its saved bytes and it
            // accepts every bit pattern its Serialize writes; hence so does the array.
            unsafe { IsPacked::yes() }
        } else {
            IsPacked::no()
        }
    }

    #[inline]
    unsafe fn __savefile_bulk_copy(version: u32) -> BulkCopy {
        // An array has `T`'s promise element by element (no padding between
        // elements), and its check runs `T`'s check on each element.
        bulk_copy::<T>(version)
    }

    fn __savefile_check(version: u32, bytes: &[u8]) -> Result<(), SavefileError> {
        check_elements::<T>(BulkCopy::Checked, version, bytes, bytes)
    }
}

impl<T: Introspect, const N: usize> Introspect for [T; N] {
    fn introspect_value(&self) -> String {
        String::new()
    }
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        let item: &T = self.get(index)?;
        Some(introspect_item(index.to_string(), item))
    }
    fn introspect_len(&self) -> usize {
        N
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::impls::test_support::assert_roundtrip;
    use crate::{SchemaDifference, SchemaPrimitive};

    #[test]
    fn an_array_is_its_elements_without_a_count() {
        assert_eq!(assert_roundtrip(&[1u16, 2, 3]), [1, 0, 2, 0, 3, 0]);
        assert_eq!(assert_roundtrip(&[[1u8, 2], [3, 4]]), [1, 2, 3, 4]);
        assert_eq!(assert_roundtrip(&[0u32; 0]), [] as [u8; 0]);
        let strings = ["a".to_string(), "bc".to_string()];
        let bytes = assert_roundtrip(&strings);
        assert_eq!(&bytes[..9], &[1, 0, 0, 0, 0, 0, 0, 0, b'a']);
        assert_eq!(&bytes[9..], &[2, 0, 0, 0, 0, 0, 0, 0, b'b', b'c']);
        // Inside a vector, each element is N values with no count of its own.
        let mut expected = 2u64.to_le_bytes().to_vec();
        expected.extend_from_slice(&[1, 2, 3, 4]);
        assert_eq!(assert_roundtrip(&vec![[1u8, 2], [3, 4]]), expected);
    }

    #[test]
    fn the_schema_is_an_array_of_n() {
        assert_eq!(
            crate::get_schema::<[i8; 5]>(0),
            Schema::Array(SchemaArray {
                item_type: Box::new(Schema::Primitive(SchemaPrimitive::schema_i8)),
                count: 5,
            })
        );
    }

    #[test]
    fn a_different_length_or_a_vector_does_not_load() {
        let bytes = crate::save_to_mem(0, &[1u8, 2]).unwrap();
        let err = crate::load_from_mem::<[u8; 3]>(&bytes, 0).unwrap_err();
        let SavefileError::IncompatibleSchema { mismatch } = err else {
            panic!("{err:?}");
        };
        assert_eq!(
            mismatch.difference,
            SchemaDifference::ArrayLength {
                program: 3,
                file: 2
            }
        );
        assert!(matches!(
            crate::load_from_mem::<Vec<u8>>(&bytes, 0),
            Err(SavefileError::IncompatibleSchema { .. })
        ));
    }

    #[test]
    fn an_array_is_packed_exactly_when_its_element_is() {
        assert_eq!(is_packed::<[u32; 4]>(0), is_packed::<u32>(0));
        assert_eq!(is_packed::<[[u16; 2]; 3]>(0), is_packed::<u16>(0));
        assert!(is_packed::<[(); 7]>(0));
        assert!(!is_packed::<[bool; 2]>(0));
        assert!(!is_packed::<[String; 1]>(0));
    }

    static DROPPED: AtomicUsize = AtomicUsize::new(0);

    /// A byte that counts its drops, has no `Default` or `Copy`, and refuses 0xff.
    #[derive(Debug)]
    struct Tracked(u8);

    impl Drop for Tracked {
        fn drop(&mut self) {
            DROPPED.fetch_add(1, Ordering::SeqCst);
        }
    }

    impl WithSchema for Tracked {
        fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
            u8::schema(version, context)
        }
    }

    impl Packed for Tracked {}

    impl Deserialize for Tracked {
        fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
            match deserializer.read_u8()? {
                0xff => Err(SavefileError::InvalidTag {
                    type_name: "Tracked",
                    tag: 0xff,
                }),
                byte => Ok(Tracked(byte)),
            }
        }
    }

    #[test]
    fn an_error_midway_drops_what_was_read() {
        let mut deserializer = Deserializer::from_slice(&[1, 2, 0xff, 4], 0);
        let result = <[Tracked; 4]>::deserialize(&mut deserializer);
        assert!(matches!(
            result,
            Err(SavefileError::InvalidTag { tag: 0xff, .. })
        ));
        assert_eq!(DROPPED.load(Ordering::SeqCst), 2);
        let mut deserializer = Deserializer::from_slice(&[7, 8], 0);
        let [a, b] = <[Tracked; 2]>::deserialize(&mut deserializer).unwrap();
        assert_eq!((a.0, b.0), (7, 8));
        let mut deserializer = Deserializer::from_slice(&[7], 0);
        assert!(matches!(
            <[Tracked; 2]>::deserialize(&mut deserializer),
            Err(SavefileError::ShortRead)
        ));
    }

    #[test]
    fn introspection_lists_the_elements_by_index() {
        let value = [3u8, 4, 5];
        assert_eq!(value.introspect_value(), "");
        assert_eq!(value.introspect_len(), 3);
        let child = value.introspect_child(2).unwrap();
        assert_eq!(
            (child.key(), child.val().introspect_value()),
            ("2", "5".into())
        );
        assert!(value.introspect_child(3).is_none());
    }
}
