//! The allocation floor of a load: record the heap calls that loading and dropping a value
//! makes, then make the same calls again, in the same order and with the same sizes, with
//! nothing around them but writing each new block's bytes.
//!
//! Any decoder that produces the same owned value must make these calls (or ones like
//! them) and write these bytes, so the replay's time is what is left when decoding costs
//! nothing: the "allocate every `String` and `Vec` and copy the bytes" floor of the
//! performance targets, measured on the load's own heap traffic instead of estimated by a
//! `clone()` (which clones element by element and so is not a bound).
//!
//! A program that uses it installs [`Recorder`] as its global allocator: it passes every call
//! on to [`System`] and, while [`Trace::record`] runs on the same thread, logs the call.
//! Otherwise it costs one thread-local read per call.
//!
//! ```
//! use savefile_test::alloc_trace::{Recorder, Trace};
//!
//! #[global_allocator]
//! static ALLOCATOR: Recorder = Recorder;
//!
//! let mut trace = Trace::record(|| {
//!     let words: Vec<String> = vec!["dirt".into(), "stone".into()];
//!     drop(words);
//! });
//! assert_eq!(trace.allocations(), 3);
//! trace.replay(b"source bytes");
//! ```

#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// A global allocator that is [`System`], logging calls made inside [`Trace::record`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Recorder;

/// One logged heap call, by address.
#[derive(Debug, Clone, Copy)]
enum Call {
    Alloc {
        layout: Layout,
        zeroed: bool,
        at: usize,
    },
    Realloc {
        from: usize,
        layout: Layout,
        size: usize,
        at: usize,
    },
    Dealloc {
        at: usize,
    },
}

thread_local! {
    /// Whether this thread's calls are being logged.
    static RECORDING: Cell<bool> = const { Cell::new(false) };
    /// The calls logged so far, in a vector reserved before recording starts.
    static LOG: RefCell<Vec<Call>> = const { RefCell::new(Vec::new()) };
    /// Set when a call did not fit in the reserved log.
    static OVERFLOWED: Cell<bool> = const { Cell::new(false) };
}

/// Whether this thread's calls are being logged: the one test every heap call pays.
#[inline(always)]
fn recording() -> bool {
    RECORDING.try_with(Cell::get).unwrap_or(false)
}

/// Logs a new block, if this thread is recording, and returns it.
#[inline(always)]
fn noted(layout: Layout, zeroed: bool, at: *mut u8) -> *mut u8 {
    if recording() {
        log(Call::Alloc {
            layout,
            zeroed,
            at: at as usize,
        });
    }
    at
}

/// Logs `call`. Never allocates: a call that does not fit in the log's reserved room marks
/// the log overflowed instead.
#[cold]
#[inline(never)]
fn log(call: Call) {
    let _ = LOG.try_with(|log| match log.try_borrow_mut() {
        Ok(mut log) if log.len() < log.capacity() => log.push(call),
        _ => {
            let _ = OVERFLOWED.try_with(|overflowed| overflowed.set(true));
        }
    });
}

// SAFETY: every method passes its arguments unchanged to `System`, which upholds the
// `GlobalAlloc` contract, and returns its result unchanged; `log` neither allocates (it
// pushes only into room reserved beforehand) nor unwinds (`try_with` and `try_borrow_mut`
// report failure instead of panicking, and a full log only sets a flag).
unsafe impl GlobalAlloc for Recorder {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees for `layout` are `System::alloc`'s.
        noted(layout, false, unsafe { System.alloc(layout) })
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        noted(layout, true, unsafe { System.alloc_zeroed(layout) })
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if recording() {
            log(Call::Dealloc { at: ptr as usize });
        }
        // SAFETY: `ptr` was allocated by this allocator, i.e. by `System`, with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by this allocator, i.e. by `System`, with `layout`;
        // the caller's guarantees for `new_size` are `System::realloc`'s.
        let at = unsafe { System.realloc(ptr, layout, new_size) };
        if recording() {
            log(Call::Realloc {
                from: ptr as usize,
                layout,
                size: new_size,
                at: at as usize,
            });
        }
        at
    }
}

/// One heap call of a trace, with blocks named by their index in the replay's table.
#[derive(Debug, Clone, Copy)]
enum Step {
    Alloc {
        layout: Layout,
        zeroed: bool,
        block: usize,
    },
    Realloc {
        block: usize,
        layout: Layout,
        size: usize,
    },
    Dealloc {
        block: usize,
        layout: Layout,
    },
}

