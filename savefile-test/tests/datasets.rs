//! The benchmark datasets save and load through savefile, with and without schema, and their
//! sizes are what the format's rules predict (the benchmark measures those same bytes).

use std::fmt::Debug;

use savefile::__private::{bulk_copy, BulkCopy};
use savefile::prelude::*;
use savefile_test::datasets::{log, mesh, minecraft, mk48};
use savefile_test::VERSION;

/// The header: magic "savefile\0", format version u16, data version u32, compression flag.
const HEADER: usize = 16;

/// Saves without and with schema, loads both back from memory, asserts equality, and returns
/// the no-schema size.
fn roundtrip_from_memory<T>(value: &T) -> usize
where
    T: WithSchema + Serialize + Deserialize + PartialEq + Debug,
{
    let mut bare = Vec::new();
    save_noschema(&mut bare, VERSION, value).unwrap();
    let loaded: T = load_from_mem_noschema(&bare, VERSION).unwrap();
    assert!(loaded == *value, "no schema: the value changed");

    let mut with_schema = Vec::new();
    save(&mut with_schema, VERSION, value).unwrap();
    assert!(with_schema.len() > bare.len());
    let loaded: T = load_from_mem(&with_schema, VERSION).unwrap();
    assert!(loaded == *value, "with schema: the value changed");
    bare.len()
}

#[test]
fn log_costs_its_strings_plus_fixed_fields() {
    let logs = log::generate();
    let strings: usize = logs
        .logs
        .iter()
        .map(|l| l.identity.len() + l.userid.len() + l.date.len() + l.request.len())
        .sum();
    // Per record: four u64 length prefixes, the address, the code and the size.
    let expected = HEADER + 8 + log::LOGS * (4 * 8 + 4 + 2 + 8) + strings;
    assert_eq!(roundtrip_from_memory(&logs), expected);
}

#[test]
fn mesh_is_copied_in_bulk_and_costs_its_payload() {
    // Not #[repr(C)], like the community benchmark's: the measured layout qualifies anyway.
    assert_eq!(bulk_copy::<mesh::Triangle>(VERSION), BulkCopy::Plain);
    let mesh = mesh::generate();
    assert_eq!(
        roundtrip_from_memory(&mesh),
        HEADER + 8 + mesh::TRIANGLES * 48
    );
}

#[test]
fn minecraft_roundtrips() {
    let players = minecraft::generate();
    let size = roundtrip_from_memory(&players);
    // 566 991 bytes for the community benchmark's draw of the same distributions.
    assert!((540_000..600_000).contains(&size), "{size}");
}

#[test]
fn mk48_roundtrips() {
    let updates = mk48::generate();
    let size = roundtrip_from_memory(&updates);
    // 1 791 505 bytes for the community benchmark's draw of the same distributions.
    assert!((1_700_000..1_900_000).contains(&size), "{size}");
}
