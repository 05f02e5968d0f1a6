//! The traits for std types, one file per family; each file implements every trait
//! (`WithSchema`, `Serialize`, `Deserialize`, `Packed`, `Introspect`) for its types.

mod array;
mod atomic;
pub(crate) mod map;
mod marker;
mod net;
mod nonzero;
mod option;
mod path;
pub(crate) mod pointer;
mod primitive;
mod range;
pub(crate) mod result;
pub(crate) mod seq;
mod set;
mod string;
mod sync;
mod time;
mod tuple;

pub use marker::{Canary1, Removed};
pub use result::get_result_schema;

#[cfg(test)]
pub(crate) mod test_support {
    //! The round-trip check used by every family's unit tests.

    use std::fmt::Debug;

    use crate::{Deserialize, Serialize, WithSchema};

    /// A hasher of our own, to show that maps and sets take any `BuildHasher + Default`.
    #[derive(Default)]
    pub(crate) struct Fnv(u64);

    impl std::hash::Hasher for Fnv {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for byte in bytes {
                self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x100_0000_01b3);
            }
        }
    }

    /// The `BuildHasher` of [`Fnv`].
    pub(crate) type FnvState = std::hash::BuildHasherDefault<Fnv>;

    /// Saves `value` in every mode (schema and no schema; memory, stream and, with
    /// the `compression` feature, compressed), loads it back and compares, showing
    /// the bytes on failure. Returns the no-schema bytes after the header.
    pub(crate) fn assert_roundtrip<T>(value: &T) -> Vec<u8>
    where
        T: WithSchema + Serialize + Deserialize + PartialEq + Debug,
    {
        let with_schema = crate::save_to_mem(3, value).unwrap();
        let back: T = crate::load_from_mem(&with_schema, 3)
            .unwrap_or_else(|e| panic!("load_from_mem failed: {e}\nbytes: {with_schema:02x?}"));
        assert_eq!(&back, value, "schema round trip; bytes: {with_schema:02x?}");
        let back: T = crate::load(&mut &with_schema[..], 3).unwrap();
        assert_eq!(&back, value, "stream round trip");

        let mut bare = Vec::new();
        crate::save_noschema(&mut bare, 3, value).unwrap();
        let back: T = crate::load_from_mem_noschema(&bare, 3)
            .unwrap_or_else(|e| panic!("load_noschema failed: {e}\nbytes: {bare:02x?}"));
        assert_eq!(&back, value, "no-schema round trip; bytes: {bare:02x?}");
        let back: T = crate::load_noschema(&mut &bare[..], 3).unwrap();
        assert_eq!(&back, value, "no-schema stream round trip");

        #[cfg(feature = "compression")]
        {
            let mut packed = Vec::new();
            crate::save_compressed(&mut packed, 3, value).unwrap();
            let back: T = crate::load_from_mem(&packed, 3).unwrap();
            assert_eq!(&back, value, "compressed round trip");
        }

        // A byte after the value makes the file invalid, whatever the value.
        let mut longer = bare.clone();
        longer.push(0);
        assert!(
            matches!(
                crate::load_from_mem_noschema::<T>(&longer, 3),
                Err(crate::SavefileError::TrailingBytes { count: 1 })
            ),
            "a file with a byte appended loaded"
        );

        // Every strict prefix of the data is a truncated file: always an error.
        for cut in 16..bare.len() {
            assert!(
                crate::load_from_mem_noschema::<T>(&bare[..cut], 3).is_err(),
                "a file cut at {cut} of {} bytes loaded",
                bare.len()
            );
        }
        bare.split_off(16)
    }
}
