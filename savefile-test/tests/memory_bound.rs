//! Successful loads stay within what they are charged: for every family of value the
//! crate loads, the peak of live heap bytes during a load (recorded with
//! `savefile_test::alloc_trace`, every block counted as at least [`MIN_BLOCK`] bytes) is
//! at most `max_bytes` plus [`OVER_CHARGE`] when `max_bytes` is exactly what the load is
//! charged, and one byte less is refused with `MemoryLimitExceeded` (and stays within
//! the same bound while it fails). Each load is measured from memory
//! (`load_from_mem_*_with`) and from a slice as a stream (`load_*_with(&mut &bytes[..])`).
//!
//! What a load is charged is learnt from a `Deserializer` reading the same file
//! ([`Deserializer::charged_memory`]): charges do not depend on the limit, so that
//! figure is the smallest limit under which the load succeeds.
//!
//! Each check also bounds the charge from above (`looseness`): a charge far beyond what
//! a load holds refuses loads that would fit.

use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::fmt::Debug;
use std::rc::Rc;
use std::sync::Arc;

use savefile::prelude::*;
use savefile::{load_from_mem_noschema_with, load_from_mem_with, load_noschema_with, load_with};
use savefile_test::alloc_trace::{Recorder, Trace};

#[global_allocator]
static ALLOCATOR: Recorder = Recorder;

const VERSION: u32 = 1;

/// The smallest heap block the bound counts: what savefile charges a block of fewer
/// bytes (`format/footprint.rs`, `MIN_BLOCK`).
const MIN_BLOCK: usize = 16;

/// What a successful load may hold beyond what it is charged: the read-ahead window
/// a stream load may keep (at most 64 KiB). A load from memory without schema holds
/// nothing uncharged today; one with schema also holds the program's own schema of
/// the type, which these checks leave to [`SCHEMA_ROOM`].
const OVER_CHARGE: usize = 64 << 10;

/// Room for a schema's charges and the program's own schema in the checks of loads
/// with schema (a few hundred bytes for the types here).
const SCHEMA_ROOM: u64 = 4 << 10;

/// The looseness of a charge that is exact: what the load holds at its peak.
const EXACT: [f64; 2] = [1.01, 1.01];

/// The looseness of a collection that grows from a stream: its older buffer is
/// charged from its start to its end, though it is freed on the way.
const GROWS: [f64; 2] = [1.01, 1.2];

/// Where a load reads from.
#[derive(Clone, Copy, Debug)]
enum Source {
    Memory,
    Stream,
}

/// A file of `value` without schema.
fn file_of<T: Serialize + WithSchema + ?Sized>(value: &T) -> Vec<u8> {
    let mut file = Vec::new();
    save_noschema(&mut file, VERSION, value).unwrap();
    file
}

/// What loading `file` (no schema) as `T` from `source` charges, in all.
fn charged<T: Deserialize>(file: &[u8], source: Source) -> u64 {
    let unlimited = LoadOptions::default().max_bytes(u64::MAX);
    let mut header = [0u8; 16];
    match source {
        Source::Memory => {
            let mut d = Deserializer::from_slice(file, VERSION).with_options(&unlimited);
            d.read_bytes_to_buf(&mut header).unwrap();
            drop(T::deserialize(&mut d).unwrap());
            d.charged_memory()
        }
        Source::Stream => {
            let mut d = Deserializer::from_reader(file, VERSION).with_options(&unlimited);
            d.read_bytes_to_buf(&mut header).unwrap();
            drop(T::deserialize(&mut d).unwrap());
            d.charged_memory()
        }
    }
}

/// Loads `file` (with or without schema) as `T` from `source`, limited to `max_bytes`,
/// recording the heap calls; the result, and the peak of live heap bytes.
fn recorded_load<T: Deserialize + WithSchema>(
    file: &[u8],
    source: Source,
    with_schema: bool,
    max_bytes: u64,
    calls: usize,
) -> (Result<T, SavefileError>, usize) {
    let options = LoadOptions::default().max_bytes(max_bytes);
    let mut loaded = None;
    let trace = Trace::record_with_room(calls, || {
        // A second try (the log was too small) drops the first one's value here.
        loaded = Some(match (source, with_schema) {
            (Source::Memory, false) => load_from_mem_noschema_with::<T>(file, VERSION, &options),
            (Source::Stream, false) => load_noschema_with::<T>(&mut &file[..], VERSION, &options),
            (Source::Memory, true) => load_from_mem_with::<T>(file, VERSION, &options),
            (Source::Stream, true) => load_with::<T>(&mut &file[..], VERSION, &options),
        });
    });
    let loaded = loaded.expect("the load ran");
    (loaded, trace.peak_live_bytes(MIN_BLOCK))
}

