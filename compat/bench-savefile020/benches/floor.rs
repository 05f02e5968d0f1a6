//! The allocation floor beside both savefile loads: savefile 0.20's no-schema load, this
//! repository's, and the replays of the heap calls of this repository's load and drop
//! (`floor/alloc_and_copy`: the same calls, each new block filled with bytes of the file;
//! `floor/alloc_only`: the calls alone), all in one process. See
//! `savefile-test/benches/floor.rs` and `savefile_test::alloc_trace`.
//!
//! savefile 0.20's own heap calls are recorded too, and their count and bytes printed,
//! so that the two loads' heap work can be compared.
//!
//! Run with `cargo bench --bench floor` in `compat/bench-savefile020`; results in
//! docs/performance.md.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::hint::black_box;

use bench_savefile020::datasets::{log, mesh, minecraft, mk48};
use criterion::{criterion_group, criterion_main, Criterion};
use savefile::{load_noschema, save_noschema};
use savefile_test::alloc_trace::{Recorder, Trace};

#[global_allocator]
static ALLOCATOR: Recorder = Recorder;

/// The data version every measurement saves and loads.
const VERSION: u32 = 0;

/// Benchmarks both loads of one dataset and the floor, as the group `name`: `data` as
/// savefile 0.20's types, `same` as the same values in this repository's types.
fn bench_dataset<T, U>(c: &mut Criterion, name: &str, data: &T, same: &U)
where
    T: savefile::WithSchema + savefile::Serialize + savefile::Deserialize + PartialEq,
    U: ours::WithSchema + ours::Serialize + ours::Deserialize + PartialEq,
{
    let mut bytes = Vec::new();
    save_noschema(&mut bytes, VERSION, data).unwrap();
    let mut ours_bytes = Vec::new();
    ours::save_noschema(&mut ours_bytes, VERSION, same).unwrap();
    assert!(
        ours_bytes == bytes,
        "savefile and savefile 0.20 wrote different bytes"
    );
    let old = || load_noschema::<T>(&mut black_box(&bytes[..]), VERSION).unwrap();
    let new = || ours::load_from_mem_noschema::<U>(black_box(&bytes), VERSION).unwrap();
    assert!(
        old() == *data,
        "savefile 0.20 did not round-trip the dataset"
    );
    assert!(new() == *same, "savefile did not round-trip the dataset");
    let old_trace = Trace::record(|| drop(old()));
    let mut trace = Trace::record(|| drop(new()));
    println!(
        "{name}: a load allocates {} blocks, {} bytes (savefile 0.20: {} blocks, {} bytes)",
        trace.allocations(),
        trace.bytes(),
        old_trace.allocations(),
        old_trace.bytes()
    );
    drop(old_trace);

    let mut group = c.benchmark_group(name);
    group.bench_function("savefile020/load_noschema_from_slice", |b| b.iter(old));
    group.bench_function("savefile/load_from_mem_noschema", |b| b.iter(new));
    group.bench_function("floor/alloc_and_copy", |b| {
        b.iter(|| trace.replay(black_box(&bytes)))
    });
    group.bench_function("floor/alloc_only", |b| b.iter(|| trace.replay_calls_only()));
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
