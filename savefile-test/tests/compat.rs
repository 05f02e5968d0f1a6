//! Interoperability with savefile 0.20, proven by files that savefile 0.20.6 wrote.
//!
//! `tests/fixtures/compat/` holds every value of the corpus (`tests/compat/corpus.rs`,
//! compiled identically here and in `compat/fixture-writer` against savefile 0.20)
//! saved three ways: with schema, without schema, and compressed. For each value:
//!
//! - every file loads into our identically defined type with the expected value
//!   (old versions of the versioned struct into its newest definition too);
//! - our `save_noschema` gives exactly the bytes of the no-schema file;
//! - our `save` gives the bytes of the schema file, except the layout values of the
//!   schema (sizes, alignments, offsets, vector and string layout bytes), which
//!   describe the writer's memory: the schemas are decoded and compared with those
//!   values cleared, their bytes compared with those values masked, and the data
//!   bytes compared exactly. docs/compatibility.md explains why these may differ;
//! - the compressed file holds, once decompressed, that same schema and data.
//!
//! With `SAVEFILE_COMPAT_OUT=DIR` set, the test also writes our own files for every
//! case into DIR, for `compat/fixture-writer`'s `verify DIR` mode (the other direction).
//!
//! `compat/borrowed.rs` loads the fixtures of text and vectors into borrowed twins.

#[path = "compat/borrowed.rs"]
mod borrowed;
#[path = "compat/corpus.rs"]
mod corpus;
#[path = "compat/ecosystem.rs"]
mod ecosystem;
#[path = "compat/schema_bytes.rs"]
mod schema_bytes;
#[path = "borrowed/twins.rs"]
mod twins;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use savefile::prelude::*;
use savefile_test::hex;

use corpus::{Code, Kind, Mode, Visitor, WithIgnored};

/// Bytes of the file header; byte 15 is the compression flag.
const HEADER_LEN: usize = 16;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compat")
}

/// Checks every case against the fixtures, collecting failures instead of stopping
/// at the first, so one run shows every difference.
#[derive(Default)]
struct Checker {
    dir: PathBuf,
    /// Where to write our own files, if anywhere.
    out: Option<PathBuf>,
    cases: usize,
    loads: usize,
    identical_files: usize,
    /// How many layout values differ between the fixtures and our files, by kind.
    differing_layout: BTreeMap<&'static str, usize>,
    failures: Vec<String>,
}

