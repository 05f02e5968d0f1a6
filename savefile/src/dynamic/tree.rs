//! The [`Value`] tree as a visit: the visitor that builds it (what
//! [`crate::load_dynamic`] is, a visit with it), and [`Value::visit`], which tells a
//! tree to any visitor as a visited load of its data would.

use std::convert::Infallible;
use std::sync::Arc;

use super::value::Value;
use super::visit::{NumberType, Numbers, SeqKind, Visit};
use crate::format::footprint::{grow_along, grow_toward, VEC_GROWTH_STEP};
use crate::format::utf8;

/// Builds the tree of the values it is told. It allocates no more than a load charges
/// (see `decode.rs`): room for what `begin_seq` and `begin_map` say to reserve, vectors
/// grown through `grow_toward`, strings of the capacity a typed load gives them.
#[derive(Default)]
pub(super) struct TreeBuilder {
    /// The values being built, innermost last.
    open: Vec<Open>,
    /// The value once complete.
    root: Option<Value>,
}

/// A value being built.
enum Open {
    Struct {
        name: Arc<str>,
        /// The fields so far; the last one's value is a placeholder until it is told.
        fields: Vec<(Arc<str>, Value)>,
    },
    Enum {
        name: Arc<str>,
        variant: Arc<str>,
        fields: Vec<(Arc<str>, Value)>,
    },
    Seq {
        kind: SeqKind,
        items: Vec<Value>,
        len: usize,
    },
    Map {
        /// The entries so far; the last one's key or value is a placeholder until told.
        entries: Vec<(Value, Value)>,
        len: usize,
        /// Whether the last entry's value (not its key) is told next.
        at_value: bool,
    },
    Numbers {
        numbers: NumberVec,
        len: usize,
    },
    /// An option's `Some`: complete with its value.
    Some,
}

/// The vector a [`Open::Numbers`] fills.
enum NumberVec {
    U8(Vec<u8>),
    I8(Vec<i8>),
    U16(Vec<u16>),
    I16(Vec<i16>),
    U32(Vec<u32>),
    I32(Vec<i32>),
    U64(Vec<u64>),
    I64(Vec<i64>),
    U128(Vec<u128>),
    I128(Vec<i128>),
    F32(Vec<f32>),
    F64(Vec<f64>),
}

impl NumberVec {
    fn with_capacity(number: NumberType, capacity: usize) -> NumberVec {
        match number {
            NumberType::U8 => NumberVec::U8(Vec::with_capacity(capacity)),
            NumberType::I8 => NumberVec::I8(Vec::with_capacity(capacity)),
            NumberType::U16 => NumberVec::U16(Vec::with_capacity(capacity)),
            NumberType::I16 => NumberVec::I16(Vec::with_capacity(capacity)),
            NumberType::U32 => NumberVec::U32(Vec::with_capacity(capacity)),
            NumberType::I32 => NumberVec::I32(Vec::with_capacity(capacity)),
            NumberType::U64 => NumberVec::U64(Vec::with_capacity(capacity)),
            NumberType::I64 => NumberVec::I64(Vec::with_capacity(capacity)),
            NumberType::U128 => NumberVec::U128(Vec::with_capacity(capacity)),
            NumberType::I128 => NumberVec::I128(Vec::with_capacity(capacity)),
            NumberType::F32 => NumberVec::F32(Vec::with_capacity(capacity)),
            NumberType::F64 => NumberVec::F64(Vec::with_capacity(capacity)),
        }
    }

    /// Appends `run`, of the same type (a run of another type is ignored).
    fn extend(&mut self, run: Numbers<'_>, len: usize) {
        fn add<T: Copy>(into: &mut Vec<T>, run: &[T], len: usize) {
            grow_along(into, run.len(), VEC_GROWTH_STEP, len);
            into.extend_from_slice(run);
        }
        match (self, run) {
            (NumberVec::U8(v), Numbers::U8(run)) => add(v, run, len),
            (NumberVec::I8(v), Numbers::I8(run)) => add(v, run, len),
            (NumberVec::U16(v), Numbers::U16(run)) => add(v, run, len),
            (NumberVec::I16(v), Numbers::I16(run)) => add(v, run, len),
            (NumberVec::U32(v), Numbers::U32(run)) => add(v, run, len),
            (NumberVec::I32(v), Numbers::I32(run)) => add(v, run, len),
            (NumberVec::U64(v), Numbers::U64(run)) => add(v, run, len),
            (NumberVec::I64(v), Numbers::I64(run)) => add(v, run, len),
            (NumberVec::U128(v), Numbers::U128(run)) => add(v, run, len),
            (NumberVec::I128(v), Numbers::I128(run)) => add(v, run, len),
            (NumberVec::F32(v), Numbers::F32(run)) => add(v, run, len),
            (NumberVec::F64(v), Numbers::F64(run)) => add(v, run, len),
            _ => {}
        }
    }

