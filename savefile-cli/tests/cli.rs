//! The `savefile` binary run on savefile 0.20's files (the compatibility fixtures), on
//! golden outputs, and on hostile inputs, through `std::process::Command`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../savefile-test/tests/fixtures/compat")
}

/// Runs the binary in the fixtures' directory.
fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_savefile"))
        .args(args)
        .current_dir(fixtures())
        .output()
        .unwrap()
}

/// Runs the binary with `input` on standard input.
fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_savefile"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The tool may stop reading early (a bad header); a closed pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn with_schema() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".schema.sav") || n.ends_with(".bz2.sav"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_fixture_checks_and_dumps() {
    let names = with_schema();
    assert!(names.len() > 200);
    for name in &names {
        for args in [
            vec!["check", name],
            vec!["info", name],
            vec!["schema", name],
            vec!["dump", name],
        ] {
            let output = run(&args);
            assert!(
                output.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let output = run(&["dump", "--json", name]);
        assert!(output.status.success(), "{name}");
        let parsed: Result<serde_json::Value, _> = serde_json::from_slice(&output.stdout);
        assert!(parsed.is_ok(), "{name}: {}", stdout(&output));
    }
}

#[test]
fn golden_outputs() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let cases: [(&str, &[&str]); 6] = [
        (
            "recursive_tree.dump.txt",
            &["dump", "recursive_tree.schema.sav"],
        ),
        (
            "enum_struct_variant.dump.txt",
            &["dump", "enum_struct_variant.bz2.sav"],
        ),
        (
            "socketaddr_v6.dump.json",
            &["dump", "--json", "socketaddr_v6.schema.sav"],
        ),
        (
            "ecosystem_struct.schema.txt",
            &["schema", "ecosystem_struct.schema.sav"],
        ),
        (
            "ecosystem_struct.dump.json",
            &["dump", "--json", "ecosystem_struct.schema.sav"],
        ),
        (
            "versioned_v2.info.txt",
            &["info", "versioned_v2.schema.sav"],
        ),
    ];
    for (file, args) in cases {
        let expected = std::fs::read_to_string(golden.join(file)).unwrap();
        assert_eq!(stdout(&run(args)), expected, "{file}");
    }
}

#[test]
fn json_has_the_values() {
    let output = run(&["dump", "--json", "ecosystem_struct.schema.sav"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["stock"]["wood"], 40);
    assert_eq!(json["title"], "camp");
    assert_eq!(json["hotbar"][2], 4);
    let output = run(&[
        "dump",
        "--json",
        "--path",
        "./visited/1/key",
        "ecosystem_struct.schema.sav",
    ]);
    assert_eq!(stdout(&output).trim(), "2");
    let output = run(&["dump", "--path", "./nothing", "ecosystem_struct.schema.sav"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn limits_elide_long_sequences() {
    let output = run(&["dump", "--limit", "1", "recursive_tree.schema.sav"]);
    assert!(stdout(&output).contains("… 1 more"), "{}", stdout(&output));
    let output = run(&[
        "dump",
        "--json",
        "--limit",
        "1",
        "ecosystem_struct.schema.sav",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["hotbar"][1], "… 2 more");
}

#[test]
fn standard_input_and_compressed_files() {
    let bytes = std::fs::read(fixtures().join("recursive_tree.bz2.sav")).unwrap();
    let output = run_stdin(&["dump", "-"], &bytes);
    assert!(output.status.success());
    let expected = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/recursive_tree.dump.txt"),
    )
    .unwrap();
    assert_eq!(stdout(&output), expected);
    let output = run_stdin(&["info", "-"], &bytes);
    assert!(stdout(&output).contains("compression:     bzip2"));
}

#[test]
fn schemas_differ_in_the_words_of_a_load() {
    let output = run(&[
        "diff-schema",
        "versioned_v0.schema.sav",
        "versioned_v2.schema.sav",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert_eq!(
        text,
        "at `./Settings/volume`: the program has u8, the file has u16\n\
         at `./Settings/legacy`: the program has u32, the file has u16\n"
    );
    let output = run(&["diff-schema", "u32.schema.sav", "u32.bz2.sav"]);
    assert!(output.status.success());
    let output = run(&["diff-schema", "u32.schema.sav", "string_utf8.schema.sav"]);
    assert_eq!(
        stdout(&output).trim(),
        "at `.`: the program has u32, the file has a string"
    );
}

#[test]
fn usage_errors_and_help() {
    assert_eq!(run(&[]).status.code(), Some(2));
    assert_eq!(run(&["dump"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate", "x"]).status.code(), Some(2));
    for command in ["info", "schema", "dump", "diff-schema", "check"] {
        let output = run(&[command, "--help"]);
        assert!(output.status.success(), "{command}");
        assert!(stdout(&output).contains("Usage: savefile"), "{command}");
    }
    let output = run(&["check", "no-such-file.sav"]);
    assert_eq!(output.status.code(), Some(1));
    let output = run(&["check", "u32.noschema.sav"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("without a schema"));
}

/// Every subcommand on a mangled file: exit code 1 with a message, or 0; never a
/// crash (a panic exits 101, an abort by signal has no code).
fn hostile(bytes: &[u8], dir: &Path, label: &str) {
    let path = dir.join("hostile.sav");
    std::fs::write(&path, bytes).unwrap();
    let path = path.to_str().unwrap();
    for args in [
        vec!["info", path],
        vec!["schema", path],
        vec!["dump", path],
        vec!["dump", "--json", path],
        vec!["dump", "--json", "--limit", "1", path],
        vec!["dump", "--path", "./0", path],
        vec!["check", path],
        vec!["diff-schema", path, path],
    ] {
        let output = run(&args);
        let code = output.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "{label} {args:?}: {code:?} {output:?}"
        );
        if code == Some(1) && args[0] != "diff-schema" {
            assert!(!output.stderr.is_empty(), "{label} {args:?}");
        }
        // A dump writes as it decodes, but in blocks far larger than these files' output:
        // an invalid file leaves nothing on standard output.
        if code == Some(1) && args[0] == "dump" {
            assert!(output.stdout.is_empty(), "{label} {args:?}");
        }
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("savefile-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn truncations_at_every_offset() {
    let dir = scratch("truncated");
    for name in ["enum_struct_variant.schema.sav", "recursive_tree.bz2.sav"] {
        let bytes = std::fs::read(fixtures().join(name)).unwrap();
        for len in 0..bytes.len() {
            hostile(&bytes[..len], &dir, &format!("{name}[..{len}]"));
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn byte_flips_and_huge_lengths() {
    let dir = scratch("flipped");
    let bytes = std::fs::read(fixtures().join("ecosystem_struct.schema.sav")).unwrap();
    // A small deterministic generator: xorshift.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..150 {
        let mut mangled = bytes.clone();
        let at = (next() % mangled.len() as u64) as usize;
        mangled[at] ^= (next() % 255 + 1) as u8;
        hostile(&mangled, &dir, &format!("flip {round} at {at}"));
    }
    // Every 8-byte window, in turn, claims a huge length.
    for at in 16..bytes.len() - 8 {
        let mut mangled = bytes.clone();
        mangled[at..at + 8].copy_from_slice(&(u64::MAX / 3).to_le_bytes());
        hostile(&mangled, &dir, &format!("huge at {at}"));
    }
    let _ = std::fs::remove_dir_all(dir);
}
