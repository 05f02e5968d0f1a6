//! The examples of the reference documentation, compiled as they are written there.
//!
//! Each example sits in its own module, with its `fn main` turned into a `#[test]`
//! and its file names moved into a temporary directory. The `Player` examples are
//! three versions of one program, so one test runs them in order on the same files.
//! Where the documentation only declares types, the test adds what it promises
//! about them (a default of 42, a cached value of 0.0 after load, …).

// The reference examples start this way; keeping the lines keeps them as written.
#![allow(unused_extern_crates)]

extern crate savefile;
#[macro_use]
extern crate savefile_derive;

use std::path::Path;

use savefile_test::TempDir;

/// "§Example": version 0 of the game saves a player and loads it back.
mod first_example {
    use super::*;
    use savefile::prelude::*;

    #[derive(Savefile)]
    pub(crate) struct Player {
        name: String,
        strength: u32,
        inventory: Vec<String>,
    }

    fn save_player(file: &Path, player: &Player) {
        save_file(file, 0, player).unwrap();
    }

    fn load_player(file: &Path) -> Player {
        load_file(file, 0).unwrap()
    }

    /// The example's `main`, writing `save.bin` in `dir`.
    pub(crate) fn main(dir: &TempDir) {
        let player = Player {
            name: "Steve".to_string(),
            strength: 42,
            inventory: vec![
                "wallet".to_string(),
                "car keys".to_string(),
                "glasses".to_string(),
            ],
        };

        save_player(&dir.path("save.bin"), &player);

        let reloaded_player = load_player(&dir.path("save.bin"));

        assert_eq!(reloaded_player.name, "Steve".to_string());
        assert_eq!(reloaded_player.strength, 42);
        assert_eq!(reloaded_player.inventory, player.inventory);
    }

    #[test]
    fn the_first_example_saves_and_loads() {
        main(&TempDir::new());
    }
}

/// "§Handling old versions": version 1 drops `strength` and adds `skills`.
mod handling_old_versions {
    use super::*;
    use savefile::prelude::*;

    const GLOBAL_VERSION: u32 = 1;
    #[derive(Savefile)]
    pub(crate) struct Player {
        pub(crate) name: String,
        #[savefile_versions = "0..0"] //Only version 0 had this field
        strength: Removed<u32>,
        pub(crate) inventory: Vec<String>,
        #[savefile_versions = "1.."] //Only versions 1 and later have this field
        pub(crate) skills: Vec<String>,
    }

    fn save_player(file: &Path, player: &Player) {
        // Save current version of file.
        save_file(file, GLOBAL_VERSION, player).unwrap();
    }

    pub(crate) fn load_player(file: &Path) -> Player {
        // The GLOBAL_VERSION means we have that version of our data structures,
        // but we can still load any older version.
        load_file(file, GLOBAL_VERSION).unwrap()
    }

    /// The example's `main`: reads `save.bin`, writes `newsave.bin`.
    // The example tests for a missing file this way; it stays as written.
    #[allow(clippy::bool_comparison)]
    pub(crate) fn main(dir: &TempDir) {
        if Path::new(&dir.path("save.bin")).exists() == false {
            /* error handling */
            return;
        }

        let mut player = load_player(&dir.path("save.bin")); //Load from previous save
        assert_eq!("Steve", &player.name); //The name from the previous version saved will remain
        assert_eq!(0, player.skills.len()); //Skills didn't exist when this was saved
        player.skills.push("Whistling".to_string());
        save_player(&dir.path("newsave.bin"), &player); //The version saved here will have the vec of skills
    }
}

/// "§Speeding things up": version 2 adds a history of plain-data positions.
mod speeding_things_up {
    use super::*;
    use savefile::prelude::*;

    #[derive(Clone, Copy, Savefile)]
    #[repr(C)] // Memory layout will become equal to savefile disk format - optimization possible!
    pub(crate) struct Position {
        pub(crate) x: u32,
        pub(crate) y: u32,
    }

