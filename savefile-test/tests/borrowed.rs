//! Borrowed loads: derived types with lifetimes, loaded with `load_from_mem_borrowed`.
//!
//! A borrowed type and its owned twin (`borrowed/twins.rs`) load each other's files
//! to equal values, with and without schema, and write the same data bytes; a
//! schema that differs is refused as for the owned twin. What a load lends is checked in `borrowed_lending.rs`, versions in
//! `borrowed_versions.rs`, hostile inputs in `borrowed_hostile.rs`.

#[path = "borrowed/twins.rs"]
mod twins;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Debug;

use proptest::prelude::*;
use savefile::prelude::*;

use twins::{
    events, file_of, load_borrowed, load_owned, owned, record, Record, Tree, Twin, Wrapper, VERSION,
};

#[derive(Savefile, Debug, PartialEq)]
struct Entry<'a> {
    host: &'a str,
    path: Cow<'a, str>,
    bytes: &'a [u8],
    code: u16,
}

#[derive(Savefile, Debug, PartialEq)]
struct OwnedEntry {
    host: String,
    path: String,
    bytes: Vec<u8>,
    code: u16,
}

/// Whether `text` lies inside `bytes`.
fn inside(bytes: &[u8], text: &[u8]) -> bool {
    twins::inside(bytes, text)
}

/// The bytes after the header and schema: what `save_noschema` writes after its header.
fn data_of<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = Vec::new();
    savefile::save_noschema(&mut bytes, 0, value).unwrap();
    bytes
}

#[test]
fn a_borrowed_type_loads_its_owned_twins_file() {
    let owned = OwnedEntry {
        host: "example.org".into(),
        path: "/index.html".into(),
        bytes: vec![1, 2, 3],
        code: 200,
    };
    let bytes = save_to_mem(0, &owned).unwrap();
    let entry: Entry<'_> = savefile::load_from_mem_borrowed(&bytes, 0).unwrap();
    assert_eq!(entry.host, "example.org");
    assert!(matches!(entry.path, Cow::Borrowed("/index.html")));
    assert_eq!(entry.bytes, &[1, 2, 3]);
    assert!(inside(&bytes, entry.host.as_bytes()));
    assert!(inside(&bytes, entry.bytes));
    assert_eq!(data_of(&entry), data_of(&owned));
    // And the other way round: the borrowed type's file loads owned.
    let written = save_to_mem(0, &entry).unwrap();
    let back: OwnedEntry = load_from_mem(&written, 0).unwrap();
    assert_eq!(back, owned);
}

#[derive(Savefile, Debug, PartialEq)]
enum Event<'a> {
    Quit,
    Say { who: &'a str, text: Cow<'a, str> },
    Tags(Vec<&'a str>),
}

#[derive(Savefile, Debug, PartialEq)]
struct Frame<'a, T> {
    items: Vec<T>,
    events: Vec<Event<'a>>,
    index: HashMap<&'a str, u32>,
    sorted: BTreeMap<&'a str, Option<Box<Event<'a>>>>,
    pair: (&'a str, [u8; 3]),
    numbers: Vec<u32>,
}

#[test]
fn nested_borrowed_values_round_trip() {
    let frame = Frame {
        items: vec![Entry {
            host: "a",
            path: Cow::Borrowed("b"),
            bytes: b"cd",
            code: 1,
        }],
        events: vec![
            Event::Quit,
            Event::Say {
                who: "ann",
                text: Cow::Owned("hi".to_string()),
            },
            Event::Tags(vec!["x", "yz"]),
        ],
        index: [("k", 1), ("l", 2)].into_iter().collect(),
        sorted: [("m", Some(Box::new(Event::Quit))), ("n", None)]
            .into_iter()
            .collect(),
        pair: ("p", [7, 8, 9]),
        numbers: vec![1, 2, 3, 4],
    };
    let bytes = save_to_mem(0, &frame).unwrap();
    let back: Frame<'_, Entry<'_>> = savefile::load_from_mem_borrowed(&bytes, 0).unwrap();
    assert_eq!(back, frame);
    assert!(inside(&bytes, back.items[0].host.as_bytes()));
    let Event::Say { text, .. } = &back.events[1] else {
        panic!("the second event is a Say");
    };
    assert!(matches!(text, Cow::Borrowed("hi")));
}

#[derive(Savefile, Debug, PartialEq)]
struct Versioned<'a> {
    name: &'a str,
    #[savefile_versions = "0..0"]
    old: Removed<&'a str>,
    #[savefile_versions = "1.."]
    #[savefile_default_val = "7"]
    added: u32,
    #[savefile_versions = "1.."]
    note: Option<&'a str>,
    #[savefile_ignore]
    cache: Option<u64>,
}

