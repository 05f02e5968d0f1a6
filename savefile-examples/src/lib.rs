//! The types of the example game, shared by the example program (`examples/savegame.rs`)
//! and the tests that guard their saved history (`tests/schema_history.rs`).
//!
//! Run the example with `cargo run --release -p savefile-examples --example savegame`.
//!
//! Release 0 of the game saved players with a `strength` stat and an inventory of item
//! names. Release 1 dropped `strength`, turned the inventory into typed items and added
//! skills and health; release 2 (these types) added a movement history. Each release
//! bumped [`GLOBAL_VERSION`].

use savefile::prelude::*;

/// What release 0 of the game wrote: its types, exactly as they were then.
pub mod release_0 {
    use savefile::prelude::*;

    /// The data version release 0 saved.
    pub const GLOBAL_VERSION: u32 = 0;

    /// A player as release 0 saved it.
    #[derive(Savefile)]
    pub struct Player {
        /// The player's name.
        pub name: String,
        /// A stat that release 1 dropped.
        pub strength: u32,
        /// Item names.
        pub inventory: Vec<String>,
    }

    /// The world as release 0 saved it.
    #[derive(Savefile)]
    pub struct World {
        /// The players.
        pub players: Vec<Player>,
        /// The world's random seed.
        pub seed: u64,
    }
}

/// The data version this release saves. Bumped at each change of the saved types.
pub const GLOBAL_VERSION: u32 = 2;

/// An item in a player's inventory (since data version 1).
#[derive(Savefile, Debug, Clone, PartialEq)]
pub struct Item {
    /// What it is.
    pub name: String,
    /// How many the player has.
    pub count: u16,
}

/// Release 0 stored item names; each became one item.
fn items_from_names(names: Vec<String>) -> Vec<Item> {
    names
        .into_iter()
        .map(|name| Item { name, count: 1 })
        .collect()
}

/// A point the player visited: plain data, saved with one copy per vector.
#[derive(Savefile, Debug, Clone, Copy, PartialEq)]
#[repr(C)]
pub struct Position {
    /// Column.
    pub x: i32,
    /// Row.
    pub y: i32,
}

/// A player.
#[derive(Savefile, Debug, PartialEq)]
pub struct Player {
    /// The player's name.
    #[savefile_introspect_key]
    pub name: String,
    /// Dropped in release 1: old files still hold it, it is read and discarded.
    #[savefile_versions = "..0"]
    pub strength: Removed<u32>,
    /// A list of names until release 1, typed items since.
    #[savefile_versions_as = "0..0:items_from_names:Vec<String>"]
    #[savefile_versions = "1.."]
    pub inventory: Vec<Item>,
    /// Skills learnt (since version 1).
    #[savefile_versions = "1.."]
    pub skills: Vec<String>,
    /// Health, 100 for players of release 0 files (since version 1).
    #[savefile_versions = "1.."]
    #[savefile_default_val = "100"]
    pub health: u32,
    /// The places visited (since version 2).
    #[savefile_versions = "2.."]
    pub history: Vec<Position>,
}

/// The whole saved game.
#[derive(Savefile, Debug, PartialEq)]
pub struct World {
    /// The players.
    pub players: Vec<Player>,
    /// The world's random seed.
    pub seed: u64,
}
