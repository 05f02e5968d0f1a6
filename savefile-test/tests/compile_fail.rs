//! Pins every diagnostic of the derives (`tests/ui/fail`, each with its expected
//! `.stderr`) and proves that the generated code compiles without a single warning
//! under `#![deny(warnings)]` (`tests/ui/pass`).
//!
//! After changing a message on purpose, regenerate the expected output with
//! `TRYBUILD=overwrite cargo test -p savefile-test --test compile_fail` and read it.

#[test]
fn derive_diagnostics() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}
