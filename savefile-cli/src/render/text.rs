//! Values as an indented text tree, one line per value and its children on the lines
//! below, written as a visit tells them (from a file being decoded, or from a tree).
//!
//! Structs are their name, enum values `Enum::Variant`, each followed by its fields as
//! `name: value`; sequences `N elements` with `index: value` lines, maps `N entries`
//! with `key: value` lines (a key without a text of its own on a `key:` line and its value
//! on a `value:` line); packed vectors `[1, 2, 3]` on one line; strings and chars as Rust
//! writes them. Sequences longer than the limit end with a line `… N more`.

use std::io::{self, Write};
use std::sync::Arc;

use savefile::{NumberType, Numbers, SeqKind, Visit};

use super::output::Output;
use super::{timestamp, Elision, Style};

/// A text rendering of what it is told, into a writer.
pub struct Text<W: Write> {
    out: Output<W>,
    limit: usize,
    open: Vec<Open>,
    elision: Elision,
    /// The depth of the value told next: its children are indented one level more.
    depth: usize,
    /// The value told next is a map's key, written as `text: ` if it has a text.
    key: bool,
}

/// A value being written.
struct Open {
    depth: usize,
    len: usize,
    /// Numbers written so far, of a vector of them.
    written: usize,
    /// The key of the entry being written is on a `key:` line of its own.
    key_line: bool,
}

impl<W: Write> Text<W> {
    /// A rendering into `out`.
    pub fn new(out: W, style: Style) -> Text<W> {
        Text {
            out: Output::new(out),
            limit: style.limit,
            open: Vec::new(),
            elision: Elision::default(),
            depth: 0,
            key: false,
        }
    }

    /// Ends the tree with a newline and writes out the rest.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.byte(b'\n');
        self.out.finish()
    }

    fn begin(&mut self, len: usize) {
        self.open.push(Open {
            depth: self.depth,
            len,
            written: 0,
            key_line: false,
        });
    }

    /// A new line, indented for the children of a value at `depth`.
    fn line(&mut self, depth: usize) {
        self.out.byte(b'\n');
        self.out.spaces(2 * (depth + 1));
    }

    /// Whether a scalar is written: false inside an elided element.
    fn shows_scalar(&mut self) -> bool {
        self.elision.shows_value() && {
            self.keyless();
            true
        }
    }

    /// Whether a value with parts begins to be written (see [`Self::shows_scalar`]).
    fn shows_begin(&mut self) -> bool {
        self.elision.shows_begin() && {
            self.keyless();
            true
        }
    }

    /// The value told is a key without a text of its own: on a `key:` line, its children
    /// below as deep as those of the entry's value.
    fn keyless(&mut self) {
        if !std::mem::take(&mut self.key) {
            return;
        }
        self.out.bytes(b"key: ");
        if let Some(open) = self.open.last_mut() {
            open.key_line = true;
            self.depth = open.depth + 2;
        }
    }

    /// Whether a key with a text of its own is told: written as `text: `.
    fn takes_key(&mut self) -> bool {
        std::mem::take(&mut self.key)
    }

    /// `… N more` on a line of its own, if elements of `open` were elided.
    fn more(&mut self, open: &Open) {
        if open.len > self.limit {
            self.line(open.depth);
            self.out.bytes("… ".as_bytes());
            self.out.u64((open.len - self.limit) as u64);
            self.out.bytes(b" more");
        }
    }

    /// The numbers of `run` that are within the limit, after `, `.
    fn run<T: Copy>(&mut self, run: &[T], write: impl Fn(&mut Output<W>, T)) {
        let Some(open) = self.open.last_mut() else {
            return;
        };
        let shown = self.limit.saturating_sub(open.written).min(run.len());
        let first = open.written;
        open.written += shown;
        for (index, &number) in run[..shown].iter().enumerate() {
            if first + index > 0 {
                self.out.bytes(b", ");
            }
            write(&mut self.out, number);
        }
    }
}

impl<W: Write> Visit for Text<W> {
    type Error = io::Error;

    fn unit(&mut self) -> io::Result<()> {
        if self.shows_scalar() {
            self.out.bytes(b"()");
        }
        Ok(())
    }

