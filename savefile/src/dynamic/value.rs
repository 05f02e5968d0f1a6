//! The values a file holds, as a tree that needs none of the program's types.

use std::sync::Arc;

/// One saved value, decoded by the schema in its file alone (see [`crate::load_dynamic`]).
///
/// Integers keep their sign apart (`Int`, `UInt`) at full 128-bit width; floats keep
/// their width (`F32`, `F64`) so that they print as saved. Vectors and arrays of numbers
/// are decoded in bulk into one vector of the number type (`Bytes`, `F32s` …), not into
/// one `Value` per element. Names are shared with the schema (`Arc<str>`), so a vector
/// of a million structs holds the field names once.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// A type that takes no bytes: `()`, `PhantomData`.
    Unit,
    /// A bool.
    Bool(bool),
    /// A signed integer of any width (i8 to i128, isize).
    Int(i128),
    /// An unsigned integer of any width (u8 to u128, usize).
    UInt(u128),
    /// An f32.
    F32(f32),
    /// An f64.
    F64(f64),
    /// A char.
    Char(char),
    /// A string (String, str, PathBuf …).
    Str(String),
    /// A vector or array of u8.
    Bytes(Vec<u8>),
    /// A vector or array of i8.
    I8s(Vec<i8>),
    /// A vector or array of u16.
    U16s(Vec<u16>),
    /// A vector or array of i16.
    I16s(Vec<i16>),
    /// A vector or array of u32.
    U32s(Vec<u32>),
    /// A vector or array of i32.
    I32s(Vec<i32>),
    /// A vector or array of u64 (or usize).
    U64s(Vec<u64>),
    /// A vector or array of i64 (or isize).
    I64s(Vec<i64>),
    /// A vector or array of u128.
    U128s(Vec<u128>),
    /// A vector or array of i128.
    I128s(Vec<i128>),
    /// A vector or array of f32.
    F32s(Vec<f32>),
    /// A vector or array of f64.
    F64s(Vec<f64>),
    /// A vector, set or other sequence of anything else.
    Seq(Vec<Value>),
    /// A fixed-size array of anything else.
    Array(Vec<Value>),
    /// A map: its entries, key and value, in saved order.
    Map(Vec<(Value, Value)>),
    /// A struct (or tuple, or `Duration` …): its name and its fields in saved order.
    Struct {
        /// The struct's name as the schema gives it.
        name: Arc<str>,
        /// The fields' names and values.
        fields: Vec<(Arc<str>, Value)>,
    },
    /// An enum value: the enum's name, the variant's, and the variant's fields.
    Enum {
        /// The enum's name as the schema gives it.
        name: Arc<str>,
        /// The variant's name.
        variant: Arc<str>,
        /// The variant's fields' names and values (none for a unit variant).
        fields: Vec<(Arc<str>, Value)>,
    },
    /// An `Option`: `None`, or `Some` of the value.
    Option(Option<Box<Value>>),
    /// A point in time ([`crate::Schema::UtcTimestamp`]): nanoseconds since 1970 UTC.
    Timestamp(i64),
    /// A bit vector or bit set (the `BitVec` and `BitSet` of the bit-vec and bit-set
    /// crates): `len` bits, bit `i` being bit `i % 8` of `bytes[i / 8]`.
    Bits {
        /// How many bits there are.
        len: u64,
        /// The bits, eight to a byte, least significant first.
        bytes: Vec<u8>,
    },
    /// A [`crate::Canary1`], which read back its magic number.
    Canary,
}

impl Value {
    /// The value one step inside this one, named by `step`: a field name of a struct
    /// or of an enum's variant, an element index of a sequence or array (`"3"`), or a
    /// key of a map (its text as [`Value::key_text`] writes it). An `Option` that is
    /// `Some` is stepped through. `None` when there is no such child.
    pub fn get(&self, step: &str) -> Option<ValueRef<'_>> {
        match self {
            Value::Option(Some(inner)) => inner.get(step),
            Value::Struct { fields, .. } | Value::Enum { fields, .. } => fields
                .iter()
                .find(|(name, _)| &**name == step)
                .map(|(_, value)| ValueRef::Value(value)),
            Value::Seq(items) | Value::Array(items) => {
                items.get(step.parse::<usize>().ok()?).map(ValueRef::Value)
            }
            Value::Map(entries) => entries
                .iter()
                .find(|(key, _)| key.key_text().as_deref() == Some(step))
                .map(|(_, value)| ValueRef::Value(value)),
            _ => {
                let index = step.parse::<usize>().ok()?;
                (index < self.packed_len()?).then_some(ValueRef::Element(self, index))
            }
        }
    }

    /// The number of elements of a packed vector (`Bytes`, `F32s` …), else `None`.
    pub fn packed_len(&self) -> Option<usize> {
        Some(match self {
            Value::Bytes(v) => v.len(),
            Value::I8s(v) => v.len(),
            Value::U16s(v) => v.len(),
            Value::I16s(v) => v.len(),
            Value::U32s(v) => v.len(),
            Value::I32s(v) => v.len(),
            Value::U64s(v) => v.len(),
            Value::I64s(v) => v.len(),
            Value::U128s(v) => v.len(),
            Value::I128s(v) => v.len(),
            Value::F32s(v) => v.len(),
            Value::F64s(v) => v.len(),
            _ => return None,
        })
    }

    /// Element `index` of a packed vector as a value of its own, if there is one.
    pub fn packed_element(&self, index: usize) -> Option<Value> {
        Some(match self {
            Value::Bytes(v) => Value::UInt(*v.get(index)? as u128),
            Value::I8s(v) => Value::Int(*v.get(index)? as i128),
            Value::U16s(v) => Value::UInt(*v.get(index)? as u128),
            Value::I16s(v) => Value::Int(*v.get(index)? as i128),
            Value::U32s(v) => Value::UInt(*v.get(index)? as u128),
            Value::I32s(v) => Value::Int(*v.get(index)? as i128),
            Value::U64s(v) => Value::UInt(*v.get(index)? as u128),
            Value::I64s(v) => Value::Int(*v.get(index)? as i128),
            Value::U128s(v) => Value::UInt(*v.get(index)?),
            Value::I128s(v) => Value::Int(*v.get(index)?),
            Value::F32s(v) => Value::F32(*v.get(index)?),
            Value::F64s(v) => Value::F64(*v.get(index)?),
            _ => return None,
        })
    }

    /// The text of a map key that is a string, an integer, a bool or a char (what a
    /// path step names it by); `None` for other keys.
    pub fn key_text(&self) -> Option<String> {
        Some(match self {
            Value::Str(text) => text.clone(),
            Value::Int(n) => n.to_string(),
            Value::UInt(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Char(c) => c.to_string(),
            _ => return None,
        })
    }
}

/// A value found by [`Value::get`]: a value of the tree, or one element of a packed
/// vector (which has no `Value` of its own until asked for).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    /// A value of the tree.
    Value(&'a Value),
    /// Element `.1` of the packed vector `.0`.
    Element(&'a Value, usize),
}

impl ValueRef<'_> {
    /// The value itself, copied out for a packed element.
    pub fn to_value(self) -> Value {
        match self {
            ValueRef::Value(value) => value.clone(),
            ValueRef::Element(vector, index) => vector.packed_element(index).unwrap_or(Value::Unit),
        }
    }
}
