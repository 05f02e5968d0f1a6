//! The compatibility corpus: every type and value that the savefile 0.20 fixtures hold.
//!
//! This one file is compiled twice: by `compat/fixture-writer` against the `savefile`
//! 0.20 crate from crates.io, and by `savefile-test/tests/compat.rs` against this
//! workspace's crate. The types are therefore defined identically on both sides by
//! construction. It uses only what both crates spell the same way: the `Savefile`
//! derive and its attributes, `Removed`, and the `WithSchema`, `Serialize` and
//! `Deserialize` traits as bounds.
//!
//! The cases of other crates' types are in `ecosystem.rs` beside this file, which both
//! crates compile as their module `ecosystem`.
//!
//! [`visit`] hands every case to a [`Visitor`]: the writer saves each value, the tests
//! and the writer's `verify` mode load the files back and compare.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt::Debug;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::ops::Range;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use savefile::prelude::*;

/// The data version every unversioned case is saved with.
pub(crate) const CORPUS_VERSION: u32 = 1;

/// The three ways each case is saved, and the file each one goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `save`: header, schema, data.
    Schema,
    /// `save_noschema`: header, data.
    NoSchema,
    /// `save_compressed`: header, then schema and data in one bzip2 stream.
    Compressed,
}

impl Kind {
    /// Every kind, in the order the files are written.
    pub(crate) const ALL: [Kind; 3] = [Kind::Schema, Kind::NoSchema, Kind::Compressed];

    /// The file name of case `case` saved this way.
    pub(crate) fn file_name(self, case: &str) -> String {
        let suffix = match self {
            Kind::Schema => "schema",
            Kind::NoSchema => "noschema",
            Kind::Compressed => "bz2",
        };
        format!("{case}.{suffix}.sav")
    }
}

