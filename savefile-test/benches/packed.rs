//! The packed fast path against its floors: 4 million 48-byte triangles (192 MB).
//!
//! - `memcpy`: copying the bytes into a reserved buffer, the floor for saving;
//! - `to_vec`: allocating and copying the bytes, the floor for producing an owned Vec;
//! - our saves and loads of the same `Vec<Triangle>`;
//! - from a file (in the page cache): `std::fs::read` of it, the floor for any load from a
//!   file, against `load` from a `BufReader<File>` and `load_file`.
//!
//! Run with `cargo bench -p savefile-test --bench packed`; results in docs/performance.md.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::fs::File;
use std::hint::black_box;
use std::io::BufReader;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use savefile::prelude::*;

#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(C)]
#[savefile_require_fast]
struct Vector3 {
    x: f32,
    y: f32,
    z: f32,
}

/// A triangle with its normal: four vectors, 48 bytes, no padding.
#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(C)]
#[savefile_require_fast]
struct Triangle {
    v0: Vector3,
    v1: Vector3,
    v2: Vector3,
    normal: Vector3,
}

const TRIANGLES: usize = 4_000_000;

fn mesh() -> Vec<Triangle> {
    (0..TRIANGLES)
        .map(|i| {
            let f = i as f32;
            let v = |k: f32| Vector3 {
                x: f + k,
                y: f * 0.5 - k,
                z: -f,
            };
            Triangle {
                v0: v(0.0),
                v1: v(1.0),
                v2: v(2.0),
                normal: v(3.0),
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    assert_eq!(std::mem::size_of::<Triangle>(), 48);
    let triangles = mesh();
    let mut bare = Vec::new();
    save_noschema(&mut bare, 0, &triangles).unwrap();
    let with_schema = save_to_mem(0, &triangles).unwrap();
    // The raw bytes of the elements, for the floors.
    let raw = bare[24..].to_vec();
    assert_eq!(raw.len(), TRIANGLES * 48);

    let mut group = c.benchmark_group("mesh_4M");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Bytes(raw.len() as u64));

    let mut out: Vec<u8> = Vec::with_capacity(bare.len());
    group.bench_function("floor/memcpy_into_reserved", |b| {
        b.iter(|| {
            out.clear();
            out.extend_from_slice(black_box(&raw));
            black_box(&out);
        })
    });
    group.bench_function("save_noschema_into_reserved", |b| {
        b.iter(|| {
            out.clear();
            save_noschema(&mut out, 0, black_box(&triangles)).unwrap();
            black_box(&out);
        })
    });
    group.bench_function("floor/to_vec", |b| {
        b.iter(|| black_box(black_box(&raw).to_vec()))
    });
    group.bench_function("save_to_mem", |b| {
        b.iter(|| save_to_mem(0, black_box(&triangles)).unwrap())
    });
    group.bench_function("load_from_mem", |b| {
        b.iter(|| load_from_mem::<Vec<Triangle>>(black_box(&with_schema), 0).unwrap())
    });
    group.bench_function("load_from_mem_noschema", |b| {
        b.iter(|| load_from_mem_noschema::<Vec<Triangle>>(black_box(&bare), 0).unwrap())
    });
    group.bench_function("load_noschema_from_slice_reader", |b| {
        b.iter(|| load_noschema::<Vec<Triangle>>(&mut black_box(&bare[..]), 0).unwrap())
    });

    let dir = savefile_test::TempDir::new();
    let path = dir.path("mesh.sav");
    std::fs::write(&path, &with_schema).unwrap();
    group.bench_function("floor/fs_read", |b| {
        b.iter(|| std::fs::read(black_box(&path)).unwrap())
    });
    group.bench_function("load_from_bufreader_file", |b| {
        b.iter(|| {
            let mut reader = BufReader::new(File::open(black_box(&path)).unwrap());
            load::<Vec<Triangle>>(&mut reader, 0).unwrap()
        })
    });
    group.bench_function("load_file", |b| {
        b.iter(|| -> Vec<Triangle> { load_file(black_box(&path), 0).unwrap() })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
