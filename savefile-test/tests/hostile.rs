//! Bad input never panics: arbitrary bytes, corrupted and truncated files, crafted lengths
//! and invalid values all give a `SavefileError`.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use savefile::prelude::*;
use savefile_test::rich::{Color, Item, Point, Room};

/// A value touching most type families, with variable-length parts everywhere.
type Rich = (
    Vec<(String, u32)>,
    HashMap<String, Vec<Option<char>>>,
    BTreeSet<i64>,
    Option<Result<bool, String>>,
    [u16; 3],
    VecDeque<f64>,
    Box<(u8, Duration)>,
    SystemTime,
    IpAddr,
    PathBuf,
    Vec<Vec<u8>>,
);

fn rich() -> Rich {
    (
        vec![("a".into(), 1), ("ünïcode".into(), 2)],
        HashMap::from([("k".into(), vec![Some('x'), None, Some('✓')])]),
        BTreeSet::from([-5, 0, 9]),
        Some(Err("bad".into())),
        [1, 2, 3],
        VecDeque::from([0.5, -0.0]),
        Box::new((9, Duration::from_millis(1500))),
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        "10.0.0.1".parse().unwrap(),
        PathBuf::from("saves/slot1"),
        vec![vec![1, 2, 3], vec![]],
    )
}

/// Every way to load the bytes: all must return without panicking.
fn load_every_way(bytes: &[u8]) -> [bool; 4] {
    [
        load_from_mem::<Rich>(bytes, 5).is_ok(),
        load_from_mem_noschema::<Rich>(bytes, 5).is_ok(),
        load::<Rich>(&mut &bytes[..], 5).is_ok(),
        load_noschema::<Rich>(&mut &bytes[..], 5).is_ok(),
    ]
}

/// A deterministic byte generator (xorshift64*), so failures reproduce.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            (seed.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

#[test]
fn ten_megabytes_of_noise_is_refused() {
    let junk = noise(10 << 20, 0x9E37_79B9_7F4A_7C15);
    assert_eq!(load_every_way(&junk), [false; 4]);
    // The same noise behind a valid header reaches the schema and data decoders.
    let mut framed = save_to_mem(0, &rich()).unwrap()[..16].to_vec();
    framed.extend_from_slice(&junk);
    assert_eq!(load_every_way(&framed), [false; 4]);
}

#[test]
fn every_truncation_of_a_valid_file_is_an_error() {
    let full = save_to_mem(0, &rich()).unwrap();
    let mut bare = Vec::new();
    save_noschema(&mut bare, 0, &rich()).unwrap();
    for cut in 0..full.len() {
        assert!(
            load_from_mem::<Rich>(&full[..cut], 0).is_err(),
            "schema file cut at {cut}"
        );
        assert!(
            load::<Rich>(&mut &full[..cut], 0).is_err(),
            "schema stream cut at {cut}"
        );
    }
    for cut in 0..bare.len() {
        assert!(
            load_from_mem_noschema::<Rich>(&bare[..cut], 0).is_err(),
            "file cut at {cut}"
        );
    }
    assert_eq!(load_from_mem::<Rich>(&full, 0).unwrap(), rich());
}

/// A no-schema file holding `value`, with `patch` applied to the data bytes after the header.
fn patched<T: Serialize + WithSchema>(value: &T, patch: impl FnOnce(&mut [u8])) -> Vec<u8> {
    let mut bytes = Vec::new();
    save_noschema(&mut bytes, 0, value).unwrap();
    let mut data = bytes.split_off(16);
    patch(&mut data);
    bytes.extend(data);
    bytes
}

fn huge_count(data: &mut [u8]) {
    data[..8].copy_from_slice(&(1u64 << 60).to_le_bytes());
}

/// Loads `Room` from `bytes` every way: with and without schema, from memory and
/// as a stream, plain and compressed; none may panic. Returns which loaded.
fn load_room_every_way(bytes: &[u8]) -> [bool; 4] {
    [
        load_from_mem::<Room>(bytes, 0).is_ok(),
        load_from_mem_noschema::<Room>(bytes, 0).is_ok(),
        load::<Room>(&mut &bytes[..], 0).is_ok(),
        load_noschema::<Room>(&mut &bytes[..], 0).is_ok(),
    ]
}

