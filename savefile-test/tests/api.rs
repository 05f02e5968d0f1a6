//! The public entry points behave as documented: versions, headers, files, errors.

use std::collections::HashMap;

use savefile::prelude::*;
use savefile_test::{roundtrip, TempDir};

#[test]
fn every_mode_round_trips() {
    let value: (String, HashMap<u32, Vec<String>>) = (
        "hello".into(),
        HashMap::from([(1, vec!["a".into(), "b".into()])]),
    );
    let bare = roundtrip(&value);
    assert_eq!(&bare[..9], b"savefile\0");
}

#[test]
fn file_functions_take_any_path_like() {
    let dir = TempDir::new();
    let as_string: String = dir.path("a.sav").to_string_lossy().into_owned();
    save_file(&as_string, 0, &1u8).unwrap();
    save_file(as_string.as_str(), 0, &2u8).unwrap();
    save_file(dir.path("a.sav"), 0, &3u8).unwrap();
    assert_eq!(load_file::<u8, _>(&as_string, 0).unwrap(), 3);
    assert!(matches!(
        load_file::<u8, _>(dir.path("missing.sav"), 0),
        Err(SavefileError::IOError { .. })
    ));
}

#[test]
fn file_errors_name_the_file_and_what_was_being_done() {
    let dir = TempDir::new();
    let missing = dir.path("missing.sav");
    let error = load_file::<u8, _>(&missing, 0).unwrap_err();
    let message = error.to_string();
    let expected = format!("opening `{}` for loading", missing.display());
    assert!(message.contains(&expected), "{message}");
    // The I/O error keeps its kind, and the operating system's error is its source.
    let SavefileError::IOError { io_error } = &error else {
        panic!("not an I/O error: {error}");
    };
    assert_eq!(io_error.kind(), std::io::ErrorKind::NotFound);
    let inner = std::error::Error::source(io_error.get_ref().unwrap()).unwrap();
    let os = inner.downcast_ref::<std::io::Error>().unwrap();
    assert_eq!(os.kind(), std::io::ErrorKind::NotFound);

    // Saving into a directory that does not exist fails before writing anything.
    let nowhere = dir.path("no such dir").join("slot.sav");
    let message = save_file(&nowhere, 0, &1u8).unwrap_err().to_string();
    let expected = format!("beside `{}` to save it", nowhere.display());
    assert!(message.contains(&expected), "{message}");

    // A directory where the file should be: on unix opening succeeds, reading does not.
    if cfg!(unix) {
        let message = load_file::<u8, _>(dir.path(""), 0).unwrap_err().to_string();
        assert!(message.contains("reading `"), "{message}");
    }
}

#[test]
fn older_files_load_and_newer_files_are_refused() {
    let v1 = save_to_mem(1, &5u32).unwrap();
    assert_eq!(load_from_mem::<u32>(&v1, 1).unwrap(), 5);
    assert_eq!(
        load_from_mem::<u32>(&v1, 7).unwrap(),
        5,
        "a newer program reads older files"
    );
    let err = load_from_mem::<u32>(&v1, 0).unwrap_err();
    assert!(matches!(
        err,
        SavefileError::WrongVersion {
            file_version: 1,
            program_version: 0
        }
    ));
    assert_eq!(
        err.to_string(),
        "the file was saved with data version 1, but this program only knows versions up to 0"
    );
}

#[test]
fn the_deserializer_sees_the_files_version() {
    struct Versioned(u32);
    impl WithSchema for Versioned {
        fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
            Schema::ZeroSize
        }
    }
    impl Serialize for Versioned {
        fn serialize(
            &self,
            _serializer: &mut Serializer<impl std::io::Write>,
        ) -> Result<(), SavefileError> {
            Ok(())
        }
    }
    impl Deserialize for Versioned {
        fn deserialize(
            deserializer: &mut Deserializer<impl std::io::Read>,
        ) -> Result<Self, SavefileError> {
            Ok(Versioned(deserializer.file_version))
        }
    }
    impl Packed for Versioned {}
    let bytes = save_to_mem(3, &Versioned(0)).unwrap();
    assert_eq!(load_from_mem::<Versioned>(&bytes, 9).unwrap().0, 3);
}

