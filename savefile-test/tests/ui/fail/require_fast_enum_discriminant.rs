use savefile_derive::Savefile;

#[derive(Savefile)]
#[savefile_require_fast]
#[repr(u8)]
enum Explicit {
    A = 5,
    B,
}

fn main() {}
