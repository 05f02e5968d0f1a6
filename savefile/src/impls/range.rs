//! `Range<T>` and `RangeInclusive<T>`: the start, then the end.
//!
//! `Range<T>` is described as savefile 0.20 describes it, as the pair `(T, T)`: a
//! struct "2-Tuple" with fields "0" and "1", with the pair's size, alignment and
//! offsets (not the range's), so files move between the two libraries. 0.20 has no `RangeInclusive`; ours is a struct "RangeInclusive" with
//! fields "start" and "end". Like any two structs with the same field types, the
//! schema check (which ignores names) accepts one for the other; the names only
//! make error messages readable.
//!
//! The flag a `RangeInclusive` sets when iteration runs it to its end is not
//! saved: std offers no way to set it back for a generic `T`, so an exhausted
//! range loads as the fresh range `start..=end`.
//!
//! Neither is packed: their memory layout is unspecified.

use std::io::{Read, Write};
use std::ops::{Range, RangeInclusive};

use crate::{
    introspect_item, Deserialize, Deserializer, Field, Introspect, IntrospectItem, Packed,
    SavefileError, Schema, SchemaStruct, Serialize, Serializer, WithSchema, WithSchemaContext,
};

/// The start and end children shared by both range types.
fn bound_child<'a, T: Introspect>(
    index: usize,
    start: &'a T,
    end: &'a T,
) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
    match index {
        0 => Some(introspect_item("start".to_string(), start)),
        1 => Some(introspect_item("end".to_string(), end)),
        _ => None,
    }
}

impl<T: WithSchema> WithSchema for Range<T> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        <(T, T)>::schema(version, context)
    }
}

impl<T: Serialize> Serialize for Range<T> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        self.start.serialize(serializer)?;
        self.end.serialize(serializer)
    }
}

// Borrowed loads read these as owned loads do: they hold no borrows.
crate::borrowed::borrowed_as_owned!(impl[T] Range<T>, impl[T] RangeInclusive<T>);

impl<T: Deserialize> Deserialize for Range<T> {
    const __SAVEFILE_MIN_SIZE: usize = T::__SAVEFILE_MIN_SIZE.saturating_mul(2);
    const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        let start = T::deserialize(deserializer)?;
        let end = T::deserialize(deserializer)?;
        Ok(start..end)
    }
}

impl<T> Packed for Range<T> {}

/// Shown like a struct: its name, and the children "start" and "end".
impl<T: Introspect> Introspect for Range<T> {
    fn introspect_value(&self) -> String {
        "Range".to_string()
    }
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        bound_child(index, &self.start, &self.end)
    }
    fn introspect_len(&self) -> usize {
        2
    }
}

impl<T: WithSchema> WithSchema for RangeInclusive<T> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        let field = |name: &str, context: &mut WithSchemaContext| {
            Field::new(name.to_string(), Box::new(T::schema(version, context)))
        };
        let fields = vec![field("start", context), field("end", context)];
        Schema::Struct(SchemaStruct::new("RangeInclusive".to_string(), fields))
    }
}

impl<T: Serialize> Serialize for RangeInclusive<T> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        self.start().serialize(serializer)?;
        self.end().serialize(serializer)
    }
}

impl<T: Deserialize> Deserialize for RangeInclusive<T> {
    const __SAVEFILE_MIN_SIZE: usize = T::__SAVEFILE_MIN_SIZE.saturating_mul(2);
    const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        let start = T::deserialize(deserializer)?;
        let end = T::deserialize(deserializer)?;
        Ok(start..=end)
    }
}

impl<T> Packed for RangeInclusive<T> {}

/// Shown like a struct: its name, and the children "start" and "end".
impl<T: Introspect> Introspect for RangeInclusive<T> {
    fn introspect_value(&self) -> String {
        "RangeInclusive".to_string()
    }
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        bound_child(index, self.start(), self.end())
    }
    fn introspect_len(&self) -> usize {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impls::test_support::assert_roundtrip;
    use crate::packed::is_packed;
    use crate::SchemaPrimitive;

    #[test]
    fn start_then_end() {
        assert_eq!(assert_roundtrip(&(3u16..0x0102)), [3, 0, 2, 1]);
        assert_eq!(assert_roundtrip(&(-1i8..-1)), [0xff, 0xff]);
        assert_eq!(assert_roundtrip(&(1u8..=255)), [1, 255]);
        // Empty and backwards ranges are values like any other.
        assert_eq!(assert_roundtrip(&Range { start: 5u8, end: 2 }), [5, 2]);
        assert_eq!(assert_roundtrip(&RangeInclusive::new(5u8, 2)), [5, 2]);
    }

    #[test]
    fn an_exhausted_inclusive_range_loads_as_a_fresh_one() {
        let mut range = 4u8..=4;
        assert_eq!(range.next(), Some(4));
        assert!(range.is_empty());
        let bytes = crate::save_to_mem(0, &range).unwrap();
        let back: RangeInclusive<u8> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(back, 4..=4);
    }

    #[test]
    fn an_invalid_bound_is_an_error() {
        let mut d = Deserializer::from_slice(&[b'a', 0, 0, 0, 0, 0xD8, 0, 0], 0);
        assert!(matches!(
            Range::<char>::deserialize(&mut d),
            Err(SavefileError::InvalidChar { value: 0xD800 })
        ));
    }

    #[test]
    fn range_schema_is_the_pair_schema() {
        assert_eq!(
            crate::get_schema::<Range<u32>>(0),
            crate::get_schema::<(u32, u32)>(0)
        );
        let Schema::Struct(inclusive) = crate::get_schema::<RangeInclusive<u32>>(0) else {
            panic!("RangeInclusive's schema is a struct");
        };
        assert_eq!(inclusive.dbg_name, "RangeInclusive");
        let names: Vec<_> = inclusive.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["start", "end"]);
        assert!(inclusive
            .fields
            .iter()
            .all(|f| *f.value == Schema::Primitive(SchemaPrimitive::schema_u32)));
        assert!(!is_packed::<Range<u32>>(0));
        assert!(!is_packed::<RangeInclusive<u32>>(0));
    }

    #[test]
    fn a_range_of_another_type_does_not_load() {
        let bytes = crate::save_to_mem(0, &(1u32..2)).unwrap();
        assert!(matches!(
            crate::load_from_mem::<Range<u64>>(&bytes, 0),
            Err(SavefileError::IncompatibleSchema { .. })
        ));
    }

    #[test]
    fn introspection_shows_start_and_end() {
        let range = 2u8..7;
        assert_eq!(range.introspect_value(), "Range");
        assert_eq!(range.introspect_len(), 2);
        let end = range.introspect_child(1).unwrap();
        assert_eq!(
            (end.key(), end.val().introspect_value()),
            ("end", "7".into())
        );
        assert!(range.introspect_child(2).is_none());
        let inclusive = 2u8..=7;
        assert_eq!(inclusive.introspect_value(), "RangeInclusive");
        assert_eq!(inclusive.introspect_child(0).unwrap().key(), "start");
    }
}
