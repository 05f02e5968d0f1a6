//! `Result<T, E>`: a one-byte tag, then the payload.
//!
//! The tag is **1 for `Ok`** and 0 for `Err` (the reverse of declaration order,
//! fixed by the format); any other tag is an error. The schema is an enum named
//! "Result" with the variants "Ok" (one field, "ok") and "Err" (one field, "err").
//! As in the files savefile 0.20 writes, *both* variants carry discriminant 0 in
//! the schema: the schema check compares discriminants, so writing the truthful
//! 0 and 1 would make our files and theirs refuse each other.

use std::io::{Read, Write};

use crate::{
    Deserialize, Deserializer, Field, Introspect, IntrospectItem, Packed, SavefileError, Schema,
    SchemaEnum, Serialize, Serializer, Variant, WithSchema, WithSchemaContext,
};

/// The tag saved before an `Err` payload.
pub(crate) const ERR_TAG: u8 = 0;
/// The tag saved before an `Ok` payload.
pub(crate) const OK_TAG: u8 = 1;

/// The discriminant both variants report in the schema, for compatibility (see the module docs).
const SCHEMA_DISCRIMINANT: u8 = 0;

/// One variant of the "Result" schema: a single field holding the payload.
fn variant(name: &str, field: &str, payload: Schema) -> Variant {
    Variant {
        name: name.to_string(),
        discriminant: SCHEMA_DISCRIMINANT,
        fields: vec![Field::new(field.to_string(), Box::new(payload))],
    }
}

/// The schema of a `Result` whose `Ok` and `Err` payloads have the schemas `ok` and
/// `err`: what `Result<T, E>` reports, for hand-written impls of result-like types.
pub fn get_result_schema(ok: Schema, err: Schema) -> Schema {
    let ok = variant("Ok", "ok", ok);
    let err = variant("Err", "err", err);
    // Two variants: a one-byte index, no explicit repr, no layout information.
    Schema::Enum(SchemaEnum::new("Result".to_string(), 1, vec![ok, err]))
}

impl<T: WithSchema, E: WithSchema> WithSchema for Result<T, E> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        let ok = T::schema(version, context);
        get_result_schema(ok, E::schema(version, context))
    }
}

impl<T: Serialize, E: Serialize> Serialize for Result<T, E> {
    #[inline]
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        match self {
            Ok(value) => {
                serializer.write_u8(OK_TAG)?;
                value.serialize(serializer)
            }
            Err(error) => {
                serializer.write_u8(ERR_TAG)?;
                error.serialize(serializer)
            }
        }
    }
}

impl<T: Deserialize, E: Deserialize> Deserialize for Result<T, E> {
    const __SAVEFILE_MIN_SIZE: usize = 1;
    const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT && E::__SAVEFILE_FLAT;

    #[inline]
    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        match deserializer.read_u8()? {
            OK_TAG => Ok(Ok(T::deserialize(deserializer)?)),
            ERR_TAG => Ok(Err(E::deserialize(deserializer)?)),
            tag => Err(SavefileError::InvalidTag {
                type_name: "Result",
                tag: tag.into(),
            }),
        }
    }
}

/// Not packed: the saved tag byte is not how Rust lays out a `Result` in memory.
impl<T, E> Packed for Result<T, E> {}

/// Like `Option`: "Ok(value)" or "Err(value)", with the payload's children.
impl<T: Introspect, E: Introspect> Introspect for Result<T, E> {
    fn introspect_value(&self) -> String {
        match self {
            Ok(value) => format!("Ok({})", value.introspect_value()),
            Err(error) => format!("Err({})", error.introspect_value()),
        }
    }
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        match self {
            Ok(value) => value.introspect_child(index),
            Err(error) => error.introspect_child(index),
        }
    }
    fn introspect_len(&self) -> usize {
        match self {
            Ok(value) => value.introspect_len(),
            Err(error) => error.introspect_len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impls::test_support::assert_roundtrip;
    use crate::packed::is_packed;
    use crate::SchemaPrimitive;

    #[test]
    fn ok_is_tagged_one_and_err_zero() {
        assert_eq!(assert_roundtrip(&Ok::<u16, u8>(0x0201)), [1, 1, 2]);
        assert_eq!(assert_roundtrip(&Err::<u16, u8>(9)), [0, 9]);
        assert_eq!(assert_roundtrip(&Ok::<(), ()>(())), [1]);
        assert_eq!(assert_roundtrip(&Err::<u8, Option<u8>>(Some(4))), [0, 1, 4]);
        let bytes = assert_roundtrip(&Err::<u8, String>("no".to_string()));
        assert_eq!(bytes[0], 0);
        assert_eq!(&bytes[9..], b"no");
    }

    #[test]
    fn a_tag_other_than_zero_or_one_is_an_error() {
        for tag in [2u8, 3, 0xff] {
            let bytes = [tag, 0];
            let mut d = Deserializer::from_slice(&bytes, 0);
            let result = Result::<u8, u8>::deserialize(&mut d);
            assert!(
                matches!(
                    result,
                    Err(SavefileError::InvalidTag { type_name: "Result", tag: t }) if t == u64::from(tag)
                ),
                "{result:?}"
            );
        }
    }

    #[test]
    fn schema_matches_what_savefile_0_20_writes() {
        let u8_schema = || Schema::Primitive(SchemaPrimitive::schema_u8);
        let Schema::Enum(schema) = crate::get_schema::<Result<u8, String>>(0) else {
            panic!("Result's schema is an enum");
        };
        assert_eq!(schema.dbg_name, "Result");
        assert_eq!(schema.discriminant_size, 1);
        assert!(!schema.has_explicit_repr);
        assert_eq!((schema.size, schema.alignment), (None, None));
        assert_eq!(
            schema.variants,
            vec![
                Variant {
                    name: "Ok".to_string(),
                    discriminant: 0,
                    fields: vec![Field::new("ok".to_string(), Box::new(u8_schema()))],
                },
                Variant {
                    name: "Err".to_string(),
                    discriminant: 0,
                    fields: vec![Field::new("err".to_string(), Box::new(Schema::string()))],
                },
            ]
        );
        assert!(!is_packed::<Result<u32, u32>>(0));
    }

    #[test]
    fn swapped_payload_types_do_not_load() {
        let bytes = crate::save_to_mem(0, &Ok::<u8, u16>(1)).unwrap();
        let err = crate::load_from_mem::<Result<u16, u8>>(&bytes, 0).unwrap_err();
        assert!(
            matches!(err, SavefileError::IncompatibleSchema { .. }),
            "{err}"
        );
    }

    #[test]
    fn introspection_shows_the_variant_and_the_payload() {
        assert_eq!(Ok::<u8, u8>(3).introspect_value(), "Ok(3)");
        assert_eq!(Err::<u8, u8>(4).introspect_value(), "Err(4)");
        let err: Result<u8, (u8, u8)> = Err((5, 6));
        assert_eq!(err.introspect_len(), 2);
        assert_eq!(
            err.introspect_child(0).unwrap().val().introspect_value(),
            "5"
        );
        assert!(Ok::<u8, u8>(3).introspect_child(0).is_none());
        assert_eq!(Ok::<u8, u8>(3).introspect_len(), 0);
    }
}
