use savefile::prelude::*;
use savefile_derive::Savefile;

#[derive(Savefile)]
struct Samples<'a> {
    values: &'a [u32],
}

fn main() {
    let bytes = save_to_mem(0, &Samples { values: &[1, 2] }).unwrap();
    let _ = savefile::load_from_mem_borrowed::<Samples<'_>>(&bytes, 0);
}
