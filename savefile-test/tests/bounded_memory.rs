//! Lying lengths cost no memory: a counting allocator measures the peak heap use while
//! crafted files are loaded (from memory, from streams of unknown size, and inside
//! compressed files) and every peak must stay within a small multiple of the input
//! plus a fixed slack.
//!
//! The crafted files claim 2^60 elements, or exactly as many as the bytes that remain
//! (which passes the length check), for every kind of container; and they nest such
//! claims hundreds of levels deep, in data and in schemas, so that many claims are
//! open at once.

// A global allocator is the one way to observe every allocation; it forwards to System.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use savefile::prelude::*;
use savefile_test::rich::{Color, Item, Point, Room};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counters
// only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: same layout contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as the new block arriving before the old one leaves, which is the
        // worst case of a move.
        let now = CURRENT.fetch_add(new_size, Ordering::Relaxed) + new_size;
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: same contract as our caller's: `ptr` came from this allocator with
        // `layout`, and `new_size` is valid for its alignment.
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        if moved.is_null() {
            CURRENT.fetch_sub(new_size, Ordering::Relaxed);
        } else {
            CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Tests in this file share the counters; they run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// Heap a load may use per byte of input.
const RATIO: usize = 10;
/// Heap a load may use whatever its input: the 1 MiB allowance for reservations
/// ahead of data (hash tables reserve within it at their real size), the older
/// buffers of growing collections, schemas and small buffers.
const SLACK: usize = 3 << 20;
/// What bzip2 needs to decompress, on top: its tables for 900 kB blocks.
const BZIP2_SLACK: usize = 4 << 20;

/// The peak of extra heap use while `f` runs.
fn peak_during(f: impl FnOnce()) -> usize {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    f();
    PEAK.load(Ordering::Relaxed).saturating_sub(base)
}

/// Loads `file` as `T` from memory and as a stream, then the same file compressed,
/// from memory and as a stream; the peak heap use of each must stay in bounds.
/// (Some crafted files happen to be valid, such as a claim for exactly the `u64`s
/// that the padding holds: they may load, within the same bounds.)
fn loaded_within_bounds<T: Deserialize + WithSchema>(what: &str, file: &[u8], with_schema: bool) {
    let load_memory = |bytes: &[u8]| {
        if with_schema {
            drop(load_from_mem::<T>(bytes, 0));
        } else {
            drop(load_from_mem_noschema::<T>(bytes, 0));
        }
    };
    let load_stream = |bytes: &[u8]| {
        let mut stream = bytes;
        if with_schema {
            drop(load::<T>(&mut stream, 0));
        } else {
            drop(load_noschema::<T>(&mut stream, 0));
        }
    };
    let compressed = compress(file);
    let cases: [(&str, &[u8], bool, usize); 4] = [
        ("memory", file, true, SLACK),
        ("stream", file, false, SLACK),
        (
            "compressed in memory",
            &compressed,
            true,
            SLACK + BZIP2_SLACK,
        ),
        ("compressed stream", &compressed, false, SLACK + BZIP2_SLACK),
    ];
    for (how, bytes, in_memory, slack) in cases {
        let peak = peak_during(|| {
            if in_memory {
                load_memory(bytes)
            } else {
                load_stream(bytes)
            }
        });
        // The input that backs a compressed load is the decompressed data.
        let input = file.len();
        assert!(
            peak <= RATIO * input + slack,
            "{what} ({how}): peak heap use {peak} bytes for {input} bytes of input"
        );
    }
}

/// The same file with everything after the header compressed.
fn compress(file: &[u8]) -> Vec<u8> {
    let mut out = file[..16].to_vec();
    out[15] = 1;
    let mut encoder = bzip2::write::BzEncoder::new(&mut out, bzip2::Compression::fast());
    std::io::Write::write_all(&mut encoder, &file[16..]).unwrap();
    encoder.finish().unwrap();
    out
}

/// The data of `value` (no header, no schema).
fn data_of<T: Serialize + WithSchema>(value: &T) -> Vec<u8> {
    let mut bare = Vec::new();
    save_noschema(&mut bare, 0, value).unwrap();
    bare.split_off(16)
}

/// Files of `value`, with and without schema, whose first length prefix is
/// replaced by `claim(bytes after it)`, followed by `padding` bytes of 0xff
/// (invalid as almost anything, so claims that pass the length check fail soon).
fn claiming<T: Serialize + WithSchema>(
    value: &T,
    padding: usize,
    claim: impl Fn(u64) -> u64,
) -> [(Vec<u8>, bool); 2] {
    [true, false].map(|with_schema| {
        let mut file = if with_schema {
            save_to_mem(0, value).unwrap()
        } else {
            let mut bare = Vec::new();
            save_noschema(&mut bare, 0, value).unwrap();
            bare
        };
        file.extend(std::iter::repeat_n(0xffu8, padding));
        let at = file.len() - padding - data_of(value).len();
        let after = (file.len() - at - 8) as u64;
        file[at..at + 8].copy_from_slice(&claim(after).to_le_bytes());
        (file, with_schema)
    })
}

/// Claims 2^60 elements, and as many as the remaining bytes (and fractions of
/// that, so that elements of several bytes pass the length check too).
fn every_claim<T: Serialize + WithSchema + Deserialize>(value: T) {
    let what = std::any::type_name::<T>();
    type Claim = fn(u64) -> u64;
    let claims: [(&str, Claim); 4] = [
        ("2^60", |_| 1 << 60),
        ("all that remains", |left| left),
        ("a quarter of it", |left| left / 4),
        ("an eighth of it", |left| left / 8),
    ];
    for (name, claim) in claims {
        for (file, with_schema) in claiming(&value, 256 << 10, claim) {
            let what = format!("{what}, claiming {name}, schema {with_schema}");
            loaded_within_bounds::<T>(&what, &file, with_schema);
        }
    }
}

#[test]
fn lying_lengths_of_every_container_kind_cost_little() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    every_claim(vec![7u64]);
    every_claim(vec![true]);
    every_claim(vec!['x']);
    every_claim(vec![Point { x: 1, y: 2 }]);
    every_claim(vec![Color::Blue]);
    every_claim(vec![Item::Coins(1)]);
    every_claim(vec!["text".to_string()]);
    every_claim(vec![vec![1u8]]);
    every_claim("text".to_string());
    every_claim(PathBuf::from("p"));
    every_claim(vec![1u16].into_boxed_slice());
    every_claim(Rc::<[u32]>::from(vec![1]));
    every_claim(Arc::<[bool]>::from(vec![true]));
    every_claim(Arc::<str>::from("a"));
    every_claim(VecDeque::from([String::new()]));
    every_claim(BinaryHeap::from([1u32]));
    // Not `LinkedList<u8>`: 0xff is a valid u8, so the padding would be genuine
    // elements, and a list takes 24 bytes of memory per one-byte element.
    every_claim(LinkedList::from([true]));
    every_claim(LinkedList::from([String::new()]));
    every_claim(LinkedList::from([()]));
    every_claim(HashMap::from([(String::new(), 1u32)]));
    every_claim(HashSet::from([1u64]));
    every_claim(BTreeMap::from([(1u32, String::new())]));
    every_claim(BTreeSet::from([String::new()]));
}

