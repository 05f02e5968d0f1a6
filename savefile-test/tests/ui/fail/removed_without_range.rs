use savefile::prelude::*;
use savefile_derive::Savefile;

#[derive(Savefile)]
struct Player {
    name: String,
    strength: Removed<u32>,
}

fn main() {}
