//! The limits of a load: nesting depth (data and schema) and memory, with their
//! defaults and as set through `LoadOptions`; and the exact end of the input, which
//! loads from memory and files check and stream loads stop at.

use std::collections::HashMap;

use savefile::prelude::*;
use savefile::{
    load_file_noschema_with, load_from_mem_noschema_with, load_from_mem_with, load_noschema_with,
    DEFAULT_MAX_DEPTH,
};
use savefile_test::rich::{Item, Room};
use savefile_test::TempDir;

/// Runs `f` on a thread with a stack of `megabytes`, as a main thread (8 MiB) would
/// have, rather than the 2 MiB of a test thread.
fn with_stack(megabytes: usize, f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(megabytes << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

/// A no-schema file of `levels` empty rooms, each the secret room of the one
/// before, written byte by byte (saving a value that deep would itself recurse).
fn deep_rooms(levels: usize) -> Vec<u8> {
    let mut empty = Vec::new();
    save_noschema(&mut empty, 0, &Room::empty("")).unwrap();
    let header = &empty[..16];
    // An empty room ends with its `secret: None` tag; 1 makes it `Some`.
    let room = &empty[16..empty.len() - 1];
    let mut file = header.to_vec();
    for _ in 1..levels {
        file.extend_from_slice(room);
        file.push(1);
    }
    file.extend_from_slice(room);
    file.push(0);
    file
}

/// The same rooms with the schema of `Room` between header and data.
fn with_room_schema(bare: &[u8]) -> Vec<u8> {
    let empty = save_to_mem(0, &Room::empty("")).unwrap();
    let mut plain = Vec::new();
    save_noschema(&mut plain, 0, &Room::empty("")).unwrap();
    let schema_end = empty.len() - (plain.len() - 16);
    let mut file = empty[..schema_end].to_vec();
    file.extend_from_slice(&bare[16..]);
    file
}

fn depth_of(room: &Room) -> usize {
    let mut depth = 1;
    let mut at = room;
    while let Some(inner) = &at.secret {
        depth += 1;
        at = inner;
    }
    depth
}

#[test]
fn data_nested_to_the_default_limit_loads_and_drops_on_a_main_thread_stack() {
    with_stack(8, || {
        let levels = DEFAULT_MAX_DEPTH as usize;
        let bare = deep_rooms(levels);
        let room = load_from_mem_noschema::<Room>(&bare, 0).unwrap();
        assert_eq!(depth_of(&room), levels);
        // Dropping recurses as deeply as loading did; it must fit too.
        drop(room);
        let room = load_from_mem::<Room>(&with_room_schema(&bare), 0).unwrap();
        assert_eq!(depth_of(&room), levels);
        drop(room);
        let room = load_noschema::<Room>(&mut &bare[..], 0).unwrap();
        drop(room);

        let mut bags = Item::Nothing;
        for _ in 1..levels {
            bags = Item::Bag(vec![bags]);
        }
        let mut file = Vec::new();
        save_noschema(&mut file, 0, &bags).unwrap();
        drop(bags);
        drop(load_from_mem_noschema::<Item>(&file, 0).unwrap());
    });
}

#[test]
fn data_nested_deeper_than_the_limit_is_an_error_not_a_stack_overflow() {
    with_stack(8, || {
        let just_over = deep_rooms(DEFAULT_MAX_DEPTH as usize + 1);
        let far_over = deep_rooms(100_000);
        for bare in [&just_over, &far_over] {
            let schema = with_room_schema(bare);
            let loads = [
                load_from_mem_noschema::<Room>(bare, 0),
                load_noschema::<Room>(&mut &bare[..], 0),
                load_from_mem::<Room>(&schema, 0),
                load::<Room>(&mut &schema[..], 0),
            ];
            for loaded in loads {
                assert!(
                    matches!(
                        loaded,
                        Err(SavefileError::DepthLimitExceeded { limit: 512 })
                    ),
                    "{loaded:?}"
                );
            }
        }
    });
}

#[test]
fn the_depth_limit_is_configurable_for_data() {
    let ten = LoadOptions::new().max_depth(10);
    let loaded = load_from_mem_noschema_with::<Room>(&deep_rooms(10), 0, &ten).unwrap();
    assert_eq!(depth_of(&loaded), 10);
    assert!(matches!(
        load_from_mem_noschema_with::<Room>(&deep_rooms(11), 0, &ten),
        Err(SavefileError::DepthLimitExceeded { limit: 10 })
    ));
    assert!(matches!(
        load_noschema_with::<Room>(&mut &deep_rooms(11)[..], 0, &ten),
        Err(SavefileError::DepthLimitExceeded { limit: 10 })
    ));
    // A larger limit takes a larger stack, which the caller provides.
    with_stack(256, || {
        let deep = LoadOptions::new().max_depth(3000);
        let file = deep_rooms(3000);
        let room = load_from_mem_noschema_with::<Room>(&file, 0, &deep).unwrap();
        assert_eq!(depth_of(&room), 3000);
        drop(room);
        assert!(load_from_mem_noschema::<Room>(&file, 0).is_err());
    });
}

/// How many levels a schema nests, counting every node.
fn schema_depth(schema: &Schema) -> u32 {
    let fields = |fields: &[Field]| fields.iter().map(|f| schema_depth(&f.value)).max();
    1 + match schema {
        Schema::Struct(s) => fields(&s.fields).unwrap_or(0),
        Schema::Enum(e) => e
            .variants
            .iter()
            .filter_map(|v| fields(&v.fields))
            .max()
            .unwrap_or(0),
        Schema::Vector(item, _) | Schema::SchemaOption(item) => schema_depth(item),
        Schema::Array(a) => schema_depth(&a.item_type),
        _ => 0,
    }
}

#[test]
fn the_depth_limit_applies_to_schemas_too() {
    // The sample room's data nests four levels (a room, its secret room, an item
    // in it, the coins in that bag); its schema nests deeper.
    let depth = schema_depth(&get_schema::<Room>(0));
    assert!(depth > 4);
    let file = save_to_mem(0, &Room::sample()).unwrap();
    let enough = load_from_mem_with::<Room>(&file, 0, &LoadOptions::new().max_depth(depth));
    assert!(enough.is_ok(), "{enough:?}");
    let short = LoadOptions::new().max_depth(depth - 1);
    assert!(matches!(
        load_from_mem_with::<Room>(&file, 0, &short),
        Err(SavefileError::DepthLimitExceeded { limit }) if limit == depth - 1
    ));
    // Without a schema, only the data's depth counts.
    let mut bare = Vec::new();
    save_noschema(&mut bare, 0, &Room::sample()).unwrap();
    assert!(
        load_from_mem_noschema_with::<Room>(&bare, 0, &LoadOptions::new().max_depth(4)).is_ok()
    );
    // A crafted schema of 300 nested options, within the default limit but not
    // within 100.
    let mut deep = save_to_mem(0, &0u8).unwrap()[..16].to_vec();
    deep.extend(std::iter::repeat_n(7u8, 300));
    deep.push(6);
    with_stack(8, move || {
        assert!(matches!(
            load_from_mem::<u8>(&deep, 0),
            Err(SavefileError::IncompatibleSchema { .. })
        ));
        assert!(matches!(
            load_from_mem_with::<u8>(&deep, 0, &LoadOptions::new().max_depth(100)),
            Err(SavefileError::DepthLimitExceeded { limit: 100 })
        ));
    });
}

#[test]
fn memory_beyond_max_bytes_is_refused_before_it_is_allocated() {
    let limit = |bytes| LoadOptions::new().max_bytes(bytes);
    fn refused<T: std::fmt::Debug>(result: Result<T, SavefileError>, max: u64) {
        match result {
            Err(SavefileError::MemoryLimitExceeded { limit, requested }) => {
                assert_eq!(limit, max);
                assert!(requested > max);
            }
            other => panic!("expected MemoryLimitExceeded, got {other:?}"),
        }
    }
    let mut numbers = Vec::new();
    save_noschema(&mut numbers, 0, &vec![0u64; 1000]).unwrap();
    assert!(load_from_mem_noschema_with::<Vec<u64>>(&numbers, 0, &limit(8000)).is_ok());
    refused(
        load_from_mem_noschema_with::<Vec<u64>>(&numbers, 0, &limit(7999)),
        7999,
    );
    refused(
        load_noschema_with::<Vec<u64>>(&mut &numbers[..], 0, &limit(7999)),
        7999,
    );
    let mut text = Vec::new();
    save_noschema(&mut text, 0, &"x".repeat(10_000)).unwrap();
    refused(
        load_from_mem_noschema_with::<String>(&text, 0, &limit(9_999)),
        9_999,
    );
    // Short strings (read on the fast path, except the last few) are charged too, at
    // their capacity: 100 strings of 24 bytes each in the vector plus 16 bytes each
    // for 8 bytes of text (texts of 1 to 16 bytes get room for 16).
    let mut texts = Vec::new();
    save_noschema(&mut texts, 0, &vec!["abcdefgh".to_string(); 100]).unwrap();
    let fits = load_from_mem_noschema_with::<Vec<String>>(&texts, 0, &limit(4_000));
    assert!(fits.unwrap().iter().all(|text| text.capacity() == 16));
    refused(
        load_from_mem_noschema_with::<Vec<String>>(&texts, 0, &limit(3_999)),
        3_999,
    );
    refused(
        load_from_mem_noschema_with::<Vec<String>>(&texts, 0, &limit(2_800)),
        2_800,
    );
    // Boxed strings have no room to spare, but each is a heap block, charged 16 bytes
    // at least: 16 bytes each in the vector plus 16 for their 8.
    let mut boxed_texts = Vec::new();
    let boxed: Vec<Box<str>> = vec!["abcdefgh".into(); 100];
    save_noschema(&mut boxed_texts, 0, &boxed).unwrap();
    for load in [
        |file: &[u8], options: &LoadOptions| {
            load_from_mem_noschema_with::<Vec<Box<str>>>(file, 0, options)
        },
        |file: &[u8], options: &LoadOptions| {
            load_noschema_with::<Vec<Box<str>>>(&mut &file[..], 0, options)
        },
    ] {
        assert_eq!(load(&boxed_texts, &limit(3_200)).unwrap(), boxed);
        refused(load(&boxed_texts, &limit(3_199)), 3_199);
    }
    // A stream is charged the same.
    let fits = load_noschema_with::<Vec<String>>(&mut &texts[..], 0, &limit(4_000));
    assert_eq!(fits.unwrap().len(), 100);
    refused(
        load_noschema_with::<Vec<String>>(&mut &texts[..], 0, &limit(3_999)),
        3_999,
    );
    // So are short packed vectors: 50 of 24 bytes, each with room for 16 bytes
    // (eight u16s) for its three.
    let mut short = Vec::new();
    save_noschema(&mut short, 0, &vec![vec![1u16, 2, 3]; 50]).unwrap();
    for load in [
        |file: &[u8], options: &LoadOptions| {
            load_from_mem_noschema_with::<Vec<Vec<u16>>>(file, 0, options)
        },
        |file: &[u8], options: &LoadOptions| {
            load_noschema_with::<Vec<Vec<u16>>>(&mut &file[..], 0, options)
        },
    ] {
        assert_eq!(load(&short, &limit(2_000)).unwrap().len(), 50);
        refused(load(&short, &limit(1_999)), 1_999);
    }
    // Boxed slices get no spare room (it would be given back): 50 of 16 bytes, each
    // with its 6 bytes of elements, a block charged 16 bytes.
    let boxed_short =
        |options: &LoadOptions| load_from_mem_noschema_with::<Vec<Box<[u16]>>>(&short, 0, options);
    assert_eq!(boxed_short(&limit(1_600)).unwrap()[49][..], [1, 2, 3]);
    refused(boxed_short(&limit(1_599)), 1_599);
    // Non-bulk elements are charged at their size in memory, not in the file:
    // a thousand `Nothing`s are a thousand bytes, and 32 kB in memory.
    let mut items = Vec::new();
    save_noschema(
        &mut items,
        0,
        &(0..1000).map(|_| Item::Nothing).collect::<Vec<_>>(),
    )
    .unwrap();
    refused(
        load_from_mem_noschema_with::<Vec<Item>>(&items, 0, &limit(20_000)),
        20_000,
    );
    // Every charge counts: map entries, and boxes one by one.
    let map: HashMap<u32, u32> = (0..100).map(|i| (i, i)).collect();
    let mut entries = Vec::new();
    save_noschema(&mut entries, 0, &map).unwrap();
    refused(
        load_from_mem_noschema_with::<HashMap<u32, u32>>(&entries, 0, &limit(799)),
        799,
    );
    let boxes: Vec<Box<[u64; 16]>> = (0..10).map(|_| Box::new([0; 16])).collect();
    let mut boxed = Vec::new();
    save_noschema(&mut boxed, 0, &boxes).unwrap();
    let needed = 10 * 8 + 10 * 128;
    assert!(load_from_mem_noschema_with::<Vec<Box<[u64; 16]>>>(&boxed, 0, &limit(needed)).is_ok());
    refused(
        load_from_mem_noschema_with::<Vec<Box<[u64; 16]>>>(&boxed, 0, &limit(needed - 1)),
        needed - 1,
    );
}

#[test]
fn compressed_data_may_not_expand_beyond_max_bytes() {
    // A small value followed, inside the compressed data, by a megabyte of zeros.
    let mut body = save_to_mem(0, &7u32).unwrap();
    let header = body.drain(..16).collect::<Vec<u8>>();
    body.extend(std::iter::repeat_n(0u8, 1 << 20));
    let mut file = header;
    file[15] = 1;
    let mut encoder = bzip2::write::BzEncoder::new(&mut file, bzip2::Compression::fast());
    std::io::Write::write_all(&mut encoder, &body).unwrap();
    encoder.finish().unwrap();
    assert!(file.len() < 1000, "a megabyte of zeros compresses well");
    assert!(matches!(
        load_from_mem::<u32>(&file, 0),
        Err(SavefileError::TrailingBytes { count: 1_048_576 })
    ));
    let small = LoadOptions::new().max_bytes(100_000);
    for loaded in [
        load_from_mem_with::<u32>(&file, 0, &small),
        savefile::load_with::<u32>(&mut &file[..], 0, &small),
    ] {
        assert!(
            matches!(
                loaded,
                Err(SavefileError::DecompressionLimitExceeded { limit: 100_000 })
            ),
            "{loaded:?}"
        );
    }
}

#[test]
fn load_file_refuses_files_larger_than_max_bytes() {
    let dir = TempDir::new();
    let path = dir.path("big.sav");
    save_file_noschema(&path, 0, &vec![1u8; 10_000]).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    let fits = LoadOptions::new().max_bytes(size);
    assert!(load_file_noschema_with::<Vec<u8>, _>(&path, 0, &fits).is_ok());
    assert!(matches!(
        load_file_noschema_with::<Vec<u8>, _>(&path, 0, &LoadOptions::new().max_bytes(size - 1)),
        Err(SavefileError::MemoryLimitExceeded { requested, .. }) if requested == size
    ));
}

#[test]
fn bytes_after_the_value_are_an_error_in_memory_and_in_files() {
    let file = save_to_mem(0, &Room::sample()).unwrap();
    let mut appended = file.clone();
    appended.extend_from_slice(b"junk");
    assert!(matches!(
        load_from_mem::<Room>(&appended, 0),
        Err(SavefileError::TrailingBytes { count: 4 })
    ));
    // A save overwritten in place by a shorter one leaves the old tail behind.
    let mut overwritten = file.clone();
    let shorter = save_to_mem(0, &Room::empty("x")).unwrap();
    overwritten[..shorter.len()].copy_from_slice(&shorter);
    assert!(matches!(
        load_from_mem::<Room>(&overwritten, 0),
        Err(SavefileError::TrailingBytes { .. })
    ));
    let dir = TempDir::new();
    let path = dir.path("appended.sav");
    std::fs::write(&path, &appended).unwrap();
    assert!(matches!(
        load_file::<Room, _>(&path, 0),
        Err(SavefileError::TrailingBytes { count: 4 })
    ));
    // After compressed data: bytes behind the bzip2 stream.
    let mut compressed = Vec::new();
    save_compressed(&mut compressed, 0, &Room::sample()).unwrap();
    compressed.push(0);
    assert!(matches!(
        load_from_mem::<Room>(&compressed, 0),
        Err(SavefileError::TrailingBytes { count: 1 })
    ));
}

#[test]
fn stream_loads_stop_right_after_the_value() {
    let mut stream = Vec::new();
    save(&mut stream, 0, &Room::sample()).unwrap();
    save_noschema(&mut stream, 0, &"second".to_string()).unwrap();
    save(&mut stream, 0, &vec![1u32, 2, 3]).unwrap();
    stream.extend_from_slice(b"rest");
    let mut reader = &stream[..];
    assert_eq!(load::<Room>(&mut reader, 0).unwrap(), Room::sample());
    assert_eq!(load_noschema::<String>(&mut reader, 0).unwrap(), "second");
    assert_eq!(load::<Vec<u32>>(&mut reader, 0).unwrap(), [1, 2, 3]);
    assert_eq!(reader, b"rest");
}

/// A generic wrapper that holds its value inline.
#[derive(Savefile, Debug, PartialEq)]
struct Wrap<T>(T, u8);

/// A list that nests through a box: each node can hold another.
#[derive(Savefile, Debug, PartialEq)]
struct Node {
    value: Wrap<u32>,
    next: Option<Box<Node>>,
}

#[test]
fn only_types_that_can_recurse_count_as_levels() {
    // Inline wrappers of leaf types cannot contain themselves: however deep the type,
    // the data nests no deeper than it, so they take no levels of the limit.
    let deep_type = Wrap(
        Wrap(Wrap(Wrap((Some(7u16), "text".to_string()), 1), 2), 3),
        4,
    );
    // (Without a schema: the limit applies to the schema's nesting as well.)
    let mut bytes = Vec::new();
    save_noschema(&mut bytes, 0, &deep_type).unwrap();
    let none = LoadOptions::new().max_depth(0);
    assert_eq!(
        load_from_mem_noschema_with(&bytes, 0, &none).ok(),
        Some(deep_type)
    );
    const { assert!(<Wrap<Wrap<String>> as Deserialize>::__SAVEFILE_FLAT) };
    // A type that holds a box, a vector or a map of anything is a level.
    const { assert!(!<Node as Deserialize>::__SAVEFILE_FLAT) };
    const { assert!(!<Wrap<Vec<u8>> as Deserialize>::__SAVEFILE_FLAT) };
    let list = Node {
        value: Wrap(1, 1),
        next: Some(Box::new(Node {
            value: Wrap(2, 2),
            next: Some(Box::new(Node {
                value: Wrap(3, 3),
                next: None,
            })),
        })),
    };
    let mut bytes = Vec::new();
    save_noschema(&mut bytes, 0, &list).unwrap();
    let three = LoadOptions::new().max_depth(3);
    assert_eq!(
        load_from_mem_noschema_with(&bytes, 0, &three).ok(),
        Some(list)
    );
    let two = LoadOptions::new().max_depth(2);
    assert!(matches!(
        load_from_mem_noschema_with::<Node>(&bytes, 0, &two),
        Err(SavefileError::DepthLimitExceeded { limit: 2 })
    ));
}
