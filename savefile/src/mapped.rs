//! Mapped arrays: a packed vector inside an ordinary savefile, laid out so that it can
//! be used where it lies, in a memory-mapped file or in an image in memory.
//!
//! A mapped file is a plain savefile (header, schema, data) whose value is a
//! [`MappedData`]: metadata of the user's type, a shape, zero padding and the
//! elements. The padding puts the first element at an offset that is a multiple of
//! 64 bytes (and of the element type's alignment), so that a mapping, which starts
//! on a page, or an [`AlignedBytes`] buffer, which starts on 64 bytes, holds it at an
//! address aligned for the element type. The layout is described in docs/format.md
//! ("Mapped arrays"), the safety argument in docs/security.md.
//!
//! Every view is made by [`parse`], a pure function of the bytes that checks them
//! all before anything is handed out; the `unsafe` blocks below only turn what it
//! checked into slices.

// The element views turn checked bytes into typed slices, and a file mapping is
// `unsafe` to create (see docs/security.md); every block says why it is sound.
#![allow(unsafe_code)]

use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::marker::PhantomData;
use std::mem::{align_of, size_of};
#[cfg(feature = "mmap")]
use std::ops::Range;
use std::ops::{Deref, DerefMut};
use std::path::Path;

use crate::api::{check_schema, get_schema, read_header};
use crate::error::FileOperation;
use crate::format::Header;
use crate::introspect::introspect_item;
use crate::packed::{bulk_copy, check_elements, try_write_packed, BulkCopy};
use crate::safe_file::replace_file;
use crate::schema::write_schema;
use crate::{
    Deserialize, Deserializer, Field, Introspect, IntrospectItem, MappedProblem, Packed,
    SavefileError, Schema, SchemaStruct, Serialize, Serializer, WithSchema, WithSchemaContext,
};

/// The alignment of the first element of a mapped array, at the least.
pub(crate) const MIN_DATA_ALIGNMENT: usize = 64;

/// The most alignment an element type may need: a memory page, where mappings start.
pub(crate) const MAX_DATA_ALIGNMENT: usize = 4096;

/// The saved value of a mapped file: what [`save_mapped`] writes, and what
/// [`crate::load_file`] (or savefile 0.20) reads such a file as.
///
/// Its schema is that of the same struct with `#[derive(Savefile)]`, so a program
/// that has no use for mapping can load the file as a plain value. `padding` holds
/// zeros that put the first element of `data` at an aligned offset; a value saved
/// with [`crate::save_file`] instead has whatever padding it is given (usually none)
/// and can be mapped only if that happens to align the data.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MappedData<M, T> {
    /// The user's metadata.
    pub metadata: M,
    /// The dimensions, row-major (the last one varies fastest); their product is
    /// `data.len()`. Empty for a flat array.
    pub shape: Vec<u64>,
    /// Zeros, as many as align `data`'s first element in the file.
    pub padding: Vec<u8>,
    /// The elements.
    pub data: Vec<T>,
}

impl<M: WithSchema, T: WithSchema> WithSchema for MappedData<M, T> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        // As `#[derive(Savefile)]` describes a struct: name, fields with their
        // offsets, size and alignment (the layout is recorded, never compared).
        let fields = vec![
            Field::new_with_offset(
                String::from("metadata"),
                Box::new(M::schema(version, context)),
                Some(std::mem::offset_of!(Self, metadata)),
            ),
            Field::new_with_offset(
                String::from("shape"),
                Box::new(<Vec<u64>>::schema(version, context)),
                Some(std::mem::offset_of!(Self, shape)),
            ),
            Field::new_with_offset(
                String::from("padding"),
                Box::new(<Vec<u8>>::schema(version, context)),
                Some(std::mem::offset_of!(Self, padding)),
            ),
            Field::new_with_offset(
                String::from("data"),
                Box::new(<Vec<T>>::schema(version, context)),
                Some(std::mem::offset_of!(Self, data)),
            ),
        ];
        Schema::Struct(SchemaStruct::new_with_layout(
            String::from("MappedData"),
            fields,
            Some(size_of::<Self>()),
            Some(align_of::<Self>()),
        ))
    }
}

impl<M, T> Packed for MappedData<M, T> {}

impl<M: Serialize, T: Serialize + Packed> Serialize for MappedData<M, T> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        self.metadata.serialize(serializer)?;
        self.shape.serialize(serializer)?;
        self.padding.serialize(serializer)?;
        self.data.serialize(serializer)
    }
}