/// The sample room saved with schema, without, and compressed.
fn room_files() -> [Vec<u8>; 3] {
    let room = Room::sample();
    let with_schema = save_to_mem(0, &room).unwrap();
    let mut bare = Vec::new();
    save_noschema(&mut bare, 0, &room).unwrap();
    let mut compressed = Vec::new();
    save_compressed(&mut compressed, 0, &room).unwrap();
    [with_schema, bare, compressed]
}

#[test]
fn huge_lengths_are_refused_for_every_container() {
    fn refused<T: Deserialize + WithSchema + std::fmt::Debug>(bytes: &[u8]) {
        match load_from_mem_noschema::<T>(bytes, 0) {
            Err(SavefileError::LengthTooLarge { length, .. }) => assert_eq!(length, 1 << 60),
            other => panic!(
                "{}: expected LengthTooLarge, got {other:?}",
                std::any::type_name::<T>()
            ),
        }
        // From a stream of unknown size the lie is found when the bytes run out.
        assert!(load_noschema::<T>(&mut &bytes[..], 0).is_err());
    }
    refused::<Vec<u8>>(&patched(&vec![1u8], huge_count));
    refused::<Vec<String>>(&patched(&vec![String::new()], huge_count));
    refused::<String>(&patched(&"x".to_string(), huge_count));
    refused::<VecDeque<u32>>(&patched(&VecDeque::from([1u32]), huge_count));
    refused::<HashMap<u8, u8>>(&patched(&HashMap::from([(1u8, 1u8)]), huge_count));
    refused::<BTreeSet<u64>>(&patched(&BTreeSet::from([1u64]), huge_count));
    refused::<Box<[u16]>>(&patched(&vec![1u16].into_boxed_slice(), huge_count));
    refused::<std::collections::LinkedList<u8>>(&patched(
        &std::collections::LinkedList::from([1u8]),
        huge_count,
    ));
    refused::<std::collections::BTreeMap<String, ()>>(&patched(
        &std::collections::BTreeMap::from([(String::new(), ())]),
        huge_count,
    ));
    refused::<PathBuf>(&patched(&PathBuf::from("p"), huge_count));
    refused::<std::sync::Arc<str>>(&patched(&std::sync::Arc::<str>::from("a"), huge_count));
    // The bulk-copied vectors of derived and checked types, and derived enums.
    refused::<Vec<Point>>(&patched(&vec![Point { x: 1, y: 2 }], huge_count));
    refused::<Vec<Color>>(&patched(&vec![Color::Red], huge_count));
    refused::<Vec<bool>>(&patched(&vec![true], huge_count));
    refused::<Vec<char>>(&patched(&vec!['c'], huge_count));
    refused::<Vec<Item>>(&patched(&vec![Item::Nothing], huge_count));
    refused::<std::sync::Arc<[bool]>>(&patched(
        &std::sync::Arc::<[bool]>::from(vec![true]),
        huge_count,
    ));
}

/// A no-schema file of `Vec<Vec<()>>` with one inner vector per count.
fn unit_vectors(counts: &[u64]) -> Vec<u8> {
    let mut file = Vec::new();
    save_noschema(&mut file, 0, &Vec::<Vec<()>>::new()).unwrap();
    file.truncate(16);
    file.extend_from_slice(&(counts.len() as u64).to_le_bytes());
    for count in counts {
        file.extend_from_slice(&count.to_le_bytes());
    }
    file
}

#[test]
fn zero_sized_elements_are_limited_per_load_not_per_length() {
    // A thousand vectors of `()` claiming 2^24 elements each: 8 kB of input that,
    // were the limit per length, would be 16 billion loop iterations.
    let bomb = unit_vectors(&[1 << 24; 1000]);
    assert!(matches!(
        load_from_mem_noschema::<Vec<Vec<()>>>(&bomb, 0),
        Err(SavefileError::LengthTooLarge { .. })
    ));
    assert!(load_noschema::<Vec<Vec<()>>>(&mut &bomb[..], 0).is_err());
    // Up to 2^24 in all, split any way, loads.
    let split = unit_vectors(&[1 << 22; 4]);
    let loaded = load_from_mem_noschema::<Vec<Vec<()>>>(&split, 0).unwrap();
    assert_eq!(loaded.iter().map(Vec::len).sum::<usize>(), 1 << 24);
    assert!(load_from_mem_noschema::<Vec<Vec<()>>>(&unit_vectors(&[1 << 22; 5]), 0).is_err());
}

