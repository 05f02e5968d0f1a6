use savefile_derive::Savefile;

#[derive(Savefile)]
struct Player {
    name: String,
    #[savefile_versions = "..=3"]
    strength: u32,
}

fn main() {}
