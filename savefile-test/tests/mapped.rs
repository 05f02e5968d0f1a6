//! Mapped arrays (issue 17) through the public API: files saved with `save_mapped` are
//! ordinary savefiles of `MappedData<M, T>` (the same schema as a derived struct of
//! that name), every access mode does what it says, metadata of any saved type comes
//! back (also without mapping), and files that lie are errors.

// `MappedVec::open` is `unsafe`: the tests map their own files, which nothing else touches.
#![allow(unsafe_code)]

use std::collections::BTreeMap;
use std::num::NonZeroU32;

use savefile::prelude::*;
use savefile::{
    load_file, read_mapped_metadata, save_file, save_mapped, save_mapped_image, AlignedBytes,
    CopyOnWrite, InMemory, MappedData, MappedProblem, MappedVec, ReadOnly, ReadWrite,
};
use savefile_test::alloc_trace::{Recorder, Trace};
use savefile_test::TempDir;

#[global_allocator]
static ALLOCATOR: Recorder = Recorder;

/// The struct a user of savefile 0.20 would declare to read a mapped file.
mod plain {
    use savefile::prelude::*;

    #[derive(Savefile, Debug, PartialEq)]
    pub(crate) struct MappedData<M, T> {
        pub(crate) metadata: M,
        pub(crate) shape: Vec<u64>,
        pub(crate) padding: Vec<u8>,
        pub(crate) data: Vec<T>,
    }
}

#[derive(Savefile, Clone, Copy, Debug, PartialEq, Default)]
#[repr(C)]
struct Vertex {
    x: f32,
    y: f32,
    z: f32,
}

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(u8)]
enum Cell {
    Empty,
    Wall,
    Water,
}

/// Metadata that changed across versions: version 1 added `unit`.
#[derive(Savefile, Clone, Debug, PartialEq)]
struct Grid {
    name: String,
    cell_size: f64,
    #[savefile_versions = "1.."]
    unit: String,
}

#[test]
fn the_schema_is_that_of_the_derived_struct() {
    for version in [0, 1, 7] {
        assert_eq!(
            get_schema::<MappedData<Grid, Vertex>>(version),
            get_schema::<plain::MappedData<Grid, Vertex>>(version)
        );
        assert_eq!(
            get_schema::<MappedData<(), u8>>(version),
            get_schema::<plain::MappedData<(), u8>>(version)
        );
    }
}

#[test]
fn a_mapped_file_loads_as_the_plain_struct() {
    let dir = TempDir::new();
    let path = dir.path("mesh.sav");
    let vertices: Vec<Vertex> = (0..300)
        .map(|i| Vertex {
            x: i as f32,
            y: -(i as f32),
            z: 0.25,
        })
        .collect();
    let grid = Grid {
        name: "mesh".into(),
        cell_size: 0.5,
        unit: "m".into(),
    };
    save_mapped(&path, 1, &grid, &[100, 3], &vertices).unwrap();
    let ours: MappedData<Grid, Vertex> = load_file(&path, 1).unwrap();
    assert_eq!(
        (&ours.metadata, &ours.shape, &ours.data),
        (&grid, &vec![100, 3], &vertices)
    );
    let derived: plain::MappedData<Grid, Vertex> = load_file(&path, 1).unwrap();
    assert_eq!(derived.data, vertices);
    assert_eq!(derived.padding, ours.padding);
    // SAFETY: the test's own file, which nothing else touches.
    let view = unsafe { MappedVec::<Vertex, Grid>::open(&path, 1, ReadOnly) }.unwrap();
    assert_eq!(&*view, &vertices[..]);
    assert_eq!(view.get_nd(&[99, 2]), Some(&vertices[299]));
    assert_eq!(view.data_offset() % 64, 0);
}

