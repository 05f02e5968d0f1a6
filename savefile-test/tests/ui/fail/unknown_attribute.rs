use savefile_derive::Savefile;

#[derive(Savefile)]
struct Player {
    name: String,
    #[savefile_version = "1.."]
    skills: Vec<String>,
}

fn main() {}
