//! Saving to a file never loses the previous save: not when serialization fails
//! halfway, and not when the process is killed in the middle of writing.

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use savefile::prelude::*;
use savefile_test::TempDir;

/// The value every test starts from, already on disk.
fn old_value() -> Vec<u64> {
    vec![0x01d_5a7e; 1000]
}

/// Saves as a `Vec<u64>` of `len` copies of `fill`, but calls `halfway` after
/// writing half of the elements, and fails there if `fail` is set.
struct Interrupted<F: Fn()> {
    len: usize,
    fill: u64,
    halfway: F,
    fail: bool,
}

impl<F: Fn()> WithSchema for Interrupted<F> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        <Vec<u64>>::schema(version, context)
    }
}

impl<F: Fn()> Serialize for Interrupted<F> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        serializer.write_usize(self.len)?;
        let half = self.len / 2;
        for _ in 0..half {
            serializer.write_u64(self.fill)?;
        }
        (self.halfway)();
        if self.fail {
            return Err(SavefileError::GeneralError {
                msg: "failed halfway".to_string(),
            });
        }
        for _ in half..self.len {
            serializer.write_u64(self.fill)?;
        }
        Ok(())
    }
}

/// A serialization that fails after writing a megabyte.
fn failing() -> Interrupted<impl Fn()> {
    Interrupted {
        len: 256 << 10,
        fill: 7,
        halfway: || {},
        fail: true,
    }
}

#[test]
fn a_save_that_fails_halfway_leaves_the_old_file_and_no_temporary_file() {
    let dir = TempDir::new();
    let path = dir.path("game.sav");
    type Save = fn(&Path) -> Result<(), SavefileError>;
    let saves: [(&str, Save); 3] = [
        ("save_file", |path| save_file(path, 0, &failing())),
        ("save_file_noschema", |path| {
            save_file_noschema(path, 0, &failing())
        }),
        ("save_file_compressed", |path| {
            save_file_compressed(path, 0, &failing())
        }),
    ];
    for (name, save) in saves {
        save_file(&path, 0, &old_value()).unwrap();
        let before = std::fs::read(&path).unwrap();
        let result = save(&path);
        assert!(
            matches!(result, Err(SavefileError::GeneralError { .. })),
            "{name}: {result:?}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "{name} touched the file"
        );
        assert_eq!(dir.names(), ["game.sav"], "{name} left files behind");
        assert_eq!(load_file::<Vec<u64>, _>(&path, 0).unwrap(), old_value());
    }
    // A save into a directory that does not exist fails without creating anything.
    assert!(save_file(dir.path("missing/game.sav"), 0, &old_value()).is_err());
    assert_eq!(dir.names(), ["game.sav"]);
}

/// Set in the child process, to the directory it saves into.
const CHILD_DIR: &str = "SAVEFILE_CRASH_SAFETY_CHILD_DIR";
/// Set in the child process: "pause" to stop halfway through its save until it is
/// killed, "loop" to save new values over and over.
const CHILD_MODE: &str = "SAVEFILE_CRASH_SAFETY_CHILD_MODE";

/// Elements of the large value the child saves: 16 MiB of data.
const LARGE: usize = 2 << 20;

/// What the child process does: save into `game.sav` until it is killed.
fn child(dir: &Path, mode: &str) -> ! {
    let path = dir.join("game.sav");
    let mut fill = 1u64;
    loop {
        let value = Interrupted {
            len: LARGE,
            fill,
            halfway: || {
                if mode == "pause" {
                    std::fs::write(dir.join("halfway"), b"").unwrap();
                    std::thread::sleep(Duration::from_secs(600));
                }
            },
            fail: false,
        };
        save_file(&path, 0, &value).unwrap();
        fill += 1;
    }
}

/// Starts this test again in a child process that saves in `mode` into `dir`.
fn spawn_child(test: &str, dir: &TempDir, mode: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--test-threads=1", "--nocapture"])
        .env(CHILD_DIR, dir.path(""))
        .env(CHILD_MODE, mode)
        .spawn()
        .expect("start the child test")
}

/// The file loads, and holds either the old value or a complete value the child saved.
fn check_loadable(path: &Path) {
    let loaded = load_file::<Vec<u64>, _>(path, 0).expect("the save file does not load");
    if loaded != old_value() {
        assert_eq!(loaded.len(), LARGE, "a partial value");
        assert!(loaded.iter().all(|&x| x == loaded[0]), "a mixed value");
    }
}

#[test]
fn a_process_killed_in_the_middle_of_save_file_leaves_a_loadable_file() {
    let name = "a_process_killed_in_the_middle_of_save_file_leaves_a_loadable_file";
    if let (Some(dir), Some(mode)) = (std::env::var_os(CHILD_DIR), std::env::var(CHILD_MODE).ok()) {
        child(Path::new(&dir), &mode);
    }
    let dir = TempDir::new();
    let path = dir.path("game.sav");
    save_file(&path, 0, &old_value()).unwrap();

    // Killed while a save is surely in progress: half of 16 MiB written, the rest not.
    let mut paused = spawn_child(name, &dir, "pause");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !dir.path("halfway").exists() {
        assert!(Instant::now() < deadline, "the child never got halfway");
        std::thread::sleep(Duration::from_millis(10));
    }
    paused.kill().unwrap();
    paused.wait().unwrap();
    assert_eq!(load_file::<Vec<u64>, _>(&path, 0).unwrap(), old_value());
    // Its temporary file is what it was writing; the save file was never touched.
    let temporary: Vec<String> = dir
        .names()
        .into_iter()
        .filter(|name| name.starts_with(".game.sav.") && name.ends_with(".tmp"))
        .collect();
    assert_eq!(temporary.len(), 1, "{:?}", dir.names());
    std::fs::remove_file(dir.path(&temporary[0])).unwrap();

    // Killed at arbitrary moments while saving large values over and over.
    for delay_ms in [30, 120, 250, 400, 700] {
        let mut saving = spawn_child(name, &dir, "loop");
        std::thread::sleep(Duration::from_millis(delay_ms));
        saving.kill().unwrap();
        saving.wait().unwrap();
        check_loadable(&path);
    }
}
