//! `Option<T>`: a one-byte tag, then the value when there is one.
//!
//! The tag is 0 for `None` and 1 for `Some`; any other tag is an error rather
//! than a guess. An option is never packed: its memory layout (niches, tag
//! placement) has nothing to do with its saved bytes.

use std::io::{Read, Write};

use crate::{
    Deserialize, Deserializer, Introspect, IntrospectItem, Packed, SavefileError, Schema,
    Serialize, Serializer, WithSchema, WithSchemaContext,
};

/// The tag saved before an absent value.
const NONE_TAG: u8 = 0;
/// The tag saved before a present value.
const SOME_TAG: u8 = 1;

impl<T: WithSchema> WithSchema for Option<T> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        Schema::SchemaOption(Box::new(T::schema(version, context)))
    }
}

impl<T: Serialize> Serialize for Option<T> {
    #[inline]
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        match self {
            None => serializer.write_u8(NONE_TAG),
            Some(value) => {
                serializer.write_u8(SOME_TAG)?;
                value.serialize(serializer)
            }
        }
    }
}

impl<T: Deserialize> Deserialize for Option<T> {
    const __SAVEFILE_MIN_SIZE: usize = 1;
    const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT;

    #[inline]
    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        match deserializer.read_u8()? {
            NONE_TAG => Ok(None),
            SOME_TAG => Ok(Some(T::deserialize(deserializer)?)),
            tag => Err(SavefileError::InvalidTag {
                type_name: "Option",
                tag: tag.into(),
            }),
        }
    }
}

/// Not packed: the saved tag byte is not how Rust lays out an `Option` in memory.
impl<T> Packed for Option<T> {}

/// `None` shows as "None"; `Some(v)` shows as "Some(value of v)" with v's children,
/// so that an optional struct can be opened like the struct itself.
impl<T: Introspect> Introspect for Option<T> {
    fn introspect_value(&self) -> String {
        match self {
            None => "None".to_string(),
            Some(value) => format!("Some({})", value.introspect_value()),
        }
    }
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        self.as_ref()?.introspect_child(index)
    }
    fn introspect_len(&self) -> usize {
        self.as_ref().map_or(0, Introspect::introspect_len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impls::test_support::assert_roundtrip;
    use crate::packed::is_packed;
    use crate::SchemaPrimitive;

    #[test]
    fn none_is_a_zero_and_some_is_a_one_then_the_value() {
        assert_eq!(assert_roundtrip(&None::<u32>), [0]);
        assert_eq!(assert_roundtrip(&Some(0x0403_0201u32)), [1, 1, 2, 3, 4]);
        assert_eq!(assert_roundtrip(&Some(None::<u8>)), [1, 0]);
        assert_eq!(assert_roundtrip(&Some(Some(9u8))), [1, 1, 9]);
        let bytes = assert_roundtrip(&Some("ok".to_string()));
        assert_eq!(bytes[..9], [1, 2, 0, 0, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn a_tag_other_than_zero_or_one_is_an_error() {
        for tag in [2u8, 0x80, 0xff] {
            let bytes = [tag, 0];
            let mut d = Deserializer::from_slice(&bytes, 0);
            let result = Option::<u8>::deserialize(&mut d);
            assert!(
                matches!(
                    result,
                    Err(SavefileError::InvalidTag { type_name: "Option", tag: t }) if t == u64::from(tag)
                ),
                "{result:?}"
            );
        }
        let mut bytes = crate::save_to_mem(0, &Some(1u8)).unwrap();
        let tag_at = bytes.len() - 2;
        bytes[tag_at] = 7;
        assert!(matches!(
            crate::load_from_mem::<Option<u8>>(&bytes, 0),
            Err(SavefileError::InvalidTag { tag: 7, .. })
        ));
    }

    #[test]
    fn schema_wraps_the_inner_schema() {
        assert_eq!(
            crate::get_schema::<Option<Option<u16>>>(0),
            Schema::SchemaOption(Box::new(Schema::SchemaOption(Box::new(Schema::Primitive(
                SchemaPrimitive::schema_u16
            )))))
        );
        assert!(!is_packed::<Option<u32>>(0));
    }

    #[test]
    fn introspection_shows_the_value_and_its_children() {
        assert_eq!(None::<u8>.introspect_value(), "None");
        assert_eq!(None::<(u8, u8)>.introspect_len(), 0);
        assert!(None::<(u8, u8)>.introspect_child(0).is_none());
        assert_eq!(Some(3u8).introspect_value(), "Some(3)");
        let pair = Some((1u8, 2u8));
        assert_eq!(pair.introspect_value(), "Some()");
        assert_eq!(pair.introspect_len(), 2);
        let second = pair.introspect_child(1).unwrap();
        assert_eq!(second.key(), "1");
        assert_eq!(second.val().introspect_value(), "2");
    }
}
