//! `minecraft_savedata`: 500 player records, nested structs mixing every kind of field.
//!
//! Enums, options, tuples, fixed arrays, vectors of small structs and short strings from
//! small vocabularies: the general case for a field-by-field format.

use bitcode::{Decode, Encode};
use savefile_derive::Savefile;
use serde::{Deserialize, Serialize};

use super::rng::Rng;

/// The number of players.
pub const PLAYERS: usize = 500;

/// A player's game mode.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Copy, Debug, PartialEq)]
#[repr(u8)]
pub enum GameType {
    /// Gathering and fighting.
    Survival,
    /// Unlimited resources.
    Creative,
    /// Custom maps.
    Adventure,
    /// Watching only.
    Spectator,
}

/// A stack in an inventory slot.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Debug, PartialEq)]
pub struct Item {
    /// Stack size, any `i8`.
    pub count: i8,
    /// Slot index, any `u8`.
    pub slot: u8,
    /// One of eight item names.
    pub id: String,
}

/// What a player may do.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Debug, PartialEq)]
pub struct Abilities {
    /// Uniform in `[0, 1)`.
    pub walk_speed: f32,
    /// Uniform in `[0, 1)`.
    pub fly_speed: f32,
    /// A fair coin, like every bool of the dataset.
    pub may_fly: bool,
    /// Currently flying.
    pub flying: bool,
    /// Takes no damage.
    pub invulnerable: bool,
    /// May place blocks.
    pub may_build: bool,
    /// Breaks blocks instantly.
    pub instabuild: bool,
}

/// A mob: the vehicle a player rides or a parrot on a shoulder.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Debug, PartialEq)]
pub struct Entity {
    /// One of eight mob names.
    pub id: String,
    /// Position, each coordinate in `[0, 1)`.
    pub pos: (f64, f64, f64),
    /// Velocity, each component in `[0, 1)`.
    pub motion: (f64, f64, f64),
    /// Yaw and pitch in `[0, 1)`.
    pub rotation: (f32, f32),
    /// Uniform in `[0, 1)`.
    pub fall_distance: f32,
    /// Any `u16`.
    pub fire: u16,
    /// Any `u16`.
    pub air: u16,
    /// On the ground.
    pub on_ground: bool,
    /// Unaffected by gravity.
    pub no_gravity: bool,
    /// Takes no damage.
    pub invulnerable: bool,
    /// Any `i32`.
    pub portal_cooldown: i32,
    /// Any 128 bits.
    pub uuid: [u32; 4],
    /// Half of the time one of eight pet names.
    pub custom_name: Option<String>,
    /// Shows its name.
    pub custom_name_visible: bool,
    /// Makes no sound.
    pub silent: bool,
    /// Outlined.
    pub glowing: bool,
}

/// The recipes a player has unlocked, and the crafting screens' settings.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Debug, PartialEq)]
pub struct RecipeBook {
    /// 0 to 29 recipe names, repeats allowed.
    pub recipes: Vec<String>,
    /// 0 to 9 recipe names.
    pub to_be_displayed: Vec<String>,
    /// Screen setting.
    pub is_filtering_craftable: bool,
    /// Screen setting.
    pub is_gui_open: bool,
    /// Screen setting.
    pub is_furnace_filtering_craftable: bool,
    /// Screen setting.
    pub is_furnace_gui_open: bool,
    /// Screen setting.
    pub is_blasting_furnace_filtering_craftable: bool,
    /// Screen setting.
    pub is_blasting_furnace_gui_open: bool,
    /// Screen setting.
    pub is_smoker_filtering_craftable: bool,
    /// Screen setting.
    pub is_smoker_gui_open: bool,
}

