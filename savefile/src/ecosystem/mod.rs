//! The traits for types of other crates that saved state often holds, each behind the
//! cargo feature named after its crate (see the crate's front page for the table).
//!
//! Where savefile 0.20 implements a type, its schema and bytes here are the same as
//! 0.20's, so that files move between the two; the compatibility fixtures hold a value
//! of each (`savefile-test/tests/compat/ecosystem.rs`).

#[cfg(feature = "arrayvec")]
mod arrayvec;
#[cfg(any(feature = "bit-vec", feature = "bit-vec08"))]
mod bits;
#[cfg(feature = "chrono")]
mod chrono;
#[cfg(feature = "glam")]
mod glam;
#[cfg(feature = "indexmap")]
mod indexmap;
#[cfg(feature = "nalgebra")]
mod nalgebra;
#[cfg(feature = "parking_lot")]
mod parking_lot;
#[cfg(feature = "smallvec")]
mod smallvec;
#[cfg(feature = "uuid")]
mod uuid;
