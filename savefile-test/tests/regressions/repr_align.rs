// Derive bug: `#[repr(align(N))]` (alone or with `C`) is a compile error in the
// derive ("unexpected token, expected `)`"), so an over-aligned type cannot derive
// Savefile. It should compile and save like any struct.

use savefile::prelude::*;

#[derive(Savefile, Debug, PartialEq)]
#[repr(C, align(16))]
struct Aligned {
    x: i32,
    y: i32,
}

#[derive(Savefile, Debug, PartialEq)]
#[repr(align(8))]
enum Flag {
    Off,
    On(u8),
}

fn main() {
    let value = Aligned { x: 1, y: 2 };
    let back: Aligned = load_from_mem(&save_to_mem(0, &value).unwrap(), 0).unwrap();
    assert_eq!(back, value);
    let back: Flag = load_from_mem(&save_to_mem(0, &Flag::On(3)).unwrap(), 0).unwrap();
    assert_eq!(back, Flag::On(3));
    assert_eq!(
        load_from_mem::<Flag>(&save_to_mem(0, &Flag::Off).unwrap(), 0).unwrap(),
        Flag::Off
    );
}
