//! The savefile 0.20 fixtures that hold text or vectors, loaded borrowed.
//!
//! Each such case has a borrowed twin here (`&str` or `Cow<str>` for `String`,
//! `&[T]` or `Cow<[T]>` for the vectors, and derived types of the same names with
//! lifetimes). Every fixture loads into the twin, from memory, equal to what the
//! owned load gives (the compressed one is refused, as compressed files are), and the
//! twin, saved again, writes what our owned save writes for the case: the no-schema
//! file byte for byte, and the schema file but for its layout values (compared as
//! `compare_with_schema` compares the owned files). So savefile 0.20 reads the files
//! of borrowed types as it reads those of owned ones.
//!
//! With `SAVEFILE_COMPAT_OUT=DIR`, a full set of our files with the twins' files in
//! place of the owned ones is written to `DIR/borrowed`, for the fixture writer's
//! `verify DIR/borrowed`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use savefile::prelude::*;
use savefile::{load_from_mem_borrowed, load_from_mem_noschema_borrowed, AlignedBytes};

use super::corpus::{self, Kind, CORPUS_VERSION, SETTINGS_VERSION};
use super::twins::Twin;
use super::{fixture_dir, hex, Checker, HEADER_LEN};

/// The borrowed twins of the corpus's derived types: the same names and fields.
mod twins {
    use std::borrow::Cow;
    use std::collections::BTreeMap;

    use savefile::prelude::*;

    #[derive(Savefile, Debug)]
    pub(crate) struct Named<'a> {
        pub(crate) id: u32,
        pub(crate) name: &'a str,
        pub(crate) tags: Vec<&'a str>,
        pub(crate) ratio: f64,
        pub(crate) flag: bool,
        pub(crate) maybe: Option<u16>,
    }

    #[derive(Savefile, Debug)]
    pub(crate) enum Shape<'a> {
        Empty,
        Circle(f32),
        Rect { w: u32, h: u32 },
        Label(Cow<'a, str>, u8),
    }

    #[derive(Savefile, Debug)]
    pub(crate) struct Tree<'a> {
        pub(crate) label: &'a str,
        pub(crate) children: Vec<Tree<'a>>,
    }

    #[derive(Savefile, Debug)]
    pub(crate) struct Dir<'a> {
        pub(crate) size: u64,
        pub(crate) entries: BTreeMap<&'a str, Dir<'a>>,
    }

    #[derive(Savefile, Debug)]
    pub(crate) struct MappedData<'a> {
        pub(crate) metadata: &'a str,
        pub(crate) shape: Cow<'a, [u64]>,
        pub(crate) padding: &'a [u8],
        pub(crate) data: Cow<'a, [f32]>,
    }

    pub(crate) mod v0 {
        use savefile::prelude::*;

        #[derive(Savefile, Debug)]
        pub(crate) struct Settings<'a> {
            pub(crate) name: &'a str,
            pub(crate) volume: u8,
            pub(crate) legacy: u32,
        }
    }

    pub(crate) mod v1 {
        use savefile::prelude::*;

        #[derive(Savefile, Debug)]
        pub(crate) struct Settings<'a> {
            pub(crate) name: &'a str,
            pub(crate) volume: u8,
            pub(crate) legacy: u32,
            #[savefile_versions = "1.."]
            pub(crate) brightness: u16,
        }
    }

    pub(crate) mod v2 {
        use savefile::prelude::*;

        #[derive(Savefile, Debug)]
        pub(crate) struct Settings<'a> {
            pub(crate) name: &'a str,
            #[savefile_versions_as = "0..1:u8"]
            #[savefile_versions = "2.."]
            pub(crate) volume: u16,
            #[savefile_versions = "0..1"]
            pub(crate) legacy: Removed<u32>,
            #[savefile_versions = "1.."]
            pub(crate) brightness: u16,
        }
    }
}

impl Twin for twins::Named<'_> {
    type Owned = corpus::Named;
    fn owned(&self) -> corpus::Named {
        corpus::Named {
            id: self.id,
            name: self.name.owned(),
            tags: self.tags.owned(),
            ratio: self.ratio,
            flag: self.flag,
            maybe: self.maybe,
        }
    }
}

