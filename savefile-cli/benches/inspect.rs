//! What the `savefile` command's targets are measured with: `info` on a 1 GB file (the
//! header and schema only) and `dump --json` of the log dataset. Run with
//! `cargo bench -p savefile-cli`; CI only builds it.

// criterion_group! generates an undocumented function.
#![allow(missing_docs)]

use std::hint::black_box;
use std::io::Write;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use savefile::{load_dynamic_from_mem, load_dynamic_schema, save_to_mem, LoadOptions};
use savefile_cli::render::{self, Style};

fn dump_json_of_logs(c: &mut Criterion) {
    let logs = savefile_test::datasets::log::generate();
    let file = save_to_mem(0, &logs).unwrap();
    let mut group = c.benchmark_group("dump_json");
    group.throughput(Throughput::Bytes(file.len() as u64));
    let mut out = Vec::with_capacity(4 * file.len());
    group.bench_function("log", |b| {
        b.iter(|| {
            out.clear();
            let dynamic = load_dynamic_from_mem(black_box(&file)).unwrap();
            render::json(&mut out, &dynamic.value, Style { limit: usize::MAX }).unwrap();
            black_box(out.len())
        })
    });
    group.bench_function("log_decode_only", |b| {
        b.iter(|| load_dynamic_from_mem(black_box(&file)).unwrap())
    });
    let dynamic = load_dynamic_from_mem(&file).unwrap();
    group.bench_function("log_render_only", |b| {
        b.iter(|| {
            out.clear();
            render::json(&mut out, &dynamic.value, Style { limit: usize::MAX }).unwrap();
            black_box(out.len())
        })
    });
    group.finish();
}

/// `info` reads the header and schema of a 1 GB file: a vector of 2^27 u64 is written
/// to a temporary file once, sparse where the file system allows.
fn info_of_a_large_file(c: &mut Criterion) {
    let path = std::env::temp_dir().join(format!("savefile-bench-{}.sav", std::process::id()));
    let header_and_schema = {
        let mut bytes = save_to_mem(0, &Vec::<u64>::new()).unwrap();
        // The count of the empty vector is replaced by that of 2^27 elements.
        let at = bytes.len() - 8;
        bytes[at..].copy_from_slice(&(1u64 << 27).to_le_bytes());
        bytes
    };
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(&header_and_schema).unwrap();
    file.set_len(header_and_schema.len() as u64 + (8 << 27))
        .unwrap();
    drop(file);
    c.bench_function("info_1gb", |b| {
        b.iter(|| {
            let mut reader = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
            let found = load_dynamic_schema(&mut reader, &LoadOptions::default()).unwrap();
            black_box(found.schema_len)
        })
    });
    let _ = std::fs::remove_file(&path);
}

criterion_group!(benches, dump_json_of_logs, info_of_a_large_file);
criterion_main!(benches);
