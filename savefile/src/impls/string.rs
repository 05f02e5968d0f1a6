//! Strings: `String`, `str` (save only), `Box<str>`, `Rc<str>` and `Arc<str>`.
//!
//! All are saved alike: a u64 byte length, then the UTF-8 bytes. Loading checks
//! the length against the input and the bytes for valid UTF-8; from memory the
//! bytes are copied once, straight into the final allocation.

use std::io::{Read, Write};
use std::mem::MaybeUninit;
use std::rc::Rc;
use std::sync::Arc;

use crate::format::footprint;
use crate::traits::Written;
use crate::{
    Deserialize, Deserializer, Packed, SavefileError, Schema, Serialize, Serializer, WithSchema,
    WithSchemaContext,
};

macro_rules! string_like {
    ($($ty:ty),*) => {$(
        impl WithSchema for $ty {
            fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
                Schema::string()
            }
        }

        impl Serialize for $ty {
            #[inline]
            fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
                serializer.write_string(self)
            }
        }

        impl Packed for $ty {}

        crate::introspect::introspect_leaf!(|value| value.to_string() => $ty);
    )*};
}

string_like!(String, str, Box<str>, Rc<str>, Arc<str>);

// Borrowed loads read these as owned loads do: they hold no borrows.
crate::borrowed::borrowed_as_owned!(impl[] String, impl[] Box<str>, impl[] Rc<str>, impl[] Arc<str>);

impl Deserialize for String {
    const __SAVEFILE_MIN_SIZE: usize = 8;
    const __SAVEFILE_FLAT: bool = true;

    #[inline]
    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        deserializer.read_string()
    }

    #[inline(always)]
    #[allow(unsafe_code)]
    fn __savefile_deserialize_into(
        deserializer: &mut Deserializer<impl Read>,
        slot: &mut MaybeUninit<Self>,
    ) -> Result<Written, SavefileError> {
        deserializer.read_string_into(slot)?;
        // SAFETY: `read_string_into` initialised `slot` when it returned `Ok`.
        Ok(unsafe { Written::new() })
    }
}

impl Deserialize for Box<str> {
    const __SAVEFILE_MIN_SIZE: usize = 8;
    const __SAVEFILE_FLAT: bool = true;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        // At its exact length: a `String` may have room to spare (see `read_string`),
        // which `into_boxed_str` would give back with a `realloc`.
        deserializer.read_boxed_str()
    }
}

impl Deserialize for Rc<str> {
    const __SAVEFILE_MIN_SIZE: usize = 8;
    const __SAVEFILE_FLAT: bool = true;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        deserializer.read_str_as(footprint::counted_slice::<u8>, |text| Rc::from(text))
    }
}

impl Deserialize for Arc<str> {
    const __SAVEFILE_MIN_SIZE: usize = 8;
    const __SAVEFILE_FLAT: bool = true;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        deserializer.read_str_as(footprint::counted_slice::<u8>, |text| Arc::from(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impls::test_support::assert_roundtrip;

    #[test]
    fn strings_are_a_length_and_utf8() {
        assert_eq!(assert_roundtrip(&String::new()), [0; 8]);
        let bytes = assert_roundtrip(&"héllo ✓ 𝄞".to_string());
        assert_eq!(&bytes[..8], &("héllo ✓ 𝄞".len() as u64).to_le_bytes());
        assert_eq!(&bytes[8..], "héllo ✓ 𝄞".as_bytes());
        assert_roundtrip(&Box::<str>::from("boxed"));
        assert_roundtrip(&Rc::<str>::from("rc"));
        assert_roundtrip(&Arc::<str>::from("arc"));
    }

    #[test]
    fn str_saves_like_string() {
        let a = crate::save_to_mem(0, "same").unwrap();
        let b = crate::save_to_mem(0, &"same".to_string()).unwrap();
        assert_eq!(a, b);
        let back: Arc<str> = crate::load_from_mem(&a, 0).unwrap();
        assert_eq!(&*back, "same");
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        let mut bytes = crate::save_to_mem(0, "ab").unwrap();
        let last = bytes.len() - 1;
        bytes[last] = 0xff;
        for result in [
            crate::load_from_mem::<String>(&bytes, 0).map(drop),
            crate::load_from_mem::<Arc<str>>(&bytes, 0).map(drop),
            crate::load::<Rc<str>>(&mut &bytes[..], 0).map(drop),
        ] {
            assert!(
                matches!(result, Err(SavefileError::InvalidUtf8 { .. })),
                "{result:?}"
            );
        }
    }
}