#[test]
fn metadata_of_every_kind_comes_back_with_and_without_mapping() {
    fn check<M: WithSchema + Serialize + Deserialize + PartialEq + std::fmt::Debug>(metadata: M) {
        let dir = TempDir::new();
        let path = dir.path("array.sav");
        save_mapped(&path, 1, &metadata, &[2, 2], &[1u32, 2, 3, 4]).unwrap();
        let (read, shape) = read_mapped_metadata::<u32, M, _>(&path, 1).unwrap();
        assert_eq!((&read, shape), (&metadata, vec![2, 2]));
        // SAFETY: the test's own file, which nothing else touches.
        let view = unsafe { MappedVec::<u32, M>::open(&path, 1, ReadOnly) }.unwrap();
        assert_eq!(view.metadata(), &metadata);
        assert_eq!(&*view, &[1, 2, 3, 4]);
        let image = save_mapped_image(1, &metadata, &[2, 2], &[1u32, 2, 3, 4]).unwrap();
        assert_eq!(image.as_slice(), &std::fs::read(&path).unwrap()[..]);
        let from_image = MappedVec::<u32, M, InMemory>::from_image(image, 1).unwrap();
        assert_eq!(from_image.metadata(), &metadata);
    }
    check(());
    check("a string".to_string());
    check(Grid {
        name: "g".into(),
        cell_size: 2.0,
        unit: "km".into(),
    });
    check(BTreeMap::from([
        ("a".to_string(), 1u8),
        ("b".to_string(), 2),
    ]));
    check(vec![Some(1.5f64), None]);
}

#[test]
fn metadata_is_versioned_like_everything_else() {
    let dir = TempDir::new();
    let path = dir.path("old.sav");
    // Release 0 saved its metadata without `unit`: the schema as of version 0.
    let grid = Grid {
        name: "old".into(),
        cell_size: 1.0,
        unit: "ignored at version 0".into(),
    };
    save_mapped(&path, 0, &grid, &[], &[7u8; 10]).unwrap();
    // SAFETY: the test's own file, which nothing else touches.
    let view = unsafe { MappedVec::<u8, Grid>::open(&path, 1, ReadOnly) }.unwrap();
    assert_eq!(view.metadata().name, "old");
    assert_eq!(view.metadata().unit, "");
    // A program of version 0 does not read a file of version 1.
    save_mapped(&path, 1, &grid, &[], &[7u8; 10]).unwrap();
    // SAFETY: as above.
    let newer = unsafe { MappedVec::<u8, Grid>::open(&path, 0, ReadOnly) };
    assert!(matches!(newer, Err(SavefileError::WrongVersion { .. })));
    assert!(matches!(
        read_mapped_metadata::<u8, Grid, _>(&path, 0),
        Err(SavefileError::WrongVersion { .. })
    ));
}

