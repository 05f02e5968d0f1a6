//! Every attribute of the reference documentation, used as documented: a file
//! written by the old layout (version 0) loads into the new one (version 1).
#![deny(warnings)]

use savefile::prelude::*;
use savefile_derive::Savefile;

/// The player as version 0 of the program declared it.
#[derive(Savefile, Debug, PartialEq)]
struct PlayerV0 {
    name: String,
    strength: u32,
    max_speed_kmh: u8,
    phone: u64,
}

fn phone_to_text(phone: u64) -> String {
    format!("+{phone}")
}

fn default_title() -> String {
    "Novice".to_string()
}

/// The player as version 1 declares it.
#[derive(Savefile, Debug, PartialEq)]
#[savefile_doc_hidden]
struct Player {
    #[savefile_introspect_key]
    name: String,
    #[savefile_versions = "..0"]
    strength: Removed<u32>,
    // Converted with `From<u8> for u16`.
    #[savefile_versions_as = "0..0:u8"]
    #[savefile_versions = "1.."]
    max_speed_kmh: u16,
    #[savefile_versions_as = "0..0:phone_to_text:u64"]
    #[savefile_versions = "1.."]
    phone: String,
    #[savefile_default_val = "42"]
    #[savefile_versions = "1.."]
    level: u32,
    #[savefile_default_fn = "default_title"]
    #[savefile_versions = "1.."]
    title: String,
    #[savefile_ignore]
    #[savefile_introspect_ignore]
    cache: Vec<u8>,
}

/// Padding-free `#[repr(C)]`: copied as raw bytes, checked at compile time.
#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
#[repr(C)]
#[savefile_require_fast]
struct Position {
    x: u32,
    y: u32,
    flags: u8,
    _pad: [u8; 3],
}

fn main() {
    let old = PlayerV0 {
        name: "Steve".into(),
        strength: 17,
        max_speed_kmh: 200,
        phone: 4655512,
    };
    let bytes = save_to_mem(0, &old).expect("save version 0");
    let player: Player = load_from_mem(&bytes, 1).expect("load version 0 as version 1");
    let expected = Player {
        name: "Steve".into(),
        strength: Removed::new(),
        max_speed_kmh: 200,
        phone: "+4655512".into(),
        level: 42,
        title: "Novice".into(),
        cache: Vec::new(),
    };
    assert_eq!(player, expected);

    let mut current = expected;
    current.level = 7;
    current.cache = vec![1, 2, 3];
    let bytes = save_to_mem(1, &current).expect("save version 1");
    let back: Player = load_from_mem(&bytes, 1).expect("load version 1");
    current.cache.clear();
    assert_eq!(back, current);

    assert_eq!(back.introspect_value(), "Steve");
    assert_eq!(back.introspect_len(), 6);
    let keys: Vec<String> = (0..back.introspect_len())
        .map(|i| back.introspect_child(i).expect("child").key().to_string())
        .collect();
    assert_eq!(
        keys,
        [
            "name",
            "strength",
            "max_speed_kmh",
            "phone",
            "level",
            "title"
        ]
    );

    let path = vec![
        Position {
            x: 1,
            y: 2,
            flags: 3,
            _pad: [0; 3],
        };
        100
    ];
    let bytes = save_to_mem(0, &path).expect("save");
    let back: Vec<Position> = load_from_mem(&bytes, 0).expect("load");
    assert_eq!(back, path);
}
