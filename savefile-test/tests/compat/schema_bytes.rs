//! An independent reader of the schema section of a savefile, for byte comparisons.
//!
//! The schema records the writer's memory layout (struct and enum sizes and
//! alignments, field offsets, the layout byte of vectors and strings). Those values
//! come from the compiler that built the writer, not from the format, so two
//! correct writers may disagree on them. [`decode`] finds each of them, so that a
//! test can compare everything else byte for byte. It is written against
//! docs/format.md §3 without using the crate's own decoder, so the two check each
//! other.

use savefile::{
    Field, Schema, SchemaArray, SchemaEnum, SchemaPrimitive, SchemaStruct, Variant,
    VecOrStringLayout,
};

/// A decoded schema section.
pub(crate) struct Decoded {
    /// The schema as written.
    pub(crate) schema: Schema,
    /// The schema's bytes with every layout value's bytes set to zero. An
    /// `Option<usize>` keeps its tag, so a value present on one side and absent on
    /// the other still differs.
    pub(crate) masked: Vec<u8>,
    /// Every layout value, in file order: what it is and its bytes.
    pub(crate) layout_values: Vec<(&'static str, Vec<u8>)>,
    /// How many bytes the schema takes.
    pub(crate) len: usize,
}

/// Decodes the format-version-2 schema at the start of `bytes`.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let mut reader = Reader {
        bytes,
        pos: 0,
        layout: Vec::new(),
    };
    let schema = reader.node(0)?;
    let len = reader.pos;
    let mut masked = bytes[..len].to_vec();
    let mut layout_values = Vec::new();
    for (what, start, end) in reader.layout {
        layout_values.push((what, bytes[start..end].to_vec()));
        masked[start..end].fill(0);
    }
    Ok(Decoded {
        schema,
        masked,
        layout_values,
        len,
    })
}

/// `schema` with every layout value cleared: sizes, alignments and offsets `None`,
/// vector and string layouts `Unknown`.
pub(crate) fn without_layout(schema: &Schema) -> Schema {
    let fields = |fields: &[Field]| -> Vec<Field> {
        fields
            .iter()
            .map(|f| Field::new(f.name.clone(), Box::new(without_layout(&f.value))))
            .collect()
    };
    match schema {
        Schema::Struct(s) => {
            Schema::Struct(SchemaStruct::new(s.dbg_name.clone(), fields(&s.fields)))
        }
        Schema::Enum(e) => Schema::Enum(SchemaEnum {
            dbg_name: e.dbg_name.clone(),
            variants: e
                .variants
                .iter()
                .map(|v| Variant {
                    name: v.name.clone(),
                    discriminant: v.discriminant,
                    fields: fields(&v.fields),
                })
                .collect(),
            discriminant_size: e.discriminant_size,
            has_explicit_repr: e.has_explicit_repr,
            size: None,
            alignment: None,
        }),
        Schema::Primitive(SchemaPrimitive::schema_string(_)) => Schema::string(),
        Schema::Vector(item, _) => {
            Schema::Vector(Box::new(without_layout(item)), VecOrStringLayout::Unknown)
        }
        Schema::Array(a) => Schema::Array(SchemaArray {
            item_type: Box::new(without_layout(&a.item_type)),
            count: a.count,
        }),
        Schema::SchemaOption(inner) => Schema::SchemaOption(Box::new(without_layout(inner))),
        other => other.clone(),
    }
}

