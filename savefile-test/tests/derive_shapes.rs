//! Every shape the derive accepts saves and loads in every mode, with the bytes and
//! schemas of docs/format.md: structs of each kind, enums of each variant kind,
//! index widths fixed by `#[repr]` or by the variant count, generics and markers.

use std::borrow::Cow;
use std::marker::PhantomData;

use savefile::prelude::*;
use savefile_test::{hex, roundtrip};

/// The data bytes (after the 16-byte header) that `roundtrip` returns.
fn data<T>(value: &T) -> Vec<u8>
where
    T: WithSchema + Serialize + Deserialize + PartialEq + std::fmt::Debug,
{
    roundtrip(value).split_off(16)
}

fn string(s: &str) -> Vec<u8> {
    let mut out = (s.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(s.as_bytes());
    out
}

fn some_usize(n: usize) -> Vec<u8> {
    let mut out = vec![1];
    out.extend((n as u64).to_le_bytes());
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

#[derive(Savefile, Debug, PartialEq)]
struct Named {
    id: u16,
    label: String,
}

#[derive(Savefile, Debug, PartialEq)]
struct Tuple(i8, bool, char);

#[derive(Savefile, Debug, PartialEq)]
struct Unit;

#[derive(Savefile, Debug, PartialEq)]
struct Empty {}

#[test]
fn structs_of_every_kind() {
    let named = Named {
        id: 0x0102,
        label: "hi".into(),
    };
    let mut expected = vec![0x02, 0x01];
    expected.extend(string("hi"));
    assert_bytes(&data(&named), &expected);
    assert_bytes(&data(&Tuple(-1, true, 'A')), &[0xFF, 1, 0x41, 0, 0, 0]);
    assert_bytes(&data(&Unit), &[]);
    assert_bytes(&data(&Empty {}), &[]);

    // Tuple fields are named by position.
    let Schema::Struct(tuple) = get_schema::<Tuple>(0) else {
        panic!()
    };
    let names: Vec<&str> = tuple.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["0", "1", "2"]);
    assert_eq!(
        get_schema::<Unit>(0),
        Schema::Struct(SchemaStruct::new_with_layout(
            "Unit".into(),
            vec![],
            Some(0),
            Some(1)
        ))
    );
}

#[derive(Savefile, Debug, PartialEq)]
enum Every {
    Unit,
    Tuple(u8, u16),
    Named { a: u8, b: String },
    EmptyTuple(),
    EmptyNamed {},
}

#[test]
fn enums_with_every_kind_of_variant() {
    assert_bytes(&data(&Every::Unit), &[0]);
    assert_bytes(&data(&Every::Tuple(7, 0x0908)), &[1, 7, 0x08, 0x09]);
    let mut expected = vec![2, 3];
    expected.extend(string("b"));
    assert_bytes(
        &data(&Every::Named {
            a: 3,
            b: "b".into(),
        }),
        &expected,
    );
    assert_bytes(&data(&Every::EmptyTuple()), &[3]);
    assert_bytes(&data(&Every::EmptyNamed {}), &[4]);
    let Schema::Enum(schema) = get_schema::<Every>(0) else {
        panic!()
    };
    let variants: Vec<(&str, u8, usize)> = schema
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.discriminant, v.fields.len()))
        .collect();
    assert_eq!(
        variants,
        [
            ("Unit", 0, 0),
            ("Tuple", 1, 2),
            ("Named", 2, 2),
            ("EmptyTuple", 3, 0),
            ("EmptyNamed", 4, 0)
        ]
    );
    assert_eq!(schema.variants[1].fields[1].name, "1");
    assert_eq!(schema.variants[2].fields[1].name, "b");
    assert_eq!(
        (schema.discriminant_size, schema.has_explicit_repr),
        (1, false)
    );
}

#[derive(Savefile, Debug, PartialEq)]
#[repr(u8)]
enum Narrow {
    A,
    B(u16),
    C { x: u8 },
}

#[derive(Savefile, Debug, PartialEq)]
#[repr(u16)]
enum Wide {
    A,
    B(u16),
    C { x: u8 },
}

#[derive(Savefile, Debug, PartialEq)]
#[repr(u32)]
enum Widest {
    A,
    B,
}

