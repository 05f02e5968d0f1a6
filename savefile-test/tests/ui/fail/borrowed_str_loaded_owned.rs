use savefile::prelude::*;
use savefile_derive::Savefile;

#[derive(Savefile)]
struct Entry<'a> {
    host: &'a str,
}

fn main() {
    let bytes = save_to_mem(0, &Entry { host: "example.org" }).unwrap();
    let _ = load_from_mem::<Entry<'_>>(&bytes, 0);
}
