//! The packed fast path: which types are copied as raw bytes (for which versions), that
//! the bulk bytes are exactly the field-by-field bytes, and that every copied value is
//! checked before it exists.

#![allow(unsafe_code)]

use proptest::prelude::*;
use savefile::__private::{bulk_copy, BulkCopy};
use savefile::prelude::*;

/// Plain (`repr_c_optimization_safe` says yes), checked, or element by element.
fn verdict<T: Packed>(version: u32) -> BulkCopy {
    let plain = {
        // SAFETY: asking only.
        unsafe { T::repr_c_optimization_safe(version) }.is_yes()
    };
    let bulk = bulk_copy::<T>(version);
    assert_eq!(plain, bulk == BulkCopy::Plain, "the two answers disagree");
    bulk
}

// The types of the reference document's "Speeding things up" chapter.
#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(C)]
struct Position {
    x: u32,
    y: u32,
}

#[derive(Savefile)]
#[repr(C)]
struct Bad {
    f1: u8,
    f2: u32,
}

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(C)]
struct Good {
    f1: u8,
    pad1: u8,
    pad2: u8,
    pad3: u8,
    f2: u32,
}

#[derive(Savefile)]
#[repr(C)]
struct Bad2 {
    f1: u32,
    f2: u8,
}

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
enum BadEnum1 {
    Variant1,
    Variant2,
}

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(u8)]
enum GoodEnum1 {
    Variant1,
    Variant2,
}

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(u8)]
enum GoodEnum2 {
    Variant1(u8),
    Variant2(u8),
}

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(u8)]
enum BadEnum2 {
    Variant1,
    Variant2(u8),
}

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(u8)]
enum BadEnum2Fixed {
    Variant1 { padding: u8 },
    Variant2(u8),
}

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(u8)]
enum GoodEnum3 {
    Variant1 { x: u8, y: u16, z: u16, w: u16 },
    Variant2 { x: u8, y: u16, z: u32 },
}

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(u8, C)]
enum BadEnum3 {
    Variant1 { x: u8, y: u16, z: u16, w: u16 },
    Variant2 { x: u8, y: u16, z: u32 },
}

#[test]
fn the_reference_documents_types() {
    assert_eq!(verdict::<Position>(0), BulkCopy::Plain);
    assert_eq!(verdict::<Bad>(0), BulkCopy::No);
    assert_eq!(verdict::<Good>(0), BulkCopy::Plain);
    assert_eq!(verdict::<Bad2>(0), BulkCopy::No);
    assert_eq!(verdict::<BadEnum1>(0), BulkCopy::No);
    // Enums are copied in bulk with their tag checked: never plain.
    assert_eq!(verdict::<GoodEnum1>(0), BulkCopy::Checked);
    assert_eq!(verdict::<GoodEnum2>(0), BulkCopy::Checked);
    assert_eq!(verdict::<BadEnum2>(0), BulkCopy::No);
    assert_eq!(verdict::<BadEnum2Fixed>(0), BulkCopy::Checked);
    assert_eq!(verdict::<GoodEnum3>(0), BulkCopy::Checked);
    assert_eq!(verdict::<BadEnum3>(0), BulkCopy::No);
}

