//! `mesh`: 125 000 triangles, a large array of padding-free plain data (the memcpy case).
//!
//! The types are deliberately not `#[repr(C)]`, as in the community benchmark: the default
//! layout happens to keep the fields in order without padding, and savefile (0.20 and ours)
//! measures that and copies the vector as one block.

use bitcode::{Decode, Encode};
use savefile_derive::Savefile;
use serde::{Deserialize, Serialize};

use super::rng::Rng;

/// The number of triangles: 6 000 000 bytes of coordinates.
pub const TRIANGLES: usize = 125_000;

/// A point or direction in space.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Copy, Debug, PartialEq)]
pub struct Vector3 {
    /// Uniform in `[0, 1)`.
    pub x: f32,
    /// Uniform in `[0, 1)`.
    pub y: f32,
    /// Uniform in `[0, 1)`.
    pub z: f32,
}

/// Three corners and a normal: 48 bytes, no padding.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Copy, Debug, PartialEq)]
pub struct Triangle {
    /// First corner.
    pub v0: Vector3,
    /// Second corner.
    pub v1: Vector3,
    /// Third corner.
    pub v2: Vector3,
    /// The face normal (random like the corners, not computed from them).
    pub normal: Vector3,
}

/// The dataset.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Debug, PartialEq)]
pub struct Mesh {
    /// The triangles.
    pub triangles: Vec<Triangle>,
}

/// The dataset, the same on every call.
pub fn generate() -> Mesh {
    let mut rng = Rng::new(super::SEED);
    let count = TRIANGLES as i32;
    Mesh {
        triangles: rng.vec(count..count + 1, Triangle::generate),
    }
}

impl Vector3 {
    fn generate(rng: &mut Rng) -> Vector3 {
        Vector3 {
            x: rng.draw(),
            y: rng.draw(),
            z: rng.draw(),
        }
    }
}

impl Triangle {
    fn generate(rng: &mut Rng) -> Triangle {
        Triangle {
            v0: Vector3::generate(rng),
            v1: Vector3::generate(rng),
            v2: Vector3::generate(rng),
            normal: Vector3::generate(rng),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_the_documented_shape() {
        assert_eq!(std::mem::size_of::<Triangle>(), 48);
        let mesh = generate();
        assert_eq!(mesh.triangles.len(), TRIANGLES);
        let coordinates = mesh.triangles.iter().flat_map(|t| {
            [t.v0, t.v1, t.v2, t.normal]
                .into_iter()
                .flat_map(|v| [v.x, v.y, v.z])
        });
        let mut sum = 0.0f64;
        for c in coordinates {
            assert!((0.0..1.0).contains(&c));
            sum += c as f64;
        }
        let mean = sum / (TRIANGLES * 12) as f64;
        assert!((mean - 0.5).abs() < 0.01, "{mean}");
    }

    #[test]
    fn is_deterministic() {
        assert_eq!(generate(), generate());
    }
}
