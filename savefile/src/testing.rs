//! Guards for a program's own tests: its saved types must not change without a version
//! bump, and the saves it kept from older releases must still load (feature `testing`).
//!
//! - [`assert_schema_history`] keeps one schema file per data version in a directory
//!   of the test suite, and fails when a type's schema as of a recorded version is no
//!   longer the recorded one: a field changed without a version bump, or an old
//!   version's schema rewritten by a wrong `#[savefile_versions]` range. The message
//!   gives the path of the difference and the fix. A new version is recorded only when
//!   the environment variable `SAVEFILE_BLESS=1` is set (the convention of snapshot
//!   tools), never silently, and a recorded version is never overwritten.
//! - [`assert_fixtures_load`] loads every `*.sav` file of a directory (saves kept from
//!   older releases) with [`load_file`] and fails listing every one that does not load.
//!
//! ```no_run
//! # #[cfg(feature = "derive")] {
//! use savefile::prelude::*;
//!
//! #[derive(Savefile)]
//! struct Player {
//!     name: String,
//!     #[savefile_versions = "1.."]
//!     skills: Vec<String>,
//! }
//! const GLOBAL_VERSION: u32 = 1;
//!
//! // In a test of the program:
//! savefile::testing::assert_schema_history::<Player>("tests/schema_history", GLOBAL_VERSION);
//! savefile::testing::assert_fixtures_load::<Player>("tests/saves", GLOBAL_VERSION);
//! # }
//! ```
//!
//! The workflow (add a field, the test fails, bump, bless, commit the new schema file)
//! is in [`guides::versioning`](crate::guides::versioning) ("Guarding the history").
//!
//! Schemas are compared as a load compares a file's schema with the program's
//! ([`schema_differences`]): sizes, alignments, offsets,
//! vector layouts and struct and field names are not compared, so a recorded history
//! holds on every platform and a renamed field needs no new version.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::schema::{decode_schema, encode_schema, schema_differences};
use crate::{
    get_schema, load_file, Deserialize, LoadOptions, SavefileError, Schema, SchemaMismatch,
    WithSchema, CURRENT_SAVEFILE_LIB_VERSION,
};

/// The environment variable that lets [`assert_schema_history`] record a version: set it
/// to `1` (`SAVEFILE_BLESS=1 cargo test`).
pub const BLESS_VAR: &str = "SAVEFILE_BLESS";

/// The extension of the saves [`assert_fixtures_load`] loads: `sav` (`player_v0.sav`).
pub const FIXTURE_EXTENSION: &str = "sav";

/// What a passing [`check_schema_history`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HistoryReport {
    /// The recorded versions whose schema was compared with the program's, ascending.
    pub checked: Vec<u32>,
    /// The files this run wrote (only when blessing): the current version's
    /// `schema_v{N}.bin` and `schema_v{N}.txt`, whichever was missing.
    pub written: Vec<PathBuf>,
}