/// What one check measured: the charge and the peak of one load.
#[derive(Debug, Clone, Copy)]
struct Figures {
    charged: u64,
    peak: usize,
}

/// Checks the bound for `file` (no schema) loaded as `T`, which must give `expected`,
/// from memory and from a stream: the load succeeds with `max_bytes` at its charge and
/// holds at most that plus [`OVER_CHARGE`]; one byte less is refused, within the same
/// bound; and the charge is at most `looseness` times the peak (plus the smallest
/// block), the first figure from memory, the second from a stream. `calls` is about
/// how many heap calls a load makes.
fn check<T>(
    what: &str,
    file: &[u8],
    expected: &T,
    calls: usize,
    looseness: [f64; 2],
) -> [Figures; 2]
where
    T: Deserialize + WithSchema + PartialEq + Debug,
{
    [Source::Memory, Source::Stream].map(|source| {
        let looseness = match source {
            Source::Memory => looseness[0],
            Source::Stream => looseness[1],
        };
        let charged = charged::<T>(file, source);
        let (loaded, peak) = recorded_load::<T>(file, source, false, charged, calls);
        let figures = Figures { charged, peak };
        let what = format!("{what} from {source:?}: {figures:?}");
        assert!(
            loaded.unwrap() == *expected,
            "{what}: loaded something else"
        );
        assert!(
            peak <= charged as usize + OVER_CHARGE,
            "{what}: held {} bytes more than charged",
            peak - charged as usize
        );
        assert!(
            charged as f64 <= peak as f64 * looseness + MIN_BLOCK as f64,
            "{what}: charged {:.2} times what it held",
            charged as f64 / peak as f64
        );
        if charged > 0 {
            let (refused, peak) = recorded_load::<T>(file, source, false, charged - 1, calls);
            assert!(
                matches!(refused, Err(SavefileError::MemoryLimitExceeded { .. })),
                "{what}: one byte less gave {:?}",
                refused.map(drop)
            );
            assert!(
                peak <= charged as usize + OVER_CHARGE,
                "{what}: refused at {peak}"
            );
        }
        figures
    })
}

/// [`check`] of `value` saved and loaded as its own type.
fn check_value<T>(what: &str, value: &T, calls: usize, looseness: [f64; 2]) -> [Figures; 2]
where
    T: Serialize + Deserialize + WithSchema + PartialEq + Debug,
{
    check(what, &file_of(value), value, calls, looseness)
}

#[test]
fn vectors_of_small_elements() {
    // Copied in bulk: from a stream in 64 KiB chunks, growing.
    let numbers: Vec<u16> = (0..1_000_000u32).map(|i| i as u16).collect();
    check_value("Vec<u16>", &numbers, 64, EXACT);
    // Element by element: from a stream the allowance runs short and the vector grows,
    // its last two buffers side by side.
    let options: Vec<Option<u8>> = (0..1_000_000u32)
        .map(|i| (i % 3 != 0).then_some(i as u8))
        .collect();
    check_value("Vec<Option<u8>>", &options, 64, EXACT);
    // Shorter than the smallest block.
    check_value("Vec<Option<u8>> of one", &vec![Some(1u8)], 64, EXACT);
    check_value("Vec<u8> of three", &vec![1u8, 2, 3], 64, EXACT);
}

#[test]
fn vectors_of_large_elements() {
    let blocks: Vec<[u64; 32]> = (0..20_000u64).map(|i| [i; 32]).collect();
    check_value("Vec<[u64; 32]>", &blocks, 64, EXACT);
    let records: Vec<(String, [u64; 16])> = (0..20_000u64)
        .map(|i| (format!("record {i}"), [i; 16]))
        .collect();
    check_value("Vec<(String, [u64; 16])>", &records, 40_000, GROWS);
}

