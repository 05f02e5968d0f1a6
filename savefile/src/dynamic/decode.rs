//! Data to [`Visit`] calls, walking the [`Plan`] of the file's schema.
//!
//! Every read goes through the load's [`Deserializer`], so a dynamic load has the
//! limits of a typed one: counts are checked against the input that remains, memory is
//! charged to the budget before it may be allocated, and nesting is limited by
//! [`crate::LoadOptions::max_depth`] (here every vector, array, map, option, struct and
//! enum value is a level, since any of them may be where a recursive type recurses).
//!
//! The memory charged is what the [`Value`] tree of the data takes, whatever the
//! visitor keeps: the tree's builder (`tree.rs`) allocates no more than that, and any
//! other visit is accepted or refused exactly where `load_dynamic` is.

use std::io::Read;
use std::mem::size_of;
use std::sync::Arc;

use super::plan::{Node, NodeId, Plan, PlanVariant, SocketNames};
use super::value::Value;
use super::visit::{NumberType, Numbers, SeqKind, Visit};
use crate::format::footprint::{self, reserve_vec};
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

/// Why decoding stopped before the end.
#[derive(Debug)]
pub(super) enum Stop<E> {
    /// The data is invalid (or a limit was reached).
    Failed(Box<Failure>),
    /// The visitor stopped it.
    Visitor(E),
}

pub(super) type Decoded<E> = Result<(), Stop<E>>;

/// Adds a step to the path of a failure as it goes up.
#[inline(always)]
fn within<E>(result: Decoded<E>, step: impl FnOnce() -> String) -> Decoded<E> {
    result.map_err(|stop| match stop {
        Stop::Failed(mut failure) => {
            failure.steps.push(step());
            Stop::Failed(failure)
        }
        visitor => visitor,
    })
}

/// A failure at the position `d` has reached.
#[cold]
fn fail<R: Read, E>(d: &Deserializer<'_, R>, error: SavefileError) -> Stop<E> {
    Stop::Failed(Box::new(Failure {
        error,
        offset: d.position(),
        steps: Vec::new(),
    }))
}

/// Numbers lent to a visitor at a time, through a buffer on the stack.
const RUN: usize = 256;

/// The magic number of a [`crate::Canary1`].
const CANARY: u32 = 0x4756_6843;

/// The bit of a bit vector's byte count that marks little-endian blocks.
const BLOCK_BYTES_FLAG: u64 = 1 << 63;

pub(super) struct Decoder<'p, 'v, V> {
    plan: &'p Plan,
    visitor: &'v mut V,
}

impl<'p, 'v, V: Visit> Decoder<'p, 'v, V> {
    pub(super) fn new(plan: &'p Plan, visitor: &'v mut V) -> Self {
        Decoder { plan, visitor }
    }

    /// Tells the value of node `id`, read from `d`.
    pub(super) fn value<R: Read>(
        &mut self,
        d: &mut Deserializer<'_, R>,
        id: NodeId,
    ) -> Decoded<V::Error> {
        let node = &self.plan.nodes[id];
        let nested = matches!(
            node,
            Node::Struct { .. }
                | Node::Enum { .. }
                | Node::Seq(_)
                | Node::Array { .. }
                | Node::Map { .. }
                | Node::Option(_)
        );
        if !nested {
            return self.scalar(d, node);
        }
        if let Err(error) = d.enter_nested() {
            return Err(fail(d, error));
        }
        let told = match node {
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
            _ => Ok(()),
        };
        d.leave_nested();
        told
    }