/// One player's saved state.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Debug, PartialEq)]
pub struct Player {
    /// Current mode.
    pub game_type: GameType,
    /// Mode before the last change.
    pub previous_game_type: GameType,
    /// Any `i64`.
    pub score: i64,
    /// `overworld`, `nether` or `end`.
    pub dimension: String,
    /// Any `u32`.
    pub selected_item_slot: u32,
    /// The item in hand.
    pub selected_item: Item,
    /// Half of the time one of the three dimensions.
    pub spawn_dimension: Option<String>,
    /// Any `i64`.
    pub spawn_x: i64,
    /// Any `i64`.
    pub spawn_y: i64,
    /// Any `i64`.
    pub spawn_z: i64,
    /// Absent, true or false.
    pub spawn_forced: Option<bool>,
    /// Any `u16`.
    pub sleep_timer: u16,
    /// Uniform in `[0, 1)`.
    pub food_exhaustion_level: f32,
    /// Uniform in `[0, 1)`.
    pub food_saturation_level: f32,
    /// Any `u32`.
    pub food_tick_timer: u32,
    /// Any `u32`.
    pub xp_level: u32,
    /// Uniform in `[0, 1)`.
    pub xp_p: f32,
    /// Any `i32`.
    pub xp_total: i32,
    /// Any `i32`.
    pub xp_seed: i32,
    /// 0 to 39 items.
    pub inventory: Vec<Item>,
    /// 0 to 26 items.
    pub ender_items: Vec<Item>,
    /// What the player may do.
    pub abilities: Abilities,
    /// Half of the time a position.
    pub entered_nether_position: Option<(f64, f64, f64)>,
    /// Half of the time the ridden mob and its UUID.
    pub root_vehicle: Option<([u32; 4], Entity)>,
    /// Half of the time a mob.
    pub shoulder_entity_left: Option<Entity>,
    /// Half of the time a mob.
    pub shoulder_entity_right: Option<Entity>,
    /// Has seen the end credits.
    pub seen_credits: bool,
    /// Unlocked recipes.
    pub recipe_book: RecipeBook,
}

/// The dataset.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Debug, PartialEq)]
pub struct Players {
    /// The players.
    pub players: Vec<Player>,
}

const GAME_TYPES: [GameType; 4] = [
    GameType::Survival,
    GameType::Creative,
    GameType::Adventure,
    GameType::Spectator,
];
const ITEM_IDS: [&str; 8] = [
    "dirt",
    "stone",
    "pickaxe",
    "sand",
    "gravel",
    "shovel",
    "chestplate",
    "steak",
];
const MOB_IDS: [&str; 8] = [
    "cow", "sheep", "zombie", "skeleton", "spider", "creeper", "parrot", "bee",
];
const PET_NAMES: [&str; 8] = [
    "rainbow", "princess", "steve", "johnny", "missy", "coward", "fairy", "howard",
];
const RECIPES: [&str; 8] = [
    "pickaxe",
    "torch",
    "bow",
    "crafting table",
    "furnace",
    "shears",
    "arrow",
    "tnt",
];
const DIMENSIONS: [&str; 3] = ["overworld", "nether", "end"];

/// The dataset, the same on every call.
pub fn generate() -> Players {
    let mut rng = Rng::new(super::SEED);
    let count = PLAYERS as i32;
    Players {
        players: rng.vec(count..count + 1, Player::generate),
    }
}

fn name(rng: &mut Rng, names: &[&str]) -> String {
    rng.pick(names).to_string()
}

impl Item {
    fn generate(rng: &mut Rng) -> Item {
        Item {
            count: rng.draw(),
            slot: rng.draw(),
            id: name(rng, &ITEM_IDS),
        }
    }
}

impl Entity {
    fn generate(rng: &mut Rng) -> Entity {
        Entity {
            id: name(rng, &MOB_IDS),
            pos: rng.draw(),
            motion: rng.draw(),
            rotation: rng.draw(),
            fall_distance: rng.draw(),
            fire: rng.draw(),
            air: rng.draw(),
            on_ground: rng.draw(),
            no_gravity: rng.draw(),
            invulnerable: rng.draw(),
            portal_cooldown: rng.draw(),
            uuid: rng.draw(),
            custom_name: rng.option(|rng| name(rng, &PET_NAMES)),
            custom_name_visible: rng.draw(),
            silent: rng.draw(),
            glowing: rng.draw(),
        }
    }
}