/// The nesting limit of this reader; the corpus nests far less.
const MAX_DEPTH: usize = 64;

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// (what, start, end) of every layout value read so far.
    layout: Vec<(&'static str, usize, usize)>,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.pos + n;
        let slice = self
            .bytes
            .get(self.pos..end)
            .ok_or_else(|| format!("schema ends early at byte {}", self.pos))?;
        self.pos = end;
        Ok(slice)
    }

    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn usize(&mut self) -> Result<usize, String> {
        let bytes: [u8; 8] = self.take(8)?.try_into().expect("8 bytes");
        usize::try_from(u64::from_le_bytes(bytes)).map_err(|e| e.to_string())
    }

    fn string(&mut self) -> Result<String, String> {
        let len = self.usize()?;
        let bytes = self.take(len)?.to_vec();
        String::from_utf8(bytes).map_err(|e| e.to_string())
    }

    /// An `Option<usize>` that records memory layout.
    fn layout_usize(&mut self, what: &'static str) -> Result<Option<usize>, String> {
        match self.u8()? {
            0 => Ok(None),
            1 => {
                let start = self.pos;
                let value = self.usize()?;
                self.layout.push((what, start, self.pos));
                Ok(Some(value))
            }
            tag => Err(format!("{what}: option tag {tag}")),
        }
    }

    /// The layout byte of a vector or string.
    fn layout_byte(&mut self, what: &'static str) -> Result<VecOrStringLayout, String> {
        let start = self.pos;
        let byte = self.u8()?;
        self.layout.push((what, start, self.pos));
        Ok(match byte {
            0 => VecOrStringLayout::Unknown,
            1 => VecOrStringLayout::DataCapacityLength,
            2 => VecOrStringLayout::DataLengthCapacity,
            3 => VecOrStringLayout::CapacityDataLength,
            4 => VecOrStringLayout::LengthDataCapacity,
            5 => VecOrStringLayout::CapacityLengthData,
            6 => VecOrStringLayout::LengthCapacityData,
            7 => VecOrStringLayout::LengthData,
            8 => VecOrStringLayout::DataLength,
            other => return Err(format!("{what}: unknown layout {other}")),
        })
    }

    fn fields(&mut self, depth: usize) -> Result<Vec<Field>, String> {
        let count = self.usize()?;
        (0..count).map(|_| self.field(depth)).collect()
    }

    fn field(&mut self, depth: usize) -> Result<Field, String> {
        let name = self.string()?;
        let value = Box::new(self.node(depth + 1)?);
        let offset = self.layout_usize("field offset")?;
        Ok(Field::new_with_offset(name, value, offset))
    }

    fn node(&mut self, depth: usize) -> Result<Schema, String> {
        if depth > MAX_DEPTH {
            return Err("schema nested too deeply".into());
        }
        Ok(match self.u8()? {
            1 => {
                let dbg_name = self.string()?;
                let count = self.usize()?;
                let size = self.layout_usize("struct size")?;
                let alignment = self.layout_usize("struct alignment")?;
                let fields = (0..count)
                    .map(|_| self.field(depth))
                    .collect::<Result<_, _>>()?;
                Schema::Struct(SchemaStruct::new_with_layout(
                    dbg_name, fields, size, alignment,
                ))
            }
            2 => {
                let dbg_name = self.string()?;
                let count = self.usize()?;
                let mut variants = Vec::new();
                for _ in 0..count {
                    let name = self.string()?;
                    let discriminant = self.u8()?;
                    let fields = self.fields(depth)?;
                    variants.push(Variant {
                        name,
                        discriminant,
                        fields,
                    });
                }
                let discriminant_size = self.u8()?;
                let has_explicit_repr = match self.u8()? {
                    0 => false,
                    1 => true,
                    other => return Err(format!("explicit repr flag {other}")),
                };
                let size = self.layout_usize("enum size")?;
                let alignment = self.layout_usize("enum alignment")?;
                Schema::Enum(SchemaEnum {
                    dbg_name,
                    variants,
                    discriminant_size,
                    has_explicit_repr,
                    size,
                    alignment,
                })
            }
            3 => Schema::Primitive(self.primitive()?),
            4 => {
                let item = self.node(depth + 1)?;
                let layout = self.layout_byte("vector layout")?;
                Schema::Vector(Box::new(item), layout)
            }
            5 => Schema::Undefined,
            6 => Schema::ZeroSize,
            7 => Schema::SchemaOption(Box::new(self.node(depth + 1)?)),
            8 => {
                let count = self.usize()?;
                let item_type = Box::new(self.node(depth + 1)?);
                Schema::Array(SchemaArray { item_type, count })
            }
            9 => Schema::Custom(self.string()?),
            16 => Schema::Recursion(self.usize()?),
            20 => Schema::UtcTimestamp,
            tag => return Err(format!("schema node tag {tag} at byte {}", self.pos - 1)),
        })
    }

    fn primitive(&mut self) -> Result<SchemaPrimitive, String> {
        Ok(match self.u8()? {
            1 => SchemaPrimitive::schema_i8,
            2 => SchemaPrimitive::schema_u8,
            3 => SchemaPrimitive::schema_i16,
            4 => SchemaPrimitive::schema_u16,
            5 => SchemaPrimitive::schema_i32,
            6 => SchemaPrimitive::schema_u32,
            7 => SchemaPrimitive::schema_i64,
            8 => SchemaPrimitive::schema_u64,
            9 => SchemaPrimitive::schema_string(self.layout_byte("string layout")?),
            10 => SchemaPrimitive::schema_f32,
            11 => SchemaPrimitive::schema_f64,
            12 => SchemaPrimitive::schema_bool,
            13 => SchemaPrimitive::schema_canary1,
            14 => SchemaPrimitive::schema_i128,
            15 => SchemaPrimitive::schema_u128,
            16 => SchemaPrimitive::schema_char,
            code => return Err(format!("primitive code {code}")),
        })
    }
}
