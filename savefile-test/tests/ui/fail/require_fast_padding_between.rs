use savefile_derive::Savefile;

#[derive(Savefile, Clone, Copy)]
#[savefile_require_fast]
#[repr(C)]
struct Bad {
    f1: u8,
    f2: u32,
}

fn main() {}
