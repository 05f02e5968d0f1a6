//! Loads from streams: the same values as from memory, never a byte past the value (so
//! values saved back to back load back to back from any `Read`), readers that give one
//! byte at a time or are interrupted, reads in blocks rather than per field, and packed
//! vectors read into their allocation as their bytes arrive.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, LinkedList, VecDeque};
use std::fmt::Debug;
use std::io::{BufReader, ErrorKind, Read};
use std::rc::Rc;
use std::sync::Arc;

use savefile::prelude::*;
use savefile_test::alloc_trace::{Recorder, Trace};
use savefile_test::datasets::{log, mesh, minecraft, mk48};
use savefile_test::rich::{Item, Room};
use savefile_test::TempDir;

#[global_allocator]
static ALLOCATOR: Recorder = Recorder;

/// A reader over bytes that gives at most `step` bytes per call (cycling through
/// `steps`), fails every other call with `ErrorKind::Interrupted` when asked to, and
/// counts the calls that returned bytes.
struct Trickle<'a> {
    bytes: &'a [u8],
    steps: &'a [usize],
    next: usize,
    interrupt: bool,
    interrupted_last: bool,
    calls: usize,
}

impl<'a> Trickle<'a> {
    fn new(bytes: &'a [u8], steps: &'a [usize], interrupt: bool) -> Trickle<'a> {
        Trickle {
            bytes,
            steps,
            next: 0,
            interrupt,
            interrupted_last: false,
            calls: 0,
        }
    }
}

impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.interrupt && !self.interrupted_last {
            self.interrupted_last = true;
            return Err(ErrorKind::Interrupted.into());
        }
        self.interrupted_last = false;
        let step = self.steps[self.next % self.steps.len()];
        self.next += 1;
        let n = out.len().min(step).min(self.bytes.len());
        out[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        if n > 0 {
            self.calls += 1;
        }
        Ok(n)
    }
}

/// What follows the values in every stream: it must be left unread.
const TAIL: &[u8] = b"the rest of the stream";

/// `value` saved twice with a schema and twice without, then [`TAIL`].
fn stream_of<T: WithSchema + Serialize>(value: &T) -> Vec<u8> {
    let mut stream = Vec::new();
    for _ in 0..2 {
        save(&mut stream, 0, value).unwrap();
        save_noschema(&mut stream, 0, value).unwrap();
    }
    stream.extend_from_slice(TAIL);
    stream
}

/// Loads the four values of [`stream_of`] from `reader` and checks that each equals
/// `value` and that the reader then holds [`TAIL`] and nothing else.
fn load_four<T, R>(value: &T, mut reader: R, rest: impl FnOnce(R) -> Vec<u8>, how: &str)
where
    T: WithSchema + Deserialize + PartialEq + Debug,
    R: Read,
{
    for round in 0..2 {
        let with_schema: T = load(&mut reader, 0).unwrap_or_else(|e| panic!("{how}: {e}"));
        assert!(with_schema == *value, "{how}: value {round} changed");
        let bare: T = load_noschema(&mut reader, 0).unwrap_or_else(|e| panic!("{how}: {e}"));
        assert!(bare == *value, "{how}: bare value {round} changed");
    }
    assert_eq!(
        rest(reader),
        TAIL,
        "{how}: the reader was not left after the values"
    );
}

/// Every way of reading [`stream_of`]`(value)` back: a slice, a `BufReader`, readers
/// that give one byte (or a few) per call with interruptions in between, and a file.
fn back_to_back<T>(value: &T)
where
    T: WithSchema + Serialize + Deserialize + PartialEq + Debug,
{
    let stream = stream_of(value);
    let rest_of_slice = |reader: &[u8]| reader.to_vec();
    load_four(value, &stream[..], rest_of_slice, "slice");
    let rest_of_trickle = |reader: Trickle<'_>| reader.bytes.to_vec();
    if stream.len() < 200_000 {
        let one_at_a_time = Trickle::new(&stream, &[1], true);
        load_four(value, one_at_a_time, rest_of_trickle, "one byte per read");
    }
    let uneven = Trickle::new(&stream, &[1, 7, 4096, 3, 100_000, 64], true);
    load_four(value, uneven, rest_of_trickle, "uneven reads");
    let buffered = BufReader::with_capacity(1000, &stream[..]);
    let rest_of_buffered = |mut reader: BufReader<&[u8]>| {
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest).unwrap();
        rest
    };
    load_four(value, buffered, rest_of_buffered, "BufReader");

    let dir = TempDir::new();
    let path = dir.path("stream.sav");
    std::fs::write(&path, &stream).unwrap();
    let file = std::fs::File::open(&path).unwrap();
    let rest_of_file = |mut file: std::fs::File| {
        let mut rest = Vec::new();
        file.read_to_end(&mut rest).unwrap();
        rest
    };
    load_four(value, file, rest_of_file, "File");
}

