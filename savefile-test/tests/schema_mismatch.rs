//! Changes to a type made without a version bump are caught by the schema check on
//! load, which names the place and both sides; changes that do not alter the bytes
//! (renames) are not refused.
//!
//! Every "old" type lives in module `saved`, the program's current type of the same
//! name at the top level; both are used with data version 0.

use savefile::prelude::*;
use savefile::{SchemaDifference, SchemaMismatch};

/// The types as an earlier build of the program saved them.
mod saved {
    use savefile::prelude::*;

    #[derive(Savefile)]
    pub(crate) struct Player {
        pub(crate) name: String,
        pub(crate) inventory: Vec<String>,
    }

    #[derive(Savefile)]
    pub(crate) struct Score {
        pub(crate) points: u32,
        pub(crate) level: u8,
    }

    #[derive(Savefile)]
    pub(crate) enum Shape {
        Dot,
        Rect { w: u16, h: u16 },
    }

    #[derive(Savefile)]
    pub(crate) enum Light {
        Red,
        Green,
    }

    #[derive(Savefile)]
    pub(crate) struct Pos {
        pub(crate) x: i32,
        pub(crate) y: i32,
    }

    #[derive(Savefile)]
    pub(crate) struct Team {
        pub(crate) members: Vec<Option<Pos>>,
    }
}

/// The error of loading `file` as `T`, which must be a schema mismatch.
fn mismatch<T: WithSchema + Deserialize + std::fmt::Debug>(file: &[u8]) -> SchemaMismatch {
    match load_from_mem::<T>(file, 0) {
        Err(SavefileError::IncompatibleSchema { mismatch }) => *mismatch,
        other => panic!("expected IncompatibleSchema, got {other:?}"),
    }
}

#[derive(Savefile, Debug)]
struct Player {
    name: String,
    inventory: Vec<u32>,
}

#[test]
fn a_field_whose_type_changed_is_refused_with_its_path_and_both_types() {
    let file = save_to_mem(
        0,
        &saved::Player {
            name: "Steve".into(),
            inventory: vec!["wallet".into()],
        },
    )
    .unwrap();
    let found = mismatch::<Player>(&file);
    assert_eq!(
        found,
        SchemaMismatch {
            path: "./Player/inventory/*".into(),
            difference: SchemaDifference::Kind {
                program: "u32".into(),
                file: "a string".into(),
            },
        }
    );
    assert_eq!(
        load_from_mem::<Player>(&file, 0).unwrap_err().to_string(),
        "the file does not match the program's data layout at `./Player/inventory/*`: \
         the program has u32, the file has a string"
    );
    // The same check guards every way of loading with a schema.
    let mut compressed = Vec::new();
    save_compressed(
        &mut compressed,
        0,
        &saved::Player {
            name: String::new(),
            inventory: vec![],
        },
    )
    .unwrap();
    assert_eq!(mismatch::<Player>(&compressed).path, "./Player/inventory/*");
    assert!(matches!(
        load::<Player>(&mut &file[..], 0),
        Err(SavefileError::IncompatibleSchema { .. })
    ));
}

#[test]
fn a_mismatch_deep_inside_names_every_step() {
    #[derive(Savefile, Debug)]
    struct Pos {
        x: i32,
        y: i64,
    }
    #[derive(Savefile, Debug)]
    struct Team {
        members: Vec<Option<Pos>>,
    }
    let file = save_to_mem(0, &saved::Team { members: vec![] }).unwrap();
    assert_eq!(
        mismatch::<Team>(&file),
        SchemaMismatch {
            path: "./Team/members/*/Pos/y".into(),
            difference: SchemaDifference::Kind {
                program: "i64".into(),
                file: "i32".into(),
            },
        }
    );
}

#[derive(Savefile, Debug)]
struct Score {
    points: u32,
    level: u8,
    bonus: u8,
}

