//! The savefile 0.20 release on the community benchmark's datasets: the same values and the
//! same operations as `savefile-test/benches/datasets.rs`, so the two runs compare.
//!
//! savefile 0.20 has no `load_from_mem_noschema`; its no-schema load reads from a `&[u8]`
//! reader (`load_noschema`), which is what a 0.20 user would call on bytes in memory.
//! This repository's savefile (`savefile/...`, loads from memory without schema and saves
//! without schema) runs in the same groups on the same values, right after 0.20, so the two
//! are compared within one process, where they share the machine's and the heap's state.
//! Both are also measured with the community benchmark's own calls (`save_noschema` into a
//! reused `Vec`, `load_noschema` from a `std::io::Cursor` over the bytes): the
//! `*/load_noschema_cursor` rows.
//! bitcode and `floor/clone` are measured here too, as references: when their figures match
//! the main run's, the machine was in the same state for both runs.
//!
//! Run with `cargo bench` in `compat/bench-savefile020`; results in docs/performance.md.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::fmt::Debug;
use std::hint::black_box;
use std::io::Cursor;

use bench_savefile020::datasets::{log, mesh, minecraft, mk48};
use criterion::{criterion_group, criterion_main, Criterion};
use savefile::{load_from_mem, load_noschema, save, save_noschema};

/// The data version every measurement saves and loads.
const VERSION: u32 = 0;

/// What every dataset type implements here: the 0.20 traits, bitcode's, and comparison.
trait Dataset:
    savefile::WithSchema
    + savefile::Serialize
    + savefile::Deserialize
    + bitcode::Encode
    + bitcode::DecodeOwned
    + Clone
    + PartialEq
    + Debug
{
}

impl<T> Dataset for T where
    T: savefile::WithSchema
        + savefile::Serialize
        + savefile::Deserialize
        + bitcode::Encode
        + bitcode::DecodeOwned
        + Clone
        + PartialEq
        + Debug
{
}

/// What every dataset type of this repository implements: our savefile's traits and
/// comparison.
trait Ours: ours::WithSchema + ours::Serialize + ours::Deserialize + PartialEq {}

impl<U> Ours for U where U: ours::WithSchema + ours::Serialize + ours::Deserialize + PartialEq {}

/// Benchmarks savefile 0.20 and the references on `data`, and this repository's savefile
/// on `same`, the same values as this repository's types, as the group `name`.
fn bench_dataset<T: Dataset, U: Ours>(c: &mut Criterion, name: &str, data: &T, same: &U) {
    let mut bare = Vec::new();
    save_noschema(&mut bare, VERSION, data).unwrap();
    let mut with_schema = Vec::new();
    save(&mut with_schema, VERSION, data).unwrap();
    let bitcode_bytes = bitcode::encode(data);
    let decoded: [(&str, T); 3] = [
        (
            "savefile 0.20",
            load_noschema(&mut &bare[..], VERSION).unwrap(),
        ),
        (
            "savefile 0.20 with schema",
            load_from_mem(&with_schema, VERSION).unwrap(),
        ),
        ("bitcode", bitcode::decode(&bitcode_bytes).unwrap()),
    ];
    for (format, value) in decoded {
        // Not assert_eq!: its message would print the whole dataset.
        assert!(value == *data, "{format} did not round-trip the dataset");
    }
    let mut ours_bare = Vec::new();
    ours::save_noschema(&mut ours_bare, VERSION, same).unwrap();
    let ours_decoded: U = ours::load_from_mem_noschema(&ours_bare, VERSION).unwrap();
    assert!(
        ours_decoded == *same,
        "savefile did not round-trip the dataset"
    );
    // The two implementations write the same format: the same values give the same bytes.
    assert!(
        ours_bare == bare,
        "savefile and savefile 0.20 wrote different bytes"
    );
    println!(
        "{name}: bytes: savefile 0.20 {} (with schema {}), bitcode {}",
        bare.len(),
        with_schema.len(),
        bitcode_bytes.len()
    );

    let mut group = c.benchmark_group(name);
    let mut out: Vec<u8> = Vec::with_capacity(with_schema.len() * 2);
    group.bench_function("savefile020/save_noschema", |b| {
        b.iter(|| {
            out.clear();
            save_noschema(&mut out, VERSION, black_box(data)).unwrap();
            black_box(&out);
        })
    });
    group.bench_function("savefile020/load_noschema_from_slice", |b| {
        b.iter(|| load_noschema::<T>(&mut black_box(&bare[..]), VERSION).unwrap())
    });
    group.bench_function("savefile020/load_noschema_cursor", |b| {
        b.iter(|| {
            let mut cursor = Cursor::new(black_box(&bare));
            load_noschema::<T>(&mut cursor, VERSION).unwrap()
        })
    });
    group.bench_function("savefile020/save", |b| {
        b.iter(|| {
            out.clear();
            save(&mut out, VERSION, black_box(data)).unwrap();
            black_box(&out);
        })
    });
    group.bench_function("savefile020/load_from_mem", |b| {
        b.iter(|| load_from_mem::<T>(black_box(&with_schema), VERSION).unwrap())
    });

    group.bench_function("savefile/save_noschema", |b| {
        b.iter(|| {
            out.clear();
            ours::save_noschema(&mut out, VERSION, black_box(same)).unwrap();
            black_box(&out);
        })
    });
    group.bench_function("savefile/load_from_mem_noschema", |b| {
        b.iter(|| ours::load_from_mem_noschema::<U>(black_box(&ours_bare), VERSION).unwrap())
    });
    group.bench_function("savefile/load_noschema_cursor", |b| {
        b.iter(|| {
            let mut cursor = Cursor::new(black_box(&ours_bare));
            ours::load_noschema::<U>(&mut cursor, VERSION).unwrap()
        })
    });

    let mut buffer = bitcode::Buffer::new();
    group.bench_function("bitcode/encode", |b| {
        b.iter(|| {
            black_box(buffer.encode(black_box(data)));
        })
    });
    group.bench_function("bitcode/decode", |b| {
        b.iter(|| buffer.decode::<T>(black_box(&bitcode_bytes)).unwrap())
    });
    group.bench_function("floor/clone", |b| b.iter(|| black_box(data).clone()));
    group.finish();
}

fn bench(c: &mut Criterion) {
    use savefile_test::datasets as same;
    bench_dataset(c, "log", &log::generate(), &same::log::generate());
    bench_dataset(c, "mesh", &mesh::generate(), &same::mesh::generate());
    bench_dataset(
        c,
        "minecraft_savedata",
        &minecraft::generate(),
        &same::minecraft::generate(),
    );
    bench_dataset(c, "mk48", &mk48::generate(), &same::mk48::generate());
}

criterion_group!(benches, bench);
criterion_main!(benches);
