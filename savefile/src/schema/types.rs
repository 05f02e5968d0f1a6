//! The schema tree: structs, enums, primitives, vectors, arrays, options and the rest.
//!
//! Sizes, alignments, offsets and vector layouts describe the writer's memory. They
//! are stored for format compatibility and never decide whether a file loads.

use std::fmt;

use super::context::WithSchemaContext;
use crate::WithSchema;

/// The saved layout of a type: a tree of nodes.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Schema {
    /// A struct: its fields in order, with no padding between them.
    Struct(SchemaStruct),
    /// An enum: a variant index, then that variant's fields.
    Enum(SchemaEnum),
    /// An integer, float, bool, char, string or canary.
    Primitive(SchemaPrimitive),
    /// A u64 element count, then the elements (Vec, VecDeque, sets, maps …).
    Vector(Box<Schema>, VecOrStringLayout),
    /// A fixed number of elements with no count.
    Array(SchemaArray),
    /// A u8 tag (0 none, 1 some), then the value when present.
    SchemaOption(Box<Schema>),
    /// A placeholder that matches nothing; reported by types with no meaningful schema.
    Undefined,
    /// A type that takes no bytes.
    ZeroSize,
    /// A type described only by a name; it matches the same name.
    Custom(String),
    /// A reference to an enclosing type, for recursive types: how many levels up it started.
    Recursion(usize),
    /// A point in time (`SystemTime`-like) with a format of its own.
    UtcTimestamp,
}

/// The fields of a struct, in saved order.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaStruct {
    /// The struct's name, for messages (names are not compared on load).
    pub dbg_name: String,
    /// The size of the type in the writer's memory, if it was known.
    pub size: Option<usize>,
    /// The alignment of the type in the writer's memory, if it was known.
    pub alignment: Option<usize>,
    /// The fields, in saved order.
    pub fields: Vec<Field>,
}

impl SchemaStruct {
    /// A struct schema with no memory layout information.
    pub fn new(dbg_name: String, fields: Vec<Field>) -> SchemaStruct {
        SchemaStruct {
            dbg_name,
            size: None,
            alignment: None,
            fields,
        }
    }

    /// A struct schema that records the writer's memory layout.
    pub fn new_with_layout(
        dbg_name: String,
        fields: Vec<Field>,
        size: Option<usize>,
        alignment: Option<usize>,
    ) -> SchemaStruct {
        SchemaStruct {
            dbg_name,
            size,
            alignment,
            fields,
        }
    }

    /// [`SchemaStruct::new_with_layout`] under savefile 0.20's name. Not `unsafe` in
    /// 0.20 either: here the layout is recorded, never trusted.
    pub fn new_unsafe(
        dbg_name: String,
        fields: Vec<Field>,
        size: Option<usize>,
        alignment: Option<usize>,
    ) -> SchemaStruct {
        SchemaStruct::new_with_layout(dbg_name, fields, size, alignment)
    }
}

/// One field of a struct or enum variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The field's name, for messages (names are not compared on load).
    pub name: String,
    /// The field's schema.
    pub value: Box<Schema>,
    /// The field's offset in the writer's memory, if it was known.
    pub offset: Option<usize>,
}

impl Field {
    /// A field with no memory offset.
    pub fn new(name: String, value: Box<Schema>) -> Field {
        Field {
            name,
            value,
            offset: None,
        }
    }

    /// A field that records its offset in the writer's memory.
    pub fn new_with_offset(name: String, value: Box<Schema>, offset: Option<usize>) -> Field {
        Field {
            name,
            value,
            offset,
        }
    }

    /// [`Field::new_with_offset`] under savefile 0.20's name and signature.
    ///
    /// # Safety
    ///
    /// None in this crate: offsets are recorded in files and never trusted when
    /// reading. The function is `unsafe` only because savefile 0.20's is (its
    /// savefile-abi relies on the offset), so that calls written for 0.20 compile
    /// without an `unused_unsafe` warning.
    // Declared `unsafe` for 0.20's callers; the body does nothing unsafe.
    #[allow(unsafe_code)]
    pub unsafe fn unsafe_new(name: String, value: Box<Schema>, offset: Option<usize>) -> Field {
        Field::new_with_offset(name, value, offset)
    }
}

