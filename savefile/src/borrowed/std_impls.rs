//! `DeserializeBorrowed` for the std containers that can hold borrowed values:
//! vectors, options, results, boxes, tuples, arrays, maps and sets, and `Removed`.
//!
//! Each reads the bytes its `Deserialize` reads (in `crate::impls`), with the same
//! checks: counts against the input that remains, memory charged to the load's
//! budget before anything is reserved, tags refused when they name no variant. Only
//! the elements differ: they are read with their own `DeserializeBorrowed`. The
//! leaves (numbers, owned strings, paths …) are read by their `Deserialize`, next to
//! which they are declared (`borrowed_as_owned!`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasher, Hash};
use std::rc::Rc;
use std::sync::Arc;

use super::DeserializeBorrowed;
use crate::format::footprint::{self, grow_toward, reserve_hash_table, VEC_GROWTH_STEP};
use crate::format::BorrowedDeserializer;
use crate::impls::result::{ERR_TAG, OK_TAG};
use crate::impls::seq::{charge_btree, read_counted};
use crate::packed::{min_wire_size, try_read_packed, Room};
use crate::{Packed, Removed, SavefileError, WithSchema};

/// The fewest bytes each element of a collection of `T` takes in the data of
/// `version`: what its saved count is checked against.
#[inline]
fn element_bytes<'de, T: DeserializeBorrowed<'de> + Packed>(version: u32) -> usize {
    min_wire_size::<T>(version).max(T::__SAVEFILE_MIN_SIZE)
}

/// Reads `count` elements into a new vector: in one copy when `T`'s memory is its
/// saved bytes, else one by one, the vector growing as they arrive (see
/// `crate::impls::seq::read_elements`, whose charges these are).
#[inline]
pub(crate) fn read_elements<'de, T: DeserializeBorrowed<'de> + Packed>(
    deserializer: &mut BorrowedDeserializer<'de>,
    count: usize,
) -> Result<Vec<T>, SavefileError> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if let Some(items) = try_read_packed(deserializer, count, Room::Spare)? {
        return Ok(items);
    }
    let reserved = footprint::reserve_vec::<T>(deserializer, count)?;
    let mut items = Vec::with_capacity(reserved.capacity);
    for _ in 0..count {
        grow_toward(&mut items, 1, VEC_GROWTH_STEP, count);
        items.push(T::deserialize_borrowed(deserializer)?);
    }
    reserved.complete(deserializer);
    Ok(items)
}

impl<'de, T: DeserializeBorrowed<'de> + Packed> DeserializeBorrowed<'de> for Vec<T> {
    const __SAVEFILE_MIN_SIZE: usize = 8;

    #[inline]
    fn deserialize_borrowed(
        deserializer: &mut BorrowedDeserializer<'de>,
    ) -> Result<Self, SavefileError> {
        let count = deserializer.read_count(element_bytes::<T>(deserializer.file_version))?;
        read_elements(deserializer, count)
    }
}

impl<'de, T: DeserializeBorrowed<'de>> DeserializeBorrowed<'de> for Option<T> {
    const __SAVEFILE_MIN_SIZE: usize = 1;
    const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT;

    #[inline]
    fn deserialize_borrowed(
        deserializer: &mut BorrowedDeserializer<'de>,
    ) -> Result<Self, SavefileError> {
        match deserializer.read_u8()? {
            0 => Ok(None),
            1 => Ok(Some(T::deserialize_borrowed(deserializer)?)),
            tag => Err(SavefileError::InvalidTag {
                type_name: "Option",
                tag: tag.into(),
            }),
        }
    }
}

