use savefile::prelude::*;
use savefile_derive::Savefile;

#[derive(Savefile)]
struct Player {
    name: String,
    #[savefile_versions = "1.."]
    strength: Removed<u32>,
}

fn main() {}
