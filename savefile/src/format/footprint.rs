//! What the values a load builds take from the allocator, so that each collection is
//! charged (see `limits`) what it really allocates: its buffer, table or nodes at
//! their real size, every heap block at least [`MIN_BLOCK`] bytes, and the older
//! buffer that lives beside the new one while a collection grows, charged while the
//! collection is read and given back once it is complete.
//!
//! The sizes of std's hash tables and B-tree nodes are not public; they are worked
//! out here from how std builds them (hashbrown's table layout, the B-tree's node
//! structs) and checked against the allocations themselves by the tests in
//! `savefile-test/tests/memory_bound.rs`. Where the exact figure depends on the
//! order of the input (a B-tree's node count) or on the platform (a hash table's
//! group width), the figure here is the largest it can be.
//!
//! Collections whose length was only partly reserved up front (a stream of unknown
//! length, an allowance already used up) grow as their elements arrive. The vectors
//! grow through [`grow_toward`]: doubling, but never past the length that was
//! claimed, so they end at exactly that capacity, and [`capacity_before_last_growth`]
//! tells the size of the older buffer at their last step, which is charged with
//! them. A hash table doubles on its own; the table before its last doubling is
//! charged likewise.

use std::alloc::Layout;
use std::io::Read;
use std::mem::{align_of, size_of};

use super::Deserializer;
use crate::SavefileError;

/// The fewest bytes one heap block is charged, however small it is.
///
/// No common 64-bit allocator hands out less: glibc's, jemalloc's, mimalloc's and
/// Windows' heaps all align blocks to 16 bytes (glibc's smallest block holds 24),
/// and 16 is also the room this crate gives short strings and packed vectors (see
/// `packed::MIN_LOADED_BYTES`), so those are charged what they ask for. An
/// allocator's own bookkeeping per block (glibc's 8-byte header) is not charged.
pub(crate) const MIN_BLOCK: usize = 16;

/// The bytes charged for a heap block of `bytes`: nothing when nothing is
/// allocated, else at least [`MIN_BLOCK`].
#[inline(always)]
pub(crate) const fn block(bytes: usize) -> usize {
    if bytes == 0 {
        0
    } else if bytes < MIN_BLOCK {
        MIN_BLOCK
    } else {
        bytes
    }
}

/// The bytes charged for a buffer of `count` values of `T` (a vector's): one block.
#[inline(always)]
pub(crate) fn buffer<T>(count: usize) -> usize {
    block(count.saturating_mul(size_of::<T>()))
}

/// The smallest step a vector read element by element grows by.
pub(crate) const VEC_GROWTH_STEP: usize = 4;

/// The capacity a vector of `capacity` (less than `total`) grows to on its way to
/// `total` elements: twice as many, at least `step` more, never more than `total`.
#[inline]
pub(crate) fn grown(capacity: usize, step: usize, total: usize) -> usize {
    total.min(
        capacity
            .saturating_mul(2)
            .max(capacity.saturating_add(step)),
    )
}

/// Makes room in `items` for `needed` more elements on its way to `total` in all
/// (`items.len() + needed <= total`), growing as [`grown`] says when it lacks room:
/// the growth whose older buffer [`capacity_before_last_growth`] charges.
#[inline]
pub(crate) fn grow_toward<T>(items: &mut Vec<T>, needed: usize, step: usize, total: usize) {
    let len = items.len();
    if items.capacity() - len < needed {
        let target = grown(items.capacity(), step, total).max(len + needed);
        items.reserve_exact(target - len);
    }
}

/// Makes room in `items` for `needed` more elements, a run of them at once, growing
/// to a capacity that [`grow_toward`] reaches one element at a time (so that the older
/// buffer is never larger than what [`capacity_before_last_growth`] charges).
#[inline]
pub(crate) fn grow_along<T>(items: &mut Vec<T>, needed: usize, step: usize, total: usize) {
    let wanted = items.len().saturating_add(needed);
    let mut capacity = items.capacity();
    if capacity >= wanted {
        return;
    }
    while capacity < wanted {
        let next = grown(capacity, step, total);
        // Past `total` (more elements than claimed): exactly what is needed.
        capacity = if next > capacity { next } else { wanted };
    }
    items.reserve_exact(capacity - items.len());
}

