use savefile_derive::Savefile;

#[derive(Savefile)]
struct Player {
    name: String,
    #[savefile_versions = "1.."]
    #[savefile_versions = "..4"]
    skills: Vec<String>,
}

fn main() {}
