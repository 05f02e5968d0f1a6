//! Dynamic loads (`load_dynamic`): every compatibility fixture with a schema decodes, and
//! values of derived and ecosystem types saved by typed saves decode to the expected tree.

use std::path::PathBuf;

use savefile::prelude::*;
use savefile::{load_dynamic_file, load_dynamic_from_mem, Value};

fn fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compat");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.ends_with(".schema.sav") || name.ends_with(".bz2.sav")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_fixture_with_a_schema_decodes() {
    let files = fixtures();
    assert!(files.len() > 200, "{}", files.len());
    let mut failures = Vec::new();
    for path in &files {
        if let Err(e) = load_dynamic_file(path) {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn decoded<T: WithSchema + Serialize>(value: &T) -> Value {
    let file = save_to_mem(1, value).unwrap();
    let dynamic = load_dynamic_from_mem(&file).unwrap();
    assert_eq!(savefile::load_dynamic(&mut &file[..]).unwrap(), dynamic);
    dynamic.value
}

fn field<'a>(value: &'a Value, name: &str) -> &'a Value {
    match value.get(name) {
        Some(savefile::ValueRef::Value(v)) => v,
        other => panic!("no field {name} in {value:?}: {other:?}"),
    }
}

#[derive(Savefile, Debug, PartialEq)]
enum Shape {
    Empty,
    Circle { radius: f32 },
    Polygon(Vec<(i32, i32)>),
}

#[derive(Savefile, Debug, PartialEq)]
enum List {
    Cons(u32, Box<List>),
    Nil,
}

#[derive(Savefile, Debug, PartialEq)]
struct Tree {
    label: String,
    children: Vec<Tree>,
}

#[derive(Savefile, Debug, PartialEq)]
struct Wrapper {
    outers: Vec<Outer>,
}

#[derive(Savefile, Debug, PartialEq)]
struct Outer {
    wrapper: Option<Box<Wrapper>>,
    id: u8,
}

#[test]
fn enums_with_fields() {
    let shapes = vec![
        Shape::Empty,
        Shape::Circle { radius: 2.5 },
        Shape::Polygon(vec![(1, 2)]),
    ];
    let Value::Seq(items) = decoded(&shapes) else {
        panic!()
    };
    let variant = |v: &Value| match v {
        Value::Enum { name, variant, .. } => format!("{name}::{variant}"),
        other => panic!("{other:?}"),
    };
    assert_eq!(variant(&items[0]), "Shape::Empty");
    assert_eq!(variant(&items[1]), "Shape::Circle");
    assert_eq!(field(&items[1], "radius"), &Value::F32(2.5));
    let Value::Seq(points) = field(&items[2], "0") else {
        panic!()
    };
    assert_eq!(field(&points[0], "1"), &Value::Int(2));
}

#[test]
fn recursion_through_boxes_vectors_and_options() {
    let list = List::Cons(1, Box::new(List::Cons(2, Box::new(List::Nil))));
    let value = decoded(&list);
    assert_eq!(field(&value, "0"), &Value::UInt(1));
    let second = field(&value, "1");
    assert_eq!(field(second, "0"), &Value::UInt(2));
    assert!(matches!(field(second, "1"), Value::Enum { variant, .. } if &**variant == "Nil"));

    let leaf = |label: &str| Tree {
        label: label.into(),
        children: vec![],
    };
    let tree = Tree {
        label: "root".into(),
        children: vec![Tree {
            label: "a".into(),
            children: vec![
                leaf("a1"),
                Tree {
                    label: "a2".into(),
                    children: vec![leaf("a2x")],
                },
            ],
        }],
    };
    let value = decoded(&tree);
    let path = ["children", "0", "children", "1", "children", "0", "label"];
    let mut at = value.clone();
    for step in path {
        at = value_at(&at, step);
    }
    assert_eq!(at, Value::Str("a2x".into()));

    let nested = Wrapper {
        outers: vec![Outer {
            wrapper: Some(Box::new(Wrapper {
                outers: vec![Outer {
                    wrapper: None,
                    id: 9,
                }],
            })),
            id: 1,
        }],
    };
    let value = decoded(&nested);
    let mut at = value.clone();
    for step in ["outers", "0", "wrapper", "outers", "0", "id"] {
        at = value_at(&at, step);
    }
    assert_eq!(at, Value::UInt(9));
}

fn value_at(value: &Value, step: &str) -> Value {
    value
        .get(step)
        .unwrap_or_else(|| panic!("no {step} in {value:?}"))
        .to_value()
}

#[test]
fn bit_vectors_sets_and_timestamps() {
    let mut bits = bit_vec::BitVec::from_elem(11, false);
    bits.set(0, true);
    bits.set(9, true);
    match decoded(&bits) {
        Value::Bits { len, bytes } => {
            assert_eq!(len, 11);
            assert_eq!(&bytes[..2], &[0b0000_0001, 0b0000_0010]);
        }
        other => panic!("{other:?}"),
    }
    let set: bit_set::BitSet = [3usize, 5].into_iter().collect();
    assert!(matches!(decoded(&set), Value::Bits { bytes, .. } if bytes[0] == 0b0010_1000));
    let time = chrono::DateTime::from_timestamp_nanos(1_700_000_000_123_456_789);
    assert_eq!(decoded(&time), Value::Timestamp(1_700_000_000_123_456_789));
}

#[test]
fn maps_and_packed_structs() {
    let map: std::collections::HashMap<String, Vec<f32>> =
        [("xs".to_string(), vec![1.0, 2.0])].into();
    assert_eq!(
        decoded(&map),
        Value::Map(vec![(Value::Str("xs".into()), Value::F32s(vec![1.0, 2.0]))])
    );
    let index: indexmap::IndexMap<u8, bool> = [(1, true), (2, false)].into_iter().collect();
    assert_eq!(
        decoded(&index),
        Value::Map(vec![
            (Value::UInt(1), Value::Bool(true)),
            (Value::UInt(2), Value::Bool(false))
        ])
    );
    let logs = savefile_test::datasets::log::generate();
    let value = decoded(&logs);
    let first = value_at(&value_at(&value, "logs"), "0");
    assert_eq!(
        value_at(&first, "code"),
        Value::UInt(logs.logs[0].code.into())
    );
    assert_eq!(
        value_at(&first, "request"),
        Value::Str(logs.logs[0].request.clone())
    );
    let ip: std::net::SocketAddr = "[::1]:8080".parse().unwrap();
    assert_eq!(value_at(&decoded(&ip), "port"), Value::UInt(8080));
    let result: Result<String, u8> = Err(3);
    assert!(matches!(decoded(&result), Value::Enum { variant, .. } if &*variant == "Err"));
}