    /// Tells a value that holds no other (a value of a node that is not nested).
    ///
    /// Apart from [`Self::value`], which every level of nesting recurses through, so
    /// that the reads inlined here do not take room on the stack at every level.
    #[inline]
    fn scalar<R: Read>(&mut self, d: &mut Deserializer<'_, R>, node: &Node) -> Decoded<V::Error> {
        let v = &mut *self.visitor;
        let told = match node {
            Node::Unit => Ok(v.unit()),
            Node::Bool => d.read_bool().map(|b| v.bool(b)),
            Node::Number(number) => tell_number(d, *number, v),
            Node::Char => d.read_char().map(|c| v.char(c)),
            Node::Str => d.lend_str(v, |v, text| v.str(text), |v, text| v.string(text)),
            Node::Canary => match d.read_u32() {
                Ok(CANARY) => Ok(v.canary()),
                Ok(found) => Err(SavefileError::CanaryMismatch { found }),
                Err(e) => Err(e),
            },
            Node::Timestamp => d.read_i64().map(|nanos| v.timestamp(nanos)),
            Node::Numbers(number) => return self.numbers(d, *number, None),
            Node::NumberArray { count, number } => return self.numbers(d, *number, Some(*count)),
            Node::Bits => read_bits(d).map(|(len, bytes)| v.bits(len, bytes)),
            Node::SocketAddr(names) => return self.socket_addr(d, names),
            Node::Opaque(what) => Err(SavefileError::general(format!(
                "the file's schema does not say how {what} is saved, so it cannot be decoded"
            ))),
            // Nested: told by `value`.
            _ => Ok(Ok(())),
        };
        match told {
            Ok(Ok(())) => Ok(()),
            Ok(Err(stop)) => Err(Stop::Visitor(stop)),
            Err(error) => Err(fail(d, error)),
        }
    }

    /// Charges the fields' memory, tells `begin`, then the fields.
    #[inline(always)]
    fn fields<R: Read>(
        &mut self,
        d: &mut Deserializer<'_, R>,
        fields: &[(Arc<str>, NodeId)],
        begin: impl FnOnce(&mut V) -> Result<(), V::Error>,
    ) -> Decoded<V::Error> {
        d.charge_memory(footprint::buffer::<(Arc<str>, Value)>(fields.len()))
            .map_err(|e| fail(d, e))?;
        begin(self.visitor).map_err(Stop::Visitor)?;
        for (index, (name, id)) in fields.iter().enumerate() {
            self.visitor.field(index, name).map_err(Stop::Visitor)?;
            within(self.value(d, *id), || name.to_string())?;
        }
        Ok(())
    }

    #[inline(never)]
    fn structure<R: Read>(
        &mut self,
        d: &mut Deserializer<'_, R>,
        name: &Arc<str>,
        fields: &[(Arc<str>, NodeId)],
    ) -> Decoded<V::Error> {
        self.fields(d, fields, |v| v.begin_struct(name, fields.len()))?;
        self.visitor.end_struct().map_err(Stop::Visitor)
    }

    #[inline(never)]
    fn enumeration<R: Read>(
        &mut self,
        d: &mut Deserializer<'_, R>,
        name: &Arc<str>,
        index_bytes: u8,
        variants: &[PlanVariant],
    ) -> Decoded<V::Error> {
        let index = match index_bytes {
            1 => d.read_u8().map(u64::from),
            2 => d.read_u16().map(u64::from),
            4 => d.read_u32().map(u64::from),
            other => Err(SavefileError::InvalidSchema {
                what: "discriminant size",
                value: other as u64,
            }),
        }
        .map_err(|e| fail(d, e))?;
        let Some(variant) = usize::try_from(index).ok().and_then(|i| variants.get(i)) else {
            let error = SavefileError::InvalidTag {
                type_name: "the enum",
                tag: index,
            };
            return Err(fail(d, error));
        };
        let fields = &variant.fields;
        let begin = |v: &mut V| v.begin_enum(name, &variant.name, fields.len());
        within(self.fields(d, fields, begin), || variant.name.to_string())?;
        self.visitor.end_enum().map_err(Stop::Visitor)
    }

