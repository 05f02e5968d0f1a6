//! Borrowed types and their owned twins, shared by the borrowed-load tests: each
//! borrowed type has a twin of the same name in [`owned`], with `String` for `&str`
//! and `Cow<str>`, `Vec<T>` for `&[T]` and `Cow<[T]>`, and [`Twin::owned`] converts a
//! borrowed value into its twin, so that loads of either can be compared.
//!
//! Included (`#[path]`) by the `borrowed*.rs` tests and by `compat.rs`; not every
//! test file uses every item.

#![allow(dead_code)]

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::Hash;

use savefile::prelude::*;
use savefile::{load_from_mem_borrowed, load_from_mem_noschema_borrowed};

/// The data version the tests save with.
pub(crate) const VERSION: u32 = 1;

/// Bytes of the file header.
pub(crate) const HEADER_LEN: usize = 16;

/// A record of every borrowing field type, and owned parts beside them.
#[derive(Savefile, Debug, PartialEq)]
pub(crate) struct Record<'a> {
    pub(crate) name: &'a str,
    pub(crate) note: Cow<'a, str>,
    pub(crate) raw: &'a [u8],
    pub(crate) words: Cow<'a, [u32]>,
    pub(crate) samples: Cow<'a, [f64]>,
    pub(crate) flags: &'a [bool],
    pub(crate) colors: &'a [[u8; 3]],
    pub(crate) id: u16,
    pub(crate) tags: Vec<&'a str>,
    pub(crate) parts: BTreeMap<&'a str, Cow<'a, str>>,
}

/// An enum with borrowed payloads of every shape, recursive through `Option<Box<_>>`.
#[derive(Savefile, Debug, PartialEq)]
pub(crate) enum Event<'a> {
    Quit,
    Say { who: &'a str, text: Cow<'a, str> },
    Data(&'a [u8], Cow<'a, [u32]>),
    Batch(Vec<Record<'a>>),
    Next(Option<Box<Event<'a>>>),
}

/// A generic type, to be instantiated with borrowed types.
#[derive(Savefile, Debug, PartialEq)]
pub(crate) struct Wrapper<T> {
    pub(crate) inner: T,
    pub(crate) list: Vec<T>,
    pub(crate) maybe: Option<T>,
}

/// A recursive type with a borrowed leaf, nested through a vector.
#[derive(Savefile, Debug, PartialEq)]
pub(crate) enum Tree<'a> {
    Leaf(&'a str),
    Node(Vec<Tree<'a>>),
}

/// A one-byte enum whose Rust discriminants are not its indexes: saved by index, so
/// never viewed in place (`&[Gapped]` cannot be lent, `Cow<[Gapped]>` is owned).
#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
#[repr(u8)]
pub(crate) enum Gapped {
    One = 1,
    Five = 5,
}

/// The owned twins: the same names, so that schemas and their error messages match.
pub(crate) mod owned {
    use std::collections::BTreeMap;

    use savefile::prelude::*;

    #[derive(Savefile, Debug, PartialEq, Clone)]
    pub(crate) struct Record {
        pub(crate) name: String,
        pub(crate) note: String,
        pub(crate) raw: Vec<u8>,
        pub(crate) words: Vec<u32>,
        pub(crate) samples: Vec<f64>,
        pub(crate) flags: Vec<bool>,
        pub(crate) colors: Vec<[u8; 3]>,
        pub(crate) id: u16,
        pub(crate) tags: Vec<String>,
        pub(crate) parts: BTreeMap<String, String>,
    }

    #[derive(Savefile, Debug, PartialEq, Clone)]
    pub(crate) enum Event {
        Quit,
        Say { who: String, text: String },
        Data(Vec<u8>, Vec<u32>),
        Batch(Vec<Record>),
        Next(Option<Box<Event>>),
    }

    #[derive(Savefile, Debug, PartialEq, Clone)]
    pub(crate) struct Wrapper<T> {
        pub(crate) inner: T,
        pub(crate) list: Vec<T>,
        pub(crate) maybe: Option<T>,
    }

    #[derive(Savefile, Debug, PartialEq, Clone)]
    pub(crate) enum Tree {
        Leaf(String),
        Node(Vec<Tree>),
    }
}

/// A borrowed value's owned twin.
pub(crate) trait Twin {
    type Owned;
    fn owned(&self) -> Self::Owned;
}

macro_rules! leaf_twins {
    ($($ty:ty),*) => {$(
        impl Twin for $ty {
            type Owned = $ty;
            fn owned(&self) -> $ty {
                self.clone()
            }
        }
    )*};
}

leaf_twins!((), u8, u16, u32, u64, i32, bool, f32, f64, String);

impl Twin for &str {
    type Owned = String;
    fn owned(&self) -> String {
        self.to_string()
    }
}

impl Twin for Cow<'_, str> {
    type Owned = String;
    fn owned(&self) -> String {
        self.to_string()
    }
}

impl<T: Clone> Twin for &[T] {
    type Owned = Vec<T>;
    fn owned(&self) -> Vec<T> {
        self.to_vec()
    }
}

impl<T: Clone> Twin for Cow<'_, [T]> {
    type Owned = Vec<T>;
    fn owned(&self) -> Vec<T> {
        self.to_vec()
    }
}