/// The variants of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaEnum {
    /// The enum's name, for messages.
    pub dbg_name: String,
    /// The variants, in declaration order.
    pub variants: Vec<Variant>,
    /// How many bytes the variant index takes: 1, 2 or 4.
    pub discriminant_size: u8,
    /// Whether the enum is `#[repr(C)]` (what savefile 0.20 records here; an integer
    /// repr alone does not set it).
    pub has_explicit_repr: bool,
    /// The size of the type in the writer's memory, if it was known.
    pub size: Option<usize>,
    /// The alignment of the type in the writer's memory, if it was known.
    pub alignment: Option<usize>,
}

impl SchemaEnum {
    /// An enum schema with no memory layout information and no explicit repr, whose
    /// variant index takes `discriminant_size` bytes: 1, 2 or 4 (the derive uses the
    /// integer repr's width, else 1 up to 256 variants, 2 up to 65536, 4 beyond). The
    /// parameters are those of savefile 0.20.
    pub fn new(dbg_name: String, discriminant_size: u8, variants: Vec<Variant>) -> SchemaEnum {
        SchemaEnum {
            dbg_name,
            variants,
            discriminant_size,
            has_explicit_repr: false,
            size: None,
            alignment: None,
        }
    }

    /// An enum schema with every field given, in the order of savefile 0.20's
    /// constructor of this name. Not `unsafe` in 0.20 either: here the layout is
    /// recorded, never trusted.
    pub fn new_unsafe(
        dbg_name: String,
        variants: Vec<Variant>,
        discriminant_size: u8,
        has_explicit_repr: bool,
        size: Option<usize>,
        alignment: Option<usize>,
    ) -> SchemaEnum {
        SchemaEnum {
            dbg_name,
            variants,
            discriminant_size,
            has_explicit_repr,
            size,
            alignment,
        }
    }
}

/// One variant of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The variant's name: compared on load.
    pub name: String,
    /// The variant's declaration index, truncated to u8.
    pub discriminant: u8,
    /// The variant's fields, in order.
    pub fields: Vec<Field>,
}

/// A fixed-size array of one element type.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaArray {
    /// The element schema.
    pub item_type: Box<Schema>,
    /// The number of elements.
    pub count: usize,
}

/// The primitive types. Numbers are little-endian; a string is a u64 byte length and UTF-8.
///
/// Not `#[non_exhaustive]`, as in savefile 0.20: the set is fixed by the format, and
/// code may match on every variant.
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaPrimitive {
    /// i8
    schema_i8,
    /// u8
    schema_u8,
    /// i16
    schema_i16,
    /// u16
    schema_u16,
    /// i32
    schema_i32,
    /// u32
    schema_u32,
    /// i64 (also isize)
    schema_i64,
    /// u64 (also usize)
    schema_u64,
    /// A string, with the writer's memory layout of its buffer.
    schema_string(VecOrStringLayout),
    /// f32
    schema_f32,
    /// f64
    schema_f64,
    /// bool
    schema_bool,
    /// The [`crate::Canary1`] marker.
    schema_canary1,
    /// u128
    schema_u128,
    /// i128
    schema_i128,
    /// char
    schema_char,
}

impl SchemaPrimitive {
    /// The code of this primitive in the schema encoding.
    pub(crate) fn code(self) -> u8 {
        match self {
            SchemaPrimitive::schema_i8 => 1,
            SchemaPrimitive::schema_u8 => 2,
            SchemaPrimitive::schema_i16 => 3,
            SchemaPrimitive::schema_u16 => 4,
            SchemaPrimitive::schema_i32 => 5,
            SchemaPrimitive::schema_u32 => 6,
            SchemaPrimitive::schema_i64 => 7,
            SchemaPrimitive::schema_u64 => 8,
            SchemaPrimitive::schema_string(_) => 9,
            SchemaPrimitive::schema_f32 => 10,
            SchemaPrimitive::schema_f64 => 11,
            SchemaPrimitive::schema_bool => 12,
            SchemaPrimitive::schema_canary1 => 13,
            SchemaPrimitive::schema_i128 => 14,
            SchemaPrimitive::schema_u128 => 15,
            SchemaPrimitive::schema_char => 16,
        }
    }