    /// A vector (`fixed` is `None`: its count is read) or an array of `fixed` elements.
    #[inline(never)]
    fn seq<R: Read>(
        &mut self,
        d: &mut Deserializer<'_, R>,
        item: NodeId,
        fixed: Option<usize>,
    ) -> Decoded<V::Error> {
        let min = self.min_bytes(item);
        let (count, kind) = match fixed {
            None => (d.read_count(min), SeqKind::Vector),
            Some(count) => (d.check_count(count as u64, min), SeqKind::Array),
        };
        let count = count.map_err(|e| fail(d, e))?;
        let reserved = reserve_vec::<Value>(d, count).map_err(|e| fail(d, e))?;
        let begun = self.visitor.begin_seq(kind, count, reserved.capacity);
        begun.map_err(Stop::Visitor)?;
        let mut elements = d.begin_elements(count, min);
        for index in 0..count {
            d.next_element(&mut elements);
            self.visitor.element(index).map_err(Stop::Visitor)?;
            within(self.value(d, item), || index.to_string())?;
        }
        d.end_elements(elements);
        reserved.complete(d);
        self.visitor.end_seq().map_err(Stop::Visitor)
    }

    #[inline(never)]
    fn map<R: Read>(
        &mut self,
        d: &mut Deserializer<'_, R>,
        key: NodeId,
        value: NodeId,
    ) -> Decoded<V::Error> {
        let min = self.min_bytes(key).saturating_add(self.min_bytes(value));
        let count = d.read_count(min).map_err(|e| fail(d, e))?;
        let reserved = reserve_vec::<(Value, Value)>(d, count).map_err(|e| fail(d, e))?;
        let string_keys = matches!(self.plan.nodes[key], Node::Str);
        let begun = self
            .visitor
            .begin_map(count, reserved.capacity, string_keys);
        begun.map_err(Stop::Visitor)?;
        let mut elements = d.begin_elements(count, min);
        for index in 0..count {
            d.next_element(&mut elements);
            self.visitor.entry_key(index).map_err(Stop::Visitor)?;
            within(self.value(d, key), || format!("{index}/key"))?;
            self.visitor.entry_value().map_err(Stop::Visitor)?;
            within(self.value(d, value), || format!("{index}/value"))?;
        }
        d.end_elements(elements);
        reserved.complete(d);
        self.visitor.end_map().map_err(Stop::Visitor)
    }

    #[inline(never)]
    fn option<R: Read>(&mut self, d: &mut Deserializer<'_, R>, inner: NodeId) -> Decoded<V::Error> {
        match d.read_u8().map_err(|e| fail(d, e))? {
            0 => self.visitor.none().map_err(Stop::Visitor),
            1 => {
                d.charge_memory(footprint::boxed::<Value>())
                    .map_err(|e| fail(d, e))?;
                self.visitor.some().map_err(Stop::Visitor)?;
                within(self.value(d, inner), || "Some".to_string())
            }
            tag => Err(fail(
                d,
                SavefileError::InvalidTag {
                    type_name: "Option",
                    tag: tag.into(),
                },
            )),
        }
    }

    /// A vector of numbers (its count read first) or an array of `fixed` of them, lent
    /// in runs.
    #[inline(never)]
    fn numbers<R: Read>(
        &mut self,
        d: &mut Deserializer<'_, R>,
        number: NumberType,
        fixed: Option<usize>,
    ) -> Decoded<V::Error> {
        let size = number.size();
        let count = match fixed {
            None => d.read_count(size),
            Some(count) => d.check_count(count as u64, size),
        };
        let count = count.map_err(|e| fail(d, e))?;
        let v = &mut *self.visitor;
        macro_rules! lend {
            ($variant:ident, $ty:ty) => {
                lend_numbers::<R, V, $ty, { size_of::<$ty>() }>(
                    d,
                    v,
                    (number, count),
                    <$ty>::from_le_bytes,
                )
            };
        }
        match number {
            NumberType::U8 => lend_bytes(d, v, count),
            NumberType::I8 => lend!(I8, i8),
            NumberType::U16 => lend!(U16, u16),
            NumberType::I16 => lend!(I16, i16),
            NumberType::U32 => lend!(U32, u32),
            NumberType::I32 => lend!(I32, i32),
            NumberType::U64 => lend!(U64, u64),
            NumberType::I64 => lend!(I64, i64),
            NumberType::U128 => lend!(U128, u128),
            NumberType::I128 => lend!(I128, i128),
            NumberType::F32 => lend!(F32, f32),
            NumberType::F64 => lend!(F64, f64),
        }
    }

