//! Regression tests for bugs found in `savefile-derive` and `savefile`, one test each.
//!
//! Each test says what it feeds in and what it expects; the comment says what went
//! wrong before the fix. Some are about compiling (a compile error, a warning, a
//! clippy lint in the user's crate): their inputs are in `tests/regressions/` and
//! are built by trybuild or by `cargo clippy` from here.

use std::path::{Path, PathBuf};
use std::process::Command;

use savefile::prelude::*;

/// `#[repr(C, align(16))]` on a struct and `#[repr(align(8))]` on an enum.
/// Expected: the derive accepts them (the type saves and loads).
/// Before the fix: "unexpected token, expected `)`" at the alignment: the repr parser opens
/// the parentheses of `align(N)` without consuming the `N` inside.
#[test]
fn repr_align_is_accepted() {
    trybuild::TestCases::new().pass("tests/regressions/repr_align.rs");
}

/// `#[derive(Savefile)] enum Never {}` in a crate with `#![deny(unreachable_code)]`.
/// Expected: it compiles. Before the fix: "unreachable expression" in the generated
/// `Serialize` (`match *self {}` followed by `Ok(())`).
#[test]
fn an_empty_enum_derives_without_warnings() {
    trybuild::TestCases::new().pass("tests/regressions/empty_enum.rs");
}

/// `tests/regressions/lint_free.rs` (fields with `savefile_versions_as = "1..1:u16"`
/// and `savefile_versions = "1..2"`) linted with `cargo clippy -- -D warnings`.
/// Expected: no lint. Before the fix: `clippy::double_comparisons` for "1..1" and
/// `clippy::manual_range_contains` for "1..2", both in the generated impls.
#[test]
fn generated_code_passes_clippy() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let krate = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("regressions_lint_free");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"derive-bugs-lint-free\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\n\n[dependencies]\nsavefile = {{ path = {:?}, features = [\"derive\"] }}\n\n\
         [workspace]\n",
        workspace.join("savefile")
    );
    std::fs::write(krate.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/lint_free.rs"),
        krate.join("src/lib.rs"),
    )
    .unwrap();
    // The workspace's lock file, so that the same dependency versions resolve offline.
    std::fs::copy(workspace.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    let output = Command::new(option_env!("CARGO").unwrap_or("cargo"))
        .args(["clippy", "--offline", "--quiet", "--", "-D", "warnings"])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", krate.join("target"))
        .output()
        .expect("run cargo clippy");
    assert!(
        output.status.success(),
        "clippy flags the derive's output:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `#[repr(u8)] enum Narrow { A, B(u16), C { x: u8, y: u32 } }`.
/// Expected: as savefile 0.20 writes it, each variant field of an enum with an
/// integer repr records its offset in memory (B.0 at 2, C.x at 1, C.y at 4).
/// Before the fix: every variant field's offset is `None`, so the schema bytes differ from
/// those savefile 0.20 writes for the same type.
#[test]
fn an_int_repr_enum_records_its_variant_field_offsets() {
    #[derive(Savefile)]
    #[repr(u8)]
    #[allow(dead_code)] // Only the layout is looked at.
    enum Narrow {
        A,
        B(u16),
        C { x: u8, y: u32 },
    }
    fn offset<T, F>(value: &T, field: &F) -> usize {
        field as *const F as usize - value as *const T as usize
    }
    let b = Narrow::B(0);
    let Narrow::B(b0) = &b else { unreachable!() };
    let c = Narrow::C { x: 0, y: 0 };
    let Narrow::C { x, y } = &c else {
        unreachable!()
    };
    let expected = [
        vec![],
        vec![Some(offset(&b, b0))],
        vec![Some(offset(&c, x)), Some(offset(&c, y))],
    ];
    assert_eq!(
        expected,
        [vec![], vec![Some(2)], vec![Some(1), Some(4)]],
        "rustc's layout"
    );
    let Schema::Enum(schema) = get_schema::<Narrow>(0) else {
        panic!()
    };
    let actual: Vec<Vec<Option<usize>>> = schema
        .variants
        .iter()
        .map(|v| v.fields.iter().map(|f| f.offset).collect())
        .collect();
    assert_eq!(actual, expected);
}

/// Saving `Event::Click { x }` as version 0, where `x` was a u8 in version 0
/// (`savefile_versions_as = "0..0:u8"`).
/// Expected: `NotInVersion { item: "Event::Click.x", .. }`, naming the variant as
/// `InvalidDefault` does for the same field. Before the fix: `item: "Event.x"`.
#[test]
fn not_in_version_names_the_variant_of_an_enum_field() {
    #[derive(Savefile, Debug)]
    enum Event {
        Click {
            #[savefile_versions_as = "0..0:u8"]
            #[savefile_versions = "1.."]
            x: u16,
        },
    }
    let err = save_to_mem(0, &Event::Click { x: 1 }).unwrap_err();
    assert!(
        matches!(
            err,
            SavefileError::NotInVersion {
                item: "Event::Click.x",
                version: 0
            }
        ),
        "{err:?}"
    );
}

#[derive(Savefile, Debug)]
enum Tree {
    Leaf,
    Node(Box<Tree>, Box<Tree>),
}

/// Set in the child process that performs the deep load.
const CHILD: &str = "SAVEFILE_DERIVE_BUGS_DEEP_CHILD";

/// A file (no schema) of a tree nested `depth` levels down its left side: 2 bytes
/// per level.
fn deep_tree(depth: usize) -> Vec<u8> {
    let mut file = Vec::new();
    save_noschema(&mut file, 0, &()).unwrap();
    file.extend(std::iter::repeat_n(1u8, depth));
    file.extend(std::iter::repeat_n(0u8, depth + 1));
    file
}

/// A 2 MB input describing a `Tree` nested a million levels deep.
/// Expected: an error (say `DepthLimitExceeded`, as for deep schemas), since
/// loading never panics or aborts on any input. Before the fix: the load recurses once per
/// level (`Tree` -> `Box<Tree>` -> `Tree` …) without limit, the stack overflows and
/// the whole process aborts (SIGABRT). The load runs in a child process so that the
/// crash fails this test instead of killing the test binary.
#[test]
fn deeply_nested_recursive_data_is_an_error_not_a_stack_overflow() {
    let name = "deeply_nested_recursive_data_is_an_error_not_a_stack_overflow";
    if std::env::var_os(CHILD).is_some() {
        let loaded = load_from_mem_noschema::<Tree>(&deep_tree(1_000_000), 0);
        let refused = loaded.is_err();
        // A tree this deep cannot even be dropped recursively.
        std::mem::forget(loaded);
        assert!(refused, "a million levels loaded");
        return;
    }
    let output = Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--test-threads=1", "--nocapture"])
        .env(CHILD, "1")
        .output()
        .expect("run the child test");
    assert!(
        output.status.success(),
        "loading deeply nested data crashed the process ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}
