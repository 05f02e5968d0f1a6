use savefile_derive::Savefile;

#[derive(Savefile, Clone, Copy)]
#[savefile_require_fast]
#[repr(C)]
struct Bad2 {
    f1: u32,
    f2: u8,
}

fn main() {}
