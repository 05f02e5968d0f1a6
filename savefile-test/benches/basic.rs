//! Baseline throughput of the field-by-field path: strings, small integers and maps,
//! from memory. CI builds this; run it with `cargo bench -p savefile-test --bench basic`.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use savefile::prelude::*;

/// A log-like record: an address, a few short strings, a status code and a size.
type Entry = (u32, String, String, String, String, u16, u64);

fn entries(n: usize) -> Vec<Entry> {
    (0..n)
        .map(|i| {
            (
                i as u32 * 2_654_435_761,
                format!("user{}", i % 97),
                format!("2026-11-{:02}T10:{:02}:00Z", i % 28 + 1, i % 60),
                format!("GET /api/v{}/items/{}", i % 3, i),
                "Mozilla/5.0".to_string(),
                [200, 404, 500][i % 3],
                (i as u64) * 1337,
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let log = entries(10_000);
    let with_schema = save_to_mem(0, &log).unwrap();
    let mut bare = Vec::new();
    save_noschema(&mut bare, 0, &log).unwrap();

    let mut group = c.benchmark_group("log");
    group.throughput(Throughput::Bytes(bare.len() as u64));
    group.bench_function("save_noschema", |b| {
        let mut out = Vec::with_capacity(bare.len());
        b.iter(|| {
            out.clear();
            save_noschema(&mut out, 0, black_box(&log)).unwrap();
        })
    });
    group.bench_function("load_from_mem_noschema", |b| {
        b.iter(|| load_from_mem_noschema::<Vec<Entry>>(black_box(&bare), 0).unwrap())
    });
    group.bench_function("load_from_mem", |b| {
        b.iter(|| load_from_mem::<Vec<Entry>>(black_box(&with_schema), 0).unwrap())
    });
    group.finish();

    let map: HashMap<u64, (f32, f32, f32)> =
        (0..50_000u64).map(|i| (i, (i as f32, 0.5, -1.0))).collect();
    let bytes = save_to_mem(0, &map).unwrap();
    c.bench_function("map/load_from_mem", |b| {
        b.iter_batched(
            || bytes.clone(),
            |bytes| load_from_mem::<HashMap<u64, (f32, f32, f32)>>(&bytes, 0).unwrap(),
            BatchSize::LargeInput,
        )
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