    /// A `SocketAddr` as `impls/net.rs` saves it: a tag (0 V4, 1 V6), the port, the
    /// address, and for V6 the flow info and scope id; told as an enum.
    #[inline(never)]
    fn socket_addr<R: Read>(
        &mut self,
        d: &mut Deserializer<'_, R>,
        names: &SocketNames,
    ) -> Decoded<V::Error> {
        let read = |d: &mut Deserializer<'_, R>| -> Result<_, SavefileError> {
            let tag = d.read_u8()?;
            if tag > 1 {
                return Err(SavefileError::InvalidTag {
                    type_name: "SocketAddr",
                    tag: tag.into(),
                });
            }
            let port = d.read_u16()?;
            if tag == 0 {
                return Ok((port, u128::from(d.read_u32()?), None));
            }
            let ip = d.read_u128()?;
            Ok((port, ip, Some((d.read_u32()?, d.read_u32()?))))
        };
        let (port, ip, v6) = read(d).map_err(|e| fail(d, e))?;
        let v = &mut *self.visitor;
        let told = (|| {
            let (variant, fields) = match v6 {
                None => (&names.v4, 2),
                Some(_) => (&names.v6, 4),
            };
            v.begin_enum(&names.name, variant, fields)?;
            v.field(0, &names.ip)?;
            v.uint(ip)?;
            v.field(1, &names.port)?;
            v.uint(port.into())?;
            if let Some((flowinfo, scope_id)) = v6 {
                v.field(2, &names.flowinfo)?;
                v.uint(flowinfo.into())?;
                v.field(3, &names.scope_id)?;
                v.uint(scope_id.into())?;
            }
            v.end_enum()
        })();
        told.map_err(Stop::Visitor)
    }

    fn min_bytes(&self, id: NodeId) -> usize {
        usize::try_from(self.plan.min_bytes[id]).unwrap_or(usize::MAX)
    }
}

fn tell_number<R: Read, V: Visit>(
    d: &mut Deserializer<'_, R>,
    number: NumberType,
    v: &mut V,
) -> Result<Result<(), V::Error>, SavefileError> {
    Ok(match number {
        NumberType::U8 => v.uint(d.read_u8()?.into()),
        NumberType::I8 => v.int(d.read_i8()?.into()),
        NumberType::U16 => v.uint(d.read_u16()?.into()),
        NumberType::I16 => v.int(d.read_i16()?.into()),
        NumberType::U32 => v.uint(d.read_u32()?.into()),
        NumberType::I32 => v.int(d.read_i32()?.into()),
        NumberType::U64 => v.uint(d.read_u64()?.into()),
        NumberType::I64 => v.int(d.read_i64()?.into()),
        NumberType::U128 => v.uint(d.read_u128()?),
        NumberType::I128 => v.int(d.read_i128()?),
        NumberType::F32 => v.f32(d.read_f32()?),
        NumberType::F64 => v.f64(d.read_f64()?),
    })
}