impl Player {
    // Struct literal fields are evaluated in the order written, which is the declaration
    // order: the draws follow the fields.
    fn generate(rng: &mut Rng) -> Player {
        Player {
            game_type: *rng.pick(&GAME_TYPES),
            previous_game_type: *rng.pick(&GAME_TYPES),
            score: rng.draw(),
            dimension: name(rng, &DIMENSIONS),
            selected_item_slot: rng.draw(),
            selected_item: Item::generate(rng),
            spawn_dimension: rng.option(|rng| name(rng, &DIMENSIONS)),
            spawn_x: rng.draw(),
            spawn_y: rng.draw(),
            spawn_z: rng.draw(),
            spawn_forced: rng.option(|rng| rng.draw()),
            sleep_timer: rng.draw(),
            food_exhaustion_level: rng.draw(),
            food_saturation_level: rng.draw(),
            food_tick_timer: rng.draw(),
            xp_level: rng.draw(),
            xp_p: rng.draw(),
            xp_total: rng.draw(),
            xp_seed: rng.draw(),
            inventory: rng.vec(0..40, Item::generate),
            ender_items: rng.vec(0..27, Item::generate),
            abilities: Abilities {
                walk_speed: rng.draw(),
                fly_speed: rng.draw(),
                may_fly: rng.draw(),
                flying: rng.draw(),
                invulnerable: rng.draw(),
                may_build: rng.draw(),
                instabuild: rng.draw(),
            },
            entered_nether_position: rng.option(|rng| rng.draw()),
            root_vehicle: rng.option(|rng| (rng.draw(), Entity::generate(rng))),
            shoulder_entity_left: rng.option(Entity::generate),
            shoulder_entity_right: rng.option(Entity::generate),
            seen_credits: rng.draw(),
            recipe_book: RecipeBook {
                recipes: rng.vec(0..30, |rng| name(rng, &RECIPES)),
                to_be_displayed: rng.vec(0..10, |rng| name(rng, &RECIPES)),
                is_filtering_craftable: rng.draw(),
                is_gui_open: rng.draw(),
                is_furnace_filtering_craftable: rng.draw(),
                is_furnace_gui_open: rng.draw(),
                is_blasting_furnace_filtering_craftable: rng.draw(),
                is_blasting_furnace_gui_open: rng.draw(),
                is_smoker_filtering_craftable: rng.draw(),
                is_smoker_gui_open: rng.draw(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_the_documented_shape() {
        let players = generate().players;
        assert_eq!(players.len(), PLAYERS);
        let inventory: usize = players.iter().map(|p| p.inventory.len()).sum();
        let ender: usize = players.iter().map(|p| p.ender_items.len()).sum();
        let recipes: usize = players
            .iter()
            .map(|p| p.recipe_book.recipes.len() + p.recipe_book.to_be_displayed.len())
            .sum();
        // The community draw has 9 370, 6 527 and 9 892; expected values 9 750, 6 500, 9 500.
        assert!((9_000..10_500).contains(&inventory), "{inventory}");
        assert!((6_000..7_000).contains(&ender), "{ender}");
        assert!((9_000..10_500).contains(&recipes), "{recipes}");
        for p in &players {
            assert!(p.inventory.len() < 40 && p.ender_items.len() < 27);
            assert!(p.recipe_book.recipes.len() < 30 && p.recipe_book.to_be_displayed.len() < 10);
            assert!(DIMENSIONS.contains(&p.dimension.as_str()));
            assert!(p
                .inventory
                .iter()
                .all(|i| ITEM_IDS.contains(&i.id.as_str())));
            let mobs = [&p.shoulder_entity_left, &p.shoulder_entity_right];
            for mob in mobs.into_iter().flatten() {
                assert!(MOB_IDS.contains(&mob.id.as_str()));
            }
        }
        let ridden = players.iter().filter(|p| p.root_vehicle.is_some()).count();
        assert!((200..300).contains(&ridden), "{ridden}");
        assert!(GAME_TYPES
            .iter()
            .all(|g| players.iter().any(|p| p.game_type == *g)));
    }

    #[test]
    fn is_deterministic() {
        assert_eq!(generate(), generate());
    }
}