impl<M: Deserialize, T: Deserialize + Packed> Deserialize for MappedData<M, T> {
    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        // One level of nesting, as a derived struct is: the metadata may be anything.
        deserializer.enter_nested()?;
        let value = (|| {
            Ok(MappedData {
                metadata: M::deserialize(deserializer)?,
                shape: Deserialize::deserialize(deserializer)?,
                padding: Deserialize::deserialize(deserializer)?,
                data: Deserialize::deserialize(deserializer)?,
            })
        })();
        deserializer.leave_nested();
        value
    }
}

impl<M: Introspect, T: Introspect> Introspect for MappedData<M, T> {
    fn introspect_value(&self) -> String {
        String::from("MappedData")
    }

    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        let (key, value): (&str, &dyn Introspect) = match index {
            0 => ("metadata", &self.metadata),
            1 => ("shape", &self.shape),
            2 => ("padding", &self.padding),
            3 => ("data", &self.data),
            _ => return None,
        };
        Some(introspect_item(String::from(key), value))
    }

    fn introspect_len(&self) -> usize {
        4
    }
}

/// One block of an [`AlignedBytes`] buffer: what gives it its alignment.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Block([u8; MIN_DATA_ALIGNMENT]);

/// A byte buffer that starts at an address aligned to 64 bytes: where an in-memory
/// image of a mapped file is kept, so that [`MappedVec::from_image`] can view its
/// elements in place.
///
/// To receive an image (from a socket, say) without a copy, make the buffer at the
/// image's size with [`AlignedBytes::zeroed`] and read into it (it derefs to `[u8]`).
#[derive(Clone)]
pub struct AlignedBytes {
    blocks: Vec<Block>,
    len: usize,
}

impl AlignedBytes {
    /// The alignment of the first byte.
    pub const ALIGNMENT: usize = MIN_DATA_ALIGNMENT;

    /// `len` zero bytes.
    pub fn zeroed(len: usize) -> AlignedBytes {
        AlignedBytes {
            blocks: vec![Block([0; MIN_DATA_ALIGNMENT]); len.div_ceil(MIN_DATA_ALIGNMENT)],
            len,
        }
    }

    /// A copy of `bytes`.
    pub fn copy_from(bytes: &[u8]) -> AlignedBytes {
        let mut buffer = AlignedBytes::zeroed(bytes.len());
        buffer.as_mut_slice().copy_from_slice(bytes);
        buffer
    }

    /// The bytes.
    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: the blocks are `len.div_ceil(64)` initialised arrays of 64 bytes with
        // no padding between them (`Block` is 64 bytes, aligned to 64), so the first
        // `len` bytes from the vector's start are initialised and inside its allocation
        // (for `len == 0` the pointer is the vector's dangling, aligned one, which an
        // empty slice may have). The slice borrows `self`, so the vector outlives it.
        unsafe { std::slice::from_raw_parts(self.blocks.as_ptr().cast::<u8>(), self.len) }
    }

    /// The bytes, writable.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: as in `as_slice`; the slice borrows `self` mutably, so it is the only
        // access to the blocks while it lives, and any byte is a valid `u8`.
        unsafe { std::slice::from_raw_parts_mut(self.blocks.as_mut_ptr().cast::<u8>(), self.len) }
    }
}

impl Deref for AlignedBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl DerefMut for AlignedBytes {
    fn deref_mut(&mut self) -> &mut [u8] {
        self.as_mut_slice()
    }
}

impl AsRef<[u8]> for AlignedBytes {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl PartialEq for AlignedBytes {
    fn eq(&self, other: &AlignedBytes) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for AlignedBytes {}

impl fmt::Debug for AlignedBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlignedBytes")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

mod sealed {
    /// Only this crate's access modes exist: the views rely on what they promise.
    // Public so that it can bound the public `Access`; it is not nameable outside.
    #[allow(unreachable_pub)]
    pub trait Sealed {}
}

/// How a [`MappedVec`] holds its bytes: [`ReadOnly`], [`ReadWrite`] or
/// [`CopyOnWrite`] for a mapped file, [`InMemory`] for an owned image, [`Borrowed`]
/// for a borrowed one. Implemented by these types only.
pub trait Access: sealed::Sealed {
    /// What holds the bytes.
    #[doc(hidden)]
    type Region;

