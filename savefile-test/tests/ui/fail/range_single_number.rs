use savefile_derive::Savefile;

#[derive(Savefile)]
struct Player {
    name: String,
    #[savefile_versions = "1"]
    skills: Vec<String>,
}

fn main() {}
