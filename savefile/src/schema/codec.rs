//! Schema to bytes and back, in savefile format versions 0, 1 and 2.
//!
//! A node is a u8 tag then its payload. Format version 0 lacks every memory-layout
//! value (sizes, alignments, offsets, vector/string layout bytes) and the enum's
//! discriminant size and explicit-repr flag; versions 1 and 2 have them. This
//! library always writes version 2.

use std::io::{Read, Write};

use super::node_limit::NodeAllowance;
use super::types::{
    Field, Schema, SchemaArray, SchemaEnum, SchemaPrimitive, SchemaStruct, Variant,
    VecOrStringLayout,
};
use crate::format::footprint::{grow_toward, reserve_vec, VEC_GROWTH_STEP};
use crate::format::{Deserializer, Serializer};
use crate::SavefileError;

const TAG_STRUCT: u8 = 1;
const TAG_ENUM: u8 = 2;
const TAG_PRIMITIVE: u8 = 3;
const TAG_VECTOR: u8 = 4;
const TAG_UNDEFINED: u8 = 5;
const TAG_ZERO_SIZE: u8 = 6;
const TAG_OPTION: u8 = 7;
const TAG_ARRAY: u8 = 8;
const TAG_CUSTOM: u8 = 9;
const TAG_RECURSION: u8 = 16;
const TAG_UTC_TIMESTAMP: u8 = 20;

/// The fewest bytes a field takes in a schema: a name length and a node tag.
const MIN_FIELD_BYTES: usize = 9;
/// The fewest bytes a variant takes: a name length, a discriminant and a field count.
const MIN_VARIANT_BYTES: usize = 17;

/// Writes `schema` in format version 2.
pub(crate) fn write_schema(
    s: &mut Serializer<impl Write>,
    schema: &Schema,
) -> Result<(), SavefileError> {
    match schema {
        Schema::Struct(st) => {
            s.write_u8(TAG_STRUCT)?;
            write_struct(s, st)
        }
        Schema::Enum(en) => {
            s.write_u8(TAG_ENUM)?;
            write_enum(s, en)
        }
        Schema::Primitive(p) => {
            s.write_u8(TAG_PRIMITIVE)?;
            s.write_u8(p.code())?;
            if let SchemaPrimitive::schema_string(layout) = p {
                s.write_u8(*layout as u8)?;
            }
            Ok(())
        }
        Schema::Vector(item, layout) => {
            s.write_u8(TAG_VECTOR)?;
            write_schema(s, item)?;
            s.write_u8(*layout as u8)
        }
        Schema::Undefined => s.write_u8(TAG_UNDEFINED),
        Schema::ZeroSize => s.write_u8(TAG_ZERO_SIZE),
        Schema::SchemaOption(inner) => {
            s.write_u8(TAG_OPTION)?;
            write_schema(s, inner)
        }
        Schema::Array(array) => {
            s.write_u8(TAG_ARRAY)?;
            s.write_usize(array.count)?;
            write_schema(s, &array.item_type)
        }
        Schema::Custom(name) => {
            s.write_u8(TAG_CUSTOM)?;
            s.write_string(name)
        }
        Schema::Recursion(depth) => {
            s.write_u8(TAG_RECURSION)?;
            s.write_usize(*depth)
        }
        Schema::UtcTimestamp => s.write_u8(TAG_UTC_TIMESTAMP),
    }
}

fn write_opt_usize(s: &mut Serializer<impl Write>, v: Option<usize>) -> Result<(), SavefileError> {
    match v {
        None => s.write_u8(0),
        Some(v) => {
            s.write_u8(1)?;
            s.write_usize(v)
        }
    }
}

fn write_fields(s: &mut Serializer<impl Write>, fields: &[Field]) -> Result<(), SavefileError> {
    for field in fields {
        s.write_string(&field.name)?;
        write_schema(s, &field.value)?;
        write_opt_usize(s, field.offset)?;
    }
    Ok(())
}

fn write_struct(s: &mut Serializer<impl Write>, st: &SchemaStruct) -> Result<(), SavefileError> {
    s.write_string(&st.dbg_name)?;
    s.write_usize(st.fields.len())?;
    write_opt_usize(s, st.size)?;
    write_opt_usize(s, st.alignment)?;
    write_fields(s, &st.fields)
}

