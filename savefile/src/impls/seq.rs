//! Sequences: `Vec`, `VecDeque`, `BinaryHeap`, `LinkedList`, `Box<[T]>`, `Rc<[T]>`,
//! `Arc<[T]>`, and `[T]` (save only).
//!
//! All are saved alike, as a u64 element count and then the elements, and all share
//! one schema (a vector of the element type), so a file saved from one loads as any
//! other. The counted read and write helpers here are also used by sets and maps, so
//! every counted collection checks its count the same way.

use std::collections::{BinaryHeap, LinkedList, VecDeque};
use std::io::{Read, Write};
use std::rc::Rc;
use std::sync::Arc;

use crate::format::footprint::{self, Reserved};
use crate::packed::{
    extend_deserialized, min_bytes, min_wire_size, try_read_packed, try_read_packed_arc,
    try_read_packed_rc, try_write_packed, Room,
};
use crate::{
    introspect_item, Deserialize, Deserializer, Introspect, IntrospectItem, Packed, SavefileError,
    Schema, Serialize, Serializer, VecOrStringLayout, WithSchema, WithSchemaContext,
};

/// The schema of every counted collection of `T`: a vector of `T`.
///
/// The element schema is built inside `possible_recursion::<T>`, as savefile 0.20
/// does, so that recursion depths count the same levels as in the files it wrote.
pub(crate) fn vector_schema<T: WithSchema>(
    version: u32,
    context: &mut WithSchemaContext,
) -> Schema {
    let item = context.possible_recursion::<T>(|context| T::schema(version, context));
    Schema::Vector(Box::new(item), VecOrStringLayout::Unknown)
}

/// Writes the elements of a contiguous slice, without a count.
///
/// Every slice-backed sequence and every array writes its elements through here,
/// so this is the one place a bulk copy for packed `T` belongs.
#[inline]
pub(crate) fn write_elements<T: Serialize + Packed>(
    serializer: &mut Serializer<impl Write>,
    items: &[T],
) -> Result<(), SavefileError> {
    if try_write_packed(serializer, items)? {
        return Ok(());
    }
    for item in items {
        item.serialize(serializer)?;
    }
    Ok(())
}

/// Writes a slice as a u64 count followed by its elements.
#[inline]
pub(crate) fn write_slice<T: Serialize + Packed>(
    serializer: &mut Serializer<impl Write>,
    items: &[T],
) -> Result<(), SavefileError> {
    serializer.write_usize(items.len())?;
    write_elements(serializer, items)
}

/// Reads `count` elements into a new vector.
///
/// The counterpart of [`write_elements`] and the one place a bulk copy for packed
/// `T` belongs. Charges the elements to the load's memory budget, then reserves
/// only what the load's allowance grants; the vector grows as the elements arrive,
/// so a lying count costs no more memory than the input backs (it grows to exactly
/// `count`, and the older buffer of its last growth is charged too: see
/// `footprint::reserve_vec`).
#[inline]
pub(crate) fn read_elements<T: Deserialize + Packed>(
    deserializer: &mut Deserializer<impl Read>,
    count: usize,
    room: Room,
) -> Result<Vec<T>, SavefileError> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if let Some(items) = try_read_packed(deserializer, count, room)? {
        return Ok(items);
    }
    let reserved = footprint::reserve_vec::<T>(deserializer, count)?;
    let mut items = Vec::with_capacity(reserved.capacity);
    extend_deserialized(&mut items, deserializer, count)?;
    reserved.complete(deserializer);
    Ok(items)
}

/// Reads a checked u64 count, then that many elements into a new vector with the
/// capacity `room` gives it.
#[inline]
pub(crate) fn read_vec<T: Deserialize + Packed>(
    deserializer: &mut Deserializer<impl Read>,
    room: Room,
) -> Result<Vec<T>, SavefileError> {
    let count = deserializer.read_count(min_wire_size::<T>(deserializer.file_version))?;
    read_elements(deserializer, count, room)
}

/// Writes `items.len()` as a u64 count, then each item with `write_item`.
///
/// For collections that are not one contiguous slice (linked lists, sets, maps).
pub(crate) fn write_counted<W: Write, I: ExactSizeIterator>(
    serializer: &mut Serializer<W>,
    items: I,
    mut write_item: impl FnMut(&mut Serializer<W>, I::Item) -> Result<(), SavefileError>,
) -> Result<(), SavefileError> {
    serializer.write_usize(items.len())?;
    for item in items {
        write_item(serializer, item)?;
    }
    Ok(())
}