/// The capacity of the older buffer that lives beside the new one at the last step
/// of a vector growing through [`grow_toward`] from `start` to `total` elements (in
/// steps of at least `step`, and of at most `step` elements at a time when more are
/// needed); 0 when it does not grow, or grows from nothing in one step.
pub(crate) fn capacity_before_last_growth(start: usize, step: usize, total: usize) -> usize {
    if start >= total {
        return 0;
    }
    let mut capacity = start;
    loop {
        let next = grown(capacity, step, total);
        if next >= total {
            return capacity;
        }
        capacity = next;
    }
}

/// Reads from `reader` until `out` holds `total` bytes or the reader ends, growing
/// `out` through [`grow_toward`]; returns how many bytes were read.
pub(crate) fn read_growing(
    reader: &mut impl Read,
    out: &mut Vec<u8>,
    total: usize,
) -> std::io::Result<u64> {
    let mut read = 0;
    while out.len() < total {
        grow_toward(out, 1, VEC_GROWTH_STEP, total);
        // Exactly the spare room: `read_to_end` then never grows the vector itself.
        let room = (out.capacity().min(total) - out.len()) as u64;
        match reader.by_ref().take(room).read_to_end(out)? {
            0 => break,
            n => read += n as u64,
        }
    }
    Ok(read)
}

/// The width of hashbrown's control-byte groups: 16 with SSE2 (x86 and x86_64), 8
/// or 4 elsewhere. The widest is assumed, which over-counts a little elsewhere.
const GROUP_WIDTH: usize = 16;

/// How many buckets a std hash table of elements of `size` bytes gets for room for
/// `capacity` of them (`HashMap::with_capacity`, or growth to that many): a power of
/// two that keeps an eighth of them empty, or, for small tables, at least one, with a
/// minimum for tiny elements so that the table is not mostly padding.
fn hash_buckets(capacity: usize, size: usize) -> usize {
    if capacity == 0 {
        return 0;
    }
    if capacity < 15 {
        let least = match size {
            0..=1 => 14,
            2..=3 => 7,
            _ => 3,
        };
        return match capacity.max(least) {
            0..=3 => 4,
            4..=7 => 8,
            _ => 16,
        };
    }
    (capacity.saturating_mul(8) / 7)
        .checked_next_power_of_two()
        .unwrap_or(usize::MAX)
}

/// How many elements a std hash table with `buckets` holds before it grows.
fn hash_capacity_of(buckets: usize) -> usize {
    if buckets < 8 {
        buckets.saturating_sub(1)
    } else {
        buckets / 8 * 7
    }
}

/// The bytes of a std hash table of `buckets` elements of `size` bytes aligned to
/// `align`: the elements, padded to the control bytes' alignment, then one control
/// byte per bucket and a group's worth more.
fn hash_table_of(buckets: usize, size: usize, align: usize) -> usize {
    if buckets == 0 {
        return 0;
    }
    let ctrl_align = align.max(GROUP_WIDTH);
    let elements = size.saturating_mul(buckets);
    let padded = elements.saturating_add(ctrl_align - 1) & !(ctrl_align - 1);
    block(padded.saturating_add(buckets).saturating_add(GROUP_WIDTH))
}

/// The bytes of a std hash table (`HashMap`, `HashSet`) of `T` with room for
/// `capacity` elements.
pub(crate) fn hash_table<T>(capacity: usize) -> usize {
    let size = size_of::<T>();
    hash_table_of(hash_buckets(capacity, size), size, align_of::<T>())
}

