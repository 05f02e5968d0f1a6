//! Golden bytes: whole files for representative values, spelled out byte by byte from
//! docs/format.md. A change here is a format change and belongs under "Format" in the
//! changelog.

use savefile::prelude::*;
use savefile_test::hex;

const HEADER_V1: [u8; 16] = [
    0x73, 0x61, 0x76, 0x65, 0x66, 0x69, 0x6C, 0x65, 0x00, // "savefile\0"
    0x02, 0x00, // format version 2
    0x01, 0x00, 0x00, 0x00, // data version 1
    0x00, // not compressed
];

fn u64le(n: u64) -> Vec<u8> {
    n.to_le_bytes().to_vec()
}

fn string(s: &str) -> Vec<u8> {
    let mut out = u64le(s.len() as u64);
    out.extend_from_slice(s.as_bytes());
    out
}

fn assert_bytes(actual: &[u8], expected: &[u8]) {
    assert_eq!(
        actual,
        expected,
        "\nactual:   {}\nexpected: {}",
        hex(actual),
        hex(expected)
    );
}

type Sample = (u32, Option<String>, Vec<u16>);

fn sample() -> Sample {
    (7, Some("ab".to_string()), vec![1, 2])
}

/// A layout value: `Some(n)` as an `Option<usize>`.
fn layout(n: usize) -> Vec<u8> {
    let mut out = vec![1];
    out.extend(u64le(n as u64));
    out
}

fn sample_schema() -> Vec<u8> {
    use std::mem::{align_of, offset_of, size_of};
    // A tuple records its memory layout as savefile 0.20 does; the values are the
    // compiler's, which may reorder a tuple's elements.
    let mut s = vec![1]; // struct
    s.extend(string("3-Tuple"));
    s.extend(u64le(3)); // fields
    s.extend(layout(size_of::<Sample>()));
    s.extend(layout(align_of::<Sample>()));
    s.extend(string("0"));
    s.extend([3, 6]); // primitive u32
    s.extend(layout(offset_of!(Sample, 0)));
    s.extend(string("1"));
    s.extend([7, 3, 9, 0]); // option of primitive string, layout unknown
    s.extend(layout(offset_of!(Sample, 1)));
    s.extend(string("2"));
    s.extend([4, 3, 4, 0]); // vector of primitive u16, layout unknown
    s.extend(layout(offset_of!(Sample, 2)));
    s
}

fn sample_data() -> Vec<u8> {
    let mut d = vec![7, 0, 0, 0]; // u32
    d.push(1); // Some
    d.extend(string("ab"));
    d.extend(u64le(2)); // two elements
    d.extend([1, 0, 2, 0]);
    d
}

#[test]
fn a_file_with_schema() {
    let mut expected = HEADER_V1.to_vec();
    expected.extend(sample_schema());
    expected.extend(sample_data());
    assert_bytes(&save_to_mem(1, &sample()).unwrap(), &expected);
    assert_eq!(load_from_mem::<Sample>(&expected, 1).unwrap(), sample());
}

#[test]
fn a_file_without_schema() {
    let mut expected = HEADER_V1.to_vec();
    expected.extend(sample_data());
    let mut actual = Vec::new();
    save_noschema(&mut actual, 1, &sample()).unwrap();
    assert_bytes(&actual, &expected);
    assert_eq!(
        load_from_mem_noschema::<Sample>(&expected, 1).unwrap(),
        sample()
    );
}

#[test]
fn a_compressed_file_is_the_header_then_bzip2() {
    let mut actual = Vec::new();
    save_compressed(&mut actual, 1, &sample()).unwrap();
    let mut header = HEADER_V1;
    header[15] = 1;
    assert_bytes(&actual[..16], &header);
    assert_eq!(&actual[16..19], b"BZh", "a bzip2 stream starts with BZh");
    assert_eq!(load_from_mem::<Sample>(&actual, 1).unwrap(), sample());
}

#[test]
fn results_maps_and_times() {
    let ok: Result<u8, String> = Ok(5);
    let err: Result<u8, String> = Err("no".into());
    let mut bare = Vec::new();
    save_noschema(&mut bare, 1, &(ok, err)).unwrap();
    let mut expected = HEADER_V1.to_vec();
    expected.extend([1, 5]); // Ok is tag 1
    expected.push(0); // Err is tag 0
    expected.extend(string("no"));
    assert_bytes(&bare, &expected);

    let map = std::collections::BTreeMap::from([(1u8, 'a'), (2u8, 'b')]);
    let mut bare = Vec::new();
    save_noschema(&mut bare, 1, &map).unwrap();
    let mut expected = HEADER_V1.to_vec();
    expected.extend(u64le(2));
    expected.extend([1, b'a', 0, 0, 0, 2, b'b', 0, 0, 0]);
    assert_bytes(&bare, &expected);

    let before_epoch = std::time::UNIX_EPOCH - std::time::Duration::from_nanos(5);
    let after_epoch = std::time::UNIX_EPOCH + std::time::Duration::from_nanos(5);
    let mut bare = Vec::new();
    save_noschema(&mut bare, 1, &(before_epoch, after_epoch)).unwrap();
    let mut expected = HEADER_V1.to_vec();
    expected.extend(((1u128 << 127) | 5).to_le_bytes());
    expected.extend(5u128.to_le_bytes());
    assert_bytes(&bare, &expected);
}

#[test]
fn map_and_result_schemas() {
    let mut expected = vec![4, 1]; // vector of struct
    expected.extend(string("KeyValuePair"));
    expected.extend(u64le(2));
    expected.extend([0, 0]);
    expected.extend(string("key"));
    expected.extend([3, 2, 0]); // u8
    expected.extend(string("value"));
    expected.extend([3, 16, 0]); // char
    expected.push(0); // layout unknown
    let mut actual = Vec::new();
    save(
        &mut actual,
        1,
        &std::collections::HashMap::<u8, char>::new(),
    )
    .unwrap();
    assert_bytes(&actual[16..actual.len() - 8], &expected);
}
