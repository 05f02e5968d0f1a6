//! Tuples of 1 to 12 elements.
//!
//! A tuple is saved as its elements in order, with nothing between them, and
//! described as a struct named "n-Tuple" whose fields are named "0", "1" …. Like
//! savefile 0.20, the schema records the tuple's size and alignment and each
//! element's offset in memory (informational: they are never compared on load).
//!
//! Tuples are never packed. Rust gives no guarantee about a tuple's layout (the
//! compiler may reorder its elements and pad between them), so its memory bytes
//! cannot be promised to equal its saved bytes; measuring the layout of every
//! instantiation, as the derive does for structs, is left for later.

use std::io::{Read, Write};

use crate::traits::{
    bits_sum, fixed_sum, min_sum, read_fixed_part, read_whole_fixed, write_field, Gathered,
};
use crate::{
    introspect_item, Deserialize, Deserializer, Field, Introspect, IntrospectItem, Packed,
    SavefileError, Schema, SchemaStruct, Serialize, Serializer, WithSchema, WithSchemaContext,
};

/// Implements every trait for the tuples listed: `len => (index Type, …)`.
macro_rules! tuple {
    ($($len:literal => ($($index:tt $name:ident),+);)*) => {$(
        impl<$($name: WithSchema),+> WithSchema for ($($name,)+) {
            fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
                let fields = vec![$(Field::new_with_offset(
                    stringify!($index).to_string(),
                    Box::new($name::schema(version, context)),
                    Some(std::mem::offset_of!(Self, $index)),
                )),+];
                Schema::Struct(SchemaStruct::new_with_layout(
                    concat!($len, "-Tuple").to_string(),
                    fields,
                    Some(std::mem::size_of::<Self>()),
                    Some(std::mem::align_of::<Self>()),
                ))
            }
        }

        impl<$($name: Serialize),+> Serialize for ($($name,)+) {
            #[inline]
            fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
                // Small fixed-size elements in a row are written together.
                let mut gathered = Gathered::default();
                $(write_field(serializer, &self.$index, &mut gathered)?;)+
                gathered.flush(serializer)
            }

            const __SAVEFILE_BITS_SIZE: Option<usize> = bits_sum(&[$($name::__SAVEFILE_BITS_SIZE),+]);

            #[inline(always)]
            fn __savefile_bits(&self) -> u64 {
                let (mut bits, mut at) = (0u64, 0usize);
                $(
                    bits |= self.$index.__savefile_bits() << (8 * at);
                    at += $name::__SAVEFILE_BITS_SIZE.unwrap_or(0);
                )+
                let _ = at;
                bits
            }
        }

        impl<$($name: Deserialize),+> Deserialize for ($($name,)+) {
            const __SAVEFILE_FLAT: bool = true $(&& $name::__SAVEFILE_FLAT)+;
            const __SAVEFILE_FIXED_SIZE: Option<usize> =
                fixed_sum(&[$($name::__SAVEFILE_FIXED_SIZE),+]);
            const __SAVEFILE_MIN_SIZE: usize = min_sum(&[$($name::__SAVEFILE_MIN_SIZE),+]);

            #[inline]
            fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
                // Elements of fixed sizes: one bounds check for all of them.
                if let Some(value) = read_whole_fixed::<Self>(deserializer)? {
                    return Ok(value);
                }
                // A tuple expression evaluates its elements left to right, which
                // is the order they were saved in.
                Ok(($($name::deserialize(deserializer)?,)+))
            }

            #[inline(always)]
            fn __savefile_read_fixed(bytes: &[u8], version: u32) -> Result<Self, SavefileError> {
                let mut block = bytes;
                Ok(($(read_fixed_part::<$name>(&mut block, version)?,)+))
            }
        }

        /// Not packed: a tuple's memory layout is unspecified (see the module docs).
        impl<$($name),+> Packed for ($($name,)+) {}

        impl<$($name: Introspect),+> Introspect for ($($name,)+) {
            fn introspect_value(&self) -> String {
                String::new()
            }
            fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
                let child: &dyn Introspect = match index {
                    $($index => &self.$index,)+
                    _ => return None,
                };
                Some(introspect_item(index.to_string(), child))
            }
            fn introspect_len(&self) -> usize {
                $len
            }
        }
    )*};
}

