//! Borrowed loads on the log dataset: a record type whose four strings are `&str`,
//! loaded with `load_from_mem_borrowed`, next to the owned load of the same bytes,
//! and the peers' ways of reading the same records without copying their text:
//! bitcode decoding into the same borrowed type (its derive supports `&'a str`), and
//! rkyv's `access` with validation (bytecheck walks every record and checks every
//! string), the fair counterpart of a load that checks its input. rkyv's unvalidated
//! `access_unchecked` is not measured: it reads nothing, so it is no load.
//!
//! Every measurement includes dropping its result. Each format's bytes are decoded and
//! compared with the dataset once before measuring.
//!
//! Run with `cargo bench -p savefile-test --bench borrowed`; results in
//! docs/performance.md.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use savefile::prelude::*;
use savefile_test::datasets::log::{self, Address, Logs};

/// The data version every savefile measurement saves and loads.
const VERSION: u32 = 0;

/// `log::Log` with its strings borrowed from the input: the same schema.
#[derive(Savefile, bitcode::Decode, bitcode::Encode, PartialEq, Debug)]
struct LogRef<'a> {
    address: Address,
    identity: &'a str,
    userid: &'a str,
    date: &'a str,
    request: &'a str,
    code: u16,
    size: u64,
}

/// `log::Logs` of borrowed records.
#[derive(Savefile, bitcode::Decode, bitcode::Encode, PartialEq, Debug)]
struct LogsRef<'a> {
    logs: Vec<LogRef<'a>>,
}

impl<'a> LogsRef<'a> {
    /// The records of `data`, borrowing its strings.
    fn of(data: &'a Logs) -> LogsRef<'a> {
        LogsRef {
            logs: data
                .logs
                .iter()
                .map(|l| LogRef {
                    address: l.address.clone(),
                    identity: &l.identity,
                    userid: &l.userid,
                    date: &l.date,
                    request: &l.request,
                    code: l.code,
                    size: l.size,
                })
                .collect(),
        }
    }
}

/// The rkyv form of a record: its derive needs types of its own.
#[derive(rkyv::Archive, rkyv::Serialize)]
struct RkyvLog {
    address: [u8; 4],
    identity: String,
    userid: String,
    date: String,
    request: String,
    code: u16,
    size: u64,
}

/// The rkyv form of the dataset.
#[derive(rkyv::Archive, rkyv::Serialize)]
struct RkyvLogs {
    logs: Vec<RkyvLog>,
}

impl RkyvLogs {
    fn of(data: &Logs) -> RkyvLogs {
        RkyvLogs {
            logs: data
                .logs
                .iter()
                .map(|l| RkyvLog {
                    address: [l.address.x0, l.address.x1, l.address.x2, l.address.x3],
                    identity: l.identity.clone(),
                    userid: l.userid.clone(),
                    date: l.date.clone(),
                    request: l.request.clone(),
                    code: l.code,
                    size: l.size,
                })
                .collect(),
        }
    }
}

/// The number of bytes of text of all the records an rkyv archive holds, read
/// through its validated view: what shows that the view is the dataset's.
fn rkyv_text_len(archived: &ArchivedRkyvLogs) -> usize {
    archived
        .logs
        .iter()
        .map(|l| l.identity.len() + l.userid.len() + l.date.len() + l.request.len())
        .sum()
}

fn bench(c: &mut Criterion) {
    let data = log::generate();
    let borrowed = LogsRef::of(&data);
    let text: usize = borrowed
        .logs
        .iter()
        .map(|l| l.identity.len() + l.userid.len() + l.date.len() + l.request.len())
        .sum();

    let mut noschema = Vec::new();
    save_noschema(&mut noschema, VERSION, &data).unwrap();
    let with_schema = save_to_mem(VERSION, &data).unwrap();
    let bitcode_bytes = bitcode::encode(&borrowed);
    let rkyv_bytes = rkyv::to_bytes::<rkyv::rancor::Error>(&RkyvLogs::of(&data)).unwrap();

    // Each format's bytes hold the dataset.
    let loaded: LogsRef<'_> =
        savefile::load_from_mem_noschema_borrowed(&noschema, VERSION).unwrap();
    assert_eq!(loaded, borrowed);
    let loaded: LogsRef<'_> = savefile::load_from_mem_borrowed(&with_schema, VERSION).unwrap();
    assert_eq!(loaded, borrowed);
    let decoded: LogsRef<'_> = bitcode::decode(&bitcode_bytes).unwrap();
    assert_eq!(decoded, borrowed);
    let archived = rkyv::access::<ArchivedRkyvLogs, rkyv::rancor::Error>(&rkyv_bytes).unwrap();
    assert_eq!(archived.logs.len(), data.logs.len());
    assert_eq!(rkyv_text_len(archived), text);
    println!(
        "log: savefile {} bytes ({} with schema), bitcode {}, rkyv {}",
        noschema.len(),
        with_schema.len(),
        bitcode_bytes.len(),
        rkyv_bytes.len()
    );

    let mut group = c.benchmark_group("borrowed/log");
    group.bench_function("savefile/load_from_mem_noschema (owned)", |b| {
        b.iter(|| load_from_mem_noschema::<Logs>(black_box(&noschema), VERSION).unwrap())
    });
    group.bench_function("savefile/load_from_mem_noschema_borrowed", |b| {
        b.iter(|| {
            savefile::load_from_mem_noschema_borrowed::<LogsRef<'_>>(black_box(&noschema), VERSION)
                .unwrap()
        })
    });
    group.bench_function("savefile/load_from_mem (owned)", |b| {
        b.iter(|| load_from_mem::<Logs>(black_box(&with_schema), VERSION).unwrap())
    });
    group.bench_function("savefile/load_from_mem_borrowed", |b| {
        b.iter(|| {
            savefile::load_from_mem_borrowed::<LogsRef<'_>>(black_box(&with_schema), VERSION)
                .unwrap()
        })
    });
    group.bench_function("bitcode/decode (owned)", |b| {
        let owned_bytes = bitcode::encode(&data);
        b.iter(|| bitcode::decode::<Logs>(black_box(&owned_bytes)).unwrap())
    });
    group.bench_function("bitcode/decode_borrowed", |b| {
        b.iter(|| bitcode::decode::<LogsRef<'_>>(black_box(&bitcode_bytes)).unwrap())
    });
    group.bench_function("rkyv/access_validated", |b| {
        b.iter(|| {
            rkyv::access::<ArchivedRkyvLogs, rkyv::rancor::Error>(black_box(&rkyv_bytes))
                .unwrap()
                .logs
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