/// The heap calls of one recorded run, ready to be made again by [`Trace::replay`].
#[derive(Debug)]
pub struct Trace {
    steps: Vec<Step>,
    /// Each block's address in the current replay.
    blocks: Vec<*mut u8>,
    /// The blocks the recorded run left allocated, with their layouts then.
    left: Vec<(usize, Layout)>,
}

impl Trace {
    /// Runs `run` on this thread and records the heap calls it makes, on this thread only.
    ///
    /// `run` may be called more than once: if its calls do not fit in the room reserved for
    /// the log, the log is reserved anew, twice as large, and `run` is called again.
    ///
    /// # Panics
    ///
    /// If `run` makes more than 2^26 heap calls, or panics.
    pub fn record(run: impl FnMut()) -> Trace {
        Trace::record_with_room(1 << 12, run)
    }

    /// [`Trace::record`], with room for `room` calls reserved for the first try: for a run
    /// known to make many calls, which would otherwise be run again and again until the log
    /// is large enough.
    ///
    /// # Panics
    ///
    /// If `run` makes more than `max(room, 2^26)` heap calls, or panics.
    pub fn record_with_room(mut room: usize, mut run: impl FnMut()) -> Trace {
        let calls = loop {
            LOG.with(|log| *log.borrow_mut() = Vec::with_capacity(room));
            OVERFLOWED.with(|overflowed| overflowed.set(false));
            RECORDING.with(|recording| recording.set(true));
            run();
            RECORDING.with(|recording| recording.set(false));
            if !OVERFLOWED.with(Cell::get) {
                break LOG.with(|log| std::mem::take(&mut *log.borrow_mut()));
            }
            assert!(room < 1 << 26, "too many heap calls to record");
            room *= 2;
        };
        Trace::from_calls(&calls)
    }

    /// Names the blocks of `calls` by index: the replay allocates at other addresses. A
    /// call that failed (a null result) is left out: it made no block and changed none.
    fn from_calls(calls: &[Call]) -> Trace {
        // Each live block's address, with its index and current layout.
        let mut live: HashMap<usize, (usize, Layout)> = HashMap::new();
        let mut steps = Vec::with_capacity(calls.len());
        let mut blocks = Vec::new();
        for &call in calls {
            match call {
                Call::Alloc { at: 0, .. } => {}
                Call::Alloc { layout, zeroed, at } => {
                    live.insert(at, (blocks.len(), layout));
                    steps.push(Step::Alloc {
                        layout,
                        zeroed,
                        block: blocks.len(),
                    });
                    blocks.push(std::ptr::null_mut());
                }
                Call::Realloc { at: 0, .. } => {}
                Call::Realloc {
                    from,
                    layout,
                    size,
                    at,
                } => {
                    // A block allocated before recording began is left out, with its calls.
                    if let Some((block, _)) = live.remove(&from) {
                        let resized = Layout::from_size_align(size, layout.align())
                            .expect("a layout the allocator accepted");
                        live.insert(at, (block, resized));
                        steps.push(Step::Realloc {
                            block,
                            layout,
                            size,
                        });
                    }
                }
                Call::Dealloc { at } => {
                    if let Some((block, layout)) = live.remove(&at) {
                        steps.push(Step::Dealloc { block, layout });
                    }
                }
            }
        }
        Trace {
            steps,
            blocks,
            left: live.into_values().collect(),
        }
    }

    /// How many blocks the recorded run allocated.
    pub fn allocations(&self) -> usize {
        self.blocks.len()
    }

    /// How many bytes the recorded run's allocations asked for, in all (a reallocation
    /// counts its growth).
    pub fn bytes(&self) -> usize {
        self.steps
            .iter()
            .map(|step| match *step {
                Step::Alloc { layout, .. } => layout.size(),
                Step::Realloc { layout, size, .. } => size.saturating_sub(layout.size()),
                Step::Dealloc { .. } => 0,
            })
            .sum()
    }

    /// How many times the recorded run resized a block (`realloc`).
    pub fn reallocations(&self) -> usize {
        self.steps
            .iter()
            .filter(|step| matches!(step, Step::Realloc { .. }))
            .count()
    }

    /// The most bytes the recorded run's blocks held at one time, counting every block as
    /// at least `min_block` bytes (the smallest block an allocator hands out; 1 counts
    /// the bytes asked for).
    ///
    /// A reallocation counts as its new block arriving before the old one leaves, the
    /// worst case of a move. Blocks allocated before recording began are not counted,
    /// nor is their freeing, so this is the peak above what was live when the run
    /// started.
    pub fn peak_live_bytes(&self, min_block: usize) -> usize {
        let counted = |size: usize| size.max(min_block);
        let (mut live, mut peak) = (0usize, 0usize);
        for step in &self.steps {
            match *step {
                Step::Alloc { layout, .. } => {
                    live += counted(layout.size());
                    peak = peak.max(live);
                }
                Step::Realloc { layout, size, .. } => {
                    peak = peak.max(live + counted(size));
                    live = live - counted(layout.size()) + counted(size);
                }
                Step::Dealloc { layout, .. } => live -= counted(layout.size()),
            }
        }
        peak
    }

