//! `indexmap::IndexMap<K, V, S>` and `IndexSet<T, S>` (indexmap 2), for any hasher `S`.
//!
//! Both are saved as a u64 entry count, then the entries in their order (the order
//! the map keeps, which is what it is for): each key, followed by its value for a
//! map. The schemas are savefile 0.20's: a map is a vector of struct
//! "KeyValuePair" with fields "key" and "value", as `HashMap` and `BTreeMap` are, so
//! the three load as each other; a set is a vector of struct "Key" with one field
//! "key", which no std set matches. A key that appears twice keeps its first place
//! and the later value, as inserting both would.

use std::hash::{BuildHasher, Hash};
use std::io::{Read, Write};

use indexmap::{IndexMap, IndexSet};

use crate::format::footprint::reserve_index_map;
use crate::impls::map::map_schema;
use crate::impls::seq::{read_counted, write_counted};
use crate::packed::{min_bytes, min_wire_size};
use crate::{
    introspect_item, Deserialize, Deserializer, Field, Introspect, IntrospectItem, Packed,
    SavefileError, Schema, SchemaStruct, Serialize, Serializer, VecOrStringLayout, WithSchema,
    WithSchemaContext,
};

impl<K: WithSchema, V: WithSchema, S> WithSchema for IndexMap<K, V, S> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        // As for `HashMap`, savefile 0.20 registers the key type around the value's
        // schema too: the same here keeps recursion depths equal to its files'.
        let key = context.possible_recursion::<K>(|context| K::schema(version, context));
        let value = context.possible_recursion::<K>(|context| V::schema(version, context));
        map_schema(key, value)
    }
}

impl<T: WithSchema, S> WithSchema for IndexSet<T, S> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        let key = context.possible_recursion::<T>(|context| T::schema(version, context));
        let entry = SchemaStruct::new(
            "Key".to_string(),
            vec![Field::new("key".to_string(), Box::new(key))],
        );
        Schema::Vector(Box::new(Schema::Struct(entry)), VecOrStringLayout::Unknown)
    }
}

impl<K: Serialize, V: Serialize, S> Serialize for IndexMap<K, V, S> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        write_counted(serializer, self.iter(), |serializer, (key, value)| {
            key.serialize(serializer)?;
            value.serialize(serializer)
        })
    }
}

impl<T: Serialize, S> Serialize for IndexSet<T, S> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        write_counted(serializer, self.iter(), |serializer, item| {
            item.serialize(serializer)
        })
    }
}

/// The memory of one entry of an `IndexMap<K, V>`: its hash, key and value.
type MapEntry<K, V> = (usize, K, V);

/// The memory of one entry of an `IndexSet<T>`: its hash and key.
type SetEntry<T> = (usize, T);

crate::borrowed::borrowed_as_owned!(impl[K, V, S] IndexMap<K, V, S>);

impl<K, V, S> Deserialize for IndexMap<K, V, S>
where
    K: Deserialize + Packed + Eq + Hash,
    V: Deserialize + Packed,
    S: BuildHasher + Default,
{
    const __SAVEFILE_MIN_SIZE: usize = 8;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        let version = deserializer.file_version;
        read_counted(
            deserializer,
            min_wire_size::<K>(version) + min_wire_size::<V>(version),
            min_bytes::<K>(version).saturating_add(min_bytes::<V>(version)),
            reserve_index_map::<MapEntry<K, V>>,
            |capacity| IndexMap::with_capacity_and_hasher(capacity, S::default()),
            |deserializer, map| {
                let key = K::deserialize(deserializer)?;
                let value = V::deserialize(deserializer)?;
                map.insert(key, value);
                Ok(())
            },
        )
    }
}

crate::borrowed::borrowed_as_owned!(impl[T, S] IndexSet<T, S>);