#[test]
fn a_field_added_without_a_version_bump_is_refused_by_field_count() {
    let file = save_to_mem(
        0,
        &saved::Score {
            points: 10,
            level: 2,
        },
    )
    .unwrap();
    let found = mismatch::<Score>(&file);
    assert_eq!(found.path, "./Score");
    assert_eq!(
        found.difference,
        SchemaDifference::FieldCount {
            program: 3,
            file: 2
        }
    );
    assert_eq!(
        found.to_string(),
        "at `./Score`: the program's type has 3 fields, the file's has 2"
    );
    // Without the schema nothing checks: the load reads past the saved bytes.
    let mut bare = Vec::new();
    save_noschema(
        &mut bare,
        0,
        &saved::Score {
            points: 10,
            level: 2,
        },
    )
    .unwrap();
    assert!(matches!(
        load_from_mem_noschema::<Score>(&bare, 0),
        Err(SavefileError::ShortRead)
    ));
}

#[derive(Savefile, Debug)]
enum Shape {
    Dot,
    Square { w: u16, h: u16 },
}

#[test]
fn a_renamed_variant_is_refused() {
    let file = save_to_mem(0, &saved::Shape::Dot).unwrap();
    let found = mismatch::<Shape>(&file);
    assert_eq!(found.path, "./Shape/Square");
    assert_eq!(
        found.difference,
        SchemaDifference::VariantName {
            program: "Square".into(),
            file: "Rect".into()
        }
    );
    assert_eq!(
        found.to_string(),
        "at `./Shape/Square`: the program's variant is named `Square`, the file's `Rect`"
    );
    let _ = saved::Shape::Rect { w: 1, h: 1 };
}

#[derive(Savefile, Debug)]
#[repr(u16)]
enum Light {
    Red,
    Green,
}

#[test]
fn an_enum_whose_index_width_changed_is_refused() {
    let file = save_to_mem(0, &saved::Light::Green).unwrap();
    let found = mismatch::<Light>(&file);
    assert_eq!(found.path, "./Light");
    assert_eq!(
        found.difference,
        SchemaDifference::DiscriminantSize {
            program: 2,
            file: 1
        }
    );
    assert_eq!(
        found.to_string(),
        "at `./Light`: the program's enum stores its variant in 2 bytes, the file's in 1"
    );
    let _ = (saved::Light::Red, Light::Red, Light::Green);
}

#[test]
fn an_added_variant_without_a_version_bump_is_refused() {
    #[derive(Savefile, Debug)]
    enum Light {
        Red,
        Green,
        Amber,
    }
    let file = save_to_mem(0, &saved::Light::Red).unwrap();
    assert_eq!(
        mismatch::<Light>(&file),
        SchemaMismatch {
            path: "./Light".into(),
            difference: SchemaDifference::VariantCount {
                program: 3,
                file: 2
            },
        }
    );
    let _ = (Light::Red, Light::Green, Light::Amber);
}

#[test]
fn renamed_fields_and_types_load_because_names_are_not_compared() {
    #[derive(Savefile, Debug, PartialEq)]
    struct Hero {
        title: String,
        bag: Vec<String>,
    }
    #[derive(Savefile, Debug, PartialEq)]
    struct Coordinates(i32, i32);

    let file = save_to_mem(
        0,
        &saved::Player {
            name: "Steve".into(),
            inventory: vec!["wallet".into(), "keys".into()],
        },
    )
    .unwrap();
    assert_eq!(
        load_from_mem::<Hero>(&file, 0).unwrap(),
        Hero {
            title: "Steve".into(),
            bag: vec!["wallet".into(), "keys".into()],
        }
    );
    let file = save_to_mem(0, &saved::Pos { x: -1, y: 2 }).unwrap();
    assert_eq!(
        load_from_mem::<Coordinates>(&file, 0).unwrap(),
        Coordinates(-1, 2)
    );
}

#[test]
fn layout_changes_that_keep_the_bytes_load() {
    // A different memory layout (repr(C), a padding field that is not saved)
    // changes sizes and offsets in the schema, which are not compared.
    #[derive(Savefile, Debug, PartialEq)]
    #[repr(C)]
    struct Pos {
        #[savefile_ignore]
        tag: u64,
        x: i32,
        y: i32,
    }
    let file = save_to_mem(0, &saved::Pos { x: 3, y: 4 }).unwrap();
    assert_eq!(
        load_from_mem::<Pos>(&file, 0).unwrap(),
        Pos { tag: 0, x: 3, y: 4 }
    );
}