#[derive(Savefile, Debug, PartialEq)]
struct VersionedV0 {
    name: String,
    old: String,
}

#[test]
fn versions_defaults_and_removed_fields_load_borrowed() {
    let v0 = save_to_mem(
        0,
        &VersionedV0 {
            name: "n".into(),
            old: "gone".into(),
        },
    )
    .unwrap();
    let back: Versioned<'_> = savefile::load_from_mem_borrowed(&v0, 1).unwrap();
    assert_eq!(back.name, "n");
    assert_eq!((back.added, back.note, back.cache), (7, None, None));
}

/// Checks that `borrowed` and its twin `owned` have the same schema and load each
/// other's files, with and without schema: `load` loads a file borrowed (as the type
/// of `borrowed`) and converts the value to its twin.
fn check_loads<O, B>(
    owned: &O,
    borrowed: &B,
    load: impl Fn(&[u8], bool) -> Result<O, SavefileError>,
) where
    O: WithSchema + Serialize + Deserialize + PartialEq + Debug,
    B: WithSchema + Serialize + Twin<Owned = O>,
{
    assert_eq!(&borrowed.owned(), owned, "the values given are not twins");
    let (ours, theirs) = (get_schema::<B>(VERSION), get_schema::<O>(VERSION));
    assert_eq!(diff_schema(&ours, &theirs, ".".into(), false), None);
    assert_eq!(diff_schema(&theirs, &ours, ".".into(), false), None);
    for with_schema in [true, false] {
        let owned_file = file_of(owned, with_schema);
        let borrowed_file = file_of(borrowed, with_schema);
        let mode = if with_schema { "schema" } else { "noschema" };
        let loads = [
            (
                "the owned file loaded borrowed",
                load(&owned_file, with_schema),
            ),
            (
                "the borrowed file loaded borrowed",
                load(&borrowed_file, with_schema),
            ),
            (
                "the borrowed file loaded owned",
                load_owned::<O>(&borrowed_file, with_schema),
            ),
        ];
        for (what, loaded) in loads {
            match loaded {
                Ok(value) => assert_eq!(&value, owned, "{mode}: {what}"),
                Err(e) => panic!("{mode}: {what}: {e}"),
            }
        }
    }
}

/// [`check_loads`], and the data bytes of both are the same.
fn check_twins<O, B>(
    owned: &O,
    borrowed: &B,
    load: impl Fn(&[u8], bool) -> Result<O, SavefileError>,
) where
    O: WithSchema + Serialize + Deserialize + PartialEq + Debug,
    B: WithSchema + Serialize + Twin<Owned = O>,
{
    check_loads(owned, borrowed, load);
    assert_eq!(
        file_of(borrowed, false),
        file_of(owned, false),
        "the data bytes differ"
    );
}

/// [`check_twins`] for a borrowed value of type `$ty` (a type with `'_` lifetimes).
macro_rules! twins {
    ($check:ident, $ty:ty, $borrowed:expr) => {{
        let borrowed: $ty = $borrowed;
        $check(&borrowed.owned(), &borrowed, |bytes, with_schema| {
            load_borrowed::<$ty>(bytes, with_schema).map(|value| value.owned())
        })
    }};
    ($ty:ty, $borrowed:expr) => {
        twins!(check_twins, $ty, $borrowed)
    };
}