    const GLOBAL_VERSION: u32 = 2;
    #[derive(Savefile)]
    pub(crate) struct Player {
        pub(crate) name: String,
        #[savefile_versions = "0..0"] //Only version 0 had this field
        strength: Removed<u32>,
        pub(crate) inventory: Vec<String>,
        #[savefile_versions = "1.."] //Only versions 1 and later have this field
        pub(crate) skills: Vec<String>,
        #[savefile_versions = "2.."] //Only versions 2 and later have this field
        pub(crate) history: Vec<Position>,
    }

    fn save_player(file: &Path, player: &Player) {
        save_file(file, GLOBAL_VERSION, player).unwrap();
    }

    pub(crate) fn load_player(file: &Path) -> Player {
        load_file(file, GLOBAL_VERSION).unwrap()
    }

    /// The example's `main`: reads `newsave.bin`, writes `newersave.bin`.
    #[allow(clippy::bool_comparison)]
    pub(crate) fn main(dir: &TempDir) {
        if Path::new(&dir.path("newsave.bin")).exists() == false {
            /* error handling */
            return;
        }

        let mut player = load_player(&dir.path("newsave.bin")); //Load from previous save
        player.history.push(Position { x: 1, y: 1 });
        player.history.push(Position { x: 2, y: 1 });
        player.history.push(Position { x: 2, y: 2 });
        save_player(&dir.path("newersave.bin"), &player);
    }
}

#[test]
fn the_player_survives_versions_0_1_and_2() {
    let dir = TempDir::new();
    first_example::main(&dir);
    handling_old_versions::main(&dir);
    assert!(dir.path("newsave.bin").exists(), "version 1 wrote its file");
    speeding_things_up::main(&dir);

    // Each file is read by the program of its version and by every later one.
    let v1 = handling_old_versions::load_player(&dir.path("newsave.bin"));
    assert_eq!(v1.skills, ["Whistling"]);
    let from_v0 = speeding_things_up::load_player(&dir.path("save.bin"));
    assert_eq!(from_v0.name, "Steve");
    assert!(from_v0.skills.is_empty() && from_v0.history.is_empty());
    let from_v1 = speeding_things_up::load_player(&dir.path("newsave.bin"));
    assert_eq!(from_v1.skills, ["Whistling"]);
    assert!(from_v1.history.is_empty());
    let v2 = speeding_things_up::load_player(&dir.path("newersave.bin"));
    assert_eq!(v2.name, "Steve");
    assert_eq!(v2.inventory, ["wallet", "car keys", "glasses"]);
    assert_eq!(v2.skills, ["Whistling"]);
    let history: Vec<(u32, u32)> = v2.history.iter().map(|p| (p.x, p.y)).collect();
    assert_eq!(history, [(1, 1), (2, 1), (2, 2)]);
}

#[test]
fn a_repr_c_position_is_copied_as_raw_bytes() {
    use savefile::prelude::*;
    // SAFETY: only asks whether the type is packed; nothing is copied.
    #[allow(unsafe_code)]
    let packed = unsafe { <speeding_things_up::Position as Packed>::repr_c_optimization_safe(2) };
    assert!(packed.is_yes());
}

/// "§The savefile_default_val attribute".
mod default_val {
    use savefile::prelude::*;

    mod v0 {
        use savefile::prelude::*;

        #[derive(Savefile)]
        pub(crate) struct SomeType {
            pub(crate) old_field: u32,
        }
    }

    #[derive(Savefile)]
    struct SomeType {
        old_field: u32,
        #[savefile_default_val = "42"]
        #[savefile_versions = "1.."]
        new_field: u32,
    }

    #[test]
    fn a_version_0_file_gets_42() {
        let old = save_to_mem(0, &v0::SomeType { old_field: 7 }).unwrap();
        let loaded: SomeType = load_from_mem(&old, 1).unwrap();
        assert_eq!((loaded.old_field, loaded.new_field), (7, 42));

        let current = SomeType {
            old_field: 7,
            new_field: 9,
        };
        let loaded: SomeType = load_from_mem(&save_to_mem(1, &current).unwrap(), 1).unwrap();
        assert_eq!(loaded.new_field, 9, "a version 1 file keeps its value");
    }
}