/// Why [`check_schema_history`] failed. Its `Display` is the whole message, with the fix.
#[derive(Debug)]
#[non_exhaustive]
pub enum HistoryError {
    /// Reading the directory or writing a file failed.
    Io {
        /// The directory or file.
        path: PathBuf,
        /// The error.
        error: io::Error,
    },
    /// A recorded schema file does not decode, or has bytes after its schema.
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The version its name records.
        version: u32,
        /// What is wrong with it.
        reason: String,
    },
    /// A version newer than the program's current version is recorded: the version went back.
    VersionWentBack {
        /// The newest recorded version's file.
        path: PathBuf,
        /// The newest recorded version.
        recorded: u32,
        /// The program's current version.
        current: u32,
    },
    /// The program's schema as of a recorded version differs from the recorded one.
    Changed {
        /// The recorded file.
        path: PathBuf,
        /// The version that changed.
        version: u32,
        /// The program's current version.
        current: u32,
        /// Every difference, the first being the one a load of such a file reports.
        differences: Vec<SchemaMismatch>,
        /// Whether the run was blessing (which never overwrites a recorded version).
        blessing: bool,
    },
    /// The current version has no recorded schema, and the run was not blessing.
    NotRecorded {
        /// The file that would record it.
        path: PathBuf,
        /// The current version.
        version: u32,
    },
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistoryError::Io { path, error } => {
                write!(f, "schema history: `{}`: {error}", path.display())
            }
            HistoryError::Corrupt {
                path,
                version,
                reason,
            } => write!(
                f,
                "schema history: the recorded schema of data version {version}, `{}`, is \
                 corrupt: {reason}. Restore it from version control; do not delete it, it is \
                 the only record of what files of version {version} hold",
                path.display()
            ),
            HistoryError::VersionWentBack {
                path,
                recorded,
                current,
            } => write!(
                f,
                "schema history: data version {recorded} is recorded (`{}`) but the current \
                 version is {current}: the version went back. A version number that was \
                 released must not be reused; make the current version at least {recorded} \
                 (delete the file only if version {recorded} was never released)",
                path.display()
            ),
            HistoryError::Changed {
                path,
                version,
                current,
                differences,
                blessing,
            } => {
                let first = differences.first();
                let (at, what) = match first {
                    Some(m) => (m.path.as_str(), m.difference.to_string()),
                    None => (".", "it differs".to_string()),
                };
                if version == current {
                    let next = version + 1;
                    write!(
                        f,
                        "schema history: the schema of data version {version} changed at \
                         `{at}`: {what}; it no longer matches `{}`, so files saved as version \
                         {version} would not load. If this change is intended, bump the version \
                         to {next} and mark the new field `#[savefile_versions = \"{next}..\"]` \
                         (removed fields: `Removed<T>` with `#[savefile_versions = \
                         \"..{version}\"]`), then run with {BLESS_VAR}=1 to record version {next}",
                        path.display()
                    )?;
                } else {
                    write!(
                        f,
                        "schema history: the schema of data version {version} (older than the \
                         current version {current}) changed at `{at}`: {what}; it no longer \
                         matches `{}`, so files saved as version {version} no longer load. A \
                         `#[savefile_versions]` or `#[savefile_versions_as]` range probably \
                         covers version {version} wrongly: a field added in version N is marked \
                         \"N..\", a field removed in version N is `Removed<T>` marked \"..N-1\". \
                         The recorded file is right: fix the ranges, do not re-record it",
                        path.display()
                    )?;
                }
                if *blessing {
                    write!(
                        f,
                        ". ({BLESS_VAR}=1 records only a missing version and never overwrites a \
                         recorded one: nothing was written)"
                    )?;
                }
                if differences.len() > 1 {
                    write!(f, "\nevery difference:")?;
                    for m in differences {
                        write!(f, "\n  - {m}")?;
                    }
                }
                Ok(())
            }
            HistoryError::NotRecorded { path, version } => write!(
                f,
                "schema history: the current data version {version} has no recorded schema \
                 (`{}` does not exist). Run the test once with {BLESS_VAR}=1 to record it, and \
                 commit the files it writes",
                path.display()
            ),
        }
    }
}