impl<'de, T: DeserializeBorrowed<'de>, E: DeserializeBorrowed<'de>> DeserializeBorrowed<'de>
    for Result<T, E>
{
    const __SAVEFILE_MIN_SIZE: usize = 1;
    const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT && E::__SAVEFILE_FLAT;

    #[inline]
    fn deserialize_borrowed(
        deserializer: &mut BorrowedDeserializer<'de>,
    ) -> Result<Self, SavefileError> {
        // The tags of the format, which `Result`'s `Deserialize` reads too.
        match deserializer.read_u8()? {
            OK_TAG => Ok(Ok(T::deserialize_borrowed(deserializer)?)),
            ERR_TAG => Ok(Err(E::deserialize_borrowed(deserializer)?)),
            tag => Err(SavefileError::InvalidTag {
                type_name: "Result",
                tag: tag.into(),
            }),
        }
    }
}

/// Pointers that own one `T`, charged as their `Deserialize` charges them.
macro_rules! owning_pointer {
    ($($ptr:ident => $bytes:ident),*) => {$(
        impl<'de, T: DeserializeBorrowed<'de>> DeserializeBorrowed<'de> for $ptr<T> {
            const __SAVEFILE_MIN_SIZE: usize = T::__SAVEFILE_MIN_SIZE;

            #[inline]
            fn deserialize_borrowed(
                deserializer: &mut BorrowedDeserializer<'de>,
            ) -> Result<Self, SavefileError> {
                deserializer.charge_memory(footprint::$bytes::<T>())?;
                Ok($ptr::new(T::deserialize_borrowed(deserializer)?))
            }
        }
    )*};
}

owning_pointer!(Box => boxed, Rc => counted, Arc => counted);

impl<'de, T: DeserializeBorrowed<'de> + Packed, const N: usize> DeserializeBorrowed<'de>
    for [T; N]
{
    const __SAVEFILE_MIN_SIZE: usize = T::__SAVEFILE_MIN_SIZE.saturating_mul(N);
    const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT;

    fn deserialize_borrowed(
        deserializer: &mut BorrowedDeserializer<'de>,
    ) -> Result<Self, SavefileError> {
        if let Some(array) = crate::packed::try_read_packed_array(deserializer)? {
            return Ok(array);
        }
        // As the owned read does: no allocation, and after the first error the
        // remaining slots stay `None` and nothing more is read.
        let mut error = None;
        let slots: [Option<T>; N] = std::array::from_fn(|_| {
            if error.is_some() {
                return None;
            }
            T::deserialize_borrowed(deserializer)
                .map_err(|e| error = Some(e))
                .ok()
        });
        match error {
            Some(error) => Err(error),
            None => Ok(slots.map(|slot| slot.expect("every slot is read when none fails"))),
        }
    }
}

/// Tuples of up to 12 elements, read left to right as they were saved.
macro_rules! tuple {
    ($(($($name:ident),+);)*) => {$(
        impl<'de, $($name: DeserializeBorrowed<'de>),+> DeserializeBorrowed<'de> for ($($name,)+) {
            const __SAVEFILE_FLAT: bool = true $(&& $name::__SAVEFILE_FLAT)+;
            const __SAVEFILE_MIN_SIZE: usize = crate::traits::min_sum(&[$($name::__SAVEFILE_MIN_SIZE),+]);

            #[inline]
            fn deserialize_borrowed(
                deserializer: &mut BorrowedDeserializer<'de>,
            ) -> Result<Self, SavefileError> {
                Ok(($($name::deserialize_borrowed(deserializer)?,)+))
            }
        }
    )*};
}

tuple! {
    (T0);
    (T0, T1);
    (T0, T1, T2);
    (T0, T1, T2, T3);
    (T0, T1, T2, T3, T4);
    (T0, T1, T2, T3, T4, T5);
    (T0, T1, T2, T3, T4, T5, T6);
    (T0, T1, T2, T3, T4, T5, T6, T7);
    (T0, T1, T2, T3, T4, T5, T6, T7, T8);
    (T0, T1, T2, T3, T4, T5, T6, T7, T8, T9);
    (T0, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10);
    (T0, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11);
}