    /// The bytes. They must be the same bytes at the same address for as long as the
    /// region lives, wherever the region value itself is moved.
    #[doc(hidden)]
    fn bytes(region: &Self::Region) -> &[u8];
}

/// The access modes whose elements may be written: [`ReadWrite`], [`CopyOnWrite`]
/// and [`InMemory`]. Only these give a [`MappedVec`] `DerefMut`.
pub trait Writable: Access {
    /// The bytes of [`Access::bytes`], writable.
    #[doc(hidden)]
    fn bytes_mut(region: &mut Self::Region) -> &mut [u8];
}

/// The access modes that map a file ([`MappedVec::open`]).
#[cfg(feature = "mmap")]
pub trait FileAccess: Access {
    /// Maps the file at `path`.
    ///
    /// # Safety
    ///
    /// That of [`MappedVec::open`].
    #[doc(hidden)]
    unsafe fn map(path: &Path) -> std::io::Result<Self::Region>;
}

/// A read-only mapping of a file (scirs2's `AccessMode::ReadOnly`): the elements
/// can be read, never written. The default access of [`MappedVec`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadOnly;

/// A shared, writable mapping of a file (scirs2's `AccessMode::ReadWrite`): writes
/// to the elements reach the file ([`MappedVec::flush`] waits until they are on disk).
#[cfg(feature = "mmap")]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadWrite;

/// A private mapping of a file (scirs2's `AccessMode::CopyOnWrite`): the elements
/// can be written, in memory only; the file is left as it was.
#[cfg(feature = "mmap")]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CopyOnWrite;

/// An image in an owned [`AlignedBytes`] buffer ([`MappedVec::from_image`]):
/// writable, and given back by [`MappedVec::into_image`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InMemory;

/// An image in borrowed bytes ([`MappedVec::view`]): read-only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Borrowed<'a>(PhantomData<&'a [u8]>);

impl sealed::Sealed for ReadOnly {}
impl sealed::Sealed for InMemory {}
impl sealed::Sealed for Borrowed<'_> {}
#[cfg(feature = "mmap")]
impl sealed::Sealed for ReadWrite {}
#[cfg(feature = "mmap")]
impl sealed::Sealed for CopyOnWrite {}

#[cfg(feature = "mmap")]
impl Access for ReadOnly {
    type Region = memmap2::Mmap;

    fn bytes(region: &memmap2::Mmap) -> &[u8] {
        region
    }
}

/// Without the `mmap` feature nothing can be mapped: no read-only region can exist.
#[cfg(not(feature = "mmap"))]
impl Access for ReadOnly {
    type Region = std::convert::Infallible;

    fn bytes(region: &std::convert::Infallible) -> &[u8] {
        match *region {}
    }
}

#[cfg(feature = "mmap")]
impl FileAccess for ReadOnly {
    unsafe fn map(path: &Path) -> std::io::Result<memmap2::Mmap> {
        let file = File::open(path)?;
        // SAFETY: passed on to the caller (`MappedVec::open`'s contract: nobody changes
        // or truncates the file while it is mapped). The mapping outlives the `File`
        // handle, which is closed on return; the mapping keeps the file's pages.
        unsafe { memmap2::Mmap::map(&file) }
    }
}

#[cfg(feature = "mmap")]
impl Access for ReadWrite {
    type Region = memmap2::MmapMut;

    fn bytes(region: &memmap2::MmapMut) -> &[u8] {
        region
    }
}

#[cfg(feature = "mmap")]
impl Writable for ReadWrite {
    fn bytes_mut(region: &mut memmap2::MmapMut) -> &mut [u8] {
        region
    }
}

#[cfg(feature = "mmap")]
impl FileAccess for ReadWrite {
    unsafe fn map(path: &Path) -> std::io::Result<memmap2::MmapMut> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)?;
        // SAFETY: passed on to the caller, as for `ReadOnly`; a shared writable mapping
        // additionally promises that nobody else writes the file while it is mapped.
        unsafe { memmap2::MmapMut::map_mut(&file) }
    }
}

#[cfg(feature = "mmap")]
impl Access for CopyOnWrite {
    type Region = memmap2::MmapMut;

    fn bytes(region: &memmap2::MmapMut) -> &[u8] {
        region
    }
}

#[cfg(feature = "mmap")]
impl Writable for CopyOnWrite {
    fn bytes_mut(region: &mut memmap2::MmapMut) -> &mut [u8] {
        region
    }
}

