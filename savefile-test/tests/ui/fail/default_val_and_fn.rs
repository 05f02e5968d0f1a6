use savefile_derive::Savefile;

fn make_strength() -> u32 {
    10
}

#[derive(Savefile)]
struct Player {
    name: String,
    #[savefile_versions = "1.."]
    #[savefile_default_val = "42"]
    #[savefile_default_fn = "make_strength"]
    strength: u32,
}

fn main() {}
