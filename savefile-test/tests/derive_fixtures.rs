//! Files written by older versions of a program keep loading, byte for byte.
//!
//! `tests/fixtures/derive/player_v0.sav` and `player_v1.sav` were written by the
//! version-0 and version-1 `Player` of the reference documentation (modules [`v0`]
//! and [`v1`] here). They are committed: the newest `Player` ([`v2`]) must load them
//! forever, and saving the same values with the old definitions must give the same
//! bytes, so that any change to the format or to the derive shows up here.
//!
//! To write the files again (only after a deliberate format change):
//! `SAVEFILE_WRITE_FIXTURES=1 cargo test -p savefile-test --test derive_fixtures`.

use std::path::PathBuf;

use savefile::prelude::*;
use savefile_test::hex;

/// Version 0 of the program: the first example of the reference documentation.
mod v0 {
    use savefile::prelude::*;

    #[derive(Savefile, Debug, PartialEq)]
    pub(crate) struct Player {
        pub(crate) name: String,
        pub(crate) strength: u32,
        pub(crate) inventory: Vec<String>,
    }
}

/// Version 1: `strength` removed, `skills` added.
mod v1 {
    use savefile::prelude::*;

    #[derive(Savefile, Debug, PartialEq)]
    pub(crate) struct Player {
        pub(crate) name: String,
        #[savefile_versions = "0..0"]
        pub(crate) strength: Removed<u32>,
        pub(crate) inventory: Vec<String>,
        #[savefile_versions = "1.."]
        pub(crate) skills: Vec<String>,
    }
}

/// Version 2, the newest: a history of positions added.
mod v2 {
    use savefile::prelude::*;

    #[derive(Clone, Copy, Savefile, Debug, PartialEq)]
    #[repr(C)]
    pub(crate) struct Position {
        pub(crate) x: u32,
        pub(crate) y: u32,
    }

    #[derive(Savefile, Debug, PartialEq)]
    pub(crate) struct Player {
        pub(crate) name: String,
        #[savefile_versions = "0..0"]
        pub(crate) strength: Removed<u32>,
        pub(crate) inventory: Vec<String>,
        #[savefile_versions = "1.."]
        pub(crate) skills: Vec<String>,
        #[savefile_versions = "2.."]
        pub(crate) history: Vec<Position>,
    }
}

fn inventory() -> Vec<String> {
    ["wallet", "car keys", "glasses"].map(String::from).to_vec()
}

/// The player the version-0 program saved (the reference example's Steve).
fn player_v0() -> v0::Player {
    v0::Player {
        name: "Steve".into(),
        strength: 42,
        inventory: inventory(),
    }
}

/// The player the version-1 program saved after loading Steve and teaching him a skill.
fn player_v1() -> v1::Player {
    v1::Player {
        name: "Steve".into(),
        strength: Removed::new(),
        inventory: inventory(),
        skills: vec!["Whistling".into()],
    }
}

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/derive")
        .join(name)
}

fn writing() -> bool {
    std::env::var_os("SAVEFILE_WRITE_FIXTURES").is_some_and(|v| v == "1")
}

/// Writes the file when asked to, else asserts that it holds exactly `bytes`.
fn write_or_compare(name: &str, bytes: &[u8]) {
    let path = fixture_path(name);
    if writing() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        return;
    }
    let committed = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (see tests/fixtures/README.md)", path.display()));
    assert_eq!(
        committed,
        bytes,
        "{name}: saving the same value with the same definition no longer gives the committed \
         bytes: the format or the derive changed.\ncommitted: {}\nnow:       {}",
        hex(&committed),
        hex(bytes)
    );
}

fn resave_the_old_versions() {
    write_or_compare("player_v0.sav", &save_to_mem(0, &player_v0()).unwrap());
    write_or_compare("player_v1.sav", &save_to_mem(1, &player_v1()).unwrap());
}

#[test]
fn old_definitions_still_write_the_committed_bytes() {
    resave_the_old_versions();
}

/// When writing, the tests that read the files may run first: they write them too.
fn files_written() {
    if writing() {
        resave_the_old_versions();
    }
}

#[test]
fn fixtures_still_load() {
    files_written();
    let from_v0: v2::Player = load_file(fixture_path("player_v0.sav"), 2).unwrap();
    assert_eq!(
        from_v0,
        v2::Player {
            name: "Steve".into(),
            strength: Removed::new(),
            inventory: inventory(),
            skills: vec![],
            history: vec![],
        }
    );

    let from_v1: v2::Player = load_file(fixture_path("player_v1.sav"), 2).unwrap();
    assert_eq!(
        from_v1,
        v2::Player {
            name: "Steve".into(),
            strength: Removed::new(),
            inventory: inventory(),
            skills: vec!["Whistling".into()],
            history: vec![],
        }
    );

    // Each old program still reads its own file, and the version-1 program the older one.
    let v0_again: v0::Player = load_file(fixture_path("player_v0.sav"), 0).unwrap();
    assert_eq!(v0_again, player_v0());
    let v1_again: v1::Player = load_file(fixture_path("player_v1.sav"), 1).unwrap();
    assert_eq!(v1_again, player_v1());
    let v1_from_v0: v1::Player = load_file(fixture_path("player_v0.sav"), 1).unwrap();
    assert!(v1_from_v0.skills.is_empty());
}

#[test]
fn the_fixtures_carry_their_versions_in_the_header() {
    files_written();
    for (name, version) in [("player_v0.sav", 0u32), ("player_v1.sav", 1)] {
        let bytes = std::fs::read(fixture_path(name)).unwrap();
        assert_eq!(&bytes[..11], b"savefile\0\x02\x00", "{name}");
        assert_eq!(bytes[11..15], version.to_le_bytes(), "{name}");
        assert_eq!(bytes[15], 0, "{name}: not compressed");
    }
    // A version-1 file is refused by the version-0 program, naming both versions.
    let err = load_file::<v0::Player, _>(fixture_path("player_v1.sav"), 0).unwrap_err();
    assert!(matches!(
        err,
        SavefileError::WrongVersion {
            file_version: 1,
            program_version: 0
        }
    ));
}
