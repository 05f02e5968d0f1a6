//! The part of the compatibility corpus made of other crates' types: those savefile
//! 0.20 implements its traits for (its default features, and nalgebra 0.33).
//!
//! Compiled, like `corpus.rs`, by `compat/fixture-writer` against savefile 0.20 and by
//! `savefile-test/tests/compat.rs` against this workspace's crate, with the same
//! versions of the crates on both sides; `corpus::visit` hands these cases on last.

use arrayvec::{ArrayString, ArrayVec};
use chrono::{DateTime, Utc};
use indexmap::{IndexMap, IndexSet};
use smallvec::SmallVec;

use savefile::prelude::*;

use crate::corpus::{eq, Visitor, CORPUS_VERSION};

/// A save struct holding one of each, as a game's would.
#[derive(Savefile, Debug, PartialEq)]
pub(crate) struct Holdings {
    pub(crate) stock: IndexMap<String, u32>,
    pub(crate) visited: IndexSet<u16>,
    pub(crate) hotbar: ArrayVec<u8, 8>,
    pub(crate) title: ArrayString<12>,
    pub(crate) path: SmallVec<[u32; 2]>,
    pub(crate) explored: bit_vec::BitVec,
    pub(crate) saved_at: DateTime<Utc>,
}

/// Bits 0, 5, 6 and 40 of 45, as bit-vec 0.6 holds them.
fn bits06() -> bit_vec::BitVec {
    let mut bits = bit_vec::BitVec::from_elem(45, false);
    for i in [0, 5, 6, 40] {
        bits.set(i, true);
    }
    bits
}

/// The same bits, as bit-vec 0.8 holds them.
fn bits08() -> bit_vec08::BitVec {
    let mut bits = bit_vec08::BitVec::from_elem(45, false);
    for i in [0, 5, 6, 40] {
        bits.set(i, true);
    }
    bits
}

/// A time with nanoseconds, after 1970.
fn moment() -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(1_765_000_000_123_456_789)
}

/// Locks compare by the values they hold.
fn same_lock<T: PartialEq>(a: &parking_lot::Mutex<T>, b: &parking_lot::Mutex<T>) -> bool {
    *a.lock() == *b.lock()
}

/// [`same_lock`] for `RwLock`.
fn same_rw_lock<T: PartialEq>(a: &parking_lot::RwLock<T>, b: &parking_lot::RwLock<T>) -> bool {
    *a.read() == *b.read()
}

/// Every case of other crates' types, in a fixed order.
pub(crate) fn visit(v: &mut impl Visitor) {
    const V: u32 = CORPUS_VERSION;
    let stock: IndexMap<String, u32> = [("wood", 40), ("stone", 7), ("amber", 1)]
        .into_iter()
        .map(|(name, count)| (name.to_string(), count))
        .collect();
    v.case("indexmap", V, stock.clone(), eq);
    v.case("indexmap_empty", V, IndexMap::<u8, String>::new(), eq);
    let visited: IndexSet<u16> = [300, 2, 65_535].into_iter().collect();
    v.case("indexset", V, visited.clone(), eq);
    let hotbar: ArrayVec<u8, 8> = [3, 1, 4].into_iter().collect();
    v.case("arrayvec", V, hotbar.clone(), eq);
    let names: ArrayVec<String, 2> = ["left", "right"].map(String::from).into();
    v.case("arrayvec_strings", V, names, eq);
    let title = ArrayString::<12>::from("héros").expect("fits");
    v.case("arraystring", V, title, eq);
    let path: SmallVec<[u32; 2]> = [10, 20, 30].into_iter().collect();
    v.case("smallvec_spilled", V, path.clone(), eq);
    let short: SmallVec<[u64; 4]> = [u64::MAX].into_iter().collect();
    v.case("smallvec_inline", V, short, eq);
    v.case("bitvec", V, bits06(), eq);
    v.case("bitvec_empty", V, bit_vec::BitVec::new(), eq);
    v.case("bitvec08", V, bits08(), eq);
    v.case("bitset", V, bit_set::BitSet::from_bit_vec(bits06()), eq);
    v.case("bitset08", V, bit_set08::BitSet::from_bit_vec(bits08()), eq);
    v.case("chrono_utc", V, moment(), eq);
    v.case(
        "chrono_before_1970",
        V,
        DateTime::<Utc>::from_timestamp_nanos(-86_400_000_000_001),
        eq,
    );
    let mutex = parking_lot::Mutex::new(vec!["guarded".to_string()]);
    v.case("parking_lot_mutex", V, mutex, same_lock);
    v.case(
        "parking_lot_rwlock",
        V,
        parking_lot::RwLock::new(-5i16),
        same_rw_lock,
    );
    let holdings = Holdings {
        stock,
        visited,
        hotbar,
        title: ArrayString::from("camp").expect("fits"),
        path,
        explored: bits06(),
        saved_at: moment(),
    };
    v.case("ecosystem_struct", V, holdings, eq);
    nalgebra_cases(v);
}

/// Floats compare by bits, component by component.
fn same_bits(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.to_bits() == b.to_bits())
}

fn nalgebra_cases(v: &mut impl Visitor) {
    const V: u32 = CORPUS_VERSION;
    let point = nalgebra::Point3::new(1.5f32, -0.0, f32::INFINITY);
    v.case("nalgebra_point3", V, point, |a, b| {
        same_bits(a.coords.as_slice(), b.coords.as_slice())
    });
    v.case(
        "nalgebra_vector3",
        V,
        nalgebra::Vector3::new(1.0f64, -2.0, 3.25),
        eq,
    );
    let pose = nalgebra::Isometry3::from_parts(
        nalgebra::Translation3::new(1.0f32, 2.0, 3.0),
        nalgebra::UnitQuaternion::new_unchecked(nalgebra::Quaternion::new(0.5, 0.25, -0.5, 0.75)),
    );
    v.case("nalgebra_isometry3", V, pose, eq);
    let track: Vec<nalgebra::Vector3<f64>> = (0..5)
        .map(|i| nalgebra::Vector3::new(f64::from(i), 0.5, -f64::from(i)))
        .collect();
    v.case("nalgebra_vector3_vec", V, track, eq);
}
