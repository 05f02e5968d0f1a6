//! A schema as an indented tree of Rust-like type names.

use std::io::{self, Write};

use savefile::{Schema, SchemaPrimitive};

/// The Rust-like name of the type `schema` describes: `u32`, `String`, `Vec<Player>`,
/// `Map<String, u8>`, `[f32; 3]`, `Option<Item>`, a struct's or enum's own name.
pub fn type_name(schema: &Schema) -> String {
    match schema {
        Schema::Struct(st) if is_bits(schema) => format!("{} (bits)", st.dbg_name),
        Schema::Struct(st) => st.dbg_name.clone(),
        Schema::Enum(en) => en.dbg_name.clone(),
        Schema::Primitive(SchemaPrimitive::schema_string(_)) => "String".to_string(),
        Schema::Primitive(SchemaPrimitive::schema_canary1) => "Canary1".to_string(),
        Schema::Primitive(p) => p.name().to_string(),
        Schema::Vector(item, _) => match map_entry(item) {
            Some((key, value)) => format!("Map<{}, {}>", type_name(key), type_name(value)),
            None => format!("Vec<{}>", type_name(item)),
        },
        Schema::Array(array) => format!("[{}; {}]", type_name(&array.item_type), array.count),
        Schema::SchemaOption(inner) => format!("Option<{}>", type_name(inner)),
        Schema::ZeroSize => "()".to_string(),
        Schema::UtcTimestamp => "UtcTimestamp".to_string(),
        Schema::Custom(name) => format!("custom `{name}`"),
        Schema::Undefined => "undefined".to_string(),
        Schema::Recursion(levels) => format!("<recursive, {levels} up>"),
        other => other.describe(),
    }
}

fn map_entry(item: &Schema) -> Option<(&Schema, &Schema)> {
    match item {
        Schema::Struct(entry) if entry.dbg_name == "KeyValuePair" && entry.fields.len() == 2 => {
            Some((&entry.fields[0].value, &entry.fields[1].value))
        }
        _ => None,
    }
}

fn is_bits(schema: &Schema) -> bool {
    matches!(schema, Schema::Struct(st)
        if (st.dbg_name == "BitVec" || st.dbg_name == "BitSet") && st.fields.len() == 3)
}

/// Writes `schema` as a tree: the type's name, then its members indented below it.
pub fn write_tree(out: &mut impl Write, schema: &Schema) -> io::Result<()> {
    writeln!(out, "{}", describe_line(schema))?;
    members(out, schema, 1)
}

/// The first line of a node: its type name, with the kind of a struct or enum.
fn describe_line(schema: &Schema) -> String {
    match schema {
        Schema::Struct(_) if !is_bits(schema) => format!("struct {}", type_name(schema)),
        Schema::Enum(en) => format!(
            "enum {} (index: {} byte{})",
            en.dbg_name,
            en.discriminant_size,
            if en.discriminant_size == 1 { "" } else { "s" }
        ),
        other => type_name(other),
    }
}

fn line(out: &mut impl Write, depth: usize, text: &str) -> io::Result<()> {
    for _ in 0..depth {
        out.write_all(b"  ")?;
    }
    writeln!(out, "{text}")
}

/// Writes what is inside `schema`, `depth` levels in.
fn members(out: &mut impl Write, schema: &Schema, depth: usize) -> io::Result<()> {
    match schema {
        Schema::Struct(_) if is_bits(schema) => Ok(()),
        Schema::Struct(st) => {
            for field in &st.fields {
                line(
                    out,
                    depth,
                    &format!("{}: {}", field.name, type_name(&field.value)),
                )?;
                members(out, &field.value, depth + 1)?;
            }
            Ok(())
        }
        Schema::Enum(en) => {
            for variant in &en.variants {
                line(out, depth, &variant.name)?;
                for field in &variant.fields {
                    let text = format!("{}: {}", field.name, type_name(&field.value));
                    line(out, depth + 1, &text)?;
                    members(out, &field.value, depth + 2)?;
                }
            }
            Ok(())
        }
        Schema::Vector(item, _) => match map_entry(item) {
            Some((_, value)) => members(out, value, depth),
            None => members(out, item, depth),
        },
        Schema::Array(array) => members(out, &array.item_type, depth),
        Schema::SchemaOption(inner) => members(out, inner, depth),
        _ => Ok(()),
    }
}

/// How many nodes `schema` has.
pub fn node_count(schema: &Schema) -> usize {
    1 + match schema {
        Schema::Struct(st) => st.fields.iter().map(|f| node_count(&f.value)).sum(),
        Schema::Enum(en) => en
            .variants
            .iter()
            .flat_map(|v| &v.fields)
            .map(|f| node_count(&f.value))
            .sum(),
        Schema::Vector(item, _) | Schema::SchemaOption(item) => node_count(item),
        Schema::Array(array) => node_count(&array.item_type),
        _ => 0,
    }
}