impl<T, S> Deserialize for IndexSet<T, S>
where
    T: Deserialize + Packed + Eq + Hash,
    S: BuildHasher + Default,
{
    const __SAVEFILE_MIN_SIZE: usize = 8;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        let version = deserializer.file_version;
        read_counted(
            deserializer,
            min_wire_size::<T>(version),
            min_bytes::<T>(version),
            reserve_index_map::<SetEntry<T>>,
            |capacity| IndexSet::with_capacity_and_hasher(capacity, S::default()),
            |deserializer, set| {
                set.insert(T::deserialize(deserializer)?);
                Ok(())
            },
        )
    }
}

/// Never packed: the memory is a table and a vector, not the entries.
impl<K, V, S> Packed for IndexMap<K, V, S> {}

/// Never packed: the memory is a table and a vector, not the elements.
impl<T, S> Packed for IndexSet<T, S> {}

/// No value of its own; one child per entry, in order, named by the key's value and
/// holding the value, as for the std maps. Reaching the child at `index` is direct.
impl<K: Introspect, V: Introspect, S> Introspect for IndexMap<K, V, S> {
    fn introspect_value(&self) -> String {
        String::new()
    }
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        let (key, value) = self.get_index(index)?;
        Some(introspect_item(key.introspect_value(), value))
    }
    fn introspect_len(&self) -> usize {
        self.len()
    }
}