#[cfg(feature = "mmap")]
impl FileAccess for CopyOnWrite {
    unsafe fn map(path: &Path) -> std::io::Result<memmap2::MmapMut> {
        let file = File::open(path)?;
        // SAFETY: passed on to the caller, as for `ReadOnly` (pages not yet written
        // through the private mapping still show the file's current contents).
        unsafe { memmap2::MmapOptions::new().map_copy(&file) }
    }
}

impl Access for InMemory {
    type Region = AlignedBytes;

    fn bytes(region: &AlignedBytes) -> &[u8] {
        region
    }
}

impl Writable for InMemory {
    fn bytes_mut(region: &mut AlignedBytes) -> &mut [u8] {
        region
    }
}

impl<'a> Access for Borrowed<'a> {
    type Region = &'a [u8];

    fn bytes<'r>(region: &'r &'a [u8]) -> &'r [u8] {
        region
    }
}

/// A packed vector viewed where it lies: in a mapped file, or in an image in memory,
/// with the metadata and the shape it was saved with.
///
/// `T` is the element type, `M` the metadata's type and `A` the [`Access`] mode,
/// which decides what can be done: every mode derefs to `[T]`; the [`Writable`] ones
/// ([`ReadWrite`], [`CopyOnWrite`], [`InMemory`]) deref mutably too; only
/// [`ReadWrite`] can [`flush`](MappedVec::flush). Writing through a read-only view
/// does not compile.
///
/// Every way to make one checks the whole layout first (see docs/security.md): a
/// file or image that lies about its length, alignment, schema or element values is
/// an error, never undefined behaviour. For element types with invalid bit patterns
/// (`bool`, `char`, enums, `NonZero*`, structs of them) every element is checked
/// once, when the view is made; for the others the view costs nothing per element.
pub struct MappedVec<T, M = (), A: Access = ReadOnly> {
    region: A::Region,
    metadata: M,
    shape: Vec<u64>,
    /// Where the first element starts in the region's bytes.
    offset: usize,
    /// How many elements there are.
    len: usize,
    /// Whether every bit pattern is a valid `T`, so that the bytes may be written.
    plain: bool,
    elements: PhantomData<T>,
}

/// What [`parse`] found: everything a view needs, all of it checked.
#[derive(Debug)]
pub(crate) struct Layout<M> {
    pub(crate) metadata: M,
    pub(crate) shape: Vec<u64>,
    /// The first element's offset in the bytes.
    pub(crate) offset: usize,
    /// The number of elements.
    pub(crate) len: usize,
    /// Whether every bit pattern is a valid element.
    pub(crate) plain: bool,
}

/// What precedes the elements, as [`read_prefix`] reads it.
struct Prefix<M> {
    metadata: M,
    shape: Vec<u64>,
    count: u64,
    how: BulkCopy,
    file_version: u32,
}

/// Whether `T` can be a mapped array's element in data version `version`.
fn check_element_type<T: Packed>(version: u32) -> Result<BulkCopy, SavefileError> {
    let type_name = std::any::type_name::<T>();
    let refuse = |problem| Err(SavefileError::Mapped { problem });
    if size_of::<T>() == 0 {
        return refuse(MappedProblem::ZeroSized { type_name });
    }
    if align_of::<T>() > MAX_DATA_ALIGNMENT {
        return refuse(MappedProblem::AlignmentTooLarge {
            type_name,
            alignment: align_of::<T>(),
        });
    }
    match bulk_copy::<T>(version) {
        BulkCopy::No => refuse(MappedProblem::NotBulkCopyable { type_name, version }),
        how => Ok(how),
    }
}

/// Checks that `shape`'s product is `len` (an empty shape: any `len`).
fn check_shape(shape: &[u64], len: u64) -> Result<(), SavefileError> {
    if shape.is_empty() {
        return Ok(());
    }
    let product = shape
        .iter()
        .try_fold(1u64, |product, &d| product.checked_mul(d));
    match product {
        Some(product) if product == len => Ok(()),
        _ => Err(SavefileError::Mapped {
            problem: MappedProblem::ShapeMismatch {
                shape: shape.to_vec(),
                len,
            },
        }),
    }
}

/// The alignment of the first element in a mapped file of `T`s.
fn data_alignment<T>() -> usize {
    align_of::<T>().max(MIN_DATA_ALIGNMENT)
}

