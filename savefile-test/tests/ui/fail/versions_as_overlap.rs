use savefile_derive::Savefile;

#[derive(Savefile)]
struct Racecar {
    #[savefile_versions_as = "0..1:u8"]
    #[savefile_versions_as = "1..2:u16"]
    #[savefile_versions = "3.."]
    max_speed_kmh: u32,
}

fn main() {}
