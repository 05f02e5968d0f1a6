//! Paths: `PathBuf`, and `Path` (save only, it is unsized), saved as strings.
//!
//! A path is saved exactly like a `String` (u64 byte length, then UTF-8) and has
//! the string schema, as in savefile 0.20, so a path and a string load as each
//! other. Where 0.20 saves a non-Unicode path lossily (replacing the invalid
//! bytes, so a different path comes back), saving one here is an error:
//! [`SavefileError::NonUtf8Path`].
//!
//! `OsString` and `OsStr` are not supported: savefile 0.20 has no implementation
//! to be compatible with, and their bytes are platform-specific.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::{
    Deserialize, Deserializer, Packed, SavefileError, Schema, Serialize, Serializer, WithSchema,
    WithSchemaContext,
};

/// The path as UTF-8, or the error naming it (lossily) when it is not Unicode.
fn path_text(path: &Path) -> Result<&str, SavefileError> {
    path.to_str().ok_or_else(|| SavefileError::NonUtf8Path {
        path: path.to_string_lossy().into(),
    })
}

macro_rules! path_like {
    ($($ty:ty),*) => {$(
        impl WithSchema for $ty {
            fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
                Schema::string()
            }
        }

        impl Serialize for $ty {
            fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
                serializer.write_string(path_text(self)?)
            }
        }

        // A path's memory is an OS string buffer, never its length-prefixed bytes.
        impl Packed for $ty {}

        crate::introspect::introspect_leaf!(|value| value.to_string_lossy().into_owned() => $ty);
    )*};
}

path_like!(PathBuf, Path);

// Borrowed loads read these as owned loads do: they hold no borrows.
crate::borrowed::borrowed_as_owned!(impl[] PathBuf);

impl Deserialize for PathBuf {
    const __SAVEFILE_MIN_SIZE: usize = 8;
    const __SAVEFILE_FLAT: bool = true;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        Ok(PathBuf::from(deserializer.read_string()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impls::test_support::assert_roundtrip;
    use crate::packed::is_packed;
    use crate::Introspect;

    #[test]
    fn paths_are_strings() {
        let path = PathBuf::from("saves/slot 1/é.bin");
        let bytes = assert_roundtrip(&path);
        assert_eq!(&bytes[..8], &19u64.to_le_bytes());
        assert_eq!(&bytes[8..], "saves/slot 1/é.bin".as_bytes());
        assert_eq!(assert_roundtrip(&PathBuf::new()), [0; 8]);
    }

    #[test]
    fn a_path_saves_like_its_pathbuf_and_its_string() {
        let from_path = crate::save_to_mem(0, Path::new("a/b")).unwrap();
        let from_buf = crate::save_to_mem(0, &PathBuf::from("a/b")).unwrap();
        let from_string = crate::save_to_mem(0, "a/b").unwrap();
        assert_eq!(from_path, from_buf);
        assert_eq!(from_path, from_string);
        let back: PathBuf = crate::load_from_mem(&from_string, 0).unwrap();
        assert_eq!(back, Path::new("a/b"));
        let text: String = crate::load_from_mem(&from_buf, 0).unwrap();
        assert_eq!(text, "a/b");
    }

    #[test]
    fn the_schema_is_a_string() {
        assert_eq!(crate::get_schema::<PathBuf>(0), Schema::string());
        assert_eq!(crate::get_schema::<Path>(0), Schema::string());
    }

    #[cfg(unix)]
    #[test]
    fn a_non_unicode_path_is_refused_on_save() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;

        let path = Path::new(OsStr::from_bytes(b"bad\xffname"));
        for result in [
            crate::save_to_mem(0, path),
            crate::save_to_mem(0, &path.to_path_buf()),
        ] {
            match result {
                Err(SavefileError::NonUtf8Path { path }) => assert_eq!(&*path, "bad\u{fffd}name"),
                other => panic!("unexpected result {other:?}"),
            }
        }
    }

    #[test]
    fn invalid_utf8_is_refused_on_load() {
        let mut bytes = 2u64.to_le_bytes().to_vec();
        bytes.extend_from_slice(&[b'a', 0xff]);
        let result = PathBuf::deserialize(&mut Deserializer::from_slice(&bytes, 0));
        assert!(
            matches!(result, Err(SavefileError::InvalidUtf8 { .. })),
            "{result:?}"
        );
    }

    #[test]
    fn a_length_beyond_the_input_is_refused() {
        let mut bytes = 1000u64.to_le_bytes().to_vec();
        bytes.extend_from_slice(b"abc");
        let result = PathBuf::deserialize(&mut Deserializer::from_slice(&bytes, 0));
        assert!(
            matches!(result, Err(SavefileError::LengthTooLarge { .. })),
            "{result:?}"
        );
    }

    #[test]
    fn paths_are_not_packed() {
        assert!(!is_packed::<PathBuf>(0));
        assert!(!is_packed::<Path>(0));
    }

    #[test]
    fn introspection_shows_the_path() {
        let path = PathBuf::from("a/b.txt");
        assert_eq!(path.introspect_value(), "a/b.txt");
        assert_eq!(path.introspect_len(), 0);
        assert!(path.introspect_child(0).is_none());
        assert_eq!(Path::new("c").introspect_value(), "c");
    }
}
