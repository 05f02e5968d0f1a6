//! The library behind the `savefile` command: writing a file's schema and values for
//! people (an indented tree) and programs (JSON). The command itself is `src/main.rs`.
//!
//! Decoding is savefile's own ([`savefile::visit_dynamic_exact`], whose calls the renderers
//! write as they come, and [`savefile::load_dynamic`] for `--path`); this crate only renders.

pub mod render;
pub mod schema_tree;