/// A tower of `levels` rooms, each the only room inside the one before, with every
/// room count replaced by the number of bytes left after it: each level passes the
/// length check and opens a claim for hundreds of thousands of rooms.
fn room_tower(levels: usize, with_schema: bool) -> Vec<u8> {
    let mut room = Room::empty("");
    for _ in 1..levels {
        let mut outer = Room::empty("");
        outer.rooms.push(room);
        room = outer;
    }
    let data = data_of(&room);
    let mut file = if with_schema {
        save_to_mem(0, &room).unwrap()
    } else {
        let mut bare = Vec::new();
        save_noschema(&mut bare, 0, &room).unwrap();
        bare
    };
    let data_at = file.len() - data.len();
    drop(room);
    // An empty room is 89 bytes: 80 before its room count, then the count and a
    // one-byte `secret` tag. Nested rooms sit between a room's count and its tag.
    let prefix = data_of(&Room::empty("")).len() - 9;
    for level in 0..levels {
        let at = data_at + level * (prefix + 8) + prefix;
        let expected: u64 = if level + 1 < levels { 1 } else { 0 };
        assert_eq!(file[at..at + 8], expected.to_le_bytes(), "level {level}");
        let after = (file.len() - at - 8) as u64;
        file[at..at + 8].copy_from_slice(&after.to_le_bytes());
    }
    file
}

