//! Hostile input to borrowed loads: every one is an error (or, where the bytes happen
//! to be valid, the value the owned twin loads), never a panic, an abort, a stack
//! overflow or an allocation the input does not pay for. Truncations and byte flips
//! of rich files, invalid UTF-8, lying lengths and counts, memory limits, deep
//! nesting, trailing bytes, compressed files, and slices that cannot be lent.

#[path = "borrowed/twins.rs"]
mod twins;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Debug;

use savefile::prelude::*;
use savefile::{
    load_from_mem_borrowed, load_from_mem_noschema_borrowed, load_from_mem_noschema_borrowed_with,
    AlignedBytes, DEFAULT_MAX_DEPTH,
};
use savefile_test::alloc_trace::{Recorder, Trace};
use savefile_test::hex;

use twins::{
    events, file_of, load_borrowed, load_owned, owned, record, Event, Gapped, Record, Tree, Twin,
    Wrapper, HEADER_LEN, VERSION,
};

#[global_allocator]
static ALLOCATOR: Recorder = Recorder;

/// The smallest heap block counted: what savefile charges a smaller one.
const MIN_BLOCK: usize = 16;

/// The rich value the byte-level tests damage: every borrowing field type, enums,
/// generics, maps and recursion.
fn rich() -> Wrapper<Vec<Event<'static>>> {
    Wrapper {
        inner: events("rich ✓"),
        list: vec![vec![], events("")],
        maybe: Some(vec![Event::Quit]),
    }
}

type Rich<'a> = Wrapper<Vec<Event<'a>>>;
type OwnedRich = owned::Wrapper<Vec<owned::Event>>;

/// Loads `file` borrowed as `Rich` and owned as its twin: both succeed with equal
/// values, or both fail. Returns the borrowed load's error, if any.
fn load_both(file: &[u8], with_schema: bool, what: &str) -> Option<SavefileError> {
    let borrowed = load_borrowed::<Rich<'_>>(file, with_schema);
    let owned = load_owned::<OwnedRich>(file, with_schema);
    match (borrowed, owned) {
        (Ok(borrowed), Ok(owned)) => {
            // Compared by their bytes: a flipped float may be a NaN, equal to nothing.
            let data = file_of(&owned, false);
            assert!(
                file_of(&borrowed, false) == data,
                "{what}: the loads differ"
            );
            // What loads saves again, and loads back equal.
            let again = file_of(&borrowed, with_schema);
            let back = load_borrowed::<Rich<'_>>(&again, with_schema)
                .unwrap_or_else(|e| panic!("{what}: saved again, it does not load: {e}"));
            assert!(
                file_of(&back, false) == data,
                "{what}: saved again, it loads different"
            );
            None
        }
        (Err(borrowed), Err(_)) => Some(borrowed),
        (Ok(_), Err(e)) => panic!("{what}: only the borrowed load succeeded; owned: {e}"),
        (Err(e), Ok(_)) => panic!("{what}: only the owned load succeeded; borrowed: {e}"),
    }
}

#[test]
fn every_truncation_of_a_file_is_an_error() {
    for with_schema in [true, false] {
        let file = file_of(&rich(), with_schema);
        assert!(load_both(&file, with_schema, "whole").is_none());
        for len in 0..file.len() {
            let error = load_both(&file[..len], with_schema, &format!("{len} bytes"));
            assert!(error.is_some(), "{len} of {} bytes loaded", file.len());
        }
    }
}

#[test]
fn every_byte_flip_gives_the_owned_answer() {
    for with_schema in [true, false] {
        let file = file_of(&rich(), with_schema);
        for at in 0..file.len() {
            for flip in [0xFF, 0x01, 0x80] {
                let mut damaged = file.clone();
                damaged[at] ^= flip;
                load_both(&damaged, with_schema, &format!("byte {at} ^ {flip:#x}"));
            }
        }
    }
}

/// A no-schema file of `data`, with the header that `save_noschema` writes.
fn bare_file(data: &[u8]) -> Vec<u8> {
    let mut file = file_of(&(), false);
    file.extend_from_slice(data);
    file
}

/// A saved string: its length, then its bytes.
fn string(bytes: &[u8]) -> Vec<u8> {
    let mut saved = (bytes.len() as u64).to_le_bytes().to_vec();
    saved.extend_from_slice(bytes);
    saved
}