#[test]
fn strings() {
    // Longer than the allowance ahead of the data: from a stream it grows.
    let text: String = "savefile ".repeat(500_000);
    check_value("String of 4.5 MB", &text, 64, EXACT);
    let words: Vec<String> = (0..200_000u32)
        .map(|i| match i % 10 {
            0 => format!("a longer string, number {i}, past the short ones"),
            _ => format!("{i}"),
        })
        .collect();
    check_value("Vec<String>", &words, 400_000, GROWS);
    let paths: Vec<std::path::PathBuf> = (0..20_000u32)
        .map(|i| format!("saves/{i}").into())
        .collect();
    check_value("Vec<PathBuf>", &paths, 40_000, GROWS);
}

#[test]
fn hash_maps() {
    let map: HashMap<u32, u64> = (0..200_000u32).map(|i| (i, u64::from(i) * 3)).collect();
    check_value("HashMap<u32, u64>", &map, 64, EXACT);
    let words: HashMap<String, u32> = (0..50_000u32).map(|i| (format!("{i:x}"), i)).collect();
    check_value("HashMap<String, u32>", &words, 100_000, GROWS);
    // A table's size is exactly what is charged: 4 buckets of 16 bytes, 20 control bytes.
    let small: HashMap<u64, u32> = [(1, 1), (2, 2), (3, 3)].into_iter().collect();
    let [memory, _] = check_value("HashMap<u64, u32> of three", &small, 64, EXACT);
    assert_eq!((memory.charged, memory.peak), (84, 84));
}

#[test]
fn hash_sets() {
    let set: HashSet<u64> = (0..200_000u64).map(|i| i * 7).collect();
    check_value("HashSet<u64>", &set, 64, EXACT);
    let words: HashSet<String> = (0..50_000u32).map(|i| format!("word {i}")).collect();
    check_value("HashSet<String>", &words, 100_000, GROWS);
    // Tiny elements get a table of 16 buckets at least.
    let bytes: HashSet<u8> = [1, 2].into_iter().collect();
    let [memory, _] = check_value("HashSet<u8> of two", &bytes, 64, EXACT);
    assert_eq!((memory.charged, memory.peak), (48, 48));
}

#[test]
fn btree_maps() {
    // In order, as a BTreeMap saves its entries: leaves of 6 entries.
    let map: BTreeMap<u32, String> = (0..100_000u32).map(|i| (i, format!("{i}"))).collect();
    check_value("BTreeMap<u32, String>", &map, 200_000, [1.3, 1.3]);
    // In a hash map's order: leaves fuller, on average.
    let scattered: HashMap<u32, u32> = (0..100_000u32).map(|i| (i, i)).collect();
    let expected: BTreeMap<u32, u32> = scattered.iter().map(|(&k, &v)| (k, v)).collect();
    check(
        "BTreeMap<u32, u32> in hash order",
        &file_of(&scattered),
        &expected,
        64_000,
        [1.8, 1.8],
    );
    // The charge is the largest the nodes can take, which is exact for one leaf (104
    // bytes for u32 keys and values) and for a root with two leaves (an internal node
    // is a leaf and 12 links: 200 bytes).
    let leaf: BTreeMap<u32, u32> = (0..11).map(|i| (i, i)).collect();
    let [memory, _] = check_value("BTreeMap<u32, u32> of 11", &leaf, 64, EXACT);
    assert_eq!((memory.charged, memory.peak), (104, 104));
    let three: BTreeMap<u32, u32> = (0..12).map(|i| (i, i)).collect();
    let [memory, _] = check_value("BTreeMap<u32, u32> of 12", &three, 64, EXACT);
    assert_eq!((memory.charged, memory.peak), (408, 408));
}

#[test]
fn btree_sets() {
    let set: BTreeSet<u64> = (0..200_000u64).collect();
    check_value("BTreeSet<u64>", &set, 64_000, [1.3, 1.3]);
    let words: BTreeSet<String> = (0..50_000u32).map(|i| format!("{i:06}")).collect();
    check_value("BTreeSet<String>", &words, 100_000, [1.3, 1.3]);
}

