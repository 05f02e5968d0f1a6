//! What the fuzz targets share: a derived type that reaches every kind of value the
//! crate loads, and the checks each target runs on one input.
//!
//! Every check is an assertion about behaviour, not only "no panic": loads from
//! memory and from a stream agree, a borrowed load (of the twin in [`borrowed`])
//! agrees with the owned one, whatever loads saves again and loads back equal, and
//! a schema compares equal to itself and to its own re-encoding.

pub mod borrowed;

use std::collections::{BTreeMap, BTreeSet, HashMap, LinkedList};
use std::sync::Arc;

use savefile::__private::{decode_schema, encode_schema};
use savefile::prelude::*;
use savefile::{load_from_mem_noschema_with, load_from_mem_with, load_noschema_with, load_with};

mod calls;
pub use calls::{Calls, Nothing};

/// The data version the targets load as (version 0 and 1 layouts both exist).
pub const VERSION: u32 = 1;

/// Plain data, copied in bulk inside vectors.
#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(C)]
pub struct Point {
    pub x: u32,
    pub y: u32,
}

/// An enum copied in bulk with its tag checked: only 0, 1 and 2 are valid bytes.
#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(u8)]
pub enum Kind {
    A,
    B,
    C,
}

/// An enum whose discriminants are not its indexes: saved by index, one by one.
#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(u8)]
pub enum Gapped {
    One = 1,
    Five = 5,
    Nine = 9,
}

/// An enum with every shape of variant, recursive through a box.
#[derive(Savefile, Debug, PartialEq)]
pub enum Shape {
    Empty,
    Circle { radius: u32 },
    Polygon(Vec<(i16, i16)>),
    Named(String, Option<Box<Shape>>),
}

/// Other crates' types (the default features): an ordered map and set, inline
/// vectors and a string with capacities, bit vectors of both bit-vec versions, a set of
/// bits and a timestamp.
#[derive(Savefile, Debug, PartialEq)]
pub struct Holdings {
    pub stock: indexmap::IndexMap<String, u8>,
    pub seen: indexmap::IndexSet<u16>,
    pub hotbar: arrayvec::ArrayVec<u8, 4>,
    pub title: arrayvec::ArrayString<8>,
    pub path: smallvec::SmallVec<[u16; 2]>,
    pub explored: bit_vec::BitVec,
    pub flags: bit_set08::BitSet,
    pub saved_at: chrono::DateTime<chrono::Utc>,
}

/// The root: strings, maps, sets, options, results, packed and checked vectors,
/// arrays, shared strings, a linked list, a vector of zero-sized values, a field
/// added in version 1, and recursion both through a vector and through an option.
#[derive(Savefile, Debug, PartialEq)]
pub struct Node {
    pub name: String,
    pub tags: BTreeMap<String, u64>,
    pub counts: HashMap<u16, Vec<u8>>,
    pub flags: Vec<bool>,
    pub letters: Vec<char>,
    pub points: Vec<Point>,
    pub kinds: Vec<Kind>,
    pub gapped: Vec<Gapped>,
    pub shape: Shape,
    pub maybe: Option<u64>,
    pub outcome: Result<u8, String>,
    pub array: [u16; 3],
    pub text: Arc<str>,
    pub set: BTreeSet<i32>,
    pub list: LinkedList<u8>,
    pub units: Vec<()>,
    pub holdings: Option<Box<Holdings>>,
    #[savefile_versions = "1.."]
    #[savefile_default_val = "7"]
    pub added: u32,
    pub children: Vec<Node>,
    pub link: Option<Box<Node>>,
}

