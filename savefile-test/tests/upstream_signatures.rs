//! Calls spelled the way code written against savefile 0.20 spells them compile here, and
//! do what their names say.
//!
//! Every explicit generic argument list below is one that savefile 0.20.6's signature of the
//! same function accepts: the file functions name the value type and the path type
//! (`load_file<T, P: AsRef<Path>>`), the stream and memory functions the value type alone
//! (their reader or writer is an `impl Read` / `impl Write` argument). A signature of ours
//! with another shape fails to compile this file; a function that does something else fails
//! its assertions. docs/compatibility.md lists the signatures that still differ.

use std::path::{Path, PathBuf};

use savefile::prelude::*;
use savefile::{
    load_file_noschema_with, load_file_with, load_from_mem_noschema_with, load_from_mem_with,
    load_noschema_with, load_with,
};
use savefile_test::TempDir;

#[derive(Savefile, Debug, PartialEq, Clone)]
struct World {
    name: String,
    seed: u64,
    tiles: Vec<u16>,
}

const VERSION: u32 = 3;

fn world() -> World {
    World {
        name: "Ankh".to_string(),
        seed: 0x5eed_0000_0001,
        tiles: vec![1, 2, 3, 500, 65535],
    }
}

/// The bytes of a whole file saved with schema, by a function other than the file ones.
fn with_schema() -> Vec<u8> {
    let mut bytes = Vec::new();
    save::<World>(&mut bytes, VERSION, &world()).unwrap();
    bytes
}

/// The bytes of a whole file saved without schema.
fn without_schema() -> Vec<u8> {
    let mut bytes = Vec::new();
    save_noschema::<World>(&mut bytes, VERSION, &world()).unwrap();
    bytes
}

#[test]
fn file_functions_take_the_value_type_then_the_path_type() {
    let dir = TempDir::new();
    let options = LoadOptions::default();

    // `_` for the path type, as most 0.20 code writes it.
    let schema_file = dir.path("schema.sav");
    save_file::<World, _>(&schema_file, VERSION, &world()).unwrap();
    assert_eq!(std::fs::read(&schema_file).unwrap(), with_schema());
    assert_eq!(
        load_file::<World, _>(&schema_file, VERSION).unwrap(),
        world()
    );
    assert_eq!(
        load_file_with::<World, _>(&schema_file, VERSION, &options).unwrap(),
        world()
    );

    // The path type spelled out: `&str`.
    let plain = dir.path("plain.sav");
    let plain_text: &str = plain.to_str().unwrap();
    save_file_noschema::<World, &str>(plain_text, VERSION, &world()).unwrap();
    assert_eq!(std::fs::read(&plain).unwrap(), without_schema());
    assert_eq!(
        load_file_noschema::<World, &str>(plain_text, VERSION).unwrap(),
        world()
    );
    assert_eq!(
        load_file_noschema_with::<World, &str>(plain_text, VERSION, &options).unwrap(),
        world()
    );

    // `PathBuf` by value and `&Path`.
    let packed = dir.path("packed.sav");
    save_file_compressed::<World, PathBuf>(packed.clone(), VERSION, &world()).unwrap();
    let bytes = std::fs::read(&packed).unwrap();
    assert_eq!(bytes[15], 1, "the header says the body is compressed");
    assert_eq!(
        load_file::<World, &Path>(packed.as_path(), VERSION).unwrap(),
        world()
    );

    // The schema and no-schema files are told apart: each loads only its own way.
    assert!(load_file::<World, _>(&plain, VERSION).is_err());
    assert!(load_file_noschema::<World, _>(&schema_file, VERSION).is_err());
    // The version argument is the program's: a newer file is refused.
    assert!(matches!(
        load_file::<World, _>(&schema_file, VERSION - 1),
        Err(SavefileError::WrongVersion { .. })
    ));
}

#[test]
fn file_functions_infer_both_parameters() {
    // The forms of the reference documentation: no turbofish at all.
    let dir = TempDir::new();
    let path = dir.path("inferred.sav");
    save_file(&path, VERSION, &world()).unwrap();
    let back: World = load_file(&path, VERSION).unwrap();
    assert_eq!(back, world());
    save_file_noschema(path.to_str().unwrap(), VERSION, &world()).unwrap();
    let back: World = load_file_noschema(path.to_str().unwrap(), VERSION).unwrap();
    assert_eq!(back, world());
}