    /// The primitive's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            SchemaPrimitive::schema_i8 => "i8",
            SchemaPrimitive::schema_u8 => "u8",
            SchemaPrimitive::schema_i16 => "i16",
            SchemaPrimitive::schema_u16 => "u16",
            SchemaPrimitive::schema_i32 => "i32",
            SchemaPrimitive::schema_u32 => "u32",
            SchemaPrimitive::schema_i64 => "i64",
            SchemaPrimitive::schema_u64 => "u64",
            SchemaPrimitive::schema_string(_) => "a string",
            SchemaPrimitive::schema_f32 => "f32",
            SchemaPrimitive::schema_f64 => "f64",
            SchemaPrimitive::schema_bool => "bool",
            SchemaPrimitive::schema_canary1 => "a canary",
            SchemaPrimitive::schema_i128 => "i128",
            SchemaPrimitive::schema_u128 => "u128",
            SchemaPrimitive::schema_char => "char",
        }
    }

    /// Equal as saved data: all string layouts are the same string.
    pub(crate) fn same_data(self, other: SchemaPrimitive) -> bool {
        self.code() == other.code()
    }
}

/// How a `Vec` or `String` buffer was laid out in the writer's memory.
///
/// Informational only; `Unknown` is always acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum VecOrStringLayout {
    /// Not known.
    #[default]
    Unknown = 0,
    /// data pointer, capacity, length.
    DataCapacityLength = 1,
    /// data pointer, length, capacity.
    DataLengthCapacity = 2,
    /// capacity, data pointer, length.
    CapacityDataLength = 3,
    /// length, data pointer, capacity.
    LengthDataCapacity = 4,
    /// capacity, length, data pointer.
    CapacityLengthData = 5,
    /// length, capacity, data pointer.
    LengthCapacityData = 6,
    /// length, data pointer (slices).
    LengthData = 7,
    /// data pointer, length (slices).
    DataLength = 8,
}

impl VecOrStringLayout {
    /// The layout with code `byte`, if there is one.
    pub(crate) fn from_byte(byte: u8) -> Option<VecOrStringLayout> {
        Some(match byte {
            0 => VecOrStringLayout::Unknown,
            1 => VecOrStringLayout::DataCapacityLength,
            2 => VecOrStringLayout::DataLengthCapacity,
            3 => VecOrStringLayout::CapacityDataLength,
            4 => VecOrStringLayout::LengthDataCapacity,
            5 => VecOrStringLayout::CapacityLengthData,
            6 => VecOrStringLayout::LengthCapacityData,
            7 => VecOrStringLayout::LengthData,
            8 => VecOrStringLayout::DataLength,
            _ => return None,
        })
    }
}

impl Schema {
    /// The schema of an n-tuple of the given element schemas: a struct named
    /// "n-Tuple" with fields "0", "1" ….
    pub fn new_tuple(elements: Vec<Schema>) -> Schema {
        let name = format!("{}-Tuple", elements.len());
        let fields = elements
            .into_iter()
            .enumerate()
            .map(|(i, s)| Field::new(i.to_string(), Box::new(s)))
            .collect();
        Schema::Struct(SchemaStruct::new(name, fields))
    }

    /// The schema of the tuple `(T1,)`, as `<(T1,)>::schema` gives it (savefile 0.20's
    /// helper for hand-written impls; `new_tuple2` to `new_tuple4` likewise).
    pub fn new_tuple1<T1: WithSchema>(version: u32, context: &mut WithSchemaContext) -> Schema {
        <(T1,)>::schema(version, context)
    }

    /// The schema of the tuple `(T1, T2)`, as `<(T1, T2)>::schema` gives it.
    pub fn new_tuple2<T1: WithSchema, T2: WithSchema>(
        version: u32,
        context: &mut WithSchemaContext,
    ) -> Schema {
        <(T1, T2)>::schema(version, context)
    }

    /// The schema of the tuple `(T1, T2, T3)`, as `<(T1, T2, T3)>::schema` gives it.
    pub fn new_tuple3<T1: WithSchema, T2: WithSchema, T3: WithSchema>(
        version: u32,
        context: &mut WithSchemaContext,
    ) -> Schema {
        <(T1, T2, T3)>::schema(version, context)
    }