    /// Bytes the recorded run allocated and had not freed when it returned.
    pub fn leaked(&self) -> usize {
        self.left.iter().map(|(_, layout)| layout.size()).sum()
    }

    /// Makes the recorded calls again, in order, through the global allocator (a zeroed
    /// allocation as a zeroed one), and fills every new block (and every grown part of a
    /// reallocated one) with bytes copied from `source`, taken in order and starting over
    /// at its end. Blocks the recorded run did not free are freed at the end.
    ///
    /// # Panics
    ///
    /// If `source` is empty. An allocation failure aborts, as it does in a collection.
    pub fn replay(&mut self, source: &[u8]) {
        assert!(!source.is_empty(), "replay needs bytes to copy");
        let mut taken = 0;
        // SAFETY: `run` passes a new block's writable bytes, which a borrowed slice does
        // not overlap.
        self.run(|at, len| unsafe { fill(at, len, source, &mut taken) });
    }

    /// Makes the recorded calls again, like [`Trace::replay`], without writing to the
    /// blocks: the heap calls alone.
    pub fn replay_calls_only(&mut self) {
        self.run(|_, _| {});
    }

    /// Makes the recorded calls, passing each new block's (or grown part's) address and
    /// length to `new_bytes`, then frees what the recorded run left allocated. Allocates
    /// nothing else.
    fn run(&mut self, mut new_bytes: impl FnMut(*mut u8, usize)) {
        for step in &self.steps {
            match *step {
                Step::Alloc {
                    layout,
                    zeroed,
                    block,
                } => {
                    // SAFETY: `layout` was accepted by the allocator when recorded, so its
                    // size is not zero (`GlobalAlloc` callers must not ask for zero).
                    let at = unsafe {
                        match zeroed {
                            true => std::alloc::alloc_zeroed(layout),
                            false => std::alloc::alloc(layout),
                        }
                    };
                    if at.is_null() {
                        std::alloc::handle_alloc_error(layout);
                    }
                    new_bytes(at, layout.size());
                    self.blocks[block] = at;
                }
                Step::Realloc {
                    block,
                    layout,
                    size,
                } => {
                    // SAFETY: the block is live: allocated (or last resized) in this run
                    // with `layout`, as when recorded; `size` was accepted for it then.
                    let at = unsafe { std::alloc::realloc(self.blocks[block], layout, size) };
                    if at.is_null() {
                        std::alloc::handle_alloc_error(layout);
                    }
                    if size > layout.size() {
                        // SAFETY: `at` holds `size` bytes, so `layout.size()` is in bounds.
                        new_bytes(unsafe { at.add(layout.size()) }, size - layout.size());
                    }
                    self.blocks[block] = at;
                }
                Step::Dealloc { block, layout } => {
                    // SAFETY: the block was allocated in this run with `layout` (or resized
                    // to it) and not freed since: each block is freed once, as when recorded.
                    unsafe { std::alloc::dealloc(self.blocks[block], layout) };
                }
            }
        }
        for &(block, layout) in &self.left {
            // SAFETY: the block's steps left it allocated in this run, with `layout`.
            unsafe { std::alloc::dealloc(self.blocks[block], layout) };
        }
    }
}

/// Copies `len` bytes to `to` from `source`, starting at `*taken` and starting over at
/// the beginning of `source` whenever its end is reached.
///
/// # Safety
///
/// `to` must be valid for writes of `len` bytes and not overlap `source`, which must not
/// be empty.
unsafe fn fill(mut to: *mut u8, mut len: usize, source: &[u8], taken: &mut usize) {
    while len > 0 {
        if *taken == source.len() {
            *taken = 0;
        }
        let count = len.min(source.len() - *taken);
        // SAFETY: `source[*taken..][..count]` is in bounds; `to` has room for `len >=
        // count` more bytes (the caller's promise, advanced by what was written), and a
        // new heap block does not overlap a borrowed slice.
        unsafe {
            std::ptr::copy_nonoverlapping(source.as_ptr().add(*taken), to, count);
            to = to.add(count);
        }
        *taken += count;
        len -= count;
    }
}