#[test]
fn the_access_modes_do_what_they_say() {
    let dir = TempDir::new();
    let path = dir.path("cells.sav");
    let cells = vec![Cell::Empty; 4096];
    save_mapped(&path, 0, &(), &[64, 64], &cells).unwrap();
    {
        // SAFETY: the test's own file, which nothing else touches.
        let mut shared = unsafe { MappedVec::<Cell, (), _>::open(&path, 0, ReadWrite) }.unwrap();
        *shared.get_nd_mut(&[63, 63]).unwrap() = Cell::Water;
        shared[1] = Cell::Wall;
        // Cells have invalid bit patterns: no raw bytes to write.
        assert!(shared.as_bytes_mut().is_none());
        shared.flush_range(4095..4096).unwrap();
        shared.flush().unwrap();
    }
    let reopened: MappedData<(), Cell> = load_file(&path, 0).unwrap();
    assert_eq!(
        (reopened.data[1], reopened.data[4095]),
        (Cell::Wall, Cell::Water)
    );
    let before = std::fs::read(&path).unwrap();
    {
        // SAFETY: as above.
        let mut private = unsafe { MappedVec::<Cell, (), _>::open(&path, 0, CopyOnWrite) }.unwrap();
        private[1] = Cell::Empty;
        assert_eq!(private[1], Cell::Empty);
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn the_first_element_is_aligned_whatever_comes_before() {
    let dir = TempDir::new();
    let path = dir.path("aligned.sav");
    for name_len in [0, 1, 7, 8, 40, 63, 64, 65, 200] {
        let grid = Grid {
            name: "n".repeat(name_len),
            cell_size: 0.0,
            unit: String::new(),
        };
        save_mapped(&path, 1, &grid, &[3], &[Vertex::default(); 3]).unwrap();
        // SAFETY: the test's own file, which nothing else touches.
        let view = unsafe { MappedVec::<Vertex, Grid>::open(&path, 1, ReadOnly) }.unwrap();
        assert_eq!(view.data_offset() % 64, 0, "{name_len}");
        assert_eq!(view.as_ptr() as usize % 64, 0, "{name_len}");
    }
}

#[test]
fn a_file_saved_without_mapped_padding_maps_only_if_aligned() {
    let dir = TempDir::new();
    let path = dir.path("plain.sav");
    // A file saved as a plain value, with 4 bytes more padding than `save_mapped`
    // gives: the elements are then 4 bytes off an 8-byte boundary.
    let aligned = save_mapped_image(0, &(), &[], &[1u64, 2]).unwrap();
    let offset = MappedVec::<u64, (), InMemory>::from_image(aligned.clone(), 0)
        .unwrap()
        .data_offset();
    let mut value: MappedData<(), u64> = savefile::load_from_mem(&aligned, 0).unwrap();
    let padding = value.padding.len();
    value.padding = vec![0; padding + 4];
    save_file(&path, 0, &value).unwrap();
    // SAFETY: the test's own file, which nothing else touches.
    let opened = unsafe { MappedVec::<u64, ()>::open(&path, 0, ReadOnly) };
    match opened {
        Err(SavefileError::Mapped {
            problem:
                MappedProblem::Misaligned {
                    offset: at,
                    alignment: 8,
                },
        }) => assert_eq!(at as usize, offset + 4),
        other => panic!("{other:?}"),
    }
    // With 8 bytes more it is aligned for u64 (not to 64) and maps.
    value.padding = vec![0; padding + 8];
    save_file(&path, 0, &value).unwrap();
    // SAFETY: as above.
    let view = unsafe { MappedVec::<u64, ()>::open(&path, 0, ReadOnly) }.unwrap();
    assert_eq!(view.data_offset(), offset + 8);
    assert_eq!(&*view, &[1, 2]);
}

#[test]
fn invalid_elements_in_a_file_are_errors() {
    let dir = TempDir::new();
    let path = dir.path("invalid.sav");
    fn corrupt_last(path: &std::path::Path, size: usize, bytes: &[u8]) {
        let mut file = std::fs::read(path).unwrap();
        let at = file.len() - size;
        file[at..].copy_from_slice(bytes);
        std::fs::write(path, file).unwrap();
    }
    save_mapped(&path, 0, &(), &[], &[Cell::Wall; 9]).unwrap();
    corrupt_last(&path, 1, &[3]);
    // SAFETY: the test's own file, which nothing else touches.
    let opened = unsafe { MappedVec::<Cell, ()>::open(&path, 0, ReadOnly) };
    assert!(
        matches!(opened, Err(SavefileError::InvalidTag { tag: 3, .. })),
        "{opened:?}"
    );

    save_mapped(&path, 0, &(), &[], &[false; 9]).unwrap();
    corrupt_last(&path, 1, &[0x80]);
    // SAFETY: as above.
    let opened = unsafe { MappedVec::<bool, ()>::open(&path, 0, ReadOnly) };
    assert!(matches!(
        opened,
        Err(SavefileError::InvalidBool { value: 0x80 })
    ));

    save_mapped(&path, 0, &(), &[], &['x'; 9]).unwrap();
    corrupt_last(&path, 4, &0x11_0000u32.to_le_bytes());
    // SAFETY: as above.
    let opened = unsafe { MappedVec::<char, (), _>::open(&path, 0, ReadWrite) };
    assert!(matches!(opened, Err(SavefileError::InvalidChar { .. })));

    let one = NonZeroU32::new(1).unwrap();
    save_mapped(&path, 0, &(), &[], &[one; 9]).unwrap();
    corrupt_last(&path, 4, &[0; 4]);
    // SAFETY: as above.
    let opened = unsafe { MappedVec::<NonZeroU32, (), _>::open(&path, 0, CopyOnWrite) };
    assert!(opened.is_err());
}

#[test]
fn every_truncation_of_a_file_is_an_error() {
    let dir = TempDir::new();
    let path = dir.path("full.sav");
    save_mapped(&path, 0, &"meta".to_string(), &[2, 2], &[Cell::Water; 4]).unwrap();
    let full = std::fs::read(&path).unwrap();
    let cut = dir.path("cut.sav");
    for len in 0..full.len() {
        std::fs::write(&cut, &full[..len]).unwrap();
        // SAFETY: the test's own file, which nothing else touches.
        let opened = unsafe { MappedVec::<Cell, String>::open(&cut, 0, ReadOnly) };
        assert!(opened.is_err(), "{len}");
        assert!(
            read_mapped_metadata::<Cell, String, _>(&cut, 0).is_err(),
            "{len}"
        );
    }
}

#[test]
fn a_compressed_file_is_a_clear_error() {
    let dir = TempDir::new();
    let path = dir.path("compressed.sav");
    let value = MappedData {
        metadata: (),
        shape: vec![],
        padding: vec![],
        data: vec![1u32, 2, 3],
    };
    savefile::save_file_compressed(&path, 0, &value).unwrap();
    // SAFETY: the test's own file, which nothing else touches.
    let opened = unsafe { MappedVec::<u32, ()>::open(&path, 0, ReadOnly) };
    let Err(SavefileError::Mapped {
        problem: MappedProblem::Compressed,
    }) = opened
    else {
        panic!("{opened:?}")
    };
    let message = SavefileError::Mapped {
        problem: MappedProblem::Compressed,
    }
    .to_string();
    assert!(message.contains("compressed"), "{message}");
}

#[test]
fn images_travel_as_bytes() {
    let data: Vec<f64> = (0..100).map(|i| i as f64 / 3.0).collect();
    let image = save_mapped_image(2, &"sent".to_string(), &[10, 10], &data).unwrap();
    // What a receiver does: a buffer of the announced size, filled from the wire.
    let wire: Vec<u8> = image.to_vec();
    let mut received = AlignedBytes::zeroed(wire.len());
    std::io::Read::read_exact(&mut &wire[..], &mut received).unwrap();
    let view = MappedVec::<f64, String, InMemory>::from_image(received, 2).unwrap();
    assert_eq!(&*view, &data[..]);
    assert_eq!(view.metadata(), "sent");
    // The bytes are those of the file, and they load as the plain struct.
    let plain: plain::MappedData<String, f64> = savefile::load_from_mem(&wire, 2).unwrap();
    assert_eq!(plain.data, data);
    // Not copied: the view's elements are inside the buffer.
    let image = view.into_image();
    let again = MappedVec::<f64, String, InMemory>::from_image(image, 2).unwrap();
    let range = again.image_bytes().as_ptr_range();
    assert!(range.contains(&again.as_ptr().cast::<u8>()));
}

#[test]
fn opening_allocates_nothing_for_the_elements() {
    let dir = TempDir::new();
    let path = dir.path("sizes.sav");
    let mut traces = Vec::new();
    for len in [1_000usize, 4_000_000] {
        save_mapped(
            &path,
            0,
            &"meta".to_string(),
            &[len as u64],
            &vec![7u32; len],
        )
        .unwrap();
        let trace = Trace::record(|| {
            // SAFETY: the test's own file, which nothing else touches.
            let view = unsafe { MappedVec::<u32, String>::open(&path, 0, ReadOnly) }.unwrap();
            assert_eq!(view.len(), len);
        });
        traces.push(trace.bytes());
        // The checked types too: each element is checked where it lies.
        save_mapped(&path, 0, &(), &[], &vec![true; len]).unwrap();
        let trace = Trace::record(|| {
            // SAFETY: as above.
            let view = unsafe { MappedVec::<bool, ()>::open(&path, 0, ReadOnly) }.unwrap();
            assert_eq!(view.len(), len);
        });
        traces.push(trace.bytes());
    }
    // The same few small blocks (schema, metadata, shape, path) for 4 KB and 16 MB.
    assert_eq!(traces[0], traces[2], "{traces:?}");
    assert_eq!(traces[1], traces[3], "{traces:?}");
    assert!(traces.iter().all(|&bytes| bytes < 4096), "{traces:?}");
}