impl Checker {
    fn read(&mut self, name: &str, kind: Kind) -> Option<Vec<u8>> {
        let path = self.dir.join(kind.file_name(name));
        match std::fs::read(&path) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                self.failures.push(format!("{}: {e}", path.display()));
                None
            }
        }
    }

    /// Loads the fixture `bytes` of `name` as `T` and compares with `expected`.
    fn load<T>(
        &mut self,
        name: &str,
        kind: Kind,
        bytes: &[u8],
        version: u32,
        expected: &T,
        same: fn(&T, &T) -> bool,
    ) where
        T: WithSchema + Deserialize + Debug,
    {
        let loaded: Result<T, _> = match kind {
            Kind::Schema | Kind::Compressed => load_from_mem(bytes, version),
            Kind::NoSchema => load_from_mem_noschema(bytes, version),
        };
        self.loads += 1;
        let file = kind.file_name(name);
        match loaded {
            Ok(value) if same(&value, expected) => {}
            Ok(value) => self
                .failures
                .push(format!("{file}: loaded {value:?}, expected {expected:?}")),
            Err(e) => self.failures.push(format!("{file}: {e}")),
        }
    }

    /// Compares a file of savefile 0.20 (`header`, then the uncompressed `body`:
    /// schema and data) with ours (`save_to_mem`, uncompressed).
    fn compare_with_schema(&mut self, file: &str, header: &[u8], body: &[u8], ours: &[u8]) {
        if header[..HEADER_LEN - 1] != ours[..HEADER_LEN - 1] {
            self.failures.push(format!(
                "{file}: header {} differs from ours {}",
                hex(header),
                hex(&ours[..HEADER_LEN])
            ));
            return;
        }
        let ours = &ours[HEADER_LEN..];
        let (theirs_schema, our_schema) =
            match (schema_bytes::decode(body), schema_bytes::decode(ours)) {
                (Ok(theirs), Ok(our)) => (theirs, our),
                (theirs, our) => {
                    self.failures.push(format!(
                        "{file}: cannot decode the schemas: savefile 0.20 {:?}, ours {:?}",
                        theirs.err(),
                        our.err()
                    ));
                    return;
                }
            };
        let theirs_clear = schema_bytes::without_layout(&theirs_schema.schema);
        let ours_clear = schema_bytes::without_layout(&our_schema.schema);
        if theirs_clear != ours_clear {
            self.failures.push(format!(
                "{file}: schemas differ (layout values cleared)\n  savefile 0.20: {theirs_clear:?}\n  ours:          {ours_clear:?}"
            ));
            return;
        }
        if theirs_schema.masked != our_schema.masked {
            self.failures.push(format!(
                "{file}: schema bytes differ outside the layout values\n  savefile 0.20: {}\n  ours:          {}",
                hex(&theirs_schema.masked),
                hex(&our_schema.masked)
            ));
            return;
        }
        for ((what, their_value), (_, our_value)) in theirs_schema
            .layout_values
            .iter()
            .zip(&our_schema.layout_values)
        {
            if their_value != our_value {
                *self.differing_layout.entry(what).or_default() += 1;
            }
        }
        let (theirs_data, our_data) = (&body[theirs_schema.len..], &ours[our_schema.len..]);
        if theirs_data != our_data {
            self.failures.push(format!(
                "{file}: data bytes differ\n  savefile 0.20: {}\n  ours:          {}",
                hex(theirs_data),
                hex(our_data)
            ));
        }
    }

    /// Writes our three files of `name` into the output directory, if one was given.
    fn write_ours<T: WithSchema + Serialize>(&mut self, name: &str, version: u32, value: &T) {
        let Some(out) = &self.out else { return };
        for kind in Kind::ALL {
            let path = out.join(kind.file_name(name));
            let saved = match kind {
                Kind::Schema => save_file(&path, version, value),
                Kind::NoSchema => save_file_noschema(&path, version, value),
                Kind::Compressed => save_file_compressed(&path, version, value),
            };
            if let Err(e) = saved {
                self.failures
                    .push(format!("writing {}: {e}", path.display()));
            }
        }
    }
}

fn decompress(file: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    bzip2::read::BzDecoder::new(&bytes[HEADER_LEN..])
        .read_to_end(&mut body)
        .map_err(|e| format!("{file}: cannot decompress: {e}"))?;
    Ok(body)
}

