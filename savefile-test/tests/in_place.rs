//! Derived structs read as elements of a vector are written field by field into the
//! vector's buffer (`Deserialize::__savefile_deserialize_into`). These tests check the
//! bookkeeping of that path: every value read is dropped exactly once, whether the load
//! succeeds or fails after some fields of an element were written. CI also runs them
//! under valgrind.

use std::cell::Cell;
use std::io::{Read, Write};

use savefile::prelude::*;
use savefile::{Deserializer, Serializer, WithSchemaContext};

thread_local! {
    static CREATED: Cell<usize> = const { Cell::new(0) };
    static DROPPED: Cell<usize> = const { Cell::new(0) };
}

/// How many `Tracked` values this thread made and dropped so far.
fn counts() -> (usize, usize) {
    (CREATED.with(Cell::get), DROPPED.with(Cell::get))
}

/// A byte that counts the values made and dropped on this thread, and refuses 0xff.
#[derive(Debug, PartialEq)]
struct Tracked(u8);

impl Tracked {
    fn new(byte: u8) -> Tracked {
        CREATED.with(|c| c.set(c.get() + 1));
        Tracked(byte)
    }
}

impl Default for Tracked {
    fn default() -> Tracked {
        Tracked::new(0)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        DROPPED.with(|c| c.set(c.get() + 1));
    }
}

impl WithSchema for Tracked {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        u8::schema(version, context)
    }
}

impl Packed for Tracked {}

impl Serialize for Tracked {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        serializer.write_u8(self.0)
    }
}

impl Deserialize for Tracked {
    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        match deserializer.read_u8()? {
            0xff => Err(SavefileError::InvalidTag {
                type_name: "Tracked",
                tag: 0xff,
            }),
            byte => Ok(Tracked::new(byte)),
        }
    }
}

/// Owned fields on both sides of a string and before a vector of tracked values.
#[derive(SavefileNoIntrospect, Debug, PartialEq)]
struct Element {
    first: Tracked,
    name: String,
    second: Tracked,
    tail: Vec<Tracked>,
}

/// A tuple struct with a field only in version 1 and later and an ignored field.
#[derive(SavefileNoIntrospect, Debug, PartialEq)]
struct Versioned(
    Tracked,
    #[savefile_versions = "1.."] Tracked,
    #[savefile_ignore] Tracked,
    String,
);

fn element(n: u8) -> Element {
    Element {
        first: Tracked::new(n),
        name: format!("element {n}"),
        second: Tracked::new(n + 1),
        tail: (0..n).map(Tracked::new).collect(),
    }
}

fn bare<T: WithSchema + Serialize>(version: u32, value: &T) -> Vec<u8> {
    let mut bytes = Vec::new();
    save_noschema(&mut bytes, version, value).unwrap();
    bytes
}

/// Loads `bytes` as `T`, drops the result, and checks that every `Tracked` made by
/// the load was dropped exactly once.
fn load_and_count<T: Deserialize + WithSchema>(
    bytes: &[u8],
    version: u32,
) -> Result<(), SavefileError> {
    let before = counts();
    let result = load_from_mem_noschema::<T>(bytes, version).map(drop);
    let after = counts();
    assert_eq!(
        after.0 - before.0,
        after.1 - before.1,
        "made {} and dropped {} Tracked values ({result:?})",
        after.0 - before.0,
        after.1 - before.1
    );
    result
}

/// [`load_and_count`] of `bytes` with the byte at `at` (from the end when negative)
/// set to 0xff, which no `Tracked` accepts.
fn load_with_bad_byte<T: Deserialize + WithSchema>(
    bytes: &[u8],
    at: isize,
    version: u32,
) -> Result<(), SavefileError> {
    let mut bad = bytes.to_vec();
    let at = if at < 0 {
        bad.len() - at.unsigned_abs()
    } else {
        at as usize
    };
    bad[at] = 0xff;
    load_and_count::<T>(&bad, version)
}

#[test]
fn a_vector_of_derived_structs_loads_in_place() {
    let elements: Vec<Element> = (1..6).map(element).collect();
    let bytes = bare(0, &elements);
    let loaded: Vec<Element> = load_from_mem_noschema(&bytes, 0).unwrap();
    assert_eq!(loaded, elements);
    load_and_count::<Vec<Element>>(&bytes, 0).unwrap();
    // A stream load takes the same path.
    let from_stream: Vec<Element> = load_noschema(&mut &bytes[..], 0).unwrap();
    assert_eq!(from_stream, elements);
}

