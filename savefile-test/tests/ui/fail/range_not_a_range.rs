use savefile_derive::Savefile;

#[derive(Savefile)]
struct Player {
    name: String,
    #[savefile_versions = "abc"]
    skills: Vec<String>,
}

fn main() {}
