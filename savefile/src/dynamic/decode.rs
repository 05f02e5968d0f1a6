//! Data to [`Value`]s, walking the [`Plan`] of the file's schema.
//!
//! Every read goes through the load's [`Deserializer`], so a dynamic load has the
//! limits of a typed one: counts are checked against the input that remains, every
//! allocation is charged to the memory budget first, and nesting is limited by
//! [`crate::LoadOptions::max_depth`] (here every vector, array, map, option, struct and
//! enum value is a level, since any of them may be where a recursive type recurses).

use std::io::Read;
use std::sync::Arc;

use super::plan::{Node, NodeId, Number, Plan};
use super::value::Value;
use crate::format::footprint::{self, grow_toward, reserve_vec, VEC_GROWTH_STEP};
use crate::{Deserializer, SavefileError};

/// Where and why decoding failed.
#[derive(Debug)]
pub(super) struct Failure {
    pub(super) error: SavefileError,
    /// How many bytes the deserializer had read.
    pub(super) offset: u64,
    /// The steps to the failing value, innermost first.
    pub(super) steps: Vec<String>,
}

pub(super) type Decoded<T> = Result<T, Box<Failure>>;

/// Adds a step to the path of a failure as it goes up.
fn within<T>(result: Decoded<T>, step: impl FnOnce() -> String) -> Decoded<T> {
    result.map_err(|mut failure| {
        failure.steps.push(step());
        failure
    })
}

/// The bytes a bulk read takes at a time from a stream.
const CHUNK: usize = 4096;

/// The magic number of a [`crate::Canary1`].
const CANARY: u32 = 0x4756_6843;

/// The bit of a bit vector's byte count that marks little-endian blocks.
const BLOCK_BYTES_FLAG: u64 = 1 << 63;

pub(super) struct Decoder<'p> {
    plan: &'p Plan,
}

impl<'p> Decoder<'p> {
    pub(super) fn new(plan: &'p Plan) -> Self {
        Decoder { plan }
    }

    /// The value of node `id`, read from `d`.
    pub(super) fn value<R: Read>(&self, d: &mut Deserializer<'_, R>, id: NodeId) -> Decoded<Value> {
        let plain = match &self.plan.nodes[id] {
            Node::Unit => Ok(Value::Unit),
            Node::Bool => d.read_bool().map(Value::Bool),
            Node::Number(number) => read_number(d, *number),
            Node::Char => d.read_char().map(Value::Char),
            Node::Str => d.read_string().map(Value::Str),
            Node::Canary => match d.read_u32() {
                Ok(CANARY) => Ok(Value::Canary),
                Ok(found) => Err(SavefileError::CanaryMismatch { found }),
                Err(e) => Err(e),
            },
            Node::Timestamp => d.read_i64().map(Value::Timestamp),
            Node::Numbers(number) => read_numbers(d, *number, None),
            Node::NumberArray { count, number } => read_numbers(d, *number, Some(*count)),
            Node::Bits => read_bits(d),
            Node::SocketAddr => read_socket_addr(d),
            Node::Opaque(what) => Err(SavefileError::general(format!(
                "the file's schema does not say how {what} is saved, so it cannot be decoded"
            ))),
            composite => {
                if let Err(error) = d.enter_nested() {
                    return Err(Self::fail(d, error));
                }
                let value = match composite {
                    Node::Struct { name, fields } => self.structure(d, name, fields),
                    Node::Enum {
                        name,
                        index_bytes,
                        variants,
                    } => self.enumeration(d, name, *index_bytes, variants),
                    Node::Seq(item) => self.seq(d, *item, None),
                    Node::Array { count, item } => self.seq(d, *item, Some(*count)),
                    Node::Map { key, value } => self.map(d, *key, *value),
                    Node::Option(inner) => self.option(d, *inner),
                    _ => Ok(Value::Unit),
                };
                d.leave_nested();
                return value;
            }
        };
        plain.map_err(|error| Self::fail(d, error))
    }

    fn fail<R: Read>(d: &Deserializer<'_, R>, error: SavefileError) -> Box<Failure> {
        Box::new(Failure {
            error,
            offset: d.position(),
            steps: Vec::new(),
        })
    }

    #[inline(never)]
    fn fields<R: Read>(
        &self,
        d: &mut Deserializer<'_, R>,
        fields: &[(Arc<str>, NodeId)],
    ) -> Decoded<Vec<(Arc<str>, Value)>> {
        d.charge_memory(footprint::buffer::<(Arc<str>, Value)>(fields.len()))
            .map_err(|e| Self::fail(d, e))?;
        let mut out = Vec::with_capacity(fields.len());
        for (name, id) in fields {
            let value = within(self.value(d, *id), || name.to_string())?;
            out.push((name.clone(), value));
        }
        Ok(out)
    }

    #[inline(never)]
    fn structure<R: Read>(
        &self,
        d: &mut Deserializer<'_, R>,
        name: &Arc<str>,
        fields: &[(Arc<str>, NodeId)],
    ) -> Decoded<Value> {
        Ok(Value::Struct {
            name: name.clone(),
            fields: self.fields(d, fields)?,
        })
    }