#[test]
fn linked_lists() {
    let list: LinkedList<u32> = (0..100_000u32).collect();
    check_value("LinkedList<u32>", &list, 200_000, EXACT);
    let words: LinkedList<String> = (0..20_000u32).map(|i| format!("{i}")).collect();
    check_value("LinkedList<String>", &words, 80_000, EXACT);
}

#[test]
fn deques_and_heaps() {
    let deque: VecDeque<String> = (0..100_000u32).map(|i| format!("{i}")).collect();
    check_value("VecDeque<String>", &deque, 200_000, GROWS);
    let numbers: VecDeque<u64> = (0..500_000u64).collect();
    check_value("VecDeque<u64>", &numbers, 64, EXACT);
    let heap: BinaryHeap<u32> = (0..500_000u32).collect();
    let expected = heap.clone().into_sorted_vec();
    let file = file_of(&heap);
    // A heap compares by its elements, in order.
    let sorted = |heap: BinaryHeap<u32>| heap.into_sorted_vec();
    for source in [Source::Memory, Source::Stream] {
        let charged = charged::<BinaryHeap<u32>>(&file, source);
        let (loaded, peak) = recorded_load::<BinaryHeap<u32>>(&file, source, false, charged, 64);
        assert_eq!(sorted(loaded.unwrap()), expected);
        assert!(
            peak <= charged as usize + OVER_CHARGE,
            "{source:?}: {peak} > {charged}"
        );
        assert!(
            charged as f64 <= peak as f64 * 1.01,
            "{source:?}: {charged} for {peak}"
        );
        let (refused, _) = recorded_load::<BinaryHeap<u32>>(&file, source, false, charged - 1, 64);
        assert!(matches!(
            refused,
            Err(SavefileError::MemoryLimitExceeded { .. })
        ));
    }
}

#[test]
fn boxes_and_shared_values() {
    // One-byte boxes: each is charged the smallest block.
    let boxes: Vec<Box<u8>> = (0..100_000u32).map(|i| Box::new(i as u8)).collect();
    check_value("Vec<Box<u8>>", &boxes, 200_000, EXACT);
    // Two reference counts and the value: 24 bytes.
    let counted: Vec<Rc<u64>> = (0..100_000u64).map(Rc::new).collect();
    check_value("Vec<Rc<u64>>", &counted, 200_000, EXACT);
    let shared: Vec<Arc<String>> = (0..50_000u32).map(|i| Arc::new(i.to_string())).collect();
    check_value("Vec<Arc<String>>", &shared, 200_000, EXACT);
    let strs: Vec<Arc<str>> = (0..50_000u32).map(|i| Arc::from(i.to_string())).collect();
    check_value("Vec<Arc<str>>", &strs, 200_000, EXACT);
    let boxed: Vec<Box<str>> = (0..50_000u32).map(|i| i.to_string().into()).collect();
    check_value("Vec<Box<str>>", &boxed, 200_000, EXACT);
    // Copied straight into the shared block from memory; from a stream, read into a
    // vector first, which lives beside the shared block while the elements move.
    let slice: Rc<[u32]> = (0..500_000u32).collect();
    check_value("Rc<[u32]>", &slice, 64, EXACT);
    let words: Arc<[String]> = (0..20_000u32).map(|i| format!("{i}")).collect();
    check_value("Arc<[String]>", &words, 80_000, GROWS);
    let boxed_slice: Box<[u64]> = (0..500_000u64).collect();
    check_value("Box<[u64]>", &boxed_slice, 64, EXACT);
}

#[test]
fn options() {
    let maybe: Vec<Option<Box<u32>>> = (0..100_000u32)
        .map(|i| (i % 2 == 0).then(|| Box::new(i)))
        .collect();
    check_value("Vec<Option<Box<u32>>>", &maybe, 100_000, EXACT);
    let words: Option<Vec<String>> = Some((0..50_000u32).map(|i| format!("{i}")).collect());
    check_value("Option<Vec<String>>", &words, 100_000, GROWS);
}

/// The issue's map, with a million short keys and empty vectors.
fn keys_to_empty_vectors() -> HashMap<String, Vec<u32>> {
    (0..1_000_000u32)
        .map(|i| (format!("{i:x}"), vec![]))
        .collect()
}