impl Visitor for Checker {
    fn case<T>(&mut self, name: &'static str, version: u32, value: T, same: fn(&T, &T) -> bool)
    where
        T: WithSchema + Serialize + Deserialize + Debug,
    {
        self.cases += 1;
        self.write_ours(name, version, &value);
        let files = Kind::ALL.map(|kind| self.read(name, kind));
        let [Some(with_schema), Some(no_schema), Some(compressed)] = files else {
            return;
        };
        for (kind, bytes) in Kind::ALL
            .into_iter()
            .zip([&with_schema, &no_schema, &compressed])
        {
            self.load(name, kind, bytes, version, &value, same);
        }

        let mut ours = Vec::new();
        save_noschema(&mut ours, version, &value).expect("save_noschema");
        if ours == no_schema {
            self.identical_files += 1;
        } else {
            self.failures.push(format!(
                "{}: our bytes differ\n  savefile 0.20: {}\n  ours:          {}",
                Kind::NoSchema.file_name(name),
                hex(&no_schema),
                hex(&ours)
            ));
        }

        let ours = save_to_mem(version, &value).expect("save_to_mem");
        if ours == with_schema {
            self.identical_files += 1;
        }
        let (header, body) = with_schema.split_at(HEADER_LEN);
        self.compare_with_schema(&Kind::Schema.file_name(name), header, body, &ours);

        let file = Kind::Compressed.file_name(name);
        if compressed[HEADER_LEN - 1] != 1 {
            self.failures.push(format!("{file}: not marked compressed"));
        }
        match decompress(&file, &compressed) {
            Ok(body) => self.compare_with_schema(&file, &compressed[..HEADER_LEN], &body, &ours),
            Err(e) => self.failures.push(e),
        }
    }

    fn upgrade<T>(&mut self, file: &'static str, version: u32, value: T, same: fn(&T, &T) -> bool)
    where
        T: WithSchema + Deserialize + Debug,
    {
        for kind in Kind::ALL {
            if let Some(bytes) = self.read(file, kind) {
                self.load(file, kind, &bytes, version, &value, same);
            }
        }
    }
}

#[test]
fn savefile_0_20_fixtures_load_and_match_our_bytes() {
    let out = std::env::var_os("SAVEFILE_COMPAT_OUT").map(PathBuf::from);
    if let Some(out) = &out {
        std::fs::create_dir_all(out).expect("create SAVEFILE_COMPAT_OUT");
    }
    let mut checker = Checker {
        dir: fixture_dir(),
        out,
        ..Checker::default()
    };
    corpus::visit(&mut checker);
    println!(
        "{} cases, {} loads, {} of our files byte-identical to the fixture; layout values that differ: {:?}",
        checker.cases, checker.loads, checker.identical_files, checker.differing_layout
    );
    assert!(
        checker.failures.is_empty(),
        "{} differences from savefile 0.20:\n{}",
        checker.failures.len(),
        checker.failures.join("\n")
    );
}

/// Collects the file names the corpus uses.
struct Names(BTreeSet<String>);

impl Visitor for Names {
    fn case<T>(&mut self, name: &'static str, _: u32, _: T, _: fn(&T, &T) -> bool)
    where
        T: WithSchema + Serialize + Deserialize + Debug,
    {
        self.0.extend(Kind::ALL.map(|kind| kind.file_name(name)));
    }

    fn upgrade<T>(&mut self, _: &'static str, _: u32, _: T, _: fn(&T, &T) -> bool)
    where
        T: WithSchema + Deserialize + Debug,
    {
    }
}

#[test]
fn the_fixture_directory_holds_exactly_the_corpus() {
    let mut names = Names(BTreeSet::new());
    corpus::visit(&mut names);
    let mut on_disk: BTreeSet<String> = std::fs::read_dir(fixture_dir())
        .expect("the fixture directory")
        .map(|entry| {
            entry
                .expect("a directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(
        on_disk.remove("README.md"),
        "the fixtures' README.md is missing"
    );
    assert_eq!(on_disk, names.0);
}

/// A file of data version 1 without schema holding `data`.
fn bare_file(data: &[u8]) -> Vec<u8> {
    let mut file = b"savefile\0\x02\0\x01\0\0\0\0".to_vec();
    file.extend_from_slice(data);
    file
}

fn refused<T: Deserialize + WithSchema + Debug>(data: &[u8]) -> SavefileError {
    match load_from_mem_noschema::<T>(&bare_file(data), 1) {
        Ok(value) => panic!("{} loaded as {value:?}", hex(data)),
        Err(e) => e,
    }
}

/// The inputs the writer's `probe` mode shows savefile 0.20.6 accepting (with a
/// wrong or made-up value) are errors here; docs/compatibility.md lists them.
#[test]
fn inputs_savefile_0_20_accepts_are_refused() {
    assert!(matches!(
        refused::<bool>(&[2]),
        SavefileError::InvalidBool { .. }
    ));
    assert!(matches!(
        refused::<Option<u8>>(&[3, 7]),
        SavefileError::InvalidTag { .. }
    ));
    assert!(matches!(
        refused::<Result<u8, u8>>(&[2, 7]),
        SavefileError::InvalidTag { .. }
    ));
    assert!(matches!(
        refused::<Duration>(&u128::MAX.to_le_bytes()),
        SavefileError::IntegerOutOfRange { .. }
    ));
    assert!(matches!(
        refused::<SystemTime>(&(1u128 << 126).to_le_bytes()),
        SavefileError::IntegerOutOfRange { .. }
    ));
    // What savefile 0.20 writes for `vec![Code::A, Code::B]`: the raw discriminants.
    assert!(matches!(
        refused::<Vec<Code>>(&[2, 0, 0, 0, 0, 0, 0, 0, 5, 6]),
        SavefileError::InvalidTag { tag: 5, .. }
    ));
}

/// Our `save_noschema` bytes of `value`, without the header.
fn data_bytes<T: WithSchema + Serialize>(value: &T) -> Vec<u8> {
    let mut file = Vec::new();
    save_noschema(&mut file, 1, value).expect("save_noschema");
    file.split_off(HEADER_LEN)
}

/// What we write where savefile 0.20's bulk copy writes something else (the
/// writer's `probe` mode shows its bytes): the declaration index of every enum
/// element, no padding, and no ignored field.
#[test]
fn where_savefile_0_20_copies_memory_we_write_value_by_value() {
    let count = |n: u8| [n, 0, 0, 0, 0, 0, 0, 0];
    assert_eq!(
        data_bytes(&vec![Code::A, Code::B]),
        [&count(2)[..], &[0, 1]].concat()
    );
    assert_eq!(
        data_bytes(&vec![Mode::Level(5), Mode::Off]),
        [&count(2)[..], &[1, 0, 5, 0, 0, 0]].concat()
    );
    let value = WithIgnored { a: 1, b: 2, c: 3 };
    assert_eq!(data_bytes(&value), [1, 0, 0, 0, 3, 0, 0, 0]);
    assert_eq!(
        data_bytes(&vec![value]),
        [&count(1)[..], &[1, 0, 0, 0, 3, 0, 0, 0]].concat()
    );
}

/// A mapped-array file is an ordinary file of savefile 0.20: the file 0.20 wrote for the
/// plain struct of the same fields (with the padding `save_mapped` chooses) maps here, its
/// first element at the same aligned offset, and our image differs from it only in the
/// schema's layout bytes.
#[test]
fn savefile_0_20_writes_the_mapped_layout_byte_for_byte() {
    use savefile::{AlignedBytes, InMemory, MappedVec};
    let theirs = std::fs::read(fixture_dir().join(Kind::Schema.file_name("mapped_layout")))
        .expect("the mapped_layout fixture");
    let view = MappedVec::<f32, String, InMemory>::from_image(
        AlignedBytes::copy_from(&theirs),
        corpus::CORPUS_VERSION,
    )
    .expect("savefile 0.20's file maps");
    assert_eq!(view.as_slice(), corpus::MAPPED_DATA);
    assert_eq!(view.metadata(), "grid");
    assert_eq!(view.shape(), [2, 3]);
    assert_eq!(view.data_offset() % 64, 0);

    let ours = savefile::save_mapped_image(
        corpus::CORPUS_VERSION,
        &"grid".to_string(),
        &[2, 3],
        &corpus::MAPPED_DATA,
    )
    .expect("save_mapped_image");
    let ours = MappedVec::<f32, String, InMemory>::from_image(ours, corpus::CORPUS_VERSION)
        .expect("our image maps");
    assert_eq!(ours.data_offset(), view.data_offset());
    let (ours, theirs) = (ours.image_bytes(), view.image_bytes());
    assert_eq!(ours.len(), theirs.len());
    // The data (metadata, shape, padding, elements) is byte-identical; what differs
    // before it is the schema's layout bytes alone (the masked comparison of every
    // case checks that).
    let data_start = ours.len() - (8 + 4 + 8 + 16 + 8 + 36 + 8 + 24);
    assert_eq!(ours[data_start..], theirs[data_start..]);
}
