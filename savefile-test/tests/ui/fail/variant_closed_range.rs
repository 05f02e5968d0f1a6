use savefile_derive::Savefile;

#[derive(Savefile)]
enum Command {
    Stop,
    #[savefile_versions = "1..3"]
    Jump(u32),
    Walk,
}

fn main() {}