    fn bool(&mut self, value: bool) -> io::Result<()> {
        if self.elision.shows_value() {
            let key = self.takes_key();
            self.out.bytes(if value { b"true" } else { b"false" });
            if key {
                self.out.bytes(b": ");
            }
        }
        Ok(())
    }

    fn int(&mut self, value: i128) -> io::Result<()> {
        if self.elision.shows_value() {
            let key = self.takes_key();
            self.out.i128(value);
            if key {
                self.out.bytes(b": ");
            }
        }
        Ok(())
    }

    fn uint(&mut self, value: u128) -> io::Result<()> {
        if self.elision.shows_value() {
            let key = self.takes_key();
            self.out.u128(value);
            if key {
                self.out.bytes(b": ");
            }
        }
        Ok(())
    }

    fn f32(&mut self, value: f32) -> io::Result<()> {
        if self.shows_scalar() {
            self.out.format(format_args!("{value:?}"));
        }
        Ok(())
    }

    fn f64(&mut self, value: f64) -> io::Result<()> {
        if self.shows_scalar() {
            self.out.format(format_args!("{value:?}"));
        }
        Ok(())
    }

    fn char(&mut self, value: char) -> io::Result<()> {
        if self.elision.shows_value() {
            match self.takes_key() {
                true => self.out.format(format_args!("{value}: ")),
                false => self.out.format(format_args!("{value:?}")),
            }
        }
        Ok(())
    }

    fn str(&mut self, value: &str) -> io::Result<()> {
        if self.elision.shows_value() {
            let key = self.takes_key();
            self.out.format(format_args!("{value:?}"));
            if key {
                self.out.bytes(b": ");
            }
        }
        Ok(())
    }

    fn timestamp(&mut self, nanos: i64) -> io::Result<()> {
        if self.shows_scalar() {
            self.out.bytes(timestamp(nanos).as_bytes());
        }
        Ok(())
    }

    fn bits(&mut self, len: u64, bytes: Vec<u8>) -> io::Result<()> {
        if self.shows_scalar() {
            self.out.u64(len);
            self.out.bytes(b" bits ");
            let shown = len.min(self.limit.saturating_mul(8) as u64);
            for i in 0..shown {
                let set = bytes
                    .get((i / 8) as usize)
                    .is_some_and(|b| b >> (i % 8) & 1 == 1);
                self.out.byte(if set { b'1' } else { b'0' });
            }
            if shown < len {
                self.out.bytes("… (".as_bytes());
                self.out.u64(len - shown);
                self.out.bytes(b" more)");
            }
        }
        Ok(())
    }

    fn canary(&mut self) -> io::Result<()> {
        if self.shows_scalar() {
            self.out.bytes(b"Canary1");
        }
        Ok(())
    }

    fn none(&mut self) -> io::Result<()> {
        if self.shows_scalar() {
            self.out.bytes(b"None");
        }
        Ok(())
    }

    fn some(&mut self) -> io::Result<()> {
        if self.shows_scalar() {
            self.out.bytes(b"Some ");
        }
        Ok(())
    }

    fn begin_struct(&mut self, name: &Arc<str>, _: usize) -> io::Result<()> {
        if self.shows_begin() {
            self.out.bytes(name.as_bytes());
            self.begin(0);
        }
        Ok(())
    }

    fn field(&mut self, _: usize, name: &Arc<str>) -> io::Result<()> {
        if self.elision.shows_value() {
            let depth = self.open.last().map_or(0, |open| open.depth);
            self.line(depth);
            self.out.bytes(name.as_bytes());
            self.out.bytes(b": ");
            self.depth = depth + 1;
            self.out.drain_if_full()?;
        }
        Ok(())
    }

    fn end_struct(&mut self) -> io::Result<()> {
        if self.elision.shows_end() {
            self.open.pop();
        }
        Ok(())
    }

    fn begin_enum(&mut self, name: &Arc<str>, variant: &Arc<str>, _: usize) -> io::Result<()> {
        if self.shows_begin() {
            self.out.bytes(name.as_bytes());
            self.out.bytes(b"::");
            self.out.bytes(variant.as_bytes());
            self.begin(0);
        }
        Ok(())
    }