/// Reads a mapped file up to its elements: header, schema, metadata, shape, padding and
/// the element count, which must fill the rest of the input exactly (its length must
/// be known).
fn read_prefix<T: WithSchema + Packed, M: WithSchema + Deserialize>(
    deserializer: &mut Deserializer<impl Read>,
    version: u32,
) -> Result<Prefix<M>, SavefileError> {
    let header = read_header(deserializer, version)?;
    if header.compressed {
        return Err(SavefileError::Mapped {
            problem: MappedProblem::Compressed,
        });
    }
    let file_version = header.data_version;
    let how = check_element_type::<T>(file_version)?;
    check_schema::<MappedData<M, T>>(deserializer)?;
    let metadata = M::deserialize(deserializer)?;
    let shape = Vec::<u64>::deserialize(deserializer)?;
    // The padding's bytes are skipped: nothing is allocated for them.
    let mut padding = deserializer.read_count(1)?;
    let mut scratch = [0u8; 512];
    while padding > 0 {
        let piece = padding.min(scratch.len());
        deserializer.read_bytes_to_buf(&mut scratch[..piece])?;
        padding -= piece;
    }
    let count = deserializer.read_u64()?;
    let remaining = deserializer.remaining_hint().unwrap_or(0);
    match count.checked_mul(size_of::<T>() as u64) {
        Some(bytes) if bytes == remaining => {}
        Some(bytes) if bytes < remaining => {
            return Err(SavefileError::TrailingBytes {
                count: remaining - bytes,
            })
        }
        _ => {
            return Err(SavefileError::LengthTooLarge {
                length: count,
                remaining,
            })
        }
    }
    check_shape(&shape, count)?;
    Ok(Prefix {
        metadata,
        shape,
        count,
        how,
        file_version,
    })
}

/// Checks that `bytes` are a whole mapped file of `T`s with metadata `M` that a
/// program at data version `version` reads, and that its elements, where they are,
/// can be viewed as a `[T]`: aligned for `T`, and each a valid `T`. A pure function
/// of the bytes (and of where they are), for every view and for fuzzing.
pub(crate) fn parse<T: WithSchema + Packed, M: WithSchema + Deserialize>(
    bytes: &[u8],
    version: u32,
) -> Result<Layout<M>, SavefileError> {
    let mut deserializer = Deserializer::from_slice(bytes, 0);
    let prefix = read_prefix::<T, M>(&mut deserializer, version)?;
    // Everything read came from `bytes`: the position is an offset into it, and the
    // rest of `bytes` is exactly `count` elements (checked by `read_prefix`).
    let offset = bytes.len() - deserializer.remaining_hint().unwrap_or(0) as usize;
    let data = &bytes[offset..];
    // Fits: `count * size_of::<T>()` is `data.len()`.
    let len = prefix.count as usize;
    if (data.as_ptr() as usize) % align_of::<T>() != 0 {
        return Err(SavefileError::Mapped {
            problem: MappedProblem::Misaligned {
                offset: offset as u64,
                alignment: align_of::<T>(),
            },
        });
    }
    check_elements::<T>(prefix.how, prefix.file_version, data, data)?;
    Ok(Layout {
        metadata: prefix.metadata,
        shape: prefix.shape,
        offset,
        len,
        plain: prefix.how == BulkCopy::Plain,
    })
}

impl<T: WithSchema + Packed, M: WithSchema + Deserialize, A: Access> MappedVec<T, M, A> {
    /// Checks `region`'s bytes with [`parse`] and views them.
    fn from_region(region: A::Region, version: u32) -> Result<Self, SavefileError> {
        let layout = parse::<T, M>(A::bytes(&region), version)?;
        Ok(MappedVec {
            region,
            metadata: layout.metadata,
            shape: layout.shape,
            offset: layout.offset,
            len: layout.len,
            plain: layout.plain,
            elements: PhantomData,
        })
    }
}