    #[inline(never)]
    fn enumeration<R: Read>(
        &self,
        d: &mut Deserializer<'_, R>,
        name: &Arc<str>,
        index_bytes: u8,
        variants: &[super::plan::PlanVariant],
    ) -> Decoded<Value> {
        let index = match index_bytes {
            1 => d.read_u8().map(u64::from),
            2 => d.read_u16().map(u64::from),
            4 => d.read_u32().map(u64::from),
            other => Err(SavefileError::InvalidSchema {
                what: "discriminant size",
                value: other as u64,
            }),
        }
        .map_err(|e| Self::fail(d, e))?;
        let Some(variant) = usize::try_from(index).ok().and_then(|i| variants.get(i)) else {
            let error = SavefileError::InvalidTag {
                type_name: "the enum",
                tag: index,
            };
            return Err(Self::fail(d, error));
        };
        let fields = within(self.fields(d, &variant.fields), || variant.name.to_string())?;
        Ok(Value::Enum {
            name: name.clone(),
            variant: variant.name.clone(),
            fields,
        })
    }

    /// A vector (`fixed` is `None`: its count is read) or an array of `fixed` elements.
    #[inline(never)]
    fn seq<R: Read>(
        &self,
        d: &mut Deserializer<'_, R>,
        item: NodeId,
        fixed: Option<usize>,
    ) -> Decoded<Value> {
        let min = self.min_bytes(item);
        let count = match fixed {
            None => d.read_count(min),
            Some(count) => d.check_count(count as u64, min),
        }
        .map_err(|e| Self::fail(d, e))?;
        let reserved = reserve_vec::<Value>(d, count).map_err(|e| Self::fail(d, e))?;
        let mut items = Vec::with_capacity(reserved.capacity);
        let mut elements = d.begin_elements(count, min);
        for index in 0..count {
            d.next_element(&mut elements);
            let value = within(self.value(d, item), || index.to_string())?;
            grow_toward(&mut items, 1, VEC_GROWTH_STEP, count);
            items.push(value);
        }
        d.end_elements(elements);
        reserved.complete(d);
        Ok(match fixed {
            None => Value::Seq(items),
            Some(_) => Value::Array(items),
        })
    }

    #[inline(never)]
    fn map<R: Read>(
        &self,
        d: &mut Deserializer<'_, R>,
        key: NodeId,
        value: NodeId,
    ) -> Decoded<Value> {
        let min = self.min_bytes(key).saturating_add(self.min_bytes(value));
        let count = d.read_count(min).map_err(|e| Self::fail(d, e))?;
        let reserved = reserve_vec::<(Value, Value)>(d, count).map_err(|e| Self::fail(d, e))?;
        let mut entries = Vec::with_capacity(reserved.capacity);
        let mut elements = d.begin_elements(count, min);
        for index in 0..count {
            d.next_element(&mut elements);
            let k = within(self.value(d, key), || format!("{index}/key"))?;
            let v = within(self.value(d, value), || format!("{index}/value"))?;
            grow_toward(&mut entries, 1, VEC_GROWTH_STEP, count);
            entries.push((k, v));
        }
        d.end_elements(elements);
        reserved.complete(d);
        Ok(Value::Map(entries))
    }

    #[inline(never)]
    fn option<R: Read>(&self, d: &mut Deserializer<'_, R>, inner: NodeId) -> Decoded<Value> {
        match d.read_u8().map_err(|e| Self::fail(d, e))? {
            0 => Ok(Value::Option(None)),
            1 => {
                d.charge_memory(footprint::boxed::<Value>())
                    .map_err(|e| Self::fail(d, e))?;
                let value = within(self.value(d, inner), || "Some".to_string())?;
                Ok(Value::Option(Some(Box::new(value))))
            }
            tag => Err(Self::fail(
                d,
                SavefileError::InvalidTag {
                    type_name: "Option",
                    tag: tag.into(),
                },
            )),
        }
    }

    fn min_bytes(&self, id: NodeId) -> usize {
        usize::try_from(self.plan.min_bytes[id]).unwrap_or(usize::MAX)
    }
}

fn read_number<R: Read>(
    d: &mut Deserializer<'_, R>,
    number: Number,
) -> Result<Value, SavefileError> {
    Ok(match number {
        Number::U8 => Value::UInt(d.read_u8()?.into()),
        Number::I8 => Value::Int(d.read_i8()?.into()),
        Number::U16 => Value::UInt(d.read_u16()?.into()),
        Number::I16 => Value::Int(d.read_i16()?.into()),
        Number::U32 => Value::UInt(d.read_u32()?.into()),
        Number::I32 => Value::Int(d.read_i32()?.into()),
        Number::U64 => Value::UInt(d.read_u64()?.into()),
        Number::I64 => Value::Int(d.read_i64()?.into()),
        Number::U128 => Value::UInt(d.read_u128()?),
        Number::I128 => Value::Int(d.read_i128()?),
        Number::F32 => Value::F32(d.read_f32()?),
        Number::F64 => Value::F64(d.read_f64()?),
    })
}