fn write_enum(s: &mut Serializer<impl Write>, en: &SchemaEnum) -> Result<(), SavefileError> {
    s.write_string(&en.dbg_name)?;
    s.write_usize(en.variants.len())?;
    for variant in &en.variants {
        s.write_string(&variant.name)?;
        s.write_u8(variant.discriminant)?;
        s.write_usize(variant.fields.len())?;
        write_fields(s, &variant.fields)?;
    }
    s.write_u8(en.discriminant_size)?;
    s.write_bool(en.has_explicit_repr)?;
    write_opt_usize(s, en.size)?;
    write_opt_usize(s, en.alignment)
}

/// Reads a schema in the deserializer's format version, refusing nesting deeper
/// than the deserializer's depth limit and more nodes than `nodes` allows.
pub(crate) fn read_schema(
    d: &mut Deserializer<impl Read>,
    mut nodes: NodeAllowance,
) -> Result<Schema, SavefileError> {
    read_node(d, 0, &mut nodes)
}

/// Encodes `schema` in format version 2, as a save writes it. For the fuzz targets.
pub fn encode_schema(schema: &Schema) -> Result<Vec<u8>, SavefileError> {
    let mut out = Vec::new();
    write_schema(&mut Serializer::new(&mut out, 0), schema)?;
    Ok(out)
}

/// Decodes a schema from the start of `bytes`, as a load of a file in savefile
/// format `format_version` would, with the limits of `options`; returns it with
/// the number of bytes it took. For the fuzz targets.
pub fn decode_schema(
    bytes: &[u8],
    format_version: u16,
    options: &crate::LoadOptions,
) -> Result<(Schema, usize), SavefileError> {
    let mut d = Deserializer::with_parts(bytes, std::io::empty(), Some(0), 0, format_version)
        .with_options(options);
    let schema = read_schema(&mut d, NodeAllowance::unlimited())?;
    Ok((schema, d.position() as usize))
}

fn read_node(
    d: &mut Deserializer<impl Read>,
    depth: u32,
    nodes: &mut NodeAllowance,
) -> Result<Schema, SavefileError> {
    if depth >= d.max_depth {
        return Err(SavefileError::DepthLimitExceeded { limit: d.max_depth });
    }
    nodes.take()?;
    // Every node is one `Schema` in memory (most of them boxed), whatever its bytes.
    d.charge_memory(std::mem::size_of::<Schema>())?;
    // Each kind is read by a function of its own so that this frame, which is on
    // the stack once per nesting level, stays small even in debug builds.
    match d.read_u8()? {
        TAG_STRUCT => read_struct(d, depth, nodes),
        TAG_ENUM => read_enum(d, depth, nodes),
        TAG_PRIMITIVE => read_primitive(d),
        TAG_VECTOR => read_vector(d, depth, nodes),
        TAG_UNDEFINED => Ok(Schema::Undefined),
        TAG_ZERO_SIZE => Ok(Schema::ZeroSize),
        TAG_OPTION => read_option(d, depth, nodes),
        TAG_ARRAY => read_array(d, depth, nodes),
        TAG_CUSTOM => Ok(Schema::Custom(d.read_string()?)),
        TAG_RECURSION => Ok(Schema::Recursion(d.read_usize()?)),
        TAG_UTC_TIMESTAMP => Ok(Schema::UtcTimestamp),
        other => Err(SavefileError::InvalidSchema {
            what: "node tag",
            value: other as u64,
        }),
    }
}

#[inline(never)]
fn read_vector(
    d: &mut Deserializer<impl Read>,
    depth: u32,
    nodes: &mut NodeAllowance,
) -> Result<Schema, SavefileError> {
    let item = read_node(d, depth + 1, nodes)?;
    let layout = read_layout(d)?;
    Ok(Schema::Vector(Box::new(item), layout))
}

#[inline(never)]
fn read_option(
    d: &mut Deserializer<impl Read>,
    depth: u32,
    nodes: &mut NodeAllowance,
) -> Result<Schema, SavefileError> {
    Ok(Schema::SchemaOption(Box::new(read_node(
        d,
        depth + 1,
        nodes,
    )?)))
}

#[inline(never)]
fn read_array(
    d: &mut Deserializer<impl Read>,
    depth: u32,
    nodes: &mut NodeAllowance,
) -> Result<Schema, SavefileError> {
    let count = d.read_usize()?;
    let item_type = Box::new(read_node(d, depth + 1, nodes)?);
    Ok(Schema::Array(SchemaArray { item_type, count }))
}

