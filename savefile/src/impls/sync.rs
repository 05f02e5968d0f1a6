//! Locks: `Mutex<T>` and `RwLock<T>`, saved as the `T` they guard.
//!
//! Saving takes the lock (a read lock for `RwLock`), waiting for other threads as
//! any access would; a lock poisoned by a panic is an error
//! ([`SavefileError::PoisonedMutex`]): the value may be half-updated. Loading
//! builds a fresh, unlocked lock. Never packed: a lock keeps state next to its value.
//!
//! Introspection never waits: the single child "0" holds the guard when the lock
//! can be taken at once, and shows `<locked>` otherwise. A poisoned lock is still
//! shown, since looking is harmless and may explain the panic.

use std::io::{Read, Write};
use std::sync::{Mutex, RwLock, TryLockError};

use super::pointer::{locked_child, GuardedChild};
use crate::{
    Deserialize, Deserializer, Introspect, IntrospectItem, Packed, SavefileError, Schema,
    Serialize, Serializer, WithSchema, WithSchemaContext,
};

impl<T: WithSchema> WithSchema for Mutex<T> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        T::schema(version, context)
    }
}

impl<T: Serialize> Serialize for Mutex<T> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        let value = self.lock().map_err(|_| SavefileError::PoisonedMutex)?;
        value.serialize(serializer)
    }
}

// Borrowed loads read these as owned loads do: they hold no borrows.
crate::borrowed::borrowed_as_owned!(impl[T] Mutex<T>, impl[T] RwLock<T>);

impl<T: Deserialize> Deserialize for Mutex<T> {
    const __SAVEFILE_MIN_SIZE: usize = T::__SAVEFILE_MIN_SIZE;
    const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        Ok(Mutex::new(T::deserialize(deserializer)?))
    }
}

impl<T> Packed for Mutex<T> {}

/// No value of its own and one child "0": the guarded value, or `<locked>`.
impl<T: Introspect> Introspect for Mutex<T> {
    fn introspect_value(&self) -> String {
        String::new()
    }
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        if index != 0 {
            return None;
        }
        Some(match self.try_lock() {
            Ok(guard) => Box::new(GuardedChild::new(guard)),
            Err(TryLockError::Poisoned(poisoned)) => {
                Box::new(GuardedChild::new(poisoned.into_inner()))
            }
            Err(TryLockError::WouldBlock) => locked_child(),
        })
    }
    fn introspect_len(&self) -> usize {
        1
    }
}

impl<T: WithSchema> WithSchema for RwLock<T> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        T::schema(version, context)
    }
}

impl<T: Serialize> Serialize for RwLock<T> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        let value = self.read().map_err(|_| SavefileError::PoisonedMutex)?;
        value.serialize(serializer)
    }
}

impl<T: Deserialize> Deserialize for RwLock<T> {
    const __SAVEFILE_MIN_SIZE: usize = T::__SAVEFILE_MIN_SIZE;
    const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        Ok(RwLock::new(T::deserialize(deserializer)?))
    }
}

impl<T> Packed for RwLock<T> {}

