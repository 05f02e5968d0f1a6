//! Bad input never panics: arbitrary bytes, corrupted and truncated files, crafted lengths
//! and invalid values all give a `SavefileError`.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use savefile::prelude::*;

/// A value touching most type families, with variable-length parts everywhere.
type Rich = (
    Vec<(String, u32)>,
    HashMap<String, Vec<Option<char>>>,
    BTreeSet<i64>,
    Option<Result<bool, String>>,
    [u16; 3],
    VecDeque<f64>,
    Box<(u8, Duration)>,
    SystemTime,
    IpAddr,
    PathBuf,
    Vec<Vec<u8>>,
);

fn rich() -> Rich {
    (
        vec![("a".into(), 1), ("ünïcode".into(), 2)],
        HashMap::from([("k".into(), vec![Some('x'), None, Some('✓')])]),
        BTreeSet::from([-5, 0, 9]),
        Some(Err("bad".into())),
        [1, 2, 3],
        VecDeque::from([0.5, -0.0]),
        Box::new((9, Duration::from_millis(1500))),
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        "10.0.0.1".parse().unwrap(),
        PathBuf::from("saves/slot1"),
        vec![vec![1, 2, 3], vec![]],
    )
}

/// Every way to load the bytes: all must return without panicking.
fn load_every_way(bytes: &[u8]) -> [bool; 4] {
    [
        load_from_mem::<Rich>(bytes, 5).is_ok(),
        load_from_mem_noschema::<Rich>(bytes, 5).is_ok(),
        load::<Rich>(&mut &bytes[..], 5).is_ok(),
        load_noschema::<Rich>(&mut &bytes[..], 5).is_ok(),
    ]
}

/// A deterministic byte generator (xorshift64*), so failures reproduce.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            (seed.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

#[test]
fn ten_megabytes_of_noise_is_refused() {
    let junk = noise(10 << 20, 0x9E37_79B9_7F4A_7C15);
    assert_eq!(load_every_way(&junk), [false; 4]);
    // The same noise behind a valid header reaches the schema and data decoders.
    let mut framed = save_to_mem(0, &rich()).unwrap()[..16].to_vec();
    framed.extend_from_slice(&junk);
    assert_eq!(load_every_way(&framed), [false; 4]);
}

#[test]
fn every_truncation_of_a_valid_file_is_an_error() {
    let full = save_to_mem(0, &rich()).unwrap();
    let mut bare = Vec::new();
    save_noschema(&mut bare, 0, &rich()).unwrap();
    for cut in 0..full.len() {
        assert!(
            load_from_mem::<Rich>(&full[..cut], 0).is_err(),
            "schema file cut at {cut}"
        );
        assert!(
            load::<Rich>(&mut &full[..cut], 0).is_err(),
            "schema stream cut at {cut}"
        );
    }
    for cut in 0..bare.len() {
        assert!(
            load_from_mem_noschema::<Rich>(&bare[..cut], 0).is_err(),
            "file cut at {cut}"
        );
    }
    assert_eq!(load_from_mem::<Rich>(&full, 0).unwrap(), rich());
}

/// A no-schema file holding `value`, with `patch` applied to the data bytes after the header.
fn patched<T: Serialize + WithSchema>(value: &T, patch: impl FnOnce(&mut [u8])) -> Vec<u8> {
    let mut bytes = Vec::new();
    save_noschema(&mut bytes, 0, value).unwrap();
    let mut data = bytes.split_off(16);
    patch(&mut data);
    bytes.extend(data);
    bytes
}

fn huge_count(data: &mut [u8]) {
    data[..8].copy_from_slice(&(1u64 << 60).to_le_bytes());
}