/// Explicit discriminants are not what is saved: the declaration index is.
#[derive(Savefile, Debug, PartialEq)]
#[repr(u8)]
enum Coded {
    Ten = 10,
    Twenty = 20,
}

#[test]
fn an_integer_repr_fixes_the_index_width() {
    assert_bytes(&data(&Narrow::A), &[0]);
    assert_bytes(&data(&Narrow::B(0x0201)), &[1, 0x01, 0x02]);
    assert_bytes(&data(&Narrow::C { x: 7 }), &[2, 7]);
    assert_bytes(&data(&Wide::A), &[0, 0]);
    assert_bytes(&data(&Wide::B(0x0201)), &[1, 0, 0x01, 0x02]);
    assert_bytes(&data(&Wide::C { x: 7 }), &[2, 0, 7]);
    assert_bytes(&data(&Widest::B), &[1, 0, 0, 0]);
    assert_bytes(&data(&Coded::Ten), &[0]);
    assert_bytes(&data(&Coded::Twenty), &[1]);
    let width = |schema: Schema| match schema {
        Schema::Enum(e) => (e.discriminant_size, e.has_explicit_repr),
        other => panic!("{other:?}"),
    };
    // `has_explicit_repr` is set by #[repr(C)] only, as savefile 0.20 sets it.
    assert_eq!(width(get_schema::<Narrow>(0)), (1, false));
    assert_eq!(width(get_schema::<Wide>(0)), (2, false));
    assert_eq!(width(get_schema::<Widest>(0)), (4, false));

    #[derive(Savefile, Debug, PartialEq)]
    #[repr(C, u8)]
    enum Both {
        A(u32),
    }
    assert_eq!(width(get_schema::<Both>(0)), (1, true));
    assert_bytes(&data(&Both::A(1)), &[0, 1, 0, 0, 0]);

    // An index with no variant is refused, at either width.
    let mut file = Vec::new();
    save_noschema(&mut file, 0, &Wide::A).unwrap();
    file[16..18].copy_from_slice(&[3, 0]);
    assert!(matches!(
        load_from_mem_noschema::<Wide>(&file, 0),
        Err(SavefileError::InvalidTag {
            type_name: "Wide",
            tag: 3
        })
    ));
    file[16..18].copy_from_slice(&[0, 1]);
    assert!(matches!(
        load_from_mem_noschema::<Wide>(&file, 0),
        Err(SavefileError::InvalidTag {
            type_name: "Wide",
            tag: 256
        })
    ));
}

/// Declares `enum Many` with the listed unit variants and `ALL`, every variant in order.
macro_rules! many_variants {
    ($($variant:ident)*) => {
        #[derive(Savefile, Debug, PartialEq, Clone, Copy)]
        enum Many {
            $($variant,)*
        }

        const ALL: &[Many] = &[$(Many::$variant,)*];
    };
}

many_variants! {
        V000 V001 V002 V003 V004 V005 V006 V007 V008 V009 V010 V011 V012 V013 V014
        V015 V016 V017 V018 V019 V020 V021 V022 V023 V024 V025 V026 V027 V028 V029
        V030 V031 V032 V033 V034 V035 V036 V037 V038 V039 V040 V041 V042 V043 V044
        V045 V046 V047 V048 V049 V050 V051 V052 V053 V054 V055 V056 V057 V058 V059
        V060 V061 V062 V063 V064 V065 V066 V067 V068 V069 V070 V071 V072 V073 V074
        V075 V076 V077 V078 V079 V080 V081 V082 V083 V084 V085 V086 V087 V088 V089
        V090 V091 V092 V093 V094 V095 V096 V097 V098 V099 V100 V101 V102 V103 V104
        V105 V106 V107 V108 V109 V110 V111 V112 V113 V114 V115 V116 V117 V118 V119
        V120 V121 V122 V123 V124 V125 V126 V127 V128 V129 V130 V131 V132 V133 V134
        V135 V136 V137 V138 V139 V140 V141 V142 V143 V144 V145 V146 V147 V148 V149
        V150 V151 V152 V153 V154 V155 V156 V157 V158 V159 V160 V161 V162 V163 V164
        V165 V166 V167 V168 V169 V170 V171 V172 V173 V174 V175 V176 V177 V178 V179
        V180 V181 V182 V183 V184 V185 V186 V187 V188 V189 V190 V191 V192 V193 V194
        V195 V196 V197 V198 V199 V200 V201 V202 V203 V204 V205 V206 V207 V208 V209
        V210 V211 V212 V213 V214 V215 V216 V217 V218 V219 V220 V221 V222 V223 V224
        V225 V226 V227 V228 V229 V230 V231 V232 V233 V234 V235 V236 V237 V238 V239
        V240 V241 V242 V243 V244 V245 V246 V247 V248 V249 V250 V251 V252 V253 V254
        V255 V256 V257 V258 V259 V260 V261 V262 V263 V264 V265 V266 V267 V268 V269
        V270 V271 V272 V273 V274 V275 V276 V277 V278 V279 V280 V281 V282 V283 V284
        V285 V286 V287 V288 V289 V290 V291 V292 V293 V294 V295 V296 V297 V298 V299
}

