use savefile_derive::Savefile;

#[derive(Savefile)]
struct Racecar {
    #[savefile_versions_as = "0..0:u8"]
    max_speed_kmh: u16,
}

fn main() {}
