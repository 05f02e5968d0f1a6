use savefile_derive::Savefile;

#[derive(Savefile)]
struct Stats {
    level: u32,
}

#[derive(Savefile)]
struct Player {
    name: String,
    #[savefile_versions = "1.."]
    stats: Stats,
}

fn main() {}