/// A value with every field filled in and two levels of children, from which the
/// seed inputs are made.
pub fn sample() -> Node {
    let leaf = |name: &str| Node {
        name: name.to_string(),
        tags: BTreeMap::from([("level".to_string(), 2)]),
        counts: HashMap::new(),
        flags: vec![true],
        letters: vec!['z'],
        points: vec![],
        kinds: vec![Kind::C],
        gapped: vec![],
        shape: Shape::Empty,
        maybe: None,
        outcome: Err("leaf".to_string()),
        array: [0; 3],
        text: Arc::from(""),
        set: BTreeSet::new(),
        list: LinkedList::new(),
        units: vec![],
        holdings: None,
        added: 0,
        children: vec![],
        link: None,
    };
    Node {
        name: "root ✓".to_string(),
        tags: BTreeMap::from([("a".to_string(), 1), ("b".to_string(), u64::MAX)]),
        counts: HashMap::from([(7, vec![1, 2, 3]), (9, vec![])]),
        flags: vec![true, false, true],
        letters: "h€llo 𝄞".chars().collect(),
        points: vec![Point { x: 1, y: 2 }, Point { x: 3, y: 4 }],
        kinds: vec![Kind::A, Kind::B, Kind::C],
        gapped: vec![Gapped::Nine, Gapped::One],
        shape: Shape::Named(
            "outer".to_string(),
            Some(Box::new(Shape::Polygon(vec![(1, -1), (2, -2)]))),
        ),
        maybe: Some(42),
        outcome: Ok(3),
        array: [1, 2, 3],
        text: Arc::from("shared"),
        set: BTreeSet::from([-5, 0, 5]),
        list: LinkedList::from([3, 1, 2]),
        units: vec![(); 3],
        holdings: Some(Box::new(Holdings {
            stock: [("wood".to_string(), 3), ("ore".to_string(), 1)]
                .into_iter()
                .collect(),
            seen: [5, 1, 300].into_iter().collect(),
            hotbar: [1, 2].into_iter().collect(),
            title: arrayvec::ArrayString::from("camp").expect("fits"),
            path: [7, 8, 9].into_iter().collect(),
            explored: bit_vec::BitVec::from_fn(40, |i| i % 3 == 0),
            flags: [2usize, 64].into_iter().collect(),
            saved_at: chrono::DateTime::from_timestamp_nanos(1_765_000_000_000_000_001),
        })),
        added: 11,
        children: vec![leaf("first"), leaf("second")],
        link: Some(Box::new(Node {
            shape: Shape::Circle { radius: 9 },
            ..leaf("linked")
        })),
    }
}

/// Tight limits, so that inputs reach the limit checks quickly.
fn small_limits() -> LoadOptions {
    LoadOptions::new().max_depth(24).max_bytes(1 << 20)
}

/// Loads `data` as a `Node`, from memory and from a stream, and borrowed as its twin,
/// with the default and with tight limits, and checks that the answers agree; a value
/// that loads must save and load back equal.
pub fn check_load(data: &[u8], with_schema: bool) {
    for options in [LoadOptions::default(), small_limits()] {
        let from_memory = if with_schema {
            load_from_mem_with::<Node>(data, VERSION, &options)
        } else {
            load_from_mem_noschema_with::<Node>(data, VERSION, &options)
        };
        let mut stream = data;
        let from_stream = if with_schema {
            load_with::<Node>(&mut stream, VERSION, &options)
        } else {
            load_noschema_with::<Node>(&mut stream, VERSION, &options)
        };
        // The same stream given a few bytes per read: the same answer, and the same
        // bytes left unread.
        let mut pieces = Pieces { bytes: data, at: 0 };
        let from_pieces = if with_schema {
            load_with::<Node>(&mut pieces, VERSION, &options)
        } else {
            load_noschema_with::<Node>(&mut pieces, VERSION, &options)
        };
        let compressed = data.get(15) == Some(&1);
        match (&from_stream, &from_pieces) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "stream loads in pieces differ");
                assert!(
                    compressed || pieces.bytes == stream,
                    "stream loads in pieces stopped at different places"
                );
            }
            (Err(_), Err(_)) => {}
            _ => panic!("a stream load in pieces disagrees: {from_stream:?} / {from_pieces:?}"),
        }
        match (&from_memory, &from_stream) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "memory and stream loads differ");
                // An uncompressed stream is left right after the value, which
                // the memory load found to be the end of the input.
                assert!(
                    compressed || stream.is_empty(),
                    "the stream load stopped early"
                );
            }
            // Only the memory load insists that nothing follows the value; the stream
            // load leaves exactly those bytes unread.
            (Err(SavefileError::TrailingBytes { count }), Ok(_)) => assert!(
                compressed || stream.len() as u64 == *count,
                "the stream load took bytes after the value"
            ),
            (Ok(_), Err(e)) => panic!("the memory load succeeded, the stream load failed: {e}"),
            (Err(e), Ok(_)) => panic!("the stream load succeeded, the memory load failed: {e}"),
            (Err(_), Err(_)) => {}
        }
        borrowed::check_borrowed(data, with_schema, &options, &from_memory);
        if let Ok(value) = from_memory {
            check_round_trip(&value, with_schema);
        }
    }
}

