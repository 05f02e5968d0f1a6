//! Derived types and tuples gather rows of small fixed-size fields (primitives of up to
//! 8 bytes, fieldless enums, tuples of them) into one write of up to 8 bytes
//! (`savefile::__private::write_field`). These tests check that the bytes are exactly
//! the ones writing field by field gives: rows longer than 8 bytes, rows broken by
//! strings, options, wide integers, versioned fields and ignored fields, in every
//! version, and inside enum variants.

use proptest::prelude::*;
use savefile::prelude::*;
use savefile::{save_noschema, Serializer};

/// A fieldless enum written in every version: gathered with its neighbours.
#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
enum Kind {
    Boat,
    Plane,
    Submarine,
}

/// A fieldless enum with a versioned variant: written on its own (it may refuse).
#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
enum Late {
    Early,
    #[savefile_versions = "1.."]
    Later,
}

/// Every small primitive, in rows that overflow 8 bytes, broken by every kind of
/// field that is not gathered.
#[derive(Savefile, Debug, PartialEq, Clone)]
struct Row {
    a: u8,
    b: i16,
    c: u32,
    d: bool,
    e: f64,
    f: (u8, u16),
    kind: Kind,
    g: char,
    name: String,
    h: i8,
    h2: u8,
    wide: u128,
    i: f32,
    #[savefile_versions = "1.."]
    added: u16,
    j: usize,
    #[savefile_ignore]
    cache: u64,
    k: isize,
    late: Late,
    l: u16,
    maybe: Option<u16>,
    mixed: (u8, String, i32),
    m: i64,
    n: u64,
}

/// Gathering inside enum variants.
#[derive(Savefile, Debug, PartialEq, Clone)]
enum Shape {
    Empty,
    Point(u8, u16, u32),
    Named {
        id: u16,
        label: String,
        scale: f32,
        flag: bool,
    },
}

/// The bytes of `value` written on its own, with nothing gathered around it.
fn alone<T: Serialize + ?Sized>(value: &T, version: u32) -> Vec<u8> {
    let mut out = Vec::new();
    value
        .serialize(&mut Serializer::new(&mut out, version))
        .unwrap();
    out
}

/// `Row`'s bytes written field by field, by hand.
fn row_by_hand(row: &Row, version: u32) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(alone(&row.a, version));
    out.extend(alone(&row.b, version));
    out.extend(alone(&row.c, version));
    out.extend(alone(&row.d, version));
    out.extend(alone(&row.e, version));
    out.extend(alone(&row.f.0, version));
    out.extend(alone(&row.f.1, version));
    out.push(row.kind as u8);
    out.extend(alone(&row.g, version));
    out.extend(alone(&row.name, version));
    out.extend(alone(&row.h, version));
    out.extend(alone(&row.h2, version));
    out.extend(alone(&row.wide, version));
    out.extend(alone(&row.i, version));
    if version >= 1 {
        out.extend(alone(&row.added, version));
    }
    out.extend(alone(&row.j, version));
    out.extend(alone(&row.k, version));
    out.push(row.late as u8);
    out.extend(alone(&row.l, version));
    out.extend(alone(&row.maybe, version));
    out.extend(alone(&row.mixed.0, version));
    out.extend(alone(&row.mixed.1, version));
    out.extend(alone(&row.mixed.2, version));
    out.extend(alone(&row.m, version));
    out.extend(alone(&row.n, version));
    out
}

fn shape_by_hand(shape: &Shape) -> Vec<u8> {
    let mut out = Vec::new();
    match shape {
        Shape::Empty => out.push(0),
        Shape::Point(a, b, c) => {
            out.push(1);
            out.extend(alone(a, 0));
            out.extend(alone(b, 0));
            out.extend(alone(c, 0));
        }
        Shape::Named {
            id,
            label,
            scale,
            flag,
        } => {
            out.push(2);
            out.extend(alone(id, 0));
            out.extend(alone(label, 0));
            out.extend(alone(scale, 0));
            out.extend(alone(flag, 0));
        }
    }
    out
}

/// The data bytes `save_noschema` writes for `value` (through the save functions'
/// staging buffer), without the file header.
fn saved<T: WithSchema + Serialize>(value: &T, version: u32) -> Vec<u8> {
    let mut header = Vec::new();
    save_noschema(&mut header, version, &()).unwrap();
    let mut out = Vec::new();
    save_noschema(&mut out, version, value).unwrap();
    assert_eq!(out[..header.len()], header[..]);
    out.split_off(header.len())
}

