//! `parking_lot::Mutex<T>` and `RwLock<T>` (parking_lot 0.12), saved as the `T` they
//! guard, with `T`'s schema, like std's locks.
//!
//! Saving takes the lock (a read lock for `RwLock`), waiting for other threads as any
//! access would; parking_lot's locks are never poisoned. Loading builds a fresh,
//! unlocked lock. Never packed. Introspection never waits: the single child "0"
//! holds the guard when the lock can be taken at once, and shows `<locked>` otherwise.

use std::io::{Read, Write};

use parking_lot::{Mutex, RwLock};

use crate::impls::pointer::{locked_child, GuardedChild};
use crate::{
    Deserialize, Deserializer, Introspect, IntrospectItem, Packed, SavefileError, Schema,
    Serialize, Serializer, WithSchema, WithSchemaContext,
};

macro_rules! lock {
    ($($lock:ident: $read:ident, $try_read:ident;)*) => {$(
        impl<T: WithSchema> WithSchema for $lock<T> {
            fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
                T::schema(version, context)
            }
        }

        impl<T: Serialize> Serialize for $lock<T> {
            fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
                self.$read().serialize(serializer)
            }
        }

        crate::borrowed::borrowed_as_owned!(impl[T] $lock<T>);

        impl<T: Deserialize> Deserialize for $lock<T> {
            const __SAVEFILE_MIN_SIZE: usize = T::__SAVEFILE_MIN_SIZE;
            const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT;

            fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
                Ok($lock::new(T::deserialize(deserializer)?))
            }
        }

        /// Never packed: a lock keeps its state beside the value.
        impl<T> Packed for $lock<T> {}

        /// No value of its own and one child "0": the guarded value, or `<locked>`.
        impl<T: Introspect> Introspect for $lock<T> {
            fn introspect_value(&self) -> String {
                String::new()
            }
            fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
                if index != 0 {
                    return None;
                }
                Some(match self.$try_read() {
                    Some(guard) => Box::new(GuardedChild::new(guard)),
                    None => locked_child(),
                })
            }
            fn introspect_len(&self) -> usize {
                1
            }
        }
    )*};
}

lock! {
    Mutex: lock, try_lock;
    RwLock: read, try_read;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_is_saved_as_its_value() {
        let value = vec!["a".to_string(), "b".to_string()];
        let plain = crate::save_to_mem(0, &value).unwrap();
        assert_eq!(
            crate::save_to_mem(0, &Mutex::new(value.clone())).unwrap(),
            plain
        );
        assert_eq!(
            crate::save_to_mem(0, &RwLock::new(value.clone())).unwrap(),
            plain
        );
        let std_lock = std::sync::Mutex::new(value.clone());
        assert_eq!(crate::save_to_mem(0, &std_lock).unwrap(), plain);
        let back: Mutex<Vec<String>> = crate::load_from_mem(&plain, 0).unwrap();
        assert_eq!(*back.lock(), value);
        let back: RwLock<Vec<String>> = crate::load(&mut &plain[..], 0).unwrap();
        assert_eq!(*back.read(), value);
        assert_eq!(
            crate::get_schema::<Mutex<Vec<String>>>(0),
            crate::get_schema::<Vec<String>>(0)
        );
    }

    #[test]
    fn introspection_shows_the_value_or_that_it_is_locked() {
        let lock = Mutex::new(5u8);
        let child = lock.introspect_child(0).unwrap();
        assert_eq!(
            (child.key(), child.val().introspect_value()),
            ("0", "5".into())
        );
        drop(child);
        let guard = lock.lock();
        assert_eq!(
            lock.introspect_child(0).unwrap().val().introspect_value(),
            "<locked>"
        );
        drop(guard);
        let lock = RwLock::new(6u8);
        let reading = lock.read();
        // Readers do not exclude each other.
        assert_eq!(
            lock.introspect_child(0).unwrap().val().introspect_value(),
            "6"
        );
        drop(reading);
        let writing = lock.write();
        assert_eq!(
            lock.introspect_child(0).unwrap().val().introspect_value(),
            "<locked>"
        );
        drop(writing);
        assert!(lock.introspect_child(1).is_none());
        assert_eq!(lock.introspect_len(), 1);
    }
}