/// Reads a u64 count of items that take at least `min_item_bytes` each, checked
/// against the input, then builds the collection item by item.
///
/// `reserve` charges the memory of a collection of `count` items to the load's
/// budget and says how many of them to reserve up front (and what to give back once
/// the collection is complete); `with_capacity` makes the collection with room for
/// that many; `read_item` reads one item straight from the deserializer and adds it
/// to the collection. `least_item_bytes` is what an item takes at the least as far
/// as is known ([`min_bytes`]), which lets a stream be read ahead over the items.
pub(crate) fn read_counted<'a, R: Read, C>(
    deserializer: &mut Deserializer<'a, R>,
    min_item_bytes: usize,
    least_item_bytes: usize,
    reserve: impl FnOnce(&mut Deserializer<'a, R>, usize) -> Result<Reserved, SavefileError>,
    with_capacity: impl FnOnce(usize) -> C,
    mut read_item: impl FnMut(&mut Deserializer<'a, R>, &mut C) -> Result<(), SavefileError>,
) -> Result<C, SavefileError> {
    let count = deserializer.read_count(min_item_bytes)?;
    let reserved = reserve(deserializer, count)?;
    let mut collection = with_capacity(reserved.capacity);
    let mut items = deserializer.begin_elements(count, least_item_bytes);
    for _ in 0..count {
        deserializer.next_element(&mut items);
        if let Err(e) = read_item(deserializer, &mut collection) {
            deserializer.end_elements(items);
            return Err(e);
        }
    }
    deserializer.end_elements(items);
    reserved.complete(deserializer);
    Ok(collection)
}

/// `WithSchema` and `Packed` (never packed: the memory is a pointer, not the elements).
macro_rules! seq_schema {
    ($($ty:ty),*) => {$(
        impl<T: WithSchema> WithSchema for $ty {
            fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
                vector_schema::<T>(version, context)
            }
        }

        impl<T> Packed for $ty {}
    )*};
}

seq_schema!(
    [T],
    Vec<T>,
    VecDeque<T>,
    BinaryHeap<T>,
    LinkedList<T>,
    Box<[T]>,
    Rc<[T]>,
    Arc<[T]>
);

/// `Serialize` for the sequences that deref to one contiguous slice.
macro_rules! serialize_as_slice {
    ($($ty:ty),*) => {$(
        impl<T: Serialize + Packed> Serialize for $ty {
            #[inline]
            fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
                write_slice(serializer, self)
            }
        }
    )*};
}

serialize_as_slice!([T], Vec<T>, Box<[T]>, Rc<[T]>, Arc<[T]>);

impl<T: Serialize + Packed> Serialize for VecDeque<T> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        // A ring buffer is at most two slices; together they are the elements in order.
        let (front, back) = self.as_slices();
        serializer.write_usize(self.len())?;
        write_elements(serializer, front)?;
        write_elements(serializer, back)
    }
}

impl<T: Serialize + Packed> Serialize for BinaryHeap<T> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        // Heap order, as `iter()` gives; rebuilding a heap from it on load keeps it.
        write_slice(serializer, self.as_slice())
    }
}

impl<T: Serialize + Packed> Serialize for LinkedList<T> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        write_counted(serializer, self.iter(), |serializer, item| {
            item.serialize(serializer)
        })
    }
}

impl<T: Deserialize + Packed> Deserialize for Vec<T> {
    const __SAVEFILE_MIN_SIZE: usize = 8;

    #[inline]
    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        read_vec(deserializer, Room::Spare)
    }
}

// Borrowed loads read these as owned loads do: they hold no borrows.
crate::borrowed::borrowed_as_owned!(impl[T] VecDeque<T>, impl[T] BinaryHeap<T>, impl[T] LinkedList<T>, impl[T] Box<[T]>, impl[T] Rc<[T]>, impl[T] Arc<[T]>);

impl<T: Deserialize + Packed> Deserialize for VecDeque<T> {
    const __SAVEFILE_MIN_SIZE: usize = 8;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        // Converting a Vec reuses its buffer: no copy.
        Ok(VecDeque::from(read_vec(deserializer, Room::Spare)?))
    }
}

