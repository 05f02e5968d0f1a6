use savefile_derive::Savefile;

#[derive(Savefile)]
struct Employee {
    #[savefile_introspect_key]
    name: String,
    #[savefile_introspect_key]
    email: String,
}

fn main() {}