impl Twin for twins::Shape<'_> {
    type Owned = corpus::Shape;
    fn owned(&self) -> corpus::Shape {
        match self {
            twins::Shape::Empty => corpus::Shape::Empty,
            twins::Shape::Circle(r) => corpus::Shape::Circle(*r),
            twins::Shape::Rect { w, h } => corpus::Shape::Rect { w: *w, h: *h },
            twins::Shape::Label(text, n) => corpus::Shape::Label(text.owned(), *n),
        }
    }
}

impl Twin for twins::Tree<'_> {
    type Owned = corpus::Tree;
    fn owned(&self) -> corpus::Tree {
        corpus::Tree {
            label: self.label.owned(),
            children: self.children.owned(),
        }
    }
}

impl Twin for twins::Dir<'_> {
    type Owned = corpus::Dir;
    fn owned(&self) -> corpus::Dir {
        corpus::Dir {
            size: self.size,
            entries: self.entries.owned(),
        }
    }
}

impl Twin for twins::MappedData<'_> {
    type Owned = corpus::MappedData;
    fn owned(&self) -> corpus::MappedData {
        corpus::MappedData {
            metadata: self.metadata.owned(),
            shape: self.shape.owned(),
            padding: self.padding.owned(),
            data: self.data.owned(),
        }
    }
}

impl Twin for twins::v0::Settings<'_> {
    type Owned = corpus::v0::Settings;
    fn owned(&self) -> Self::Owned {
        corpus::v0::Settings {
            name: self.name.owned(),
            volume: self.volume,
            legacy: self.legacy,
        }
    }
}

impl Twin for twins::v1::Settings<'_> {
    type Owned = corpus::v1::Settings;
    fn owned(&self) -> Self::Owned {
        corpus::v1::Settings {
            name: self.name.owned(),
            volume: self.volume,
            legacy: self.legacy,
            brightness: self.brightness,
        }
    }
}

impl Twin for twins::v2::Settings<'_> {
    type Owned = corpus::v2::Settings;
    fn owned(&self) -> Self::Owned {
        corpus::v2::Settings {
            name: self.name.owned(),
            volume: self.volume,
            legacy: Removed::new(),
            brightness: self.brightness,
        }
    }
}

/// A borrowed load of a fixture: the value as its owned twin, and what the borrowed
/// value saves as (with schema, without, compressed).
struct Loaded<O> {
    value: O,
    files: [Vec<u8>; 3],
}

/// The three files of `value`, in the order of [`Kind::ALL`].
fn saved<T: WithSchema + Serialize>(value: &T, version: u32) -> [Vec<u8>; 3] {
    let mut bare = Vec::new();
    save_noschema(&mut bare, version, value).expect("save_noschema");
    let mut compressed = Vec::new();
    save_compressed(&mut compressed, version, value).expect("save_compressed");
    [
        save_to_mem(version, value).expect("save_to_mem"),
        bare,
        compressed,
    ]
}

/// Checks fixtures against borrowed twins, collecting failures in `checker`.
struct Twins {
    checker: Checker,
    /// The files of the twins, by file name, to be written over our owned ones.
    written: Vec<(String, Vec<u8>)>,
}