prop_compose! {
    fn rows()(
        (a, b, c, d, e) in (any::<u8>(), any::<i16>(), any::<u32>(), any::<bool>(), any::<f64>()),
        (f, kind, g, name) in ((any::<u8>(), any::<u16>()), 0..3u8, any::<char>(), "[a-zé]{0,20}"),
        (h, h2, wide, i, added, j) in (
            any::<i8>(), any::<u8>(), any::<u128>(), any::<f32>(), any::<u16>(), any::<usize>(),
        ),
        (k, l, maybe, mixed, m, n) in (
            any::<isize>(), any::<u16>(), any::<Option<u16>>(),
            (any::<u8>(), "[a-z]{0,5}", any::<i32>()), any::<i64>(), any::<u64>(),
        ),
    ) -> Row {
        let kind = [Kind::Boat, Kind::Plane, Kind::Submarine][kind as usize];
        Row {
            a, b, c, d, e, f, kind, g, name, h, h2, wide, i, added, j, cache: 0, k,
            late: Late::Early, l, maybe, mixed, m, n,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn gathered_rows_are_the_field_by_field_bytes(row in rows()) {
        for version in [0, 1] {
            prop_assert_eq!(saved(&row, version), row_by_hand(&row, version), "version {}", version);
        }
        let mut file = Vec::new();
        save_noschema(&mut file, 1, &row).unwrap();
        let back: Row = savefile::load_from_mem_noschema(&file, 1).unwrap();
        // NaN is not equal to itself: compare the bytes of what came back instead.
        prop_assert_eq!(saved(&back, 1), saved(&row, 1));
    }

    #[test]
    fn gathered_variant_fields_are_the_field_by_field_bytes(
        a in any::<u8>(), b in any::<u16>(), c in any::<u32>(), label in "[a-z]{0,9}",
        scale in any::<f32>(), flag in any::<bool>(),
    ) {
        for shape in [
            Shape::Empty,
            Shape::Point(a, b, c),
            Shape::Named { id: b, label: label.clone(), scale, flag },
        ] {
            prop_assert_eq!(saved(&shape, 0), shape_by_hand(&shape));
        }
    }

    #[test]
    fn gathered_tuples_are_the_element_by_element_bytes(
        t in (any::<u8>(), any::<i16>(), any::<u32>(), any::<bool>(), any::<u64>(), any::<char>()),
        signed in (any::<i32>(), any::<u16>(), any::<i8>(), any::<u8>()),
    ) {
        // Signed values followed by more bytes of the same write.
        let by_hand = [alone(&signed.0, 0), alone(&signed.1, 0), alone(&signed.2, 0), alone(&signed.3, 0)].concat();
        prop_assert_eq!(saved(&signed, 0), by_hand);
        let by_hand = [
            alone(&t.0, 0), alone(&t.1, 0), alone(&t.2, 0),
            alone(&t.3, 0), alone(&t.4, 0), alone(&t.5, 0),
        ]
        .concat();
        prop_assert_eq!(saved(&t, 0), by_hand);
        // A tuple of at most 8 bytes is gathered as a whole by its neighbours.
        let nested = ((t.0, t.1), (t.2, t.3), t.4);
        let by_hand = [
            alone(&t.0, 0), alone(&t.1, 0), alone(&t.2, 0), alone(&t.3, 0), alone(&t.4, 0),
        ]
        .concat();
        prop_assert_eq!(saved(&nested, 0), by_hand);
    }
}

#[test]
fn a_versioned_variant_is_still_refused_where_it_did_not_exist() {
    let row = Row {
        late: Late::Later,
        ..rows_example()
    };
    let mut out = Vec::new();
    assert!(matches!(
        save_noschema(&mut out, 0, &row),
        Err(SavefileError::NotInVersion { .. })
    ));
    assert_eq!(saved(&row, 1), row_by_hand(&row, 1));
}

fn rows_example() -> Row {
    Row {
        a: 1,
        b: -2,
        c: 3,
        d: true,
        e: 0.5,
        f: (6, 7),
        kind: Kind::Plane,
        g: 'é',
        name: "row".into(),
        h: -9,
        h2: 10,
        wide: u128::MAX - 10,
        i: 1.5,
        added: 12,
        j: 13,
        cache: 99,
        k: -14,
        late: Late::Early,
        l: 15,
        maybe: Some(16),
        mixed: (17, "x".into(), -18),
        m: -19,
        n: 20,
    }
}
