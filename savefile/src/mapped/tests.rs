//! The checks and views of mapped arrays, on images (every build) and on mapped
//! files (with `mmap`). These run under valgrind in CI (.ci/run): they go through
//! every `unsafe` block of the module.

use std::num::NonZeroU32;

use super::*;
use crate::{load_from_mem, save_to_mem};

fn image<T: WithSchema + Packed, M: WithSchema + Serialize>(
    metadata: &M,
    shape: &[u64],
    data: &[T],
) -> AlignedBytes {
    save_mapped_image(0, metadata, shape, data).unwrap()
}

fn problem(result: Result<impl fmt::Debug, SavefileError>) -> MappedProblem {
    match result {
        Err(SavefileError::Mapped { problem }) => problem,
        other => panic!("expected a Mapped error, got {other:?}"),
    }
}

#[test]
fn an_image_round_trips_and_is_a_plain_savefile() {
    let data: Vec<f32> = (0..1000).map(|i| i as f32 * 0.5).collect();
    let bytes = image(&"meta".to_string(), &[10, 100], &data);
    let view = MappedVec::<f32, String, InMemory>::from_image(bytes.clone(), 0).unwrap();
    assert_eq!(&*view, &data[..]);
    assert_eq!(view.metadata(), "meta");
    assert_eq!(view.shape(), &[10, 100]);
    assert_eq!(view.data_offset() % 64, 0);
    assert_eq!(view.as_bytes().len(), 4000);
    assert_eq!(&view.as_bytes()[4..8], &0.5f32.to_le_bytes());
    // The first element's address is aligned to 64 too, not only its offset.
    assert_eq!(view.as_ptr() as usize % 64, 0);
    // An ordinary load reads the same bytes as the plain struct, padding included.
    let plain: MappedData<String, f32> = load_from_mem(&bytes, 0).unwrap();
    assert_eq!(plain.metadata, "meta");
    assert_eq!(plain.shape, vec![10, 100]);
    assert_eq!(plain.data, data);
    assert!(plain.padding.iter().all(|&b| b == 0));
    // And saving the plain struct with that padding gives the very same bytes.
    assert_eq!(save_to_mem(0, &plain).unwrap(), bytes.as_slice());
}

#[test]
fn the_first_element_is_at_a_multiple_of_64_for_every_size() {
    fn check<T: WithSchema + Packed + Copy + Default + PartialEq + fmt::Debug>() {
        // Metadata of every length modulo 64 moves the data's natural offset around.
        for meta_len in 0..130 {
            let meta = "x".repeat(meta_len);
            let data = vec![T::default(); 3];
            let bytes = image(&meta, &[], &data);
            let view = MappedVec::<T, String, InMemory>::from_image(bytes, 0).unwrap();
            assert_eq!(view.data_offset() % 64, 0, "{meta_len}");
            assert_eq!(view.len(), 3);
            assert_eq!(
                view.image_bytes().len(),
                view.data_offset() + 3 * size_of::<T>()
            );
        }
    }
    check::<u8>();
    check::<u16>();
    check::<u32>();
    check::<u64>();
    check::<u128>();
    check::<[u64; 4]>();
}

#[test]
fn n_dimensional_indexing_is_row_major() {
    let data: Vec<u32> = (0..24).collect();
    let view =
        MappedVec::<u32, (), InMemory>::from_image(image(&(), &[2, 3, 4], &data), 0).unwrap();
    assert_eq!(view.get_nd(&[0, 0, 0]), Some(&0));
    assert_eq!(view.get_nd(&[1, 2, 3]), Some(&23));
    assert_eq!(view.get_nd(&[1, 0, 2]), Some(&14));
    assert_eq!(view.flat_index(&[0, 1, 0]), Some(4));
    assert_eq!(view.get_nd(&[2, 0, 0]), None);
    assert_eq!(view.get_nd(&[0, 3, 0]), None);
    assert_eq!(view.get_nd(&[0, 0]), None);
    assert_eq!(view.get_nd(&[0, 0, 0, 0]), None);
    assert_eq!(view.get(23), Some(&23));
    // A flat array takes one coordinate.
    let flat = MappedVec::<u32, (), InMemory>::from_image(image(&(), &[], &data), 0).unwrap();
    assert_eq!(flat.get_nd(&[5]), Some(&5));
    assert_eq!(flat.get_nd(&[24]), None);
    assert_eq!(flat.get_nd(&[0, 5]), None);
    // A zero dimension holds nothing.
    let empty =
        MappedVec::<u32, (), InMemory>::from_image(image::<u32, ()>(&(), &[3, 0], &[]), 0).unwrap();
    assert!(empty.is_empty());
    assert_eq!(empty.get_nd(&[0, 0]), None);
}