/// Asserts that `file` is refused as invalid UTF-8 by a borrowed load as `B` and an
/// owned one as `O`.
fn refused_as_utf8<
    'de,
    B: DeserializeBorrowed<'de> + Debug,
    O: WithSchema + Deserialize + Debug,
>(
    file: &'de [u8],
) {
    let borrowed = load_from_mem_noschema_borrowed::<B>(file, VERSION);
    assert!(
        matches!(borrowed, Err(SavefileError::InvalidUtf8 { .. })),
        "{borrowed:?} from {}",
        hex(file)
    );
    let owned = load_from_mem_noschema::<O>(file, VERSION);
    assert!(
        matches!(owned, Err(SavefileError::InvalidUtf8 { .. })),
        "{owned:?}"
    );
}

#[test]
fn invalid_utf8_is_refused_wherever_text_is_lent() {
    let invalid: [&[u8]; 6] = [
        b"\xFF",
        b"abc\xC3",
        b"\xC0\x80",
        b"\xED\xA0\x80",
        b"\xF4\x90\x80\x80",
        b"ok, then \xE2\x82",
    ];
    for bytes in invalid {
        let file = bare_file(&string(bytes));
        refused_as_utf8::<&str, String>(&file);
        refused_as_utf8::<Cow<'_, str>, String>(&file);
        // In a vector, as a map key and value, in an enum, and at the end of the
        // vector of a longer file.
        let mut in_vec = 2u64.to_le_bytes().to_vec();
        in_vec.extend(string(b"fine"));
        in_vec.extend(string(bytes));
        refused_as_utf8::<Vec<&str>, Vec<String>>(&bare_file(&in_vec));
        let mut in_map = 1u64.to_le_bytes().to_vec();
        in_map.extend(string(bytes));
        in_map.extend(string(b"value"));
        refused_as_utf8::<BTreeMap<&str, &str>, BTreeMap<String, String>>(&bare_file(&in_map));
        refused_as_utf8::<HashMap<Cow<'_, str>, u8>, HashMap<String, u8>>(&bare_file(&in_map));
        let mut in_enum = vec![1];
        in_enum.extend(string(b"who"));
        in_enum.extend(string(bytes));
        refused_as_utf8::<Event<'_>, owned::Event>(&bare_file(&in_enum));
    }
    // A string cut inside a character is invalid, though the bytes after it would
    // complete the character.
    let mut cut = string(b"\xC3");
    cut.push(0xA9);
    refused_as_utf8::<(&str, u8), (String, u8)>(&bare_file(&cut));
}

#[test]
fn lengths_beyond_the_input_are_errors() {
    let payload = b"abcdef";
    let file = bare_file(&string(payload));
    let remaining = payload.len() as u64;
    for claim in [u64::MAX, 1 << 40, remaining + 1, u64::MAX / 4 + 1] {
        let mut lying = file.clone();
        lying[HEADER_LEN..HEADER_LEN + 8].copy_from_slice(&claim.to_le_bytes());
        let refused = |loaded: Result<(), SavefileError>, what: &str| match loaded {
            Err(SavefileError::LengthTooLarge { .. } | SavefileError::ShortRead) => {}
            other => panic!("{what} claiming {claim}: {other:?}"),
        };
        refused(
            load_from_mem_noschema_borrowed::<&str>(&lying, VERSION).map(drop),
            "&str",
        );
        refused(
            load_from_mem_noschema_borrowed::<Cow<'_, str>>(&lying, VERSION).map(drop),
            "Cow<str>",
        );
        refused(
            load_from_mem_noschema_borrowed::<&[u8]>(&lying, VERSION).map(drop),
            "&[u8]",
        );
        refused(
            load_from_mem_noschema_borrowed::<&[[u8; 3]]>(&lying, VERSION).map(drop),
            "&[[u8; 3]]",
        );
        refused(
            load_from_mem_noschema_borrowed::<&[bool]>(&lying, VERSION).map(drop),
            "&[bool]",
        );
        refused(
            load_from_mem_noschema_borrowed::<Cow<'_, [u32]>>(&lying, VERSION).map(drop),
            "Cow<[u32]>",
        );
        refused(
            load_from_mem_noschema_borrowed::<Cow<'_, [f64]>>(&lying, VERSION).map(drop),
            "Cow<[f64]>",
        );
        // The same claim, with the schema before it.
        let with_schema = file_of(&String::from_utf8(payload.to_vec()).unwrap(), true);
        let mut lying = with_schema.clone();
        let at = lying.len() - payload.len() - 8;
        lying[at..at + 8].copy_from_slice(&claim.to_le_bytes());
        refused(
            load_from_mem_borrowed::<&str>(&lying, VERSION).map(drop),
            "&str with schema",
        );
    }
}