/// The largest capacity whose std hash table of `T` takes at most `bytes`.
fn hash_capacity_within<T>(bytes: usize) -> usize {
    let size = size_of::<T>();
    // A table of `b` buckets takes more than `b * (size + 1)` bytes.
    let Some(mut buckets) = (bytes / (size + 1)).checked_next_power_of_two() else {
        return 0;
    };
    while buckets >= 4 {
        let capacity = hash_capacity_of(buckets);
        if hash_table::<T>(capacity) <= bytes {
            return capacity;
        }
        buckets /= 2;
    }
    0
}

/// What a collection about to be read was charged and may reserve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub(crate) struct Reserved {
    /// How many elements to reserve up front.
    pub(crate) capacity: usize,
    /// The bytes charged for the buffer or table the collection will grow out of
    /// (0 if it will not grow): to give back once the collection is complete.
    pub(crate) transient: usize,
}

impl Reserved {
    /// Gives back the transient charge, the collection being complete.
    pub(crate) fn complete(self, deserializer: &mut Deserializer<impl Read>) {
        deserializer.release_memory(self.transient);
    }
}

/// Charges `full` bytes, the memory of a collection of `count` elements, and asks the
/// load's allowance for all of it: `Ok` (reserve all `count`, nothing transient) when it
/// is granted, else `Err` with the bytes that were.
fn charge_and_grant(
    deserializer: &mut Deserializer<impl Read>,
    full: usize,
    count: usize,
) -> Result<Result<Reserved, u64>, SavefileError> {
    deserializer.charge_memory(full)?;
    let granted = deserializer.grant_memory(full as u64);
    if granted >= full as u64 {
        return Ok(Ok(Reserved {
            capacity: count,
            transient: 0,
        }));
    }
    Ok(Err(granted))
}

/// Charges a std hash table of `T` for `count` elements and says how many of them
/// to reserve up front: all of them when the load's allowance for memory ahead of
/// data covers their whole table, else as many as the granted bytes hold, and the
/// table then doubles as elements arrive, the table before its last doubling (half
/// the final one) living beside the final one for a moment: charged too, as the
/// transient part.
pub(crate) fn reserve_hash_table<T>(
    deserializer: &mut Deserializer<impl Read>,
    count: usize,
) -> Result<Reserved, SavefileError> {
    let granted = match charge_and_grant(deserializer, hash_table::<T>(count), count)? {
        Ok(reserved) => return Ok(reserved),
        Err(granted) => granted,
    };
    let size = size_of::<T>();
    let half = hash_table_of(hash_buckets(count, size) / 2, size, align_of::<T>());
    deserializer.charge_memory(half)?;
    Ok(Reserved {
        // `granted` is less than `full`, a usize.
        capacity: hash_capacity_within::<T>(granted as usize),
        transient: half,
    })
}

/// Charges an `IndexMap` or `IndexSet` of `count` entries stored as `E` (a hash and
/// the key, with the value for a map) and says how many to reserve up front.
///
/// Such a map is two allocations: a hash table of `usize` indices (hashbrown's, laid
/// out as std's) and a vector of entries. Reserved in full, both hold exactly `count`.
/// Otherwise the table doubles as entries arrive, and each time it does the entry
/// vector grows to the table's new capacity: at the end it holds up to the final
/// table's capacity of entries, and at its last growth the older table and the older
/// vector, of the table's previous capacity, live beside the new ones, charged as the
/// transient part.
#[cfg(feature = "indexmap")]
pub(crate) fn reserve_index_map<E>(
    deserializer: &mut Deserializer<impl Read>,
    count: usize,
) -> Result<Reserved, SavefileError> {
    let both =
        |capacity: usize| hash_table::<usize>(capacity).saturating_add(buffer::<E>(capacity));
    let granted = match charge_and_grant(deserializer, both(count), count)? {
        Ok(reserved) => return Ok(reserved),
        Err(granted) => granted,
    };
    let index = size_of::<usize>();
    let buckets = hash_buckets(count, index);
    let final_entries = buffer::<E>(hash_capacity_of(buckets));
    let older_table = hash_table_of(buckets / 2, index, align_of::<usize>());
    let older_entries = buffer::<E>(hash_capacity_of(buckets / 2));
    let transient = older_table.saturating_add(older_entries);
    deserializer.charge_memory(
        final_entries
            .saturating_sub(buffer::<E>(count))
            .saturating_add(transient),
    )?;
    // The most entries whose table and vector fit in what was granted (less than
    // `count`, since all of `count` did not).
    let (mut fits, mut too_many) = (0, count);
    while too_many - fits > 1 {
        let middle = fits + (too_many - fits) / 2;
        if both(middle) as u64 <= granted {
            fits = middle;
        } else {
            too_many = middle;
        }
    }
    Ok(Reserved {
        capacity: fits,
        transient,
    })
}