impl std::error::Error for HistoryError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HistoryError::Io { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// Checks `T`'s schema history in `dir` and panics with the fix when it does not hold;
/// records the current version when the environment variable `SAVEFILE_BLESS` is `1`.
///
/// See [`check_schema_history_with`] for what is checked and written. The files written
/// are printed (a test shows them with `--nocapture`, or when it fails).
///
/// # Panics
///
/// When [`check_schema_history_with`] returns an error; the message is its `Display`.
#[track_caller]
pub fn assert_schema_history<T: WithSchema + ?Sized>(dir: impl AsRef<Path>, current_version: u32) {
    let bless = std::env::var(BLESS_VAR).is_ok_and(|value| value == "1");
    match check_schema_history_with::<T>(dir.as_ref(), current_version, bless) {
        Ok(report) => {
            for path in &report.written {
                println!("schema history: recorded `{}`", path.display());
            }
        }
        Err(error) => panic!("{error}"),
    }
}

/// [`check_schema_history_with`], blessing when the environment variable
/// `SAVEFILE_BLESS` is `1`.
pub fn check_schema_history<T: WithSchema + ?Sized>(
    dir: impl AsRef<Path>,
    current_version: u32,
) -> Result<HistoryReport, HistoryError> {
    let bless = std::env::var(BLESS_VAR).is_ok_and(|value| value == "1");
    check_schema_history_with::<T>(dir.as_ref(), current_version, bless)
}

/// Checks that `get_schema::<T>(v)` is the schema recorded in `dir` for every recorded
/// version `v`, and that the current version is recorded.
///
/// `dir` holds `schema_v{N}.bin` (the schema of data version N in the encoding files
/// carry) and `schema_v{N}.txt` beside it (the same schema, indented, for people and
/// diffs; never read). Other files are ignored. The checks, in order, each an error:
///
/// 1. a recorded version newer than `current_version` ([`HistoryError::VersionWentBack`]);
/// 2. a recorded file that does not decode ([`HistoryError::Corrupt`]);
/// 3. the current version's schema differs from its record, then an older version's,
///    the newest first ([`HistoryError::Changed`]: every difference with its path, and
///    the fix);
/// 4. the current version is not recorded ([`HistoryError::NotRecorded`]), unless
///    `bless`: then its missing files are written (the directory created if need be)
///    and listed in [`HistoryReport::written`].
///
/// `bless` never overwrites a recorded schema: a changed version is reported as without it.
pub fn check_schema_history_with<T: WithSchema + ?Sized>(
    dir: &Path,
    current_version: u32,
    bless: bool,
) -> Result<HistoryReport, HistoryError> {
    let recorded = recorded_versions(dir)?;
    if let Some(&(newest, ref path)) = recorded.last() {
        if newest > current_version {
            return Err(HistoryError::VersionWentBack {
                path: path.clone(),
                recorded: newest,
                current: current_version,
            });
        }
    }
    let mut stored = Vec::with_capacity(recorded.len());
    for (version, path) in recorded {
        let schema = read_recorded(&path, version)?;
        stored.push((version, path, schema));
    }
    // The current version first: a change that reaches every version (a field added
    // with no range) is a missing bump, not a wrong range of an old version. Then the
    // older ones from the newest, the closest to the change.
    let current_first = stored
        .iter()
        .filter(|(v, ..)| *v == current_version)
        .chain(stored.iter().rev().filter(|(v, ..)| *v != current_version));
    for (version, path, schema) in current_first {
        let differences = schema_differences(&get_schema::<T>(*version), schema);
        if !differences.is_empty() {
            return Err(HistoryError::Changed {
                path: path.clone(),
                version: *version,
                current: current_version,
                differences,
                blessing: bless,
            });
        }
    }
    let mut report = HistoryReport {
        checked: stored.iter().map(|(v, ..)| *v).collect(),
        written: Vec::new(),
    };
    let bin = dir.join(format!("schema_v{current_version}.bin"));
    let txt = dir.join(format!("schema_v{current_version}.txt"));
    let has_current = report.checked.contains(&current_version);
    if !bless {
        return if has_current {
            Ok(report)
        } else {
            Err(HistoryError::NotRecorded {
                path: bin,
                version: current_version,
            })
        };
    }
    let schema = get_schema::<T>(current_version);
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |error| HistoryError::Io { path, error }
    };
    fs::create_dir_all(dir).map_err(io_error(dir))?;
    if !has_current {
        let bytes = encode_schema(&schema).map_err(|e| HistoryError::Io {
            path: bin.clone(),
            error: io::Error::other(e.to_string()),
        })?;
        write_new(&bin, &bytes).map_err(io_error(&bin))?;
        report.written.push(bin);
    }
    if !txt.exists() {
        let text = render::<T>(&schema, current_version);
        write_new(&txt, text.as_bytes()).map_err(io_error(&txt))?;
        report.written.push(txt);
    }
    Ok(report)
}

