//! Sets: `HashSet<T, S>` for any hasher `S`, and `BTreeSet<T>`.
//!
//! A set is saved like a sequence, as a u64 count and then its elements (in
//! iteration order), with the same vector schema, so it loads as any sequence and
//! any sequence loads as a set. An element that appears twice in a file is kept
//! once, as inserting it twice would.

use std::collections::{BTreeSet, HashSet};
use std::hash::{BuildHasher, Hash};
use std::io::{Read, Write};

use crate::format::footprint::reserve_hash_table;
use crate::impls::seq::{charge_btree, read_counted, vector_schema, write_counted};
use crate::packed::{min_bytes, min_wire_size};
use crate::{
    introspect_item, Deserialize, Deserializer, Introspect, IntrospectItem, Packed, SavefileError,
    Schema, Serialize, Serializer, WithSchema, WithSchemaContext,
};

impl<T: WithSchema, S> WithSchema for HashSet<T, S> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        vector_schema::<T>(version, context)
    }
}

impl<T: WithSchema> WithSchema for BTreeSet<T> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        vector_schema::<T>(version, context)
    }
}

impl<T: Serialize, S> Serialize for HashSet<T, S> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        write_counted(serializer, self.iter(), |serializer, item| {
            item.serialize(serializer)
        })
    }
}

impl<T: Serialize> Serialize for BTreeSet<T> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        write_counted(serializer, self.iter(), |serializer, item| {
            item.serialize(serializer)
        })
    }
}

impl<T, S> Deserialize for HashSet<T, S>
where
    T: Deserialize + Packed + Eq + Hash,
    S: BuildHasher + Default,
{
    const __SAVEFILE_MIN_SIZE: usize = 8;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        let min_item_bytes = min_wire_size::<T>(deserializer.file_version);
        read_counted(
            deserializer,
            min_item_bytes,
            min_bytes::<T>(deserializer.file_version),
            reserve_hash_table::<T>,
            |capacity| HashSet::with_capacity_and_hasher(capacity, S::default()),
            |deserializer, set| {
                set.insert(T::deserialize(deserializer)?);
                Ok(())
            },
        )
    }
}

impl<T: Deserialize + Packed + Ord> Deserialize for BTreeSet<T> {
    const __SAVEFILE_MIN_SIZE: usize = 8;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        let min_item_bytes = min_wire_size::<T>(deserializer.file_version);
        read_counted(
            deserializer,
            min_item_bytes,
            min_bytes::<T>(deserializer.file_version),
            charge_btree::<T, (), _>,
            |_| BTreeSet::new(),
            |deserializer, set| {
                set.insert(T::deserialize(deserializer)?);
                Ok(())
            },
        )
    }
}

/// Never packed: a set's memory is a table of pointers, not its elements.
impl<T, S> Packed for HashSet<T, S> {}

/// Never packed: a set's memory is a tree of nodes, not its elements.
impl<T> Packed for BTreeSet<T> {}

/// `Introspect`: no value of its own, children "0", "1" … in iteration order.
macro_rules! introspect_set {
    ($($ty:ty => [$($param:ident),*]),*) => {$(
        impl<T: Introspect, $($param),*> Introspect for $ty {
            fn introspect_value(&self) -> String {
                String::new()
            }
            fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
                let item: &T = self.iter().nth(index)?;
                Some(introspect_item(index.to_string(), item))
            }
            fn introspect_len(&self) -> usize {
                self.len()
            }
        }
    )*};
}

introspect_set!(HashSet<T, S> => [S], BTreeSet<T> => []);

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use super::*;
    use crate::impls::test_support::{assert_roundtrip, FnvState};
    use crate::{SchemaPrimitive, VecOrStringLayout};

    #[test]
    fn a_set_is_a_count_and_its_elements() {
        let mut expected = 3u64.to_le_bytes().to_vec();
        expected.extend_from_slice(&[1, 2, 3]);
        let ordered: BTreeSet<u8> = [3, 1, 2].into_iter().collect();
        assert_eq!(assert_roundtrip(&ordered), expected);
        let one: HashSet<u32> = [0x0102_0304].into_iter().collect();
        let mut expected = 1u64.to_le_bytes().to_vec();
        expected.extend_from_slice(&[4, 3, 2, 1]);
        assert_eq!(assert_roundtrip(&one), expected);
        assert_eq!(assert_roundtrip(&HashSet::<u8>::new()), [0; 8]);
        assert_eq!(assert_roundtrip(&BTreeSet::<String>::new()), [0; 8]);
    }

    #[test]
    fn sets_of_many_and_nested_elements_round_trip() {
        let words: HashSet<String> = (0..50).map(|i| format!("word {i}")).collect();
        assert_roundtrip(&words);
        let nested: BTreeSet<Vec<u8>> = [vec![], vec![1, 2], vec![3]].into_iter().collect();
        assert_roundtrip(&nested);
        let custom: HashSet<u64, FnvState> = (0..20).collect();
        assert_roundtrip(&custom);
    }

    #[test]
    fn sets_and_sequences_load_as_each_other() {
        let expected = Schema::Vector(
            Box::new(Schema::Primitive(SchemaPrimitive::schema_u16)),
            VecOrStringLayout::Unknown,
        );
        assert_eq!(crate::get_schema::<HashSet<u16>>(0), expected);
        assert_eq!(crate::get_schema::<BTreeSet<u16>>(0), expected);
        let bytes = crate::save_to_mem(0, &vec![5u16, 3, 5]).unwrap();
        let set: BTreeSet<u16> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(set.into_iter().collect::<Vec<_>>(), [3, 5]);
        let set: HashSet<u16, FnvState> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(set.len(), 2);
        let bytes = crate::save_to_mem(0, &set).unwrap();
        let back: VecDeque<u16> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(back.len(), 2);
    }

    #[test]
    fn a_count_that_cannot_fit_the_input_is_refused() {
        let mut bytes = Vec::new();
        crate::save_noschema(&mut bytes, 0, &BTreeSet::<u8>::new()).unwrap();
        bytes.truncate(16);
        bytes.extend_from_slice(&(1u64 << 60).to_le_bytes());
        for result in [
            crate::load_from_mem_noschema::<HashSet<u8>>(&bytes, 0).map(drop),
            crate::load_from_mem_noschema::<HashSet<String, FnvState>>(&bytes, 0).map(drop),
            crate::load_from_mem_noschema::<BTreeSet<u64>>(&bytes, 0).map(drop),
            crate::load_from_mem_noschema::<BTreeSet<()>>(&bytes, 0).map(drop),
        ] {
            assert!(
                matches!(
                    result,
                    Err(SavefileError::LengthTooLarge {
                        length: 0x1000_0000_0000_0000,
                        remaining: 0
                    })
                ),
                "{result:?}"
            );
        }
    }

    #[test]
    fn introspection_lists_the_elements_by_index() {
        let set: BTreeSet<char> = ['b', 'a'].into_iter().collect();
        assert_eq!(set.introspect_value(), "");
        assert_eq!(set.introspect_len(), 2);
        let child = set.introspect_child(0).unwrap();
        assert_eq!(
            (child.key(), child.val().introspect_value()),
            ("0", "a".into())
        );
        assert!(set.introspect_child(2).is_none());
        let set: HashSet<u8, FnvState> = [9].into_iter().collect();
        assert_eq!(
            set.introspect_child(0).unwrap().val().introspect_value(),
            "9"
        );
    }
}