#[cfg(feature = "mmap")]
impl<T: WithSchema + Packed, M: WithSchema + Deserialize, A: FileAccess> MappedVec<T, M, A> {
    /// Maps the file at `path`, saved by [`save_mapped`], with access `access`, for a
    /// program at data version `version`.
    ///
    /// Checks the file as a load would (header, schema against `MappedData<M, T>` as
    /// of the file's version, metadata) and then that its elements fill the rest of
    /// the file exactly, agree with the shape, are aligned for `T`, and (for types
    /// with invalid bit patterns) are each valid. Reads only the pages of the
    /// metadata, unless elements have to be checked.
    ///
    /// # Safety
    ///
    /// The file must not be changed by anyone but this view, nor truncated, while it
    /// is mapped (for [`CopyOnWrite`] too: pages not yet written show the file). No
    /// check can guard against that: truncation makes reading the lost pages kill the
    /// process (SIGBUS), and a change in place changes the elements under `&[T]`,
    /// possibly to invalid values (docs/security.md). Opening one file with two
    /// [`ReadWrite`] views at once breaks this too.
    pub unsafe fn open<P: AsRef<Path>>(
        path: P,
        version: u32,
        access: A,
    ) -> Result<Self, SavefileError> {
        let _ = access;
        let path = path.as_ref();
        // SAFETY: the caller promises what mapping the file needs (see above).
        let region = unsafe { A::map(path) }
            .map_err(|e| SavefileError::from(e).in_file(FileOperation::OpenForLoading, path))?;
        Self::from_region(region, version).map_err(|e| e.in_file(FileOperation::Reading, path))
    }
}

impl<T: WithSchema + Packed, M: WithSchema + Deserialize> MappedVec<T, M, InMemory> {
    /// Views the elements of an image (the bytes of a mapped file, as
    /// [`save_mapped_image`] makes them) in place, with the checks of
    /// [`MappedVec::open`].
    pub fn from_image(image: AlignedBytes, version: u32) -> Result<Self, SavefileError> {
        Self::from_region(image, version)
    }
}

impl<T, M> MappedVec<T, M, InMemory> {
    /// The image, with whatever was written to the elements.
    pub fn into_image(self) -> AlignedBytes {
        self.region
    }
}

impl<'a, T: WithSchema + Packed, M: WithSchema + Deserialize> MappedVec<T, M, Borrowed<'a>> {
    /// Views the elements of an image in borrowed bytes, with the checks of
    /// [`MappedVec::open`]; they must start at an address aligned for `T` (else
    /// [`MappedProblem::Misaligned`]: copy the image into an [`AlignedBytes`]).
    pub fn view(bytes: &'a [u8], version: u32) -> Result<Self, SavefileError> {
        Self::from_region(bytes, version)
    }
}

impl<T, M, A: Access> MappedVec<T, M, A> {
    /// The elements' bytes.
    fn data_bytes(&self) -> &[u8] {
        // In bounds (checked by `parse`); the bounds check keeps the views below
        // inside the region whatever happens.
        &A::bytes(&self.region)[self.offset..self.offset + self.len * size_of::<T>()]
    }

    /// The elements.
    pub fn as_slice(&self) -> &[T] {
        let bytes = self.data_bytes();
        // SAFETY: `parse` checked these bytes when the view was made: they are
        // `len * size_of::<T>()` bytes (the bounds checked slice above), at an address
        // aligned for `T` (the region's bytes stay at the same address for as long as
        // it lives, `Access::bytes`), and hold `len` valid `T`s (`T` is copied in bulk,
        // so its memory bytes are its saved bytes, and each element passed `T`'s checks
        // when it has invalid bit patterns). Since then they have only been written
        // through `&mut [T]` (valid values) or, for types with every bit pattern valid,
        // as bytes; `open`'s caller promised that nobody else writes a mapped file.
        // The slice borrows `self`, so the region outlives it.
        unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<T>(), self.len) }
    }

    /// The elements' bytes, as saved (the memory bytes of `as_slice`).
    pub fn as_bytes(&self) -> &[u8] {
        self.data_bytes()
    }

    /// The whole file or image: header, schema, metadata, shape, padding, elements.
    pub fn image_bytes(&self) -> &[u8] {
        A::bytes(&self.region)
    }

    /// Where the first element starts in the file or image: a multiple of 64 in files
    /// that [`save_mapped`] wrote.
    pub fn data_offset(&self) -> usize {
        self.offset
    }

    /// The metadata saved with the elements.
    pub fn metadata(&self) -> &M {
        &self.metadata
    }

    /// The dimensions, row-major, as saved: their product is [`len`](slice::len).
    /// Empty for a flat array.
    pub fn shape(&self) -> &[u64] {
        &self.shape
    }

    /// The flat index of the element at `index` (one coordinate per dimension,
    /// row-major), or `None` if it is out of the shape's bounds. A flat array (empty
    /// shape) takes one coordinate.
    pub fn flat_index(&self, index: &[u64]) -> Option<usize> {
        let flat_len = [self.len as u64];
        let dims: &[u64] = match self.shape.is_empty() {
            true => &flat_len,
            false => &self.shape,
        };
        if index.len() != dims.len() {
            return None;
        }
        let mut flat = 0u64;
        for (&i, &d) in index.iter().zip(dims) {
            if i >= d {
                return None;
            }
            // At most the product of the dimensions minus one, which is `len - 1`.
            flat = flat * d + i;
        }
        Some(flat as usize)
    }

    /// The element at `index` in the shape (see [`flat_index`](Self::flat_index)).
    pub fn get_nd(&self, index: &[u64]) -> Option<&T> {
        self.flat_index(index).and_then(|i| self.as_slice().get(i))
    }
}