#[test]
fn stream_functions_take_the_value_type_alone() {
    let options = LoadOptions::default();
    let schema_bytes = with_schema();
    assert_eq!(
        load::<World>(&mut &schema_bytes[..], VERSION).unwrap(),
        world()
    );
    assert_eq!(
        load_with::<World>(&mut &schema_bytes[..], VERSION, &options).unwrap(),
        world()
    );

    let plain_bytes = without_schema();
    assert!(plain_bytes.len() < schema_bytes.len());
    assert_eq!(
        load_noschema::<World>(&mut &plain_bytes[..], VERSION).unwrap(),
        world()
    );
    assert_eq!(
        load_noschema_with::<World>(&mut &plain_bytes[..], VERSION, &options).unwrap(),
        world()
    );

    let mut packed = Vec::new();
    save_compressed::<World>(&mut packed, VERSION, &world()).unwrap();
    assert_eq!(packed[15], 1);
    assert_eq!(load::<World>(&mut &packed[..], VERSION).unwrap(), world());
}

#[test]
fn memory_functions_take_the_value_type_alone() {
    let options = LoadOptions::default();
    let bytes = save_to_mem::<World>(VERSION, &world()).unwrap();
    assert_eq!(bytes, with_schema());
    assert_eq!(load_from_mem::<World>(&bytes, VERSION).unwrap(), world());
    assert_eq!(
        load_from_mem_with::<World>(&bytes, VERSION, &options).unwrap(),
        world()
    );

    let plain = without_schema();
    assert_eq!(
        load_from_mem_noschema::<World>(&plain, VERSION).unwrap(),
        world()
    );
    assert_eq!(
        load_from_mem_noschema_with::<World>(&plain, VERSION, &options).unwrap(),
        world()
    );
    // A no-schema file read as one with schema is refused, not misread.
    assert!(load_from_mem::<World>(&plain, VERSION).is_err());
}

#[test]
fn get_schema_takes_the_value_type() {
    let schema = get_schema::<World>(VERSION);
    match &schema {
        Schema::Struct(s) => {
            let names: Vec<&str> = s.fields.iter().map(|f| f.name.as_str()).collect();
            assert_eq!(names, ["name", "seed", "tiles"]);
        }
        other => panic!("expected a struct schema, got {other:?}"),
    }
}

/// An enum with hand-written impls, in the style of savefile 0.20: its schema is built
/// with `SchemaEnum::new(name, discriminant_size, variants)`.
#[derive(Debug, PartialEq)]
enum Light {
    Off,
    Dim(u8),
}

impl WithSchema for Light {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        let dim = Field::new("0".to_string(), Box::new(u8::schema(version, context)));
        Schema::Enum(SchemaEnum::new(
            "Light".to_string(),
            1,
            vec![
                Variant {
                    name: "Off".to_string(),
                    discriminant: 0,
                    fields: vec![],
                },
                Variant {
                    name: "Dim".to_string(),
                    discriminant: 1,
                    fields: vec![dim],
                },
            ],
        ))
    }
}

impl Packed for Light {}

impl Serialize for Light {
    fn serialize(
        &self,
        serializer: &mut Serializer<impl std::io::Write>,
    ) -> Result<(), SavefileError> {
        match self {
            Light::Off => serializer.write_u8(0),
            Light::Dim(level) => {
                serializer.write_u8(1)?;
                serializer.write_u8(*level)
            }
        }
    }
}

impl Deserialize for Light {
    fn deserialize(
        deserializer: &mut Deserializer<impl std::io::Read>,
    ) -> Result<Self, SavefileError> {
        match deserializer.read_u8()? {
            0 => Ok(Light::Off),
            1 => Ok(Light::Dim(deserializer.read_u8()?)),
            _ => Err(SavefileError::GeneralError {
                msg: "no such light".to_string(),
            }),
        }
    }
}

/// The derived twin of [`Light`].
#[derive(Savefile, Debug, PartialEq)]
enum DerivedLight {
    Off,
    Dim(u8),
}

/// The same variants with a two-byte index.
#[derive(Savefile)]
#[repr(u16)]
#[allow(dead_code)]
enum WideLight {
    Off,
    Dim(u8),
}