#[test]
fn values_of_every_family_load_back_to_back() {
    back_to_back(&(1u8, -2i16, 3u32, -4i64, 5u128, 6usize, -7isize));
    back_to_back(&(true, 'é', 1.5f32, -2.25f64, ()));
    back_to_back(&String::new());
    back_to_back(&"short".to_string());
    back_to_back(&"forty bytes of text, all of it ASCII ok".to_string());
    back_to_back(&"ü".repeat(20));
    // Longer than a stream's buffer (64 KiB).
    back_to_back(&"x".repeat(100_000));
    back_to_back(&vec!["a".to_string(); 3000]);
    back_to_back(&vec![vec![1u32, 2], vec![], vec![3; 1000]]);
    back_to_back(&(0..5000u64).collect::<Vec<_>>());
    back_to_back(&vec![true, false, true]);
    back_to_back(&"h€llo 𝄞".chars().collect::<Vec<char>>());
    back_to_back(&Vec::<()>::from([(), ()]));
    back_to_back(
        &(0..300)
            .map(|i| (i, i.to_string()))
            .collect::<HashMap<_, _>>(),
    );
    back_to_back(
        &(0..300)
            .map(|i| (i.to_string(), vec![i; 3]))
            .collect::<BTreeMap<_, _>>(),
    );
    back_to_back(&(0..300u16).collect::<HashSet<_>>());
    back_to_back(
        &["b", "a"]
            .map(String::from)
            .into_iter()
            .collect::<BTreeSet<_>>(),
    );
    back_to_back(&(0..100u8).map(|i| i * 2).collect::<LinkedList<_>>());
    back_to_back(&(0..100u32).collect::<VecDeque<_>>());
    back_to_back(&(Some(3u8), None::<String>, Some("x".to_string())));
    back_to_back(&(Ok::<u8, String>(1), Err::<u8, String>("no".into())));
    back_to_back(&[7u32; 8]);
    back_to_back(&["x".to_string(), String::new(), "zz".to_string()]);
    back_to_back(&Box::new(9u64));
    back_to_back(&Rc::<[u32]>::from(vec![1, 2, 3]));
    back_to_back(&Arc::<str>::from("shared"));
    back_to_back(&Box::<str>::from("boxed"));
    back_to_back(&Box::<[u16]>::from(vec![5; 70_000]));
    back_to_back(&std::time::Duration::from_millis(1500));
    back_to_back(&std::path::PathBuf::from("/saves/slot 3"));
    back_to_back(&std::net::IpAddr::from([10, 0, 0, 1]));
    back_to_back(&Item::Bag(vec![Item::Nothing, Item::Coins(4)]));
    back_to_back(&Room::sample());
    back_to_back(&Room::chain(40));
}

#[test]
fn the_benchmark_datasets_load_back_to_back() {
    back_to_back(&log::generate());
    back_to_back(&mesh::generate());
    back_to_back(&minecraft::generate());
    back_to_back(&mk48::generate());
}