    fn into_value(self) -> Value {
        match self {
            NumberVec::U8(v) => Value::Bytes(v),
            NumberVec::I8(v) => Value::I8s(v),
            NumberVec::U16(v) => Value::U16s(v),
            NumberVec::I16(v) => Value::I16s(v),
            NumberVec::U32(v) => Value::U32s(v),
            NumberVec::I32(v) => Value::I32s(v),
            NumberVec::U64(v) => Value::U64s(v),
            NumberVec::I64(v) => Value::I64s(v),
            NumberVec::U128(v) => Value::U128s(v),
            NumberVec::I128(v) => Value::I128s(v),
            NumberVec::F32(v) => Value::F32s(v),
            NumberVec::F64(v) => Value::F64s(v),
        }
    }
}

impl TreeBuilder {
    /// The tree told, once it is complete (`Unit` if nothing was told).
    pub(super) fn finish(self) -> Value {
        self.root.unwrap_or(Value::Unit)
    }

    /// Gives a complete value to the value it is part of.
    #[inline]
    fn put(&mut self, mut value: Value) -> Result<(), Infallible> {
        loop {
            match self.open.last_mut() {
                None => self.root = Some(value),
                Some(Open::Some) => {
                    self.open.pop();
                    value = Value::Option(Some(Box::new(value)));
                    continue;
                }
                Some(Open::Struct { fields, .. } | Open::Enum { fields, .. }) => {
                    if let Some(field) = fields.last_mut() {
                        field.1 = value;
                    }
                }
                Some(Open::Seq { items, len, .. }) => {
                    grow_toward(items, 1, VEC_GROWTH_STEP, *len);
                    items.push(value);
                }
                Some(Open::Map {
                    entries, at_value, ..
                }) => {
                    if let Some(entry) = entries.last_mut() {
                        match at_value {
                            true => entry.1 = value,
                            false => entry.0 = value,
                        }
                    }
                }
                Some(Open::Numbers { .. }) => {}
            }
            return Ok(());
        }
    }

    /// Closes the innermost open value, which `close` makes complete.
    fn close(&mut self, close: impl FnOnce(Open) -> Option<Value>) -> Result<(), Infallible> {
        match self.open.pop().and_then(close) {
            Some(value) => self.put(value),
            None => Ok(()),
        }
    }
}

impl Visit for TreeBuilder {
    type Error = Infallible;

    fn unit(&mut self) -> Result<(), Infallible> {
        self.put(Value::Unit)
    }

    fn bool(&mut self, value: bool) -> Result<(), Infallible> {
        self.put(Value::Bool(value))
    }

    fn int(&mut self, value: i128) -> Result<(), Infallible> {
        self.put(Value::Int(value))
    }

    fn uint(&mut self, value: u128) -> Result<(), Infallible> {
        self.put(Value::UInt(value))
    }

    fn f32(&mut self, value: f32) -> Result<(), Infallible> {
        self.put(Value::F32(value))
    }

    fn f64(&mut self, value: f64) -> Result<(), Infallible> {
        self.put(Value::F64(value))
    }

    fn char(&mut self, value: char) -> Result<(), Infallible> {
        self.put(Value::Char(value))
    }

    fn str(&mut self, value: &str) -> Result<(), Infallible> {
        self.put(Value::Str(utf8::owned(value)))
    }

    fn string(&mut self, value: String) -> Result<(), Infallible> {
        self.put(Value::Str(value))
    }

    fn timestamp(&mut self, nanos: i64) -> Result<(), Infallible> {
        self.put(Value::Timestamp(nanos))
    }

    fn bits(&mut self, len: u64, bytes: Vec<u8>) -> Result<(), Infallible> {
        self.put(Value::Bits { len, bytes })
    }

    fn canary(&mut self) -> Result<(), Infallible> {
        self.put(Value::Canary)
    }

