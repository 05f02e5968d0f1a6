//! The example programs of savefile live in `examples/`; this library is empty.
//!
//! Run the main one with `cargo run --release -p savefile-examples --example savegame`.