fn has_layout(d: &Deserializer<impl Read>) -> bool {
    d.format_version >= 1
}

fn read_layout(d: &mut Deserializer<impl Read>) -> Result<VecOrStringLayout, SavefileError> {
    if !has_layout(d) {
        return Ok(VecOrStringLayout::Unknown);
    }
    let byte = d.read_u8()?;
    VecOrStringLayout::from_byte(byte).ok_or(SavefileError::InvalidSchema {
        what: "vector layout",
        value: byte as u64,
    })
}

fn read_opt_usize(d: &mut Deserializer<impl Read>) -> Result<Option<usize>, SavefileError> {
    if !has_layout(d) {
        return Ok(None);
    }
    match d.read_u8()? {
        0 => Ok(None),
        1 => Ok(Some(d.read_usize()?)),
        tag => Err(SavefileError::InvalidTag {
            type_name: "Option",
            tag: tag as u64,
        }),
    }
}

#[inline(never)]
fn read_primitive(d: &mut Deserializer<impl Read>) -> Result<Schema, SavefileError> {
    let code = d.read_u8()?;
    Ok(Schema::Primitive(match code {
        1 => SchemaPrimitive::schema_i8,
        2 => SchemaPrimitive::schema_u8,
        3 => SchemaPrimitive::schema_i16,
        4 => SchemaPrimitive::schema_u16,
        5 => SchemaPrimitive::schema_i32,
        6 => SchemaPrimitive::schema_u32,
        7 => SchemaPrimitive::schema_i64,
        8 => SchemaPrimitive::schema_u64,
        9 => SchemaPrimitive::schema_string(read_layout(d)?),
        10 => SchemaPrimitive::schema_f32,
        11 => SchemaPrimitive::schema_f64,
        12 => SchemaPrimitive::schema_bool,
        13 => SchemaPrimitive::schema_canary1,
        14 => SchemaPrimitive::schema_i128,
        15 => SchemaPrimitive::schema_u128,
        16 => SchemaPrimitive::schema_char,
        other => {
            return Err(SavefileError::InvalidSchema {
                what: "primitive code",
                value: other as u64,
            })
        }
    }))
}

fn read_fields(
    d: &mut Deserializer<impl Read>,
    depth: u32,
    nodes: &mut NodeAllowance,
    count: usize,
) -> Result<Vec<Field>, SavefileError> {
    // Charged and grown as vectors of data are (see `footprint::reserve_vec`).
    let reserved = reserve_vec::<Field>(d, count)?;
    let mut fields = Vec::with_capacity(reserved.capacity);
    // The fields left take bytes a stream may be read ahead over. (A schema that
    // fails to decode fails the load, so no error path needs to restore the reader.)
    let mut elements = d.begin_elements(count, MIN_FIELD_BYTES);
    for _ in 0..count {
        d.next_element(&mut elements);
        let name = d.read_string()?;
        let value = Box::new(read_node(d, depth + 1, nodes)?);
        let offset = read_opt_usize(d)?;
        grow_toward(&mut fields, 1, VEC_GROWTH_STEP, count);
        fields.push(Field {
            name,
            value,
            offset,
        });
    }
    d.end_elements(elements);
    reserved.complete(d);
    Ok(fields)
}

#[inline(never)]
fn read_struct(
    d: &mut Deserializer<impl Read>,
    depth: u32,
    nodes: &mut NodeAllowance,
) -> Result<Schema, SavefileError> {
    let dbg_name = d.read_string()?;
    let count = d.read_count(MIN_FIELD_BYTES)?;
    let size = read_opt_usize(d)?;
    let alignment = read_opt_usize(d)?;
    let fields = read_fields(d, depth, nodes, count)?;
    Ok(Schema::Struct(SchemaStruct {
        dbg_name,
        size,
        alignment,
        fields,
    }))
}

