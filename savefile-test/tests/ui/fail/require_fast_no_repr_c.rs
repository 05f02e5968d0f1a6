use savefile_derive::Savefile;

#[derive(Savefile, Clone, Copy)]
#[savefile_require_fast]
struct Position {
    x: u32,
    y: u32,
}

fn main() {}