    fn none(&mut self) -> Result<(), Infallible> {
        self.put(Value::Option(None))
    }

    fn some(&mut self) -> Result<(), Infallible> {
        self.open.push(Open::Some);
        Ok(())
    }

    fn begin_struct(&mut self, name: &Arc<str>, fields: usize) -> Result<(), Infallible> {
        self.open.push(Open::Struct {
            name: name.clone(),
            fields: Vec::with_capacity(fields),
        });
        Ok(())
    }

    fn field(&mut self, _: usize, name: &Arc<str>) -> Result<(), Infallible> {
        if let Some(Open::Struct { fields, .. } | Open::Enum { fields, .. }) = self.open.last_mut()
        {
            fields.push((name.clone(), Value::Unit));
        }
        Ok(())
    }

    fn end_struct(&mut self) -> Result<(), Infallible> {
        self.close(|open| match open {
            Open::Struct { name, fields } => Some(Value::Struct { name, fields }),
            _ => None,
        })
    }

    fn begin_enum(
        &mut self,
        name: &Arc<str>,
        variant: &Arc<str>,
        fields: usize,
    ) -> Result<(), Infallible> {
        self.open.push(Open::Enum {
            name: name.clone(),
            variant: variant.clone(),
            fields: Vec::with_capacity(fields),
        });
        Ok(())
    }

    fn end_enum(&mut self) -> Result<(), Infallible> {
        self.close(|open| match open {
            Open::Enum {
                name,
                variant,
                fields,
            } => Some(Value::Enum {
                name,
                variant,
                fields,
            }),
            _ => None,
        })
    }

    fn begin_seq(&mut self, kind: SeqKind, len: usize, reserve: usize) -> Result<(), Infallible> {
        self.open.push(Open::Seq {
            kind,
            items: Vec::with_capacity(reserve.min(len)),
            len,
        });
        Ok(())
    }

    fn end_seq(&mut self) -> Result<(), Infallible> {
        self.close(|open| match open {
            Open::Seq {
                kind: SeqKind::Array,
                items,
                ..
            } => Some(Value::Array(items)),
            Open::Seq { items, .. } => Some(Value::Seq(items)),
            _ => None,
        })
    }

    fn begin_map(&mut self, len: usize, reserve: usize, _: bool) -> Result<(), Infallible> {
        self.open.push(Open::Map {
            entries: Vec::with_capacity(reserve.min(len)),
            len,
            at_value: false,
        });
        Ok(())
    }

    fn entry_key(&mut self, _: usize) -> Result<(), Infallible> {
        if let Some(Open::Map {
            entries,
            len,
            at_value,
        }) = self.open.last_mut()
        {
            grow_toward(entries, 1, VEC_GROWTH_STEP, *len);
            entries.push((Value::Unit, Value::Unit));
            *at_value = false;
        }
        Ok(())
    }

    fn entry_value(&mut self) -> Result<(), Infallible> {
        if let Some(Open::Map { at_value, .. }) = self.open.last_mut() {
            *at_value = true;
        }
        Ok(())
    }

    fn end_map(&mut self) -> Result<(), Infallible> {
        self.close(|open| match open {
            Open::Map { entries, .. } => Some(Value::Map(entries)),
            _ => None,
        })
    }

    fn begin_numbers(
        &mut self,
        number: NumberType,
        len: usize,
        reserve: usize,
    ) -> Result<(), Infallible> {
        self.open.push(Open::Numbers {
            numbers: NumberVec::with_capacity(number, reserve.min(len)),
            len,
        });
        Ok(())
    }

    fn numbers(&mut self, run: Numbers<'_>) -> Result<(), Infallible> {
        if let Some(Open::Numbers { numbers, len }) = self.open.last_mut() {
            numbers.extend(run, *len);
        }
        Ok(())
    }

    fn end_numbers(&mut self) -> Result<(), Infallible> {
        self.close(|open| match open {
            Open::Numbers { numbers, .. } => Some(numbers.into_value()),
            _ => None,
        })
    }
}