#[inline(never)]
fn read_enum(
    d: &mut Deserializer<impl Read>,
    depth: u32,
    nodes: &mut NodeAllowance,
) -> Result<Schema, SavefileError> {
    let dbg_name = d.read_string()?;
    let count = d.read_count(MIN_VARIANT_BYTES)?;
    let reserved = reserve_vec::<Variant>(d, count)?;
    let mut variants = Vec::with_capacity(reserved.capacity);
    let mut elements = d.begin_elements(count, MIN_VARIANT_BYTES);
    for _ in 0..count {
        d.next_element(&mut elements);
        let name = d.read_string()?;
        let discriminant = d.read_u8()?;
        let field_count = d.read_count(MIN_FIELD_BYTES)?;
        let fields = read_fields(d, depth, nodes, field_count)?;
        grow_toward(&mut variants, 1, VEC_GROWTH_STEP, count);
        variants.push(Variant {
            name,
            discriminant,
            fields,
        });
    }
    d.end_elements(elements);
    reserved.complete(d);
    let (discriminant_size, has_explicit_repr) = if has_layout(d) {
        let size = d.read_u8()?;
        if !matches!(size, 1 | 2 | 4) {
            return Err(SavefileError::InvalidSchema {
                what: "enum discriminant size",
                value: size as u64,
            });
        }
        (size, d.read_bool()?)
    } else {
        (1, false)
    };
    let size = read_opt_usize(d)?;
    let alignment = read_opt_usize(d)?;
    Ok(Schema::Enum(SchemaEnum {
        dbg_name,
        variants,
        discriminant_size,
        has_explicit_repr,
        size,
        alignment,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(schema: &Schema) -> Vec<u8> {
        let mut out = Vec::new();
        write_schema(&mut Serializer::new(&mut out, 0), schema).unwrap();
        out
    }

    fn decode(bytes: &[u8], format_version: u16) -> Result<Schema, SavefileError> {
        let mut d = Deserializer::with_parts(bytes, std::io::empty(), Some(0), 0, format_version);
        let schema = read_schema(&mut d, NodeAllowance::unlimited())?;
        assert!(d.is_exhausted(), "schema decoding left bytes behind");
        Ok(schema)
    }

    fn sample() -> Schema {
        let point = Schema::Struct(SchemaStruct::new_with_layout(
            "Point".into(),
            vec![
                Field::new_with_offset(
                    "x".into(),
                    Box::new(Schema::Primitive(SchemaPrimitive::schema_u32)),
                    Some(0),
                ),
                Field::new("name".into(), Box::new(Schema::string())),
            ],
            Some(8),
            Some(4),
        ));
        let mut shape = SchemaEnum::new(
            "Shape".into(),
            2,
            vec![
                Variant {
                    name: "Empty".into(),
                    discriminant: 0,
                    fields: vec![],
                },
                Variant {
                    name: "Many".into(),
                    discriminant: 1,
                    fields: vec![Field::new(
                        "0".into(),
                        Box::new(Schema::Vector(
                            Box::new(point),
                            VecOrStringLayout::DataCapacityLength,
                        )),
                    )],
                },
            ],
        );
        shape.has_explicit_repr = true;
        Schema::new_tuple(vec![
            Schema::Enum(shape),
            Schema::SchemaOption(Box::new(Schema::Array(SchemaArray {
                item_type: Box::new(Schema::Primitive(SchemaPrimitive::schema_char)),
                count: 3,
            }))),
            Schema::Custom("thing".into()),
            Schema::Recursion(2),
            Schema::UtcTimestamp,
            Schema::ZeroSize,
            Schema::Undefined,
        ])
    }

    #[test]
    fn field_lists_reserved_short_grow_to_exactly_their_length() {
        let fields = (0..300)
            .map(|i| {
                let u8_schema = Box::new(Schema::Primitive(SchemaPrimitive::schema_u8));
                Field::new(format!("f{i}"), u8_schema)
            })
            .collect();
        let schema = Schema::Struct(SchemaStruct::new("Wide".into(), fields));
        let bytes = encode(&schema);
        // A stream whose allowance for memory ahead of the data is used up: the list
        // grows as its fields arrive.
        let mut d = Deserializer::from_reader(&bytes[..], 0);
        assert!(d.capacity_for::<u8>(usize::MAX) > 0);
        assert_eq!(d.capacity_for::<Field>(300), 0);
        let Schema::Struct(read) = read_schema(&mut d, NodeAllowance::unlimited()).unwrap() else {
            panic!("not a struct");
        };
        assert_eq!((read.fields.len(), read.fields.capacity()), (300, 300));
        assert_eq!(Schema::Struct(read), schema);
    }

    #[test]
    fn round_trips_every_node_kind() {
        let schema = sample();
        assert_eq!(decode(&encode(&schema), 2).unwrap(), schema);
    }

    #[test]
    fn golden_struct_bytes() {
        let schema = Schema::Struct(SchemaStruct::new(
            "P".into(),
            vec![Field::new(
                "x".into(),
                Box::new(Schema::Primitive(SchemaPrimitive::schema_u8)),
            )],
        ));
        #[rustfmt::skip]
        let expected = [
            1, // struct
            1, 0, 0, 0, 0, 0, 0, 0, b'P', // name
            1, 0, 0, 0, 0, 0, 0, 0, // one field
            0, // size: none
            0, // alignment: none
            1, 0, 0, 0, 0, 0, 0, 0, b'x', // field name
            3, 2, // primitive u8
            0, // offset: none
        ];
        assert_eq!(encode(&schema), expected);
    }

    #[test]
    fn reads_format_version_0_without_layout_values() {
        #[rustfmt::skip]
        let bytes = [
            2, // enum
            1, 0, 0, 0, 0, 0, 0, 0, b'E',
            1, 0, 0, 0, 0, 0, 0, 0, // one variant
            1, 0, 0, 0, 0, 0, 0, 0, b'A', 0, // name, discriminant
            1, 0, 0, 0, 0, 0, 0, 0, // one field
            1, 0, 0, 0, 0, 0, 0, 0, b'0',
            4, 3, 9, // vector of string, neither with a layout byte
        ];
        let schema = decode(&bytes, 0).unwrap();
        let Schema::Enum(e) = schema else {
            panic!("not an enum: {schema:?}")
        };
        assert_eq!(e.discriminant_size, 1);
        assert!(!e.has_explicit_repr);
        assert_eq!(
            *e.variants[0].fields[0].value,
            Schema::Vector(Box::new(Schema::string()), VecOrStringLayout::Unknown)
        );
    }

    #[test]
    fn bad_schemas_are_errors() {
        assert!(matches!(
            decode(&[11], 2),
            Err(SavefileError::InvalidSchema {
                what: "node tag",
                value: 11
            })
        ));
        assert!(matches!(
            decode(&[3, 99], 2),
            Err(SavefileError::InvalidSchema {
                what: "primitive code",
                ..
            })
        ));
        assert!(matches!(
            decode(&[3, 9, 42], 2),
            Err(SavefileError::InvalidSchema {
                what: "vector layout",
                ..
            })
        ));
        assert!(matches!(decode(&[1, 0], 2), Err(SavefileError::ShortRead)));
        // A struct claiming 2^60 fields is refused before anything is allocated.
        let mut huge = vec![1, 0, 0, 0, 0, 0, 0, 0, 0];
        huge.extend_from_slice(&(1u64 << 60).to_le_bytes());
        assert!(matches!(
            decode(&huge, 2),
            Err(SavefileError::LengthTooLarge { .. })
        ));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        // The promise is for an 8 MiB stack (a main thread) even unoptimized; test
        // threads get 2 MiB, so this runs on a thread of its own.
        std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(|| {
                let bytes = vec![TAG_OPTION; 100_000];
                assert!(matches!(
                    decode(&bytes, 2),
                    Err(SavefileError::DepthLimitExceeded { limit: 512 })
                ));
                let mut ok = vec![TAG_OPTION; 511];
                ok.push(TAG_ZERO_SIZE);
                assert!(decode(&ok, 2).is_ok());
                // Structs nest through three functions per level: the deepest frames.
                let mut structs = Vec::new();
                for _ in 0..511 {
                    structs.push(TAG_STRUCT);
                    structs.extend_from_slice(&1u64.to_le_bytes());
                    structs.push(b'S');
                    structs.extend_from_slice(&1u64.to_le_bytes());
                    structs.extend_from_slice(&[0, 0]);
                    structs.extend_from_slice(&1u64.to_le_bytes());
                    structs.push(b'f');
                }
                structs.push(TAG_ZERO_SIZE);
                structs.extend(std::iter::repeat_n(0u8, 511));
                assert!(decode(&structs, 2).is_ok());
                structs.insert(0, TAG_OPTION);
                assert!(decode(&structs, 2).is_err());
            })
            .unwrap()
            .join()
            .unwrap();
    }
}
