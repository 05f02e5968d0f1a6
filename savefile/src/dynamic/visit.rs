//! Decoding a file's data into callbacks instead of a tree: the [`Visit`] trait, and
//! the types its callbacks are given.
//!
//! A visited load ([`crate::visit_dynamic_from_mem`] and its siblings) walks the same
//! plan of the file's schema with the same checks as [`crate::load_dynamic`], which is
//! itself a visit by the visitor that builds the [`Value`](crate::Value) tree. A
//! visitor that writes what it is told (a JSON dump, a search) needs no tree: strings
//! are lent as `&str` from the input, vectors of numbers as slices, names as the
//! schema's own.

use std::sync::Arc;

use crate::SchemaPrimitive;

/// A number type whose vectors and arrays are decoded in bulk (see [`Numbers`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NumberType {
    /// u8.
    U8,
    /// i8.
    I8,
    /// u16.
    U16,
    /// i16.
    I16,
    /// u32.
    U32,
    /// i32.
    I32,
    /// u64 (and usize).
    U64,
    /// i64 (and isize).
    I64,
    /// u128.
    U128,
    /// i128.
    I128,
    /// f32.
    F32,
    /// f64.
    F64,
}

impl NumberType {
    pub(super) fn of(primitive: SchemaPrimitive) -> Option<NumberType> {
        Some(match primitive {
            SchemaPrimitive::schema_u8 => NumberType::U8,
            SchemaPrimitive::schema_i8 => NumberType::I8,
            SchemaPrimitive::schema_u16 => NumberType::U16,
            SchemaPrimitive::schema_i16 => NumberType::I16,
            SchemaPrimitive::schema_u32 => NumberType::U32,
            SchemaPrimitive::schema_i32 => NumberType::I32,
            SchemaPrimitive::schema_u64 => NumberType::U64,
            SchemaPrimitive::schema_i64 => NumberType::I64,
            SchemaPrimitive::schema_u128 => NumberType::U128,
            SchemaPrimitive::schema_i128 => NumberType::I128,
            SchemaPrimitive::schema_f32 => NumberType::F32,
            SchemaPrimitive::schema_f64 => NumberType::F64,
            _ => return None,
        })
    }

    /// The bytes one of them takes in a file.
    pub fn size(self) -> usize {
        match self {
            NumberType::U8 | NumberType::I8 => 1,
            NumberType::U16 | NumberType::I16 => 2,
            NumberType::U32 | NumberType::I32 | NumberType::F32 => 4,
            NumberType::U64 | NumberType::I64 | NumberType::F64 => 8,
            NumberType::U128 | NumberType::I128 => 16,
        }
    }
}