#[test]
fn primitives_tuples_arrays_and_nesting() {
    assert_eq!(verdict::<u8>(0), BulkCopy::Plain);
    assert_eq!(verdict::<i128>(0), BulkCopy::Plain);
    assert_eq!(verdict::<f64>(0), BulkCopy::Plain);
    assert_eq!(verdict::<usize>(0), BulkCopy::No);
    assert_eq!(verdict::<bool>(0), BulkCopy::Checked);
    assert_eq!(verdict::<char>(0), BulkCopy::Checked);
    assert_eq!(
        verdict::<(u32, u32)>(0),
        BulkCopy::No,
        "tuples have no fixed layout"
    );
    assert_eq!(verdict::<[u16; 4]>(0), BulkCopy::Plain);
    assert_eq!(verdict::<[bool; 4]>(0), BulkCopy::Checked);
    assert_eq!(verdict::<[Position; 2]>(0), BulkCopy::Plain);
    assert_eq!(verdict::<Option<u8>>(0), BulkCopy::No);
    assert_eq!(verdict::<String>(0), BulkCopy::No);

    #[derive(Savefile, Clone, Copy)]
    #[repr(C)]
    struct Nested {
        a: Position,
        b: [u8; 8],
        flag: bool,
        kind: GoodEnum1,
        pad: [u8; 2],
    }
    assert_eq!(verdict::<Nested>(0), BulkCopy::Checked);

    #[derive(Savefile)]
    #[repr(C)]
    struct WithIgnored {
        a: u32,
        #[savefile_ignore]
        cache: u32,
    }
    assert_eq!(verdict::<WithIgnored>(0), BulkCopy::No);

    // Without #[repr(C)] the layout is measured as the compiler chose it, as savefile
    // 0.20 does: two u32 stay in order with no padding...
    #[derive(Savefile)]
    struct NotReprC {
        a: u32,
        b: u32,
    }
    assert_eq!(verdict::<NotReprC>(0), BulkCopy::Plain);
    // ...while these are reordered (and padded) by the compiler: not in declaration order.
    #[derive(Savefile)]
    struct Reordered {
        a: u8,
        b: u32,
        c: u8,
    }
    assert_eq!(verdict::<Reordered>(0), BulkCopy::No);
}

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(C)]
struct Wrapper<T> {
    tag: u8,
    value: T,
}

#[test]
fn generic_structs_are_measured_per_instance() {
    assert_eq!(verdict::<Wrapper<u8>>(0), BulkCopy::Plain);
    // A u16 after a u8 leaves a byte of padding.
    assert_eq!(verdict::<Wrapper<u16>>(0), BulkCopy::No);
    assert_eq!(verdict::<Wrapper<bool>>(0), BulkCopy::Checked);
}

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(C)]
struct Evolving {
    a: u32,
    #[savefile_versions = "..0"]
    old: Removed<u32>,
    b: u32,
}

#[test]
fn packedness_is_per_version() {
    // Version 0 files hold `old` between a and b; memory does not.
    assert_eq!(verdict::<Evolving>(0), BulkCopy::No);
    assert_eq!(verdict::<Evolving>(1), BulkCopy::Plain);
    let value = vec![
        Evolving {
            a: 1,
            old: Removed::new(),
            b: 2
        };
        3
    ];
    let bytes = save_to_mem(1, &value).unwrap();
    assert_eq!(load_from_mem::<Vec<Evolving>>(&bytes, 1).unwrap(), value);

    #[derive(Savefile, Clone, Copy, Debug, PartialEq)]
    #[repr(u8)]
    enum Grows {
        A(u8),
        #[savefile_versions = "1.."]
        B(u8),
    }
    // A version-0 file cannot hold B: its tag is refused even in a bulk copy.
    let mut file = Vec::new();
    save_noschema(&mut file, 1, &vec![Grows::A(1), Grows::B(2)]).unwrap();
    file[11] = 0; // data version 0
    assert!(matches!(
        load_from_mem_noschema::<Vec<Grows>>(&file, 1),
        Err(SavefileError::InvalidTag {
            type_name: "Grows",
            tag: 1
        })
    ));
}

/// The field-by-field bytes: the count, then each element written on its own.
fn one_by_one<T: Serialize>(items: &[T]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut serializer = Serializer::new(&mut out, 0);
    serializer.write_usize(items.len()).unwrap();
    for item in items {
        item.serialize(&mut serializer).unwrap();
    }
    out
}

/// Bulk bytes equal field-by-field bytes, and bulk loads equal element-by-element loads.
fn same_both_ways<T>(items: &[T])
where
    T: Serialize + Deserialize + Packed + Clone + PartialEq + std::fmt::Debug,
{
    let mut bulk = Vec::new();
    save_noschema(&mut bulk, 0, &items.to_vec()).unwrap();
    let fields = one_by_one(items);
    assert_eq!(&bulk[16..], fields.as_slice());
    let mut deserializer = Deserializer::from_slice(&fields[8..], 0);
    let singly: Vec<T> = items
        .iter()
        .map(|_| T::deserialize(&mut deserializer).unwrap())
        .collect();
    assert_eq!(load_from_mem_noschema::<Vec<T>>(&bulk, 0).unwrap(), singly);
    assert_eq!(load_noschema::<Vec<T>>(&mut &bulk[..], 0).unwrap(), singly);
}

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(C)]
struct Particle {
    position: [f32; 3],
    alive: bool,
    kind: GoodEnum1,
    letter: [u8; 2],
    charge: i32,
}