#[test]
fn hand_written_enum_schemas_and_diff_schema_take_the_arguments_of_0_20() {
    let hand = get_schema::<Light>(0);
    let derived = get_schema::<DerivedLight>(0);
    let wide = get_schema::<WideLight>(0);
    for is_return_pos in [false, true] {
        assert_eq!(
            diff_schema(&hand, &derived, ".".into(), is_return_pos),
            None
        );
        let difference = diff_schema(&hand, &wide, ".".into(), is_return_pos)
            .expect("a one-byte and a two-byte index differ");
        assert!(difference.starts_with("at `./Light`"), "{difference}");
    }
    let Schema::Enum(hand_enum) = &hand else {
        panic!("expected an enum schema, got {hand:?}");
    };
    assert_eq!(hand_enum.discriminant_size, 1);
    assert!(!hand_enum.has_explicit_repr);
    assert_eq!((hand_enum.size, hand_enum.alignment), (None, None));

    // Files of the derived enum load as the hand-written one.
    let bytes = save_to_mem(0, &vec![DerivedLight::Dim(7), DerivedLight::Off]).unwrap();
    assert_eq!(
        load_from_mem::<Vec<Light>>(&bytes, 0).unwrap(),
        [Light::Dim(7), Light::Off]
    );
    let bytes = save_to_mem(0, &vec![WideLight::Off]).unwrap();
    assert!(matches!(
        load_from_mem::<Vec<Light>>(&bytes, 0),
        Err(SavefileError::IncompatibleSchema { .. })
    ));
}

/// The saved width of a primitive, by a match on every variant with no wildcard arm, as
/// code written for savefile 0.20 (where `SchemaPrimitive` is exhaustive) may match.
fn saved_width(primitive: SchemaPrimitive) -> Option<usize> {
    match primitive {
        SchemaPrimitive::schema_i8 | SchemaPrimitive::schema_u8 | SchemaPrimitive::schema_bool => {
            Some(1)
        }
        SchemaPrimitive::schema_i16 | SchemaPrimitive::schema_u16 => Some(2),
        SchemaPrimitive::schema_i32
        | SchemaPrimitive::schema_u32
        | SchemaPrimitive::schema_f32
        | SchemaPrimitive::schema_char
        | SchemaPrimitive::schema_canary1 => Some(4),
        SchemaPrimitive::schema_i64 | SchemaPrimitive::schema_u64 | SchemaPrimitive::schema_f64 => {
            Some(8)
        }
        SchemaPrimitive::schema_i128 | SchemaPrimitive::schema_u128 => Some(16),
        SchemaPrimitive::schema_string(_) => None,
    }
}

fn primitive_of<T: WithSchema>() -> SchemaPrimitive {
    match get_schema::<T>(0) {
        Schema::Primitive(primitive) => primitive,
        other => panic!("expected a primitive schema, got {other:?}"),
    }
}

#[test]
fn schema_primitive_can_be_matched_exhaustively() {
    let cases = [
        (primitive_of::<bool>(), Some(1)),
        (primitive_of::<i16>(), Some(2)),
        (primitive_of::<char>(), Some(4)),
        (primitive_of::<Canary1>(), Some(4)),
        (primitive_of::<usize>(), Some(8)),
        (primitive_of::<f64>(), Some(8)),
        (primitive_of::<u128>(), Some(16)),
        (primitive_of::<String>(), None),
    ];
    for (primitive, width) in cases {
        assert_eq!(saved_width(primitive), width, "{primitive:?}");
        if let Some(width) = width {
            // Canary1 saves a u32 of magic; the others their own bytes.
            let value_bytes = match primitive {
                SchemaPrimitive::schema_bool => save_to_mem(0, &true),
                SchemaPrimitive::schema_i16 => save_to_mem(0, &-2i16),
                SchemaPrimitive::schema_char => save_to_mem(0, &'é'),
                SchemaPrimitive::schema_canary1 => save_to_mem(0, &Canary1::new()),
                SchemaPrimitive::schema_u64 => save_to_mem(0, &7usize),
                SchemaPrimitive::schema_f64 => save_to_mem(0, &0.5f64),
                _ => save_to_mem(0, &9u128),
            };
            let file_len = value_bytes.unwrap().len();
            // Header (16 bytes), the one-node schema (tag and kind), then the value.
            assert_eq!(file_len - 16 - 2, width, "{primitive:?}");
        }
    }
}