/// A run of consecutive elements of a vector or array of numbers, as
/// [`Visit::numbers`] is given them.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Numbers<'a> {
    /// Elements of a vector or array of u8.
    U8(&'a [u8]),
    /// Of i8.
    I8(&'a [i8]),
    /// Of u16.
    U16(&'a [u16]),
    /// Of i16.
    I16(&'a [i16]),
    /// Of u32.
    U32(&'a [u32]),
    /// Of i32.
    I32(&'a [i32]),
    /// Of u64 (or usize).
    U64(&'a [u64]),
    /// Of i64 (or isize).
    I64(&'a [i64]),
    /// Of u128.
    U128(&'a [u128]),
    /// Of i128.
    I128(&'a [i128]),
    /// Of f32.
    F32(&'a [f32]),
    /// Of f64.
    F64(&'a [f64]),
}

impl Numbers<'_> {
    /// How many numbers the run holds.
    pub fn len(&self) -> usize {
        match self {
            Numbers::U8(v) => v.len(),
            Numbers::I8(v) => v.len(),
            Numbers::U16(v) => v.len(),
            Numbers::I16(v) => v.len(),
            Numbers::U32(v) => v.len(),
            Numbers::I32(v) => v.len(),
            Numbers::U64(v) => v.len(),
            Numbers::I64(v) => v.len(),
            Numbers::U128(v) => v.len(),
            Numbers::I128(v) => v.len(),
            Numbers::F32(v) => v.len(),
            Numbers::F64(v) => v.len(),
        }
    }

    /// Whether the run is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The type of the numbers.
    pub fn number(&self) -> NumberType {
        match self {
            Numbers::U8(_) => NumberType::U8,
            Numbers::I8(_) => NumberType::I8,
            Numbers::U16(_) => NumberType::U16,
            Numbers::I16(_) => NumberType::I16,
            Numbers::U32(_) => NumberType::U32,
            Numbers::I32(_) => NumberType::I32,
            Numbers::U64(_) => NumberType::U64,
            Numbers::I64(_) => NumberType::I64,
            Numbers::U128(_) => NumberType::U128,
            Numbers::I128(_) => NumberType::I128,
            Numbers::F32(_) => NumberType::F32,
            Numbers::F64(_) => NumberType::F64,
        }
    }
}

/// Which kind of sequence [`Visit::begin_seq`] opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SeqKind {
    /// A vector, set or other collection saved with its length
    /// ([`Value::Seq`](crate::Value::Seq)).
    Vector,
    /// A fixed-size array, whose length is the schema's
    /// ([`Value::Array`](crate::Value::Array)).
    Array,
}

/// What a visited load tells as it decodes a file's data.
///
/// Every value is told by one of:
///
/// - one scalar call: [`unit`](Self::unit), [`bool`](Self::bool), [`int`](Self::int),
///   [`uint`](Self::uint), [`f32`](Self::f32), [`f64`](Self::f64), [`char`](Self::char),
///   [`str`](Self::str) (or [`string`](Self::string)), [`timestamp`](Self::timestamp),
///   [`bits`](Self::bits), [`canary`](Self::canary), [`none`](Self::none);
/// - [`some`](Self::some), then the value inside the option;
/// - a struct: [`begin_struct`](Self::begin_struct) with its field count, then for each
///   field [`field`](Self::field) and its value, then [`end_struct`](Self::end_struct);
///   an enum value likewise, from [`begin_enum`](Self::begin_enum) (with the variant and
///   the count of its fields) to [`end_enum`](Self::end_enum);
/// - a sequence: [`begin_seq`](Self::begin_seq) with its length, for each element
///   [`element`](Self::element) and its value, [`end_seq`](Self::end_seq);
/// - a map: [`begin_map`](Self::begin_map), for each entry
///   [`entry_key`](Self::entry_key), the key, [`entry_value`](Self::entry_value), the
///   value; [`end_map`](Self::end_map);
/// - a vector or array of numbers: [`begin_numbers`](Self::begin_numbers), runs of them
///   through [`numbers`](Self::numbers) (as many as its length adds up to, none when it
///   is empty), [`end_numbers`](Self::end_numbers).
///
/// When the data turns out to be invalid, the calls stop where the error was found
/// (a visitor may have seen a `begin_` without its `end_`) and the load returns the
/// error. A callback that returns `Err` stops the load with that error
/// ([`VisitError::Visitor`](crate::VisitError::Visitor)).
///
/// Every method does nothing by default, so a visitor implements those it needs.
/// Names are the schema's (`Arc<str>`, shared by every value of the type).
pub trait Visit {
    /// What a callback may stop the load with.
    type Error;

    /// A value that takes no bytes: `()`, `PhantomData`.
    fn unit(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }

    /// A bool.
    fn bool(&mut self, value: bool) -> Result<(), Self::Error> {
        let _ = value;
        Ok(())
    }

    /// A signed integer of any width.
    fn int(&mut self, value: i128) -> Result<(), Self::Error> {
        let _ = value;
        Ok(())
    }

    /// An unsigned integer of any width.
    fn uint(&mut self, value: u128) -> Result<(), Self::Error> {
        let _ = value;
        Ok(())
    }

    /// An f32.
    fn f32(&mut self, value: f32) -> Result<(), Self::Error> {
        let _ = value;
        Ok(())
    }

    /// An f64.
    fn f64(&mut self, value: f64) -> Result<(), Self::Error> {
        let _ = value;
        Ok(())
    }

    /// A char.
    fn char(&mut self, value: char) -> Result<(), Self::Error> {
        let _ = value;
        Ok(())
    }

    /// A string, checked to be UTF-8 and lent from the input.
    fn str(&mut self, value: &str) -> Result<(), Self::Error> {
        let _ = value;
        Ok(())
    }

    /// A string that had to be read into a `String` of its own (one too long for a
    /// stream's buffer), handed over; by default lent to [`Self::str`].
    fn string(&mut self, value: String) -> Result<(), Self::Error> {
        self.str(&value)
    }

    /// A point in time: nanoseconds since 1970 UTC.
    fn timestamp(&mut self, nanos: i64) -> Result<(), Self::Error> {
        let _ = nanos;
        Ok(())
    }

    /// A bit vector or bit set of `len` bits, bit `i` being bit `i % 8` of
    /// `bytes[i / 8]` (see [`Value::Bits`](crate::Value::Bits)).
    fn bits(&mut self, len: u64, bytes: Vec<u8>) -> Result<(), Self::Error> {
        let _ = (len, bytes);
        Ok(())
    }

    /// A [`crate::Canary1`] that read back its magic number.
    fn canary(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }

    /// An `Option` that is `None`.
    fn none(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }

    /// An `Option` that is `Some`: its value is told next.
    fn some(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }

    /// A struct (or tuple) named `name` of `fields` fields begins.
    fn begin_struct(&mut self, name: &Arc<str>, fields: usize) -> Result<(), Self::Error> {
        let _ = (name, fields);
        Ok(())
    }

    /// Field number `index`, named `name`, of the struct or enum variant being told:
    /// its value is told next.
    fn field(&mut self, index: usize, name: &Arc<str>) -> Result<(), Self::Error> {
        let _ = (index, name);
        Ok(())
    }

    /// The struct told last by [`Self::begin_struct`] is complete.
    fn end_struct(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }

    /// A value of the enum `name` begins: its variant `variant`, of `fields` fields.
    fn begin_enum(
        &mut self,
        name: &Arc<str>,
        variant: &Arc<str>,
        fields: usize,
    ) -> Result<(), Self::Error> {
        let _ = (name, variant, fields);
        Ok(())
    }

    /// The enum value told last by [`Self::begin_enum`] is complete.
    fn end_enum(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }

    /// A sequence of `len` elements begins (a length already checked against the input
    /// that remains).
    ///
    /// A visitor that collects the elements should reserve room for `reserve` of them
    /// up front (`len`, or fewer when the load's allowance for memory reserved ahead of
    /// data does not cover `len` [`Value`](crate::Value)s) and grow as they arrive: a
    /// stream of unknown length may claim far more elements than it holds.
    fn begin_seq(&mut self, kind: SeqKind, len: usize, reserve: usize) -> Result<(), Self::Error> {
        let _ = (kind, len, reserve);
        Ok(())
    }

    /// Element number `index` of the sequence being told: its value is told next.
    fn element(&mut self, index: usize) -> Result<(), Self::Error> {
        let _ = index;
        Ok(())
    }

    /// The sequence told last by [`Self::begin_seq`] is complete.
    fn end_seq(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }

    /// A map of `len` entries begins; `reserve` is as for [`Self::begin_seq`].
    /// `string_keys` says that the schema's key type is a string, so that every key is
    /// told by [`Self::str`].
    fn begin_map(
        &mut self,
        len: usize,
        reserve: usize,
        string_keys: bool,
    ) -> Result<(), Self::Error> {
        let _ = (len, reserve, string_keys);
        Ok(())
    }

    /// Entry number `index` of the map being told: its key is told next.
    fn entry_key(&mut self, index: usize) -> Result<(), Self::Error> {
        let _ = index;
        Ok(())
    }

    /// The key of the entry is complete: its value is told next.
    fn entry_value(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }

    /// The map told last by [`Self::begin_map`] is complete.
    fn end_map(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }

    /// A vector or array of `len` numbers of type `number` begins; `reserve` is as for
    /// [`Self::begin_seq`], counted in numbers.
    fn begin_numbers(
        &mut self,
        number: NumberType,
        len: usize,
        reserve: usize,
    ) -> Result<(), Self::Error> {
        let _ = (number, len, reserve);
        Ok(())
    }

    /// The next run of numbers of the vector or array being told.
    fn numbers(&mut self, run: Numbers<'_>) -> Result<(), Self::Error> {
        let _ = run;
        Ok(())
    }

    /// The vector or array told last by [`Self::begin_numbers`] is complete.
    fn end_numbers(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}
