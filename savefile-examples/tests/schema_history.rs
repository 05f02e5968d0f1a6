//! The game's saved types guarded with `savefile::testing`: their schema history
//! (`tests/schema_history/`) and the saves kept from each release (`tests/saves/`); and
//! what the guard does with a type changed with and without a version bump.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use savefile::prelude::*;
use savefile::testing::{
    assert_fixtures_load_with, assert_schema_history, check_schema_history_with, HistoryError,
};
use savefile_examples::{release_0, Item, Player, Position, World, GLOBAL_VERSION};

fn here(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(dir)
}

#[test]
fn the_game_keeps_its_schema_history() {
    assert_schema_history::<World>(here("schema_history"), GLOBAL_VERSION);
}

#[test]
fn the_saves_of_every_release_load() {
    assert_fixtures_load_with::<World>(here("saves"), GLOBAL_VERSION, |path, world| {
        let steve = &world.players[0];
        let name = path.file_name().unwrap().to_str().unwrap();
        let version: u32 = name["world_v".len()..name.len() - ".sav".len()]
            .parse()
            .unwrap();
        steve.name == "Steve"
            && world.seed == 0x5EED
            && steve.inventory[0] == Item { name: "wallet".into(), count: 1 }
            // Fields newer than the save take their defaults.
            && (version >= 1 || (steve.health == 100 && steve.skills.is_empty()))
            && (version >= 2 || steve.history.is_empty())
            && (version < 2 || steve.history == [Position { x: 1, y: 2 }])
    });
}

/// The saves in `tests/saves/` are what each release writes today: one save per release,
/// release 0's by its own types, compared byte for byte. With `SAVEFILE_WRITE_FIXTURES=1`
/// the missing ones are written instead (the way they were made).
#[test]
fn the_kept_saves_are_what_each_release_writes() {
    let write = std::env::var_os("SAVEFILE_WRITE_FIXTURES").is_some_and(|v| v == "1");
    let dir = here("saves");
    let path = |version: u32| dir.join(format!("world_v{version}.sav"));
    let old = release_0::World {
        players: vec![release_0::Player {
            name: "Steve".into(),
            strength: 42,
            inventory: vec!["wallet".into(), "glasses".into()],
        }],
        seed: 0x5EED,
    };
    let mut expected = vec![(
        path(0),
        save_to_mem(release_0::GLOBAL_VERSION, &old).unwrap(),
    )];
    for version in 1..=GLOBAL_VERSION {
        let world = World {
            players: vec![Player {
                name: "Steve".into(),
                strength: Removed::new(),
                inventory: vec![
                    Item {
                        name: "wallet".into(),
                        count: 1,
                    },
                    Item {
                        name: "glasses".into(),
                        count: 1,
                    },
                ],
                skills: vec!["Whistling".into()],
                health: 80,
                history: vec![Position { x: 1, y: 2 }],
            }],
            seed: 0x5EED,
        };
        expected.push((path(version), save_to_mem(version, &world).unwrap()));
    }
    for (path, bytes) in expected {
        if write && !path.exists() {
            fs::create_dir_all(&dir).unwrap();
            fs::write(&path, &bytes).unwrap();
        }
        assert_eq!(
            fs::read(&path).unwrap(),
            bytes,
            "{} is not what its release writes",
            path.display()
        );
    }
}

/// The committed history is what blessing each version in turn records, as each release
/// would have: recorded again from scratch in a fresh directory, byte for byte.
#[test]
fn the_history_is_what_blessing_each_release_records() {
    let fresh = TempDir::new("bless-all");
    for version in 0..=GLOBAL_VERSION {
        let report = check_schema_history_with::<World>(&fresh.0, version, true).unwrap();
        assert_eq!(
            report.written.len(),
            2,
            "one .bin and one .txt for version {version}"
        );
    }
    for version in 0..=GLOBAL_VERSION {
        for file in [
            format!("schema_v{version}.bin"),
            format!("schema_v{version}.txt"),
        ] {
            assert_eq!(
                fs::read(fresh.0.join(&file)).unwrap(),
                fs::read(here("schema_history").join(&file)).unwrap(),
                "{file} differs from what blessing records"
            );
        }
    }
}

// One type through the releases of a program that uses the guard.
mod v1 {
    use savefile::prelude::*;
    #[derive(Savefile)]
    pub(crate) struct Player {
        pub(crate) name: String,
    }
}

/// `skills` added without a version bump.
mod v2_unbumped {
    use savefile::prelude::*;
    #[derive(Savefile)]
    pub(crate) struct Player {
        pub(crate) name: String,
        pub(crate) skills: Vec<String>,
    }
}

/// `name`'s type changed without a version bump.
mod v2_retyped {
    use savefile::prelude::*;
    #[derive(Savefile)]
    pub(crate) struct Player {
        pub(crate) name: u32,
    }
}

