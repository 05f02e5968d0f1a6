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

#[test]
fn the_peak_counts_the_blocks_alive_at_once() {
    let trace = Trace::record(|| {
        let a: Vec<u8> = Vec::with_capacity(100);
        let b: Vec<u8> = Vec::with_capacity(50);
        drop(a);
        let c: Vec<u8> = Vec::with_capacity(120);
        drop((b, c));
        let d: Vec<u8> = Vec::with_capacity(60);
        drop(d);
    });
    // a and b (150), then b and c (170), then d alone.
    assert_eq!(trace.peak_live_bytes(1), 170);
    assert_eq!(trace.bytes(), 330);
}

#[test]
fn the_peak_counts_small_blocks_as_the_smallest_block() {
    let trace = Trace::record(|| {
        let boxes: Vec<Box<u8>> = (0..10).map(Box::new).collect();
        drop(boxes);
    });
    // Ten one-byte boxes and the vector's 80 bytes.
    assert_eq!(trace.peak_live_bytes(1), 10 + 80);
    assert_eq!(trace.peak_live_bytes(16), 10 * 16 + 80);
    assert_eq!(trace.peak_live_bytes(100), 11 * 100);
}

#[test]
fn a_reallocation_peaks_with_both_blocks() {
    let trace = Trace::record(|| {
        let mut bytes: Vec<u8> = Vec::with_capacity(100);
        bytes.reserve_exact(200);
        bytes.shrink_to(10);
        drop(bytes);
    });
    // Growing from 100 to 200 may move: both are counted for that moment.
    assert_eq!(trace.peak_live_bytes(1), 300);
    assert_eq!(trace.peak_live_bytes(150), 350);
}

#[test]
fn a_peak_leaves_out_blocks_from_before_recording() {
    let mut earlier = Some(vec![1u8; 500]);
    let trace = Trace::record(|| {
        drop(earlier.take());
        drop(Vec::<u8>::with_capacity(40));
    });
    assert_eq!(trace.peak_live_bytes(1), 40);
}

#[test]
fn room_reserved_up_front_records_a_large_run_in_one_try() {
    let mut runs = 0;
    let trace = Trace::record_with_room(20_010, || {
        runs += 1;
        drop((0..10_000).map(Box::new).collect::<Vec<Box<u32>>>());
    });
    assert_eq!(runs, 1);
    assert_eq!(trace.allocations(), 10_001);
    let mut runs = 0;
    Trace::record(|| {
        runs += 1;
        drop((0..10_000).map(Box::new).collect::<Vec<Box<u32>>>());
    });
    assert!(runs > 1);
}
