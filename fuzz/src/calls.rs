//! A visitor that takes down every call a visited load gives it, as a hash and a count,
//! to compare a visit of a file with the replay of the tree `load_dynamic` builds of it
//! without keeping millions of calls (a few bytes of input can claim millions of
//! zero-sized elements).

use std::convert::Infallible;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use savefile::{NumberType, Numbers, SeqKind, Visit};

/// FNV-1a: a hash of a few instructions a byte, enough to tell call sequences apart
/// (SipHash took most of the time of a fuzz run on inputs of a million elements).
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Told everything, keeps nothing: for a visit whose calls are not compared.
pub struct Nothing;

impl Visit for Nothing {
    type Error = Infallible;
}

/// The calls so far. Numbers are taken one by one, so that how they are split into runs
/// does not count (a load lends them a few hundred at a time, a replay in one run); a
/// string handed over counts as one lent; the string-keys flag of a map without entries
/// is left out (a replay cannot know the schema's key type).
pub struct Calls {
    hash: Fnv,
    /// How many calls were made.
    pub count: u64,
    /// Values begun and not yet ended: after a successful visit, none.
    pub open: Vec<&'static str>,
}

impl Default for Calls {
    fn default() -> Calls {
        Calls {
            hash: Fnv(0xcbf2_9ce4_8422_2325),
            count: 0,
            open: Vec::new(),
        }
    }
}

impl Calls {
    /// What the calls add up to: equal for equal calls.
    pub fn digest(&self) -> (u64, u64) {
        (self.hash.finish(), self.count)
    }

    fn call(&mut self, name: &str, arguments: impl Hash) -> Result<(), Infallible> {
        self.count += 1;
        name.hash(&mut self.hash);
        arguments.hash(&mut self.hash);
        Ok(())
    }

    fn begin(&mut self, kind: &'static str, arguments: impl Hash) -> Result<(), Infallible> {
        self.open.push(kind);
        self.call(kind, arguments)
    }

    fn end(&mut self, kind: &'static str) -> Result<(), Infallible> {
        assert_eq!(self.open.pop(), Some(kind), "an end without its begin");
        self.call("end", kind)
    }

    fn run<T: Hash>(&mut self, run: &[T]) -> Result<(), Infallible> {
        for number in run {
            number.hash(&mut self.hash);
        }
        Ok(())
    }
}

impl Visit for Calls {
    type Error = Infallible;

    fn unit(&mut self) -> Result<(), Infallible> {
        self.call("unit", ())
    }
    fn bool(&mut self, value: bool) -> Result<(), Infallible> {
        self.call("bool", value)
    }
    fn int(&mut self, value: i128) -> Result<(), Infallible> {
        self.call("int", value)
    }
    fn uint(&mut self, value: u128) -> Result<(), Infallible> {
        self.call("uint", value)
    }
    fn f32(&mut self, value: f32) -> Result<(), Infallible> {
        self.call("f32", value.to_bits())
    }
    fn f64(&mut self, value: f64) -> Result<(), Infallible> {
        self.call("f64", value.to_bits())
    }
    fn char(&mut self, value: char) -> Result<(), Infallible> {
        self.call("char", value)
    }
    fn str(&mut self, value: &str) -> Result<(), Infallible> {
        self.call("str", value)
    }
    fn timestamp(&mut self, nanos: i64) -> Result<(), Infallible> {
        self.call("timestamp", nanos)
    }
    fn bits(&mut self, len: u64, bytes: Vec<u8>) -> Result<(), Infallible> {
        self.call("bits", (len, bytes))
    }
    fn canary(&mut self) -> Result<(), Infallible> {
        self.call("canary", ())
    }
    fn none(&mut self) -> Result<(), Infallible> {
        self.call("none", ())
    }
    fn some(&mut self) -> Result<(), Infallible> {
        self.call("some", ())
    }
    fn begin_struct(&mut self, name: &Arc<str>, fields: usize) -> Result<(), Infallible> {
        self.begin("struct", (&**name, fields))
    }
    fn field(&mut self, index: usize, name: &Arc<str>) -> Result<(), Infallible> {
        self.call("field", (index, &**name))
    }
    fn end_struct(&mut self) -> Result<(), Infallible> {
        self.end("struct")
    }
    fn begin_enum(
        &mut self,
        name: &Arc<str>,
        variant: &Arc<str>,
        fields: usize,
    ) -> Result<(), Infallible> {
        self.begin("enum", (&**name, &**variant, fields))
    }
    fn end_enum(&mut self) -> Result<(), Infallible> {
        self.end("enum")
    }
    fn begin_seq(&mut self, kind: SeqKind, len: usize, reserve: usize) -> Result<(), Infallible> {
        assert!(reserve <= len, "reserve {reserve} of {len}");
        self.begin("seq", (kind, len))
    }
    fn element(&mut self, index: usize) -> Result<(), Infallible> {
        self.call("element", index)
    }
    fn end_seq(&mut self) -> Result<(), Infallible> {
        self.end("seq")
    }
    fn begin_map(&mut self, len: usize, reserve: usize, keys: bool) -> Result<(), Infallible> {
        assert!(reserve <= len, "reserve {reserve} of {len}");
        self.begin("map", (len, len > 0 && keys))
    }
    fn entry_key(&mut self, index: usize) -> Result<(), Infallible> {
        self.call("key", index)
    }
    fn entry_value(&mut self) -> Result<(), Infallible> {
        self.call("value", ())
    }
    fn end_map(&mut self) -> Result<(), Infallible> {
        self.end("map")
    }
    fn begin_numbers(
        &mut self,
        number: NumberType,
        len: usize,
        reserve: usize,
    ) -> Result<(), Infallible> {
        assert!(reserve <= len, "reserve {reserve} of {len}");
        self.begin("numbers", (number, len))
    }
    fn numbers(&mut self, run: Numbers<'_>) -> Result<(), Infallible> {
        match run {
            Numbers::U8(v) => self.run(v),
            Numbers::I8(v) => self.run(v),
            Numbers::U16(v) => self.run(v),
            Numbers::I16(v) => self.run(v),
            Numbers::U32(v) => self.run(v),
            Numbers::I32(v) => self.run(v),
            Numbers::U64(v) => self.run(v),
            Numbers::I64(v) => self.run(v),
            Numbers::U128(v) => self.run(v),
            Numbers::I128(v) => self.run(v),
            Numbers::F32(v) => self.run(&v.iter().map(|x| x.to_bits()).collect::<Vec<_>>()),
            Numbers::F64(v) => self.run(&v.iter().map(|x| x.to_bits()).collect::<Vec<_>>()),
            other => panic!("a number type this visitor does not know: {other:?}"),
        }
    }
    fn end_numbers(&mut self) -> Result<(), Infallible> {
        self.end("numbers")
    }
}
