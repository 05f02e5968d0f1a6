use savefile_derive::Savefile;

#[derive(Savefile, Clone, Copy)]
#[savefile_require_fast]
#[repr(C)]
struct Cached {
    x: u32,
    #[savefile_ignore]
    cached: u32,
}

fn main() {}