#[test]
fn every_truncation_of_a_derived_value_is_an_error() {
    let [with_schema, bare, compressed] = room_files();
    for cut in 0..with_schema.len() {
        assert!(
            load_from_mem::<Room>(&with_schema[..cut], 0).is_err(),
            "cut at {cut}"
        );
        assert!(
            load::<Room>(&mut &with_schema[..cut], 0).is_err(),
            "stream cut at {cut}"
        );
    }
    for cut in 0..bare.len() {
        assert!(
            load_from_mem_noschema::<Room>(&bare[..cut], 0).is_err(),
            "cut at {cut}"
        );
        assert!(
            load_noschema::<Room>(&mut &bare[..cut], 0).is_err(),
            "stream cut at {cut}"
        );
    }
    for cut in 0..compressed.len() {
        assert!(
            load_from_mem::<Room>(&compressed[..cut], 0).is_err(),
            "compressed cut at {cut}"
        );
    }
    assert_eq!(
        load_room_every_way(&with_schema),
        [true, false, true, false]
    );
    assert_eq!(load_room_every_way(&bare), [false, true, false, true]);
}

#[test]
fn invalid_values_inside_derived_types_are_refused() {
    let mut room = Room::empty("ab");
    room.palette = vec![Color::Red];
    room.visited = vec![true];
    room.glyphs = vec!['g'];
    room.items = vec![Item::Coins(1)];
    let mut bare = Vec::new();
    save_noschema(&mut bare, 0, &room).unwrap();
    // The data, field by field: name (length, "ab"), description tag, items
    // (count, variant index, u64), doors, notes, visited (count, one bool), glyphs
    // (count, one char), outline, palette (count, one color tag).
    let name = 16 + 8;
    let description = name + 2;
    let item = description + 1 + 8;
    let flag = item + 1 + 8 + 8 + 8 + 8;
    let glyph = flag + 1 + 8;
    let color = glyph + 4 + 8 + 8;
    assert_eq!(&bare[name..name + 2], b"ab");
    assert_eq!(
        [bare[description], bare[item], bare[flag], bare[color]],
        [0, 1, 1, 0]
    );
    assert_eq!(bare[glyph..glyph + 4], u32::from('g').to_le_bytes());
    let load_patched = |at: usize, bytes: &[u8]| {
        let mut file = bare.clone();
        file[at..at + bytes.len()].copy_from_slice(bytes);
        load_from_mem_noschema::<Room>(&file, 0)
    };
    assert!(matches!(
        load_patched(name, &[0xC0, 0x80]),
        Err(SavefileError::InvalidUtf8 { .. })
    ));
    assert!(matches!(
        load_patched(description, &[7]),
        Err(SavefileError::InvalidTag { tag: 7, .. })
    ));
    assert!(matches!(
        load_patched(item, &[4]),
        Err(SavefileError::InvalidTag { tag: 4, type_name }) if type_name.contains("Item")
    ));
    assert!(matches!(
        load_patched(flag, &[2]),
        Err(SavefileError::InvalidBool { value: 2 })
    ));
    assert!(matches!(
        load_patched(glyph, &0xD800u32.to_le_bytes()),
        Err(SavefileError::InvalidChar { value: 0xD800 })
    ));
    assert!(matches!(
        load_patched(color, &[3]),
        Err(SavefileError::InvalidTag { tag: 3, .. })
    ));
}