fn particle() -> impl Strategy<Value = Particle> {
    (
        any::<[f32; 3]>(),
        any::<bool>(),
        any::<bool>(),
        any::<[u8; 2]>(),
        any::<i32>(),
    )
        .prop_map(|(position, alive, kind, letter, charge)| Particle {
            position,
            alive,
            kind: if kind {
                GoodEnum1::Variant1
            } else {
                GoodEnum1::Variant2
            },
            letter,
            charge,
        })
}

fn good_enum3() -> impl Strategy<Value = GoodEnum3> {
    prop_oneof![
        any::<(u8, u16, u16, u16)>().prop_map(|(x, y, z, w)| GoodEnum3::Variant1 { x, y, z, w }),
        any::<(u8, u16, u32)>().prop_map(|(x, y, z)| GoodEnum3::Variant2 { x, y, z }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn bulk_and_field_by_field_agree(
        positions in proptest::collection::vec(any::<(u32, u32)>(), 0..50),
        particles in proptest::collection::vec(particle(), 0..50),
        enums in proptest::collection::vec(good_enum3(), 0..50),
        flags in proptest::collection::vec(any::<bool>(), 0..50),
    ) {
        // NaN payloads compare unequal; the bytes are what matter, so map them to 0.
        let particles: Vec<Particle> = particles
            .into_iter()
            .map(|mut p| {
                for f in &mut p.position {
                    if f.is_nan() {
                        *f = 0.0;
                    }
                }
                p
            })
            .collect();
        same_both_ways(&positions.iter().map(|&(x, y)| Position { x, y }).collect::<Vec<_>>());
        same_both_ways(&particles);
        same_both_ways(&enums);
        same_both_ways(&flags);
    }
}

#[test]
fn invalid_bytes_in_bulk_copies_are_errors() {
    let particles = vec![
        Particle {
            position: [0.0; 3],
            alive: true,
            kind: GoodEnum1::Variant2,
            letter: *b"ab",
            charge: -1
        };
        3
    ];
    let mut file = Vec::new();
    save_noschema(&mut file, 0, &particles).unwrap();
    let second = 24 + std::mem::size_of::<Particle>();
    let alive_at = second + 12;
    let kind_at = second + 13;

    let mut bad_bool = file.clone();
    bad_bool[alive_at] = 3;
    assert!(matches!(
        load_from_mem_noschema::<Vec<Particle>>(&bad_bool, 0),
        Err(SavefileError::InvalidBool { value: 3 })
    ));
    assert!(load_noschema::<Vec<Particle>>(&mut &bad_bool[..], 0).is_err());

    let mut bad_tag = file.clone();
    bad_tag[kind_at] = 2;
    assert!(matches!(
        load_from_mem_noschema::<Vec<Particle>>(&bad_tag, 0),
        Err(SavefileError::InvalidTag {
            type_name: "GoodEnum1",
            tag: 2
        })
    ));
    assert!(load_noschema::<Vec<Particle>>(&mut &bad_tag[..], 0).is_err());

    let mut enums = Vec::new();
    save_noschema(&mut enums, 0, &vec![GoodEnum2::Variant1(1); 2]).unwrap();
    enums[24 + 2] = 9;
    assert!(matches!(
        load_from_mem_noschema::<Vec<GoodEnum2>>(&enums, 0),
        Err(SavefileError::InvalidTag {
            type_name: "GoodEnum2",
            tag: 9
        })
    ));
    assert_eq!(
        load_from_mem_noschema::<Vec<Particle>>(&file, 0).unwrap(),
        particles
    );
}