#[test]
fn more_than_256_variants_take_a_two_byte_index() {
    assert_eq!(ALL.len(), 300);
    assert_bytes(&data(&Many::V299), &[0x2B, 0x01]);
    assert_bytes(&data(&Many::V000), &[0, 0]);
    assert_bytes(&data(&Many::V256), &[0, 1]);
    for (index, variant) in ALL.iter().enumerate() {
        let mut bare = Vec::new();
        save_noschema(&mut bare, 0, variant).unwrap();
        assert_eq!(bare[16..], (index as u16).to_le_bytes(), "{variant:?}");
    }
    roundtrip(&ALL.to_vec());

    let Schema::Enum(schema) = get_schema::<Many>(0) else {
        panic!()
    };
    assert_eq!(schema.discriminant_size, 2);
    assert_eq!(schema.variants.len(), 300);
    // The schema's discriminant is one byte: the index truncated.
    assert_eq!(schema.variants[299].name, "V299");
    assert_eq!(schema.variants[299].discriminant, 0x2B);
    assert_eq!(schema.variants[256].discriminant, 0);
}

#[derive(Savefile, Debug, PartialEq)]
struct Wrapper<T> {
    inner: T,
}

#[derive(Savefile, Debug, PartialEq)]
enum Either<L, R> {
    Left(L),
    Right(R),
}

#[derive(Savefile, Debug, PartialEq)]
struct Grid<const N: usize> {
    cells: [u8; N],
}

#[derive(Savefile, Debug, PartialEq)]
struct Borrowed<'a> {
    name: Cow<'a, str>,
}

#[test]
fn generic_types() {
    assert_bytes(&data(&Wrapper { inner: 5u32 }), &[5, 0, 0, 0]);
    assert_bytes(
        &data(&Wrapper {
            inner: "ab".to_string(),
        }),
        &string("ab"),
    );
    roundtrip(&Wrapper {
        inner: vec![Wrapper { inner: 1u8 }, Wrapper { inner: 2 }],
    });
    roundtrip(&Either::<u8, String>::Left(3));
    roundtrip(&Either::<u8, String>::Right("r".into()));
    roundtrip(&Either::<Wrapper<i64>, ()>::Left(Wrapper { inner: -9 }));
    assert_bytes(&data(&Grid { cells: [1, 2, 3] }), &[1, 2, 3]);
    roundtrip(&Grid::<0> { cells: [] });
    roundtrip(&Borrowed {
        name: Cow::Borrowed("cow"),
    });

    // The schema names the type without its parameters, and describes each instance.
    let Schema::Struct(schema) = get_schema::<Wrapper<u16>>(0) else {
        panic!()
    };
    assert_eq!(schema.dbg_name, "Wrapper");
    assert_eq!(
        *schema.fields[0].value,
        Schema::Primitive(SchemaPrimitive::schema_u16)
    );
    assert_eq!(schema.size, Some(2));
}

/// A type that implements none of savefile's traits.
#[derive(Debug, PartialEq)]
struct NotSerializable;

#[derive(Savefile, Debug, PartialEq)]
struct Tagged<T> {
    id: u32,
    marker: PhantomData<T>,
}

#[test]
fn a_phantom_parameter_needs_no_savefile_traits() {
    let value: Tagged<NotSerializable> = Tagged {
        id: 9,
        marker: PhantomData,
    };
    assert_bytes(&data(&value), &[9, 0, 0, 0]);
    let Schema::Struct(schema) = get_schema::<Tagged<NotSerializable>>(0) else {
        panic!()
    };
    assert_eq!(*schema.fields[1].value, Schema::ZeroSize);
    assert_eq!(value.introspect_len(), 2);
}