impl Twins {
    /// Loads the fixtures of case `name` (saved as data version `version`) borrowed
    /// with `load` and owned as `O`; compares the two and the twin's own files with
    /// ours. `exact` is false for upgrades, whose value is not the one saved.
    fn check<O>(
        &mut self,
        name: &str,
        version: u32,
        exact: bool,
        load: impl Fn(&[u8], bool) -> Result<Loaded<O>, SavefileError>,
    ) where
        O: WithSchema + Serialize + Deserialize + PartialEq + Debug,
    {
        let Some(files) = Kind::ALL
            .map(|kind| self.checker.read(name, kind))
            .into_iter()
            .collect::<Option<Vec<_>>>()
        else {
            return;
        };
        for (kind, file) in Kind::ALL.into_iter().zip(&files) {
            let file_name = kind.file_name(name);
            let with_schema = kind != Kind::NoSchema;
            let borrowed = load(file, with_schema);
            let owned = match with_schema {
                true => load_from_mem::<O>(file, version),
                false => load_from_mem_noschema::<O>(file, version),
            };
            self.checker.loads += 1;
            let (borrowed, owned) = match (kind, borrowed, owned) {
                (Kind::Compressed, Err(SavefileError::CompressedBorrow), Ok(_)) => continue,
                (_, Ok(borrowed), Ok(owned)) => (borrowed, owned),
                (_, borrowed, owned) => {
                    self.checker.failures.push(format!(
                        "{file_name}: borrowed {:?}, owned {owned:?}",
                        borrowed.map(|b| b.value)
                    ));
                    continue;
                }
            };
            if borrowed.value != owned {
                self.checker.failures.push(format!(
                    "{file_name}: borrowed {:?}, owned {owned:?}",
                    borrowed.value
                ));
            }
            if !exact || kind != Kind::Schema {
                continue;
            }
            // Savefile 0.20's no-schema file byte for byte; its schema file but for
            // the layout values.
            let [with_schema, bare, compressed] = borrowed.files;
            if bare != files[1] {
                self.checker.failures.push(format!(
                    "{}: the twin writes other bytes\n  savefile 0.20: {}\n  twin:          {}",
                    Kind::NoSchema.file_name(name),
                    hex(&files[1]),
                    hex(&bare)
                ));
            }
            let (header, body) = file.split_at(HEADER_LEN);
            self.checker.compare_with_schema(
                &format!("{file_name} (borrowed twin)"),
                header,
                body,
                &with_schema,
            );
            for (kind, bytes) in Kind::ALL.into_iter().zip([with_schema, bare, compressed]) {
                self.written.push((kind.file_name(name), bytes));
            }
        }
    }
}

/// Checks case `$name` with the borrowed type `$ty`, converted to the owned `$owned`
/// by `$convert` (by default its [`Twin`]); `version` and `upgrade` name the data
/// version of the file and the program, `upgrade` for a newer definition.
macro_rules! twin {
    ($twins:expr, $how:ident $version:expr, $name:literal, $ty:ty => $owned:ty) => {{
        let version: u32 = $version;
        let exact = stringify!($how) == "version";
        $twins.check::<$owned>($name, version, exact, |bytes, with_schema| {
            let value: $ty = match with_schema {
                true => load_from_mem_borrowed(bytes, version)?,
                false => load_from_mem_noschema_borrowed(bytes, version)?,
            };
            Ok(Loaded {
                value: value.owned(),
                files: saved(&value, version),
            })
        })
    }};
    ($twins:expr, $name:literal, $ty:ty => $owned:ty, $convert:expr) => {{
        let convert: fn(&$ty) -> $owned = $convert;
        $twins.check::<$owned>($name, CORPUS_VERSION, true, |bytes, with_schema| {
            let value: $ty = match with_schema {
                true => load_from_mem_borrowed(bytes, CORPUS_VERSION)?,
                false => load_from_mem_noschema_borrowed(bytes, CORPUS_VERSION)?,
            };
            Ok(Loaded {
                value: convert(&value),
                files: saved(&value, CORPUS_VERSION),
            })
        })
    }};
    ($twins:expr, $name:literal, $ty:ty => $owned:ty) => {
        twin!($twins, $name, $ty => $owned, |value| value.owned())
    };
}