#[test]
fn serializer_and_deserializer_have_the_associated_entry_points_of_0_20() {
    let mut out = Vec::new();
    Serializer::save::<World>(&mut out, VERSION, &world(), false).unwrap();
    assert_eq!(out, with_schema());
    assert_eq!(
        Deserializer::load::<World>(&mut &out[..], VERSION).unwrap(),
        world()
    );

    let mut packed = Vec::new();
    Serializer::save::<World>(&mut packed, VERSION, &world(), true).unwrap();
    assert_eq!(packed[15], 1, "with_compression compresses");
    assert_eq!(load_from_mem::<World>(&packed, VERSION).unwrap(), world());

    let mut plain = Vec::new();
    Serializer::save_noschema::<World>(&mut plain, VERSION, &world()).unwrap();
    assert_eq!(plain, without_schema());
    assert_eq!(
        Deserializer::load_noschema::<World>(&mut &plain[..], VERSION).unwrap(),
        world()
    );

    // Bare: the data alone, exactly the tail of the no-schema file.
    let mut bare = Vec::new();
    Serializer::bare_serialize::<World>(&mut bare, VERSION, &world()).unwrap();
    assert_eq!(bare[..], plain[16..]);
    let mut reader = &bare[..];
    assert_eq!(
        Deserializer::bare_deserialize::<World>(&mut reader, VERSION).unwrap(),
        world()
    );
    assert!(reader.is_empty(), "the whole value was read");

    let mut raw = Vec::new();
    {
        let mut serializer = Serializer::<Vec<u8>>::new_raw(&mut raw, 1);
        assert_eq!(serializer.file_version, 1);
        serializer.write_u16(0x0102).unwrap();
    }
    assert_eq!(raw, [0x02, 0x01]);
}

/// A slice-like container with hand-written impls in savefile 0.20's style: saved as a
/// vector, read through `deserialize_slice_as_vec`.
#[derive(Debug, PartialEq)]
struct Bag(Box<[u32]>);

impl WithSchema for Bag {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        Schema::Vector(
            Box::new(u32::schema(version, context)),
            savefile::calculate_vec_memory_layout::<u32>(),
        )
    }
}

impl Packed for Bag {}

impl Serialize for Bag {
    fn serialize(
        &self,
        serializer: &mut Serializer<impl std::io::Write>,
    ) -> Result<(), SavefileError> {
        serializer.write_usize(self.0.len())?;
        for item in &self.0 {
            serializer.write_u32(*item)?;
        }
        Ok(())
    }
}

impl Deserialize for Bag {
    fn deserialize(
        deserializer: &mut Deserializer<impl std::io::Read>,
    ) -> Result<Self, SavefileError> {
        Ok(Bag(
            deserialize_slice_as_vec(deserializer)?.into_boxed_slice()
        ))
    }
}

#[test]
fn slice_like_containers_are_written_as_in_0_20() {
    assert_eq!(get_schema::<Bag>(0), get_schema::<Vec<u32>>(0));
    assert_eq!(
        savefile::calculate_slice_memory_layout::<u32>(),
        VecOrStringLayout::Unknown
    );
    let bytes = save_to_mem(0, &vec![4u32, 5, 6]).unwrap();
    let bag = load_from_mem::<Bag>(&bytes, 0).unwrap();
    assert_eq!(bag, Bag(vec![4, 5, 6].into_boxed_slice()));
    assert_eq!(save_to_mem(0, &bag).unwrap(), bytes);
}

#[test]
fn get_result_schema_is_the_schema_of_result() {
    assert_eq!(
        get_result_schema(get_schema::<u8>(0), get_schema::<String>(0)),
        get_schema::<Result<u8, String>>(0)
    );
    assert_ne!(
        get_result_schema(get_schema::<u8>(0), get_schema::<String>(0)),
        get_schema::<Result<String, u8>>(0)
    );
}

/// A name saved as raw bytes, read back with `?` on `String::from_utf8`.
#[derive(Debug, PartialEq)]
struct Name(String);

impl WithSchema for Name {
    fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
        Schema::Custom("Name".to_string())
    }
}

impl Packed for Name {}

impl Serialize for Name {
    fn serialize(
        &self,
        serializer: &mut Serializer<impl std::io::Write>,
    ) -> Result<(), SavefileError> {
        if self.0.is_empty() {
            return Err(SavefileError::general(format_args!(
                "a name of {} bytes",
                self.0.len()
            )));
        }
        serializer.write_u8(self.0.len() as u8)?;
        serializer.write_bytes(self.0.as_bytes())
    }
}

impl Deserialize for Name {
    fn deserialize(
        deserializer: &mut Deserializer<impl std::io::Read>,
    ) -> Result<Self, SavefileError> {
        let len = deserializer.read_u8()?;
        let bytes = deserializer.read_bytes(len as usize)?;
        std::str::from_utf8(&bytes)?;
        Ok(Name(String::from_utf8(bytes)?))
    }
}

/// A counter behind a lock, saved with `?` on `lock()`.
struct Shared(std::sync::Mutex<u32>);