#[test]
fn maps_of_strings_to_vectors_as_in_the_issue() {
    let map = keys_to_empty_vectors();
    let file = file_of(&map);
    // No schema: the exact check.
    let figures = check("HashMap<String, Vec<u32>>", &file, &map, 2_100_000, EXACT);
    // Its table takes more than the allowance ahead of the data, so the table doubles
    // at the end, and for a moment its last two sizes live side by side: 2^21 and 2^20
    // buckets of 48 bytes and one control byte, and a million 16-byte keys.
    let tables = (1 << 21) * 49 + 16 + (1 << 20) * 49 + 16;
    for Figures { charged, .. } in figures {
        assert_eq!(charged, tables + 1_000_000 * 16);
    }
    // With schema, loaded as in the issue: `load_with` on a slice, and from memory.
    let file = save_to_mem(VERSION, &map).unwrap();
    for source in [Source::Memory, Source::Stream] {
        let max_bytes = figures[0].charged + SCHEMA_ROOM;
        let (loaded, peak) =
            recorded_load::<HashMap<String, Vec<u32>>>(&file, source, true, max_bytes, 2_100_000);
        assert!(loaded.unwrap() == map, "{source:?}");
        assert!(
            peak <= max_bytes as usize + OVER_CHARGE,
            "{source:?}: {peak}"
        );
        let (refused, _) = recorded_load::<HashMap<String, Vec<u32>>>(
            &file,
            source,
            true,
            figures[0].charged - 1,
            2_100_000,
        );
        assert!(
            matches!(refused, Err(SavefileError::MemoryLimitExceeded { .. })),
            "{source:?}"
        );
    }
    // The issue's limit, 64 MiB, is now refused: the load needs about 170 MB.
    let limited = LoadOptions::default().max_bytes(64 << 20);
    assert!(matches!(
        load_from_mem_with::<HashMap<String, Vec<u32>>>(&file, VERSION, &limited),
        Err(SavefileError::MemoryLimitExceeded { .. })
    ));
}

#[test]
fn nested_maps_and_sets() {
    let nested: BTreeMap<u16, HashMap<String, Vec<u32>>> = (0..200u16)
        .map(|i| {
            let inner = (0..200u32)
                .map(|j| (format!("{i}/{j}"), (0..j % 5).collect()))
                .collect();
            (i, inner)
        })
        .collect();
    check_value(
        "BTreeMap<u16, HashMap<String, Vec<u32>>>",
        &nested,
        200_000,
        [1.3, 1.3],
    );
    let sets: Vec<HashSet<u32>> = (0..20_000u32).map(|i| (0..i % 7).collect()).collect();
    check_value("Vec<HashSet<u32>>", &sets, 100_000, EXACT);
}

/// A derived struct holding one of each family.
#[derive(Savefile, Debug, PartialEq)]
struct Inventory {
    owner: String,
    tags: BTreeSet<String>,
    counts: HashMap<u32, u16>,
    slots: Vec<Option<Box<Slot>>>,
    log: VecDeque<String>,
    history: LinkedList<u64>,
    shared: Rc<[u16]>,
    note: Arc<str>,
}

/// A derived struct behind a box.
#[derive(Savefile, Debug, PartialEq)]
struct Slot {
    id: u32,
    label: String,
}

fn inventory(i: u32) -> Inventory {
    Inventory {
        owner: format!("player {i}"),
        tags: (0..i % 4).map(|t| format!("tag {t}")).collect(),
        counts: (0..i % 9).map(|c| (c, c as u16)).collect(),
        slots: (0..i % 5)
            .map(|s| {
                (s % 2 == 0).then(|| {
                    Box::new(Slot {
                        id: s,
                        label: format!("slot {s}"),
                    })
                })
            })
            .collect(),
        log: (0..i % 3).map(|l| format!("entry {l}")).collect(),
        history: (0..u64::from(i % 4)).collect(),
        shared: (0..(i % 6) as u16).collect(),
        note: Arc::from(format!("note {i}")),
    }
}

#[test]
fn derived_structs() {
    let inventories: Vec<Inventory> = (0..10_000).map(inventory).collect();
    check_value("Vec<Inventory>", &inventories, 300_000, [1.2, 1.3]);
}

/// What bzip2's decompressor may hold besides, for blocks of up to 900 kB.
const BZIP2_ROOM: usize = 4 << 20;