impl<T: Twin> Twin for Vec<T> {
    type Owned = Vec<T::Owned>;
    fn owned(&self) -> Self::Owned {
        self.iter().map(Twin::owned).collect()
    }
}

impl<T: Twin> Twin for Option<T> {
    type Owned = Option<T::Owned>;
    fn owned(&self) -> Self::Owned {
        self.as_ref().map(Twin::owned)
    }
}

impl<T: Twin> Twin for Box<T> {
    type Owned = Box<T::Owned>;
    fn owned(&self) -> Self::Owned {
        Box::new((**self).owned())
    }
}

impl<T: Twin, E: Twin> Twin for Result<T, E> {
    type Owned = Result<T::Owned, E::Owned>;
    fn owned(&self) -> Self::Owned {
        match self {
            Ok(value) => Ok(value.owned()),
            Err(error) => Err(error.owned()),
        }
    }
}

impl<T: Twin, const N: usize> Twin for [T; N] {
    type Owned = [T::Owned; N];
    fn owned(&self) -> Self::Owned {
        std::array::from_fn(|i| self[i].owned())
    }
}

impl<A: Twin, B: Twin> Twin for (A, B) {
    type Owned = (A::Owned, B::Owned);
    fn owned(&self) -> Self::Owned {
        (self.0.owned(), self.1.owned())
    }
}

impl<A: Twin, B: Twin, C: Twin> Twin for (A, B, C) {
    type Owned = (A::Owned, B::Owned, C::Owned);
    fn owned(&self) -> Self::Owned {
        (self.0.owned(), self.1.owned(), self.2.owned())
    }
}

impl<K: Twin, V: Twin> Twin for HashMap<K, V>
where
    K::Owned: Eq + Hash,
{
    type Owned = HashMap<K::Owned, V::Owned>;
    fn owned(&self) -> Self::Owned {
        self.iter().map(|(k, v)| (k.owned(), v.owned())).collect()
    }
}

impl<K: Twin, V: Twin> Twin for BTreeMap<K, V>
where
    K::Owned: Ord,
{
    type Owned = BTreeMap<K::Owned, V::Owned>;
    fn owned(&self) -> Self::Owned {
        self.iter().map(|(k, v)| (k.owned(), v.owned())).collect()
    }
}

impl<T: Twin> Twin for HashSet<T>
where
    T::Owned: Eq + Hash,
{
    type Owned = HashSet<T::Owned>;
    fn owned(&self) -> Self::Owned {
        self.iter().map(Twin::owned).collect()
    }
}

impl<T: Twin> Twin for BTreeSet<T>
where
    T::Owned: Ord,
{
    type Owned = BTreeSet<T::Owned>;
    fn owned(&self) -> Self::Owned {
        self.iter().map(Twin::owned).collect()
    }
}

impl Twin for Record<'_> {
    type Owned = owned::Record;
    fn owned(&self) -> owned::Record {
        owned::Record {
            name: self.name.owned(),
            note: self.note.owned(),
            raw: self.raw.owned(),
            words: self.words.owned(),
            samples: self.samples.owned(),
            flags: self.flags.owned(),
            colors: self.colors.owned(),
            id: self.id,
            tags: self.tags.owned(),
            parts: self.parts.owned(),
        }
    }
}