/// `skills` added in version 1, as it should be.
mod v2 {
    use savefile::prelude::*;
    #[derive(Savefile)]
    pub(crate) struct Player {
        pub(crate) name: String,
        #[savefile_versions = "1.."]
        pub(crate) skills: Vec<String>,
    }
}

/// The version bumped to 1, but `skills` marked as present in version 0 too.
mod v2_wrong_range {
    use savefile::prelude::*;
    #[derive(Savefile)]
    pub(crate) struct Player {
        pub(crate) name: String,
        #[savefile_versions = "0.."]
        pub(crate) skills: Vec<String>,
    }
}

/// A fresh directory under the system's temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "savefile-history-{name}-{}-{n}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&path);
        TempDir(path)
    }

    fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A directory holding version 0 of `v1::Player`, blessed.
fn recorded_v1() -> TempDir {
    let dir = TempDir::new("v1");
    let report = check_schema_history_with::<v1::Player>(&dir.0, 0, true).unwrap();
    assert_eq!(report.written.len(), 2);
    dir
}

#[test]
fn an_unbumped_change_fails_naming_the_place() {
    let dir = recorded_v1();
    for bless in [false, true] {
        let error = check_schema_history_with::<v2_unbumped::Player>(&dir.0, 0, bless).unwrap_err();
        assert!(
            matches!(
                error,
                HistoryError::Changed {
                    version: 0,
                    current: 0,
                    ..
                }
            ),
            "{error}"
        );
        let message = error.to_string();
        assert!(message.contains("changed at `./Player`"), "{message}");
        assert!(message.contains("bump the version to 1"), "{message}");
        assert!(
            message.contains("#[savefile_versions = \"1..\"]"),
            "{message}"
        );
        assert!(
            message.contains("SAVEFILE_BLESS=1 to record version 1"),
            "{message}"
        );
    }
    let error = check_schema_history_with::<v2_retyped::Player>(&dir.0, 0, false).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("changed at `./Player/name`"), "{message}");
    // Nothing was written or overwritten.
    assert_eq!(dir.files(), ["schema_v0.bin", "schema_v0.txt"]);
}

#[test]
fn a_bumped_change_passes_and_blessing_writes_one_pair() {
    let dir = recorded_v1();
    let before = fs::read(dir.0.join("schema_v0.bin")).unwrap();
    // Not yet recorded: an error until blessed.
    let error = check_schema_history_with::<v2::Player>(&dir.0, 1, false).unwrap_err();
    assert!(
        matches!(error, HistoryError::NotRecorded { version: 1, .. }),
        "{error}"
    );

    let report = check_schema_history_with::<v2::Player>(&dir.0, 1, true).unwrap();
    let written: Vec<&str> = report
        .written
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(written, ["schema_v1.bin", "schema_v1.txt"]);
    assert_eq!(report.checked, [0]);
    assert_eq!(
        dir.files(),
        [
            "schema_v0.bin",
            "schema_v0.txt",
            "schema_v1.bin",
            "schema_v1.txt"
        ]
    );
    assert_eq!(fs::read(dir.0.join("schema_v0.bin")).unwrap(), before);
    let text = fs::read_to_string(dir.0.join("schema_v1.txt")).unwrap();
    assert!(text.contains("skills: vector of"), "{text}");

    let report = check_schema_history_with::<v2::Player>(&dir.0, 1, false).unwrap();
    assert_eq!(report.checked, [0, 1]);
    assert!(report.written.is_empty());
}

#[test]
fn a_wrong_range_rewriting_an_old_version_fails() {
    let dir = recorded_v1();
    let error = check_schema_history_with::<v2_wrong_range::Player>(&dir.0, 1, true).unwrap_err();
    assert!(
        matches!(
            error,
            HistoryError::Changed {
                version: 0,
                current: 1,
                ..
            }
        ),
        "{error}"
    );
    let message = error.to_string();
    assert!(
        message.contains("older than the current version 1"),
        "{message}"
    );
    assert!(message.contains("savefile_versions"), "{message}");
    assert_eq!(
        dir.files(),
        ["schema_v0.bin", "schema_v0.txt"],
        "nothing was written"
    );
}

#[test]
fn a_corrupt_record_and_a_version_going_back_are_errors() {
    let dir = recorded_v1();
    fs::write(dir.0.join("schema_v0.bin"), b"\x07garbage").unwrap();
    let error = check_schema_history_with::<v1::Player>(&dir.0, 0, true).unwrap_err();
    assert!(
        matches!(error, HistoryError::Corrupt { version: 0, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("schema_v0.bin"), "{error}");

    let dir = recorded_v1();
    check_schema_history_with::<v2::Player>(&dir.0, 1, true).unwrap();
    let error = check_schema_history_with::<v1::Player>(&dir.0, 0, true).unwrap_err();
    assert!(
        matches!(
            error,
            HistoryError::VersionWentBack {
                recorded: 1,
                current: 0,
                ..
            }
        ),
        "{error}"
    );
}
