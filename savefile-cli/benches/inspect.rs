//! What the `savefile` command's targets are measured with: `info` on a 1 GB file (the
//! header and schema only) and `dump --json` of the log dataset, as the command does it
//! (JSON written as the file is decoded, no tree) and through the tree of `load_dynamic`.
//! Run with `cargo bench -p savefile-cli`; CI only builds it.

// criterion_group! generates an undocumented function.
#![allow(missing_docs)]

use std::hint::black_box;
use std::io::Write;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use savefile::{
    load_dynamic_from_mem, load_dynamic_schema, save_to_mem, visit_dynamic_exact, LoadOptions,
    Visit,
};
use savefile_cli::render::{self, Json, Style};

/// Told everything, keeps nothing: a decode alone.
struct Nothing;

impl Visit for Nothing {
    type Error = std::convert::Infallible;
}

fn dump_json_of_logs(c: &mut Criterion) {
    let logs = savefile_test::datasets::log::generate();
    let file = save_to_mem(0, &logs).unwrap();
    let len = file.len() as u64;
    let options = LoadOptions::default();
    let all = Style { limit: usize::MAX };
    let mut group = c.benchmark_group("dump_json");
    group.throughput(Throughput::Bytes(len));
    let mut out = Vec::with_capacity(4 * file.len());
    // What `savefile dump --json` does: a reader of known length (there, the file) decoded
    // into the JSON writer.
    group.bench_function("log", |b| {
        b.iter(|| {
            out.clear();
            let mut json = Json::new(&mut out, all);
            visit_dynamic_exact(black_box(&file[..]), len, &options, &mut json).unwrap();
            json.finish().unwrap();
            black_box(out.len())
        })
    });
    group.bench_function("log_decode_only", |b| {
        b.iter(|| visit_dynamic_exact(black_box(&file[..]), len, &options, &mut Nothing).unwrap())
    });
    // Through the tree, as the command did before (and still does for `--path`).
    group.bench_function("tree", |b| {
        b.iter(|| {
            out.clear();
            let dynamic = load_dynamic_from_mem(black_box(&file)).unwrap();
            render::json(&mut out, &dynamic.value, all).unwrap();
            black_box(out.len())
        })
    });
    group.bench_function("tree_decode_only", |b| {
        b.iter(|| load_dynamic_from_mem(black_box(&file)).unwrap())
    });
    let dynamic = load_dynamic_from_mem(&file).unwrap();
    group.bench_function("tree_render_only", |b| {
        b.iter(|| {
            out.clear();
            render::json(&mut out, &dynamic.value, all).unwrap();
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