/// "§The savefile_default_fn attribute".
mod default_fn {
    use savefile::prelude::*;

    mod v0 {
        use savefile::prelude::*;

        #[derive(Savefile)]
        pub(crate) struct SomeType {
            pub(crate) old_field: u32,
        }
    }

    fn make_hello_pair() -> (String, String) {
        ("Hello".to_string(), "World".to_string())
    }
    #[derive(Savefile)]
    struct SomeType {
        old_field: u32,
        #[savefile_default_fn = "make_hello_pair"]
        #[savefile_versions = "1.."]
        new_field: (String, String),
    }

    #[test]
    fn a_version_0_file_gets_the_functions_value() {
        let old = save_to_mem(0, &v0::SomeType { old_field: 3 }).unwrap();
        let loaded: SomeType = load_from_mem(&old, 1).unwrap();
        assert_eq!(loaded.old_field, 3);
        assert_eq!(loaded.new_field, ("Hello".into(), "World".into()));
    }
}

/// "§The savefile_ignore attribute".
mod ignore {
    use savefile::prelude::*;

    #[derive(Savefile)]
    struct IgnoreExample {
        a: f64,
        b: f64,
        #[savefile_ignore]
        cached_product: f64,
    }

    #[test]
    fn the_cached_product_is_not_saved() {
        let value = IgnoreExample {
            a: 2.0,
            b: 3.5,
            cached_product: 7.0,
        };
        let loaded: IgnoreExample = load_from_mem(&save_to_mem(0, &value).unwrap(), 0).unwrap();
        assert_eq!((loaded.a, loaded.b), (2.0, 3.5));
        assert_eq!(loaded.cached_product, 0.0);

        let mut bare = Vec::new();
        save_noschema(&mut bare, 0, &value).unwrap();
        assert_eq!(bare.len(), 16 + 16, "only a and b are written");
        // Introspection still shows the ignored field.
        assert_eq!(value.introspect_len(), 3);
        assert_eq!(value.introspect_child(2).unwrap().key(), "cached_product");
    }
}

/// "§The savefile_versions_as attribute": a conversion function.
mod versions_as_convert {
    use savefile::prelude::*;

    mod v0 {
        use savefile::prelude::*;

        #[derive(Savefile)]
        pub(crate) struct Employee {
            pub(crate) name: String,
            pub(crate) phone_number: u64,
        }
    }

    fn convert(phone_number: u64) -> String {
        phone_number.to_string()
    }
    #[derive(Savefile)]
    struct Employee {
        name: String,
        #[savefile_versions_as = "0..0:convert:u64"]
        #[savefile_versions = "1.."]
        phone_number: String,
    }

    #[test]
    fn a_version_0_phone_number_becomes_a_string() {
        let old = v0::Employee {
            name: "Ada".into(),
            phone_number: 5551234,
        };
        let loaded: Employee = load_from_mem(&save_to_mem(0, &old).unwrap(), 1).unwrap();
        assert_eq!(loaded.name, "Ada");
        assert_eq!(loaded.phone_number, "5551234");

        let new = Employee {
            name: "Bob".into(),
            phone_number: "+46-555".into(),
        };
        let loaded: Employee = load_from_mem(&save_to_mem(1, &new).unwrap(), 1).unwrap();
        assert_eq!(loaded.phone_number, "+46-555");
    }
}

/// "§The savefile_versions_as attribute": a conversion by `From`.
mod versions_as_from {
    use savefile::prelude::*;

    mod v0 {
        use savefile::prelude::*;

        #[derive(Savefile)]
        pub(crate) struct Racecar {
            pub(crate) max_speed_kmh: u8,
        }
    }