#[test]
fn header_errors() {
    assert!(matches!(
        load_from_mem::<u8>(b"PK\x03\x04 not a savefile", 0),
        Err(SavefileError::NotASavefile)
    ));
    assert!(matches!(
        load_from_mem::<u8>(b"save", 0),
        Err(SavefileError::ShortRead)
    ));
    assert!(matches!(
        load::<u8>(&mut &b""[..], 0),
        Err(SavefileError::ShortRead)
    ));
    let mut newer_format = save_to_mem(0, &1u8).unwrap();
    newer_format[9] = 3;
    assert!(matches!(
        load_from_mem::<u8>(&newer_format, 0),
        Err(SavefileError::IncompatibleSavefileLibraryVersion {
            file_format: 3,
            supported: 2
        })
    ));
}

#[test]
fn a_schema_mismatch_says_where_and_what() {
    let bytes = save_to_mem(0, &(1u8, vec![String::from("x")])).unwrap();
    let err = load_from_mem::<(u8, Vec<u32>)>(&bytes, 0).unwrap_err();
    match &err {
        SavefileError::IncompatibleSchema { mismatch } => {
            assert_eq!(mismatch.path, "./2-Tuple/1/*");
        }
        other => panic!("expected IncompatibleSchema, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "the file does not match the program's data layout at `./2-Tuple/1/*`: the program has u32, the file has a string"
    );
    assert_eq!(
        diff_schema(
            &get_schema::<(u8, Vec<u32>)>(0),
            &get_schema::<(u8, Vec<String>)>(0),
            ".".into(),
            false
        ),
        Some("at `./2-Tuple/1/*`: the program has u32, the file has a string".to_string())
    );
    assert_eq!(
        diff_schema(
            &get_schema::<Vec<u8>>(0),
            &get_schema::<std::collections::VecDeque<u8>>(0),
            ".".into(),
            false
        ),
        None
    );
}

#[test]
fn a_vec_file_loads_as_any_vector_like_collection() {
    let bytes = save_to_mem(0, &vec![3u16, 1, 2]).unwrap();
    let deque: std::collections::VecDeque<u16> = load_from_mem(&bytes, 0).unwrap();
    assert_eq!(deque, [3, 1, 2]);
    let set: std::collections::BTreeSet<u16> = load_from_mem(&bytes, 0).unwrap();
    assert_eq!(set.into_iter().collect::<Vec<_>>(), [1, 2, 3]);
}

/// The reference documentation's custom-serialization example compiles and works unchanged.
mod reference_custom_impl {
    use savefile::prelude::*;

    struct MyPathBuf {
        path: String,
    }
    impl WithSchema for MyPathBuf {
        fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
            Schema::Primitive(SchemaPrimitive::schema_string(Default::default()))
        }
    }
    impl Packed for MyPathBuf {}
    impl Serialize for MyPathBuf {
        fn serialize<'a>(
            &self,
            serializer: &mut Serializer<impl std::io::Write>,
        ) -> Result<(), SavefileError> {
            self.path.serialize(serializer)
        }
    }
    impl Deserialize for MyPathBuf {
        fn deserialize(
            deserializer: &mut Deserializer<impl std::io::Read>,
        ) -> Result<Self, SavefileError> {
            Ok(MyPathBuf {
                path: String::deserialize(deserializer)?,
            })
        }
    }

    #[test]
    fn loads_a_plain_string_file() {
        let bytes = save_to_mem(0, &"/tmp/x".to_string()).unwrap();
        let p: MyPathBuf = load_from_mem(&bytes, 0).unwrap();
        assert_eq!(p.path, "/tmp/x");
        assert_eq!(save_to_mem(0, &p).unwrap(), bytes);
    }
}