#[test]
fn an_error_in_any_field_of_an_element_drops_exactly_what_was_read() {
    let elements: Vec<Element> = (1..5).map(element).collect();
    let bytes = bare(0, &elements);
    // Every byte that holds a Tracked value, set to 0xff, fails the load there: in
    // the first field (nothing of that element written yet), after the string, and
    // inside the last field's vector.
    let mut failures = 0;
    for at in 16..bytes.len() {
        let mut bad = bytes.clone();
        bad[at] = 0xff;
        if let Err(e) = load_and_count::<Vec<Element>>(&bad, 0) {
            failures += 1;
            assert!(
                matches!(
                    e,
                    SavefileError::InvalidTag { .. }
                        | SavefileError::LengthTooLarge { .. }
                        | SavefileError::InvalidUtf8 { .. }
                        | SavefileError::ShortRead
                        | SavefileError::TrailingBytes { .. }
                ),
                "{e:?}"
            );
        }
    }
    assert!(failures > 20, "{failures}");
    // Every truncation fails somewhere inside an element.
    for len in 16..bytes.len() {
        assert!(load_and_count::<Vec<Element>>(&bytes[..len], 0).is_err());
    }
}

#[test]
fn versioned_and_ignored_fields_are_written_in_place_too() {
    let current: Vec<Versioned> = (0..4)
        .map(|n| {
            Versioned(
                Tracked::new(n),
                Tracked::new(n + 10),
                Tracked::default(),
                n.to_string(),
            )
        })
        .collect();
    let bytes = bare(1, &current);
    let loaded: Vec<Versioned> = load_from_mem_noschema(&bytes, 1).unwrap();
    assert_eq!(loaded, current);
    load_and_count::<Vec<Versioned>>(&bytes, 1).unwrap();
    // In version 0 the second field is not saved and takes its default.
    let old = bare(0, &current);
    assert_eq!(old.len() + 4, bytes.len());
    let loaded: Vec<Versioned> = load_from_mem_noschema(&old, 0).unwrap();
    assert_eq!(
        loaded[3],
        Versioned(Tracked(3), Tracked(0), Tracked(0), "3".into())
    );
    // A failure in the last field drops the three before it, defaults included.
    assert!(matches!(
        load_with_bad_byte::<Vec<Versioned>>(&old, -1, 0),
        Err(SavefileError::InvalidUtf8 { .. })
    ));
}

/// Large in memory, two bytes in a file when `Small`: the size difference is the point.
#[derive(SavefileNoIntrospect, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)]
enum Roomy {
    Small(Tracked),
    Large([u64; 64], Tracked),
}

#[test]
fn a_vector_beyond_the_reservation_allowance_is_read_in_several_runs() {
    // 4 000 elements of over 500 bytes in memory are more than the 1 MiB (plus four
    // bytes per input byte) reserved ahead of the elements, so the vector grows, and
    // its spare capacity is filled one run at a time.
    let count = 4_000;
    let values: Vec<Roomy> = (0..count)
        .map(|n| match n % 1_000 {
            999 => Roomy::Large([n as u64; 64], Tracked::new(7)),
            _ => Roomy::Small(Tracked::new((n % 250) as u8)),
        })
        .collect();
    let bytes = bare(0, &values);
    assert!(count * std::mem::size_of::<Roomy>() > (1 << 20) + 4 * bytes.len());
    let loaded: Vec<Roomy> = load_from_mem_noschema(&bytes, 0).unwrap();
    assert_eq!(loaded, values);
    load_and_count::<Vec<Roomy>>(&bytes, 0).unwrap();
    // A failure near the end, runs after the first: what was read is dropped once.
    assert!(matches!(
        load_with_bad_byte::<Vec<Roomy>>(&bytes, -1, 0),
        Err(SavefileError::InvalidTag { .. })
    ));
    // And one in the middle of the first run (the eleventh element's value).
    assert!(matches!(
        load_with_bad_byte::<Vec<Roomy>>(&bytes, 8 + 2 * 10 + 1, 0),
        Err(SavefileError::InvalidTag { .. })
    ));
}
