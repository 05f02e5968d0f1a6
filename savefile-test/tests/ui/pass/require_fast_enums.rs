#![deny(warnings)]

use savefile::prelude::*;
use savefile_derive::Savefile;

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[savefile_require_fast]
#[repr(u8)]
enum GoodEnum1 {
    Variant1,
    Variant2,
}

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[savefile_require_fast]
#[repr(u8)]
enum GoodEnum2 {
    Variant1(u8),
    Variant2(u8),
}

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[savefile_require_fast]
#[repr(u8)]
enum BadEnum2Fixed {
    Variant1 { padding: u8 },
    Variant2(u8),
}

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[savefile_require_fast]
#[repr(u8)]
enum GoodEnum3 {
    Variant1 { x: u8, y: u16, z: u16, w: u16 },
    Variant2 { x: u8, y: u16, z: u32 },
}

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[savefile_require_fast]
#[repr(u16)]
enum Wide {
    A(u16, u32),
    B { x: u16, y: i32 },
}

fn roundtrip<T: Serialize + Deserialize + WithSchema + Packed + PartialEq + std::fmt::Debug + Clone>(items: Vec<T>) {
    let bytes = save_to_mem(0, &items).unwrap();
    assert_eq!(load_from_mem::<Vec<T>>(&bytes, 0).unwrap(), items);
}

fn main() {
    roundtrip(vec![GoodEnum1::Variant2, GoodEnum1::Variant1]);
    roundtrip(vec![GoodEnum2::Variant1(3), GoodEnum2::Variant2(4)]);
    roundtrip(vec![BadEnum2Fixed::Variant1 { padding: 0 }, BadEnum2Fixed::Variant2(9)]);
    roundtrip(vec![
        GoodEnum3::Variant1 { x: 1, y: 2, z: 3, w: 4 },
        GoodEnum3::Variant2 { x: 5, y: 6, z: 7 },
    ]);
    roundtrip(vec![Wide::A(1, 2), Wide::B { x: 3, y: -4 }]);
}
