//! The allocation recorder behind the floor benchmarks: what it records and what a replay
//! does.

use savefile::{load_from_mem_noschema, save_noschema};
use savefile_test::alloc_trace::{Recorder, Trace};
use savefile_test::datasets::minecraft;

#[global_allocator]
static ALLOCATOR: Recorder = Recorder;

#[test]
fn records_each_block_once_with_its_size() {
    let trace = Trace::record(|| {
        let buffer: Vec<u8> = Vec::with_capacity(100);
        let word = String::from("hello");
        drop(word);
        drop(buffer);
    });
    assert_eq!(trace.allocations(), 2);
    assert_eq!(trace.bytes(), 105);
    assert_eq!(trace.leaked(), 0);
}

#[test]
fn zeroed_allocations_are_recorded_too() {
    let mut trace = Trace::record(|| drop(vec![0u8; 100]));
    assert_eq!(trace.allocations(), 1);
    assert_eq!(trace.bytes(), 100);
    let replayed = Trace::record(|| trace.replay_calls_only());
    assert_eq!(replayed.allocations(), 1);
    assert_eq!(replayed.leaked(), 0);
}

#[test]
fn a_reallocation_counts_its_growth() {
    let mut capacity = 0;
    let trace = Trace::record(|| {
        let mut bytes: Vec<u8> = Vec::with_capacity(4);
        bytes.extend_from_slice(&[7; 100]);
        capacity = bytes.capacity();
    });
    assert!(capacity >= 100);
    assert_eq!(trace.allocations(), 1);
    assert_eq!(trace.bytes(), capacity);
    assert_eq!(trace.leaked(), 0);
}

#[test]
fn blocks_from_before_recording_are_left_out() {
    let mut earlier = Some(vec![1u8; 50]);
    let trace = Trace::record(|| drop(earlier.take()));
    assert_eq!(trace.allocations(), 0);
    assert_eq!(trace.bytes(), 0);
}

#[test]
fn blocks_never_freed_are_leaked_and_freed_by_the_replay() {
    let mut trace = Trace::record(|| std::mem::forget(Vec::<u8>::with_capacity(10)));
    assert_eq!(trace.leaked(), 10);
    let replayed = Trace::record(|| trace.replay(b"ab"));
    assert_eq!(replayed.allocations(), 1);
    assert_eq!(replayed.leaked(), 0);
}

#[test]
fn more_calls_than_the_first_reservation_are_all_recorded() {
    let trace = Trace::record(|| {
        let boxes: Vec<Box<u64>> = (0..10_000).map(Box::new).collect();
        drop(boxes);
    });
    assert_eq!(trace.allocations(), 10_001);
    assert_eq!(trace.bytes(), 10_000 * 8 + 10_000 * 8);
}

#[test]
fn a_replay_makes_the_recorded_calls_again() {
    let data = minecraft::generate();
    let mut bytes = Vec::new();
    save_noschema(&mut bytes, 0, &data).unwrap();
    let mut trace = Trace::record(|| {
        let value: minecraft::Players = load_from_mem_noschema(&bytes, 0).unwrap();
        drop(value);
    });
    assert!(trace.allocations() > minecraft::PLAYERS);
    assert_eq!(trace.leaked(), 0);
    for copy in [true, false] {
        let replayed = Trace::record(|| match copy {
            true => trace.replay(&bytes[..100]),
            false => trace.replay_calls_only(),
        });
        assert_eq!(replayed.allocations(), trace.allocations());
        assert_eq!(replayed.bytes(), trace.bytes());
        assert_eq!(replayed.leaked(), 0);
    }
}
