//! Writes the savefile 0.20 compatibility fixtures, and checks files written by this
//! workspace's `savefile` crate with savefile 0.20.
//!
//! ```text
//! savefile-fixture-writer write DIR    save every corpus value three ways into DIR
//! savefile-fixture-writer verify DIR   load every file our crate wrote into DIR
//! savefile-fixture-writer probe        show what savefile 0.20 does with inputs we refuse
//! ```
//!
//! The corpus (types and values) is `savefile-test/tests/compat/corpus.rs`, compiled
//! here against savefile 0.20 and in the tests against our crate.

use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use savefile::prelude::*;

#[path = "../../../savefile-test/tests/compat/corpus.rs"]
mod corpus;
#[path = "../../../savefile-test/tests/compat/ecosystem.rs"]
mod ecosystem;
mod probe;

use corpus::{Kind, Visitor};

/// The savefile release this binary is built against (pinned in Cargo.toml).
const SAVEFILE_VERSION: &str = "0.20.6";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["write", dir] => write(Path::new(dir)),
        ["verify", dir] => verify(Path::new(dir)),
        ["probe"] => {
            probe::run();
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("usage: savefile-fixture-writer (write DIR | verify DIR | probe)");
            ExitCode::from(2)
        }
    }
}

/// Saves every case three ways into `dir`.
fn write(dir: &Path) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let mut writer = Writer {
        dir: dir.to_path_buf(),
        files: 0,
        errors: Vec::new(),
    };
    corpus::visit(&mut writer);
    for error in &writer.errors {
        eprintln!("{error}");
    }
    println!("wrote {} files into {}", writer.files, dir.display());
    if writer.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

struct Writer {
    dir: PathBuf,
    files: usize,
    errors: Vec<String>,
}

impl Visitor for Writer {
    fn case<T>(&mut self, name: &'static str, version: u32, value: T, _: fn(&T, &T) -> bool)
    where
        T: WithSchema + Serialize + Deserialize + Debug,
    {
        for kind in Kind::ALL {
            let path = self.dir.join(kind.file_name(name));
            let saved = match kind {
                Kind::Schema => savefile::save_file(&path, version, &value),
                Kind::NoSchema => savefile::save_file_noschema(&path, version, &value),
                Kind::Compressed => savefile::save_file_compressed(&path, version, &value),
            };
            match saved {
                Ok(()) => self.files += 1,
                Err(e) => self.errors.push(format!("{}: {e}", path.display())),
            }
        }
    }

    fn upgrade<T>(&mut self, _: &'static str, _: u32, _: T, _: fn(&T, &T) -> bool)
    where
        T: WithSchema + Deserialize + Debug,
    {
        // Upgrades read the files of an earlier case; there is nothing to write.
    }
}

/// Loads every file our crate wrote into `dir` and compares it with the corpus.
fn verify(dir: &Path) -> ExitCode {
    let mut verifier = Verifier {
        dir: dir.to_path_buf(),
        cases: 0,
        upgrades: 0,
        passed: 0,
        failures: Vec::new(),
    };
    corpus::visit(&mut verifier);
    for failure in &verifier.failures {
        println!("FAIL {failure}");
    }
    println!(
        "savefile {SAVEFILE_VERSION}: {} cases and {} upgrades, {} loads of the {} files in {}: {} as expected, {} failed",
        verifier.cases,
        verifier.upgrades,
        verifier.passed + verifier.failures.len(),
        verifier.cases * Kind::ALL.len(),
        dir.display(),
        verifier.passed,
        verifier.failures.len()
    );
    if verifier.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

struct Verifier {
    dir: PathBuf,
    cases: usize,
    upgrades: usize,
    passed: usize,
    failures: Vec<String>,
}

impl Verifier {
    /// Loads the three files of case `name` as `T` and compares each with `expected`.
    fn check<T>(&mut self, name: &str, version: u32, expected: &T, same: fn(&T, &T) -> bool)
    where
        T: WithSchema + Deserialize + Debug,
    {
        for kind in Kind::ALL {
            let path = self.dir.join(kind.file_name(name));
            let loaded: Result<T, SavefileError> = match kind {
                Kind::Schema | Kind::Compressed => savefile::load_file(&path, version),
                Kind::NoSchema => savefile::load_file_noschema(&path, version),
            };
            match loaded {
                Ok(value) if same(&value, expected) => self.passed += 1,
                Ok(value) => self.failures.push(format!(
                    "{}: loaded {value:?}, expected {expected:?}",
                    path.display()
                )),
                Err(e) => self.failures.push(format!("{}: {e}", path.display())),
            }
        }
    }
}

impl Visitor for Verifier {
    fn case<T>(&mut self, name: &'static str, version: u32, value: T, same: fn(&T, &T) -> bool)
    where
        T: WithSchema + Serialize + Deserialize + Debug,
    {
        self.cases += 1;
        self.check(name, version, &value, same);
    }

    fn upgrade<T>(&mut self, file: &'static str, version: u32, value: T, same: fn(&T, &T) -> bool)
    where
        T: WithSchema + Deserialize + Debug,
    {
        self.upgrades += 1;
        self.check(file, version, &value, same);
    }
}