/// Receives the cases of the corpus, one call per case.
pub(crate) trait Visitor {
    /// `value`, saved as data version `version`, is in the files named after `name`;
    /// `same` decides whether a loaded value is the expected one.
    fn case<T>(&mut self, name: &'static str, version: u32, value: T, same: fn(&T, &T) -> bool)
    where
        T: WithSchema + Serialize + Deserialize + Debug;

    /// The files of the case `file` (saved by an older definition) load as `value`
    /// into a newer definition, by a program whose data version is `version`.
    fn upgrade<T>(&mut self, file: &'static str, version: u32, value: T, same: fn(&T, &T) -> bool)
    where
        T: WithSchema + Deserialize + Debug;
}

/// Equality by `PartialEq`.
pub(crate) fn eq<T: PartialEq>(a: &T, b: &T) -> bool {
    a == b
}

/// Floats compare by bits, so that -0.0 differs from 0.0 and a NaN equals itself
/// (payload included).
pub(crate) fn same_f32(a: &f32, b: &f32) -> bool {
    a.to_bits() == b.to_bits()
}

/// [`same_f32`] for `f64`.
pub(crate) fn same_f64(a: &f64, b: &f64) -> bool {
    a.to_bits() == b.to_bits()
}

/// [`same_f32`] for arrays.
pub(crate) fn same_f32s<const N: usize>(a: &[f32; N], b: &[f32; N]) -> bool {
    a.iter().zip(b).all(|(a, b)| same_f32(a, b))
}

/// [`same_f64`] for arrays.
pub(crate) fn same_f64s<const N: usize>(a: &[f64; N], b: &[f64; N]) -> bool {
    a.iter().zip(b).all(|(a, b)| same_f64(a, b))
}

/// A struct with named fields of several kinds.
#[derive(Savefile, Debug, PartialEq)]
pub(crate) struct Named {
    pub(crate) id: u32,
    pub(crate) name: String,
    pub(crate) tags: Vec<String>,
    pub(crate) ratio: f64,
    pub(crate) flag: bool,
    pub(crate) maybe: Option<u16>,
}

/// A tuple struct; the ignored field is never saved, so the schema's field names are
/// "0" and "2".
#[derive(Savefile, Debug, PartialEq)]
pub(crate) struct Pair(u8, #[savefile_ignore] u32, i64);

/// A unit struct: a struct schema with no fields, no data bytes.
#[derive(Savefile, Debug, PartialEq)]
pub(crate) struct Unit;

/// Unit, tuple and struct variants, without a repr: a 1-byte index.
#[derive(Savefile, Debug, PartialEq)]
pub(crate) enum Shape {
    Empty,
    Circle(f32),
    Rect { w: u32, h: u32 },
    Label(String, u8),
}

/// A `#[repr(u16)]` enum whose variants all fill the enum: a 2-byte index, and plain
/// data that both crates copy in bulk inside a `Vec`.
#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
#[repr(u16)]
pub(crate) enum Wide {
    Low(u16),
    Mid { v: i16 },
    High(u8, u8),
}

/// A `#[repr(u16)]` enum with a unit variant, saved on its own (see the writer's
/// `probe` mode for what savefile 0.20 does with a `Vec` of it).
#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
#[repr(u16)]
pub(crate) enum Mode {
    Off,
    Level(u16),
}

/// A field-less `#[repr(u8)]` enum whose Rust discriminants are not its indexes. Not a
/// fixture: savefile 0.20 writes a `Vec` of it as raw discriminants (see the writer's
/// `probe` mode and docs/compatibility.md).
#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
#[repr(u8)]
pub(crate) enum Code {
    A = 5,
    B = 6,
}

/// A `#[repr(C)]` struct with an ignored field between two saved ones. Not a
/// fixture: savefile 0.20 copies it as raw memory, ignored field included (see the
/// writer's `probe` mode and docs/compatibility.md).
#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
#[repr(C)]
pub(crate) struct WithIgnored {
    pub(crate) a: u32,
    #[savefile_ignore]
    pub(crate) b: u32,
    pub(crate) c: u32,
}

/// A padding-free `#[repr(C)]` struct: a `Vec` of it is one block of memory.
#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
#[repr(C)]
pub(crate) struct Point {
    pub(crate) x: i32,
    pub(crate) y: i32,
}

/// A `#[repr(C)]` struct with padding after `tag`: saved field by field, no padding.
#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
#[repr(C)]
pub(crate) struct Padded {
    pub(crate) tag: u8,
    pub(crate) value: u32,
}

/// A tree: recursive through `Vec`.
#[derive(Savefile, Debug, PartialEq)]
pub(crate) struct Tree {
    pub(crate) label: String,
    pub(crate) children: Vec<Tree>,
}

/// A linked list: recursive through `Box`, inside an enum.
#[derive(Savefile, Debug, PartialEq)]
pub(crate) enum List {
    Nil,
    Cons(i32, Box<List>),
}

/// A chain: recursive through `Option<Box<…>>`.
#[derive(Savefile, Debug, PartialEq)]
pub(crate) struct Chain {
    pub(crate) value: u8,
    pub(crate) next: Option<Box<Chain>>,
}

/// Recursive through a `BTreeMap`'s values.
#[derive(Savefile, Debug, PartialEq)]
pub(crate) struct Dir {
    pub(crate) size: u64,
    pub(crate) entries: BTreeMap<String, Dir>,
}

/// Recursive through a `HashMap`'s values (savefile 0.20 registers a `HashMap`'s value
/// schema under the key type, which shows in the `Recursion` nodes).
#[derive(Savefile, Debug, PartialEq)]
pub(crate) struct HashDir {
    pub(crate) entries: HashMap<u8, HashDir>,
}

/// The versioned struct as the version-0 program defined it.
pub(crate) mod v0 {
    use savefile::prelude::*;

    #[derive(Savefile, Debug, PartialEq)]
    pub(crate) struct Settings {
        pub(crate) name: String,
        pub(crate) volume: u8,
        pub(crate) legacy: u32,
    }
}

/// Version 1: `brightness` added.
pub(crate) mod v1 {
    use savefile::prelude::*;

    #[derive(Savefile, Debug, PartialEq)]
    pub(crate) struct Settings {
        pub(crate) name: String,
        pub(crate) volume: u8,
        pub(crate) legacy: u32,
        #[savefile_versions = "1.."]
        pub(crate) brightness: u16,
    }
}

/// Version 2, the newest: `legacy` removed, `volume` widened from u8 to u16.
pub(crate) mod v2 {
    use savefile::prelude::*;

    #[derive(Savefile, Debug, PartialEq)]
    pub(crate) struct Settings {
        pub(crate) name: String,
        #[savefile_versions_as = "0..1:u8"]
        #[savefile_versions = "2.."]
        pub(crate) volume: u16,
        #[savefile_versions = "0..1"]
        pub(crate) legacy: Removed<u32>,
        #[savefile_versions = "1.."]
        pub(crate) brightness: u16,
    }
}

/// The newest data version of `Settings`.
pub(crate) const SETTINGS_VERSION: u32 = 2;

fn tree() -> Tree {
    let leaf = |label: &str| Tree {
        label: label.to_string(),
        children: Vec::new(),
    };
    Tree {
        label: "root".into(),
        children: vec![
            Tree {
                label: "left".into(),
                children: vec![leaf("left.0"), leaf("left.1")],
            },
            leaf("right"),
        ],
    }
}

fn chain() -> Chain {
    Chain {
        value: 1,
        next: Some(Box::new(Chain {
            value: 2,
            next: None,
        })),
    }
}

fn dir() -> Dir {
    let file = |size| Dir {
        size,
        entries: BTreeMap::new(),
    };
    let docs = Dir {
        size: 0,
        entries: BTreeMap::from([
            ("a.txt".to_string(), file(10)),
            ("b.txt".to_string(), file(20)),
        ]),
    };
    Dir {
        size: 0,
        entries: BTreeMap::from([("docs".to_string(), docs), ("c.bin".to_string(), file(30))]),
    }
}

/// One entry per level: hash containers are written in iteration order.
fn hash_dir() -> HashDir {
    let leaf = HashDir {
        entries: HashMap::new(),
    };
    HashDir {
        entries: HashMap::from([(
            7,
            HashDir {
                entries: HashMap::from([(8, leaf)]),
            },
        )]),
    }
}

fn list() -> List {
    [3, -2, 1]
        .into_iter()
        .fold(List::Nil, |rest, head| List::Cons(head, Box::new(rest)))
}

/// A deque whose buffer wraps around: the bytes are in logical order regardless.
fn deque() -> VecDeque<i16> {
    let mut deque = VecDeque::with_capacity(4);
    deque.push_back(2);
    deque.push_back(-3);
    deque.push_front(-1);
    deque
}

fn settings_v2(volume: u16, brightness: u16) -> v2::Settings {
    v2::Settings {
        name: "living room".into(),
        volume,
        legacy: Removed::new(),
        brightness,
    }
}

/// Every case, in a fixed order.
pub(crate) fn visit(v: &mut impl Visitor) {
    primitives(v);
    text_and_wrappers(v);
    collections(v);
    time_and_net(v);
    derived(v);
    versioned(v);
    mapped(v);
    crate::ecosystem::visit(v);
}

/// The struct a mapped-array file holds (`savefile::MappedData` here), defined as a
/// plain derived struct, so that savefile 0.20 writes and reads its files.
#[derive(Savefile, Debug, PartialEq)]
pub(crate) struct MappedData {
    pub(crate) metadata: String,
    pub(crate) shape: Vec<u64>,
    pub(crate) padding: Vec<u8>,
    pub(crate) data: Vec<f32>,
}

/// The mapped file `save_mapped(…, 1, &"grid", &[2, 3], &MAPPED_DATA)` writes: 36 bytes of
/// padding put the first element at offset 256 of the file with schema.
pub(crate) fn mapped_layout() -> MappedData {
    MappedData {
        metadata: "grid".to_string(),
        shape: vec![2, 3],
        padding: vec![0; 36],
        data: MAPPED_DATA.to_vec(),
    }
}

/// The elements of [`mapped_layout`].
pub(crate) const MAPPED_DATA: [f32; 6] = [1.0, 2.5, -3.0, 4.0, 0.0, 6.0];

fn mapped(v: &mut impl Visitor) {
    v.case("mapped_layout", CORPUS_VERSION, mapped_layout(), eq);
}

fn primitives(v: &mut impl Visitor) {
    const V: u32 = CORPUS_VERSION;
    v.case("u8", V, 0xA5u8, eq);
    v.case("i8", V, i8::MIN, eq);
    v.case("u16", V, 0xBEEFu16, eq);
    v.case("i16", V, -2i16, eq);
    v.case("u32", V, 0xDEAD_BEEFu32, eq);
    v.case("i32", V, -123_456_789i32, eq);
    v.case("u64", V, 0x0123_4567_89AB_CDEFu64, eq);
    v.case("i64", V, i64::MIN, eq);
    v.case("u128", V, 0x0102_0304_0506_0708_090A_0B0C_0D0E_0F10u128, eq);
    v.case("i128", V, i128::MIN + 1, eq);
    v.case("usize", V, 0x00AB_CDEFusize, eq);
    v.case("isize", V, -42isize, eq);
    v.case("char", V, '🦀', eq);
    v.case("chars", V, ['a', 'é', '\u{10FFFF}'], eq);
    v.case("bool_true", V, true, eq);
    v.case("bool_false", V, false, eq);
    v.case("f32_neg_zero", V, -0.0f32, same_f32);
    v.case("f64_neg_zero", V, -0.0f64, same_f64);
    v.case(
        "f32_specials",
        V,
        [
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::from_bits(0x7FC0_0001),
            f32::from_bits(1),
            f32::MAX,
        ],
        same_f32s,
    );
    v.case(
        "f64_specials",
        V,
        [
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::from_bits(0x7FF8_0000_0000_0001),
            f64::from_bits(1),
            f64::MIN,
        ],
        same_f64s,
    );
    v.case("unit", V, (), eq);
}

fn text_and_wrappers(v: &mut impl Visitor) {
    const V: u32 = CORPUS_VERSION;
    v.case("string_empty", V, String::new(), eq);
    v.case("string_utf8", V, String::from("Grüße, 世界! 🦀"), eq);
    v.case("arc_str", V, Arc::<str>::from("shared"), eq);
    v.case("cow_str", V, Cow::<'static, str>::Borrowed("borrowed"), eq);
    v.case("pathbuf", V, PathBuf::from("saves/slot 1.sav"), eq);
    v.case("option_none", V, None::<u32>, eq);
    v.case("option_some", V, Some(String::from("here")), eq);
    v.case("option_nested", V, Some(None::<i8>), eq);
    v.case("result_ok", V, Ok::<u32, String>(7), eq);
    v.case("result_err", V, Err::<u32, String>("bad input".into()), eq);
    v.case("tuple1", V, (9u8,), eq);
    v.case("tuple2", V, (0x1234u16, String::from("two")), eq);
    v.case("tuple3", V, (true, -5i64, 'x'), eq);
    v.case("range", V, 3u32..17, eq::<Range<u32>>);
    v.case("box", V, Box::new(0xFEED_F00Du64), eq);
    v.case("box_slice", V, vec![1u32, 2, 3].into_boxed_slice(), eq);
    v.case("arc", V, Arc::new(String::from("counted")), eq);
    v.case("arc_slice", V, Arc::<[u16]>::from(vec![7u16, 8]), eq);
    v.case("rc", V, Rc::new(-7i32), eq);
    v.case("refcell", V, RefCell::new(vec![1u8, 2]), eq);
}

fn collections(v: &mut impl Visitor) {
    const V: u32 = CORPUS_VERSION;
    v.case("array_u16", V, [1u16, 0x100, 0xFFFF, 0], eq);
    v.case(
        "array_string",
        V,
        [String::from("a"), String::from("bc")],
        eq,
    );
    v.case("array_nested", V, [[1u8, 2], [3, 4], [5, 6]], eq);
    v.case("array_empty", V, [0u32; 0], eq);
    v.case("vec_u8", V, vec![0u8, 1, 254, 255], eq);
    v.case("vec_empty", V, Vec::<u64>::new(), eq);
    v.case("vec_bool", V, vec![true, false, true], eq);
    v.case("vec_string", V, vec![String::from("x"), String::new()], eq);
    v.case(
        "vec_nested",
        V,
        vec![vec![1u32, 2, 3], vec![], vec![u32::MAX]],
        eq,
    );
    v.case("vecdeque", V, deque(), eq);
    // One element each: hash containers are written in iteration order.
    v.case(
        "hashmap",
        V,
        HashMap::from([(String::from("one"), 1u32)]),
        eq,
    );
    v.case("hashset", V, HashSet::from([42u64]), eq);
    let btreemap = BTreeMap::from([
        (1u32, "a".to_string()),
        (2, "bb".into()),
        (300, "ccc".into()),
    ]);
    v.case("btreemap", V, btreemap, eq);
    let btreeset = BTreeSet::from(["alpha", "beta", "gamma"].map(String::from));
    v.case("btreeset", V, btreeset, eq);
}

fn time_and_net(v: &mut impl Visitor) {
    const V: u32 = CORPUS_VERSION;
    v.case("duration", V, Duration::new(5, 123_456_789), eq);
    v.case("duration_max", V, Duration::MAX, eq);
    let after = UNIX_EPOCH + Duration::new(1_700_000_000, 123_456_789);
    v.case("systemtime_after_epoch", V, after, eq);
    let before = UNIX_EPOCH - Duration::new(50 * 365 * 86_400, 987_654_321);
    v.case("systemtime_before_epoch", V, before, eq);
    v.case("systemtime_epoch", V, SystemTime::UNIX_EPOCH, eq);
    v.case(
        "ipaddr_v4",
        V,
        IpAddr::V4(Ipv4Addr::new(192, 168, 0, 1)),
        eq,
    );
    let v6 = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0xff00, 0x42, 0x8329);
    v.case("ipaddr_v6", V, IpAddr::V6(v6), eq);
    let socket_v4 = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 1), 8080);
    v.case("socketaddr_v4", V, SocketAddr::V4(socket_v4), eq);
    let socket_v6 = SocketAddrV6::new(v6, 443, 0x12345, 7);
    v.case("socketaddr_v6", V, SocketAddr::V6(socket_v6), eq);
}

fn derived(v: &mut impl Visitor) {
    const V: u32 = CORPUS_VERSION;
    let named = Named {
        id: 77,
        name: "Ada".into(),
        tags: vec!["admin".into(), "ops".into()],
        ratio: 0.75,
        flag: true,
        maybe: Some(512),
    };
    v.case("struct_named", V, named, eq);
    v.case("struct_tuple", V, Pair(7, 0, -9), eq);
    v.case("struct_unit", V, Unit, eq);
    v.case("enum_struct_variant", V, Shape::Rect { w: 3, h: 4 }, eq);
    let shapes = vec![
        Shape::Empty,
        Shape::Circle(1.5),
        Shape::Rect { w: 10, h: 20 },
        Shape::Label("tag".into(), 9),
    ];
    v.case("enum_variants", V, shapes, eq);
    let wide = vec![Wide::Low(0x1234), Wide::Mid { v: -1 }, Wide::High(1, 2)];
    v.case("enum_repr_u16", V, wide, eq);
    v.case("enum_repr_u16_unit", V, Mode::Off, eq);
    v.case("enum_repr_u16_level", V, Mode::Level(0x0102), eq);
    let points = vec![Point { x: 1, y: -1 }, Point { x: i32::MAX, y: 0 }];
    v.case("packed_points", V, points, eq);
    let padded = vec![
        Padded { tag: 1, value: 2 },
        Padded {
            tag: 0xFF,
            value: 0x0403_0201,
        },
    ];
    v.case("padded_structs", V, padded, eq);
    v.case("recursive_tree", V, tree(), eq);
    v.case("recursive_list", V, list(), eq);
    v.case("recursive_option_box", V, chain(), eq);
    v.case("recursive_btreemap", V, dir(), eq);
    v.case("recursive_hashmap", V, hash_dir(), eq);
}

fn versioned(v: &mut impl Visitor) {
    let old = v0::Settings {
        name: "living room".into(),
        volume: 200,
        legacy: 0xCAFE,
    };
    v.case("versioned_v0", 0, old, eq);
    let old = v1::Settings {
        name: "living room".into(),
        volume: 201,
        legacy: 0xCAFE,
        brightness: 90,
    };
    v.case("versioned_v1", 1, old, eq);
    v.case("versioned_v2", 2, settings_v2(1000, 91), eq);

    // The newest definition loads every old file: the u8 volume widened, the removed
    // field skipped, the field added in version 1 defaulted for version 0.
    v.upgrade("versioned_v0", SETTINGS_VERSION, settings_v2(200, 0), eq);
    v.upgrade("versioned_v1", SETTINGS_VERSION, settings_v2(201, 90), eq);
    v.upgrade("versioned_v2", SETTINGS_VERSION, settings_v2(1000, 91), eq);
}