impl Twin for Event<'_> {
    type Owned = owned::Event;
    fn owned(&self) -> owned::Event {
        match self {
            Event::Quit => owned::Event::Quit,
            Event::Say { who, text } => owned::Event::Say {
                who: who.owned(),
                text: text.owned(),
            },
            Event::Data(bytes, words) => owned::Event::Data(bytes.owned(), words.owned()),
            Event::Batch(records) => owned::Event::Batch(records.owned()),
            Event::Next(next) => owned::Event::Next(next.owned()),
        }
    }
}

impl<T: Twin> Twin for Wrapper<T> {
    type Owned = owned::Wrapper<T::Owned>;
    fn owned(&self) -> Self::Owned {
        owned::Wrapper {
            inner: self.inner.owned(),
            list: self.list.owned(),
            maybe: self.maybe.owned(),
        }
    }
}

impl Twin for Tree<'_> {
    type Owned = owned::Tree;
    fn owned(&self) -> owned::Tree {
        match self {
            Tree::Leaf(text) => owned::Tree::Leaf(text.owned()),
            Tree::Node(children) => owned::Tree::Node(children.owned()),
        }
    }
}

/// A record with every field filled in, borrowing from `text`.
pub(crate) fn record(text: &str) -> Record<'_> {
    Record {
        name: text,
        note: Cow::Owned(format!("{text}!")),
        raw: text.as_bytes(),
        words: Cow::Owned(vec![1, 0xDEAD_BEEF, u32::MAX]),
        samples: Cow::Owned(vec![0.5, -1e300, f64::INFINITY]),
        flags: &[true, false, true],
        colors: &[[1, 2, 3], [255, 0, 128]],
        id: 0xBEEF,
        tags: vec!["a", text, ""],
        parts: BTreeMap::from([("k", Cow::Borrowed(text)), ("", Cow::Borrowed(""))]),
    }
}

/// A value of every shape of [`Event`].
pub(crate) fn events(text: &str) -> Vec<Event<'_>> {
    vec![
        Event::Quit,
        Event::Say {
            who: text,
            text: Cow::Borrowed("hello"),
        },
        Event::Data(b"\x00\xff", Cow::Owned(vec![7, 8])),
        Event::Batch(vec![record(text), record("")]),
        Event::Next(Some(Box::new(Event::Next(Some(Box::new(Event::Say {
            who: "",
            text: Cow::Borrowed(text),
        })))))),
        Event::Next(None),
    ]
}

/// Whether the elements of `part` lie entirely inside `input` (an empty part at its
/// end counts).
pub(crate) fn inside<T>(input: &[u8], part: &[T]) -> bool {
    let range = input.as_ptr_range();
    let start = part.as_ptr() as usize;
    range.start as usize <= start && start + std::mem::size_of_val(part) <= range.end as usize
}

/// A file of `value`, with its schema or without.
pub(crate) fn file_of<T: WithSchema + Serialize + ?Sized>(value: &T, with_schema: bool) -> Vec<u8> {
    match with_schema {
        true => save_to_mem(VERSION, value).expect("save_to_mem"),
        false => {
            let mut bytes = Vec::new();
            save_noschema(&mut bytes, VERSION, value).expect("save_noschema");
            bytes
        }
    }
}

/// Loads `bytes` borrowed, with its schema or without.
pub(crate) fn load_borrowed<'de, T: DeserializeBorrowed<'de>>(
    bytes: &'de [u8],
    with_schema: bool,
) -> Result<T, SavefileError> {
    match with_schema {
        true => load_from_mem_borrowed(bytes, VERSION),
        false => load_from_mem_noschema_borrowed(bytes, VERSION),
    }
}

/// Loads `bytes` owned, with its schema or without.
pub(crate) fn load_owned<T: WithSchema + Deserialize>(
    bytes: &[u8],
    with_schema: bool,
) -> Result<T, SavefileError> {
    match with_schema {
        true => load_from_mem(bytes, VERSION),
        false => load_from_mem_noschema(bytes, VERSION),
    }
}
