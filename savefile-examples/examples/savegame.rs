//! A save game through three releases of a game.
//!
//! Release 0 of the game saved players with a `strength` stat and an inventory of
//! item names. Release 2 (this program) dropped `strength`, turned the inventory
//! into typed items, and added skills, health and a movement history. This program
//! writes a file as release 0 did, loads it with today's types (the migration),
//! plays a little, saves and reloads, and shows what the checks refuse.
//!
//! Run with `cargo run --release -p savefile-examples --example savegame`.

use savefile::prelude::*;
use savefile::{Introspector, IntrospectorNavCommand};

// The game's types are in the library (src/lib.rs), where its tests guard their schema
// history and the saves kept from each release (tests/schema_history.rs).
use savefile_examples::{release_0, Player, Position, World, GLOBAL_VERSION};

fn main() -> Result<(), SavefileError> {
    let dir = std::env::temp_dir().join(format!("savefile-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let old_file = dir.join("release0.sav");
    let new_file = dir.join("release2.sav");

    // 1. Release 0 saves a game.
    let old = release_0::World {
        players: vec![release_0::Player {
            name: "Steve".into(),
            strength: 42,
            inventory: vec!["wallet".into(), "car keys".into(), "glasses".into()],
        }],
        seed: 0x5EED,
    };
    save_file(&old_file, release_0::GLOBAL_VERSION, &old)?;
    println!(
        "release 0 saved {} ({} bytes, data version {})",
        old_file.display(),
        std::fs::metadata(&old_file)?.len(),
        release_0::GLOBAL_VERSION
    );

    // 2. This release loads it: the schema in the file is checked against our types
    //    as they were in version 0, then converted field by field.
    let mut world: World = load_file(&old_file, GLOBAL_VERSION)?;
    let steve = &world.players[0];
    println!(
        "migrated to version {GLOBAL_VERSION}: {} has {} items ({}), health {} (new in 1, default), {} skills",
        steve.name,
        steve.inventory.len(),
        steve.inventory.iter().map(|i| i.name.as_str()).collect::<Vec<_>>().join(", "),
        steve.health,
        steve.skills.len()
    );

    // 3. Play: learn a skill, pick up items, walk around.
    let steve = &mut world.players[0];
    steve.skills.push("Whistling".into());
    steve.inventory[0].count = 2;
    steve.history = (0..100_000)
        .map(|i| Position {
            x: i % 640,
            y: i / 640,
        })
        .collect();

    // 4. Save as version 2, plain and compressed, and load both back.
    save_file(&new_file, GLOBAL_VERSION, &world)?;
    let compressed = dir.join("release2.sav.bz2");
    save_file_compressed(&compressed, GLOBAL_VERSION, &world)?;
    println!(
        "saved version {GLOBAL_VERSION}: {} bytes plain, {} bytes compressed",
        std::fs::metadata(&new_file)?.len(),
        std::fs::metadata(&compressed)?.len()
    );
    let reloaded: World = load_file(&new_file, GLOBAL_VERSION)?;
    let unpacked: World = load_file(&compressed, GLOBAL_VERSION)?;
    assert!(
        reloaded == world && unpacked == world,
        "the reloaded game differs"
    );
    println!(
        "reloaded both: {} positions in the history, identical",
        reloaded.players[0].history.len()
    );

    // 5. Look into the loaded value as a tool that does not know its type would:
    //    open the first field (the players), then the first player.
    let mut introspector = Introspector::new_with(4);
    let mut view = None;
    for (depth, index) in [(0, 0), (1, 0)] {
        let command = IntrospectorNavCommand::SelectNth {
            select_depth: depth,
            select_index: index,
        };
        let result = introspector
            .do_introspect(&reloaded, command)
            .map_err(|e| SavefileError::GeneralError { msg: e.to_string() })?;
        view = Some(result);
    }
    if let Some(view) = view {
        println!(
            "the world as the introspector shows it, first player opened \
             (- opened, + has more inside, … more entries than the 4 shown):"
        );
        for line in view.outline().to_string().lines() {
            println!("  {line}");
        }
    }

    // 6. What is refused: release 0 opening the new file, and types changed
    //    without a version bump.
    match load_file::<release_0::World, _>(&new_file, release_0::GLOBAL_VERSION) {
        Err(e) => println!("release 0 opening the new file: {e}"),
        Ok(_) => panic!("an old release loaded a newer file"),
    }
    #[derive(Savefile)]
    struct WorldWithWiderSeed {
        players: Vec<Player>,
        seed: u128,
    }
    match load_file::<WorldWithWiderSeed, _>(&new_file, GLOBAL_VERSION) {
        Err(e) => println!("types changed without a version bump: {e}"),
        Ok(_) => panic!("a file with other types loaded"),
    }

    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
