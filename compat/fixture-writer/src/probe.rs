//! What savefile 0.20 does with inputs that our crate refuses, and with three layouts
//! where its bulk-copy path writes other bytes than its value-by-value path.
//!
//! Every probe here is memory-safe in savefile 0.20: inputs that would make it
//! produce an invalid value (a `Vec<bool>` holding a 2 is copied in bulk, without a
//! check, and so is a `Vec<Code>` holding a byte that is no discriminant) or allocate
//! without bound (a huge length) are left out and documented
//! from its source instead. Panics are caught and reported.

use std::fmt::Debug;
use std::net::IpAddr;
use std::panic::{catch_unwind, UnwindSafe};
use std::time::{Duration, SystemTime};

use savefile::prelude::*;

use crate::corpus::{Code, Mode, Shape, WithIgnored};

/// A header for data version 1, no compression.
fn header() -> Vec<u8> {
    let mut bytes = b"savefile\0".to_vec();
    bytes.extend_from_slice(&2u16.to_le_bytes());
    bytes.extend_from_slice(&1u32.to_le_bytes());
    bytes.push(0);
    bytes
}

/// Loads `data` (after a header) as a `T` saved without schema, catching panics.
fn load<T: Deserialize + Debug>(data: &[u8]) -> String {
    let mut file = header();
    file.extend_from_slice(data);
    let result = catch_unwind(move || savefile::load_noschema::<T>(&mut &file[..], 1));
    match result {
        Ok(Ok(value)) => format!("Ok({value:?})"),
        Ok(Err(e)) => format!("Err({e})"),
        Err(panic) => format!("panic: {}", panic_message(&*panic)),
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "(no message)".to_string()
    }
}

/// The data bytes (after the header) of `value` saved without schema.
fn saved<T: Serialize + UnwindSafe>(value: T) -> String {
    let mut file = Vec::new();
    match savefile::save_noschema(&mut file, 1, &value) {
        Ok(()) => file[16..]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(" "),
        Err(e) => format!("Err({e})"),
    }
}

/// Prints one markdown table row.
fn row(input: &str, outcome: String) {
    println!("| {input} | {outcome} |");
}

/// Prints every probe as a markdown table.
pub(crate) fn run() {
    // Keep the caught panics' messages out of the table.
    std::panic::set_hook(Box::new(|_| {}));
    println!("| input (saved without schema, data version 1) | savefile 0.20.6 |");
    println!("|---|---|");
    row("`bool`: `02`", load::<bool>(&[2]));
    row("`Option<u8>`: `03 07`", load::<Option<u8>>(&[3, 7]));
    row("`Result<u8, u8>`: `02 07`", load::<Result<u8, u8>>(&[2, 7]));
    row(
        "`char`: `00 d8 00 00` (a surrogate)",
        load::<char>(&0xD800u32.to_le_bytes()),
    );
    let mut bad_utf8 = 1u64.to_le_bytes().to_vec();
    bad_utf8.push(0xFF);
    row("`String`: length 1, `ff`", load::<String>(&bad_utf8));
    row("`Shape` (4 variants): index `09`", load::<Shape>(&[9]));
    row("`IpAddr`: tag `02`", load::<IpAddr>(&[2, 0, 0, 0, 0]));
    row(
        "`Duration`: u128::MAX ns",
        load::<Duration>(&u128::MAX.to_le_bytes()),
    );
    row(
        "`SystemTime`: 2^126 ns after the epoch",
        load::<SystemTime>(&(1u128 << 126).to_le_bytes()),
    );

    println!();
    println!("| value (saved without schema) | data bytes written by savefile 0.20.6 |");
    println!("|---|---|");
    row(
        "`Mode::Off` (`#[repr(u16)] enum Mode { Off, Level(u16) }`)",
        saved(Mode::Off),
    );
    row(
        "`vec![Mode::Level(5), Mode::Off]`",
        saved(vec![Mode::Level(5), Mode::Off]),
    );
    row(
        "`Code::B` (`#[repr(u8)] enum Code { A = 5, B = 6 }`)",
        saved(Code::B),
    );
    row("`vec![Code::A, Code::B]`", saved(vec![Code::A, Code::B]));
    row(
        "`Vec<Code>` bytes `02 00 00 00 00 00 00 00 05 06` loaded",
        load::<Vec<Code>>(&[2, 0, 0, 0, 0, 0, 0, 0, 5, 6]),
    );
    let with_ignored = WithIgnored { a: 1, b: 2, c: 3 };
    row(
        "`WithIgnored { a: 1, b: 2, c: 3 }` (`#[repr(C)]`, `b` is `#[savefile_ignore]`)",
        saved(with_ignored),
    );
    row("the same in a `Vec`", saved(vec![with_ignored]));
    let mut file = Vec::new();
    let reloaded = match savefile::save_noschema(&mut file, 1, &with_ignored) {
        Ok(()) => load::<WithIgnored>(&file[16..]),
        Err(e) => format!("Err({e})"),
    };
    row("`WithIgnored` loaded back from those bytes", reloaded);
}
