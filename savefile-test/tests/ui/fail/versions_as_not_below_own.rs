use savefile_derive::Savefile;

#[derive(Savefile)]
struct Racecar {
    #[savefile_versions_as = "0..2:u8"]
    #[savefile_versions = "2.."]
    max_speed_kmh: u16,
}

fn main() {}
