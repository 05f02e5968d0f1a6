//! Versioned types: files of every older data version load into the newest
//! definition, files of newer versions are refused, and old versions are written
//! only where the newest definition still can.
//!
//! Each "old file" here is written by the old definition of the type, kept in a
//! module named after its version, exactly as an older program would have written it.

use savefile::prelude::*;
use savefile_test::hex;

/// The field list of a struct schema: each field's name and schema.
fn fields(schema: &Schema) -> Vec<(String, Schema)> {
    match schema {
        Schema::Struct(s) => s
            .fields
            .iter()
            .map(|f| (f.name.clone(), (*f.value).clone()))
            .collect(),
        other => panic!("expected a struct schema, got {other:?}"),
    }
}

fn prim(p: SchemaPrimitive) -> Schema {
    Schema::Primitive(p)
}

/// The data bytes (after the 16-byte header) of a save without schema.
fn data_bytes<T: WithSchema + Serialize>(version: u32, value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    save_noschema(&mut out, version, value).unwrap();
    out.split_off(16)
}

#[derive(Savefile, Debug, PartialEq)]
struct Counter {
    n: u32,
}

#[test]
fn a_file_from_a_newer_version_is_refused_naming_both_versions() {
    let newer = save_to_mem(3, &Counter { n: 1 }).unwrap();
    let err = load_from_mem::<Counter>(&newer, 2).unwrap_err();
    assert!(
        matches!(
            err,
            SavefileError::WrongVersion {
                file_version: 3,
                program_version: 2
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the file was saved with data version 3, but this program only knows versions up to 2"
    );
    let mut bare = Vec::new();
    save_noschema(&mut bare, 3, &Counter { n: 1 }).unwrap();
    assert!(matches!(
        load_from_mem_noschema::<Counter>(&bare, 0),
        Err(SavefileError::WrongVersion {
            file_version: 3,
            program_version: 0
        })
    ));
    // The same version and any later program version load it.
    assert_eq!(load_from_mem::<Counter>(&newer, 3).unwrap().n, 1);
    assert_eq!(load_from_mem::<Counter>(&newer, 9).unwrap().n, 1);
}

mod settings_v0 {
    use savefile::prelude::*;

    #[derive(Savefile)]
    pub(crate) struct Settings {
        pub(crate) volume: u8,
    }
}

mod settings_v1 {
    use savefile::prelude::*;

    #[derive(Savefile)]
    pub(crate) struct Settings {
        pub(crate) volume: u8,
        #[savefile_versions = "1.."]
        pub(crate) tags: Vec<String>,
    }
}

fn untitled() -> String {
    "untitled".to_string()
}

/// Version 2: fields added in versions 1 and 2, defaulted in each of the three ways.
#[derive(Savefile, Debug, PartialEq)]
struct Settings {
    volume: u8,
    #[savefile_versions = "1.."]
    tags: Vec<String>,
    #[savefile_versions = "2.."]
    muted: bool,
    #[savefile_versions = "2.."]
    #[savefile_default_val = "75"]
    brightness: u8,
    #[savefile_versions = "2.."]
    #[savefile_default_fn = "untitled"]
    title: String,
    #[savefile_versions = "2.."]
    #[savefile_default_val = "guest"]
    user: String,
}

#[test]
fn added_fields_take_their_defaults_in_older_files() {
    let v0 = save_to_mem(0, &settings_v0::Settings { volume: 3 }).unwrap();
    let loaded: Settings = load_from_mem(&v0, 2).unwrap();
    let defaults = Settings {
        volume: 3,
        tags: vec![],
        muted: false,
        brightness: 75,
        title: "untitled".into(),
        user: "guest".into(),
    };
    assert_eq!(loaded, defaults);

    let v1 = settings_v1::Settings {
        volume: 4,
        tags: vec!["loud".into()],
    };
    let loaded: Settings = load_from_mem(&save_to_mem(1, &v1).unwrap(), 2).unwrap();
    assert_eq!(
        loaded,
        Settings {
            volume: 4,
            tags: vec!["loud".into()],
            ..defaults
        }
    );

    let current = Settings {
        volume: 9,
        tags: vec!["a".into(), "b".into()],
        muted: true,
        brightness: 10,
        title: "mine".into(),
        user: "ada".into(),
    };
    let loaded: Settings = load_from_mem(&save_to_mem(2, &current).unwrap(), 2).unwrap();
    assert_eq!(loaded, current, "a current file keeps every value");
}

#[test]
fn the_newest_definition_writes_older_versions_like_the_older_definitions() {
    let current = Settings {
        volume: 9,
        tags: vec!["a".into()],
        muted: true,
        brightness: 10,
        title: "mine".into(),
        user: "ada".into(),
    };
    assert_eq!(
        data_bytes(0, &current),
        data_bytes(0, &settings_v0::Settings { volume: 9 })
    );
    assert_eq!(
        data_bytes(1, &current),
        data_bytes(
            1,
            &settings_v1::Settings {
                volume: 9,
                tags: vec!["a".into()]
            }
        )
    );
    // The schemas of the older versions list only the fields those versions had.
    let names = |version| -> Vec<String> {
        fields(&get_schema::<Settings>(version))
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    };
    assert_eq!(names(0), ["volume"]);
    assert_eq!(names(1), ["volume", "tags"]);
    assert_eq!(
        names(2),
        ["volume", "tags", "muted", "brightness", "title", "user"]
    );
}

/// A text that a primitive cannot parse is refused when the crate is compiled
/// (`tests/ui/fail/default_val_wrong_type.rs`); for other `FromStr` types the text is
/// parsed when a load first needs it.
#[derive(Savefile, Debug, PartialEq)]
struct BadDefault {
    a: u8,
    #[savefile_versions = "1.."]
    #[savefile_default_val = "not an address"]
    b: std::net::Ipv4Addr,
}

#[test]
fn a_default_val_that_does_not_parse_is_an_error_not_a_panic() {
    let v0 = save_to_mem(0, &settings_v0::Settings { volume: 3 }).unwrap();
    let err = load_from_mem::<BadDefault>(&v0, 1).unwrap_err();
    assert!(
        matches!(
            err,
            SavefileError::InvalidDefault {
                item: "BadDefault.b"
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the #[savefile_default_val] of `BadDefault.b` does not parse as the field's type"
    );
}

mod inventory_v0 {
    use savefile::prelude::*;

    #[derive(Savefile)]
    pub(crate) struct Inventory {
        pub(crate) gold: u64,
        pub(crate) motto: String,
        pub(crate) items: Vec<String>,
    }
}

/// Version 2: `gold` and `motto` were removed after version 1.
#[derive(Savefile, Debug, PartialEq)]
struct Inventory {
    #[savefile_versions = "..1"]
    gold: Removed<u64>,
    #[savefile_versions = "..1"]
    motto: Removed<String>,
    items: Vec<String>,
}

#[test]
fn removed_fields_are_read_and_discarded() {
    let old = inventory_v0::Inventory {
        gold: 1000,
        motto: "more gold".into(),
        items: vec!["sword".into()],
    };
    for version in [0, 1] {
        let loaded: Inventory = load_from_mem(&save_to_mem(version, &old).unwrap(), 2).unwrap();
        assert_eq!(loaded.items, ["sword"], "version {version}");
    }
    let current = Inventory {
        gold: Removed::new(),
        motto: Removed::new(),
        items: vec!["shield".into()],
    };
    let bytes = save_to_mem(2, &current).unwrap();
    assert_eq!(load_from_mem::<Inventory>(&bytes, 2).unwrap(), current);
    // Version 2 writes the items only: a u64 count, a u64 length and "shield".
    assert_eq!(data_bytes(2, &current).len(), 8 + 8 + 6);
    // The schema of version 1 still describes the removed fields, with their types.
    let v1 = fields(&get_schema::<Inventory>(1));
    assert_eq!(v1[0], ("gold".into(), prim(SchemaPrimitive::schema_u64)));
    assert_eq!(v1[1], ("motto".into(), Schema::string()));
    assert_eq!(fields(&get_schema::<Inventory>(2)).len(), 1);
    // A removed field has nothing to write: old versions cannot be saved.
    let err = save_to_mem(1, &current).unwrap_err();
    assert!(matches!(err, SavefileError::GeneralError { .. }), "{err:?}");
}

mod meter_v0 {
    use savefile::prelude::*;

    #[derive(Savefile)]
    pub(crate) struct Meter {
        pub(crate) reading: u8,
        pub(crate) unit: char,
    }
}

mod meter_v1 {
    use savefile::prelude::*;

    #[derive(Savefile)]
    pub(crate) struct Meter {
        pub(crate) reading: u16,
        pub(crate) unit: char,
    }
}

/// Version 2: `reading` was a u8 in version 0, a u16 in version 1.
#[derive(Savefile, Debug, PartialEq)]
struct Meter {
    #[savefile_versions_as = "0..0:u8"]
    #[savefile_versions_as = "1..1:u16"]
    #[savefile_versions = "2.."]
    reading: u32,
    unit: char,
}

#[test]
fn versions_as_reads_each_old_type_in_its_own_range() {
    let meter = |reading, unit| Meter { reading, unit };
    let (reading, unit) = (200, 'W');
    let v0 = save_to_mem(0, &meter_v0::Meter { reading, unit }).unwrap();
    let (reading, unit) = (60000, 'V');
    let v1 = save_to_mem(1, &meter_v1::Meter { reading, unit }).unwrap();
    let v2 = save_to_mem(2, &meter(4_000_000, 'A')).unwrap();
    let load = |bytes: &[u8]| load_from_mem::<Meter>(bytes, 2).unwrap();
    assert_eq!(load(&v0), meter(200, 'W'));
    assert_eq!(load(&v1), meter(60000, 'V'));
    assert_eq!(load(&v2), meter(4_000_000, 'A'));

    let reading = |version| fields(&get_schema::<Meter>(version))[0].1.clone();
    assert_eq!(reading(0), prim(SchemaPrimitive::schema_u8));
    assert_eq!(reading(1), prim(SchemaPrimitive::schema_u16));
    assert_eq!(reading(2), prim(SchemaPrimitive::schema_u32));
    assert_eq!(reading(7), prim(SchemaPrimitive::schema_u32));
}

#[test]
fn saving_a_version_whose_field_had_another_type_is_refused() {
    let value = Meter {
        reading: 5,
        unit: 'A',
    };
    for version in [0, 1] {
        let err = save_to_mem(version, &value).unwrap_err();
        assert!(
            matches!(
                err,
                SavefileError::NotInVersion { item: "Meter.reading", version: v } if v == version
            ),
            "{err:?}"
        );
    }
    assert_eq!(
        save_to_mem(1, &value).unwrap_err().to_string(),
        "cannot save `Meter.reading` as data version 1: it is not saved in that version's layout"
    );
    assert!(save_to_mem(2, &value).is_ok());
}

mod profile_v0 {
    use savefile::prelude::*;

    #[derive(Savefile)]
    pub(crate) struct Profile {
        pub(crate) name: String,
        pub(crate) level: u16,
    }
}

mod profile_v1 {
    use savefile::prelude::*;

    /// Versions 1 and 2 had a nickname.
    #[derive(Savefile)]
    pub(crate) struct Profile {
        pub(crate) name: String,
        #[savefile_versions = "1.."]
        pub(crate) nickname: String,
        pub(crate) level: u16,
    }
}

/// Version 3: the nickname existed in versions 1 to 2 only.
#[derive(Savefile, Debug, PartialEq)]
struct Profile {
    name: String,
    #[savefile_versions = "1..2"]
    nickname: Removed<String>,
    level: u16,
}

#[test]
fn a_field_of_a_closed_range_is_read_only_in_that_range() {
    let expected = |level| Profile {
        name: "ada".into(),
        nickname: Removed::new(),
        level,
    };
    let v0_profile = |level| profile_v0::Profile {
        name: "ada".into(),
        level,
    };
    let v0 = save_to_mem(0, &v0_profile(10)).unwrap();
    assert_eq!(load_from_mem::<Profile>(&v0, 3).unwrap(), expected(10));
    for version in [1, 2] {
        let old = profile_v1::Profile {
            name: "ada".into(),
            nickname: "countess".into(),
            level: 11 + version as u16,
        };
        let bytes = save_to_mem(version, &old).unwrap();
        assert_eq!(
            load_from_mem::<Profile>(&bytes, 3).unwrap(),
            expected(11 + version as u16),
            "version {version}"
        );
    }
    let v3 = save_to_mem(3, &expected(20)).unwrap();
    assert_eq!(load_from_mem::<Profile>(&v3, 3).unwrap(), expected(20));

    let count = |version| fields(&get_schema::<Profile>(version)).len();
    assert_eq!([count(0), count(1), count(2), count(3)], [2, 3, 3, 2]);
    // Version 3 and version 0 write the same bytes: the nickname is in neither.
    assert_eq!(data_bytes(3, &expected(20)), data_bytes(0, &v0_profile(20)));
}

mod command_v0 {
    use savefile::prelude::*;

    #[derive(Savefile)]
    pub(crate) enum Command {
        Stop,
        Go(u8),
    }
}

/// Version 1 added `Jump`.
#[derive(Savefile, Debug, PartialEq)]
enum Command {
    Stop,
    Go(u8),
    #[savefile_versions = "1.."]
    Jump {
        height: u16,
    },
}

#[test]
fn a_variant_added_later_is_absent_from_older_schemas_and_files() {
    let names = |version| match get_schema::<Command>(version) {
        Schema::Enum(e) => e
            .variants
            .iter()
            .map(|v| (v.name.clone(), v.discriminant))
            .collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert_eq!(names(0), [("Stop".into(), 0), ("Go".into(), 1)]);
    assert_eq!(
        names(1),
        [("Stop".into(), 0), ("Go".into(), 1), ("Jump".into(), 2)]
    );

    // Old files load, and so do new ones.
    let old = save_to_mem(0, &command_v0::Command::Go(7)).unwrap();
    assert_eq!(load_from_mem::<Command>(&old, 1).unwrap(), Command::Go(7));
    let old = save_to_mem(0, &command_v0::Command::Stop).unwrap();
    assert_eq!(load_from_mem::<Command>(&old, 1).unwrap(), Command::Stop);
    let jump = Command::Jump { height: 300 };
    let new = save_to_mem(1, &jump).unwrap();
    assert_eq!(load_from_mem::<Command>(&new, 1).unwrap(), jump);
    assert_eq!(data_bytes(1, &jump), [2, 0x2C, 0x01]);
}

#[test]
fn a_version_0_file_naming_the_later_variant_is_refused() {
    // A version-0 file whose index byte says 2 (`Jump`), which version 0 did not have.
    let mut with_schema = save_to_mem(0, &command_v0::Command::Stop).unwrap();
    *with_schema.last_mut().unwrap() = 2;
    with_schema.extend([0x2C, 0x01]);
    let err = load_from_mem::<Command>(&with_schema, 1).unwrap_err();
    assert!(
        matches!(
            err,
            SavefileError::InvalidTag {
                type_name: "Command",
                tag: 2
            }
        ),
        "{err:?}; bytes {}",
        hex(&with_schema)
    );
    let mut bare = Vec::new();
    save_noschema(&mut bare, 0, &Command::Stop).unwrap();
    bare[16] = 2;
    bare.extend([0x2C, 0x01]);
    assert!(matches!(
        load_from_mem_noschema::<Command>(&bare, 1),
        Err(SavefileError::InvalidTag {
            type_name: "Command",
            tag: 2
        })
    ));
    // The same bytes as a version-1 file are a valid Jump.
    bare[11] = 1;
    assert_eq!(
        load_from_mem_noschema::<Command>(&bare, 1).unwrap(),
        Command::Jump { height: 300 }
    );
}

#[test]
fn a_variant_cannot_be_saved_in_a_version_before_it_existed() {
    let err = save_to_mem(0, &Command::Jump { height: 1 }).unwrap_err();
    assert!(
        matches!(
            err,
            SavefileError::NotInVersion {
                item: "Command::Jump",
                version: 0
            }
        ),
        "{err:?}"
    );
    assert_eq!(data_bytes(0, &Command::Go(5)), [1, 5]);
}

mod sample_v0 {
    use savefile::prelude::*;

    #[derive(Savefile, Clone, Copy)]
    #[repr(C)]
    pub(crate) struct Sample {
        pub(crate) a: u32,
        pub(crate) b: u32,
    }

    #[derive(Savefile)]
    pub(crate) enum Event {
        Click { x: u8 },
    }
}

/// A plain-data struct (copied as raw bytes where it can be) that grew in version 1.
#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
#[repr(C)]
struct Sample {
    a: u32,
    b: u32,
    #[savefile_versions = "1.."]
    c: u32,
    #[savefile_versions = "1.."]
    #[savefile_default_val = "7"]
    d: u32,
}

/// An enum whose variant grew a field in version 1.
#[derive(Savefile, Debug, PartialEq)]
enum Event {
    Click {
        x: u8,
        #[savefile_versions = "1.."]
        #[savefile_default_val = "1"]
        button: u8,
    },
}

#[test]
fn plain_data_and_enum_variants_adapt_to_the_files_version_too() {
    let old: Vec<sample_v0::Sample> = (0..3)
        .map(|i| sample_v0::Sample { a: i, b: 10 + i })
        .collect();
    let loaded: Vec<Sample> = load_from_mem(&save_to_mem(0, &old).unwrap(), 1).unwrap();
    let expected: Vec<Sample> = (0..3)
        .map(|i| Sample {
            a: i,
            b: 10 + i,
            c: 0,
            d: 7,
        })
        .collect();
    assert_eq!(loaded, expected);
    // SAFETY: only asks whether the type is packed; nothing is copied.
    #[allow(unsafe_code)]
    let (packed_0, packed_1) = unsafe {
        (
            <Sample as Packed>::repr_c_optimization_safe(0).is_yes(),
            <Sample as Packed>::repr_c_optimization_safe(1).is_yes(),
        )
    };
    assert_eq!(
        (packed_0, packed_1),
        (false, true),
        "raw copies only for the version whose bytes are the memory"
    );
    let current: Vec<Sample> = expected.iter().map(|s| Sample { c: 3, ..*s }).collect();
    let bytes = save_to_mem(1, &current).unwrap();
    assert_eq!(load_from_mem::<Vec<Sample>>(&bytes, 1).unwrap(), current);

    let old = save_to_mem(0, &sample_v0::Event::Click { x: 4 }).unwrap();
    assert_eq!(
        load_from_mem::<Event>(&old, 1).unwrap(),
        Event::Click { x: 4, button: 1 }
    );
    assert_eq!(
        data_bytes(0, &Event::Click { x: 4, button: 9 }),
        [0, 4],
        "version 0 writes the variant without the later field"
    );
}
