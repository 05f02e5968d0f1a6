//! Other crates' types inside derived structs, as a game's save holds them: every
//! feature's types in one struct, round-tripped with and without schema, from memory
//! and from a stream; packed math types inside packed structs copied in bulk; and the
//! files of a struct moving from plain arrays to glam types.

use savefile::prelude::*;

#[derive(Savefile, Debug)]
struct World {
    players: indexmap::IndexMap<uuid::Uuid, Body>,
    tags: indexmap::IndexSet<String>,
    hotbar: arrayvec::ArrayVec<u8, 9>,
    name: arrayvec::ArrayString<16>,
    route: smallvec::SmallVec<[glam::IVec2; 4]>,
    fog: bit_vec::BitVec,
    seen: bit_set08::BitSet,
    saved_at: chrono::DateTime<chrono::Utc>,
    camera: glam::Mat4,
    sun: nalgebra::Vector3<f64>,
    pose: nalgebra::Isometry3<f32>,
    clock: parking_lot::Mutex<u64>,
}

/// Plain data made of packed math types, with no padding (the quaternion is 16-byte
/// aligned with SIMD, so it goes first and 32 bytes follow): packed itself.
#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
#[repr(C)]
struct Body {
    rotation: glam::Quat,
    position: glam::Vec3,
    velocity: glam::Vec3,
    spin: glam::Vec2,
}

/// The same with the quaternion last: padding after the vectors, so not packed.
#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
#[repr(C)]
struct Padded {
    position: glam::Vec3,
    velocity: glam::Vec3,
    rotation: glam::Quat,
}

/// Field by field; the clock by the value it guards.
impl PartialEq for World {
    fn eq(&self, other: &World) -> bool {
        self.players == other.players
            && self.players.keys().eq(other.players.keys())
            && self.tags == other.tags
            && self.hotbar == other.hotbar
            && self.name == other.name
            && self.route == other.route
            && self.fog == other.fog
            && self.seen == other.seen
            && self.saved_at == other.saved_at
            && self.camera == other.camera
            && self.sun == other.sun
            && self.pose == other.pose
            && *self.clock.lock() == *other.clock.lock()
    }
}

fn world() -> World {
    let body = |i: u8| Body {
        position: glam::Vec3::new(f32::from(i), 1.0, -2.0),
        velocity: glam::Vec3::splat(0.5),
        rotation: glam::Quat::from_rotation_y(f32::from(i) * 0.1),
        spin: glam::Vec2::new(0.0, f32::from(i)),
    };
    World {
        players: (0..3u8)
            .map(|i| (uuid::Uuid::from_bytes([i; 16]), body(i)))
            .collect(),
        tags: ["north", "winter"].map(String::from).into_iter().collect(),
        hotbar: [1, 2, 3].into_iter().collect(),
        name: arrayvec::ArrayString::from("Frostheim").unwrap(),
        route: (0..6).map(|i| glam::IVec2::new(i, -i)).collect(),
        fog: bit_vec::BitVec::from_fn(100, |i| i % 7 == 0),
        seen: [1usize, 5, 99].into_iter().collect(),
        saved_at: chrono::DateTime::from_timestamp_nanos(1_765_101_010_000_000_000),
        camera: glam::Mat4::from_cols_array(&std::array::from_fn(|i| i as f32)),
        sun: nalgebra::Vector3::new(0.0, 1.0, 0.25),
        pose: nalgebra::Isometry3::translation(1.0, 2.0, 3.0),
        clock: parking_lot::Mutex::new(77),
    }
}

#[test]
fn a_world_of_every_features_types_round_trips() {
    let world = world();
    let bytes = save_to_mem(1, &world).unwrap();
    let back: World = load_from_mem(&bytes, 1).unwrap();
    assert_eq!(back, world);
    let back: World = load(&mut &bytes[..], 1).unwrap();
    assert_eq!(back, world);
    let mut bare = Vec::new();
    save_noschema(&mut bare, 1, &world).unwrap();
    let back: World = load_noschema(&mut &bare[..], 1).unwrap();
    assert_eq!(back, world);
    // Every strict prefix fails.
    for cut in 16..bare.len() {
        assert!(
            load_from_mem_noschema::<World>(&bare[..cut], 1).is_err(),
            "cut at {cut}"
        );
    }
}

#[test]
fn structs_of_packed_math_types_are_copied_in_bulk() {
    assert_eq!(
        savefile::__private::bulk_copy::<Body>(0),
        savefile::__private::BulkCopy::Plain
    );
    let bodies: Vec<Body> = (0..10_000u16)
        .map(|i| Body {
            position: glam::Vec3::splat(f32::from(i)),
            velocity: glam::Vec3::ZERO,
            rotation: glam::Quat::IDENTITY,
            spin: glam::Vec2::X,
        })
        .collect();
    let bytes = save_to_mem(0, &bodies).unwrap();
    // Where glam's quaternion is a SIMD register (16-byte aligned), `Padded` has 8
    // bytes of padding before it; with glam's scalar math it has none.
    let padded = std::mem::size_of::<Padded>() > 40;
    assert_eq!(padded, std::mem::align_of::<glam::Quat>() == 16);
    assert_eq!(
        savefile::__private::bulk_copy::<Padded>(0) == savefile::__private::BulkCopy::No,
        padded
    );
    // The data is the vector's count, then each body's 48 bytes as memory holds them.
    assert_eq!(
        bytes.len() - save_to_mem(0, &Vec::<Body>::new()).unwrap().len(),
        48 * 10_000
    );
    let back: Vec<Body> = load_from_mem(&bytes, 0).unwrap();
    assert_eq!(back, bodies);
}

mod before {
    use savefile::prelude::*;
    /// Release 1 kept positions as plain arrays.
    #[derive(Savefile)]
    pub(crate) struct Unit {
        pub(crate) position: [f32; 3],
        pub(crate) id: [u8; 16],
    }
}

/// Release 2 uses glam and uuid, with the same schemas: old files load unchanged.
#[derive(Savefile, Debug, PartialEq)]
struct Unit {
    position: glam::Vec3,
    id: uuid::Uuid,
}

#[test]
fn arrays_become_glam_and_uuid_types_without_a_version_bump() {
    let old = before::Unit {
        position: [1.0, 2.0, 3.0],
        id: [0xAB; 16],
    };
    let file = save_to_mem(0, &old).unwrap();
    let unit: Unit = load_from_mem(&file, 0).unwrap();
    assert_eq!(unit.position, glam::Vec3::new(1.0, 2.0, 3.0));
    assert_eq!(unit.id, uuid::Uuid::from_bytes([0xAB; 16]));
}