impl Value {
    /// Tells this value to `visitor`, as a visited load of its data tells it
    /// ([`crate::visit_dynamic_from_mem`]), so that one visitor serves both a file and
    /// a value already loaded (or found inside one). Sequences and maps are told with
    /// their own lengths to reserve, vectors of numbers in one run, a map with string
    /// keys as one whose every key is a [`Value::Str`].
    ///
    /// ```
    /// use savefile::{Visit, Value};
    ///
    /// /// Counts the strings of a value.
    /// struct Strings(usize);
    /// impl Visit for Strings {
    ///     type Error = std::convert::Infallible;
    ///     fn str(&mut self, _: &str) -> Result<(), Self::Error> {
    ///         self.0 += 1;
    ///         Ok(())
    ///     }
    /// }
    ///
    /// let value = Value::Seq(vec![Value::Str("a".into()), Value::UInt(2), Value::Str("c".into())]);
    /// let mut strings = Strings(0);
    /// value.visit(&mut strings).unwrap();
    /// assert_eq!(strings.0, 2);
    /// ```
    pub fn visit<V: Visit>(&self, visitor: &mut V) -> Result<(), V::Error> {
        let fields = |visitor: &mut V, fields: &[(Arc<str>, Value)]| {
            for (index, (name, value)) in fields.iter().enumerate() {
                visitor.field(index, name)?;
                value.visit(visitor)?;
            }
            Ok(())
        };
        match self {
            Value::Unit => visitor.unit(),
            Value::Bool(b) => visitor.bool(*b),
            Value::Int(n) => visitor.int(*n),
            Value::UInt(n) => visitor.uint(*n),
            Value::F32(x) => visitor.f32(*x),
            Value::F64(x) => visitor.f64(*x),
            Value::Char(c) => visitor.char(*c),
            Value::Str(text) => visitor.str(text),
            Value::Seq(items) | Value::Array(items) => {
                let kind = match self {
                    Value::Array(_) => SeqKind::Array,
                    _ => SeqKind::Vector,
                };
                visitor.begin_seq(kind, items.len(), items.len())?;
                for (index, item) in items.iter().enumerate() {
                    visitor.element(index)?;
                    item.visit(visitor)?;
                }
                visitor.end_seq()
            }
            Value::Map(entries) => {
                let string_keys = entries.iter().all(|(k, _)| matches!(k, Value::Str(_)));
                visitor.begin_map(entries.len(), entries.len(), string_keys)?;
                for (index, (key, value)) in entries.iter().enumerate() {
                    visitor.entry_key(index)?;
                    key.visit(visitor)?;
                    visitor.entry_value()?;
                    value.visit(visitor)?;
                }
                visitor.end_map()
            }
            Value::Struct { name, fields: f } => {
                visitor.begin_struct(name, f.len())?;
                fields(visitor, f)?;
                visitor.end_struct()
            }
            Value::Enum {
                name,
                variant,
                fields: f,
            } => {
                visitor.begin_enum(name, variant, f.len())?;
                fields(visitor, f)?;
                visitor.end_enum()
            }
            Value::Option(None) => visitor.none(),
            Value::Option(Some(inner)) => {
                visitor.some()?;
                inner.visit(visitor)
            }
            Value::Timestamp(nanos) => visitor.timestamp(*nanos),
            Value::Bits { len, bytes } => visitor.bits(*len, bytes.clone()),
            Value::Canary => visitor.canary(),
            Value::Bytes(v) => numbers(visitor, Numbers::U8(v)),
            Value::I8s(v) => numbers(visitor, Numbers::I8(v)),
            Value::U16s(v) => numbers(visitor, Numbers::U16(v)),
            Value::I16s(v) => numbers(visitor, Numbers::I16(v)),
            Value::U32s(v) => numbers(visitor, Numbers::U32(v)),
            Value::I32s(v) => numbers(visitor, Numbers::I32(v)),
            Value::U64s(v) => numbers(visitor, Numbers::U64(v)),
            Value::I64s(v) => numbers(visitor, Numbers::I64(v)),
            Value::U128s(v) => numbers(visitor, Numbers::U128(v)),
            Value::I128s(v) => numbers(visitor, Numbers::I128(v)),
            Value::F32s(v) => numbers(visitor, Numbers::F32(v)),
            Value::F64s(v) => numbers(visitor, Numbers::F64(v)),
        }
    }
}

/// A vector of numbers told in one run (none when it is empty).
fn numbers<V: Visit>(visitor: &mut V, all: Numbers<'_>) -> Result<(), V::Error> {
    visitor.begin_numbers(all.number(), all.len(), all.len())?;
    if !all.is_empty() {
        visitor.numbers(all)?;
    }
    visitor.end_numbers()
}