/// A vector of numbers (its count read first) or an array of `fixed` of them, in bulk.
#[inline(never)]
fn read_numbers<R: Read>(
    d: &mut Deserializer<'_, R>,
    number: Number,
    fixed: Option<usize>,
) -> Result<Value, SavefileError> {
    let size = number.size();
    let count = match fixed {
        None => d.read_count(size)?,
        Some(count) => d.check_count(count as u64, size)?,
    };
    macro_rules! bulk {
        ($variant:ident, $ty:ty) => {
            Value::$variant(bulk::<R, $ty, { std::mem::size_of::<$ty>() }>(
                d,
                count,
                <$ty>::from_le_bytes,
            )?)
        };
    }
    Ok(match number {
        Number::U8 => bulk!(Bytes, u8),
        Number::I8 => bulk!(I8s, i8),
        Number::U16 => bulk!(U16s, u16),
        Number::I16 => bulk!(I16s, i16),
        Number::U32 => bulk!(U32s, u32),
        Number::I32 => bulk!(I32s, i32),
        Number::U64 => bulk!(U64s, u64),
        Number::I64 => bulk!(I64s, i64),
        Number::U128 => bulk!(U128s, u128),
        Number::I128 => bulk!(I128s, i128),
        Number::F32 => bulk!(F32s, f32),
        Number::F64 => bulk!(F64s, f64),
    })
}

/// `count` numbers of `N` bytes each, converted by `from`: from the input in memory in
/// one go when it holds them, else through a small buffer.
fn bulk<R: Read, T, const N: usize>(
    d: &mut Deserializer<'_, R>,
    count: usize,
    from: fn([u8; N]) -> T,
) -> Result<Vec<T>, SavefileError> {
    let convert = |bytes: &[u8], out: &mut Vec<T>| {
        // Every chunk has N bytes; the fallback is never taken.
        let chunks = bytes.chunks_exact(N);
        out.extend(chunks.map(|chunk| from(chunk.try_into().unwrap_or([0; N]))));
    };
    let reserved = reserve_vec::<T>(d, count)?;
    let mut out = Vec::with_capacity(reserved.capacity);
    let total = count.checked_mul(N).ok_or(SavefileError::ShortRead)?;
    if let Some(bytes) = d.take_input(total)? {
        grow_toward(&mut out, count, VEC_GROWTH_STEP, count);
        convert(bytes, &mut out);
    } else {
        let mut buffer = [0u8; CHUNK];
        let mut left = count;
        while left > 0 {
            let now = left.min(CHUNK / N);
            let bytes = &mut buffer[..now * N];
            d.read_bytes_to_buf(bytes)?;
            grow_toward(&mut out, now, VEC_GROWTH_STEP, count);
            convert(bytes, &mut out);
            left -= now;
        }
    }
    reserved.complete(d);
    Ok(out)
}

/// A bit vector as `ecosystem/bits.rs` saves it: the bit count, the byte count (top bit
/// set for little-endian blocks, clear for the older most-significant-bit-first
/// bytes), then the bytes with no count of their own.
#[inline(never)]
fn read_bits<R: Read>(d: &mut Deserializer<'_, R>) -> Result<Value, SavefileError> {
    let len = d.read_u64()?;
    let saved = d.read_u64()?;
    let blocks = saved & BLOCK_BYTES_FLAG != 0;
    let num_bytes = saved & !BLOCK_BYTES_FLAG;
    if (blocks && num_bytes % 4 != 0) || num_bytes.checked_mul(8).is_none_or(|bits| bits < len) {
        return Err(SavefileError::general(format!(
            "a saved bit vector of {len} bits in {num_bytes} bytes is corrupt"
        )));
    }
    let count = d.check_count(num_bytes, 1)?;
    let mut bytes = d.read_bytes(count)?;
    if !blocks {
        for byte in &mut bytes {
            *byte = byte.reverse_bits();
        }
    }
    Ok(Value::Bits { len, bytes })
}

/// A `SocketAddr` as `impls/net.rs` saves it: a tag (0 V4, 1 V6), the port, the
/// address, and for V6 the flow info and scope id.
#[inline(never)]
fn read_socket_addr<R: Read>(d: &mut Deserializer<'_, R>) -> Result<Value, SavefileError> {
    let field = |name: &str, value: Value| (Arc::<str>::from(name), value);
    let tag = d.read_u8()?;
    if tag > 1 {
        return Err(SavefileError::InvalidTag {
            type_name: "SocketAddr",
            tag: tag.into(),
        });
    }
    let port = Value::UInt(d.read_u16()?.into());
    let mut fields = Vec::with_capacity(4);
    let variant = if tag == 0 {
        fields.push(field("ip", Value::UInt(d.read_u32()?.into())));
        fields.push(field("port", port));
        "IPV4"
    } else {
        fields.push(field("ip", Value::UInt(d.read_u128()?)));
        fields.push(field("port", port));
        fields.push(field("flowinfo", Value::UInt(d.read_u32()?.into())));
        fields.push(field("scope_id", Value::UInt(d.read_u32()?.into())));
        "IPV6"
    };
    Ok(Value::Enum {
        name: "SocketAddr".into(),
        variant: variant.into(),
        fields,
    })
}
