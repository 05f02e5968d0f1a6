//! Mapped arrays (`MappedVec`, `save_mapped`) against their floors:
//!
//! - `open_read_one/{1MB,100MB,1GB}`: opening a mapped file of `f32` read-only and
//!   reading its middle element: the cost of an open, which must not grow with the file;
//! - `scan_1GB/{mapped,vec}`: summing every `f32` of the mapped file (page cache warm)
//!   against summing a `Vec<f32>` already in memory;
//! - `save_256MB/{save_mapped,fs_write}`: writing the file with `save_mapped` (crash-safe:
//!   temporary file, sync, rename) against `std::fs::write` of the same bytes (no sync)
//!   and `fs::write` then `sync_all` (what a durable write costs);
//! - `check_256MB/{bool,enum}`: opening a file of elements with invalid bit patterns,
//!   each checked once on open.
//!
//! The files go to `SAVEFILE_BENCH_DIR` (default: the system's temporary directory) and
//! take 1.6 GB. Run with `cargo bench -p savefile-test --bench mapped`; results in
//! docs/performance.md.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]
// Mapping a file is unsafe (another process could change it); these files are the
// benchmark's own.
#![allow(unsafe_code)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use savefile::prelude::*;
use savefile::{save_mapped, MappedVec, ReadOnly};

const VERSION: u32 = 0;

/// A fieldless enum: three valid bytes of 256, so every element is checked.
#[derive(Savefile, Clone, Copy, Debug, PartialEq)]
#[repr(u8)]
enum Cell {
    Empty,
    Wall,
    Water,
}

fn bench_dir() -> PathBuf {
    std::env::var_os("SAVEFILE_BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from)
}

/// Writes a mapped file of `count` floats (unless it is there) and returns its path.
fn float_file(name: &str, count: usize) -> PathBuf {
    let path = bench_dir().join(format!("savefile-bench-mapped-{name}.sav"));
    let data: Vec<f32> = (0..count).map(|i| (i % 1000) as f32 * 0.5).collect();
    save_mapped(&path, VERSION, &name.to_string(), &[], &data).expect("save_mapped");
    path
}

/// The sum that both scans compute, written so that the compiler can vectorise it.
fn sum(values: &[f32]) -> f32 {
    let mut lanes = [0f32; 16];
    let chunks = values.chunks_exact(16);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (lane, value) in lanes.iter_mut().zip(chunk) {
            *lane += *value;
        }
    }
    lanes.iter().sum::<f32>() + rest.iter().sum::<f32>()
}

fn open(c: &mut Criterion) {
    let mut group = c.benchmark_group("open_read_one");
    for (name, count) in [("1MB", 1 << 18), ("100MB", 25 << 20), ("1GB", 1 << 28)] {
        let path = float_file(name, count);
        group.bench_function(name, |b| {
            b.iter(|| {
                // SAFETY: the file is this benchmark's own and nothing else writes it
                // while it is mapped.
                let mapped: MappedVec<f32, String, ReadOnly> =
                    unsafe { MappedVec::open(&path, VERSION, ReadOnly) }.expect("open");
                black_box(mapped[count / 2])
            })
        });
    }
    group.finish();
}

fn scan(c: &mut Criterion) {
    let count = 1 << 28;
    let path = float_file("1GB", count);
    // SAFETY: as in `open`.
    let mapped: MappedVec<f32, String, ReadOnly> =
        unsafe { MappedVec::open(&path, VERSION, ReadOnly) }.expect("open");
    let in_memory: Vec<f32> = mapped.to_vec();
    let mut group = c.benchmark_group("scan_1GB");
    group.throughput(Throughput::Bytes((count * 4) as u64));
    group.sample_size(10);
    group.bench_function("mapped", |b| b.iter(|| black_box(sum(&mapped))));
    group.bench_function("vec", |b| b.iter(|| black_box(sum(&in_memory))));
    group.finish();
}

fn save(c: &mut Criterion) {
    let count = 1 << 26;
    let data: Vec<f32> = (0..count).map(|i| i as f32).collect();
    let path = bench_dir().join("savefile-bench-mapped-save.sav");
    let plain = bench_dir().join("savefile-bench-mapped-plain.bin");
    save_mapped(&path, VERSION, &(), &[], &data).expect("save_mapped");
    let bytes = std::fs::read(&path).expect("read");
    let mut group = c.benchmark_group("save_256MB");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.sample_size(10);
    group.bench_function("save_mapped", |b| {
        b.iter(|| save_mapped(&path, VERSION, &(), &[], &data).expect("save_mapped"))
    });
    group.bench_function("fs_write", |b| {
        b.iter(|| std::fs::write(&plain, &bytes).expect("write"))
    });
    group.bench_function("fs_write_sync", |b| {
        b.iter(|| {
            std::fs::write(&plain, &bytes).expect("write");
            std::fs::File::open(&plain)
                .and_then(|file| file.sync_all())
                .expect("sync");
        })
    });
    group.finish();
}

fn check(c: &mut Criterion) {
    let count = 1 << 28;
    let flags: Vec<bool> = (0..count).map(|i| i % 3 == 0).collect();
    let cells: Vec<Cell> = (0..count)
        .map(|i| [Cell::Empty, Cell::Wall, Cell::Water][i % 3])
        .collect();
    let flag_path = bench_dir().join("savefile-bench-mapped-bool.sav");
    let cell_path = bench_dir().join("savefile-bench-mapped-enum.sav");
    save_mapped(&flag_path, VERSION, &(), &[], &flags).expect("save_mapped");
    save_mapped(&cell_path, VERSION, &(), &[], &cells).expect("save_mapped");
    drop((flags, cells));
    let mut group = c.benchmark_group("check_256MB");
    group.throughput(Throughput::Bytes(count as u64));
    group.sample_size(10);
    group.bench_function("bool", |b| {
        b.iter(|| {
            // SAFETY: as in `open`.
            let mapped: MappedVec<bool, (), ReadOnly> =
                unsafe { MappedVec::open(&flag_path, VERSION, ReadOnly) }.expect("open");
            black_box(mapped.len())
        })
    });
    group.bench_function("enum", |b| {
        b.iter(|| {
            // SAFETY: as in `open`.
            let mapped: MappedVec<Cell, (), ReadOnly> =
                unsafe { MappedVec::open(&cell_path, VERSION, ReadOnly) }.expect("open");
            black_box(mapped.len())
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = open, scan, save, check
}
criterion_main!(benches);