/// A reader that gives its bytes in pieces of 1 to 13 bytes, by a fixed pattern, with
/// an interruption before every fourth piece.
struct Pieces<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl std::io::Read for Pieces<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        self.at += 1;
        if self.at % 4 == 0 {
            return Err(std::io::ErrorKind::Interrupted.into());
        }
        let n = out.len().min(1 + self.at * 7 % 13).min(self.bytes.len());
        out[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

/// Saves `value` and loads it back: it must be equal.
fn check_round_trip(value: &Node, with_schema: bool) {
    let back = if with_schema {
        let bytes = save_to_mem(VERSION, value).expect("a loaded value saves");
        load_from_mem::<Node>(&bytes, VERSION)
    } else {
        let mut bytes = Vec::new();
        save_noschema(&mut bytes, VERSION, value).expect("a loaded value saves");
        load_from_mem_noschema::<Node>(&bytes, VERSION)
    };
    match back {
        Ok(back) => assert_eq!(&back, value, "a saved value loads back different"),
        Err(e) => panic!("a loaded value, saved again, does not load: {e}"),
    }
}

/// Decodes up to two schemas from `data` (after a first byte that picks the
/// savefile format version) and compares them with each other, with themselves,
/// with their re-encodings and with the program's schema of `Node`.
pub fn check_schemas(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let format_version = u16::from(selector % 3);
    let options = if selector & 0x80 == 0 {
        LoadOptions::default()
    } else {
        small_limits()
    };
    let Ok((first, used)) = decode_schema(rest, format_version, &options) else {
        return;
    };
    check_schema(&first);
    let program = get_schema::<Node>(VERSION);
    let forward = diff_schema(&program, &first, ".".into(), false);
    let backward = diff_schema(&first, &program, ".".into(), false);
    assert_eq!(
        forward.is_none(),
        backward.is_none(),
        "compatibility is not symmetric"
    );
    if let Ok((second, _)) = decode_schema(&rest[used..], format_version, &options) {
        check_schema(&second);
        let forward = diff_schema(&first, &second, ".".into(), false);
        let backward = diff_schema(&second, &first, ".".into(), false);
        assert_eq!(
            forward.is_none(),
            backward.is_none(),
            "compatibility is not symmetric"
        );
    }
}

/// A schema without undefined parts is compatible with itself, and re-encodes
/// (as format version 2) to bytes that decode to the same schema.
fn check_schema(schema: &Schema) {
    if !has_undefined(schema) {
        assert_eq!(diff_schema(schema, schema, ".".into(), false), None);
    }
    let bytes = encode_schema(schema).expect("a decoded schema encodes");
    let (again, used) =
        decode_schema(&bytes, 2, &LoadOptions::default()).expect("a re-encoded schema decodes");
    assert_eq!(used, bytes.len(), "a re-encoded schema has bytes left over");
    assert_eq!(&again, schema, "a re-encoded schema decodes different");
}

/// True if some node of `schema` is `Undefined`, which matches nothing, not even itself.
fn has_undefined(schema: &Schema) -> bool {
    match schema {
        Schema::Undefined => true,
        Schema::Struct(s) => s.fields.iter().any(|f| has_undefined(&f.value)),
        Schema::Enum(e) => e
            .variants
            .iter()
            .any(|v| v.fields.iter().any(|f| has_undefined(&f.value))),
        Schema::Vector(item, _) | Schema::SchemaOption(item) => has_undefined(item),
        Schema::Array(a) => has_undefined(&a.item_type),
        _ => false,
    }
}

/// Metadata of the mapped files the `mapped_open` target opens: versioned, with a
/// string and a map.
#[derive(Savefile, Debug, PartialEq, Clone)]
pub struct MapInfo {
    pub name: String,
    pub tags: BTreeMap<String, u32>,
}

/// Opens `data` as a mapped-array image of elements of three kinds: `u32` (every bit
/// pattern valid), `bool` and `Kind` (each element checked), aligned (copied into an
/// `AlignedBytes`) and borrowed as given. A view that opens must hold exactly what the
/// typed load of the same bytes as a `MappedData` gives; a typed load that succeeds
/// where the view is refused must be refused for the mapped layout only (alignment,
/// shape), never for the bytes.
pub fn check_mapped(data: &[u8]) {
    check_mapped_as::<u32>(data);
    check_mapped_as::<bool>(data);
    check_mapped_as::<Kind>(data);
}

fn check_mapped_as<T>(data: &[u8])
where
    T: WithSchema + Serialize + Deserialize + Packed + PartialEq + std::fmt::Debug,
{
    use savefile::{AlignedBytes, Borrowed, InMemory, MappedData, MappedVec};
    let typed = load_from_mem::<MappedData<MapInfo, T>>(data, VERSION);
    let image =
        MappedVec::<T, MapInfo, InMemory>::from_image(AlignedBytes::copy_from(data), VERSION);
    let borrowed = MappedVec::<T, MapInfo, Borrowed<'_>>::view(data, VERSION);
    for (view, how) in [
        (
            image
                .as_ref()
                .map(|v| (v.as_slice(), v.metadata(), v.shape())),
            "image",
        ),
        (
            borrowed
                .as_ref()
                .map(|v| (v.as_slice(), v.metadata(), v.shape())),
            "borrowed",
        ),
    ] {
        match (&typed, view) {
            (Ok(plain), Ok((elements, metadata, shape))) => {
                assert_eq!(plain.data.as_slice(), elements, "{how}: elements differ");
                assert_eq!(&plain.metadata, metadata, "{how}: metadata differs");
                assert_eq!(plain.shape.as_slice(), shape, "{how}: shape differs");
                let product = shape.iter().try_fold(1u64, |p, d| p.checked_mul(*d));
                assert!(
                    shape.is_empty() || product == Some(elements.len() as u64),
                    "{how}: shape does not fit"
                );
            }
            (Err(e), Ok(_)) => panic!("{how}: the view opened, the typed load failed: {e}"),
            (Ok(_), Err(SavefileError::Mapped { .. })) | (Err(_), Err(_)) => {}
            (Ok(_), Err(e)) => panic!("{how}: the typed load succeeded, the view failed: {e}"),
        }
    }
}

/// Decodes `data` by the schema in it (`load_dynamic`), from memory and from a stream,
/// with the default and with tight limits: the two must agree, a visit of it must tell
/// what the tree replays and fail as the load fails, and a file whose schema is
/// exactly `Node`'s and that loads as a `Node` must decode without its types too. (Where
/// the file's schema differs in names that the load's check ignores, the dynamic decode
/// may read the bytes otherwise: `IpAddr` and `SocketAddr` share a schema but for the
/// enum's name, and their bytes differ.)
pub fn check_dynamic(data: &[u8]) {
    for options in [LoadOptions::default(), small_limits()] {
        let from_memory = savefile::load_dynamic_from_mem_with(data, &options);
        let mut stream = data;
        let from_stream = savefile::load_dynamic_with(&mut stream, &options);
        match (&from_memory, &from_stream) {
            (Ok(a), Ok(b)) => {
                // Compared by their replays, which take floats bit for bit (`Value`'s `==`
                // finds a NaN unequal to itself).
                let (a_calls, b_calls) = (replayed(&a.value), replayed(&b.value));
                assert!(
                    a_calls == b_calls,
                    "memory and stream decodes differ: {a:?} {b:?}"
                );
                assert_eq!(a.schema, b.schema, "memory and stream schemas differ");
            }
            (Ok(_), Err(e)) => panic!("the memory decode succeeded, the stream decode failed: {e}"),
            // A stream may stop after the value where memory finds trailing bytes.
            (Err(_), _) => {}
        }
        check_visit(data, &options, &from_memory, &from_stream);
        let exact_schema = savefile::load_dynamic_schema(&mut &data[..], &options)
            .is_ok_and(|file| file.schema == get_schema::<Node>(file.header.data_version));
        if exact_schema && load_from_mem_with::<Node>(data, VERSION, &options).is_ok() {
            if let Err(e) = &from_memory {
                panic!("the typed load succeeded, the dynamic decode failed: {e}");
            }
        }
    }
}

/// Visits `data` (`visit_dynamic_from_mem`, `visit_dynamic`): the calls of the first must
/// be what the tree the load built replays, each visit must succeed or fail as the load of the same
/// kind did, with the same error, path and offset.
fn check_visit(
    data: &[u8],
    options: &LoadOptions,
    from_memory: &Result<savefile::Dynamic, savefile::DynamicError>,
    from_stream: &Result<savefile::Dynamic, savefile::DynamicError>,
) {
    let describe = |e: &savefile::DynamicError| format!("{e} / {} / {:?}", e.path, e.offset);
    let mut visited = Calls::default();
    let from_visit = savefile::visit_dynamic_from_mem(data, options, &mut visited);
    let mut stream = data;
    let from_stream_visit = savefile::visit_dynamic(&mut stream, options, &mut Nothing);
    for (loaded, visit, how) in [
        (from_memory, from_visit, "memory"),
        (from_stream, from_stream_visit, "stream"),
    ] {
        match (loaded, visit) {
            (Ok(dynamic), Ok(found)) => {
                assert_eq!(found.schema, dynamic.schema, "{how}: visited schema");
                assert_eq!(found.header, dynamic.header, "{how}: visited header");
            }
            (Err(a), Err(savefile::VisitError::Load(b))) => {
                assert_eq!(
                    describe(a),
                    describe(&b),
                    "{how}: the visit failed otherwise"
                )
            }
            (_, Err(savefile::VisitError::Visitor(never))) => match never {},
            (Ok(_), Err(e)) => panic!("{how}: the load succeeded, the visit failed: {e}"),
            (Err(e), Ok(_)) => panic!("{how}: the visit succeeded, the load failed: {e}"),
        }
    }
    if let Ok(dynamic) = from_memory {
        assert!(
            visited.open.is_empty(),
            "a visit that ended with values open"
        );
        let replayed = replayed(&dynamic.value);
        assert_eq!(
            visited.digest(),
            replayed,
            "the visit differs from the tree"
        );
    }
}

/// The digest of the calls `value` replays.
fn replayed(value: &savefile::Value) -> (u64, u64) {
    let mut calls = Calls::default();
    if let Err(never) = value.visit(&mut calls) {
        match never {}
    }
    calls.digest()
}
