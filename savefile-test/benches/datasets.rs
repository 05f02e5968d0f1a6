//! The community benchmark's datasets (log, mesh, minecraft_savedata, mk48): savefile against
//! the formats users would pick instead, on the same values in the same run.
//!
//! For each dataset and format: serialize into a reused buffer and deserialize from memory.
//! Savefile is measured without schema (`save_noschema` / `load_from_mem_noschema`, and
//! `load_noschema` from a `Cursor`, the calls of the community benchmark) and with it
//! (`save` / `load_from_mem`); the peers through their fastest owned API: bitcode's native
//! derive with a reused `bitcode::Buffer` for both directions, bincode 1.3
//! (`serialize_into` a cleared `Vec`, `deserialize` from a slice) and postcard (`to_slice`
//! into a buffer of the right size, `from_bytes`). `floor/clone` clones the dataset: it
//! allocates every `String` and `Vec` and copies their bytes, the cost an owned decoder
//! cannot avoid. (It is a reference, not a strict bound: `Clone` of a vector of structs
//! clones element by element, so a decoder that fills each element in place can beat it.)
//! Deserialization times include dropping the result, as the clone's do.
//!
//! Every format's bytes are decoded and compared with the dataset once before measuring, and
//! the output sizes are printed at the start (criterion does not report sizes).
//!
//! Run with `cargo bench -p savefile-test --bench datasets`; results in docs/performance.md.
//! `compat/bench-savefile020` runs the same datasets through the savefile 0.20 release.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::fmt::Debug;
use std::hint::black_box;
use std::io::Cursor;

use criterion::{criterion_group, criterion_main, Criterion};
use savefile::{load_from_mem, load_from_mem_noschema, load_noschema, save, save_noschema};
use savefile_test::datasets::{log, mesh, minecraft, mk48};

/// The data version every savefile measurement saves and loads.
const VERSION: u32 = 0;

/// What every dataset type implements: each format's traits, plus comparison for the checks.
trait Dataset:
    savefile::WithSchema
    + savefile::Serialize
    + savefile::Deserialize
    + serde::Serialize
    + serde::de::DeserializeOwned
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
        + serde::Serialize
        + serde::de::DeserializeOwned
        + bitcode::Encode
        + bitcode::DecodeOwned
        + Clone
        + PartialEq
        + Debug
{
}

/// Each format's bytes for one dataset.
struct Encoded {
    savefile: Vec<u8>,
    savefile_schema: Vec<u8>,
    bitcode: Vec<u8>,
    bincode: Vec<u8>,
    postcard: Vec<u8>,
}

impl Encoded {
    /// Encodes `data` in every format and checks that each decodes back to it.
    fn new<T: Dataset>(data: &T) -> Encoded {
        let mut savefile = Vec::new();
        save_noschema(&mut savefile, VERSION, data).unwrap();
        let mut savefile_schema = Vec::new();
        save(&mut savefile_schema, VERSION, data).unwrap();
        let encoded = Encoded {
            savefile,
            savefile_schema,
            bitcode: bitcode::encode(data),
            bincode: bincode::serialize(data).unwrap(),
            postcard: postcard::to_stdvec(data).unwrap(),
        };
        let decoded: [(&str, T); 5] = [
            (
                "savefile",
                load_from_mem_noschema(&encoded.savefile, VERSION).unwrap(),
            ),
            (
                "savefile with schema",
                load_from_mem(&encoded.savefile_schema, VERSION).unwrap(),
            ),
            ("bitcode", bitcode::decode(&encoded.bitcode).unwrap()),
            ("bincode", bincode::deserialize(&encoded.bincode).unwrap()),
            ("postcard", postcard::from_bytes(&encoded.postcard).unwrap()),
        ];
        for (format, value) in decoded {
            // Not assert_eq!: its message would print the whole dataset.
            assert!(value == *data, "{format} did not round-trip the dataset");
        }
        encoded
    }

    fn print_sizes(&self, name: &str) {
        println!(
            "{name}: bytes: savefile {} (with schema {}), bitcode {}, bincode {}, postcard {}",
            self.savefile.len(),
            self.savefile_schema.len(),
            self.bitcode.len(),
            self.bincode.len(),
            self.postcard.len()
        );
    }
}

/// Benchmarks every format on `data`, as the group `name`.
fn bench_dataset<T: Dataset>(c: &mut Criterion, name: &str, data: &T) {
    let encoded = Encoded::new(data);
    encoded.print_sizes(name);
    let mut group = c.benchmark_group(name);
    // One buffer, big enough for every format, reused by the serializers that write to a Vec.
    let mut out: Vec<u8> = Vec::with_capacity(encoded.savefile_schema.len() * 2);

    group.bench_function("savefile/save_noschema", |b| {
        b.iter(|| {
            out.clear();
            save_noschema(&mut out, VERSION, black_box(data)).unwrap();
            black_box(&out);
        })
    });
    group.bench_function("savefile/load_from_mem_noschema", |b| {
        b.iter(|| load_from_mem_noschema::<T>(black_box(&encoded.savefile), VERSION).unwrap())
    });
    // The community benchmark's own call: `load_noschema` from a `Cursor` over the bytes.
    group.bench_function("savefile/load_noschema_cursor", |b| {
        b.iter(|| {
            let mut cursor = Cursor::new(black_box(&encoded.savefile));
            load_noschema::<T>(&mut cursor, VERSION).unwrap()
        })
    });
    group.bench_function("savefile/save", |b| {
        b.iter(|| {
            out.clear();
            save(&mut out, VERSION, black_box(data)).unwrap();
            black_box(&out);
        })
    });
    group.bench_function("savefile/load_from_mem", |b| {
        b.iter(|| load_from_mem::<T>(black_box(&encoded.savefile_schema), VERSION).unwrap())
    });

    let mut buffer = bitcode::Buffer::new();
    group.bench_function("bitcode/encode", |b| {
        b.iter(|| {
            black_box(buffer.encode(black_box(data)));
        })
    });
    group.bench_function("bitcode/decode", |b| {
        b.iter(|| buffer.decode::<T>(black_box(&encoded.bitcode)).unwrap())
    });

    group.bench_function("bincode/serialize_into", |b| {
        b.iter(|| {
            out.clear();
            bincode::serialize_into(&mut out, black_box(data)).unwrap();
            black_box(&out);
        })
    });
    group.bench_function("bincode/deserialize", |b| {
        b.iter(|| bincode::deserialize::<T>(black_box(&encoded.bincode)).unwrap())
    });

    // postcard writes into a slice; it must be at least as long as the output.
    let mut slice = vec![0u8; encoded.postcard.len()];
    group.bench_function("postcard/to_slice", |b| {
        b.iter(|| {
            black_box(postcard::to_slice(black_box(data), &mut slice).unwrap());
        })
    });
    group.bench_function("postcard/from_bytes", |b| {
        b.iter(|| postcard::from_bytes::<T>(black_box(&encoded.postcard)).unwrap())
    });

    group.bench_function("floor/clone", |b| b.iter(|| black_box(data).clone()));
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
