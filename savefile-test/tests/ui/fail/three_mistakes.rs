use savefile::prelude::*;
use savefile_derive::Savefile;

#[derive(Savefile)]
struct Player {
    name: String,
    #[savefile_versions = "3..1"]
    skills: Vec<String>,
    strength: Removed<u32>,
    #[savefile_ignore]
    #[savefile_versions = "1.."]
    cached_score: u64,
}

fn main() {}