/// Writes a file that must not exist yet.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// The `schema_v{N}.bin` files of `dir`, by ascending version; none if `dir` does not exist.
fn recorded_versions(dir: &Path) -> Result<Vec<(u32, PathBuf)>, HistoryError> {
    let io_error = |error| HistoryError::Io {
        path: dir.to_path_buf(),
        error,
    };
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(io_error(error)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io_error)?;
        let name = entry.file_name();
        let Some(version) = name
            .to_str()
            .and_then(|name| name.strip_prefix("schema_v"))
            .and_then(|rest| rest.strip_suffix(".bin"))
            .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|digits| digits.parse::<u32>().ok())
        else {
            continue;
        };
        found.push((version, entry.path()));
    }
    found.sort();
    Ok(found)
}

/// Decodes a recorded schema file, which must hold one schema and nothing else.
fn read_recorded(path: &Path, version: u32) -> Result<Schema, HistoryError> {
    let bytes = fs::read(path).map_err(|error| HistoryError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    let corrupt = |reason: String| HistoryError::Corrupt {
        path: path.to_path_buf(),
        version,
        reason,
    };
    let (schema, used) = decode_schema(
        &bytes,
        CURRENT_SAVEFILE_LIB_VERSION,
        &LoadOptions::default(),
    )
    .map_err(|e| corrupt(format!("it does not decode as a schema ({e})")))?;
    if used != bytes.len() {
        return Err(corrupt(format!(
            "{} bytes follow its schema",
            bytes.len() - used
        )));
    }
    Ok(schema)
}

/// The readable `.txt` beside a recorded schema: one node a line, indented, without the
/// memory layout (which is not compared).
fn render<T: ?Sized>(schema: &Schema, version: u32) -> String {
    let mut out = format!(
        "# The schema of `{}` as of data version {version}, recorded by savefile::testing.\n\
         # For reading and diffs only: schema_v{version}.bin beside it is what is compared.\n",
        std::any::type_name::<T>()
    );
    render_node(&mut out, None, schema, 0);
    out
}

fn render_node(out: &mut String, label: Option<&str>, schema: &Schema, depth: usize) {
    use std::fmt::Write;
    let indent = "  ".repeat(depth);
    let label = label.map(|l| format!("{l}: ")).unwrap_or_default();
    // Writing to a String cannot fail.
    let _ = match schema {
        Schema::Struct(s) => writeln!(out, "{indent}{label}struct {}", s.dbg_name),
        Schema::Enum(e) => writeln!(
            out,
            "{indent}{label}enum {} (index of {} byte{})",
            e.dbg_name,
            e.discriminant_size,
            if e.discriminant_size == 1 { "" } else { "s" }
        ),
        Schema::Primitive(p) => writeln!(out, "{indent}{label}{}", p.name()),
        Schema::Vector(..) => writeln!(out, "{indent}{label}vector of"),
        Schema::Array(a) => writeln!(out, "{indent}{label}array of {}", a.count),
        Schema::SchemaOption(_) => writeln!(out, "{indent}{label}option of"),
        other => writeln!(out, "{indent}{label}{}", other.describe()),
    };
    match schema {
        Schema::Struct(s) => {
            for field in &s.fields {
                render_node(out, Some(&field.name), &field.value, depth + 1);
            }
        }
        Schema::Enum(e) => {
            for variant in &e.variants {
                let _ = writeln!(
                    out,
                    "{indent}  variant {} = {}",
                    variant.name, variant.discriminant
                );
                for field in &variant.fields {
                    render_node(out, Some(&field.name), &field.value, depth + 2);
                }
            }
        }
        Schema::Vector(item, _) | Schema::SchemaOption(item) => {
            render_node(out, None, item, depth + 1)
        }
        Schema::Array(a) => render_node(out, None, &a.item_type, depth + 1),
        _ => {}
    }
}

/// One save that [`check_fixtures_load`] could not load.
#[derive(Debug)]
pub struct FixtureFailure {
    /// The save.
    pub path: PathBuf,
    /// Why [`load_file`] refused it.
    pub error: SavefileError,
}

/// Why [`check_fixtures_load`] failed. Its `Display` lists every failing save.
#[derive(Debug)]
#[non_exhaustive]
pub enum FixtureError {
    /// The directory could not be read.
    Io {
        /// The directory.
        path: PathBuf,
        /// The error.
        error: io::Error,
    },
    /// The directory holds no `*.sav` file: a guard that checks nothing.
    NoFixtures {
        /// The directory.
        dir: PathBuf,
    },
    /// Some saves did not load.
    Failed {
        /// How many saves the directory holds.
        total: usize,
        /// Every save that did not load, by path.
        failures: Vec<FixtureFailure>,
    },
}

impl fmt::Display for FixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FixtureError::Io { path, error } => {
                write!(f, "fixtures: `{}`: {error}", path.display())
            }
            FixtureError::NoFixtures { dir } => write!(
                f,
                "fixtures: `{}` holds no `*.{FIXTURE_EXTENSION}` file to load",
                dir.display()
            ),
            FixtureError::Failed { total, failures } => {
                write!(
                    f,
                    "fixtures: {} of {total} saves do not load:",
                    failures.len()
                )?;
                for failure in failures {
                    write!(f, "\n  - `{}`: {}", failure.path.display(), failure.error)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for FixtureError {}

/// Loads every `*.sav` file of `dir` (not its subdirectories) as a `T` with
/// [`load_file`] and the program's `current_version`, by path order.
///
/// Returns the loaded values, or every save that did not load with its error. A
/// directory with no `*.sav` file is an error too.
pub fn check_fixtures_load<T: WithSchema + Deserialize>(
    dir: impl AsRef<Path>,
    current_version: u32,
) -> Result<Vec<(PathBuf, T)>, FixtureError> {
    let dir = dir.as_ref();
    let io_error = |error| FixtureError::Io {
        path: dir.to_path_buf(),
        error,
    };
    let mut paths = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_error)? {
        let path = entry.map_err(io_error)?.path();
        if path.extension().is_some_and(|e| e == FIXTURE_EXTENSION) && path.is_file() {
            paths.push(path);
        }
    }
    if paths.is_empty() {
        return Err(FixtureError::NoFixtures {
            dir: dir.to_path_buf(),
        });
    }
    paths.sort();
    let total = paths.len();
    let mut loaded = Vec::with_capacity(total);
    let mut failures = Vec::new();
    for path in paths {
        match load_file::<T, _>(&path, current_version) {
            Ok(value) => loaded.push((path, value)),
            Err(error) => failures.push(FixtureFailure { path, error }),
        }
    }
    if failures.is_empty() {
        Ok(loaded)
    } else {
        Err(FixtureError::Failed { total, failures })
    }
}

/// Checks that every `*.sav` file of `dir` loads ([`check_fixtures_load`]) and returns
/// the values, for further checks.
///
/// # Panics
///
/// When one does not load, listing every one that does not with its error.
#[track_caller]
pub fn assert_fixtures_load<T: WithSchema + Deserialize>(
    dir: impl AsRef<Path>,
    current_version: u32,
) -> Vec<(PathBuf, T)> {
    check_fixtures_load(dir, current_version).unwrap_or_else(|error| panic!("{error}"))
}

/// [`assert_fixtures_load`], then `expected(path, value)` for each save.
///
/// # Panics
///
/// When a save does not load, or when `expected` returns false for some: the message
/// lists every such save.
#[track_caller]
pub fn assert_fixtures_load_with<T: WithSchema + Deserialize>(
    dir: impl AsRef<Path>,
    current_version: u32,
    expected: impl Fn(&Path, &T) -> bool,
) {
    let loaded = assert_fixtures_load::<T>(dir, current_version);
    let wrong: Vec<String> = loaded
        .iter()
        .filter(|(path, value)| !expected(path, value))
        .map(|(path, _)| format!("\n  - `{}`", path.display()))
        .collect();
    assert!(
        wrong.is_empty(),
        "fixtures: {} of {} saves load but not as expected:{}",
        wrong.len(),
        loaded.len(),
        wrong.concat()
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A fresh directory under the system's temporary directory, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = std::env::temp_dir().join(format!(
                "savefile-testing-{name}-{}-{n}",
                std::process::id()
            ));
            let _ = fs::remove_dir_all(&path);
            TempDir(path)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn names(paths: &[PathBuf]) -> Vec<String> {
        let name = |p: &PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
        paths.iter().map(name).collect()
    }

    #[test]
    fn blessing_records_one_pair_then_the_history_holds() {
        let dir = TempDir::new("bless");
        let error = check_schema_history_with::<(u32, String)>(&dir.0, 0, false).unwrap_err();
        assert!(matches!(
            error,
            HistoryError::NotRecorded { version: 0, .. }
        ));
        assert!(error.to_string().contains("SAVEFILE_BLESS=1"), "{error}");
        assert!(!dir.0.exists(), "nothing is written without blessing");

        let report = check_schema_history_with::<(u32, String)>(&dir.0, 0, true).unwrap();
        assert_eq!(names(&report.written), ["schema_v0.bin", "schema_v0.txt"]);
        assert_eq!(report.checked, Vec::<u32>::new());
        let text = fs::read_to_string(dir.0.join("schema_v0.txt")).unwrap();
        assert!(text.contains("u32") && text.contains("string"), "{text}");

        for bless in [false, true] {
            let report = check_schema_history_with::<(u32, String)>(&dir.0, 0, bless).unwrap();
            assert_eq!(report.checked, [0]);
            assert!(
                report.written.is_empty(),
                "a second blessing writes nothing"
            );
        }
    }

    #[test]
    fn a_changed_type_fails_and_blessing_does_not_overwrite() {
        let dir = TempDir::new("changed");
        check_schema_history_with::<(u32, String)>(&dir.0, 0, true).unwrap();
        let before = fs::read(dir.0.join("schema_v0.bin")).unwrap();
        for bless in [false, true] {
            let error = check_schema_history_with::<(u32, u64)>(&dir.0, 0, bless).unwrap_err();
            let HistoryError::Changed {
                version,
                ref differences,
                ..
            } = error
            else {
                panic!("{error}");
            };
            assert_eq!(version, 0);
            assert_eq!(differences.len(), 1);
            let message = error.to_string();
            assert!(message.contains("bump the version to 1"), "{message}");
            assert!(message.contains("savefile_versions = \"1..\""), "{message}");
            assert_eq!(message.contains("never overwrites"), bless, "{message}");
        }
        assert_eq!(fs::read(dir.0.join("schema_v0.bin")).unwrap(), before);
    }

    #[test]
    fn memory_layout_is_not_compared() {
        use crate::{Field, SchemaStruct};
        let dir = TempDir::new("layout");
        fs::create_dir_all(&dir.0).unwrap();
        // `(u32, String)` as another platform records it: other sizes, offsets and layout.
        let mut schema = get_schema::<(u32, String)>(0);
        let Schema::Struct(s) = &mut schema else {
            panic!("{schema:?}")
        };
        let fields = s
            .fields
            .iter()
            .map(|f| Field::new_with_offset(f.name.clone(), f.value.clone(), Some(99)))
            .collect();
        let other = Schema::Struct(SchemaStruct::new_with_layout(
            s.dbg_name.clone(),
            fields,
            Some(1000),
            Some(64),
        ));
        let bytes = encode_schema(&other).unwrap();
        fs::write(dir.0.join("schema_v0.bin"), bytes).unwrap();
        let report = check_schema_history_with::<(u32, String)>(&dir.0, 0, false).unwrap();
        assert_eq!(report.checked, [0]);
    }

    #[test]
    fn a_corrupt_record_is_a_clear_error() {
        let dir = TempDir::new("corrupt");
        check_schema_history_with::<(u32, String)>(&dir.0, 0, true).unwrap();
        let bin = dir.0.join("schema_v0.bin");
        let good = fs::read(&bin).unwrap();
        for bad in [
            vec![0xff; 3],
            good[..good.len() - 1].to_vec(),
            [&good[..], &[0]].concat(),
        ] {
            fs::write(&bin, &bad).unwrap();
            let error = check_schema_history_with::<(u32, String)>(&dir.0, 0, true).unwrap_err();
            assert!(
                matches!(error, HistoryError::Corrupt { version: 0, .. }),
                "{error}"
            );
            let message = error.to_string();
            assert!(message.contains("schema_v0.bin") && message.contains("corrupt"));
            assert_eq!(fs::read(&bin).unwrap(), bad, "blessing left it alone");
        }
    }

    #[test]
    fn a_version_going_back_is_an_error() {
        let dir = TempDir::new("back");
        check_schema_history_with::<u32>(&dir.0, 2, true).unwrap();
        let error = check_schema_history_with::<u32>(&dir.0, 1, true).unwrap_err();
        assert!(
            matches!(
                error,
                HistoryError::VersionWentBack {
                    recorded: 2,
                    current: 1,
                    ..
                }
            ),
            "{error}"
        );
        assert!(!dir.0.join("schema_v1.bin").exists());
    }

    #[test]
    fn other_files_are_ignored_and_gaps_allowed() {
        let dir = TempDir::new("other");
        check_schema_history_with::<u32>(&dir.0, 1, true).unwrap();
        for name in [
            "README.md",
            "schema_v.bin",
            "schema_vx.bin",
            "schema_v9.bin.orig",
        ] {
            fs::write(dir.0.join(name), b"x").unwrap();
        }
        let report = check_schema_history_with::<u32>(&dir.0, 3, true).unwrap();
        assert_eq!(report.checked, [1]);
        assert_eq!(names(&report.written), ["schema_v3.bin", "schema_v3.txt"]);
    }

    #[test]
    fn fixtures_load_or_are_listed() {
        let dir = TempDir::new("fixtures");
        fs::create_dir_all(&dir.0).unwrap();
        assert!(matches!(
            check_fixtures_load::<u32>(&dir.0, 0),
            Err(FixtureError::NoFixtures { .. })
        ));
        crate::save_file(dir.0.join("a.sav"), 0, &7u32).unwrap();
        crate::save_file(dir.0.join("b.sav"), 0, &"text".to_string()).unwrap();
        crate::save_file(dir.0.join("c.sav"), 1, &8u32).unwrap();
        fs::write(dir.0.join("notes.txt"), b"not a save").unwrap();
        let error = check_fixtures_load::<u32>(&dir.0, 0).unwrap_err();
        let FixtureError::Failed { total, failures } = &error else {
            panic!("{error}")
        };
        assert_eq!(*total, 3);
        assert_eq!(
            names(&failures.iter().map(|f| f.path.clone()).collect::<Vec<_>>()),
            ["b.sav", "c.sav"]
        );
        let message = error.to_string();
        assert!(
            message.contains("2 of 3") && message.contains("b.sav"),
            "{message}"
        );

        fs::remove_file(dir.0.join("b.sav")).unwrap();
        assert_eq!(assert_fixtures_load::<u32>(&dir.0, 1).len(), 2);
        let values: Vec<u32> = check_fixtures_load::<u32>(&dir.0, 1)
            .unwrap()
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        assert_eq!(values, [7, 8]);
        assert_fixtures_load_with::<u32>(&dir.0, 1, |_, v| *v >= 7);
        let wrong = std::panic::catch_unwind(|| {
            assert_fixtures_load_with::<u32>(&dir.0, 1, |path, _| !path.ends_with("c.sav"))
        });
        assert!(wrong.is_err());
    }
}
