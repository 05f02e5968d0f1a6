//! Enums with integer reprs: the saved index takes the repr's width.
#![deny(warnings)]

use savefile::prelude::*;
use savefile_derive::Savefile;
use std::fmt::Debug;

#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
#[repr(u8)]
enum Small {
    A,
    B(u8),
    C { x: u16 },
}

#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
#[repr(u16)]
enum Medium {
    Low = 10,
    High = 500,
}

#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
#[repr(i32)]
enum Signed {
    Minus = -1,
    Zero = 0,
    Plus = 1,
}

fn roundtrip<T: WithSchema + Serialize + Deserialize + PartialEq + Debug>(value: &T) {
    let bytes = save_to_mem(0, value).expect("save");
    let back: T = load_from_mem(&bytes, 0).expect("load");
    assert_eq!(&back, value);
}

fn index_width<T: WithSchema>() -> u8 {
    match get_schema::<T>(0) {
        Schema::Enum(e) => e.discriminant_size,
        other => panic!("expected an enum schema, got {other:?}"),
    }
}

fn main() {
    for value in [Small::A, Small::B(9), Small::C { x: 700 }] {
        roundtrip(&value);
    }
    for value in [Medium::Low, Medium::High] {
        roundtrip(&value);
    }
    for value in [Signed::Minus, Signed::Zero, Signed::Plus] {
        roundtrip(&value);
    }
    assert_eq!(index_width::<Small>(), 1);
    assert_eq!(index_width::<Medium>(), 2);
    assert_eq!(index_width::<Signed>(), 4);
}
