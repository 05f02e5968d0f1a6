//! Values as JSON, written as a visit tells them: from a file being decoded
//! (`savefile::visit_dynamic_from_mem`) or from a tree (`Value::visit`).
//!
//! Structs are objects, sequences and packed vectors arrays, enums `"Variant"` or
//! `{"Variant": {fields}}`, options `null` or the value, maps whose keys are strings
//! objects (others arrays of `[key, value]`), timestamps RFC 3339 text, bit vectors
//! strings of `0` and `1`, and floats that JSON cannot hold (NaN, infinities) the strings
//! `"NaN"`, `"inf"`, `"-inf"`. Sequences longer than the limit end with a string
//! `"… N more"`, maps written as objects with a member `"…": N`.

use std::io::{self, Write};
use std::sync::Arc;

use savefile::{NumberType, Numbers, SeqKind, Visit};

use super::output::Output;
use super::{timestamp, Elision, Style};

/// A JSON rendering of what it is told, into a writer.
pub struct Json<W: Write> {
    out: Output<W>,
    limit: usize,
    open: Vec<Open>,
    elision: Elision,
}

/// A value being written.
struct Open {
    kind: Kind,
    len: usize,
    /// Numbers written so far, of a vector of them.
    written: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Struct,
    /// An enum value of a variant with fields: `{"Variant":{fields}}`.
    Variant,
    /// One of a variant without fields: `"Variant"`, already written.
    UnitVariant,
    Seq,
    /// A map with string keys (or none): an object.
    MapObject,
    /// Another map: an array of `[key, value]` arrays.
    MapArray,
    Numbers,
}

impl<W: Write> Json<W> {
    /// A rendering into `out`.
    pub fn new(out: W, style: Style) -> Json<W> {
        Json {
            out: Output::new(out),
            limit: style.limit,
            open: Vec::new(),
            elision: Elision::default(),
        }
    }

    /// Ends the JSON text with a newline and writes out the rest.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.byte(b'\n');
        self.out.finish()
    }

    fn begin(&mut self, kind: Kind, len: usize) {
        self.open.push(Open {
            kind,
            len,
            written: 0,
        });
    }

    /// The innermost open value, ended.
    fn end(&mut self) -> Option<Open> {
        self.open.pop()
    }

    fn kind(&self) -> Option<Kind> {
        self.open.last().map(|open| open.kind)
    }

    /// `"… N more"` after the elements written of `len`, if any were elided.
    fn more(&mut self, len: usize, any_written: bool) {
        if len > self.limit {
            if any_written {
                self.out.byte(b',');
            }
            self.out.bytes("\"… ".as_bytes());
            self.out.u64((len - self.limit) as u64);
            self.out.bytes(b" more\"");
        }
    }

    fn float(&mut self, x: f64, debug: impl FnOnce(&mut Output<W>)) {
        if x.is_nan() {
            self.out.bytes(b"\"NaN\"");
        } else if x.is_infinite() {
            self.out
                .bytes(if x > 0.0 { b"\"inf\"" } else { b"\"-inf\"" });
        } else {
            // Debug, not Display: exponents keep extreme values short and JSON-readable.
            debug(&mut self.out);
        }
    }

    fn f32(&mut self, x: f32) {
        self.float(f64::from(x), |out| out.format(format_args!("{x:?}")));
    }

    fn f64(&mut self, x: f64) {
        self.float(x, |out| out.format(format_args!("{x:?}")));
    }

    /// The numbers of `run` that are within the limit.
    fn run<T: Copy>(&mut self, run: &[T], write: impl Fn(&mut Self, T)) {
        let Some(open) = self.open.last_mut() else {
            return;
        };
        let shown = self.limit.saturating_sub(open.written).min(run.len());
        let first = open.written;
        open.written += shown;
        for (index, &number) in run[..shown].iter().enumerate() {
            if first + index > 0 {
                self.out.byte(b',');
            }
            write(self, number);
        }
    }
}

/// Whether JSON must escape a byte of `bytes`: a control character, `"` or `\\`.
///
/// Eight bytes at a time, with the word test for "a byte below `n`" (`n` at most 128):
/// `(x - n…n) & !x & 0x80…80` is not zero exactly when some byte of `x` is below `n`
/// (which byte it marks may be wrong, whether there is one is not); a byte equal to `c`
/// is a byte of `x ^ c…c` below 1.
#[inline]
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * n as u64) & !x & HIGH != 0;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        // Every chunk has 8 bytes; the fallback is never taken.
        let x = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
        let quote = x ^ (ONES * b'"' as u64);
        let backslash = x ^ (ONES * b'\\' as u64);
        if below(x, 0x20) || below(quote, 1) || below(backslash, 1) {
            return true;
        }
    }
    let tail = words.remainder();
    tail.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// Writes `text` as a JSON string.