/// Charges `count` elements of `T` read into a vector one by one, and says how many
/// to reserve up front (what the load's allowance grants, see
/// [`Deserializer::capacity_for`]): the buffer at exactly `count` elements, and when
/// fewer were reserved, the older buffer of the vector's last growth as well (it
/// grows through [`grow_toward`] in steps of [`VEC_GROWTH_STEP`]), as the transient
/// part.
pub(crate) fn reserve_vec<T>(
    deserializer: &mut Deserializer<impl Read>,
    count: usize,
) -> Result<Reserved, SavefileError> {
    deserializer.charge_memory(buffer::<T>(count))?;
    let capacity = deserializer.capacity_for::<T>(count);
    let mut transient = 0;
    if size_of::<T>() > 0 && capacity < count {
        transient = buffer::<T>(capacity_before_last_growth(
            capacity,
            VEC_GROWTH_STEP,
            count,
        ));
        deserializer.charge_memory(transient)?;
    }
    Ok(Reserved {
        capacity,
        transient,
    })
}

/// The most keys one node of std's B-tree holds.
const BTREE_CAPACITY: usize = 11;

/// The fewest keys a node of std's B-tree other than the root holds when keys are
/// only ever inserted: a full node splits into two of at least this many.
const BTREE_MIN_FILLED: usize = 5;

/// The layout of a leaf node of std's `BTreeMap<K, V>`: a parent link, two u16
/// (its index in the parent, its length), then room for 11 keys and 11 values. The
/// fields are laid out in this order, which is never smaller than the order the
/// compiler picks. `None` for keys or values so large that no node can exist.
fn btree_leaf<K, V>() -> Option<Layout> {
    let u16 = Layout::new::<u16>();
    let (header, _) = Layout::new::<usize>().extend(u16).ok()?;
    let (header, _) = header.extend(u16).ok()?;
    let (with_keys, _) = header
        .extend(Layout::array::<K>(BTREE_CAPACITY).ok()?)
        .ok()?;
    let (leaf, _) = with_keys
        .extend(Layout::array::<V>(BTREE_CAPACITY).ok()?)
        .ok()?;
    Some(leaf.pad_to_align())
}

/// The bytes of the nodes of a std `BTreeMap<K, V>` (or `BTreeSet<K>`, with `V`
/// `()`) built by inserting `count` entries in any order: at most it.
///
/// One leaf holds up to 11; beyond, every node but the root holds at least 5 keys,
/// so there are at most `(count - 1) / 5 + 1` nodes, and every internal node but the
/// root has at least 6 children, so at most `(nodes + 3) / 6` of them are internal
/// (a leaf followed by 12 child links).
pub(crate) fn btree<K, V>(count: usize) -> usize {
    if count == 0 {
        return 0;
    }
    let Some(leaf) = btree_leaf::<K, V>() else {
        return usize::MAX;
    };
    if count <= BTREE_CAPACITY {
        return block(leaf.size());
    }
    let internal = Layout::array::<usize>(BTREE_CAPACITY + 1)
        .and_then(|edges| leaf.extend(edges))
        .map_or(usize::MAX, |(node, _)| node.pad_to_align().size());
    let nodes = (count - 1) / BTREE_MIN_FILLED + 1;
    let internals = (nodes + 3) / 6;
    (nodes - internals)
        .saturating_mul(leaf.size())
        .saturating_add(internals.saturating_mul(internal))
}

