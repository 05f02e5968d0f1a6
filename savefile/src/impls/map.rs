//! Maps: `HashMap<K, V, S>` for any hasher `S`, and `BTreeMap<K, V>`.
//!
//! A map is saved as a u64 entry count, then each entry's key and value, in
//! iteration order. Its schema is a vector of a struct "KeyValuePair" with fields
//! "key" and "value", exactly as savefile 0.20 writes it, so either map loads as
//! the other. A key that appears twice in a file keeps the later value, as
//! inserting both would.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash};
use std::io::{Read, Write};

use crate::format::footprint::reserve_hash_table;
use crate::impls::seq::{charge_btree, read_counted, write_counted};
use crate::packed::{min_bytes, min_wire_size};
use crate::{
    introspect_item, Deserialize, Deserializer, Field, Introspect, IntrospectItem, Packed,
    SavefileError, Schema, SchemaStruct, Serialize, Serializer, VecOrStringLayout, WithSchema,
    WithSchemaContext,
};

/// The schema of a map whose entries have the given key and value schemas.
pub(crate) fn map_schema(key: Schema, value: Schema) -> Schema {
    let entry = SchemaStruct::new(
        "KeyValuePair".to_string(),
        vec![
            Field::new("key".to_string(), Box::new(key)),
            Field::new("value".to_string(), Box::new(value)),
        ],
    );
    Schema::Vector(Box::new(Schema::Struct(entry)), VecOrStringLayout::Unknown)
}

/// The fewest saved bytes one entry can take: what bounds an entry count.
fn min_entry_bytes<K: Packed, V: Packed>(version: u32) -> usize {
    min_wire_size::<K>(version) + min_wire_size::<V>(version)
}

/// The fewest saved bytes one entry takes as far as is known (see [`min_bytes`]).
fn least_entry_bytes<K: Deserialize + Packed, V: Deserialize + Packed>(version: u32) -> usize {
    min_bytes::<K>(version).saturating_add(min_bytes::<V>(version))
}

impl<K: WithSchema, V: WithSchema, S> WithSchema for HashMap<K, V, S> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        let key = context.possible_recursion::<K>(|context| K::schema(version, context));
        // savefile 0.20 registers the *key* type around a HashMap's value schema (a
        // BTreeMap registers the value type). Doing the same keeps the recursion
        // depths of recursive values equal to those in the files it wrote.
        let value = context.possible_recursion::<K>(|context| V::schema(version, context));
        map_schema(key, value)
    }
}

impl<K: WithSchema, V: WithSchema> WithSchema for BTreeMap<K, V> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        let key = context.possible_recursion::<K>(|context| K::schema(version, context));
        let value = context.possible_recursion::<V>(|context| V::schema(version, context));
        map_schema(key, value)
    }
}

impl<K: Serialize, V: Serialize, S> Serialize for HashMap<K, V, S> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        write_counted(serializer, self.iter(), |serializer, (key, value)| {
            key.serialize(serializer)?;
            value.serialize(serializer)
        })
    }
}

impl<K: Serialize, V: Serialize> Serialize for BTreeMap<K, V> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        write_counted(serializer, self.iter(), |serializer, (key, value)| {
            key.serialize(serializer)?;
            value.serialize(serializer)
        })
    }
}

impl<K, V, S> Deserialize for HashMap<K, V, S>
where
    K: Deserialize + Packed + Eq + Hash,
    V: Deserialize + Packed,
    S: BuildHasher + Default,
{
    const __SAVEFILE_MIN_SIZE: usize = 8;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        let min_item_bytes = min_entry_bytes::<K, V>(deserializer.file_version);
        read_counted(
            deserializer,
            min_item_bytes,
            least_entry_bytes::<K, V>(deserializer.file_version),
            reserve_hash_table::<(K, V)>,
            |capacity| HashMap::with_capacity_and_hasher(capacity, S::default()),
            |deserializer, map| {
                let key = K::deserialize(deserializer)?;
                let value = V::deserialize(deserializer)?;
                map.insert(key, value);
                Ok(())
            },
        )
    }
}

impl<K, V> Deserialize for BTreeMap<K, V>
where
    K: Deserialize + Packed + Ord,
    V: Deserialize + Packed,
{
    const __SAVEFILE_MIN_SIZE: usize = 8;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        let min_item_bytes = min_entry_bytes::<K, V>(deserializer.file_version);
        read_counted(
            deserializer,
            min_item_bytes,
            least_entry_bytes::<K, V>(deserializer.file_version),
            charge_btree::<K, V, _>,
            |_| BTreeMap::new(),
            |deserializer, map| {
                let key = K::deserialize(deserializer)?;
                let value = V::deserialize(deserializer)?;
                map.insert(key, value);
                Ok(())
            },
        )
    }
}

/// Never packed: a map's memory is a table of pointers, not its entries.
impl<K, V, S> Packed for HashMap<K, V, S> {}

/// Never packed: a map's memory is a tree of nodes, not its entries.
impl<K, V> Packed for BTreeMap<K, V> {}

/// `Introspect`: no value of its own; one child per entry, named by the key's
/// value, holding the value, in iteration order.
macro_rules! introspect_map {
    ($($ty:ty => [$($param:ident),*]),*) => {$(
        impl<K: Introspect, V: Introspect, $($param),*> Introspect for $ty {
            fn introspect_value(&self) -> String {
                String::new()
            }
            fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
                let (key, value) = self.iter().nth(index)?;
                Some(introspect_item(key.introspect_value(), value))
            }
            fn introspect_len(&self) -> usize {
                self.len()
            }
        }
    )*};
}

