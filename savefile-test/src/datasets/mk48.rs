//! `mk48`: 1 000 network updates of a naval game: many small integers, enums, options and
//! short vectors, plus a few kilobyte-sized terrain chunks.

use bitcode::{Decode, Encode};
use savefile_derive::Savefile;
use serde::{Deserialize, Serialize};

use super::rng::Rng;

/// The number of updates.
pub const UPDATES: usize = 1_000;

/// The kind of a ship or submarine.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Copy, Debug, PartialEq)]
#[repr(u8)]
pub enum EntityType {
    /// Destroyer.
    ArleighBurke,
    /// Battleship.
    Bismarck,
    /// Carrier.
    Clemenceau,
    /// Destroyer.
    Fletcher,
    /// Torpedo boat.
    G5,
    /// Battleship.
    Iowa,
    /// Destroyer.
    Kolkata,
    /// Missile boat.
    Osa,
    /// Submarine, the only one.
    Yasen,
    /// Hovercraft.
    Zubr,
}

/// Where a contact is and how it moves.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Debug, PartialEq)]
pub struct Transform {
    /// Depth, -120 to -36 when submerged, else 0.
    pub altitude: i8,
    /// Heading, any `u16`.
    pub angle: u16,
    /// Coordinates, each in `[-750, 750)`.
    pub position: (f32, f32),
    /// Mostly 140 to 899, sometimes 0 or -225 to -36.
    pub velocity: i16,
}

/// Where a contact's controls point.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Debug, PartialEq)]
pub struct Guidance {
    /// Any `u16`.
    pub angle: u16,
    /// Diving (submarines, 90 % of the time).
    pub submerge: bool,
    /// Distributed like [`Transform::velocity`].
    pub velocity: i16,
}

/// Another entity as this player sees it.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Debug, PartialEq)]
pub struct Contact {
    /// 0 for most visible contacts, else below 200.
    pub damage: u8,
    /// Below 20 × the player count.
    pub entity_id: u32,
    /// Known only for visible contacts.
    pub entity_type: Option<EntityType>,
    /// The contact's controls.
    pub guidance: Guidance,
    /// Known only for visible contacts.
    pub player_id: Option<u16>,
    /// One flag per weapon of a visible contact; empty for others.
    pub reloads: Vec<bool>,
    /// Position and motion.
    pub transform: Transform,
    /// One angle per turret of a visible contact, mostly close to each other.
    pub turret_angles: Vec<u16>,
}

/// A changed chunk of the map.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Debug, PartialEq)]
pub struct TerrainUpdate {
    /// Chunk coordinates, within the world radius.
    pub chunk_id: (i8, i8),
    /// 3 to 8 bytes of changes, or 900 to 1 099 for a new chunk (2 %).
    pub data: Vec<u8>,
}

/// One update sent to a player.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Debug, PartialEq)]
pub struct Update {
    /// 20 to 39 contacts.
    pub contacts: Vec<Contact>,
    /// Mostly small, up to about 5 050.
    pub score: u32,
    /// Grows with the player count.
    pub world_radius: f32,
    /// 3 to 9 chunks.
    pub terrain_updates: Vec<TerrainUpdate>,
}

/// The dataset.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Debug, PartialEq)]
pub struct Updates {
    /// The updates.
    pub updates: Vec<Update>,
}

/// Each kind with how often it occurs (relative weight) and its turret and weapon counts.
const KINDS: [(EntityType, f64, usize, usize); 10] = [
    (EntityType::ArleighBurke, 2.14, 1, 20),
    (EntityType::Bismarck, 0.52, 4, 10),
    (EntityType::Clemenceau, 0.97, 4, 16),
    (EntityType::Fletcher, 1.46, 4, 18),
    (EntityType::G5, 13.16, 0, 2),
    (EntityType::Iowa, 1.55, 3, 28),
    (EntityType::Kolkata, 0.83, 1, 15),
    (EntityType::Osa, 7.25, 2, 6),
    (EntityType::Yasen, 4.06, 0, 14),
    (EntityType::Zubr, 12.92, 3, 11),
];

/// The dataset, the same on every call.
pub fn generate() -> Updates {
    let mut rng = Rng::new(super::SEED);
    let weights = KINDS.map(|(_, weight, _, _)| weight);
    let count = UPDATES as i32;
    Updates {
        updates: rng.vec(count..count + 1, |rng| Update::generate(rng, &weights)),
    }
}

/// Mostly forward at speed, sometimes stopped, sometimes reversing.
fn velocity(rng: &mut Rng) -> i16 {
    match rng.range(0..100) {
        0..=79 => rng.range(140..900) as i16,
        80..=89 => 0,
        _ => rng.range(-225..-35) as i16,
    }
}