pub(super) fn json_str<W: Write>(out: &mut Output<W>, text: &str) {
    // Most text needs no escape: written as it is, between quotes.
    if !needs_escape(text.as_bytes()) {
        out.byte(b'"');
        out.bytes(text.as_bytes());
        out.byte(b'"');
        return;
    }
    let mut escaped = Vec::with_capacity(text.len() + 8);
    // Writing to a vector cannot fail.
    let _ = serde_json::to_writer(&mut escaped, text);
    out.bytes(&escaped);
}

impl<W: Write> Visit for Json<W> {
    type Error = io::Error;

    fn unit(&mut self) -> io::Result<()> {
        if self.elision.shows_value() {
            self.out.bytes(b"null");
        }
        Ok(())
    }

    fn bool(&mut self, value: bool) -> io::Result<()> {
        if self.elision.shows_value() {
            self.out.bytes(if value { b"true" } else { b"false" });
        }
        Ok(())
    }

    fn int(&mut self, value: i128) -> io::Result<()> {
        if self.elision.shows_value() {
            self.out.i128(value);
        }
        Ok(())
    }

    fn uint(&mut self, value: u128) -> io::Result<()> {
        if self.elision.shows_value() {
            self.out.u128(value);
        }
        Ok(())
    }

    fn f32(&mut self, value: f32) -> io::Result<()> {
        if self.elision.shows_value() {
            Json::f32(self, value);
        }
        Ok(())
    }

    fn f64(&mut self, value: f64) -> io::Result<()> {
        if self.elision.shows_value() {
            Json::f64(self, value);
        }
        Ok(())
    }

    fn char(&mut self, value: char) -> io::Result<()> {
        if self.elision.shows_value() {
            json_str(&mut self.out, value.encode_utf8(&mut [0; 4]));
        }
        Ok(())
    }

    fn str(&mut self, value: &str) -> io::Result<()> {
        if self.elision.shows_value() {
            json_str(&mut self.out, value);
        }
        Ok(())
    }

    fn timestamp(&mut self, nanos: i64) -> io::Result<()> {
        if self.elision.shows_value() {
            json_str(&mut self.out, &timestamp(nanos));
        }
        Ok(())
    }

    fn bits(&mut self, len: u64, bytes: Vec<u8>) -> io::Result<()> {
        if self.elision.shows_value() {
            self.out.byte(b'"');
            for i in 0..len {
                let set = bytes
                    .get((i / 8) as usize)
                    .is_some_and(|b| b >> (i % 8) & 1 == 1);
                self.out.byte(if set { b'1' } else { b'0' });
            }
            self.out.byte(b'"');
        }
        Ok(())
    }

    fn canary(&mut self) -> io::Result<()> {
        if self.elision.shows_value() {
            self.out.bytes(b"\"Canary1\"");
        }
        Ok(())
    }

    fn none(&mut self) -> io::Result<()> {
        self.unit()
    }

    fn begin_struct(&mut self, _: &Arc<str>, _: usize) -> io::Result<()> {
        if self.elision.shows_begin() {
            self.out.byte(b'{');
            self.begin(Kind::Struct, 0);
        }
        Ok(())
    }

    fn field(&mut self, index: usize, name: &Arc<str>) -> io::Result<()> {
        if self.elision.shows_value() {
            if index > 0 {
                self.out.byte(b',');
            }
            json_str(&mut self.out, name);
            self.out.byte(b':');
        }
        Ok(())
    }

    fn end_struct(&mut self) -> io::Result<()> {
        if self.elision.shows_end() {
            self.end();
            self.out.byte(b'}');
            self.out.drain_if_full()?;
        }
        Ok(())
    }

    fn begin_enum(&mut self, _: &Arc<str>, variant: &Arc<str>, fields: usize) -> io::Result<()> {
        if self.elision.shows_begin() {
            if fields == 0 {
                json_str(&mut self.out, variant);
                self.begin(Kind::UnitVariant, 0);
            } else {
                self.out.byte(b'{');
                json_str(&mut self.out, variant);
                self.out.bytes(b":{");
                self.begin(Kind::Variant, 0);
            }
        }
        Ok(())
    }

    fn end_enum(&mut self) -> io::Result<()> {
        if self.elision.shows_end() {
            if let Some(Open {
                kind: Kind::Variant,
                ..
            }) = self.end()
            {
                self.out.bytes(b"}}");
            }
        }
        Ok(())
    }

    fn begin_seq(&mut self, _: SeqKind, len: usize, _: usize) -> io::Result<()> {
        if self.elision.shows_begin() {
            self.out.byte(b'[');
            self.begin(Kind::Seq, len);
        }
        Ok(())
    }

    fn element(&mut self, index: usize) -> io::Result<()> {
        if self.elision.shows_value() {
            if index >= self.limit {
                self.elision.start();
                return Ok(());
            }
            if index > 0 {
                self.out.byte(b',');
            }
            self.out.drain_if_full()?;
        }
        Ok(())
    }

