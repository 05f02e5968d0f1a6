use savefile_derive::Savefile;

#[derive(Savefile)]
union Bits {
    int: u32,
    float: f32,
}

fn main() {}