#[test]
fn a_count_of_2_to_the_40_is_refused_before_anything_is_allocated() {
    let mut data = (1u64 << 40).to_le_bytes().to_vec();
    data.extend(string(b"one"));
    data.extend([0; 64]);
    let file = bare_file(&data);
    let options = LoadOptions::default();
    macro_rules! refused {
        ($($ty:ty),*) => {$({
            let mut loaded = None;
            let trace = Trace::record(|| {
                loaded = Some(load_from_mem_noschema_borrowed_with::<$ty>(&file, VERSION, &options).map(drop));
            });
            let loaded = loaded.expect("the load ran");
            assert!(
                matches!(loaded, Err(SavefileError::LengthTooLarge { length, .. }) if length == 1 << 40),
                "{}: {loaded:?}",
                stringify!($ty)
            );
            assert_eq!(trace.allocations(), 0, "{}", stringify!($ty));
        })*};
    }
    refused!(
        Vec<&str>,
        Vec<Cow<'_, str>>,
        Vec<Record<'_>>,
        Vec<Event<'_>>,
        Vec<Tree<'_>>,
        HashMap<&str, &str>,
        BTreeMap<&str, u8>,
        HashSet<&[u8]>,
        Vec<Vec<&str>>,
        Wrapper<&str>
    );
}

#[test]
fn the_memory_limit_refuses_vectors_of_borrowed_values_that_need_more() {
    let names: Vec<String> = (0..1000).map(|i| format!("name {i}")).collect();
    let file = file_of(&names, false);
    let load = |max_bytes: u64| {
        let options = LoadOptions::default().max_bytes(max_bytes);
        let mut loaded = None;
        let trace = Trace::record(|| {
            loaded = Some(
                load_from_mem_noschema_borrowed_with::<Vec<&str>>(&file, VERSION, &options)
                    .map(|v| v.len()),
            );
        });
        (
            loaded.expect("the load ran"),
            trace.peak_live_bytes(MIN_BLOCK),
        )
    };
    // The least limit under which the vector loads.
    let (mut refused, mut enough) = (0u64, 1u64 << 20);
    assert!(matches!(load(enough).0, Ok(1000)));
    while enough - refused > 1 {
        let middle = (refused + enough) / 2;
        match load(middle).0 {
            Ok(_) => enough = middle,
            Err(SavefileError::MemoryLimitExceeded { .. }) => refused = middle,
            Err(e) => panic!("limit {middle}: {e}"),
        }
    }
    // The vector's 1000 `&str`s take 16 bytes each; the text is lent, not charged.
    let elements = (1000 * std::mem::size_of::<&str>()) as u64;
    assert!(enough >= elements, "{enough}");
    assert!(
        enough < elements + 4096,
        "{enough}: more than the vector is charged"
    );
    let (_, peak) = load(enough);
    assert!(
        peak as u64 <= enough,
        "{peak} bytes held under a limit of {enough}"
    );
    let (_, peak) = load(enough - 1);
    assert!(peak as u64 <= enough, "{peak} bytes held while refusing");
    // The same for a record's vectors.
    let value = owned::Record {
        tags: names,
        ..record("r").owned()
    };
    let file = file_of(&value, false);
    let small = LoadOptions::default().max_bytes(8 << 10);
    let loaded = load_from_mem_noschema_borrowed_with::<Record<'_>>(&file, VERSION, &small);
    assert!(
        matches!(loaded, Err(SavefileError::MemoryLimitExceeded { .. })),
        "{loaded:?}"
    );
}