impl<T: Deserialize + Packed + Ord> Deserialize for BinaryHeap<T> {
    const __SAVEFILE_MIN_SIZE: usize = 8;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        // Heapifies in place, so any element order in the file gives a valid heap.
        Ok(BinaryHeap::from(read_vec(deserializer, Room::Spare)?))
    }
}

/// The memory of one element of a `LinkedList<T>`: a node with two links.
type ListNode<T> = (T, [usize; 2]);

/// The nodes of a B-tree collection are charged at most what they can take (see
/// `footprint::btree`); nothing is reserved ahead, the nodes come as entries do.
pub(crate) fn charge_btree<K, V, R: Read>(
    deserializer: &mut Deserializer<R>,
    count: usize,
) -> Result<Reserved, SavefileError> {
    deserializer.charge_memory(footprint::btree::<K, V>(count))?;
    Ok(Reserved {
        capacity: 0,
        transient: 0,
    })
}

impl<T: Deserialize + Packed> Deserialize for LinkedList<T> {
    const __SAVEFILE_MIN_SIZE: usize = 8;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        let min_item_bytes = min_wire_size::<T>(deserializer.file_version);
        let count = deserializer.read_count(min_item_bytes)?;
        let node_bytes = count.saturating_mul(footprint::list_node::<T>());
        deserializer.charge_memory(node_bytes)?;
        // Elements that take no bytes still take a node each, which no input backs:
        // all of them must fit in the allowance for memory ahead of the data.
        if min_item_bytes == 0 && deserializer.capacity_for::<ListNode<T>>(count) < count {
            return Err(SavefileError::LengthTooLarge {
                length: count as u64,
                remaining: deserializer.remaining_hint().unwrap_or(0),
            });
        }
        let mut list = LinkedList::new();
        let mut items =
            deserializer.begin_elements(count, min_bytes::<T>(deserializer.file_version));
        for _ in 0..count {
            deserializer.next_element(&mut items);
            match T::deserialize(deserializer) {
                Ok(item) => list.push_back(item),
                Err(e) => {
                    deserializer.end_elements(items);
                    return Err(e);
                }
            }
        }
        deserializer.end_elements(items);
        Ok(list)
    }
}

impl<T: Deserialize + Packed> Deserialize for Box<[T]> {
    const __SAVEFILE_MIN_SIZE: usize = 8;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        Ok(read_vec(deserializer, Room::Exact)?.into_boxed_slice())
    }
}

/// `Rc<[T]>` and `Arc<[T]>`: packed elements already in memory are copied straight
/// into the shared allocation; otherwise the elements are read into a vector and
/// moved into it (the reference counts live in front of the elements, so the vector's
/// buffer cannot be reused): the shared allocation is charged once the vector is
/// read, beside it, and the vector is given back once the elements have moved.
macro_rules! shared_slice {
    ($($shared:ident => $direct:ident),*) => {$(
        impl<T: Deserialize + Packed> Deserialize for $shared<[T]> {
            const __SAVEFILE_MIN_SIZE: usize = 8;

            fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
                let count = deserializer.read_count(min_wire_size::<T>(deserializer.file_version))?;
                if let Some(shared) = $direct(deserializer, count)? {
                    return Ok(shared);
                }
                let items = read_elements(deserializer, count, Room::Exact)?;
                deserializer.charge_memory(footprint::counted_slice::<T>(count))?;
                let shared = $shared::from(items);
                deserializer.release_memory(footprint::buffer::<T>(count));
                Ok(shared)
            }
        }
    )*};
}

shared_slice!(Rc => try_read_packed_rc, Arc => try_read_packed_arc);

/// `Introspect`: no value of its own, children "0", "1" … in sequence order.
macro_rules! introspect_seq {
    ($($ty:ty => |$this:ident, $index:ident| $get:expr;)*) => {$(
        impl<T: Introspect> Introspect for $ty {
            fn introspect_value(&self) -> String {
                String::new()
            }
            fn introspect_child<'a>(&'a self, $index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
                let $this = self;
                let item: &T = $get?;
                Some(introspect_item($index.to_string(), item))
            }
            fn introspect_len(&self) -> usize {
                self.len()
            }
        }
    )*};
}

