use savefile_derive::Savefile;

#[derive(Savefile, Default)]
struct Stats {
    level: u32,
}

#[derive(Savefile)]
struct Player {
    name: String,
    #[savefile_versions = "1.."]
    #[savefile_default_val = "level 3"]
    stats: Stats,
}

fn main() {}
