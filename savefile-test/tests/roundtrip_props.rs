//! Every std type family round-trips in every mode (schema, no schema, memory, stream,
//! file, compressed) for arbitrary values.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::marker::PhantomData;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::num::{NonZeroI64, NonZeroU16, NonZeroU8};
use std::ops::Range;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use proptest::prelude::*;
use savefile::prelude::*;
use savefile_test::{roundtrip, VERSION};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 48,
        ..ProptestConfig::default()
    }
}

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..12).prop_map(|c| c.into_iter().collect())
}

/// Saves with schema and without, loads with `load` and `load_noschema`, for types
/// without `PartialEq` (locks, atomics, cells): `inner` extracts a comparable value.
fn roundtrip_by<T, C>(value: &T, inner: impl Fn(&T) -> C)
where
    T: WithSchema + Serialize + Deserialize,
    C: PartialEq + std::fmt::Debug,
{
    let bytes = save_to_mem(VERSION, value).unwrap();
    assert_eq!(
        inner(&load_from_mem::<T>(&bytes, VERSION).unwrap()),
        inner(value)
    );
    let mut bare = Vec::new();
    save_noschema(&mut bare, VERSION, value).unwrap();
    assert_eq!(
        inner(&load_noschema::<T>(&mut &bare[..], VERSION).unwrap()),
        inner(value)
    );
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn integers(a in any::<(u8, i8, u16, i16, u32, i32)>(), b in any::<(u64, i64, u128, i128, usize, isize)>()) {
        roundtrip(&a);
        roundtrip(&b);
    }

    #[test]
    fn floats_bools_chars(f in any::<(f32, f64)>(), b in any::<bool>(), c in any::<char>()) {
        // NaN != NaN: compare bit patterns.
        let bytes = save_to_mem(VERSION, &f).unwrap();
        let back: (f32, f64) = load_from_mem(&bytes, VERSION).unwrap();
        prop_assert_eq!((back.0.to_bits(), back.1.to_bits()), (f.0.to_bits(), f.1.to_bits()));
        roundtrip(&(b, c, ()));
    }

    #[test]
    fn strings(s in text()) {
        roundtrip(&s);
        roundtrip(&Box::<str>::from(s.as_str()));
        roundtrip(&Arc::<str>::from(s.as_str()));
        roundtrip(&Rc::<str>::from(s.as_str()));
        roundtrip(&Cow::<str>::Owned(s.clone()));
        roundtrip(&PathBuf::from(&s));
    }

    #[test]
    fn options_and_results(o in any::<Option<Option<u32>>>(), r in any::<Result<i16, bool>>(), s in proptest::option::of(text())) {
        roundtrip(&o);
        roundtrip(&r);
        roundtrip(&s);
        roundtrip(&Ok::<String, Vec<u8>>(s.unwrap_or_default()));
    }

    #[test]
    fn tuples(a in any::<(u8, (bool, char), i64, u16, u32, u64)>(), b in any::<(i8, i16, i32, u128, bool)>()) {
        let twelve = (a.0, a.1, a.2, a.3, a.4, a.5, b.0, b.1, b.2, (), b.3, b.4);
        roundtrip(&twelve);
        roundtrip(&(a.0,));
    }

    #[test]
    fn arrays(a in any::<[u16; 5]>(), s in proptest::array::uniform3(text())) {
        roundtrip(&a);
        roundtrip(&s);
        roundtrip(&[[0u8; 0]; 3]);
    }

    #[test]
    fn sequences(v in proptest::collection::vec(any::<i32>(), 0..40), w in proptest::collection::vec(text(), 0..8)) {
        roundtrip(&v);
        roundtrip(&w);
        roundtrip(&v.iter().copied().collect::<VecDeque<_>>());
        roundtrip(&w.iter().cloned().collect::<LinkedList<_>>());
        roundtrip(&v.clone().into_boxed_slice());
        roundtrip(&Arc::<[String]>::from(w.clone()));
        roundtrip(&Rc::<[i32]>::from(v.clone()));
        roundtrip(&vec![w.clone(), vec![], w]);
        let heap: BinaryHeap<i32> = v.iter().copied().collect();
        let bytes = save_to_mem(VERSION, &heap).unwrap();
        let back: BinaryHeap<i32> = load_from_mem(&bytes, VERSION).unwrap();
        prop_assert_eq!(back.into_sorted_vec(), heap.into_sorted_vec());
    }

    #[test]
    fn maps_and_sets(m in proptest::collection::hash_map(text(), any::<Option<u8>>(), 0..12), s in proptest::collection::btree_set(any::<i64>(), 0..12)) {
        roundtrip(&m);
        roundtrip(&m.clone().into_iter().collect::<BTreeMap<_, _>>());
        roundtrip(&s);
        roundtrip(&s.iter().copied().collect::<HashSet<_>>());
        roundtrip(&HashMap::from([(1u8, s)]));
    }

    #[test]
    fn pointers_and_cells(x in any::<u32>(), s in text()) {
        roundtrip(&Box::new(x));
        roundtrip(&Rc::new(s.clone()));
        roundtrip(&Arc::new((x, s.clone())));
        roundtrip(&Cow::<u32>::Owned(x));
        roundtrip(&RefCell::new(s.clone()));
        roundtrip(&Cell::new(x));
        roundtrip_by(&Mutex::new(s.clone()), |m| m.lock().unwrap().clone());
        roundtrip_by(&RwLock::new(x), |l| *l.read().unwrap());
    }

    #[test]
    fn atomics_and_nonzero(b in any::<bool>(), i in any::<i32>(), u in any::<u64>(), n in 1u8.., m in 1u16.., k in any::<i64>().prop_filter("nonzero", |k| *k != 0)) {
        roundtrip_by(&AtomicBool::new(b), |a| a.load(Ordering::SeqCst));
        roundtrip_by(&AtomicI32::new(i), |a| a.load(Ordering::SeqCst));
        roundtrip_by(&AtomicU64::new(u), |a| a.load(Ordering::SeqCst));
        roundtrip(&(NonZeroU8::new(n).unwrap(), NonZeroU16::new(m).unwrap(), NonZeroI64::new(k).unwrap()));
    }

    #[test]
    fn ranges_and_markers(a in any::<u32>(), b in any::<u32>()) {
        roundtrip(&Range { start: a, end: b });
        roundtrip(&PhantomData::<String>);
    }

    #[test]
    fn times(secs in any::<u64>(), nanos in 0u32..1_000_000_000, back in any::<bool>(), offset in 0u64..(1 << 40)) {
        roundtrip(&Duration::new(secs, nanos));
        let d = Duration::new(offset, nanos);
        let t: SystemTime = if back { UNIX_EPOCH - d } else { UNIX_EPOCH + d };
        roundtrip(&t);
    }

    #[test]
    fn addresses(v4 in any::<u32>(), v6 in any::<u128>(), port in any::<u16>()) {
        roundtrip(&IpAddr::V4(Ipv4Addr::from_bits(v4)));
        roundtrip(&IpAddr::V6(Ipv6Addr::from_bits(v6)));
        roundtrip(&(Ipv4Addr::from_bits(v4), Ipv6Addr::from_bits(v6)));
        roundtrip(&SocketAddr::new(IpAddr::V4(Ipv4Addr::from_bits(v4)), port));
        roundtrip(&SocketAddr::new(IpAddr::V6(Ipv6Addr::from_bits(v6)), port));
    }
}
