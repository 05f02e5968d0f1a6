//! Borrowed loads: derived types with lifetimes, loaded with `load_from_mem_borrowed`.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use savefile::prelude::*;

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
    bytes.as_ptr_range().contains(&text.as_ptr())
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