    /// The schema of the tuple `(T1, T2, T3, T4)`, as `<(T1, T2, T3, T4)>::schema` gives it.
    pub fn new_tuple4<T1: WithSchema, T2: WithSchema, T3: WithSchema, T4: WithSchema>(
        version: u32,
        context: &mut WithSchemaContext,
    ) -> Schema {
        <(T1, T2, T3, T4)>::schema(version, context)
    }

    /// The schema of a `String`-like primitive with an unknown memory layout.
    pub fn string() -> Schema {
        Schema::Primitive(SchemaPrimitive::schema_string(VecOrStringLayout::Unknown))
    }

    /// The kind of this node in one word, as savefile 0.20 names it: `struct`,
    /// `enum`, `primitive`, `vector`, `array`, `option`, `undefined`, `zerosize`,
    /// `custom`, `UtcTimestamp`, or `<recursion n>`. See [`Schema::describe`] for
    /// the fuller text of error messages.
    pub fn top_level_description(&self) -> String {
        let word = match self {
            Schema::Struct(_) => "struct",
            Schema::Enum(_) => "enum",
            Schema::Primitive(_) => "primitive",
            Schema::Vector(..) => "vector",
            Schema::Array(_) => "array",
            Schema::SchemaOption(_) => "option",
            Schema::Undefined => "undefined",
            Schema::ZeroSize => "zerosize",
            Schema::Custom(_) => "custom",
            Schema::UtcTimestamp => "UtcTimestamp",
            Schema::Recursion(levels) => return format!("<recursion {levels}>"),
        };
        word.to_string()
    }

    /// What this node is, in words, for error messages: "u32", "a struct `Player`" ….
    pub fn describe(&self) -> String {
        match self {
            Schema::Struct(s) => {
                format!(
                    "a struct `{}` with {}",
                    s.dbg_name,
                    count(s.fields.len(), "field")
                )
            }
            Schema::Enum(e) => format!(
                "an enum `{}` with {}",
                e.dbg_name,
                count(e.variants.len(), "variant")
            ),
            Schema::Primitive(p) => p.name().to_string(),
            Schema::Vector(item, _) => format!("a vector of {}", item.describe_short()),
            Schema::Array(a) => {
                format!("an array of {} × {}", a.count, a.item_type.describe_short())
            }
            Schema::SchemaOption(inner) => format!("an Option of {}", inner.describe_short()),
            Schema::Undefined => "an undefined schema".to_string(),
            Schema::ZeroSize => "a zero-sized type".to_string(),
            Schema::Custom(name) => format!("the custom type `{name}`"),
            Schema::Recursion(depth) => {
                format!("a recursive reference {} up", count(*depth, "level"))
            }
            Schema::UtcTimestamp => "a timestamp".to_string(),
        }
    }

    /// How many nodes the schema has, itself included.
    pub(crate) fn node_count(&self) -> usize {
        let fields =
            |fields: &[Field]| -> usize { fields.iter().map(|f| f.value.node_count()).sum() };
        1 + match self {
            Schema::Struct(s) => fields(&s.fields),
            Schema::Enum(e) => e.variants.iter().map(|v| fields(&v.fields)).sum(),
            Schema::Vector(item, _) | Schema::SchemaOption(item) => item.node_count(),
            Schema::Array(a) => a.item_type.node_count(),
            Schema::Primitive(_)
            | Schema::Undefined
            | Schema::ZeroSize
            | Schema::Custom(_)
            | Schema::Recursion(_)
            | Schema::UtcTimestamp => 0,
        }
    }

    /// A one-level description, used inside [`Self::describe`].
    fn describe_short(&self) -> String {
        match self {
            Schema::Struct(s) => format!("`{}`", s.dbg_name),
            Schema::Enum(e) => format!("`{}`", e.dbg_name),
            Schema::Vector(..) => "vectors".to_string(),
            Schema::Array(_) => "arrays".to_string(),
            Schema::SchemaOption(_) => "options".to_string(),
            other => other.describe(),
        }
    }
}

/// "1 field", "2 fields".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

impl fmt::Display for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}