tuple! {
    1 => (0 T0);
    2 => (0 T0, 1 T1);
    3 => (0 T0, 1 T1, 2 T2);
    4 => (0 T0, 1 T1, 2 T2, 3 T3);
    5 => (0 T0, 1 T1, 2 T2, 3 T3, 4 T4);
    6 => (0 T0, 1 T1, 2 T2, 3 T3, 4 T4, 5 T5);
    7 => (0 T0, 1 T1, 2 T2, 3 T3, 4 T4, 5 T5, 6 T6);
    8 => (0 T0, 1 T1, 2 T2, 3 T3, 4 T4, 5 T5, 6 T6, 7 T7);
    9 => (0 T0, 1 T1, 2 T2, 3 T3, 4 T4, 5 T5, 6 T6, 7 T7, 8 T8);
    10 => (0 T0, 1 T1, 2 T2, 3 T3, 4 T4, 5 T5, 6 T6, 7 T7, 8 T8, 9 T9);
    11 => (0 T0, 1 T1, 2 T2, 3 T3, 4 T4, 5 T5, 6 T6, 7 T7, 8 T8, 9 T9, 10 T10);
    12 => (0 T0, 1 T1, 2 T2, 3 T3, 4 T4, 5 T5, 6 T6, 7 T7, 8 T8, 9 T9, 10 T10, 11 T11);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impls::test_support::assert_roundtrip;
    use crate::packed::is_packed;
    use crate::{Field, SchemaPrimitive, SchemaStruct};

    #[test]
    fn elements_are_saved_in_order_with_nothing_between() {
        assert_eq!(assert_roundtrip(&(7u8,)), [7]);
        assert_eq!(
            assert_roundtrip(&(1u8, 0x0302u16, true)),
            [1, 0x02, 0x03, 1]
        );
        let mut expected = vec![0xff];
        expected.extend_from_slice(&2u64.to_le_bytes());
        expected.extend_from_slice(b"hi");
        assert_eq!(assert_roundtrip(&(-1i8, "hi".to_string())), expected);
        // Nested tuples are flat on disk.
        assert_eq!(assert_roundtrip(&((1u8, 2u8), (), 3u8)), [1, 2, 3]);
    }

    #[test]
    fn twelve_elements_round_trip() {
        let value = (
            0u8, 1u16, 2u32, 3u64, 4i8, 5i16, 6i32, 7i64, 'x', false, 10u128, 11.5f64,
        );
        let bytes = assert_roundtrip(&value);
        assert_eq!(bytes.len(), 1 + 2 + 4 + 8 + 1 + 2 + 4 + 8 + 4 + 1 + 16 + 8);
        assert_eq!(bytes[..3], [0, 1, 0]);
        assert_eq!(bytes[bytes.len() - 8..], 11.5f64.to_le_bytes());
    }

    #[test]
    fn an_invalid_element_fails_the_tuple() {
        let mut d = Deserializer::from_slice(&[1, 2], 0);
        assert!(matches!(
            <(u8, bool)>::deserialize(&mut d),
            Err(SavefileError::InvalidBool { value: 2 })
        ));
    }

    #[test]
    fn schema_is_a_struct_named_after_the_arity() {
        use std::mem::{align_of, offset_of, size_of};
        type Pair = (u8, u32);
        let field = |name: &str, schema: SchemaPrimitive, offset: usize| {
            Field::new_with_offset(
                name.to_string(),
                Box::new(Schema::Primitive(schema)),
                Some(offset),
            )
        };
        // The layout values are the compiler's (it may reorder a tuple's elements),
        // as savefile 0.20 records them.
        assert_eq!(
            crate::get_schema::<Pair>(0),
            Schema::Struct(SchemaStruct::new_with_layout(
                "2-Tuple".to_string(),
                vec![
                    field("0", SchemaPrimitive::schema_u8, offset_of!(Pair, 0)),
                    field("1", SchemaPrimitive::schema_u32, offset_of!(Pair, 1)),
                ],
                Some(size_of::<Pair>()),
                Some(align_of::<Pair>()),
            ))
        );
        let Schema::Struct(twelve) =
            crate::get_schema::<(u8, u8, u8, u8, u8, u8, u8, u8, u8, u8, u8, u8)>(0)
        else {
            panic!("a tuple's schema is a struct");
        };
        assert_eq!(twelve.dbg_name, "12-Tuple");
        let names: Vec<_> = twelve.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"]
        );
    }

    #[test]
    fn a_tuple_file_does_not_load_with_another_arity() {
        let bytes = crate::save_to_mem(0, &(1u8, 2u8)).unwrap();
        let err = crate::load_from_mem::<(u8, u8, u8)>(&bytes, 0).unwrap_err();
        assert!(
            matches!(err, SavefileError::IncompatibleSchema { .. }),
            "{err}"
        );
    }

    #[test]
    fn tuples_are_never_packed() {
        assert!(!is_packed::<(u32,)>(0));
        assert!(!is_packed::<(u32, u32)>(0));
    }

    #[test]
    fn introspection_lists_the_elements() {
        let value = (5u8, "five".to_string(), 'v');
        assert_eq!(value.introspect_value(), "");
        assert_eq!(value.introspect_len(), 3);
        let child = value.introspect_child(1).unwrap();
        assert_eq!(child.key(), "1");
        assert_eq!(child.val().introspect_value(), "five");
        assert_eq!(value.introspect_child(2).unwrap().key(), "2");
        assert!(value.introspect_child(3).is_none());
    }
}