impl Update {
    fn generate(rng: &mut Rng, weights: &[f64]) -> Update {
        let players = rng.range(200..400);
        let world_radius = (players as f32 * 15_000.0).sqrt() + rng.range_f32(-50.0..50.0);
        let terrain_radius = (world_radius / 1_600.0).ceil() as i32;
        let contacts = rng.vec(20..40, |rng| Contact::generate(rng, weights, players));
        // Most players score little, a few a lot.
        let score = (rng.draw::<f32>().powi(4) * 5_000.0) as u32 + rng.range(0..50) as u32;
        let terrain_updates = rng.vec(3..10, |rng| TerrainUpdate::generate(rng, terrain_radius));
        Update {
            contacts,
            score,
            world_radius,
            terrain_updates,
        }
    }
}

impl Contact {
    // The draws run in the community benchmark's order, which is not the field order.
    fn generate(rng: &mut Rng, weights: &[f64], players: i32) -> Contact {
        let (kind, _, turrets, weapons) = KINDS[rng.weighted(weights)];
        let visible = rng.chance(0.7);
        let damage = if visible && rng.chance(0.6) {
            0
        } else {
            rng.range(0..200) as u8
        };
        let entity_id = rng.range(0..players * 20) as u32;
        let guidance = Guidance {
            angle: rng.draw(),
            submerge: kind == EntityType::Yasen && rng.chance(0.9),
            velocity: velocity(rng),
        };
        let player_id = visible.then(|| rng.range(0..players) as u16);
        let reloads = if visible {
            let ready = rng.range_f64(0.0..1.0);
            (0..weapons).map(|_| rng.chance(ready)).collect()
        } else {
            Vec::new()
        };
        let transform = Transform {
            altitude: if guidance.submerge {
                rng.range(-120..-35) as i8
            } else {
                0
            },
            angle: rng.draw(),
            position: (rng.range_f32(-750.0..750.0), rng.range_f32(-750.0..750.0)),
            velocity: velocity(rng),
        };
        let turret_angles = if visible {
            let base: u16 = rng.draw();
            (0..turrets)
                .map(|_| {
                    if rng.chance(0.75) {
                        base.wrapping_add(rng.range(-200..200) as u16)
                    } else {
                        rng.draw()
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        Contact {
            damage,
            entity_id,
            entity_type: visible.then_some(kind),
            guidance,
            player_id,
            reloads,
            transform,
            turret_angles,
        }
    }
}

impl TerrainUpdate {
    fn generate(rng: &mut Rng, radius: i32) -> TerrainUpdate {
        let new_chunk = rng.chance(0.02);
        let chunk_id = (
            rng.range(-radius..radius) as i8,
            rng.range(-radius..radius) as i8,
        );
        let len = if new_chunk { 900..1_100 } else { 3..9 };
        TerrainUpdate {
            chunk_id,
            data: rng.vec(len, |rng| rng.draw()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_the_documented_shape() {
        let updates = generate().updates;
        assert_eq!(updates.len(), UPDATES);
        let contacts: usize = updates.iter().map(|u| u.contacts.len()).sum();
        let chunks: usize = updates.iter().map(|u| u.terrain_updates.len()).sum();
        // The community draw has 29 655 and 6 064; expected values 29 500 and 6 000.
        assert!((29_000..30_000).contains(&contacts), "{contacts}");
        assert!((5_800..6_200).contains(&chunks), "{chunks}");
        let all = || updates.iter().flat_map(|u| &u.contacts);
        let visible = all().filter(|c| c.entity_type.is_some()).count();
        assert!((0.68..0.72).contains(&(visible as f64 / contacts as f64)));
        for c in all() {
            assert_eq!(c.entity_type.is_some(), c.player_id.is_some());
            let turrets = c.entity_type.map_or(0, |t| KINDS[t as usize].2);
            let weapons = c.entity_type.map_or(0, |t| KINDS[t as usize].3);
            assert_eq!((c.turret_angles.len(), c.reloads.len()), (turrets, weapons));
            assert_eq!(c.transform.altitude != 0, c.guidance.submerge);
            assert!((-750.0..750.0).contains(&c.transform.position.0));
        }
        for u in &updates {
            assert!(u.score < 5_050 && (1_682.0..2_500.0).contains(&u.world_radius));
            for t in &u.terrain_updates {
                assert!((3..9).contains(&t.data.len()) || (900..1_100).contains(&t.data.len()));
                assert!((-2..2).contains(&t.chunk_id.0));
            }
        }
        let subs = all().filter(|c| c.guidance.submerge).count();
        assert!(subs > 0 && subs < contacts / 5, "{subs}");
    }

    #[test]
    fn kinds_are_in_declaration_order() {
        for (index, (kind, ..)) in KINDS.iter().enumerate() {
            assert_eq!(*kind as usize, index);
        }
    }

    #[test]
    fn is_deterministic() {
        assert_eq!(generate(), generate());
    }
}