impl WithSchema for Shared {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        u32::schema(version, context)
    }
}

impl Packed for Shared {}

impl Serialize for Shared {
    fn serialize(
        &self,
        serializer: &mut Serializer<impl std::io::Write>,
    ) -> Result<(), SavefileError> {
        serializer.write_u32(*self.0.lock()?)
    }
}

#[test]
fn hand_written_impls_build_errors_as_in_0_20() {
    let bytes = save_to_mem(0, &Name("Ada".to_string())).unwrap();
    assert_eq!(
        load_from_mem::<Name>(&bytes, 0).unwrap(),
        Name("Ada".to_string())
    );
    let mut broken = bytes.clone();
    let last = broken.len() - 1;
    broken[last] = 0xff;
    assert!(matches!(
        load_from_mem::<Name>(&broken, 0),
        Err(SavefileError::InvalidUtf8 { .. })
    ));

    let err = save_to_mem(0, &Name(String::new())).unwrap_err();
    assert!(matches!(&err, SavefileError::GeneralError { msg } if msg == "a name of 0 bytes"));

    let shared = Shared(std::sync::Mutex::new(9));
    assert_eq!(
        load_from_mem::<u32>(&save_to_mem(0, &shared).unwrap(), 0).unwrap(),
        9
    );
    let _ = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let _guard = shared.0.lock().unwrap();
                panic!("poison the lock (this panic is expected)");
            })
            .join()
    });
    assert!(shared.0.is_poisoned());
    assert!(matches!(
        save_to_mem(0, &shared),
        Err(SavefileError::PoisonedMutex)
    ));
}

/// Saves and loads through the one `Savefile` bound.
fn through_one_bound<T: savefile::Savefile + PartialEq + std::fmt::Debug>(value: &T) -> T {
    load_from_mem(&save_to_mem(0, value).unwrap(), 0).unwrap()
}

#[repr(C)]
struct Pair {
    _a: u32,
    b: u32,
}

#[test]
fn the_savefile_bound_and_the_small_helpers_of_0_20() {
    assert_eq!(through_one_bound(&world()), world());
    assert_eq!(
        through_one_bound(&vec![DerivedLight::Off]),
        [DerivedLight::Off]
    );
    assert!(IsPacked::default().is_false());
    // `offset_of!` comes with the prelude.
    assert_eq!(offset_of!(Pair, b), 4);
}

/// The derived twin of [`HandPoint`].
#[derive(Savefile, Debug, PartialEq)]
#[repr(C)]
struct Point {
    x: u32,
    y: u16,
}

/// A struct whose hand-written schema records its memory layout, in savefile 0.20's
/// style: `SchemaStruct::new_unsafe` and `Field::unsafe_new`.
#[repr(C)]
struct HandPoint {
    x: u32,
    y: u16,
}

impl WithSchema for HandPoint {
    // `Field::unsafe_new` is an `unsafe fn`, as in 0.20, so its call needs a block.
    #[allow(unsafe_code)]
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        // SAFETY: the offsets are the fields' own.
        let fields = unsafe {
            vec![
                Field::unsafe_new(
                    "x".to_string(),
                    Box::new(u32::schema(version, context)),
                    Some(offset_of!(HandPoint, x)),
                ),
                Field::unsafe_new(
                    "y".to_string(),
                    Box::new(u16::schema(version, context)),
                    Some(offset_of!(HandPoint, y)),
                ),
            ]
        };
        Schema::Struct(SchemaStruct::new_unsafe(
            "HandPoint".to_string(),
            fields,
            Some(std::mem::size_of::<HandPoint>()),
            Some(std::mem::align_of::<HandPoint>()),
        ))
    }
}

#[test]
fn layout_recording_schema_constructors_take_the_arguments_of_0_20() {
    let mut derived = get_schema::<Point>(0);
    if let Schema::Struct(s) = &mut derived {
        s.dbg_name = "HandPoint".to_string();
    }
    let hand = get_schema::<HandPoint>(0);
    assert_eq!(hand, derived);
    let Schema::Struct(s) = &hand else {
        panic!("expected a struct schema, got {hand:?}");
    };
    assert_eq!((s.size, s.alignment), (Some(8), Some(4)));
    assert_eq!(s.fields[1].offset, Some(4));

    let variants = |context: &mut WithSchemaContext| {
        vec![
            Variant {
                name: "Off".to_string(),
                discriminant: 0,
                fields: vec![],
            },
            Variant {
                name: "Dim".to_string(),
                discriminant: 1,
                fields: vec![Field::new(
                    "0".to_string(),
                    Box::new(u8::schema(0, context)),
                )],
            },
        ]
    };
    let wide = SchemaEnum::new_unsafe(
        "WideLight".to_string(),
        variants(&mut WithSchemaContext::new()),
        2,
        true,
        Some(4),
        Some(2),
    );
    assert_eq!(wide.discriminant_size, 2);
    assert!(wide.has_explicit_repr);
    assert_eq!((wide.size, wide.alignment), (Some(4), Some(2)));
    let wide = Schema::Enum(wide);
    assert_eq!(
        diff_schema(&get_schema::<WideLight>(0), &wide, ".".into(), false),
        None
    );
    assert!(diff_schema(&get_schema::<DerivedLight>(0), &wide, ".".into(), false).is_some());
}