/// The bytes of one node of a std `LinkedList<T>`: the element and two links.
pub(crate) fn list_node<T>() -> usize {
    block(size_of::<(T, [usize; 2])>())
}

/// The bytes of the allocation of a `Box<T>`: none for a zero-sized `T`.
pub(crate) fn boxed<T>() -> usize {
    block(size_of::<T>())
}

/// The bytes of the allocation of an `Rc<T>` or `Arc<T>`: two reference counts,
/// then the value.
pub(crate) fn counted<T>() -> usize {
    counted_layout(Layout::new::<T>())
}

/// The bytes of the allocation of an `Rc<[T]>` or `Arc<[T]>` (or, with `u8`,
/// `Rc<str>`) of `count` elements.
pub(crate) fn counted_slice<T>(count: usize) -> usize {
    Layout::array::<T>(count).map_or(usize::MAX, counted_layout)
}

/// Two reference counts followed by `value`, padded to its alignment.
fn counted_layout(value: Layout) -> usize {
    Layout::new::<[usize; 2]>()
        .extend(value)
        .map_or(usize::MAX, |(whole, _)| block(whole.pad_to_align().size()))
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;

    #[test]
    fn blocks_are_at_least_the_minimum() {
        assert_eq!(block(0), 0);
        assert_eq!(block(1), 16);
        assert_eq!(block(16), 16);
        assert_eq!(block(17), 17);
        assert_eq!(buffer::<u16>(3), 16);
        assert_eq!(buffer::<u64>(3), 24);
        assert_eq!(buffer::<()>(1000), 0);
        assert_eq!(buffer::<u64>(usize::MAX), usize::MAX);
    }

    #[test]
    fn vectors_grow_to_exactly_their_length() {
        for total in 1..300 {
            for start in [0, 1, 3, 7, total / 2, total - 1] {
                let mut items: Vec<u32> = Vec::with_capacity(start);
                let mut older = 0;
                for i in 0..total {
                    let capacity = items.capacity();
                    grow_toward(&mut items, 1, VEC_GROWTH_STEP, total);
                    if items.capacity() != capacity {
                        older = capacity;
                    }
                    items.push(i as u32);
                }
                assert_eq!(items.capacity(), total.max(start), "{start} to {total}");
                let expected = capacity_before_last_growth(start, VEC_GROWTH_STEP, total);
                assert_eq!(older, expected, "{start} to {total}");
                assert!(older < total);
            }
        }
        // In chunks, as the packed stream reads them.
        let mut items: Vec<u8> = Vec::new();
        let mut older = 0;
        let (total, chunk) = (100_000, 8192);
        while items.len() < total {
            let n = chunk.min(total - items.len());
            let capacity = items.capacity();
            grow_toward(&mut items, n, chunk, total);
            if items.capacity() != capacity {
                older = capacity;
            }
            items.extend(std::iter::repeat_n(0, n));
        }
        assert_eq!(items.capacity(), total);
        assert_eq!(older, capacity_before_last_growth(0, chunk, total));
        assert_eq!(older, 65536);
    }

    #[test]
    fn reading_grows_a_buffer_to_exactly_what_arrives() {
        let source: Vec<u8> = (0..=255).cycle().take(70_000).collect();
        let mut out = Vec::with_capacity(100);
        assert_eq!(
            read_growing(&mut &source[..], &mut out, 70_000).unwrap(),
            70_000
        );
        assert_eq!((out.len(), out.capacity()), (70_000, 70_000));
        assert_eq!(out, source);
        // A reader that ends early leaves what it gave.
        let mut out = Vec::new();
        assert_eq!(read_growing(&mut &source[..10], &mut out, 50).unwrap(), 10);
        assert_eq!(out, &source[..10]);
        assert!(out.capacity() <= 50);
    }

    /// The bucket counts agree with std's tables: a table of `buckets` reports the
    /// capacity `hash_capacity_of(buckets)`.
    fn buckets_match<T: Eq + std::hash::Hash>() {
        let size = size_of::<T>();
        for capacity in (0..200).chain([1000, 1792, 1793, 100_000]) {
            let table: HashSet<T> = HashSet::with_capacity(capacity);
            let buckets = hash_buckets(capacity, size);
            assert_eq!(
                hash_capacity_of(buckets),
                table.capacity(),
                "{} for {capacity}",
                std::any::type_name::<T>()
            );
        }
    }

    #[test]
    fn hash_tables_have_the_buckets_std_gives_them() {
        buckets_match::<()>();
        buckets_match::<u8>();
        buckets_match::<u16>();
        buckets_match::<[u8; 3]>();
        buckets_match::<u32>();
        buckets_match::<(u64, u32)>();
        buckets_match::<String>();
        let map: HashMap<String, Vec<u32>> = HashMap::with_capacity(1_000_000);
        assert_eq!(map.capacity(), hash_capacity_of(1 << 21));
        assert_eq!(hash_buckets(1_000_000, 48), 1 << 21);
    }

    #[test]
    fn hash_tables_count_their_control_bytes() {
        // 4 buckets of 16 bytes, then 4 + 16 control bytes.
        assert_eq!(hash_table::<(u64, u32)>(3), 84);
        assert_eq!(hash_table::<(u64, u32)>(4), 152);
        // Tiny elements get 16 buckets at least: 16 padded to 16, then 32.
        assert_eq!(hash_table::<u8>(1), 48);
        assert_eq!(hash_table::<()>(1), 32);
        assert_eq!(hash_table::<u64>(0), 0);
        assert_eq!(hash_table::<u64>(usize::MAX), usize::MAX);
        // The largest table within a number of bytes.
        for bytes in [0, 83, 84, 151, 152, 10_000, 1 << 20] {
            let capacity = hash_capacity_within::<(u64, u32)>(bytes);
            assert!(hash_table::<(u64, u32)>(capacity) <= bytes);
            let bigger = hash_buckets(capacity, 16).max(2) * 2;
            assert!(hash_table_of(bigger, 16, 8) > bytes, "{bytes}");
        }
        assert_eq!(hash_capacity_within::<(u64, u32)>(84), 3);
        assert_eq!(hash_capacity_within::<u8>(47), 0);
        assert_eq!(hash_capacity_within::<u8>(48), 14);
    }

    #[test]
    fn btree_nodes_are_sized_like_std_nodes() {
        // Measured with a counting allocator (see the memory-bound tests): a leaf of
        // u32 keys and values takes 104 bytes, of u8 keys alone 24, of String keys and
        // Vec values 544; an internal node 96 more.
        assert_eq!(btree::<u32, u32>(1), 104);
        assert_eq!(btree::<u32, u32>(11), 104);
        assert_eq!(btree::<u8, ()>(5), 24);
        assert_eq!(btree::<String, Vec<u32>>(1), 544);
        // Twelve entries: a root and two leaves.
        assert_eq!(btree::<u32, u32>(12), 2 * 104 + 200);
        assert_eq!(btree::<u32, u32>(0), 0);
        assert_eq!(btree::<u64, u64>(usize::MAX), usize::MAX);
    }

    #[test]
    fn shared_values_count_their_reference_counts() {
        assert_eq!(boxed::<u8>(), 16);
        assert_eq!(boxed::<()>(), 0);
        assert_eq!(boxed::<[u64; 4]>(), 32);
        assert_eq!(counted::<u8>(), 24);
        assert_eq!(counted::<()>(), 16);
        assert_eq!(counted::<u128>(), 32);
        assert_eq!(counted_slice::<u8>(0), 16);
        assert_eq!(counted_slice::<u8>(9), 32);
        assert_eq!(counted_slice::<u32>(3), 32);
        assert_eq!(counted_slice::<u64>(usize::MAX), usize::MAX);
        assert_eq!(list_node::<u8>(), 24);
        assert_eq!(list_node::<()>(), 16);
    }
}
