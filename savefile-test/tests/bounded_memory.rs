//! Lying lengths cost no memory: a counting allocator measures the peak while crafted
//! files claiming 2^60 elements are loaded, from memory and from a stream.

// A global allocator is the one way to observe every allocation; it forwards to System.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use savefile::prelude::*;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counters
// only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: same layout contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Tests in this file share the counters; they run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// The peak of extra heap use while `f` runs.
fn peak_during(f: impl FnOnce()) -> usize {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    f();
    PEAK.load(Ordering::Relaxed).saturating_sub(base)
}

fn claims_2_pow_60<T: Serialize + WithSchema>(value: &T) -> Vec<u8> {
    let mut bytes = save_to_mem(0, value).unwrap();
    // The schema is followed by the data; the data starts with the count.
    let data_at = bytes.len() - value_data_len(value);
    bytes[data_at..data_at + 8].copy_from_slice(&(1u64 << 60).to_le_bytes());
    bytes
}

fn value_data_len<T: Serialize + WithSchema>(value: &T) -> usize {
    let mut bare = Vec::new();
    save_noschema(&mut bare, 0, value).unwrap();
    bare.len() - 16
}

#[test]
fn a_huge_vec_claim_allocates_almost_nothing() {
    let _serial = SERIAL.lock().unwrap();
    let file = claims_2_pow_60(&vec![7u64; 4]);
    let peak = peak_during(|| {
        assert!(matches!(
            load_from_mem::<Vec<u64>>(&file, 0),
            Err(SavefileError::LengthTooLarge { .. })
        ));
        assert!(load::<Vec<u64>>(&mut &file[..], 0).is_err());
    });
    assert!(peak < 4 << 20, "peak heap use {peak} bytes");
}

#[test]
fn huge_string_and_nested_claims_allocate_almost_nothing() {
    let _serial = SERIAL.lock().unwrap();
    let strings = claims_2_pow_60(&vec!["abc".to_string(); 3]);
    let nested = claims_2_pow_60(&vec![vec![1u8; 3]; 3]);
    let peak = peak_during(|| {
        assert!(load_from_mem::<Vec<String>>(&strings, 0).is_err());
        assert!(load::<Vec<String>>(&mut &strings[..], 0).is_err());
        assert!(load_from_mem::<Vec<Vec<u8>>>(&nested, 0).is_err());
        assert!(load::<Vec<Vec<u8>>>(&mut &nested[..], 0).is_err());
    });
    assert!(peak < 4 << 20, "peak heap use {peak} bytes");
}

#[test]
fn a_compressed_file_with_a_huge_claim_stays_small() {
    let _serial = SERIAL.lock().unwrap();
    // Schema and data of a Vec<u32>, with the count replaced, recompressed so the lie
    // is inside the bzip2 stream where no length is known.
    let value = vec![1u32; 16];
    let mut body = save_to_mem(0, &value).unwrap().split_off(16);
    let data_at = body.len() - value_data_len(&value);
    body[data_at..data_at + 8].copy_from_slice(&(1u64 << 60).to_le_bytes());
    let mut file = save_to_mem(0, &value).unwrap()[..16].to_vec();
    file[15] = 1;
    let mut encoder = bzip2::write::BzEncoder::new(&mut file, bzip2::Compression::fast());
    std::io::Write::write_all(&mut encoder, &body).unwrap();
    encoder.finish().unwrap();
    let peak = peak_during(|| {
        assert!(load_from_mem::<Vec<u32>>(&file, 0).is_err());
        assert!(load::<Vec<u32>>(&mut &file[..], 0).is_err());
    });
    assert!(peak < 8 << 20, "peak heap use {peak} bytes");
}