#[test]
fn huge_lengths_are_refused_for_every_container() {
    fn refused<T: Deserialize + WithSchema + std::fmt::Debug>(bytes: &[u8]) {
        match load_from_mem_noschema::<T>(bytes, 0) {
            Err(SavefileError::LengthTooLarge { length, .. }) => assert_eq!(length, 1 << 60),
            other => panic!(
                "{}: expected LengthTooLarge, got {other:?}",
                std::any::type_name::<T>()
            ),
        }
        // From a stream of unknown size the lie is found when the bytes run out.
        assert!(load_noschema::<T>(&mut &bytes[..], 0).is_err());
    }
    refused::<Vec<u8>>(&patched(&vec![1u8], huge_count));
    refused::<Vec<String>>(&patched(&vec![String::new()], huge_count));
    refused::<String>(&patched(&"x".to_string(), huge_count));
    refused::<VecDeque<u32>>(&patched(&VecDeque::from([1u32]), huge_count));
    refused::<HashMap<u8, u8>>(&patched(&HashMap::from([(1u8, 1u8)]), huge_count));
    refused::<BTreeSet<u64>>(&patched(&BTreeSet::from([1u64]), huge_count));
    refused::<Box<[u16]>>(&patched(&vec![1u16].into_boxed_slice(), huge_count));
    refused::<std::collections::LinkedList<u8>>(&patched(
        &std::collections::LinkedList::from([1u8]),
        huge_count,
    ));
    refused::<std::collections::BTreeMap<String, ()>>(&patched(
        &std::collections::BTreeMap::from([(String::new(), ())]),
        huge_count,
    ));
    refused::<PathBuf>(&patched(&PathBuf::from("p"), huge_count));
    refused::<std::sync::Arc<str>>(&patched(&std::sync::Arc::<str>::from("a"), huge_count));
}

#[test]
fn invalid_values_are_refused() {
    let bool_two = patched(&true, |d| d[0] = 2);
    assert!(matches!(
        load_from_mem_noschema::<bool>(&bool_two, 0),
        Err(SavefileError::InvalidBool { value: 2 })
    ));
    let surrogate = patched(&'a', |d| d.copy_from_slice(&0xD800u32.to_le_bytes()));
    assert!(matches!(
        load_from_mem_noschema::<char>(&surrogate, 0),
        Err(SavefileError::InvalidChar { value: 0xD800 })
    ));
    let option_seven = patched(&Some(1u8), |d| d[0] = 7);
    assert!(matches!(
        load_from_mem_noschema::<Option<u8>>(&option_seven, 0),
        Err(SavefileError::InvalidTag { tag: 7, .. })
    ));
    let result_two = patched(&Ok::<u8, u8>(1), |d| d[0] = 2);
    assert!(matches!(
        load_from_mem_noschema::<Result<u8, u8>>(&result_two, 0),
        Err(SavefileError::InvalidTag { tag: 2, .. })
    ));
    let bad_utf8 = patched(&"ab".to_string(), |d| d[9] = 0xC0);
    assert!(matches!(
        load_from_mem_noschema::<String>(&bad_utf8, 0),
        Err(SavefileError::InvalidUtf8 { .. })
    ));
}

#[test]
fn deep_schemas_are_refused_without_overflowing_the_stack() {
    // 100 000 nested Option schema nodes: the decoder stops at its depth limit.
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(|| {
            let mut bytes = save_to_mem(0, &0u8).unwrap()[..16].to_vec();
            bytes.extend(std::iter::repeat_n(7u8, 100_000));
            assert!(matches!(
                load_from_mem::<u8>(&bytes, 0),
                Err(SavefileError::DepthLimitExceeded { .. })
            ));
        })
        .unwrap()
        .join()
        .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        load_every_way(&bytes);
        let mut framed = save_to_mem(0, &0u8).unwrap()[..16].to_vec();
        framed.extend_from_slice(&bytes);
        load_every_way(&framed);
    }

    #[test]
    fn corrupted_files_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        for with_schema in [true, false] {
            let mut bytes = if with_schema {
                save_to_mem(0, &rich()).unwrap()
            } else {
                let mut b = Vec::new();
                save_noschema(&mut b, 0, &rich()).unwrap();
                b
            };
            for (at, byte, kind) in &edits {
                let i = at.index(bytes.len());
                match kind {
                    0 => bytes[i] = *byte,
                    1 => bytes.insert(i, *byte),
                    _ => { bytes.remove(i); }
                }
            }
            load_every_way(&bytes);
        }
    }
}
