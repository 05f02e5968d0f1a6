//! Every shape of type the derive accepts, in a crate that forbids unsafe code
//! (the packed fast path of a `#[repr(C)]` struct included).
#![deny(warnings)]
#![forbid(unsafe_code)]

use savefile::prelude::*;
use savefile_derive::Savefile;
use std::fmt::Debug;

#[derive(Savefile, Debug, PartialEq)]
struct Named {
    id: u32,
    label: String,
    scores: Vec<f64>,
}

#[derive(Savefile, Debug, PartialEq)]
struct Tuple(i8, String, (u16, bool));

#[derive(Savefile, Debug, PartialEq)]
struct Unit;

#[derive(Savefile, Debug, PartialEq)]
struct NoFields {}

#[derive(Savefile, Debug, PartialEq)]
enum Shape {
    Empty,
    Circle(f32),
    Rect { w: u16, h: u16 },
    Polygon(Vec<(i32, i32)>),
    Nested(Named, Tuple),
    Marker(Unit),
}

#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
#[repr(C)]
struct Pixel {
    r: u8,
    g: u8,
    b: u8,
    a: u8,
}

/// No value exists, but the impls must still compile (and warn about nothing).
#[derive(Savefile, Debug, PartialEq)]
enum Never {}

#[derive(Savefile, Debug, PartialEq)]
struct Holder {
    never: Option<Never>,
    shapes: Vec<Shape>,
}

fn roundtrip<T: WithSchema + Serialize + Deserialize + PartialEq + Debug>(value: &T) {
    let bytes = save_to_mem(0, value).expect("save");
    let back: T = load_from_mem(&bytes, 0).expect("load");
    assert_eq!(&back, value);
}

fn main() {
    let named = || Named {
        id: 7,
        label: "seven".into(),
        scores: vec![1.5, -2.0],
    };
    let tuple = || Tuple(-3, "three".into(), (3, true));
    roundtrip(&named());
    roundtrip(&tuple());
    roundtrip(&Unit);
    roundtrip(&NoFields {});
    let shapes = vec![
        Shape::Empty,
        Shape::Circle(1.25),
        Shape::Rect { w: 3, h: 4 },
        Shape::Polygon(vec![(0, 0), (1, -1)]),
        Shape::Nested(named(), tuple()),
        Shape::Marker(Unit),
    ];
    for shape in &shapes {
        roundtrip(shape);
    }
    roundtrip(&vec![
        Pixel {
            r: 1,
            g: 2,
            b: 3,
            a: 4
        };
        64
    ]);
    roundtrip(&Holder {
        never: None,
        shapes,
    });
    assert_eq!(Shape::Circle(1.0).introspect_value(), "Shape::Circle");
    assert_eq!(named().introspect_len(), 3);
}