/// Runs `f` on a thread with a stack of `megabytes`, as a main thread (8 MiB) has,
/// rather than the 2 MiB of a test thread.
fn with_stack(megabytes: usize, f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(megabytes << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

/// The data of a tree `levels` deep: nodes of one child each, then an empty leaf.
fn deep_tree(levels: usize) -> Vec<u8> {
    let mut data = Vec::with_capacity(9 * levels + 9);
    for _ in 1..levels {
        data.push(1);
        data.extend(1u64.to_le_bytes());
    }
    data.push(0);
    data.extend(0u64.to_le_bytes());
    data
}

/// A chain of `levels` events, each the `Next` of the one before.
fn deep_events(levels: usize) -> Vec<u8> {
    let mut data = Vec::with_capacity(2 * levels);
    for _ in 1..levels {
        data.extend([4, 1]);
    }
    data.push(0);
    data
}

/// `data` with the header and the schema of `T` (which `sample` has) before it.
fn with_schema_of<T: WithSchema + Serialize>(sample: &T, data: &[u8]) -> Vec<u8> {
    let with_schema = file_of(sample, true);
    let sample_data = file_of(sample, false).len() - HEADER_LEN;
    let mut file = with_schema[..with_schema.len() - sample_data].to_vec();
    file.extend_from_slice(data);
    file
}

#[test]
fn data_nested_beyond_the_depth_limit_is_an_error_not_a_stack_overflow() {
    with_stack(8, || {
        let limit = DEFAULT_MAX_DEPTH as usize;
        let leaf = Tree::Leaf("");
        for levels in [limit - 1, limit, limit + 1, 100_000] {
            let data = deep_tree(levels);
            let bare = bare_file(&data);
            let schema = with_schema_of(&leaf, &data);
            for (file, with_schema) in [(&bare, false), (&schema, true)] {
                let borrowed = load_borrowed::<Tree<'_>>(file, with_schema);
                let owned = load_owned::<owned::Tree>(file, with_schema);
                match (borrowed, owned) {
                    (Ok(borrowed), Ok(owned)) => {
                        assert!(levels <= limit, "{levels} levels loaded");
                        assert_eq!(borrowed.owned(), owned);
                    }
                    (Err(borrowed), Err(owned)) => {
                        assert!(
                            matches!(borrowed, SavefileError::DepthLimitExceeded { limit: 512 }),
                            "{levels} levels: {borrowed:?}"
                        );
                        assert_eq!(borrowed.to_string(), owned.to_string());
                    }
                    (borrowed, owned) => panic!("{levels} levels: {borrowed:?} / {owned:?}"),
                }
            }
            let events = bare_file(&deep_events(levels));
            let borrowed = load_borrowed::<Event<'_>>(&events, false);
            let owned = load_owned::<owned::Event>(&events, false);
            assert_eq!(borrowed.is_ok(), owned.is_ok(), "{levels} events");
            if let (Err(borrowed), Err(owned)) = (&borrowed, &owned) {
                assert!(matches!(borrowed, SavefileError::DepthLimitExceeded { .. }));
                assert_eq!(borrowed.to_string(), owned.to_string());
            }
        }
    });
}

/// A tree of `T`s.
#[derive(Savefile, Debug, PartialEq)]
enum Deep<T> {
    Leaf(T),
    Node(Vec<Deep<T>>),
}

/// A leaf of bytes: its owned twin holds a `Vec`, which counts as a level of nesting
/// (it might hold anything), and so must the borrowed one.
#[derive(Savefile, Debug, PartialEq)]
struct Bytes<'a> {
    data: &'a [u8],
}

/// A leaf of text, which loads owned (a `Cow::Owned`) and borrowed, counting the
/// nesting of its owned twin's `String`.
#[derive(Savefile, Debug, PartialEq)]
struct Text<'a> {
    text: Cow<'a, str>,
}

mod owned_deep {
    use savefile::prelude::*;

    #[derive(Savefile, Debug, PartialEq)]
    pub(crate) struct Bytes {
        pub(crate) data: Vec<u8>,
    }

    #[derive(Savefile, Debug, PartialEq)]
    pub(crate) struct Text {
        pub(crate) text: String,
    }
}

#[test]
fn borrowed_and_owned_loads_count_the_same_depth() {
    with_stack(8, || {
        let limit = DEFAULT_MAX_DEPTH as usize;
        for levels in limit - 2..=limit + 1 {
            // `levels` trees, the last a leaf, whose bytes or text are empty.
            let file = bare_file(&deep_tree(levels));
            let same = |what: &str,
                        borrowed: Result<(), SavefileError>,
                        owned: Result<(), SavefileError>| {
                assert_eq!(
                    format!("{borrowed:?}"),
                    format!("{owned:?}"),
                    "{what}: {levels} levels"
                );
            };
            same(
                "bytes",
                load_borrowed::<Deep<Bytes<'_>>>(&file, false).map(drop),
                load_owned::<Deep<owned_deep::Bytes>>(&file, false).map(drop),
            );
            same(
                "text and its twin",
                load_borrowed::<Deep<Text<'_>>>(&file, false).map(drop),
                load_owned::<Deep<owned_deep::Text>>(&file, false).map(drop),
            );
            same(
                "text loaded owned",
                load_borrowed::<Deep<Text<'_>>>(&file, false).map(drop),
                load_owned::<Deep<Text<'_>>>(&file, false).map(drop),
            );
        }
    });
}

