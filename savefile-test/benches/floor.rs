//! The allocation floor of each dataset's load: how much of `load_from_mem_noschema`'s time
//! is the heap work that any decoder producing the same owned value must do.
//!
//! For each dataset, `floor/alloc_and_copy` replays the heap calls of one load and drop
//! (recorded by [`savefile_test::alloc_trace`]), in their order and with their sizes, and
//! fills each new block with bytes copied from the file: "allocate every `String` and `Vec`
//! and copy the bytes", with no decoding. `floor/alloc_only` makes the same calls and
//! writes nothing. `savefile/load_from_mem_noschema` is measured in the same process, so
//! the difference is what decoding costs. (The replays are not free themselves: a loop
//! over the recorded calls, and one `memcpy` call per block, of a length known only then.)
//!
//! This binary's global allocator is the recorder (one thread-local test per heap call when
//! not recording), and the recorded traces live in its heap: the heap state differs from
//! `datasets`'s, and so, by a few per cent, do the load's figures. Compare this binary's
//! measurements with each other, not with another binary's.
//!
//! Run with `cargo bench -p savefile-test --bench floor`; results in docs/performance.md.
//! `compat/bench-savefile020` has the same benchmark with savefile 0.20's load beside ours.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use savefile::{load_from_mem_noschema, save_noschema, Deserialize, WithSchema};
use savefile_test::alloc_trace::{Recorder, Trace};
use savefile_test::datasets::{log, mesh, minecraft, mk48};

#[global_allocator]
static ALLOCATOR: Recorder = Recorder;

/// The data version every measurement saves and loads.
const VERSION: u32 = 0;

/// Benchmarks the load of `data` and its allocation floor, as the group `name`.
fn bench_dataset<T>(c: &mut Criterion, name: &str, data: &T)
where
    T: WithSchema + savefile::Serialize + Deserialize + PartialEq,
{
    let mut bytes = Vec::new();
    save_noschema(&mut bytes, VERSION, data).unwrap();
    let load = || load_from_mem_noschema::<T>(black_box(&bytes), VERSION).unwrap();
    assert!(load() == *data, "savefile did not round-trip the dataset");
    let mut trace = Trace::record(|| drop(load()));
    assert_eq!(trace.leaked(), 0, "a load and drop leaked memory");
    println!(
        "{name}: a load allocates {} blocks, {} bytes",
        trace.allocations(),
        trace.bytes()
    );

    let mut group = c.benchmark_group(name);
    group.bench_function("savefile/load_from_mem_noschema", |b| b.iter(load));
    group.bench_function("floor/alloc_and_copy", |b| {
        b.iter(|| trace.replay(black_box(&bytes)))
    });
    group.bench_function("floor/alloc_only", |b| b.iter(|| trace.replay_calls_only()));
    group.finish();
}

fn bench(c: &mut Criterion) {
    bench_dataset(c, "log", &log::generate());
    bench_dataset(c, "mesh", &mesh::generate());
    bench_dataset(c, "minecraft_savedata", &minecraft::generate());
    bench_dataset(c, "mk48", &mk48::generate());
}

criterion_group!(benches, bench);
criterion_main!(benches);