#[test]
fn an_enum_without_variants_loads_nothing() {
    #[derive(Savefile, Debug, PartialEq)]
    enum Never {}
    let Schema::Enum(schema) = get_schema::<Never>(0) else {
        panic!()
    };
    assert!(schema.variants.is_empty());
    let mut file = Vec::new();
    save_noschema(&mut file, 0, &()).unwrap();
    file.push(0);
    assert!(matches!(
        load_from_mem_noschema::<Never>(&file, 0),
        Err(SavefileError::InvalidTag {
            type_name: "Never",
            tag: 0
        })
    ));
}

#[derive(Savefile, Debug, PartialEq)]
#[repr(C)]
struct Small {
    a: u8,
    b: u32,
    c: u16,
}

#[test]
fn the_exact_bytes_and_schema_of_a_small_struct() {
    let value = Small {
        a: 1,
        b: 0x0403_0201,
        c: 0x0605,
    };
    // Fields in declaration order, no padding.
    assert_bytes(&data(&value), &[1, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06]);

    // #[repr(C)]: a at 0, b at 4 (aligned), c at 8; size 12 with tail padding; align 4.
    let mut schema = vec![1]; // struct
    schema.extend(string("Small"));
    schema.extend(3u64.to_le_bytes());
    schema.extend(some_usize(12)); // size
    schema.extend(some_usize(4)); // alignment
    for (name, code, offset) in [("a", 2u8, 0usize), ("b", 6, 4), ("c", 4, 8)] {
        schema.extend(string(name));
        schema.extend([3, code]); // primitive
        schema.extend(some_usize(offset));
    }
    let file = save_to_mem(1, &value).unwrap();
    assert_bytes(&file[16..file.len() - 7], &schema);

    let expected = Schema::Struct(SchemaStruct::new_with_layout(
        "Small".into(),
        vec![
            Field::new_with_offset(
                "a".into(),
                Box::new(Schema::Primitive(SchemaPrimitive::schema_u8)),
                Some(0),
            ),
            Field::new_with_offset(
                "b".into(),
                Box::new(Schema::Primitive(SchemaPrimitive::schema_u32)),
                Some(4),
            ),
            Field::new_with_offset(
                "c".into(),
                Box::new(Schema::Primitive(SchemaPrimitive::schema_u16)),
                Some(8),
            ),
        ],
        Some(12),
        Some(4),
    ));
    assert_eq!(get_schema::<Small>(0), expected);
}

#[test]
fn without_repr_c_the_schema_records_the_layout_rustc_chose() {
    #[derive(Savefile, Debug, PartialEq)]
    struct Loose {
        a: u8,
        b: u32,
        name: String,
    }
    let Schema::Struct(schema) = get_schema::<Loose>(0) else {
        panic!()
    };
    assert_eq!(schema.size, Some(std::mem::size_of::<Loose>()));
    assert_eq!(schema.alignment, Some(std::mem::align_of::<Loose>()));
    let offsets: Vec<Option<usize>> = schema.fields.iter().map(|f| f.offset).collect();
    assert_eq!(
        offsets,
        [
            Some(std::mem::offset_of!(Loose, a)),
            Some(std::mem::offset_of!(Loose, b)),
            Some(std::mem::offset_of!(Loose, name)),
        ]
    );
    // Whatever the memory order, the bytes follow the declaration order.
    let value = Loose {
        a: 1,
        b: 2,
        name: "n".into(),
    };
    let mut expected = vec![1, 2, 0, 0, 0];
    expected.extend(string("n"));
    assert_bytes(&data(&value), &expected);
}

#[test]
fn enum_variant_fields_of_an_enum_without_int_repr_have_no_offsets() {
    let Schema::Enum(schema) = get_schema::<Every>(0) else {
        panic!()
    };
    assert!(schema
        .variants
        .iter()
        .flat_map(|v| &v.fields)
        .all(|f| f.offset.is_none()));
    assert_eq!(schema.size, Some(std::mem::size_of::<Every>()));
    assert_eq!(schema.alignment, Some(std::mem::align_of::<Every>()));
}
