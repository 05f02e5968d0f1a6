// Derive bug: for an enum without variants the generated `Serialize` is
// `match *self {}` followed by `Ok(())`, which rustc flags as unreachable code in
// the user's crate. Generated code should compile without warnings.
#![deny(unreachable_code)]

use savefile::prelude::*;

#[derive(Savefile)]
pub enum Never {}

fn main() {
    let _ = get_schema::<Never>(0);
}