impl<'de, K, V, S> DeserializeBorrowed<'de> for HashMap<K, V, S>
where
    K: DeserializeBorrowed<'de> + Packed + Eq + Hash,
    V: DeserializeBorrowed<'de> + Packed,
    S: BuildHasher + Default,
{
    const __SAVEFILE_MIN_SIZE: usize = 8;

    fn deserialize_borrowed(
        deserializer: &mut BorrowedDeserializer<'de>,
    ) -> Result<Self, SavefileError> {
        let version = deserializer.file_version;
        read_counted(
            deserializer,
            element_bytes::<K>(version) + element_bytes::<V>(version),
            0,
            reserve_hash_table::<(K, V)>,
            |capacity| HashMap::with_capacity_and_hasher(capacity, S::default()),
            |deserializer, map| {
                let key = K::deserialize_borrowed(deserializer)?;
                let value = V::deserialize_borrowed(deserializer)?;
                map.insert(key, value);
                Ok(())
            },
        )
    }
}

impl<'de, K, V> DeserializeBorrowed<'de> for BTreeMap<K, V>
where
    K: DeserializeBorrowed<'de> + Packed + Ord,
    V: DeserializeBorrowed<'de> + Packed,
{
    const __SAVEFILE_MIN_SIZE: usize = 8;

    fn deserialize_borrowed(
        deserializer: &mut BorrowedDeserializer<'de>,
    ) -> Result<Self, SavefileError> {
        let version = deserializer.file_version;
        read_counted(
            deserializer,
            element_bytes::<K>(version) + element_bytes::<V>(version),
            0,
            charge_btree::<K, V, _>,
            |_| BTreeMap::new(),
            |deserializer, map| {
                let key = K::deserialize_borrowed(deserializer)?;
                let value = V::deserialize_borrowed(deserializer)?;
                map.insert(key, value);
                Ok(())
            },
        )
    }
}

impl<'de, T, S> DeserializeBorrowed<'de> for HashSet<T, S>
where
    T: DeserializeBorrowed<'de> + Packed + Eq + Hash,
    S: BuildHasher + Default,
{
    const __SAVEFILE_MIN_SIZE: usize = 8;

    fn deserialize_borrowed(
        deserializer: &mut BorrowedDeserializer<'de>,
    ) -> Result<Self, SavefileError> {
        let min_item_bytes = element_bytes::<T>(deserializer.file_version);
        read_counted(
            deserializer,
            min_item_bytes,
            0,
            reserve_hash_table::<T>,
            |capacity| HashSet::with_capacity_and_hasher(capacity, S::default()),
            |deserializer, set| {
                set.insert(T::deserialize_borrowed(deserializer)?);
                Ok(())
            },
        )
    }
}

impl<'de, T: DeserializeBorrowed<'de> + Packed + Ord> DeserializeBorrowed<'de> for BTreeSet<T> {
    const __SAVEFILE_MIN_SIZE: usize = 8;

    fn deserialize_borrowed(
        deserializer: &mut BorrowedDeserializer<'de>,
    ) -> Result<Self, SavefileError> {
        let min_item_bytes = element_bytes::<T>(deserializer.file_version);
        read_counted(
            deserializer,
            min_item_bytes,
            0,
            charge_btree::<T, (), _>,
            |_| BTreeSet::new(),
            |deserializer, set| {
                set.insert(T::deserialize_borrowed(deserializer)?);
                Ok(())
            },
        )
    }
}

/// A removed field of a borrowed type: its old value is read (borrowing nothing that
/// outlives the read) and dropped.
impl<'de, T: WithSchema + DeserializeBorrowed<'de>> DeserializeBorrowed<'de> for Removed<T> {
    const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT;

    fn deserialize_borrowed(
        deserializer: &mut BorrowedDeserializer<'de>,
    ) -> Result<Self, SavefileError> {
        T::deserialize_borrowed(deserializer)?;
        Ok(Removed::new())
    }
}
