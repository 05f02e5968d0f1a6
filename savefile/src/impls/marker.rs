//! Zero-sized markers: `PhantomData`, `Removed<T>` for fields of old versions, and `Canary1`.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::io::{Read, Write};
use std::marker::PhantomData;

use crate::{
    Deserialize, Deserializer, Introspect, IntrospectItem, IsPacked, Packed, SavefileError, Schema,
    SchemaPrimitive, Serialize, Serializer, WithSchema, WithSchemaContext,
};

impl<T: ?Sized> WithSchema for PhantomData<T> {
    fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
        Schema::ZeroSize
    }
}

impl<T: ?Sized> Serialize for PhantomData<T> {
    #[inline]
    fn serialize(&self, _serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        Ok(())
    }
}

// Borrowed loads read these as owned loads do: they hold no borrows.
crate::borrowed::borrowed_as_owned!(impl[T: ?Sized] PhantomData<T>, impl[] Canary1);

impl<T: ?Sized> Deserialize for PhantomData<T> {
    const __SAVEFILE_FLAT: bool = true;

    #[inline]
    fn deserialize(_deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        Ok(PhantomData)
    }
}

#[allow(unsafe_code)]
impl<T: ?Sized> Packed for PhantomData<T> {
    #[inline]
    unsafe fn repr_c_optimization_safe(_version: u32) -> IsPacked {
        // SAFETY: PhantomData has no bytes in memory and none saved.
        unsafe { IsPacked::yes() }
    }
}

impl<T: ?Sized> Introspect for PhantomData<T> {
    fn introspect_value(&self) -> String {
        "PhantomData".to_string()
    }
    fn introspect_child<'a>(&'a self, _index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        None
    }
}

/// A field that older data versions had and the current one does not.
///
/// Takes no memory. Loading a file of a version that had the field reads a `T`
/// and throws it away; the field's `#[savefile_versions = "..N"]` says which
/// versions had it. Saving one is an error: the current version has no such field.
pub struct Removed<T: ?Sized> {
    phantom: PhantomData<T>,
}

impl<T: ?Sized> Removed<T> {
    /// The (only) value of a removed field.
    pub fn new() -> Removed<T> {
        Removed {
            phantom: PhantomData,
        }
    }
}

impl<T: ?Sized> Default for Removed<T> {
    fn default() -> Self {
        Removed::new()
    }
}

impl<T: ?Sized> Clone for Removed<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for Removed<T> {}

impl<T: ?Sized> fmt::Debug for Removed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Removed")
    }
}

impl<T: ?Sized> PartialEq for Removed<T> {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl<T: ?Sized> Eq for Removed<T> {}

/// Every `Removed<T>` is equal to every other, so they all hash alike.
impl<T: ?Sized> Hash for Removed<T> {
    fn hash<H: Hasher>(&self, _state: &mut H) {}
}

impl<T: ?Sized> PartialOrd for Removed<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: ?Sized> Ord for Removed<T> {
    fn cmp(&self, _other: &Self) -> Ordering {
        Ordering::Equal
    }
}

impl<T: WithSchema + ?Sized> WithSchema for Removed<T> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        T::schema(version, context)
    }
}

impl<T: WithSchema + ?Sized> Serialize for Removed<T> {
    fn serialize(&self, _serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        Err(SavefileError::GeneralError {
            msg: "a Removed<T> field cannot be saved: it exists only in older data versions"
                .to_string(),
        })
    }
}

impl<T: WithSchema + Deserialize> Deserialize for Removed<T> {
    const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        T::deserialize(deserializer)?;
        Ok(Removed::new())
    }
}

/// Not packed: its memory (none) is not its saved bytes (a `T`). Structs with a
/// removed field are packed only for versions without it, which the derive decides.
impl<T: ?Sized> Packed for Removed<T> {}

impl<T: ?Sized> Introspect for Removed<T> {
    fn introspect_value(&self) -> String {
        "Removed".to_string()
    }
    fn introspect_child<'a>(&'a self, _index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        None
    }
}

/// The magic number a [`Canary1`] writes and checks.
const CANARY_MAGIC: u32 = 0x4756_6843;

/// A zero-sized marker that saves a fixed 4-byte magic value and checks it on load.
///
/// Place it between fields to find a hand-written `Serialize`/`Deserialize` pair
/// that disagree: the load fails right where the bytes went out of step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Canary1 {}

impl Canary1 {
    /// A canary.
    pub fn new() -> Canary1 {
        Canary1 {}
    }
}

impl WithSchema for Canary1 {
    fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
        Schema::Primitive(SchemaPrimitive::schema_canary1)
    }
}

impl Serialize for Canary1 {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        serializer.write_u32(CANARY_MAGIC)
    }
}

impl Deserialize for Canary1 {
    const __SAVEFILE_MIN_SIZE: usize = 4;
    const __SAVEFILE_FLAT: bool = true;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        match deserializer.read_u32()? {
            CANARY_MAGIC => Ok(Canary1 {}),
            found => Err(SavefileError::CanaryMismatch { found }),
        }
    }
}

impl Packed for Canary1 {}

crate::introspect::introspect_leaf!(|_| "Canary1".to_string() => Canary1);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impls::test_support::assert_roundtrip;
    use crate::packed::is_packed;

    #[test]
    fn phantom_data_takes_no_bytes() {
        assert!(assert_roundtrip(&PhantomData::<String>).is_empty());
        assert!(is_packed::<PhantomData<String>>(0));
    }

    #[test]
    fn canary_writes_and_checks_its_magic() {
        assert_eq!(assert_roundtrip(&Canary1::new()), [0x43, 0x68, 0x56, 0x47]);
        let mut d = Deserializer::from_slice(&[1, 2, 3, 4], 0);
        assert!(matches!(
            Canary1::deserialize(&mut d),
            Err(SavefileError::CanaryMismatch { found: 0x0403_0201 })
        ));
    }

    #[test]
    fn removed_reads_and_discards_its_old_value() {
        let bytes = 77u32.to_le_bytes();
        let mut d = Deserializer::from_slice(&bytes, 0);
        let _: Removed<u32> = Removed::deserialize(&mut d).unwrap();
        assert!(d.is_exhausted());
        assert_eq!(
            crate::get_schema::<Removed<u32>>(0),
            Schema::Primitive(SchemaPrimitive::schema_u32)
        );
        assert_eq!(std::mem::size_of::<Removed<String>>(), 0);
        assert!(crate::save_to_mem(0, &Removed::<u32>::new()).is_err());
        assert!(!is_packed::<Removed<u32>>(0));
    }
}