#[test]
fn tuple_schema_helpers_are_the_tuples_schemas() {
    let mut context = WithSchemaContext::new();
    assert_eq!(
        Schema::new_tuple1::<u8>(0, &mut context),
        get_schema::<(u8,)>(0)
    );
    assert_eq!(
        Schema::new_tuple2::<u8, String>(0, &mut context),
        get_schema::<(u8, String)>(0)
    );
    assert_eq!(
        Schema::new_tuple3::<u8, String, u64>(0, &mut context),
        get_schema::<(u8, String, u64)>(0)
    );
    assert_eq!(
        Schema::new_tuple4::<u8, String, u64, bool>(0, &mut context),
        get_schema::<(u8, String, u64, bool)>(0)
    );
    assert_ne!(
        Schema::new_tuple2::<u8, String>(0, &mut context),
        get_schema::<(String, u8)>(0)
    );
}

/// A record whose field went away in version 1, deriving what savefile 0.20's `Removed<T>`
/// allows a struct holding one to derive.
#[derive(Savefile, Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Score {
    player: String,
    #[savefile_versions = "..0"]
    bonus: Removed<u32>,
    points: u32,
}

#[test]
fn removed_fields_derive_what_they_derive_in_0_20() {
    let score = |player: &str, points| Score {
        player: player.to_string(),
        bonus: Removed::new(),
        points,
    };
    let sorted: std::collections::BTreeSet<Score> =
        [score("bo", 2), score("al", 9), score("bo", 1)].into();
    let order: Vec<(&str, u32)> = sorted
        .iter()
        .map(|s| (s.player.as_str(), s.points))
        .collect();
    assert_eq!(order, [("al", 9), ("bo", 1), ("bo", 2)]);
    let hashed: std::collections::HashSet<Score> = [score("al", 9), score("al", 9)].into();
    assert_eq!(hashed.len(), 1);

    // Unsized types may be named, as in 0.20; the schema is the type's.
    assert_eq!(get_schema::<Removed<str>>(0), get_schema::<String>(0));

    // And the field still reads and discards its old value.
    #[derive(Savefile)]
    struct OldScore {
        player: String,
        bonus: u32,
        points: u32,
    }
    let old = OldScore {
        player: "cy".to_string(),
        bonus: 40,
        points: 3,
    };
    let bytes = save_to_mem(0, &old).unwrap();
    assert_eq!(load_from_mem::<Score>(&bytes, 1).unwrap(), score("cy", 3));
}

/// Derived through the path of the derive crate that savefile 0.20 re-exports.
#[derive(savefile::savefile_derive::Savefile, Debug, PartialEq)]
struct ThroughTheCratePath {
    level: u8,
}

#[test]
fn the_derive_crate_is_reachable_through_savefile() {
    let value = ThroughTheCratePath { level: 4 };
    assert_eq!(through_one_bound(&value), value);
}

#[test]
fn top_level_description_names_the_kind_of_node() {
    let cases = [
        (get_schema::<World>(0), "struct"),
        (get_schema::<DerivedLight>(0), "enum"),
        (get_schema::<u8>(0), "primitive"),
        (get_schema::<Vec<u8>>(0), "vector"),
        (get_schema::<[u8; 2]>(0), "array"),
        (get_schema::<Option<u8>>(0), "option"),
        (get_schema::<()>(0), "zerosize"),
        (Schema::Custom("x".to_string()), "custom"),
        (Schema::Undefined, "undefined"),
        (Schema::UtcTimestamp, "UtcTimestamp"),
        (Schema::Recursion(2), "<recursion 2>"),
    ];
    for (schema, word) in cases {
        assert_eq!(schema.top_level_description(), word, "{schema:?}");
    }
}
