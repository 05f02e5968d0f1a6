//! Shared helpers for the integration tests in `tests/` and the benchmarks in `benches/`.
//!
//! [`roundtrip`] is the one check every "this type saves and loads" test goes through:
//! it covers every mode (schema and no schema; memory, stream and file; compressed;
//! values back to back on one stream, from a reader that gives a byte at a time) and
//! shows the bytes when something does not match. [`datasets`] generates the community
//! benchmark's datasets; [`alloc_trace`] measures a load's allocation floor.

use std::fmt::Debug;
use std::path::PathBuf;

use savefile::prelude::*;

pub mod alloc_trace;
pub mod datasets;
pub mod rich;

/// The data version the helpers save with.
pub const VERSION: u32 = 1;

/// Saves `value` in every mode, loads each back and asserts equality. Returns the
/// file written by `save_noschema` (header included), for byte-level assertions.
///
/// # Panics
///
/// On any mismatch or error, with the mode and the bytes in the message.
pub fn roundtrip<T>(value: &T) -> Vec<u8>
where
    T: WithSchema + Serialize + Deserialize + PartialEq + Debug,
{
    let with_schema = save_to_mem(VERSION, value).expect("save_to_mem");
    check(
        value,
        "load_from_mem",
        &with_schema,
        load_from_mem(&with_schema, VERSION),
    );
    check(
        value,
        "load (stream)",
        &with_schema,
        load(&mut &with_schema[..], VERSION),
    );

    // Two files back to back in one stream load one after the other; in memory,
    // anything after the value is refused.
    let mut twice = with_schema.clone();
    twice.extend_from_slice(&with_schema);
    let mut stream = &twice[..];
    check(
        value,
        "first of two (stream)",
        &twice,
        load(&mut stream, VERSION),
    );
    check(
        value,
        "second of two (stream)",
        &twice,
        load(&mut stream, VERSION),
    );
    assert!(stream.is_empty(), "the stream was not left after the value");
    assert!(
        matches!(
            load_from_mem::<T>(&twice, VERSION),
            Err(SavefileError::TrailingBytes { .. })
        ),
        "two files in one buffer loaded as one"
    );

    let mut bare = Vec::new();
    save_noschema(&mut bare, VERSION, value).expect("save_noschema");
    // The least size a type claims for its values is what a stream is read ahead by:
    // more than a value's bytes would read past it.
    assert!(
        bare.len() - 16 >= T::__SAVEFILE_MIN_SIZE,
        "{} claims at least {} bytes, a value took {}",
        std::any::type_name::<T>(),
        T::__SAVEFILE_MIN_SIZE,
        bare.len() - 16
    );
    // From a reader that gives a byte per call and is interrupted before each, twice
    // in a row: the reader is left right after each value.
    let mut bare_twice = bare.clone();
    bare_twice.extend_from_slice(&bare);
    let mut slow = OneByteAtATime {
        bytes: &bare_twice,
        interrupt: true,
    };
    for round in ["first", "second"] {
        check(
            value,
            &format!("{round} of two, one byte per read"),
            &bare,
            load_noschema(&mut slow, VERSION),
        );
    }
    assert!(
        slow.bytes.is_empty(),
        "the reader was not left after the value"
    );
    check(
        value,
        "load_from_mem_noschema",
        &bare,
        load_from_mem_noschema(&bare, VERSION),
    );
    check(
        value,
        "load_noschema (stream)",
        &bare,
        load_noschema(&mut &bare[..], VERSION),
    );

    let mut compressed = Vec::new();
    save_compressed(&mut compressed, VERSION, value).expect("save_compressed");
    check(
        value,
        "compressed load_from_mem",
        &compressed,
        load_from_mem(&compressed, VERSION),
    );
    check(
        value,
        "compressed load (stream)",
        &compressed,
        load(&mut &compressed[..], VERSION),
    );

    let dir = TempDir::new();
    let path = dir.path("value.sav");
    save_file(&path, VERSION, value).expect("save_file");
    let on_disk = std::fs::read(&path).expect("read back the file");
    assert_eq!(
        on_disk, with_schema,
        "save_file wrote other bytes than save_to_mem"
    );
    check(value, "load_file", &on_disk, load_file(&path, VERSION));
    save_file_noschema(&path, VERSION, value).expect("save_file_noschema");
    check(
        value,
        "load_file_noschema",
        &bare,
        load_file_noschema(&path, VERSION),
    );
    save_file_compressed(&path, VERSION, value).expect("save_file_compressed");
    check(
        value,
        "load_file (compressed)",
        &compressed,
        load_file(&path, VERSION),
    );
    bare
}

/// A reader that gives one byte per call, failing every other call with
/// `ErrorKind::Interrupted` (which readers may do, and loads must retry).
struct OneByteAtATime<'a> {
    bytes: &'a [u8],
    interrupt: bool,
}

impl std::io::Read for OneByteAtATime<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        self.interrupt = !self.interrupt;
        if self.interrupt {
            return Err(std::io::ErrorKind::Interrupted.into());
        }
        let Some((first, rest)) = self.bytes.split_first() else {
            return Ok(0);
        };
        match out.first_mut() {
            Some(slot) => {
                *slot = *first;
                self.bytes = rest;
                Ok(1)
            }
            None => Ok(0),
        }
    }
}

fn check<T: PartialEq + Debug>(
    expected: &T,
    mode: &str,
    bytes: &[u8],
    loaded: Result<T, SavefileError>,
) {
    match loaded {
        Ok(value) => assert_eq!(
            &value,
            expected,
            "{mode}: the value changed; bytes: {}",
            hex(bytes)
        ),
        Err(e) => panic!("{mode}: {e}; bytes: {}", hex(bytes)),
    }
}

/// Bytes as space-separated hex, for failure messages.
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A directory under the system's temporary directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// A fresh, empty directory with a name unique to this process and call.
    pub fn new() -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("savefile-test-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        TempDir(dir)
    }

    /// A path inside the directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// The names of the directory's entries, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .expect("list the temporary directory")
            .map(|entry| {
                let entry = entry.expect("read a directory entry");
                entry.file_name().to_string_lossy().into_owned()
            })
            .collect();
        names.sort();
        names
    }
}

impl Default for TempDir {
    fn default() -> Self {
        TempDir::new()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// README.md's code, compiled and run as doctests, so that the example a new user reads
/// first keeps compiling.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;