/// The file of `value` without schema, everything after the header compressed.
fn compressed_file_of<T: Serialize + WithSchema>(value: &T) -> Vec<u8> {
    let plain = file_of(value);
    let mut file = plain[..16].to_vec();
    file[15] = 1;
    let mut encoder = bzip2::write::BzEncoder::new(&mut file, bzip2::Compression::fast());
    std::io::Write::write_all(&mut encoder, &plain[16..]).unwrap();
    encoder.finish().unwrap();
    file
}

#[test]
fn compressed_files() {
    let words: Vec<String> = (0..200_000u32).map(|i| format!("word {i}")).collect();
    let file = compressed_file_of(&words);
    // The decompressed data is read as a stream of its own, which starts after the
    // header (what the allowance grows with).
    let unlimited = LoadOptions::default().max_bytes(u64::MAX);
    let data = file_of(&words).split_off(16);
    let mut d = Deserializer::from_reader(&data[..], VERSION).with_options(&unlimited);
    drop(Vec::<String>::deserialize(&mut d).unwrap());
    let charged = d.charged_memory();
    for source in [Source::Memory, Source::Stream] {
        let (loaded, peak) = recorded_load::<Vec<String>>(&file, source, false, charged, 400_000);
        assert!(loaded.unwrap() == words, "{source:?}");
        let bound = charged as usize + OVER_CHARGE + BZIP2_ROOM;
        assert!(peak <= bound, "{source:?}: {peak} > {bound}");
        let (refused, peak) =
            recorded_load::<Vec<String>>(&file, source, false, charged - 1, 400_000);
        assert!(
            matches!(refused, Err(SavefileError::MemoryLimitExceeded { .. })),
            "{source:?}: {:?}",
            refused.map(drop)
        );
        assert!(peak <= bound, "{source:?}: refused at {peak} > {bound}");
    }
}

#[test]
fn index_maps_and_sets() {
    use indexmap::{IndexMap, IndexSet};
    let map: IndexMap<u32, u64> = (0..200_000u32).map(|i| (i, u64::from(i) * 3)).collect();
    check_value("IndexMap<u32, u64>", &map, 64, GROWS);
    let words: IndexMap<String, u32> = (0..50_000u32).map(|i| (format!("{i:x}"), i)).collect();
    check_value("IndexMap<String, u32>", &words, 100_000, GROWS);
    let small: IndexMap<u64, u32> = [(1, 1), (2, 2), (3, 3)].into_iter().collect();
    check_value("IndexMap<u64, u32> of three", &small, 64, EXACT);
    let set: IndexSet<u64> = (0..200_000u64).map(|i| i * 7).collect();
    check_value("IndexSet<u64>", &set, 64, GROWS);
}

#[test]
fn small_vectors_array_vectors_and_bit_vectors() {
    use smallvec::SmallVec;
    // Inline: nothing on the heap but the strings.
    let inline: SmallVec<[String; 4]> = ["a", "b"].map(String::from).into_iter().collect();
    check_value("SmallVec<[String; 4]> inline", &inline, 64, EXACT);
    let spilled: SmallVec<[u32; 4]> = (0..500_000).collect();
    check_value("SmallVec<[u32; 4]> spilled", &spilled, 64, EXACT);
    let many: Vec<SmallVec<[u16; 2]>> = (0..20_000u16).map(|i| (0..i % 5).collect()).collect();
    check_value("Vec<SmallVec<[u16; 2]>>", &many, 40_000, GROWS);
    let arrays: Vec<arrayvec::ArrayVec<u8, 8>> = (0..50_000u32)
        .map(|i| (0..(i % 9) as u8).collect())
        .collect();
    check_value("Vec<ArrayVec<u8, 8>>", &arrays, 64, EXACT);
    let bits = bit_vec::BitVec::from_fn(4_000_000, |i| i % 3 == 0);
    check_value("BitVec of 4 million bits", &bits, 64, GROWS);
    let sets: Vec<bit_set08::BitSet> = (0..2_000usize)
        .map(|i| [i, i * 2 + 1].into_iter().collect())
        .collect();
    check_value("Vec<BitSet>", &sets, 8_000, GROWS);
}