    #[derive(Savefile)]
    struct Racecar {
        #[savefile_versions_as = "0..0:u8"]
        #[savefile_versions = "1.."]
        max_speed_kmh: u16,
    }

    #[test]
    fn a_version_0_speed_widens_to_u16() {
        let old = v0::Racecar { max_speed_kmh: 250 };
        let loaded: Racecar = load_from_mem(&save_to_mem(0, &old).unwrap(), 1).unwrap();
        assert_eq!(loaded.max_speed_kmh, 250u16);

        let new = Racecar { max_speed_kmh: 400 };
        let loaded: Racecar = load_from_mem(&save_to_mem(1, &new).unwrap(), 1).unwrap();
        assert_eq!(loaded.max_speed_kmh, 400);
    }
}

/// "§Introspection": the trait used directly.
mod introspection {
    use savefile::Introspect;
    // `key()` and `val()` are called on `Box<dyn IntrospectItem>`, which needs no
    // import; the example imports the trait anyway.
    #[allow(unused_imports)]
    use savefile::IntrospectItem;
    #[derive(Savefile)]
    struct Weight {
        value: u32,
        unit: String,
    }
    #[derive(Savefile)]
    struct Person {
        name: String,
        age: u16,
        weight: Weight,
    }

    #[test]
    fn main() {
        let a_person = Person {
            name: "Leo".into(),
            age: 8,
            weight: Weight {
                value: 26,
                unit: "kg".into(),
            },
        };
        assert_eq!(a_person.introspect_len(), 3); //There are three fields
        assert_eq!(a_person.introspect_value(), "Person"); //Value of structs is the struct type, per default
        assert_eq!(a_person.introspect_child(0).unwrap().key(), "name"); //Each child has a name and a value. The value is itself a &dyn Introspect, and can be introspected recursively
        assert_eq!(
            a_person
                .introspect_child(0)
                .unwrap()
                .val()
                .introspect_value(),
            "Leo"
        ); //In this case, the child (name) is a simple string with value "Leo".
        assert_eq!(a_person.introspect_child(1).unwrap().key(), "age");
        assert_eq!(
            a_person
                .introspect_child(1)
                .unwrap()
                .val()
                .introspect_value(),
            "8"
        );
        assert_eq!(a_person.introspect_child(2).unwrap().key(), "weight");
        let weight = a_person.introspect_child(2).unwrap();
        assert_eq!(weight.val().introspect_child(0).unwrap().key(), "value"); //Here the child 'weight' has an introspectable weight obj as value
        assert_eq!(
            weight
                .val()
                .introspect_child(0)
                .unwrap()
                .val()
                .introspect_value(),
            "26"
        );
        assert_eq!(weight.val().introspect_child(1).unwrap().key(), "unit");
        assert_eq!(
            weight
                .val()
                .introspect_child(1)
                .unwrap()
                .val()
                .introspect_value(),
            "kg"
        );
    }
}

/// "§Introspect Details": a key field becomes the struct's value.
mod introspect_key {
    use savefile::prelude::*;

    #[derive(Savefile)]
    #[allow(unreachable_pub)] // `pub` as in the example.
    pub struct StructWithName {
        #[savefile_introspect_key]
        name: String,
        value: String,
    }

    #[test]
    fn the_value_is_the_name() {
        let item = StructWithName {
            name: "lamp".into(),
            value: "on".into(),
        };
        assert_eq!(item.introspect_value(), "lamp");
        // The key field is still a child like the others.
        assert_eq!(item.introspect_len(), 2);
        assert_eq!(item.introspect_child(0).unwrap().key(), "name");
        assert_eq!(
            item.introspect_child(1).unwrap().val().introspect_value(),
            "on"
        );
    }
}

/// "§Higher level introspection functions": the `Introspector`.
mod introspector {
    // The example imports both traits; the prelude brings them too.
    use savefile::prelude::*;
    #[allow(unused_imports)]
    use savefile::Introspect;
    #[allow(unused_imports)]
    use savefile::IntrospectItem;
    #[derive(Savefile)]
    struct Weight {
        value: u32,
        unit: String,
    }
    #[derive(Savefile)]
    struct Person {
        name: String,
        age: u16,
        weight: Weight,
    }

