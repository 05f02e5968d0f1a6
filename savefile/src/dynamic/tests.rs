//! Dynamic loads of values saved by typed saves, for the std types (derived types and
//! the ecosystem's are in `savefile-test/tests/dynamic.rs`).

use std::collections::BTreeMap;

use super::*;
use crate::{save_noschema, save_to_mem, Canary1, Serialize, WithSchema};

fn decoded<T: WithSchema + Serialize>(value: &T) -> Value {
    let file = save_to_mem(1, value).unwrap();
    let dynamic = load_dynamic_from_mem(&file).unwrap();
    let streamed = load_dynamic(&mut &file[..]).unwrap();
    assert_eq!(dynamic, streamed);
    dynamic.value
}

fn fields(value: &Value) -> Vec<Value> {
    match value {
        Value::Struct { fields, .. } => fields.iter().map(|(_, v)| v.clone()).collect(),
        other => panic!("not a struct: {other:?}"),
    }
}

#[test]
fn primitives() {
    assert_eq!(decoded(&true), Value::Bool(true));
    assert_eq!(decoded(&-5i8), Value::Int(-5));
    assert_eq!(decoded(&u128::MAX), Value::UInt(u128::MAX));
    assert_eq!(decoded(&i128::MIN), Value::Int(i128::MIN));
    assert_eq!(decoded(&7usize), Value::UInt(7));
    assert_eq!(decoded(&1.25f32), Value::F32(1.25));
    assert_eq!(decoded(&-0.5f64), Value::F64(-0.5));
    assert_eq!(decoded(&'é'), Value::Char('é'));
    assert_eq!(decoded(&"text".to_string()), Value::Str("text".into()));
    assert_eq!(decoded(&()), Value::Unit);
    assert_eq!(decoded(&Canary1::default()), Value::Canary);
}

#[test]
fn packed_vectors_and_arrays_decode_in_bulk() {
    assert_eq!(decoded(&vec![1u8, 2, 3]), Value::Bytes(vec![1, 2, 3]));
    assert_eq!(decoded(&vec![1.5f32; 3]), Value::F32s(vec![1.5; 3]));
    assert_eq!(decoded(&[-1i16, 2]), Value::I16s(vec![-1, 2]));
    assert_eq!(decoded(&vec![u64::MAX]), Value::U64s(vec![u64::MAX]));
    assert_eq!(decoded(&Vec::<f64>::new()), Value::F64s(vec![]));
    // Larger than a stream's buffer: read in chunks from a stream.
    let big: Vec<f32> = (0..100_000).map(|i| i as f32).collect();
    assert_eq!(decoded(&big), Value::F32s(big.clone()));
}

#[test]
fn sequences_options_maps_and_tuples() {
    assert_eq!(
        decoded(&vec!["a".to_string(), "b".to_string()]),
        Value::Seq(vec![Value::Str("a".into()), Value::Str("b".into())])
    );
    assert_eq!(
        decoded(&[true, false]),
        Value::Array(vec![Value::Bool(true), Value::Bool(false)])
    );
    assert_eq!(decoded(&None::<u32>), Value::Option(None));
    assert_eq!(
        decoded(&Some(3u32)),
        Value::Option(Some(Box::new(Value::UInt(3))))
    );
    let map: BTreeMap<String, u16> = [("x".to_string(), 1), ("y".to_string(), 2)].into();
    assert_eq!(
        decoded(&map),
        Value::Map(vec![
            (Value::Str("x".into()), Value::UInt(1)),
            (Value::Str("y".into()), Value::UInt(2)),
        ])
    );
    let tuple = decoded(&(1u8, "two".to_string()));
    assert_eq!(
        fields(&tuple),
        vec![Value::UInt(1), Value::Str("two".into())]
    );
    let Value::Struct { name, .. } = &tuple else {
        unreachable!()
    };
    assert_eq!(&**name, "2-Tuple");
}