/// Every case with text or vectors, through its borrowed twins.
fn visit(t: &mut Twins) {
    twin!(t, "string_empty", &str => String);
    twin!(t, "string_utf8", &str => String);
    twin!(t, "string_utf8", Cow<'_, str> => String);
    twin!(t, "arc_str", &str => Arc<str>, |s| Arc::from(*s));
    twin!(t, "cow_str", Cow<'_, str> => Cow<'static, str>, |s| Cow::Owned(s.to_string()));
    twin!(t, "pathbuf", &str => PathBuf, |s| PathBuf::from(s));
    twin!(t, "option_some", Option<&str> => Option<String>);
    twin!(t, "result_ok", Result<u32, &str> => Result<u32, String>);
    twin!(t, "result_err", Result<u32, &str> => Result<u32, String>);
    twin!(t, "tuple2", (u16, &str) => (u16, String));
    twin!(t, "arc", Arc<&str> => Arc<String>, |s| Arc::new(s.to_string()));
    twin!(t, "box_slice", Cow<'_, [u32]> => Box<[u32]>, |s| s.to_vec().into());
    twin!(t, "arc_slice", Cow<'_, [u16]> => Arc<[u16]>, |s| s.to_vec().into());
    twin!(t, "refcell", &[u8] => RefCell<Vec<u8>>, |s| RefCell::new(s.to_vec()));
    twin!(t, "array_string", [&str; 2] => [String; 2]);
    twin!(t, "vec_u8", &[u8] => Vec<u8>);
    twin!(t, "vec_u8", Cow<'_, [u8]> => Vec<u8>);
    twin!(t, "vec_bool", &[bool] => Vec<bool>);
    twin!(t, "vec_string", Vec<&str> => Vec<String>);
    twin!(t, "vec_string", Vec<Cow<'_, str>> => Vec<String>);
    twin!(t, "vec_nested", Vec<Cow<'_, [u32]>> => Vec<Vec<u32>>);
    twin!(t, "hashmap", HashMap<&str, u32> => HashMap<String, u32>);
    twin!(t, "btreemap", BTreeMap<u32, &str> => BTreeMap<u32, String>);
    twin!(t, "btreeset", BTreeSet<&str> => BTreeSet<String>);
    twin!(t, "packed_points", Cow<'_, [corpus::Point]> => Vec<corpus::Point>, |s| s.to_vec());
    twin!(t, "struct_named", twins::Named<'_> => corpus::Named);
    twin!(t, "enum_struct_variant", twins::Shape<'_> => corpus::Shape);
    twin!(t, "enum_variants", Vec<twins::Shape<'_>> => Vec<corpus::Shape>);
    twin!(t, "recursive_tree", twins::Tree<'_> => corpus::Tree);
    twin!(t, "recursive_btreemap", twins::Dir<'_> => corpus::Dir);
    twin!(t, "mapped_layout", twins::MappedData<'_> => corpus::MappedData);
    twin!(t, version 0, "versioned_v0", twins::v0::Settings<'_> => corpus::v0::Settings);
    twin!(t, version 1, "versioned_v1", twins::v1::Settings<'_> => corpus::v1::Settings);
    twin!(t, version 2, "versioned_v2", twins::v2::Settings<'_> => corpus::v2::Settings);
    // The newest definition, borrowed, loads every old file.
    twin!(t, upgrade SETTINGS_VERSION, "versioned_v0", twins::v2::Settings<'_> => corpus::v2::Settings);
    twin!(t, upgrade SETTINGS_VERSION, "versioned_v1", twins::v2::Settings<'_> => corpus::v2::Settings);
}

/// Writes our files of every case into `dir`, then the twins' files over them.
fn write_with_twins(dir: &Path, twins: &Twins) {
    std::fs::create_dir_all(dir).expect("create the directory for the twins' files");
    let mut ours = Checker {
        dir: fixture_dir(),
        out: Some(dir.to_path_buf()),
        ..Checker::default()
    };
    corpus::visit(&mut ours);
    assert!(ours.failures.is_empty(), "{}", ours.failures.join("\n"));
    for (name, bytes) in &twins.written {
        std::fs::write(dir.join(name), bytes).expect("write a twin's file");
    }
}

#[test]
fn savefile_0_20_fixtures_of_text_and_vectors_load_borrowed() {
    let mut twins = Twins {
        checker: Checker {
            dir: fixture_dir(),
            ..Checker::default()
        },
        written: Vec::new(),
    };
    visit(&mut twins);
    assert!(
        twins.checker.failures.is_empty(),
        "{} differences:\n{}",
        twins.checker.failures.len(),
        twins.checker.failures.join("\n")
    );
    assert!(
        twins.checker.loads >= 3 * 35,
        "{} loads",
        twins.checker.loads
    );
    if let Some(out) = std::env::var_os("SAVEFILE_COMPAT_OUT") {
        write_with_twins(&PathBuf::from(out).join("borrowed"), &twins);
    }
}

#[test]
fn the_mapped_layout_fixture_lends_its_aligned_elements() {
    let file = std::fs::read(fixture_dir().join(Kind::Schema.file_name("mapped_layout")))
        .expect("the mapped_layout fixture");
    let aligned = AlignedBytes::copy_from(&file);
    let loaded: twins::MappedData<'_> =
        load_from_mem_borrowed(aligned.as_slice(), CORPUS_VERSION).unwrap();
    assert_eq!(*loaded.data, corpus::MAPPED_DATA);
    let Cow::Borrowed(data) = loaded.data else {
        panic!("the elements at offset 256 were copied")
    };
    assert_eq!(
        data.as_ptr() as usize - aligned.as_slice().as_ptr() as usize,
        256
    );
}