#[test]
fn trailing_bytes_are_refused() {
    for with_schema in [true, false] {
        let mut file = file_of(&record("r"), with_schema);
        file.extend([0, 1, 2]);
        let loaded = load_borrowed::<Record<'_>>(&file, with_schema);
        assert!(
            matches!(loaded, Err(SavefileError::TrailingBytes { count: 3 })),
            "{loaded:?}"
        );
    }
}

#[test]
fn a_compressed_file_is_refused() {
    let mut compressed = Vec::new();
    save_compressed(&mut compressed, VERSION, &record("r")).unwrap();
    let loaded = load_from_mem_borrowed::<Record<'_>>(&compressed, VERSION);
    assert!(
        matches!(loaded, Err(SavefileError::CompressedBorrow)),
        "{loaded:?}"
    );
    let loaded = load_from_mem_noschema_borrowed::<Record<'_>>(&compressed, VERSION);
    assert!(
        matches!(loaded, Err(SavefileError::CompressedBorrow)),
        "{loaded:?}"
    );
    // The owned twin loads it.
    let owned: owned::Record = load_from_mem(&compressed, VERSION).unwrap();
    assert_eq!(owned, record("r").owned());
}

mod sample_v0 {
    use savefile::prelude::*;

    #[derive(Savefile, Clone, Copy, Debug, PartialEq)]
    #[repr(C)]
    pub(crate) struct Sample {
        pub(crate) a: u8,
    }
}

/// A plain one-byte-aligned struct that grew a field in version 1: stored as its
/// memory in version 1 files only.
#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(C)]
struct Sample {
    a: u8,
    #[savefile_versions = "1.."]
    b: u8,
}

#[test]
fn a_slice_of_elements_not_stored_as_their_memory_cannot_be_lent() {
    let gapped = vec![Gapped::Five, Gapped::One];
    for with_schema in [true, false] {
        let file = file_of(&gapped, with_schema);
        let loaded = load_borrowed::<&[Gapped]>(&file, with_schema);
        assert!(
            matches!(loaded, Err(SavefileError::NotBorrowable { type_name }) if type_name.ends_with("Gapped")),
            "{loaded:?}"
        );
    }
    // A version-0 file of samples holds one byte each, not their memory: `&[Sample]`
    // is refused for it, and `Cow<[Sample]>` copies.
    let old = vec![sample_v0::Sample { a: 1 }, sample_v0::Sample { a: 2 }];
    let file = save_to_mem(0, &old).unwrap();
    let loaded = load_from_mem_borrowed::<&[Sample]>(&file, VERSION);
    assert!(
        matches!(loaded, Err(SavefileError::NotBorrowable { .. })),
        "{loaded:?}"
    );
    let loaded: Cow<'_, [Sample]> = load_from_mem_borrowed(&file, VERSION).unwrap();
    assert!(matches!(loaded, Cow::Owned(_)));
    assert_eq!(*loaded, [Sample { a: 1, b: 0 }, Sample { a: 2, b: 0 }]);
    // A version-1 file of them is lent.
    let current = vec![Sample { a: 1, b: 2 }];
    let file = save_to_mem(1, &current).unwrap();
    let loaded: &[Sample] = load_from_mem_borrowed(&file, VERSION).unwrap();
    assert_eq!(loaded, current);
    assert!(twins::inside(&file, loaded));
}

#[test]
fn invalid_elements_are_refused_aligned_or_not() {
    // `char` is stored as its memory but not every pattern is one: each element is
    // checked, whether it is lent or copied.
    let letters = vec!['a', 'é', '🦀'];
    let mut file = file_of(&letters, false);
    let at = file.len() - 4;
    file[at..].copy_from_slice(&0xD800u32.to_le_bytes());
    for shift in 0..4 {
        let mut buffer = AlignedBytes::zeroed(file.len() + shift);
        buffer.as_mut_slice()[shift..].copy_from_slice(&file);
        let loaded = load_from_mem_noschema_borrowed::<Cow<'_, [char]>>(
            &buffer.as_slice()[shift..],
            VERSION,
        );
        assert!(
            matches!(loaded, Err(SavefileError::InvalidChar { value: 0xD800 })),
            "shifted by {shift}: {loaded:?}"
        );
    }
}