    #[test]
    fn main() {
        let a_person = Person {
            name: "Leo".into(),
            age: 8,
            weight: Weight {
                value: 26,
                unit: "kg".into(),
            },
        };

        let mut introspector = Introspector::new();

        let result = introspector
            .do_introspect(
                &a_person,
                IntrospectorNavCommand::SelectNth {
                    select_depth: 0,
                    select_index: 2,
                },
            )
            .unwrap();

        println!("{}", result);

        // Frame 0 lists the person's fields with `weight` selected; frame 1 opens it.
        assert_eq!(result.frames.len(), 2);
        // Each element as `key=value`, `*` marking the selected one, `+` one with children.
        let frame = |i: usize| -> Vec<String> {
            let element = |e: &savefile::IntrospectedElement| {
                let selected = if e.selected { "*" } else { "" };
                let children = if e.has_children { "+" } else { "" };
                format!("{selected}{}={}{children}", e.key.key, e.value)
            };
            result.frames[i].keyvals.iter().map(element).collect()
        };
        assert_eq!(result.frames[0].selected, Some(2));
        assert_eq!(frame(0), ["name=Leo", "age=8", "*weight=Weight+"]);
        assert_eq!(result.frames[1].selected, None);
        assert_eq!(frame(1), ["value=26", "unit=kg"]);
        assert!(result.frames.iter().all(|f| !f.limit_reached));
        for (depth, frame) in result.frames.iter().enumerate() {
            assert!(frame.keyvals.iter().all(|e| e.key.depth == depth));
        }
        assert_eq!(
            result.to_string(),
            "Introspectionresult:\n name = Leo\n age = 8\n*weight = Weight\n   value = 26\n   unit = kg\n"
        );
    }
}

/// "§Custom serialization": `MyPathBuf` saved as a string by hand-written impls.
// The example names an unused context and lifetime and wraps an argument in
// parentheses; it stays as written.
#[allow(
    unused_variables,
    unused_parens,
    clippy::extra_unused_lifetimes,
    clippy::double_parens
)]
mod custom_serialization {
    #[allow(unreachable_pub)] // `pub` as in the example.
    pub struct MyPathBuf {
        path: String,
    }
    use savefile::prelude::*;
    impl WithSchema for MyPathBuf {
        fn schema(_version: u32, context: &mut WithSchemaContext) -> Schema {
            Schema::Primitive(SchemaPrimitive::schema_string((Default::default())))
        }
    }
    impl Packed for MyPathBuf {}
    impl Serialize for MyPathBuf {
        fn serialize<'a>(
            &self,
            serializer: &mut Serializer<impl std::io::Write>,
        ) -> Result<(), SavefileError> {
            self.path.serialize(serializer)
        }
    }
    impl Deserialize for MyPathBuf {
        fn deserialize(
            deserializer: &mut Deserializer<impl std::io::Read>,
        ) -> Result<Self, SavefileError> {
            Ok(MyPathBuf {
                path: String::deserialize(deserializer)?,
            })
        }
    }

    #[test]
    fn my_path_buf_saves_as_a_string() {
        let value = MyPathBuf {
            path: "/tmp/x".into(),
        };
        let bytes = save_to_mem(0, &value).unwrap();
        let back: MyPathBuf = load_from_mem(&bytes, 0).unwrap();
        assert_eq!(back.path, "/tmp/x");
        // It reads as a plain String, and a String file reads as it.
        assert_eq!(load_from_mem::<String>(&bytes, 0).unwrap(), "/tmp/x");
        let string_file = save_to_mem(0, &"/a".to_string()).unwrap();
        assert_eq!(
            load_from_mem::<MyPathBuf>(&string_file, 0).unwrap().path,
            "/a"
        );
    }
}