#[test]
fn collections_let_the_stream_be_read_in_blocks() {
    // 10 000 log records of four strings each: read field by field, that is 70 000
    // reads. Each refill may take what the records left are known to hold at the
    // least, so a few dozen reads do.
    let logs = log::generate();
    let mut bytes = Vec::new();
    save_noschema(&mut bytes, 0, &logs).unwrap();
    let mut reader = Trickle::new(&bytes, &[usize::MAX], false);
    let back: log::Logs = load_noschema(&mut reader, 0).unwrap();
    assert!(back == logs);
    assert!(
        reader.calls < 200,
        "{} reads for {} bytes",
        reader.calls,
        bytes.len()
    );
    let players = minecraft::generate();
    let mut bytes = Vec::new();
    save(&mut bytes, 0, &players).unwrap();
    let mut reader = Trickle::new(&bytes, &[usize::MAX], false);
    let back: minecraft::Players = load(&mut reader, 0).unwrap();
    assert!(back == players);
    assert!(reader.calls < 500, "{} reads", reader.calls);
}

#[test]
fn a_file_loads_without_reading_it_into_memory_first() {
    let value = (0..3_000_000u64).collect::<Vec<_>>();
    let dir = TempDir::new();
    let path = dir.path("big.sav");
    save_file(&path, 0, &value).unwrap();
    let mut loaded: Option<Vec<u64>> = None;
    let trace = Trace::record(|| loaded = Some(load_file(&path, 0).unwrap()));
    assert_eq!(loaded.as_ref(), Some(&value));
    // The vector (24 MB) and buffers of a few MiB (the stream's, a scratch block for
    // long vectors): not another 24 MB for the file's bytes.
    let vector = value.len() * 8;
    assert!(
        trace.bytes() < vector + (4 << 20),
        "{} bytes allocated for a vector of {vector}",
        trace.bytes()
    );
}

#[test]
fn a_packed_vector_from_a_stream_grows_a_few_times_not_per_chunk() {
    // 24 MB of u64 from a reader of unknown length: the vector starts with the 1 MiB
    // that may be reserved ahead of any data, then grows as its bytes arrive, each time
    // by what four bytes per byte read allow.
    let value = (0..3_000_000u64).map(|i| i * 7).collect::<Vec<_>>();
    let mut bytes = Vec::new();
    save(&mut bytes, 0, &value).unwrap();
    let mut loaded = None;
    let trace = Trace::record(|| loaded = Some(load::<Vec<u64>>(&mut &bytes[..], 0).unwrap()));
    assert_eq!(loaded.as_ref(), Some(&value));
    // 1 MiB, then 5, 21 and 85 (capped at 24): three reallocations.
    assert!(
        trace.reallocations() <= 4,
        "{} reallocations",
        trace.reallocations()
    );
    // Bulk reads: a few thousand calls for 24 MB, not one per element.
    let mut reader = Trickle::new(&bytes, &[usize::MAX], false);
    assert_eq!(load::<Vec<u64>>(&mut reader, 0).unwrap(), value);
    assert!(reader.calls < 3000, "{} reads", reader.calls);
}

#[test]
fn a_stream_that_ends_early_is_a_short_read_everywhere() {
    let value = Room::sample();
    let mut bytes = Vec::new();
    save(&mut bytes, 0, &value).unwrap();
    for cut in 0..bytes.len() {
        let mut reader = Trickle::new(&bytes[..cut], &[1, 5, 300], true);
        assert!(load::<Room>(&mut reader, 0).is_err(), "cut at {cut}");
    }
    let big = vec![3u32; 100_000];
    let mut bytes = Vec::new();
    save_noschema(&mut bytes, 0, &big).unwrap();
    for cut in [24, 25, 9000, 70_000, bytes.len() - 1] {
        assert!(matches!(
            load_noschema::<Vec<u32>>(&mut &bytes[..cut], 0),
            Err(SavefileError::ShortRead)
        ));
    }
}

#[test]
fn a_failing_reader_fails_the_load_with_its_error() {
    struct Failing<'a>(&'a [u8]);
    impl Read for Failing<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                return Err(std::io::Error::other("disk on fire"));
            }
            let n = out.len().min(self.0.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    let mut bytes = Vec::new();
    save(&mut bytes, 0, &Room::sample()).unwrap();
    for cut in [10, 40, bytes.len() / 2, bytes.len() - 1] {
        let error = load::<Room>(&mut Failing(&bytes[..cut]), 0).unwrap_err();
        assert!(error.to_string().contains("disk on fire"), "{error}");
    }
}