impl<T, M, A: Writable> MappedVec<T, M, A> {
    /// The elements' bytes, writable.
    fn data_bytes_mut(&mut self) -> &mut [u8] {
        let range = self.offset..self.offset + self.len * size_of::<T>();
        &mut A::bytes_mut(&mut self.region)[range]
    }

    /// The elements, writable.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        let len = self.len;
        let bytes = self.data_bytes_mut();
        // SAFETY: as in `as_slice` (these are the same checked bytes); the slice
        // borrows `self` mutably, so nothing else reaches them while it lives, and it
        // can only store valid `T`s in them.
        unsafe { std::slice::from_raw_parts_mut(bytes.as_mut_ptr().cast::<T>(), len) }
    }

    /// The elements' bytes, writable, if every bit pattern is a valid `T` (integers,
    /// floats and packed structs of them); `None` for types with invalid bit patterns,
    /// whose elements can only be written as values.
    pub fn as_bytes_mut(&mut self) -> Option<&mut [u8]> {
        match self.plain {
            true => Some(self.data_bytes_mut()),
            false => None,
        }
    }

    /// The element at `index` in the shape, writable (see
    /// [`flat_index`](Self::flat_index)).
    pub fn get_nd_mut(&mut self, index: &[u64]) -> Option<&mut T> {
        self.flat_index(index)
            .and_then(|i| self.as_mut_slice().get_mut(i))
    }
}

#[cfg(feature = "mmap")]
impl<T, M> MappedVec<T, M, ReadWrite> {
    /// Writes the changed elements to the file and waits until they are on disk.
    pub fn flush(&self) -> Result<(), SavefileError> {
        Ok(self.region.flush()?)
    }

    /// [`flush`](Self::flush) for the elements in `elements` only (whole pages around
    /// them are written). A range outside the elements is an error
    /// (`std::io::ErrorKind::InvalidInput`).
    pub fn flush_range(&self, elements: Range<usize>) -> Result<(), SavefileError> {
        if elements.start > elements.end || elements.end > self.len {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "elements {elements:?} are not within the {} elements",
                    self.len
                ),
            )
            .into());
        }
        let size = size_of::<T>();
        let start = self.offset + elements.start * size;
        Ok(self
            .region
            .flush_range(start, (elements.end - elements.start) * size)?)
    }
}

impl<T, M, A: Access> Deref for MappedVec<T, M, A> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T, M, A: Writable> DerefMut for MappedVec<T, M, A> {
    fn deref_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

impl<T, M: fmt::Debug, A: Access> fmt::Debug for MappedVec<T, M, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MappedVec")
            .field("metadata", &self.metadata)
            .field("shape", &self.shape)
            .field("len", &self.len)
            .field("data_offset", &self.offset)
            .finish_non_exhaustive()
    }
}

/// What comes before the padding's count: header, schema, metadata and shape; and the
/// padding's length, which puts the first element at a multiple of its alignment.
fn encode_prefix<T: WithSchema + Packed, M: WithSchema + Serialize>(
    version: u32,
    metadata: &M,
    shape: &[u64],
    len: usize,
) -> Result<(Vec<u8>, usize), SavefileError> {
    check_element_type::<T>(version)?;
    check_shape(shape, len as u64)?;
    let mut prefix = Vec::with_capacity(256);
    prefix.extend_from_slice(&Header::current(version, false).to_bytes());
    let mut serializer = Serializer::new(&mut prefix, version);
    write_schema(&mut serializer, &get_schema::<MappedData<M, T>>(version))?;
    metadata.serialize(&mut serializer)?;
    shape.serialize(&mut serializer)?;
    // The padding's count and the elements' count follow, 8 bytes each.
    let alignment = data_alignment::<T>();
    let before = prefix.len() + 16;
    Ok((prefix, (alignment - before % alignment) % alignment))
}