#[test]
fn writes_to_an_owned_image_stay_in_it() {
    let mut view =
        MappedVec::<u32, (), InMemory>::from_image(image(&(), &[], &[1u32, 2, 3]), 0).unwrap();
    view[1] = 20;
    *view.get_nd_mut(&[2]).unwrap() = 30;
    view.as_bytes_mut().unwrap()[0] = 10;
    let again = MappedVec::<u32, (), InMemory>::from_image(view.into_image(), 0).unwrap();
    assert_eq!(&*again, &[10, 20, 30]);
}

#[test]
fn types_with_invalid_bit_patterns_get_no_raw_bytes() {
    let mut bools =
        MappedVec::<bool, (), InMemory>::from_image(image(&(), &[], &[true, false]), 0).unwrap();
    assert!(bools.as_bytes_mut().is_none());
    bools[1] = true;
    assert_eq!(&*bools, &[true, true]);
    assert_eq!(bools.as_bytes(), &[1, 1]);
}

/// `bytes` with the byte at `index` from the end of the data set to `value`.
fn with_last_bytes(bytes: &AlignedBytes, from_end: usize, value: &[u8]) -> AlignedBytes {
    let mut bytes = bytes.clone();
    let at = bytes.len() - from_end;
    bytes[at..at + value.len()].copy_from_slice(value);
    bytes
}

#[test]
fn one_invalid_element_is_an_error() {
    let bools = image(&(), &[], &[true; 100]);
    let bad = with_last_bytes(&bools, 37, &[2]);
    assert!(matches!(
        MappedVec::<bool, (), InMemory>::from_image(bad, 0),
        Err(SavefileError::InvalidBool { value: 2 })
    ));
    let chars = image(&(), &[], &['a'; 10]);
    let bad = with_last_bytes(&chars, 8, &0xd800u32.to_le_bytes());
    assert!(matches!(
        MappedVec::<char, (), InMemory>::from_image(bad, 0),
        Err(SavefileError::InvalidChar { .. })
    ));
    let one = NonZeroU32::new(1).unwrap();
    let nonzero = image(&(), &[], &[one; 10]);
    let bad = with_last_bytes(&nonzero, 4, &[0; 4]);
    assert!(MappedVec::<NonZeroU32, (), InMemory>::from_image(bad, 0).is_err());
    // The untouched images open.
    assert!(MappedVec::<bool, (), InMemory>::from_image(bools, 0).is_ok());
    assert!(MappedVec::<NonZeroU32, (), InMemory>::from_image(nonzero, 0).is_ok());
}

#[test]
fn saving_refuses_what_cannot_be_mapped() {
    assert!(matches!(
        problem(save_mapped_image(0, &(), &[], &["text".to_string()])),
        MappedProblem::NotBulkCopyable { version: 0, .. }
    ));
    assert!(matches!(
        problem(save_mapped_image(0, &(), &[], &[(), ()])),
        MappedProblem::ZeroSized { .. }
    ));
    assert_eq!(
        problem(save_mapped_image(0, &(), &[2, 2], &[1u8, 2, 3])),
        MappedProblem::ShapeMismatch {
            shape: vec![2, 2],
            len: 3
        }
    );
    assert!(matches!(
        problem(save_mapped_image(0, &(), &[u64::MAX, 2], &[1u8, 2])),
        MappedProblem::ShapeMismatch { .. }
    ));
}