introspect_seq! {
    [T] => |this, index| this.get(index);
    Vec<T> => |this, index| this.get(index);
    Box<[T]> => |this, index| this.get(index);
    Rc<[T]> => |this, index| this.get(index);
    Arc<[T]> => |this, index| this.get(index);
    VecDeque<T> => |this, index| this.get(index);
    BinaryHeap<T> => |this, index| this.as_slice().get(index);
    LinkedList<T> => |this, index| this.iter().nth(index);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impls::test_support::assert_roundtrip;
    use crate::SchemaPrimitive;

    /// A u64 count in little-endian bytes.
    fn count(n: u64) -> [u8; 8] {
        n.to_le_bytes()
    }

    #[test]
    fn a_vec_is_a_count_and_its_elements() {
        let mut expected = count(2).to_vec();
        expected.extend_from_slice(&[1, 0, 0, 0, 2, 0, 0, 0]);
        assert_eq!(assert_roundtrip(&vec![1u32, 2]), expected);
        assert_eq!(assert_roundtrip(&Vec::<u32>::new()), count(0));
        assert_eq!(assert_roundtrip(&vec![(); 3]), count(3));
    }

    #[test]
    fn nested_vectors_nest_their_counts() {
        let value = vec![vec!["a".to_string()], vec![]];
        let mut expected = count(2).to_vec();
        expected.extend_from_slice(&count(1));
        expected.extend_from_slice(&count(1));
        expected.push(b'a');
        expected.extend_from_slice(&count(0));
        assert_eq!(assert_roundtrip(&value), expected);
    }

    #[test]
    fn every_sequence_saves_like_a_vec() {
        let vec_bytes = assert_roundtrip(&vec![7u16, 8, 9]);
        // Push to the front so the ring buffer wraps and is saved from two slices.
        let mut deque = VecDeque::from(vec![8u16, 9]);
        deque.push_front(7);
        assert_eq!(assert_roundtrip(&deque), vec_bytes);
        assert_eq!(
            assert_roundtrip(&[7u16, 8, 9].into_iter().collect::<LinkedList<_>>()),
            vec_bytes
        );
        assert_eq!(assert_roundtrip(&Box::<[u16]>::from([7, 8, 9])), vec_bytes);
        assert_eq!(assert_roundtrip(&Rc::<[u16]>::from([7, 8, 9])), vec_bytes);
        assert_eq!(assert_roundtrip(&Arc::<[u16]>::from([7, 8, 9])), vec_bytes);
        let slice: &[u16] = &[7, 8, 9];
        assert_eq!(
            crate::save_to_mem(0, slice).unwrap(),
            crate::save_to_mem(0, &vec![7u16, 8, 9]).unwrap()
        );
        assert_roundtrip(&VecDeque::<String>::new());
        assert_roundtrip(&LinkedList::<Vec<u8>>::new());
    }

    #[test]
    fn a_binary_heap_keeps_its_elements_and_order() {
        let heap: BinaryHeap<i32> = [3, 1, 4, 1, 5, 9, 2, 6].into_iter().collect();
        let bytes = crate::save_to_mem(0, &heap).unwrap();
        let back: BinaryHeap<i32> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(back.as_slice(), heap.as_slice());
        // Any order in the file is heapified, e.g. one saved from a plain Vec.
        let bytes = crate::save_to_mem(0, &vec![1, 9, 5]).unwrap();
        let back: BinaryHeap<i32> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(back.into_sorted_vec(), [1, 5, 9]);
        let mut bare = Vec::new();
        crate::save_noschema(&mut bare, 0, &heap).unwrap();
        for cut in 16..bare.len() {
            assert!(crate::load_from_mem_noschema::<BinaryHeap<i32>>(&bare[..cut], 0).is_err());
        }
    }

    #[test]
    fn all_sequences_share_the_vector_schema() {
        let expected = Schema::Vector(
            Box::new(Schema::Primitive(SchemaPrimitive::schema_u32)),
            VecOrStringLayout::Unknown,
        );
        assert_eq!(crate::get_schema::<Vec<u32>>(0), expected);
        assert_eq!(crate::get_schema::<[u32]>(0), expected);
        assert_eq!(crate::get_schema::<VecDeque<u32>>(0), expected);
        assert_eq!(crate::get_schema::<BinaryHeap<u32>>(0), expected);
        assert_eq!(crate::get_schema::<LinkedList<u32>>(0), expected);
        assert_eq!(crate::get_schema::<Box<[u32]>>(0), expected);
        assert_eq!(crate::get_schema::<Rc<[u32]>>(0), expected);
        assert_eq!(crate::get_schema::<Arc<[u32]>>(0), expected);
        // So a file saved from one loads as another.
        let bytes = crate::save_to_mem(0, &vec![1u32, 2]).unwrap();
        let back: LinkedList<u32> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(back.into_iter().collect::<Vec<_>>(), [1, 2]);
        let back: Arc<[u32]> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(&*back, [1, 2]);
    }

    /// A type that contains itself through a sequence, to see which levels count.
    struct Node;

    impl WithSchema for Node {
        fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
            context.possible_recursion::<Node>(|context| Vec::<Vec<Node>>::schema(version, context))
        }
    }

    #[test]
    fn a_sequence_registers_its_element_type_for_recursion() {
        // Vec<Vec<Node>> registers Vec<Node> on the way to Node, so the reference
        // back to Node lies one level further up than it would through one Vec.
        let Schema::Vector(outer, _) = crate::get_schema::<Node>(0) else {
            panic!("not a vector");
        };
        let Schema::Vector(inner, _) = *outer else {
            panic!("not a vector of vectors");
        };
        let Schema::Recursion(through_two) = *inner else {
            panic!("no recursion");
        };
        let mut context = WithSchemaContext::new();
        let through_one = context.possible_recursion::<Node>(|context| {
            context.possible_recursion::<Node>(|_| Schema::ZeroSize)
        });
        assert_eq!(Schema::Recursion(through_two - 1), through_one);
    }

    #[test]
    fn a_count_that_cannot_fit_the_input_is_refused() {
        // A header and a count of 2^60, then nothing.
        let mut bytes = Vec::new();
        crate::save_noschema(&mut bytes, 0, &Vec::<u8>::new()).unwrap();
        bytes.truncate(16);
        bytes.extend_from_slice(&count(1 << 60));
        fn refused<T: WithSchema + Deserialize>(bytes: &[u8]) {
            let result = crate::load_from_mem_noschema::<T>(bytes, 0).map(drop);
            assert!(
                matches!(
                    result,
                    Err(SavefileError::LengthTooLarge {
                        length: 0x1000_0000_0000_0000,
                        remaining: 0
                    })
                ),
                "{}: {result:?}",
                std::any::type_name::<T>()
            );
        }
        refused::<Vec<u32>>(&bytes);
        refused::<Vec<()>>(&bytes);
        refused::<Vec<String>>(&bytes);
        refused::<VecDeque<u8>>(&bytes);
        refused::<BinaryHeap<u8>>(&bytes);
        refused::<LinkedList<u8>>(&bytes);
        refused::<LinkedList<()>>(&bytes);
        refused::<Box<[u8]>>(&bytes);
        refused::<Rc<[u8]>>(&bytes);
        refused::<Arc<[u8]>>(&bytes);
    }

    #[test]
    fn a_count_is_checked_against_the_element_size() {
        // Two u64 need 16 bytes; 15 are left.
        let mut bytes = Vec::new();
        crate::save_noschema(&mut bytes, 0, &vec![1u64, 2]).unwrap();
        bytes.pop();
        let result = crate::load_from_mem_noschema::<Vec<u64>>(&bytes, 0);
        let refused_as_expected = if crate::packed::is_packed::<u64>(0) {
            matches!(
                result,
                Err(SavefileError::LengthTooLarge {
                    length: 2,
                    remaining: 15
                })
            )
        } else {
            matches!(result, Err(SavefileError::ShortRead))
        };
        assert!(refused_as_expected, "{result:?}");
    }

    #[test]
    fn introspection_lists_the_elements_by_index() {
        let value = vec![10u8, 20];
        assert_eq!(value.introspect_value(), "");
        assert_eq!(value.introspect_len(), 2);
        let child = value.introspect_child(1).unwrap();
        assert_eq!(child.key(), "1");
        assert_eq!(child.val().introspect_value(), "20");
        assert!(value.introspect_child(2).is_none());
        let list: LinkedList<u8> = [5, 6, 7].into_iter().collect();
        assert_eq!(list.introspect_len(), 3);
        assert_eq!(
            list.introspect_child(2).unwrap().val().introspect_value(),
            "7"
        );
        let heap: BinaryHeap<u8> = [1, 2].into_iter().collect();
        assert_eq!(heap.introspect_len(), 2);
        assert_eq!(
            heap.introspect_child(0).unwrap().val().introspect_value(),
            "2"
        );
        let shared = Rc::<[u8]>::from([4]);
        assert_eq!(shared.introspect_child(0).unwrap().key(), "0");
    }
}