/// No value of its own and one child "0": the value under a read lock, or `<locked>`.
impl<T: Introspect> Introspect for RwLock<T> {
    fn introspect_value(&self) -> String {
        String::new()
    }
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        if index != 0 {
            return None;
        }
        Some(match self.try_read() {
            Ok(guard) => Box::new(GuardedChild::new(guard)),
            Err(TryLockError::Poisoned(poisoned)) => {
                Box::new(GuardedChild::new(poisoned.into_inner()))
            }
            Err(TryLockError::WouldBlock) => locked_child(),
        })
    }
    fn introspect_len(&self) -> usize {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packed::is_packed;
    use crate::SchemaPrimitive;
    use std::panic::{catch_unwind, AssertUnwindSafe};

    /// Saves `value` with and without a schema; returns the data bytes after the header.
    fn saved_bytes<T: WithSchema + Serialize>(value: &T) -> Vec<u8> {
        let mut bare = Vec::new();
        crate::save_noschema(&mut bare, 0, value).unwrap();
        let with_schema = crate::save_to_mem(0, value).unwrap();
        assert!(with_schema.ends_with(&bare[16..]));
        bare.split_off(16)
    }

    /// Poisons a lock by panicking while holding the guard that `take` returns.
    fn poison_with<G>(take: impl FnOnce() -> G) {
        let result = catch_unwind(AssertUnwindSafe(|| {
            let _guard = take();
            panic!("poisoning the lock on purpose");
        }));
        assert!(result.is_err());
    }

    #[test]
    fn locks_save_and_load_as_their_contents() {
        assert_eq!(saved_bytes(&Mutex::new(0x0201u16)), [1, 2]);
        assert_eq!(saved_bytes(&RwLock::new(Some(3u8))), [1, 3]);

        let bytes = crate::save_to_mem(0, &Mutex::new((4u8, 5u8))).unwrap();
        let back: RwLock<(u8, u8)> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(*back.read().unwrap(), (4, 5));
        let back: Mutex<(u8, u8)> = crate::load(&mut &bytes[..], 0).unwrap();
        assert_eq!(*back.lock().unwrap(), (4, 5));

        let mut d = Deserializer::from_slice(&[2], 0);
        assert!(matches!(
            Mutex::<bool>::deserialize(&mut d),
            Err(SavefileError::InvalidBool { value: 2 })
        ));
    }

    #[test]
    fn a_poisoned_lock_cannot_be_saved() {
        let mutex = Mutex::new(1u8);
        poison_with(|| mutex.lock().unwrap());
        assert!(mutex.is_poisoned());
        assert!(matches!(
            crate::save_to_mem(0, &mutex),
            Err(SavefileError::PoisonedMutex)
        ));

        let rwlock = RwLock::new(1u8);
        poison_with(|| rwlock.write().unwrap());
        assert!(rwlock.is_poisoned());
        assert!(matches!(
            crate::save_to_mem(0, &rwlock),
            Err(SavefileError::PoisonedMutex)
        ));
    }

    #[test]
    fn schemas_are_those_of_the_contents_and_locks_are_not_packed() {
        let u64_schema = Schema::Primitive(SchemaPrimitive::schema_u64);
        assert_eq!(crate::get_schema::<Mutex<u64>>(0), u64_schema);
        assert_eq!(crate::get_schema::<RwLock<u64>>(0), u64_schema);
        assert!(!is_packed::<Mutex<u64>>(0));
        assert!(!is_packed::<RwLock<u64>>(0));
    }

    #[test]
    fn introspection_holds_the_guard_in_child_zero() {
        let mutex = Mutex::new(6u8);
        assert_eq!(mutex.introspect_value(), "");
        assert_eq!(mutex.introspect_len(), 1);
        {
            let child = mutex.introspect_child(0).unwrap();
            assert_eq!(
                (child.key(), child.val().introspect_value()),
                ("0", "6".into())
            );
            // While the child lives it holds the lock.
            assert!(matches!(mutex.try_lock(), Err(TryLockError::WouldBlock)));
        }
        assert!(mutex.introspect_child(1).is_none());

        let rwlock = RwLock::new(7u8);
        assert_eq!(rwlock.introspect_value(), "");
        let child = rwlock.introspect_child(0).unwrap();
        assert_eq!(child.val().introspect_value(), "7");
        // Readers share: a second look does not wait for the first.
        assert_eq!(rwlock.introspect_child(0).unwrap().key(), "0");
        drop(child);
        assert!(rwlock.introspect_child(1).is_none());
    }

    #[test]
    fn introspection_does_not_wait_for_a_held_lock() {
        let mutex = Mutex::new(6u8);
        let guard = mutex.lock().unwrap();
        let child = mutex.introspect_child(0).unwrap();
        assert_eq!(
            (child.key(), child.val().introspect_value()),
            ("0", "<locked>".into())
        );
        assert_eq!(child.val().introspect_len(), 0);
        drop(child);
        drop(guard);

        let rwlock = RwLock::new(7u8);
        let writer = rwlock.write().unwrap();
        assert_eq!(
            rwlock.introspect_child(0).unwrap().val().introspect_value(),
            "<locked>"
        );
        drop(writer);
    }

    #[test]
    fn a_poisoned_lock_can_still_be_looked_at() {
        let mutex = Mutex::new(8u8);
        poison_with(|| mutex.lock().unwrap());
        assert_eq!(
            mutex.introspect_child(0).unwrap().val().introspect_value(),
            "8"
        );
    }
}