/// Found by the `load_dynamic` fuzz target: a file whose `Result` is renamed in its
/// schema loads with its types (the check ignores the name), so the dynamic decode must
/// recognise the result by its shape and read `Ok`'s tag as `Ok`.
#[test]
fn a_renamed_result_is_still_a_result() {
    let ok: Result<u32, String> = Ok(4);
    let mut bytes = crate::save_to_mem(0, &ok).unwrap();
    let at = bytes
        .windows(6)
        .position(|w| w == b"Result")
        .expect("the schema names the enum");
    bytes[at + 4] = b't';
    assert!(crate::load_from_mem::<Result<u32, String>>(&bytes, 0).is_ok());
    match crate::load_dynamic_from_mem(&bytes).unwrap().value {
        Value::Enum {
            name,
            variant,
            fields,
        } => {
            assert_eq!((&*name, &*variant), ("Resutt", "Ok"));
            assert_eq!(fields[0].1, Value::UInt(4));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn results_are_enums_with_fields() {
    let ok: Result<u32, String> = Ok(4);
    match decoded(&ok) {
        Value::Enum {
            name,
            variant,
            fields,
        } => {
            assert_eq!((&*name, &*variant), ("Result", "Ok"));
            assert_eq!(fields[0].1, Value::UInt(4));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn recursion_through_a_vector() {
    // Vec<Vec<..>> of a recursive shape cannot be written without a derive; the schema
    // of a file is enough: a hand-made one whose vector element refers back to itself.
    use crate::{Field, SchemaStruct, VecOrStringLayout};
    let tree = Schema::Struct(SchemaStruct::new(
        "Tree".into(),
        vec![
            Field::new("label".into(), Box::new(Schema::string())),
            Field::new(
                "children".into(),
                Box::new(Schema::Vector(
                    Box::new(Schema::Recursion(1)),
                    VecOrStringLayout::Unknown,
                )),
            ),
        ],
    ));
    let schema = Schema::Vector(Box::new(tree), VecOrStringLayout::Unknown);
    let mut file = save_to_mem(0, &()).unwrap();
    file.truncate(HEADER_LEN);
    file.extend(crate::schema::encode_schema(&schema).unwrap());
    // One tree: "a" with children "b" (no children) and "c" (no children).
    let mut data = Vec::new();
    let leaf = |data: &mut Vec<u8>, label: &str, children: u64| {
        data.extend((label.len() as u64).to_le_bytes());
        data.extend(label.as_bytes());
        data.extend(children.to_le_bytes());
    };
    data.extend(1u64.to_le_bytes());
    leaf(&mut data, "a", 2);
    leaf(&mut data, "b", 0);
    leaf(&mut data, "c", 0);
    file.extend(&data);
    let value = load_dynamic_from_mem(&file).unwrap().value;
    let Value::Seq(trees) = value else { panic!() };
    let root = fields(&trees[0]);
    assert_eq!(root[0], Value::Str("a".into()));
    let Value::Seq(children) = &root[1] else {
        panic!()
    };
    assert_eq!(fields(&children[1])[0], Value::Str("c".into()));
    // Nesting deeper than the limit is refused, not a stack overflow.
    let mut deep = Vec::new();
    deep.extend(1u64.to_le_bytes());
    for _ in 0..2000 {
        leaf(&mut deep, "x", 1);
    }
    leaf(&mut deep, "x", 0);
    let mut file = file[..file.len() - data.len()].to_vec();
    file.extend(&deep);
    let error = load_dynamic_from_mem(&file).unwrap_err();
    assert!(
        matches!(error.error, SavefileError::DepthLimitExceeded { .. }),
        "{error}"
    );
    assert!(
        error.path.starts_with("./0/children/0/children/0"),
        "{error}"
    );
}

#[test]
fn errors_say_where() {
    let file = save_to_mem(0, &vec!["ok".to_string(), "bad".to_string()]).unwrap();
    let mut broken = file.clone();
    let last = broken.len() - 1;
    broken[last] = 0xff;
    let error = load_dynamic_from_mem(&broken).unwrap_err();
    assert_eq!(error.part, FilePart::Data);
    assert_eq!(error.path, "./1");
    assert!(matches!(error.error, SavefileError::InvalidUtf8 { .. }));
    assert!(error.to_string().contains("`./1`"), "{error}");
    // Every truncation is an error, never a panic.
    for len in 0..file.len() {
        assert!(load_dynamic_from_mem(&file[..len]).is_err());
        assert!(load_dynamic(&mut &file[..len]).is_err());
    }
    let mut longer = file.clone();
    longer.push(0);
    assert!(matches!(
        load_dynamic_from_mem(&longer).unwrap_err().error,
        SavefileError::TrailingBytes { count: 1 }
    ));
}

#[test]
fn files_without_a_schema_are_explained() {
    let mut file = Vec::new();
    save_noschema(&mut file, 0, &(12345u32, "hello".to_string())).unwrap();
    let error = load_dynamic_from_mem(&file).unwrap_err();
    assert!(error.may_lack_schema(), "{error:?}");
    assert!(error.to_string().contains("without a schema"), "{error}");
}

#[test]
fn headers_and_schemas_alone() {
    let file = save_to_mem(9, &vec![1u32; 1000]).unwrap();
    let header = read_header(&mut &file[..]).unwrap();
    assert_eq!((header.format_version, header.data_version), (2, 9));
    assert!(!header.compressed);
    let mut rest = &file[..];
    let found = load_dynamic_schema(&mut rest, &LoadOptions::default()).unwrap();
    assert_eq!(found.schema, crate::get_schema::<Vec<u32>>(9));
    assert_eq!(found.schema_len, 4);
    // The reader is left at the data.
    assert_eq!(rest.len(), 8 + 4000);
    assert!(matches!(
        read_header(&mut &b"PK\x03\x04 not a save"[..]),
        Err(SavefileError::NotASavefile)
    ));
}

#[test]
fn limits_apply() {
    let file = save_to_mem(0, &vec![0u64; 1000]).unwrap();
    let options = LoadOptions::default().max_bytes(4096);
    assert!(matches!(
        load_dynamic_from_mem_with(&file, &options)
            .unwrap_err()
            .error,
        SavefileError::MemoryLimitExceeded { .. }
    ));
    // A count that the input cannot hold is refused before anything is allocated.
    let mut huge = save_to_mem(0, &vec!["x".to_string()]).unwrap();
    let count_at = huge.len() - 8 - 1 - 8;
    huge[count_at..count_at + 8].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(matches!(
        load_dynamic_from_mem(&huge).unwrap_err().error,
        SavefileError::LengthTooLarge { .. }
    ));
    assert!(load_dynamic(&mut &huge[..]).is_err());
}

#[cfg(feature = "compression")]
#[test]
fn compressed_files() {
    let value = (5u32, vec![1.0f64, 2.0]);
    let mut file = Vec::new();
    crate::save_compressed(&mut file, 2, &value).unwrap();
    let plain = decoded(&value);
    assert_eq!(load_dynamic_from_mem(&file).unwrap().value, plain);
    assert_eq!(load_dynamic(&mut &file[..]).unwrap().value, plain);
    let found = load_dynamic_schema(&mut &file[..], &LoadOptions::default()).unwrap();
    assert!(found.header.compressed);
    for len in 0..file.len() {
        assert!(load_dynamic_from_mem(&file[..len]).is_err());
    }
}