    fn end_enum(&mut self) -> io::Result<()> {
        self.end_struct()
    }

    fn begin_seq(&mut self, _: SeqKind, len: usize, _: usize) -> io::Result<()> {
        if self.shows_begin() {
            self.out.u64(len as u64);
            self.out.bytes(b" elements");
            self.begin(len);
        }
        Ok(())
    }

    fn element(&mut self, index: usize) -> io::Result<()> {
        if self.elision.shows_value() {
            if index >= self.limit {
                self.elision.start();
                return Ok(());
            }
            let depth = self.open.last().map_or(0, |open| open.depth);
            self.line(depth);
            self.out.u64(index as u64);
            self.out.bytes(b": ");
            self.depth = depth + 1;
            self.out.drain_if_full()?;
        }
        Ok(())
    }

    fn end_seq(&mut self) -> io::Result<()> {
        if self.elision.shows_end() {
            if let Some(open) = self.open.pop() {
                self.more(&open);
            }
        }
        Ok(())
    }

    fn begin_map(&mut self, len: usize, _: usize, _: bool) -> io::Result<()> {
        if self.shows_begin() {
            self.out.u64(len as u64);
            self.out.bytes(b" entries");
            self.begin(len);
        }
        Ok(())
    }

    fn entry_key(&mut self, index: usize) -> io::Result<()> {
        if self.elision.shows_value() {
            if index >= self.limit {
                self.elision.start();
                return Ok(());
            }
            let depth = self.open.last().map_or(0, |open| open.depth);
            self.line(depth);
            self.key = true;
            self.out.drain_if_full()?;
        }
        Ok(())
    }

    fn entry_value(&mut self) -> io::Result<()> {
        if self.elision.shows_value() {
            let Some(open) = self.open.last_mut() else {
                return Ok(());
            };
            let (depth, key_line) = (open.depth, std::mem::take(&mut open.key_line));
            if key_line {
                self.line(depth);
                self.out.bytes(b"value: ");
            }
            self.depth = depth + 1;
        }
        Ok(())
    }

    fn end_map(&mut self) -> io::Result<()> {
        self.end_seq()
    }

    fn begin_numbers(&mut self, _: NumberType, len: usize, _: usize) -> io::Result<()> {
        if self.shows_begin() {
            self.out.byte(b'[');
            self.begin(len);
        }
        Ok(())
    }

    fn numbers(&mut self, run: Numbers<'_>) -> io::Result<()> {
        if !self.elision.shows_value() {
            return Ok(());
        }
        match run {
            Numbers::U8(v) => self.run(v, |out, n| out.u64(n.into())),
            Numbers::I8(v) => self.run(v, |out, n| out.i64(n.into())),
            Numbers::U16(v) => self.run(v, |out, n| out.u64(n.into())),
            Numbers::I16(v) => self.run(v, |out, n| out.i64(n.into())),
            Numbers::U32(v) => self.run(v, |out, n| out.u64(n.into())),
            Numbers::I32(v) => self.run(v, |out, n| out.i64(n.into())),
            Numbers::U64(v) => self.run(v, |out, n| out.u64(n)),
            Numbers::I64(v) => self.run(v, |out, n| out.i64(n)),
            Numbers::U128(v) => self.run(v, |out, n| out.u128(n)),
            Numbers::I128(v) => self.run(v, |out, n| out.i128(n)),
            Numbers::F32(v) => self.run(v, |out, x| out.format(format_args!("{x:?}"))),
            Numbers::F64(v) => self.run(v, |out, x| out.format(format_args!("{x:?}"))),
            // A number type added to savefile later: its numbers are not written.
            _ => {}
        }
        self.out.drain_if_full()
    }

    fn end_numbers(&mut self) -> io::Result<()> {
        if self.elision.shows_end() {
            let len = self.open.pop().map_or(0, |open| open.len);
            if len > self.limit {
                self.out.bytes(", … ".as_bytes());
                self.out.u64((len - self.limit) as u64);
                self.out.bytes(b" more");
            }
            self.out.byte(b']');
        }
        Ok(())
    }
}