/// No value of its own; children "0", "1" … in order, as for the std sets.
impl<T: Introspect, S> Introspect for IndexSet<T, S> {
    fn introspect_value(&self) -> String {
        String::new()
    }
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        let item: &T = self.get_index(index)?;
        Some(introspect_item(index.to_string(), item))
    }
    fn introspect_len(&self) -> usize {
        self.len()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use super::*;
    use crate::impls::test_support::{assert_roundtrip, FnvState};
    use crate::SchemaPrimitive;

    #[test]
    fn a_map_is_a_count_then_keys_and_values_in_its_order() {
        let map: IndexMap<u8, bool> = [(2, false), (1, true)].into_iter().collect();
        let mut expected = 2u64.to_le_bytes().to_vec();
        expected.extend_from_slice(&[2, 0, 1, 1]);
        assert_eq!(assert_roundtrip(&map), expected);
        assert_eq!(assert_roundtrip(&IndexMap::<u8, u8>::new()), [0; 8]);
        let many: IndexMap<String, Vec<u32>> = (0..40)
            .rev()
            .map(|i| (format!("key {i}"), (0..i).collect()))
            .collect();
        assert_roundtrip(&many);
        let back: IndexMap<String, Vec<u32>> =
            crate::load_from_mem(&crate::save_to_mem(0, &many).unwrap(), 0).unwrap();
        assert!(back.keys().eq(many.keys()), "the order is kept");
        let hashed: IndexMap<u32, String, FnvState> =
            (0..30).map(|i| (i * 7, i.to_string())).collect();
        assert_roundtrip(&hashed);
    }

    #[test]
    fn a_set_is_a_count_then_its_elements_in_order() {
        let set: IndexSet<u16> = [0x0302, 0x0100].into_iter().collect();
        let mut expected = 2u64.to_le_bytes().to_vec();
        expected.extend_from_slice(&[2, 3, 0, 1]);
        assert_eq!(assert_roundtrip(&set), expected);
        let words: IndexSet<String, FnvState> = (0..50).map(|i| format!("w{i}")).collect();
        assert_roundtrip(&words);
    }

    #[test]
    fn the_schemas_are_savefile_020s() {
        let u16_schema = || Box::new(Schema::Primitive(SchemaPrimitive::schema_u16));
        let pairs = Schema::Vector(
            Box::new(Schema::Struct(SchemaStruct::new(
                "KeyValuePair".to_string(),
                vec![
                    Field::new("key".to_string(), u16_schema()),
                    Field::new("value".to_string(), Box::new(Schema::string())),
                ],
            ))),
            VecOrStringLayout::Unknown,
        );
        assert_eq!(crate::get_schema::<IndexMap<u16, String>>(0), pairs);
        let keys = Schema::Vector(
            Box::new(Schema::Struct(SchemaStruct::new(
                "Key".to_string(),
                vec![Field::new("key".to_string(), u16_schema())],
            ))),
            VecOrStringLayout::Unknown,
        );
        assert_eq!(crate::get_schema::<IndexSet<u16>>(0), keys);
    }

    #[test]
    fn an_index_map_loads_as_a_std_map_and_back() {
        let map: IndexMap<u16, String> = [(9, "nine".to_string()), (3, "three".to_string())]
            .into_iter()
            .collect();
        let bytes = crate::save_to_mem(0, &map).unwrap();
        let std_map: HashMap<u16, String> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(std_map[&9], "nine");
        let sorted: BTreeMap<u16, String> = [(1, "one".to_string())].into_iter().collect();
        let bytes = crate::save_to_mem(0, &sorted).unwrap();
        let back: IndexMap<u16, String> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(back.get_index(0), Some((&1, &"one".to_string())));
        // A set's entries are structs of one field: not a sequence of keys.
        let set: IndexSet<u16> = [1].into_iter().collect();
        let bytes = crate::save_to_mem(0, &set).unwrap();
        assert!(matches!(
            crate::load_from_mem::<Vec<u16>>(&bytes, 0),
            Err(SavefileError::IncompatibleSchema { .. })
        ));
    }

    #[test]
    fn a_repeated_key_keeps_its_first_place_and_the_later_value() {
        let mut bytes = Vec::new();
        crate::save_noschema(&mut bytes, 0, &vec![1u8, 10, 2, 20, 1, 30]).unwrap();
        // The same bytes read as a map: count 6 would be six entries, so make it 3.
        bytes[16..24].copy_from_slice(&3u64.to_le_bytes());
        let map: IndexMap<u8, u8> = crate::load_from_mem_noschema(&bytes, 0).unwrap();
        assert_eq!(map.into_iter().collect::<Vec<_>>(), [(1, 30), (2, 20)]);
    }

    #[test]
    fn a_count_that_cannot_fit_the_input_is_refused() {
        let mut bytes = Vec::new();
        crate::save_noschema(&mut bytes, 0, &IndexMap::<u8, u8>::new()).unwrap();
        bytes.truncate(16);
        bytes.extend_from_slice(&(1u64 << 60).to_le_bytes());
        for result in [
            crate::load_from_mem_noschema::<IndexMap<u8, u8>>(&bytes, 0).map(drop),
            crate::load_from_mem_noschema::<IndexSet<String>>(&bytes, 0).map(drop),
        ] {
            assert!(
                matches!(result, Err(SavefileError::LengthTooLarge { .. })),
                "{result:?}"
            );
        }
        // From a stream, whose length is not known, the table is what is refused.
        let result = crate::load_noschema::<IndexMap<u32, String>>(&mut &bytes[..], 0);
        assert!(
            matches!(result, Err(SavefileError::MemoryLimitExceeded { .. })),
            "{result:?}"
        );
    }

    #[test]
    fn a_map_larger_than_the_allowance_grows_as_its_entries_arrive() {
        // 200 000 entries of 9 bytes each: more table than the 1 MiB head start plus
        // four bytes per byte of a stream read so far, so the map grows as it loads.
        let map: IndexMap<u64, bool> = (0..200_000u64).map(|i| (i, i % 3 == 0)).collect();
        let mut bytes = Vec::new();
        crate::save_noschema(&mut bytes, 0, &map).unwrap();
        let back: IndexMap<u64, bool> = crate::load_noschema(&mut &bytes[..], 0).unwrap();
        assert_eq!(back, map);
        assert!(back.keys().eq(map.keys()));
    }

    #[test]
    fn introspection_names_children_by_key_in_order() {
        let map: IndexMap<String, u32> = [("b".to_string(), 2), ("a".to_string(), 1)]
            .into_iter()
            .collect();
        assert_eq!(map.introspect_len(), 2);
        let child = map.introspect_child(0).unwrap();
        assert_eq!(
            (child.key(), child.val().introspect_value()),
            ("b", "2".into())
        );
        assert!(map.introspect_child(2).is_none());
        let set: IndexSet<u8> = [7, 5].into_iter().collect();
        let child = set.introspect_child(1).unwrap();
        assert_eq!(
            (child.key(), child.val().introspect_value()),
            ("1", "5".into())
        );
    }
}
