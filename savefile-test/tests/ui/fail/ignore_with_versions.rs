use savefile_derive::Savefile;

#[derive(Savefile)]
struct Player {
    name: String,
    #[savefile_ignore]
    #[savefile_versions = "1.."]
    cached_score: u64,
}

fn main() {}