#[test]
fn every_lie_is_an_error() {
    let data: Vec<u32> = (0..16).collect();
    let good = image(&7u16, &[4, 4], &data);
    let open = |bytes: &[u8]| {
        MappedVec::<u32, u16, InMemory>::from_image(AlignedBytes::copy_from(bytes), 3)
    };
    assert!(open(&good).is_ok());
    let offset = open(&good).unwrap().data_offset();
    let count_at = offset - 8;

    // A count larger than the file, and smaller than the file (trailing bytes).
    let mut longer = good.to_vec();
    longer[count_at..offset].copy_from_slice(&17u64.to_le_bytes());
    assert!(matches!(
        open(&longer),
        Err(SavefileError::LengthTooLarge {
            length: 17,
            remaining: 64
        })
    ));
    longer[count_at..offset].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(matches!(
        open(&longer),
        Err(SavefileError::LengthTooLarge { .. })
    ));
    let mut shorter = good.to_vec();
    shorter[count_at..offset].copy_from_slice(&15u64.to_le_bytes());
    assert!(matches!(
        open(&shorter),
        Err(SavefileError::TrailingBytes { count: 4 })
    ));
    let mut trailing = good.to_vec();
    trailing.push(0);
    assert!(matches!(
        open(&trailing),
        Err(SavefileError::TrailingBytes { count: 1 })
    ));

    // A shape that does not hold the elements.
    let mut bad_shape = good.to_vec();
    let shape_bytes: Vec<u8> = [2u64, 4, 4].iter().flat_map(|d| d.to_le_bytes()).collect();
    let find = |haystack: &[u8], needle: &[u8]| {
        haystack
            .windows(needle.len())
            .position(|w| w == needle)
            .unwrap()
    };
    let at = find(&bad_shape, &shape_bytes);
    bad_shape[at + 8..at + 16].copy_from_slice(&5u64.to_le_bytes());
    assert_eq!(
        problem(open(&bad_shape)),
        MappedProblem::ShapeMismatch {
            shape: vec![5, 4],
            len: 16
        }
    );

    // Another element type, other metadata: the schema check, as for every load.
    assert!(matches!(
        MappedVec::<f32, u16, InMemory>::from_image(good.clone(), 3),
        Err(SavefileError::IncompatibleSchema { .. })
    ));
    assert!(matches!(
        MappedVec::<u32, u32, InMemory>::from_image(good.clone(), 3),
        Err(SavefileError::IncompatibleSchema { .. })
    ));
    // A newer file than the program.
    let mut newer = good.to_vec();
    newer[11..15].copy_from_slice(&4u32.to_le_bytes());
    assert!(matches!(
        open(&newer),
        Err(SavefileError::WrongVersion {
            file_version: 4,
            program_version: 3
        })
    ));
    // Compressed, and an unknown compression method.
    let mut compressed = good.to_vec();
    compressed[15] = 1;
    assert_eq!(problem(open(&compressed)), MappedProblem::Compressed);
    compressed[15] = 9;
    assert!(matches!(
        open(&compressed),
        Err(SavefileError::UnknownCompression { method: 9 })
    ));
    let mut not_a_savefile = good.to_vec();
    not_a_savefile[0] = b'S';
    assert!(matches!(
        open(&not_a_savefile),
        Err(SavefileError::NotASavefile)
    ));
}

#[test]
fn an_unaligned_image_is_an_error() {
    let data: Vec<u64> = (0..8).collect();
    let good = image(&(), &[], &data);
    let mut shifted = AlignedBytes::zeroed(good.len() + 8);
    for shift in 1..8 {
        shifted[shift..shift + good.len()].copy_from_slice(&good);
        let offset = good.len() - 64;
        assert_eq!(
            problem(MappedVec::<u64, (), Borrowed<'_>>::view(
                &shifted[shift..shift + good.len()],
                0
            )),
            MappedProblem::Misaligned {
                offset: offset as u64,
                alignment: align_of::<u64>()
            }
        );
    }
    // Bytes need no more alignment than the element type: aligned for u64 suffices.
    shifted[8..].copy_from_slice(&good);
    let view = MappedVec::<u64, (), Borrowed<'_>>::view(&shifted[8..], 0).unwrap();
    assert_eq!(&*view, &data[..]);
}

#[test]
fn every_truncation_and_every_corrupt_byte_is_an_error_or_a_valid_view() {
    let good = image(&"m".to_string(), &[3], &[true, false, true]);
    for len in 0..good.len() {
        let cut = AlignedBytes::copy_from(&good[..len]);
        assert!(
            MappedVec::<bool, String, InMemory>::from_image(cut, 0).is_err(),
            "{len}"
        );
    }
    for at in 0..good.len() {
        for value in [0u8, 1, 2, 0x7f, 0x80, 0xff] {
            let mut bytes = good.clone();
            bytes[at] = value;
            if let Ok(view) = MappedVec::<bool, String, InMemory>::from_image(bytes, 0) {
                // Whatever opened is consistent: the shape holds the elements.
                let product: u64 = view.shape().iter().product();
                assert!(view.shape().is_empty() || product == view.len() as u64);
                assert!(view.iter().filter(|&&b| b).count() <= view.len());
            }
        }
    }
}

#[test]
fn mapped_data_has_the_derived_struct_schema_shape() {
    let Schema::Struct(schema) = get_schema::<MappedData<u8, u32>>(0) else {
        panic!("not a struct")
    };
    assert_eq!(schema.dbg_name, "MappedData");
    let names: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["metadata", "shape", "padding", "data"]);
    assert_eq!(schema.size, Some(size_of::<MappedData<u8, u32>>()));
}

#[cfg(feature = "mmap")]
mod files {
    use super::*;