introspect_map!(HashMap<K, V, S> => [S], BTreeMap<K, V> => []);

#[cfg(test)]
mod tests {

    use super::*;
    use crate::impls::test_support::{assert_roundtrip, FnvState};
    use crate::SchemaPrimitive;

    #[test]
    fn a_map_is_a_count_then_keys_and_values() {
        let map: BTreeMap<u8, bool> = [(2, false), (1, true)].into_iter().collect();
        let mut expected = 2u64.to_le_bytes().to_vec();
        expected.extend_from_slice(&[1, 1, 2, 0]);
        assert_eq!(assert_roundtrip(&map), expected);
        assert_eq!(assert_roundtrip(&BTreeMap::<u8, u8>::new()), [0; 8]);
        assert_eq!(assert_roundtrip(&HashMap::<String, u8>::new()), [0; 8]);
    }

    #[test]
    fn nested_values_follow_their_key() {
        let map: HashMap<String, Vec<u32>> = [("k".to_string(), vec![7])].into_iter().collect();
        let mut expected = 1u64.to_le_bytes().to_vec();
        expected.extend_from_slice(&1u64.to_le_bytes());
        expected.push(b'k');
        expected.extend_from_slice(&1u64.to_le_bytes());
        expected.extend_from_slice(&7u32.to_le_bytes());
        assert_eq!(assert_roundtrip(&map), expected);
        let many: HashMap<String, Vec<u32>> = (0..30)
            .map(|i| (format!("key {i}"), (0..i).collect()))
            .collect();
        assert_roundtrip(&many);
        let nested: BTreeMap<u8, BTreeMap<String, ()>> =
            [(1, [("x".to_string(), ())].into_iter().collect())]
                .into_iter()
                .collect();
        assert_roundtrip(&nested);
    }

    #[test]
    fn a_custom_hasher_round_trips() {
        let map: HashMap<u32, String, FnvState> = (0..40).map(|i| (i, i.to_string())).collect();
        assert_roundtrip(&map);
        let bytes = crate::save_to_mem(0, &map).unwrap();
        let plain: HashMap<u32, String> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(plain.len(), 40);
        assert_eq!(plain[&39], "39");
    }

    #[test]
    fn the_schema_is_a_vector_of_key_value_pairs() {
        let u16_schema = || Box::new(Schema::Primitive(SchemaPrimitive::schema_u16));
        let expected = Schema::Vector(
            Box::new(Schema::Struct(SchemaStruct {
                dbg_name: "KeyValuePair".to_string(),
                size: None,
                alignment: None,
                fields: vec![
                    Field::new("key".to_string(), u16_schema()),
                    Field::new("value".to_string(), Box::new(Schema::string())),
                ],
            })),
            VecOrStringLayout::Unknown,
        );
        assert_eq!(crate::get_schema::<HashMap<u16, String>>(0), expected);
        assert_eq!(crate::get_schema::<BTreeMap<u16, String>>(0), expected);
        // Hence the two kinds of map load as each other.
        let map: HashMap<u16, String> = [(3, "three".to_string())].into_iter().collect();
        let bytes = crate::save_to_mem(0, &map).unwrap();
        let back: BTreeMap<u16, String> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(back[&3], "three");
        // But not as a sequence of keys.
        assert!(matches!(
            crate::load_from_mem::<Vec<u16>>(&bytes, 0),
            Err(SavefileError::IncompatibleSchema { .. })
        ));
    }

    #[test]
    fn a_count_that_cannot_fit_the_input_is_refused() {
        let mut bytes = Vec::new();
        crate::save_noschema(&mut bytes, 0, &BTreeMap::<u8, u8>::new()).unwrap();
        bytes.truncate(16);
        bytes.extend_from_slice(&(1u64 << 60).to_le_bytes());
        for result in [
            crate::load_from_mem_noschema::<HashMap<u8, u8>>(&bytes, 0).map(drop),
            crate::load_from_mem_noschema::<HashMap<String, u8, FnvState>>(&bytes, 0).map(drop),
            crate::load_from_mem_noschema::<BTreeMap<u32, String>>(&bytes, 0).map(drop),
            crate::load_from_mem_noschema::<BTreeMap<(), ()>>(&bytes, 0).map(drop),
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
    fn a_repeated_key_keeps_the_later_value() {
        let mut bytes = Vec::new();
        crate::save_noschema(&mut bytes, 0, &vec![1u8, 10, 1, 20]).unwrap();
        // The same bytes read as a map: count 4 would be four entries, so make it 2.
        bytes[16..24].copy_from_slice(&2u64.to_le_bytes());
        let map: BTreeMap<u8, u8> = crate::load_from_mem_noschema(&bytes, 0).unwrap();
        assert_eq!(map.into_iter().collect::<Vec<_>>(), [(1, 20)]);
    }

    #[test]
    fn introspection_names_children_by_key() {
        let map: BTreeMap<String, u32> = [("b".to_string(), 2), ("a".to_string(), 1)]
            .into_iter()
            .collect();
        assert_eq!(map.introspect_value(), "");
        assert_eq!(map.introspect_len(), 2);
        let child = map.introspect_child(0).unwrap();
        assert_eq!(
            (child.key(), child.val().introspect_value()),
            ("a", "1".into())
        );
        assert_eq!(map.introspect_child(1).unwrap().key(), "b");
        assert!(map.introspect_child(2).is_none());
        let map: HashMap<u8, Vec<u8>, FnvState> = [(5, vec![6])].into_iter().collect();
        let child = map.introspect_child(0).unwrap();
        assert_eq!(child.key(), "5");
        assert_eq!(child.val().introspect_len(), 1);
    }
}