    fn end_seq(&mut self) -> io::Result<()> {
        if self.elision.shows_end() {
            let len = self.end().map_or(0, |open| open.len);
            self.more(len, len > 0 && self.limit > 0);
            self.out.byte(b']');
        }
        Ok(())
    }

    fn begin_map(&mut self, len: usize, _: usize, string_keys: bool) -> io::Result<()> {
        if self.elision.shows_begin() {
            if string_keys || len == 0 {
                self.out.byte(b'{');
                self.begin(Kind::MapObject, len);
            } else {
                self.out.byte(b'[');
                self.begin(Kind::MapArray, len);
            }
        }
        Ok(())
    }

    fn entry_key(&mut self, index: usize) -> io::Result<()> {
        if self.elision.shows_value() {
            if index >= self.limit {
                self.elision.start();
                return Ok(());
            }
            match (self.kind(), index) {
                (Some(Kind::MapArray), 0) => self.out.byte(b'['),
                (Some(Kind::MapArray), _) => self.out.bytes(b"],["),
                (_, 0) => {}
                _ => self.out.byte(b','),
            }
            self.out.drain_if_full()?;
        }
        Ok(())
    }

    fn entry_value(&mut self) -> io::Result<()> {
        if self.elision.shows_value() {
            match self.kind() {
                Some(Kind::MapArray) => self.out.byte(b','),
                _ => self.out.byte(b':'),
            }
        }
        Ok(())
    }

    fn end_map(&mut self) -> io::Result<()> {
        if self.elision.shows_end() {
            let Some(open) = self.end() else {
                return Ok(());
            };
            if open.kind == Kind::MapArray {
                if open.len.min(self.limit) > 0 {
                    // The last entry written.
                    self.out.byte(b']');
                }
                self.more(open.len, self.limit > 0);
                self.out.byte(b']');
                return Ok(());
            }
            if open.len > self.limit {
                if self.limit > 0 {
                    self.out.byte(b',');
                }
                self.out.bytes("\"…\":".as_bytes());
                self.out.u64((open.len - self.limit) as u64);
            }
            self.out.byte(b'}');
        }
        Ok(())
    }

    fn begin_numbers(&mut self, _: NumberType, len: usize, _: usize) -> io::Result<()> {
        if self.elision.shows_begin() {
            self.out.byte(b'[');
            self.begin(Kind::Numbers, len);
        }
        Ok(())
    }

    fn numbers(&mut self, run: Numbers<'_>) -> io::Result<()> {
        if !self.elision.shows_value() {
            return Ok(());
        }
        match run {
            Numbers::U8(v) => self.run(v, |json, n| json.out.u64(n.into())),
            Numbers::I8(v) => self.run(v, |json, n| json.out.i64(n.into())),
            Numbers::U16(v) => self.run(v, |json, n| json.out.u64(n.into())),
            Numbers::I16(v) => self.run(v, |json, n| json.out.i64(n.into())),
            Numbers::U32(v) => self.run(v, |json, n| json.out.u64(n.into())),
            Numbers::I32(v) => self.run(v, |json, n| json.out.i64(n.into())),
            Numbers::U64(v) => self.run(v, |json, n| json.out.u64(n)),
            Numbers::I64(v) => self.run(v, |json, n| json.out.i64(n)),
            Numbers::U128(v) => self.run(v, |json, n| json.out.u128(n)),
            Numbers::I128(v) => self.run(v, |json, n| json.out.i128(n)),
            Numbers::F32(v) => self.run(v, Json::f32),
            Numbers::F64(v) => self.run(v, Json::f64),
            // A number type added to savefile later: its numbers are not written.
            _ => {}
        }
        self.out.drain_if_full()
    }

    fn end_numbers(&mut self) -> io::Result<()> {
        if self.elision.shows_end() {
            let len = self.end().map_or(0, |open| open.len);
            self.more(len, len > 0 && self.limit > 0);
            self.out.byte(b']');
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_found_at_every_position() {
        let naive = |bytes: &[u8]| bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
        for len in 0..20 {
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = byte;
                    assert_eq!(needs_escape(&bytes), naive(&bytes), "{len} {at} {byte}");
                    // Beside bytes with their high bits set (UTF-8 beyond ASCII).
                    let mut high = vec![0xc3; len];
                    high[at] = byte;
                    assert_eq!(needs_escape(&high), naive(&high), "{len} {at} {byte}");
                }
            }
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for text in [
            "plain",
            "",
            "é ✓ \u{7f}",
            "a\"b",
            "back\\slash",
            "\n\t\u{1}",
            "\u{1f}x",
        ] {
            let mut out = Output::new(Vec::new());
            json_str(&mut out, text);
            let written = out.finish().unwrap();
            assert_eq!(written, serde_json::to_vec(text).unwrap(), "{text:?}");
        }
    }
}