#[test]
fn a_record_of_every_borrowing_field_and_its_twin_are_interchangeable() {
    twins!(Record<'_>, record("name"));
    twins!(Record<'_>, record(""));
    twins!(Record<'_>, record("Grüße, 世界! 🦀"));
    let empty = Record {
        name: "",
        note: Cow::Borrowed(""),
        raw: &[],
        words: Cow::Borrowed(&[]),
        samples: Cow::Borrowed(&[]),
        flags: &[],
        colors: &[],
        id: 0,
        tags: vec![],
        parts: BTreeMap::new(),
    };
    twins!(Record<'_>, empty);
}

#[test]
fn enums_with_borrowed_payloads_and_their_twins_are_interchangeable() {
    for event in events("who") {
        twins!(twins::Event<'_>, event);
    }
    twins!(Vec<twins::Event<'_>>, events("all"));
}

#[test]
fn generics_instantiated_with_borrowed_types_and_their_twins_are_interchangeable() {
    twins!(
        Wrapper<&str>,
        Wrapper {
            inner: "in",
            list: vec!["a", "", "b"],
            maybe: Some("m"),
        }
    );
    twins!(
        Wrapper<Cow<'_, [u32]>>,
        Wrapper {
            inner: Cow::Owned(vec![1, 2]),
            list: vec![Cow::Owned(vec![]), Cow::Owned(vec![3])],
            maybe: None,
        }
    );
    twins!(
        Wrapper<Record<'_>>,
        Wrapper {
            inner: record("x"),
            list: vec![record("y")],
            maybe: Some(record("z")),
        }
    );
    twins!(
        Wrapper<Wrapper<Option<&str>>>,
        Wrapper {
            inner: Wrapper {
                inner: None,
                list: vec![Some("deep")],
                maybe: Some(None),
            },
            list: vec![],
            maybe: None,
        }
    );
    twins!(
        Wrapper<u32>,
        Wrapper {
            inner: 1,
            list: vec![2, 3],
            maybe: Some(4),
        }
    );
}

#[test]
fn std_containers_of_borrowed_types_and_their_twins_are_interchangeable() {
    twins!(&str, "text");
    twins!(&[u8], b"bytes");
    twins!(Cow<'_, str>, Cow::Borrowed("cow"));
    twins!(Cow<'_, [f64]>, Cow::Owned(vec![1.5, -0.0]));
    twins!(&[bool], &[true, false]);
    twins!(&[[u8; 3]], &[[1, 2, 3]]);
    twins!(Vec<&str>, vec!["a", "", "bc"]);
    twins!(Vec<Vec<&str>>, vec![vec![], vec!["a"], vec!["b", "c"]]);
    twins!(Vec<&[u8]>, vec![&b"x"[..], b""]);
    twins!(Option<&str>, Some("some"));
    twins!(Option<&str>, None);
    twins!(Option<Option<Cow<'_, str>>>, Some(None));
    twins!(Box<&str>, Box::new("boxed"));
    twins!(Box<Record<'_>>, Box::new(record("boxed")));
    twins!(Result<&str, &str>, Ok("fine"));
    twins!(Result<&str, &str>, Err("bad"));
    twins!(
        (&str, u32, Cow<'_, str>),
        ("one", 2, Cow::Owned("three".into()))
    );
    twins!([&str; 3], ["x", "", "z"]);
    // Zero-sized values beside borrowed ones.
    twins!((&str, (), Vec<()>), ("unit", (), vec![(); 3]));
    twins!([Option<&[u8]>; 2], [Some(b"ab"), None]);
    twins!(
        BTreeMap<&str, &[u8]>,
        BTreeMap::from([("b", &b"2"[..]), ("a", b"1"), ("", b"")])
    );
    twins!(BTreeSet<&str>, BTreeSet::from(["q", "p", ""]));
    twins!(Vec<Option<Record<'_>>>, vec![None, Some(record("r"))]);
    // One entry each: hash containers save in their iteration order, which differs
    // between two maps of the same entries.
    twins!(HashMap<&str, Cow<'_, str>>, HashMap::from([("k", Cow::Borrowed("v"))]));
    twins!(HashSet<&str>, HashSet::from(["only"]));
    twins!(
        check_loads,
        HashMap<&str, Vec<&str>>,
        (0..50)
            .map(|i| (["a", "b", "c", "d", "e"][i % 5], vec!["v"; i]))
            .collect()
    );
    twins!(
        check_loads,
        HashSet<&[u8]>,
        [&b"1"[..], b"22", b"", b"333"].into_iter().collect()
    );
}

#[derive(Savefile, Debug, PartialEq)]
struct Outcome<'a> {
    text: Result<&'a str, &'a str>,
    code: Result<u8, String>,
}

#[test]
fn a_result_loaded_borrowed_keeps_its_variant() {
    // The format's tags: 1 before an `Ok`, 0 before an `Err`.
    let ok: Result<&str, &str> = Ok("fine");
    assert_eq!(data_of(&ok)[16], 1);
    let bytes = save_to_mem(0, &Ok::<String, String>("fine".into())).unwrap();
    assert_eq!(savefile::load_from_mem_borrowed(&bytes, 0).ok(), Some(ok));
    let bytes = save_to_mem(0, &Err::<String, String>("bad".into())).unwrap();
    let err: Result<&str, &str> = savefile::load_from_mem_borrowed(&bytes, 0).unwrap();
    assert_eq!(err, Err("bad"));
    // A `Result` inside a borrowed type is read by its borrowed impl too.
    let outcome = Outcome {
        text: Err("no"),
        code: Ok(3),
    };
    let bytes = save_to_mem(0, &outcome).unwrap();
    let back: Outcome<'_> = savefile::load_from_mem_borrowed(&bytes, 0).unwrap();
    assert_eq!(back, outcome);
}

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..12).prop_map(|c| c.into_iter().collect())
}

/// Any `f64` but NaN, which equals nothing.
fn number() -> impl Strategy<Value = f64> {
    use proptest::num::f64;
    f64::POSITIVE | f64::NEGATIVE | f64::NORMAL | f64::SUBNORMAL | f64::ZERO | f64::INFINITE
}

fn owned_record() -> impl Strategy<Value = owned::Record> {
    use proptest::collection::{btree_map, vec};
    (
        (text(), text(), vec(any::<u8>(), 0..40)),
        (vec(any::<u32>(), 0..20), vec(number(), 0..10)),
        (vec(any::<bool>(), 0..20), vec(any::<[u8; 3]>(), 0..8)),
        (
            any::<u16>(),
            vec(text(), 0..5),
            btree_map(text(), text(), 0..5),
        ),
    )
        .prop_map(
            |((name, note, raw), (words, samples), (flags, colors), (id, tags, parts))| {
                owned::Record {
                    name,
                    note,
                    raw,
                    words,
                    samples,
                    flags,
                    colors,
                    id,
                    tags,
                    parts,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn owned_values_load_borrowed_as_they_load_owned(
        inner in owned_record(),
        list in proptest::collection::vec(owned_record(), 0..3),
        maybe in proptest::option::of(owned_record()),
    ) {
        let value = owned::Wrapper { inner, list, maybe };
        for with_schema in [true, false] {
            let file = file_of(&value, with_schema);
            let loaded: owned::Wrapper<owned::Record> = load_owned(&file, with_schema).unwrap();
            prop_assert_eq!(&loaded, &value);
            let borrowed: Wrapper<Record<'_>> = load_borrowed(&file, with_schema).unwrap();
            prop_assert_eq!(&borrowed.owned(), &loaded);
            // Saved again, the borrowed value writes the file it came from (hex
            // compared: a `Vec<u8>` mismatch would print thousands of lines).
            prop_assert_eq!(
                savefile_test::hex(&file_of(&borrowed, false)),
                savefile_test::hex(&file_of(&value, false))
            );
        }
    }
}

/// The record as a program whose `words` became `u16`s defines it.
mod changed {
    use savefile::prelude::*;

    #[derive(Savefile, Debug, PartialEq)]
    pub(crate) struct Record {
        pub(crate) name: String,
        pub(crate) note: String,
        pub(crate) raw: Vec<u8>,
        pub(crate) words: Vec<u16>,
        pub(crate) samples: Vec<f64>,
        pub(crate) flags: Vec<bool>,
        pub(crate) colors: Vec<[u8; 3]>,
        pub(crate) id: u16,
        pub(crate) tags: Vec<String>,
        pub(crate) parts: std::collections::BTreeMap<String, String>,
    }

    /// `Say` renamed.
    #[derive(Savefile, Debug, PartialEq)]
    pub(crate) enum Event {
        Quit,
        Speak { who: String, text: String },
        Data(Vec<u8>, Vec<u32>),
        Batch(Vec<Record>),
        Next(Option<Box<Event>>),
    }
}

/// The error of loading `file` as `B` borrowed and as `O` owned: both must be refused
/// for their schema, with the same message.
fn same_refusal<'de, B: DeserializeBorrowed<'de> + Debug, O: WithSchema + Deserialize + Debug>(
    file: &'de [u8],
) -> String {
    let borrowed = load_borrowed::<B>(file, true).unwrap_err();
    let owned = load_owned::<O>(file, true).unwrap_err();
    assert!(
        matches!(borrowed, SavefileError::IncompatibleSchema { .. }),
        "{borrowed:?}"
    );
    assert_eq!(borrowed.to_string(), owned.to_string());
    borrowed.to_string()
}

#[test]
fn a_file_of_another_schema_is_refused_as_for_the_owned_twin() {
    let changed = changed::Record {
        name: "n".into(),
        note: String::new(),
        raw: vec![],
        words: vec![1],
        samples: vec![],
        flags: vec![],
        colors: vec![],
        id: 0,
        tags: vec![],
        parts: Default::default(),
    };
    let file = file_of(&changed, true);
    let message = same_refusal::<Record<'_>, owned::Record>(&file);
    assert!(message.contains("`./Record/words/*`"), "{message}");
    let file = file_of(&changed::Event::Quit, true);
    let message = same_refusal::<twins::Event<'_>, owned::Event>(&file);
    assert!(message.contains("`./Event/Say`"), "{message}");
    let file = file_of(&String::from("text"), true);
    same_refusal::<&[u8], Vec<u8>>(&file);
    let file = file_of(&vec![1u64], true);
    same_refusal::<Cow<'_, [u32]>, Vec<u32>>(&file);
    same_refusal::<&str, String>(&file);
    let file = file_of(&Some("x"), true);
    same_refusal::<Tree<'_>, owned::Tree>(&file);
}

/// A type with a hand-written `Deserialize` and no `DeserializeBorrowed`.
#[derive(Debug, PartialEq)]
struct Manual(u8);

impl WithSchema for Manual {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        u8::schema(version, context)
    }
}

impl Serialize for Manual {
    fn serialize(
        &self,
        serializer: &mut Serializer<impl std::io::Write>,
    ) -> Result<(), SavefileError> {
        serializer.write_u8(self.0)
    }
}

impl Packed for Manual {}

impl Deserialize for Manual {
    fn deserialize(
        deserializer: &mut Deserializer<impl std::io::Read>,
    ) -> Result<Self, SavefileError> {
        Ok(Manual(deserializer.read_u8()?))
    }
}

/// Generic and with a field of a type that cannot be read borrowed: derives, and loads owned.
#[derive(SavefileNoIntrospect, Debug, PartialEq)]
struct Holder<T> {
    item: T,
    manual: Manual,
}

#[test]
fn a_field_without_a_borrowed_read_keeps_the_owned_load() {
    let holder = Holder {
        item: 5u32,
        manual: Manual(9),
    };
    let bytes = save_to_mem(0, &holder).unwrap();
    let back: Holder<u32> = load_from_mem(&bytes, 0).unwrap();
    assert_eq!(back, holder);
}

/// A type with a lifetime whose fields can all be read owned, as savefile 0.20 allows.
#[derive(Savefile, Debug, PartialEq)]
struct Label<'a> {
    text: Cow<'a, str>,
    size: u8,
}

#[test]
fn a_type_with_a_lifetime_still_loads_owned_where_its_fields_can() {
    let label = Label {
        text: Cow::Borrowed("title"),
        size: 3,
    };
    let bytes = save_to_mem(0, &label).unwrap();
    let owned: Label<'static> = load_from_mem(&bytes, 0).unwrap();
    assert!(matches!(owned.text, Cow::Owned(_)));
    assert_eq!(owned, label);
    let borrowed: Label<'_> = savefile::load_from_mem_borrowed(&bytes, 0).unwrap();
    assert!(matches!(borrowed.text, Cow::Borrowed("title")));
}

/// A recursive type with a lifetime whose text can be read owned.
#[derive(Savefile, Debug, PartialEq)]
enum Outline<'a> {
    Leaf(Label<'a>),
    Node(Vec<Outline<'a>>),
}

#[test]
fn a_recursive_type_with_a_lifetime_loads_owned_and_borrowed() {
    let outline = Outline::Node(vec![
        Outline::Leaf(Label {
            text: Cow::Borrowed("a"),
            size: 1,
        }),
        Outline::Node(vec![]),
    ]);
    let bytes = save_to_mem(0, &outline).unwrap();
    let owned: Outline<'static> = load_from_mem(&bytes, 0).unwrap();
    assert_eq!(owned, outline);
    let borrowed: Outline<'_> = savefile::load_from_mem_borrowed(&bytes, 0).unwrap();
    assert_eq!(borrowed, outline);
}

/// A recursive type with a lifetime and text beside the recursion: owned only where
/// the text can be (here it cannot, so it loads borrowed alone).
#[derive(Savefile, Debug, PartialEq)]
struct Dir<'a> {
    entries: BTreeMap<&'a str, Dir<'a>>,
    names: Vec<(Cow<'a, str>, Option<Box<Dir<'a>>>)>,
}

#[test]
fn a_recursive_borrowing_type_loads_borrowed() {
    let mut root = Dir {
        entries: BTreeMap::new(),
        names: vec![],
    };
    root.entries.insert(
        "sub",
        Dir {
            entries: BTreeMap::new(),
            names: vec![(Cow::Borrowed("n"), None)],
        },
    );
    let bytes = save_to_mem(0, &root).unwrap();
    let back: Dir<'_> = savefile::load_from_mem_borrowed(&bytes, 0).unwrap();
    assert_eq!(back, root);
}
