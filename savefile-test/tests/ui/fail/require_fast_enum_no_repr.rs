use savefile_derive::Savefile;

#[derive(Savefile, Clone, Copy)]
#[savefile_require_fast]
enum Direction {
    North,
    South,
}

fn main() {}
