//! Saves a game state to a file (plain and compressed), loads it back, checks it, and
//! shows what the schema check says when a file does not match the program's types.
//!
//! Run with `cargo run --release --example savegame`.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use savefile::prelude::*;

/// The data version this program saves. Bump it whenever the saved types change.
const GLOBAL_VERSION: u32 = 0;

/// A player: name, attributes, inventory, recent positions and play time.
type Player = (
    String,
    BTreeMap<String, u32>,
    Vec<String>,
    Vec<(f32, f32)>,
    Duration,
);

/// The whole save: the players and the world's tile map.
type World = (Vec<Player>, HashMap<(i32, i32), u8>);

fn make_world() -> World {
    let attributes = BTreeMap::from([("strength".to_string(), 42), ("wisdom".to_string(), 7)]);
    let steve: Player = (
        "Steve".to_string(),
        attributes,
        vec!["wallet".into(), "car keys".into(), "glasses".into()],
        (0..1000)
            .map(|i| (i as f32 * 0.5, (i % 17) as f32))
            .collect(),
        Duration::from_secs(3 * 3600 + 25 * 60),
    );
    let alex: Player = (
        "Alex ✓".to_string(),
        BTreeMap::from([("speed".to_string(), 11)]),
        vec!["map".into()],
        vec![(10.0, -3.5)],
        Duration::from_millis(90_500),
    );
    let tiles = (-50..50)
        .flat_map(|x| (-50..50).map(move |y| ((x, y), ((x * 31 + y * 17) & 0xff) as u8)))
        .collect();
    (vec![steve, alex], tiles)
}

fn main() -> Result<(), SavefileError> {
    let dir = std::env::temp_dir().join(format!("savefile-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let plain = dir.join("world.sav");
    let packed = dir.join("world.sav.bz2");

    let world = make_world();
    save_file(&plain, GLOBAL_VERSION, &world)?;
    save_file_compressed(&packed, GLOBAL_VERSION, &world)?;
    println!(
        "saved {} players and {} tiles: {} bytes plain, {} bytes compressed",
        world.0.len(),
        world.1.len(),
        std::fs::metadata(&plain)?.len(),
        std::fs::metadata(&packed)?.len(),
    );

    let loaded: World = load_file(&plain, GLOBAL_VERSION)?;
    let unpacked: World = load_file(&packed, GLOBAL_VERSION)?;
    assert!(
        loaded == world && unpacked == world,
        "reloaded state differs"
    );
    for (name, attributes, inventory, trail, played) in &loaded.0 {
        println!(
            "reloaded {name}: {attributes:?}, carrying {inventory:?}, {} positions, played {played:?}",
            trail.len()
        );
    }

    // A program whose types changed without a version bump is refused, with the place.
    type Changed = (
        Vec<(
            String,
            BTreeMap<String, u64>,
            Vec<String>,
            Vec<(f32, f32)>,
            Duration,
        )>,
        HashMap<(i32, i32), u8>,
    );
    match load_file::<Changed>(&plain, GLOBAL_VERSION) {
        Err(e) => println!("loading with changed types is refused: {e}"),
        Ok(_) => panic!("a file with other types loaded"),
    }
    // A file from a newer program is refused too.
    save_file(&plain, GLOBAL_VERSION + 1, &world)?;
    match load_file::<World>(&plain, GLOBAL_VERSION) {
        Err(e) => println!("loading a newer file is refused: {e}"),
        Ok(_) => panic!("a file from the future loaded"),
    }

    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