/// `count` bytes, charged as the tree's vector of them and lent to `v`: straight from
/// the input in memory when it holds them, else a buffer at a time.
fn lend_bytes<R: Read, V: Visit>(
    d: &mut Deserializer<'_, R>,
    v: &mut V,
    count: usize,
) -> Decoded<V::Error> {
    let reserved = reserve_vec::<u8>(d, count).map_err(|e| fail(d, e))?;
    let begun = v.begin_numbers(NumberType::U8, count, reserved.capacity);
    begun.map_err(Stop::Visitor)?;
    match d.take_input(count) {
        Ok(Some(bytes)) => {
            if !bytes.is_empty() {
                v.numbers(Numbers::U8(bytes)).map_err(Stop::Visitor)?;
            }
        }
        Ok(None) => {
            let mut buffer = [0u8; RUN * 16];
            let mut left = count;
            while left > 0 {
                let bytes = &mut buffer[..left.min(RUN * 16)];
                d.read_bytes_to_buf(bytes).map_err(|e| fail(d, e))?;
                v.numbers(Numbers::U8(bytes)).map_err(Stop::Visitor)?;
                left -= bytes.len();
            }
        }
        Err(e) => return Err(fail(d, e)),
    }
    reserved.complete(d);
    v.end_numbers().map_err(Stop::Visitor)
}

/// A number type that [`Numbers`] lends runs of.
trait Lent: Copy + Default {
    fn run(numbers: &[Self]) -> Numbers<'_>;
}

macro_rules! lent {
    ($($ty:ty => $variant:ident),*) => {$(
        impl Lent for $ty {
            #[inline(always)]
            fn run(numbers: &[$ty]) -> Numbers<'_> {
                Numbers::$variant(numbers)
            }
        }
    )*};
}

lent!(i8 => I8, u16 => U16, i16 => I16, u32 => U32, i32 => I32, u64 => U64, i64 => I64,
    u128 => U128, i128 => I128, f32 => F32, f64 => F64);

/// `count` numbers of `N` bytes each, charged as the tree's vector of them, converted
/// by `from` and lent to `v` a run at a time.
fn lend_numbers<R: Read, V: Visit, T: Lent, const N: usize>(
    d: &mut Deserializer<'_, R>,
    v: &mut V,
    (number, count): (NumberType, usize),
    from: fn([u8; N]) -> T,
) -> Decoded<V::Error> {
    let reserved = reserve_vec::<T>(d, count).map_err(|e| fail(d, e))?;
    let begun = v.begin_numbers(number, count, reserved.capacity);
    begun.map_err(Stop::Visitor)?;
    let mut run = [T::default(); RUN];
    let mut lend = |v: &mut V, bytes: &[u8]| {
        // Every chunk has N bytes; the fallback is never taken.
        let numbers = bytes
            .chunks_exact(N)
            .map(|n| from(n.try_into().unwrap_or([0; N])));
        let mut len = 0;
        for (slot, number) in run.iter_mut().zip(numbers) {
            *slot = number;
            len += 1;
        }
        v.numbers(T::run(&run[..len]))
    };
    let total = count.checked_mul(N).ok_or(SavefileError::ShortRead);
    let total = total.map_err(|e| fail(d, e))?;
    match d.take_input(total) {
        Ok(Some(bytes)) => {
            for chunk in bytes.chunks(RUN * N) {
                lend(v, chunk).map_err(Stop::Visitor)?;
            }
        }
        Ok(None) => {
            let mut buffer = [0u8; RUN * 16];
            let mut left = count;
            while left > 0 {
                let bytes = &mut buffer[..left.min(RUN) * N];
                d.read_bytes_to_buf(bytes).map_err(|e| fail(d, e))?;
                lend(v, bytes).map_err(Stop::Visitor)?;
                left -= bytes.len() / N;
            }
        }
        Err(e) => return Err(fail(d, e)),
    }
    reserved.complete(d);
    v.end_numbers().map_err(Stop::Visitor)
}

/// A bit vector as `ecosystem/bits.rs` saves it: the bit count, the byte count (top bit
/// set for little-endian blocks, clear for the older most-significant-bit-first
/// bytes), then the bytes with no count of their own.
#[inline(never)]
fn read_bits<R: Read>(d: &mut Deserializer<'_, R>) -> Result<(u64, Vec<u8>), SavefileError> {
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
    Ok((len, bytes))
}