    struct Scratch(std::path::PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir =
                std::env::temp_dir().join(format!("savefile-mapped-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        fn file(&self) -> std::path::PathBuf {
            self.0.join("array.sav")
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn read_only_maps_see_the_saved_elements() {
        let dir = Scratch::new("read-only");
        let data: Vec<u16> = (0..5000).collect();
        save_mapped(dir.file(), 1, &"grid".to_string(), &[50, 100], &data).unwrap();
        // SAFETY: the test's own file, which nothing else touches.
        let view = unsafe { MappedVec::<u16, String>::open(dir.file(), 1, ReadOnly) }.unwrap();
        assert_eq!(&*view, &data[..]);
        assert_eq!(view.metadata(), "grid");
        assert_eq!(view.get_nd(&[49, 99]), Some(&4999));
        assert_eq!(view.as_ptr() as usize % 64, 0);
        assert_eq!(view.image_bytes(), &std::fs::read(dir.file()).unwrap()[..]);
        let (meta, shape) = read_mapped_metadata::<u16, String, _>(dir.file(), 1).unwrap();
        assert_eq!((meta.as_str(), shape), ("grid", vec![50, 100]));
        // The same file as an image.
        let image = save_mapped_image(1, &"grid".to_string(), &[50, 100], &data).unwrap();
        assert_eq!(image.as_slice(), view.image_bytes());
    }

    #[test]
    fn read_write_maps_write_the_file() {
        let dir = Scratch::new("read-write");
        save_mapped(dir.file(), 0, &(), &[], &[0u64; 1024]).unwrap();
        {
            // SAFETY: the test's own file, which nothing else touches.
            let mut view =
                unsafe { MappedVec::<u64, (), _>::open(dir.file(), 0, ReadWrite) }.unwrap();
            view[3] = 33;
            view[1000] = 1000;
            view.flush_range(3..4).unwrap();
            assert!(view.flush_range(1000..1025).is_err());
            assert!(view.flush_range(1025..1025).is_err());
            view.as_bytes_mut().unwrap()[8] = 1;
            view.flush().unwrap();
        }
        // SAFETY: as above.
        let view = unsafe { MappedVec::<u64, ()>::open(dir.file(), 0, ReadOnly) }.unwrap();
        assert_eq!((view[1], view[3], view[1000], view[4]), (1, 33, 1000, 0));
    }

    #[test]
    fn copy_on_write_maps_leave_the_file_alone() {
        let dir = Scratch::new("copy-on-write");
        save_mapped(dir.file(), 0, &(), &[], &[5i32; 100]).unwrap();
        let before = std::fs::read(dir.file()).unwrap();
        {
            // SAFETY: the test's own file, which nothing else touches.
            let mut view =
                unsafe { MappedVec::<i32, (), _>::open(dir.file(), 0, CopyOnWrite) }.unwrap();
            view[0] = -1;
            assert_eq!(view[0], -1);
        }
        assert_eq!(std::fs::read(dir.file()).unwrap(), before);
    }

    #[test]
    fn files_that_lie_are_errors() {
        let dir = Scratch::new("lies");
        save_mapped(dir.file(), 0, &(), &[], &[true; 64]).unwrap();
        let mut bytes = std::fs::read(dir.file()).unwrap();
        let last = bytes.len() - 1;
        bytes[last] = 3;
        std::fs::write(dir.file(), &bytes).unwrap();
        // SAFETY: the test's own file, which nothing else touches.
        let opened = unsafe { MappedVec::<bool, ()>::open(dir.file(), 0, ReadOnly) };
        assert!(matches!(
            opened,
            Err(SavefileError::InvalidBool { value: 3 })
        ));
        bytes.pop();
        std::fs::write(dir.file(), &bytes).unwrap();
        // SAFETY: as above.
        let opened = unsafe { MappedVec::<bool, ()>::open(dir.file(), 0, ReadOnly) };
        assert!(matches!(opened, Err(SavefileError::LengthTooLarge { .. })));
        assert!(matches!(
            read_mapped_metadata::<bool, (), _>(dir.file(), 0),
            Err(SavefileError::LengthTooLarge { .. })
        ));
        std::fs::write(dir.file(), []).unwrap();
        // SAFETY: as above.
        let opened = unsafe { MappedVec::<bool, ()>::open(dir.file(), 0, ReadOnly) };
        assert!(matches!(opened, Err(SavefileError::ShortRead)));
        // SAFETY: a file that does not exist is not mapped.
        let missing = unsafe { MappedVec::<bool, ()>::open(dir.0.join("missing"), 0, ReadOnly) };
        assert!(matches!(missing, Err(SavefileError::IOError { .. })));
    }
}