/// Items nested `levels` deep through `Item::Bag`, every bag claiming all the bytes
/// that follow.
fn bag_tower(levels: usize) -> Vec<u8> {
    let mut item = Item::Nothing;
    for _ in 0..levels {
        item = Item::Bag(vec![item]);
    }
    let mut file = Vec::new();
    save_noschema(&mut file, 0, &item).unwrap();
    drop(item);
    for level in 0..levels {
        // Each level is a one-byte variant index and an eight-byte count.
        let at = 16 + level * 9 + 1;
        let after = (file.len() - at - 8) as u64;
        file[at..at + 8].copy_from_slice(&after.to_le_bytes());
    }
    file
}

#[test]
fn hash_tables_of_zero_sized_elements_reserve_within_the_allowance() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // A count of 2^24 elements that take no bytes passes the length check. They are
    // all one element of a set, but a table reserved for the claim would have 2^25
    // buckets with a control byte each: 32 MB from eight bytes.
    let mut file = Vec::new();
    save_noschema(&mut file, 0, &HashSet::<()>::new()).unwrap();
    file[16..24].copy_from_slice(&(1u64 << 24).to_le_bytes());
    let peak = peak_during(|| {
        let set = load_from_mem_noschema::<HashSet<()>>(&file, 0).unwrap();
        assert_eq!(set.len(), 1);
        drop(load_noschema::<HashMap<(), ()>>(&mut &file[..], 0).unwrap());
    });
    assert!(
        peak <= SLACK,
        "peak heap use {peak} bytes for 24 bytes of input"
    );
}

#[test]
fn hundreds_of_open_claims_share_one_allowance() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // Before the allowance was shared, each level could reserve up to 1 MiB (or the
    // whole input): 400 levels made hundreds of megabytes out of 36 kB.
    for with_schema in [false, true] {
        let file = room_tower(400, with_schema);
        loaded_within_bounds::<Room>("a tower of rooms", &file, with_schema);
    }
    loaded_within_bounds::<Item>("a tower of bags", &bag_tower(400), false);
}

/// A schema of structs nested `levels` deep, each claiming as many fields as the
/// bytes that remain could hold, the first field of each holding the next struct.
fn schema_tower(levels: usize) -> Vec<u8> {
    let mut file = save_to_mem(0, &0u8).unwrap()[..16].to_vec();
    let mut counts = Vec::new();
    for _ in 0..levels {
        file.push(1); // struct
        file.extend_from_slice(&0u64.to_le_bytes()); // name ""
        counts.push(file.len());
        file.extend_from_slice(&[0; 8]); // field count, set below
        file.extend_from_slice(&[0, 0]); // no size, no alignment
        file.extend_from_slice(&0u64.to_le_bytes()); // first field's name ""
    }
    file.push(6); // zero-sized
    file.extend(std::iter::repeat_n(0xffu8, 64 << 10));
    for at in counts {
        // Nine bytes at least per field: a name length and a node tag.
        let after = (file.len() - at - 8) as u64 / 9;
        file[at..at + 8].copy_from_slice(&after.to_le_bytes());
    }
    file
}

#[test]
fn nested_schema_claims_cost_little() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // Decoding a schema 300 levels deep takes more than a test thread's stack in an
    // unoptimised build; thread stacks are not heap, so the peak is unaffected.
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(|| {
            loaded_within_bounds::<Room>("a tower of schema structs", &schema_tower(300), true);
        })
        .unwrap()
        .join()
        .unwrap();
}
