//! Atomics: `AtomicBool` and the atomic integers, saved as the plain value they hold.
//!
//! Saving reads the value once with `Ordering::SeqCst`; loading builds a new
//! atomic. The schema is that of the plain type (so `AtomicUsize` is a u64 on
//! every target, like `usize`), and a file of the plain type loads as the atomic
//! and back. Atomics are not packed: their bytes may change under a bulk copy,
//! and a copy would bypass the atomic read. Each type exists only on targets that
//! have atomics of its width.

use std::io::{Read, Write};
use std::sync::atomic::Ordering;

use crate::{
    Deserialize, Deserializer, Introspect, IntrospectItem, Packed, SavefileError, Schema,
    Serialize, Serializer, WithSchema, WithSchemaContext,
};

/// Implements everything for an atomic type that holds a `$plain`.
macro_rules! atomic {
    ($($width:literal: $atomic:ident => $plain:ty;)*) => {$(
        #[cfg(target_has_atomic = $width)]
        impl WithSchema for std::sync::atomic::$atomic {
            fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
                <$plain>::schema(version, context)
            }
        }

        #[cfg(target_has_atomic = $width)]
        impl Serialize for std::sync::atomic::$atomic {
            #[inline]
            fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
                self.load(Ordering::SeqCst).serialize(serializer)
            }
        }

        #[cfg(target_has_atomic = $width)]
        crate::borrowed::borrowed_as_owned!(impl[] std::sync::atomic::$atomic);

        #[cfg(target_has_atomic = $width)]
        impl Deserialize for std::sync::atomic::$atomic {
            const __SAVEFILE_MIN_SIZE: usize = <$plain as Deserialize>::__SAVEFILE_MIN_SIZE;
            const __SAVEFILE_FLAT: bool = true;

            #[inline]
            fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
                Ok(Self::new(<$plain>::deserialize(deserializer)?))
            }
        }

        #[cfg(target_has_atomic = $width)]
        impl Packed for std::sync::atomic::$atomic {}

        #[cfg(target_has_atomic = $width)]
        impl Introspect for std::sync::atomic::$atomic {
            fn introspect_value(&self) -> String {
                self.load(Ordering::SeqCst).to_string()
            }
            fn introspect_child<'a>(&'a self, _index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
                None
            }
            fn introspect_len(&self) -> usize {
                0
            }
        }
    )*};
}

atomic! {
    "8": AtomicBool => bool;
    "8": AtomicU8 => u8;
    "8": AtomicI8 => i8;
    "16": AtomicU16 => u16;
    "16": AtomicI16 => i16;
    "32": AtomicU32 => u32;
    "32": AtomicI32 => i32;
    "64": AtomicU64 => u64;
    "64": AtomicI64 => i64;
    "ptr": AtomicUsize => usize;
    "ptr": AtomicIsize => isize;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impls::test_support::assert_roundtrip;
    use crate::packed::is_packed;
    use std::fmt::Debug;
    use std::sync::atomic::{
        AtomicBool, AtomicI16, AtomicI32, AtomicI64, AtomicI8, AtomicIsize, AtomicU16, AtomicU32,
        AtomicU64, AtomicU8, AtomicUsize,
    };

    /// Checks that `atomic` saves exactly like `plain` in every mode, loads back to
    /// `plain`, has the same schema, is not packed, and introspects as the value.
    fn check<A, P>(atomic: A, plain: P, load: impl Fn(&A) -> P)
    where
        A: WithSchema + Serialize + Deserialize + Packed + Introspect,
        P: WithSchema + Serialize + Deserialize + PartialEq + Debug + ToString,
    {
        let plain_bytes = assert_roundtrip(&plain);
        let mut bare = Vec::new();
        crate::save_noschema(&mut bare, 0, &atomic).unwrap();
        assert_eq!(bare[16..], plain_bytes);

        let with_schema = crate::save_to_mem(0, &atomic).unwrap();
        assert_eq!(with_schema, crate::save_to_mem(0, &plain).unwrap());
        let back: A = crate::load_from_mem(&with_schema, 0).unwrap();
        assert_eq!(load(&back), plain);
        let back: A = crate::load_from_mem_noschema(&bare, 0).unwrap();
        assert_eq!(load(&back), plain);

        assert_eq!(crate::get_schema::<A>(0), crate::get_schema::<P>(0));
        assert!(!is_packed::<A>(0));
        assert_eq!(atomic.introspect_value(), plain.to_string());
        assert_eq!(atomic.introspect_len(), 0);
        assert!(atomic.introspect_child(0).is_none());
    }

    #[test]
    fn atomics_save_as_their_plain_values() {
        let seq = Ordering::SeqCst;
        check(AtomicBool::new(true), true, |a| a.load(seq));
        check(AtomicU8::new(0xab), 0xabu8, |a| a.load(seq));
        check(AtomicI8::new(-3), -3i8, |a| a.load(seq));
        check(AtomicU16::new(0x0102), 0x0102u16, |a| a.load(seq));
        check(AtomicI16::new(-300), -300i16, |a| a.load(seq));
        check(AtomicU32::new(0xdead_beef), 0xdead_beefu32, |a| a.load(seq));
        check(AtomicI32::new(i32::MIN), i32::MIN, |a| a.load(seq));
        check(AtomicU64::new(u64::MAX), u64::MAX, |a| a.load(seq));
        check(AtomicI64::new(-5), -5i64, |a| a.load(seq));
        check(AtomicUsize::new(77), 77usize, |a| a.load(seq));
        check(AtomicIsize::new(-77), -77isize, |a| a.load(seq));
    }

    #[test]
    fn exact_bytes() {
        let mut bare = Vec::new();
        crate::save_noschema(&mut bare, 0, &AtomicU32::new(0x0403_0201)).unwrap();
        assert_eq!(bare[16..], [1, 2, 3, 4]);
        bare.clear();
        crate::save_noschema(&mut bare, 0, &AtomicUsize::new(5)).unwrap();
        assert_eq!(bare[16..], [5, 0, 0, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn invalid_plain_values_are_errors() {
        let mut d = Deserializer::from_slice(&[2], 0);
        assert!(matches!(
            AtomicBool::deserialize(&mut d),
            Err(SavefileError::InvalidBool { value: 2 })
        ));
        let mut d = Deserializer::from_slice(&[1, 2, 3], 0);
        assert!(matches!(
            AtomicU32::deserialize(&mut d),
            Err(SavefileError::ShortRead)
        ));
    }
}
