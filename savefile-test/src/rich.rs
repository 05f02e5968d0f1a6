//! A derived type that reaches every kind of value the crate loads, recursive in two
//! ways, for the tests that feed loads hostile input: strings, maps, sets, enums of
//! every variant shape, options, results, arrays, vectors copied in bulk (plain and
//! checked: `bool`, `char`, an enum with a `u8` tag) and nesting through
//! `Vec` and `Option<Box<_>>`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use savefile::prelude::*;

/// Plain data: a vector of points is copied as one block.
#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(C)]
pub struct Point {
    /// Across.
    pub x: i32,
    /// Down.
    pub y: i32,
}

/// Copied in bulk with every byte checked: 0, 1 and 2 are colors, 3 and up are not.
#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(u8)]
pub enum Color {
    /// 0.
    Red,
    /// 1.
    Green,
    /// 2.
    Blue,
}

/// Every shape of variant, and recursion through a vector of itself.
#[derive(Savefile, Debug, PartialEq)]
pub enum Item {
    /// A unit variant.
    Nothing,
    /// A tuple variant.
    Coins(u64),
    /// A struct variant.
    Named {
        /// What it is called.
        name: String,
        /// How heavy it is.
        weight: f32,
    },
    /// Items inside an item.
    Bag(Vec<Item>),
}

/// The root type: one field of each kind, then two ways to hold more rooms.
#[derive(Savefile, Debug, PartialEq)]
pub struct Room {
    /// A string.
    pub name: String,
    /// An optional string.
    pub description: Option<String>,
    /// A vector of enums that are not copied in bulk.
    pub items: Vec<Item>,
    /// A hash map.
    pub doors: HashMap<String, u32>,
    /// A tree map of vectors of strings.
    pub notes: BTreeMap<u32, Vec<String>>,
    /// Bools, copied in bulk and checked.
    pub visited: Vec<bool>,
    /// Chars, copied in bulk and checked.
    pub glyphs: Vec<char>,
    /// Plain structs, copied in bulk.
    pub outline: Vec<Point>,
    /// An enum, copied in bulk and checked.
    pub palette: Vec<Color>,
    /// A set of strings.
    pub tags: BTreeSet<String>,
    /// A result.
    pub outcome: Result<u16, String>,
    /// An array.
    pub grid: [u8; 4],
    /// Recursion through a vector.
    pub rooms: Vec<Room>,
    /// Recursion through an option and a box.
    pub secret: Option<Box<Room>>,
}

impl Room {
    /// A room with nothing in it.
    pub fn empty(name: &str) -> Room {
        Room {
            name: name.to_string(),
            description: None,
            items: Vec::new(),
            doors: HashMap::new(),
            notes: BTreeMap::new(),
            visited: Vec::new(),
            glyphs: Vec::new(),
            outline: Vec::new(),
            palette: Vec::new(),
            tags: BTreeSet::new(),
            outcome: Ok(0),
            grid: [0; 4],
            rooms: Vec::new(),
            secret: None,
        }
    }

    /// A room with every field filled, two side rooms and a secret one.
    pub fn sample() -> Room {
        let mut side = Room::empty("side");
        side.visited = vec![false, true];
        side.palette = vec![Color::Blue];
        let mut secret = Room::empty("secret");
        secret.items = vec![Item::Bag(vec![Item::Coins(3), Item::Nothing])];
        secret.outcome = Err("locked".to_string());
        Room {
            name: "hall ✓".to_string(),
            description: Some("a long hall".to_string()),
            items: vec![
                Item::Nothing,
                Item::Coins(12),
                Item::Named {
                    name: "lamp".to_string(),
                    weight: 1.5,
                },
                Item::Bag(vec![Item::Coins(1)]),
            ],
            doors: HashMap::from([("north".to_string(), 1), ("south".to_string(), 2)]),
            notes: BTreeMap::from([(1, vec!["dusty".to_string()]), (2, vec![])]),
            visited: vec![true, false, true],
            glyphs: "h€llo 𝄞".chars().collect(),
            outline: vec![Point { x: 0, y: 0 }, Point { x: 4, y: -3 }],
            palette: vec![Color::Red, Color::Green, Color::Blue],
            tags: BTreeSet::from(["cold".to_string(), "dark".to_string()]),
            outcome: Ok(404),
            grid: [1, 2, 3, 4],
            rooms: vec![side, Room::empty("closet")],
            secret: Some(Box::new(secret)),
        }
    }

    /// A chain of `depth` rooms, each the secret room of the one before.
    pub fn chain(depth: usize) -> Room {
        let mut room = Room::empty("bottom");
        for _ in 1..depth {
            let mut outer = Room::empty("");
            outer.secret = Some(Box::new(room));
            room = outer;
        }
        room
    }
}