/// Writes a mapped file after `encode_prefix`: the padding and the elements.
fn write_rest<T: Packed>(
    writer: &mut impl Write,
    version: u32,
    prefix: &[u8],
    padding: usize,
    data: &[T],
) -> Result<(), SavefileError> {
    let mut serializer = Serializer::new(writer, version);
    serializer.write_bytes(prefix)?;
    serializer.write_u64(padding as u64)?;
    serializer.write_bytes(&vec![0u8; padding])?;
    serializer.write_u64(data.len() as u64)?;
    // `check_element_type` (in `encode_prefix`) made sure the elements are one block.
    if !try_write_packed(&mut serializer, data)? {
        return Err(SavefileError::Mapped {
            problem: MappedProblem::NotBulkCopyable {
                type_name: std::any::type_name::<T>(),
                version,
            },
        });
    }
    Ok(())
}

/// Saves `data` with `metadata` and `shape` (row-major dimensions whose product is
/// `data.len()`, or empty for a flat array) into the file at `path`, replacing it as
/// [`crate::save_file`] does (crash-safe), laid out for [`MappedVec::open`].
///
/// The file is an ordinary savefile of a [`MappedData<M, T>`]: [`crate::load_file`]
/// reads it as that. The elements are written as one block of bytes, starting at an
/// offset that is a multiple of 64 (and of `T`'s alignment). `T` must be copied as
/// raw bytes in data version `version` (a primitive, or a packed `#[repr(C)]` struct
/// or enum), else [`MappedProblem::NotBulkCopyable`].
pub fn save_mapped<T, M, P>(
    path: P,
    version: u32,
    metadata: &M,
    shape: &[u64],
    data: &[T],
) -> Result<(), SavefileError>
where
    T: WithSchema + Packed,
    M: WithSchema + Serialize,
    P: AsRef<Path>,
{
    let (prefix, padding) = encode_prefix::<T, M>(version, metadata, shape, data.len())?;
    replace_file(path.as_ref(), |writer| {
        write_rest(writer, version, &prefix, padding, data)
    })
}

/// The bytes [`save_mapped`] writes, in a new 64-byte aligned buffer: an image that
/// [`MappedVec::from_image`] views, and that can be written to a file or a socket.
pub fn save_mapped_image<T, M>(
    version: u32,
    metadata: &M,
    shape: &[u64],
    data: &[T],
) -> Result<AlignedBytes, SavefileError>
where
    T: WithSchema + Packed,
    M: WithSchema + Serialize,
{
    let (prefix, padding) = encode_prefix::<T, M>(version, metadata, shape, data.len())?;
    let total = size_of_val(data)
        .checked_add(prefix.len() + 16 + padding)
        .ok_or(SavefileError::MemoryLimitExceeded {
            limit: usize::MAX as u64,
            requested: u64::MAX,
        })?;
    let mut image = AlignedBytes::zeroed(total);
    let mut out: &mut [u8] = image.as_mut_slice();
    write_rest(&mut out, version, &prefix, padding, data)?;
    debug_assert!(out.is_empty());
    Ok(image)
}

/// Reads the metadata and the shape of the mapped file at `path` (saved by
/// [`save_mapped`] with elements of type `T`), without mapping it or reading the
/// elements.
///
/// Checks what [`MappedVec::open`] checks, except where the elements are and what
/// they hold: header, schema, that the element count fills the rest of the file
/// exactly, and that the shape agrees with it.
pub fn read_mapped_metadata<T, M, P>(path: P, version: u32) -> Result<(M, Vec<u64>), SavefileError>
where
    T: WithSchema + Packed,
    M: WithSchema + Deserialize,
    P: AsRef<Path>,
{
    let path = path.as_ref();
    let opened = File::open(path).and_then(|file| Ok((file.metadata()?.len(), file)));
    let (len, file) =
        opened.map_err(|e| SavefileError::from(e).in_file(FileOperation::OpenForLoading, path))?;
    let read = || {
        let reader = BufReader::new(file);
        let mut deserializer = Deserializer::with_parts(&[], reader, Some(len), 0, 0);
        let prefix = read_prefix::<T, M>(&mut deserializer, version)?;
        Ok((prefix.metadata, prefix.shape))
    };
    read().map_err(|e: SavefileError| e.in_file(FileOperation::Reading, path))
}

#[cfg(test)]
mod tests;
