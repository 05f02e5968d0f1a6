use savefile_derive::Savefile;

#[derive(Savefile)]
struct Player {
    name: String,
    #[savefile_versions = "1.."]
    #[savefile_default_val = "hello"]
    strength: u32,
}

fn main() {}