#[test]
fn invalid_values_are_refused() {
    let bool_two = patched(&true, |d| d[0] = 2);
    assert!(matches!(
        load_from_mem_noschema::<bool>(&bool_two, 0),
        Err(SavefileError::InvalidBool { value: 2 })
    ));
    let surrogate = patched(&'a', |d| d.copy_from_slice(&0xD800u32.to_le_bytes()));
    assert!(matches!(
        load_from_mem_noschema::<char>(&surrogate, 0),
        Err(SavefileError::InvalidChar { value: 0xD800 })
    ));
    let option_seven = patched(&Some(1u8), |d| d[0] = 7);
    assert!(matches!(
        load_from_mem_noschema::<Option<u8>>(&option_seven, 0),
        Err(SavefileError::InvalidTag { tag: 7, .. })
    ));
    let result_two = patched(&Ok::<u8, u8>(1), |d| d[0] = 2);
    assert!(matches!(
        load_from_mem_noschema::<Result<u8, u8>>(&result_two, 0),
        Err(SavefileError::InvalidTag { tag: 2, .. })
    ));
    let bad_utf8 = patched(&"ab".to_string(), |d| d[9] = 0xC0);
    assert!(matches!(
        load_from_mem_noschema::<String>(&bad_utf8, 0),
        Err(SavefileError::InvalidUtf8 { .. })
    ));
}

#[test]
fn deep_schemas_are_refused_without_overflowing_the_stack() {
    // 100 000 nested Option schema nodes: the decoder stops at its depth limit.
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(|| {
            let mut bytes = save_to_mem(0, &0u8).unwrap()[..16].to_vec();
            bytes.extend(std::iter::repeat_n(7u8, 100_000));
            assert!(matches!(
                load_from_mem::<u8>(&bytes, 0),
                Err(SavefileError::DepthLimitExceeded { .. })
            ));
        })
        .unwrap()
        .join()
        .unwrap();
}

/// One edit of a valid file.
#[derive(Debug, Clone)]
enum Edit {
    /// XOR a byte with a non-zero mask.
    Flip(prop::sample::Index, u8),
    /// Insert a byte.
    Insert(prop::sample::Index, u8),
    /// Remove a byte.
    Remove(prop::sample::Index),
    /// Cut the file short.
    Truncate(prop::sample::Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<prop::sample::Index>(), 1u8..).prop_map(|(at, mask)| Edit::Flip(at, mask)),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(at, b)| Edit::Insert(at, b)),
        any::<prop::sample::Index>().prop_map(Edit::Remove),
        any::<prop::sample::Index>().prop_map(Edit::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    if bytes.is_empty() {
        return;
    }
    match edit {
        Edit::Flip(at, mask) => {
            let i = at.index(bytes.len());
            bytes[i] ^= mask;
        }
        Edit::Insert(at, byte) => bytes.insert(at.index(bytes.len() + 1), *byte),
        Edit::Remove(at) => {
            bytes.remove(at.index(bytes.len()));
        }
        Edit::Truncate(at) => bytes.truncate(at.index(bytes.len())),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_as_a_derived_type(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        load_room_every_way(&bytes);
        let mut framed = save_to_mem(0, &0u8).unwrap()[..16].to_vec();
        framed.extend_from_slice(&bytes);
        load_room_every_way(&framed);
        // The same noise as compressed data.
        framed[15] = 1;
        load_room_every_way(&framed);
    }

    #[test]
    fn edited_files_of_a_derived_type_never_panic(
        edits in proptest::collection::vec(edit(), 1..6),
    ) {
        for mut file in room_files() {
            for edit in &edits {
                apply(&mut file, edit);
            }
            load_room_every_way(&file);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        load_every_way(&bytes);
        let mut framed = save_to_mem(0, &0u8).unwrap()[..16].to_vec();
        framed.extend_from_slice(&bytes);
        load_every_way(&framed);
    }

    #[test]
    fn corrupted_files_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        for with_schema in [true, false] {
            let mut bytes = if with_schema {
                save_to_mem(0, &rich()).unwrap()
            } else {
                let mut b = Vec::new();
                save_noschema(&mut b, 0, &rich()).unwrap();
                b
            };
            for (at, byte, kind) in &edits {
                let i = at.index(bytes.len());
                match kind {
                    0 => bytes[i] = *byte,
                    1 => bytes.insert(i, *byte),
                    _ => { bytes.remove(i); }
                }
            }
            load_every_way(&bytes);
        }
    }
}
