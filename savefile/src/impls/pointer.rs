//! Smart pointers and cells: `Box<T>`, `Rc<T>`, `Arc<T>`, `Cow<T>`, `RefCell<T>` and `Cell<T>`.
//!
//! All are transparent on disk: the bytes and the schema of the `T` inside.
//! `Box`, `Rc` and `Arc` mark their `T` as a possible recursion point (as savefile
//! 0.20 does), so that a type reaching itself through one of them gets a finite
//! schema. Unsized contents (`Box<str>`, `Arc<[T]>` …) live with strings and
//! sequences; the impls here are for sized `T` only.
//!
//! Only `Cell<T>` may be packed: it has the memory layout of its `T`. The others
//! hold a pointer or a borrow flag, so their memory is not their saved bytes.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::io::{Read, Write};
use std::ops::Deref;
use std::rc::Rc;
use std::sync::Arc;

use crate::format::footprint;
use crate::packed::{bulk_copy, is_packed, BulkCopy};
use crate::{
    Deserialize, Deserializer, Introspect, IntrospectItem, IsPacked, Packed, SavefileError, Schema,
    Serialize, Serializer, WithSchema, WithSchemaContext,
};

/// Implements everything for a pointer that owns one sized `T`, built with `new`,
/// whose allocation takes `footprint::$bytes::<T>()` bytes.
macro_rules! owning_pointer {
    ($($ptr:ident => $bytes:ident),*) => {$(
        impl<T: WithSchema> WithSchema for $ptr<T> {
            fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
                context.possible_recursion::<T>(|context| T::schema(version, context))
            }
        }

        impl<T: Serialize> Serialize for $ptr<T> {
            #[inline]
            fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
                (**self).serialize(serializer)
            }
        }

        impl<T: Deserialize> Deserialize for $ptr<T> {
            const __SAVEFILE_MIN_SIZE: usize = T::__SAVEFILE_MIN_SIZE;

            #[inline]
            fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
                // The allocation counts against the load's memory budget, as a
                // collection's elements do: a `T` may take far fewer bytes in the file.
                deserializer.charge_memory(footprint::$bytes::<T>())?;
                Ok($ptr::new(T::deserialize(deserializer)?))
            }
        }

        /// Not packed: in memory this is a pointer, not the bytes of `T`.
        impl<T> Packed for $ptr<T> {}

        /// Transparent: the value, children and length of the `T` inside.
        impl<T: Introspect> Introspect for $ptr<T> {
            fn introspect_value(&self) -> String {
                (**self).introspect_value()
            }
            fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
                (**self).introspect_child(index)
            }
            fn introspect_len(&self) -> usize {
                (**self).introspect_len()
            }
        }
    )*};
}

owning_pointer!(Box => boxed, Rc => counted, Arc => counted);

/// A shared reference saves as what it refers to: `&str` as a string, `&[T]` as a
/// vector. Loaded only by borrowed loads (`crate::DeserializeBorrowed`), which lend
/// it out of the input.
impl<T: WithSchema + ?Sized> WithSchema for &T {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        T::schema(version, context)
    }
}

impl<T: Serialize + ?Sized> Serialize for &T {
    #[inline]
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        (**self).serialize(serializer)
    }
}

/// Not packed: in memory a reference is a pointer, not the bytes it refers to.
impl<T: ?Sized> Packed for &T {}

/// Transparent: the value, children and length of what it refers to.
impl<T: Introspect + ?Sized> Introspect for &T {
    fn introspect_value(&self) -> String {
        (**self).introspect_value()
    }
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        (**self).introspect_child(index)
    }
    fn introspect_len(&self) -> usize {
        (**self).introspect_len()
    }
}

impl<T: WithSchema + ToOwned + ?Sized> WithSchema for Cow<'_, T> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        T::schema(version, context)
    }
}

impl<T: Serialize + ToOwned + ?Sized> Serialize for Cow<'_, T> {
    #[inline]
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        (**self).serialize(serializer)
    }
}

/// Loads as `Cow::Owned`: nothing outlives the load to borrow from. The owned form
/// (`String` for `str`, `Vec<T>` for `[T]` …) must read the bytes `T` writes, and its
/// read nests as that of the owned form (and of a borrowed load of the `Cow`).
impl<T: WithSchema + ToOwned + ?Sized> Deserialize for Cow<'_, T>
where
    T::Owned: Deserialize,
{
    const __SAVEFILE_FLAT: bool = <T::Owned as Deserialize>::__SAVEFILE_FLAT;

    #[inline]
    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        Ok(Cow::Owned(T::Owned::deserialize(deserializer)?))
    }
}

/// Not packed: a `Cow` is a tagged borrow-or-owned value in memory.
impl<T: ToOwned + ?Sized> Packed for Cow<'_, T> {}

/// Transparent: the value, children and length of the `T` inside.
impl<T: Introspect + ToOwned + ?Sized> Introspect for Cow<'_, T> {
    fn introspect_value(&self) -> String {
        (**self).introspect_value()
    }
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        (**self).introspect_child(index)
    }
    fn introspect_len(&self) -> usize {
        (**self).introspect_len()
    }
}

/// The single child "0" of a cell or a lock: it keeps the borrow (a `Ref`, a lock
/// guard, or a boxed copy) alive for as long as the child is looked at.
pub(crate) struct GuardedChild<G> {
    /// Whatever gives access to the value: a guard or an owned copy.
    guard: G,
}

impl<G> GuardedChild<G> {
    /// The child named "0" that shows the value behind `guard`.
    pub(crate) fn new(guard: G) -> GuardedChild<G> {
        GuardedChild { guard }
    }
}

impl<G> IntrospectItem<'_> for GuardedChild<G>
where
    G: Deref,
    G::Target: Introspect + Sized,
{
    fn key(&self) -> &str {
        "0"
    }
    fn val(&self) -> &dyn Introspect {
        &*self.guard
    }
}

/// What the child "0" of a cell or lock shows when its value cannot be reached
/// without waiting: it is mutably borrowed, or locked for writing.
pub(super) struct Locked;

impl Introspect for Locked {
    fn introspect_value(&self) -> String {
        "<locked>".to_string()
    }
    fn introspect_child<'a>(&'a self, _index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        None
    }
    fn introspect_len(&self) -> usize {
        0
    }
}

/// The child "0" standing for a value that is borrowed or locked elsewhere.
pub(crate) fn locked_child<'a>() -> Box<dyn IntrospectItem<'a> + 'a> {
    crate::introspect_item("0".to_string(), &Locked)
}

impl<T: WithSchema> WithSchema for RefCell<T> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        T::schema(version, context)
    }
}

/// Saving borrows the value; a `RefCell` that is mutably borrowed at that moment
/// is an error ([`SavefileError::CellBorrowed`]), not a panic.
impl<T: Serialize> Serialize for RefCell<T> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        let value = self.try_borrow().map_err(|_| SavefileError::CellBorrowed)?;
        value.serialize(serializer)
    }
}

// Borrowed loads read these as owned loads do: they hold no borrows.
crate::borrowed::borrowed_as_owned!(impl[T] RefCell<T>, impl[T] Cell<T>);

impl<T: Deserialize> Deserialize for RefCell<T> {
    const __SAVEFILE_MIN_SIZE: usize = T::__SAVEFILE_MIN_SIZE;
    const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        Ok(RefCell::new(T::deserialize(deserializer)?))
    }
}

/// Not packed: a `RefCell` keeps a borrow counter next to its value.
impl<T> Packed for RefCell<T> {}

/// No value of its own and one child "0" holding a `Ref`; `<locked>` while the
/// cell is mutably borrowed.
impl<T: Introspect> Introspect for RefCell<T> {
    fn introspect_value(&self) -> String {
        String::new()
    }
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        if index != 0 {
            return None;
        }
        Some(match self.try_borrow() {
            Ok(guard) => Box::new(GuardedChild::new(guard)),
            Err(_) => locked_child(),
        })
    }
    fn introspect_len(&self) -> usize {
        1
    }
}

impl<T: WithSchema> WithSchema for Cell<T> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        T::schema(version, context)
    }
}

impl<T: Serialize + Copy> Serialize for Cell<T> {
    #[inline]
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        self.get().serialize(serializer)
    }
}

impl<T: Deserialize> Deserialize for Cell<T> {
    const __SAVEFILE_MIN_SIZE: usize = T::__SAVEFILE_MIN_SIZE;
    const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT;

    #[inline]
    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        Ok(Cell::new(T::deserialize(deserializer)?))
    }
}

#[allow(unsafe_code)]
impl<T: Packed> Packed for Cell<T> {
    #[inline]
    unsafe fn repr_c_optimization_safe(version: u32) -> IsPacked {
        if is_packed::<T>(version) {
            // SAFETY: `Cell<T>` is documented to have the same in-memory
            // representation as `T`, so its bytes are `T`'s bytes and `T`'s own
            // promise (no padding, saved bytes equal memory bytes, every saved
            // pattern valid) holds for it unchanged. The bytes are only read while
            // the cells are shared-borrowed by the save; `Cell` is not `Sync`, so
            // no other thread can `set` them meanwhile, and the copy calls nothing
            // that could. Loading writes into cells no one else can see yet.
            unsafe { IsPacked::yes() }
        } else {
            IsPacked::no()
        }
    }

    #[inline]
    unsafe fn __savefile_bulk_copy(version: u32) -> BulkCopy {
        // `Cell<T>` has `T`'s representation, so `T`'s promise and check carry over.
        bulk_copy::<T>(version)
    }

    fn __savefile_check(version: u32, bytes: &[u8]) -> Result<(), SavefileError> {
        T::__savefile_check(version, bytes)
    }
}

/// Like `RefCell`: no value of its own and one child "0", here a copy of the
/// value (a `Cell` cannot lend a reference to its contents).
impl<T: Introspect + Copy> Introspect for Cell<T> {
    fn introspect_value(&self) -> String {
        String::new()
    }
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        (index == 0).then(|| Box::new(GuardedChild::new(Box::new(self.get()))) as _)
    }
    fn introspect_len(&self) -> usize {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impls::test_support::assert_roundtrip;
    use crate::SchemaPrimitive;

    #[test]
    fn pointers_save_the_bytes_of_their_contents() {
        assert_eq!(assert_roundtrip(&Box::new(0x0201u16)), [1, 2]);
        assert_eq!(assert_roundtrip(&Rc::new(Some(3u8))), [1, 3]);
        assert_eq!(assert_roundtrip(&Arc::new((4u8, 5u8))), [4, 5]);
        assert_eq!(assert_roundtrip(&Box::new(Box::new(6u8))), [6]);
        assert_eq!(assert_roundtrip(&RefCell::new(7u32)), [7, 0, 0, 0]);
        assert_eq!(assert_roundtrip(&Cell::new(-1i16)), [0xff, 0xff]);
        let plain = assert_roundtrip(&"cow".to_string());
        assert_eq!(assert_roundtrip(&Cow::<str>::Owned("cow".into())), plain);
        assert_eq!(assert_roundtrip(&Cow::<str>::Borrowed("cow")), plain);
        assert_eq!(assert_roundtrip(&Cow::Borrowed(&9u64)), 9u64.to_le_bytes());
    }

    #[test]
    fn cow_loads_owned() {
        let bytes = crate::save_to_mem(0, &Cow::Borrowed("text")).unwrap();
        let back: Cow<'static, str> = crate::load_from_mem(&bytes, 0).unwrap();
        assert!(matches!(back, Cow::Owned(ref s) if s == "text"));
    }

    #[test]
    fn a_pointer_file_loads_as_its_contents_and_back() {
        let bytes = crate::save_to_mem(0, &Arc::new(Box::new(12u32))).unwrap();
        assert_eq!(crate::load_from_mem::<u32>(&bytes, 0).unwrap(), 12);
        let bytes = crate::save_to_mem(0, &Rc::new(Cow::Borrowed(&12u32))).unwrap();
        assert_eq!(crate::load_from_mem::<u32>(&bytes, 0).unwrap(), 12);
        let bytes = crate::save_to_mem(0, &12u32).unwrap();
        let back: Box<RefCell<Cell<u32>>> = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(back.borrow().get(), 12);
    }

    #[test]
    fn bad_contents_are_reported_through_the_pointer() {
        let mut d = Deserializer::from_slice(&[2], 0);
        assert!(matches!(
            Box::<bool>::deserialize(&mut d),
            Err(SavefileError::InvalidBool { value: 2 })
        ));
        let mut d = Deserializer::from_slice(&[], 0);
        assert!(matches!(
            Cow::<str>::deserialize(&mut d),
            Err(SavefileError::ShortRead)
        ));
    }

    #[test]
    fn a_mutably_borrowed_refcell_cannot_be_saved() {
        let cell = RefCell::new(1u8);
        let guard = cell.borrow_mut();
        assert!(matches!(
            crate::save_to_mem(0, &cell),
            Err(SavefileError::CellBorrowed)
        ));
        drop(guard);
        let _shared = cell.borrow();
        assert!(crate::save_to_mem(0, &cell).is_ok());
    }

    #[test]
    fn schemas_are_those_of_the_contents() {
        let u32_schema = Schema::Primitive(SchemaPrimitive::schema_u32);
        assert_eq!(crate::get_schema::<Box<u32>>(0), u32_schema);
        assert_eq!(crate::get_schema::<Rc<u32>>(0), u32_schema);
        assert_eq!(crate::get_schema::<Arc<u32>>(0), u32_schema);
        assert_eq!(crate::get_schema::<RefCell<u32>>(0), u32_schema);
        assert_eq!(crate::get_schema::<Cell<u32>>(0), u32_schema);
        assert_eq!(crate::get_schema::<Cow<'_, u32>>(0), u32_schema);
        assert_eq!(crate::get_schema::<Cow<'_, str>>(0), Schema::string());
    }

    #[test]
    fn a_box_of_itself_is_a_recursion_point() {
        // Only the Box registers its contents: Box<Box<u8>> builds normally, but
        // meeting the same boxed type inside itself yields a recursion reference.
        let mut context = WithSchemaContext::new();
        let schema = context.possible_recursion::<u8>(|context| Box::<u8>::schema(0, context));
        assert!(matches!(schema, Schema::Recursion(_)), "{schema:?}");
        assert_eq!(
            crate::get_schema::<Box<Box<u8>>>(0),
            Schema::Primitive(SchemaPrimitive::schema_u8)
        );
    }

    #[test]
    fn only_cell_is_packed_and_only_when_its_contents_are() {
        assert_eq!(is_packed::<Cell<u32>>(0), cfg!(target_endian = "little"));
        assert_eq!(std::mem::size_of::<Cell<u32>>(), 4);
        assert!(!is_packed::<Cell<bool>>(0));
        assert!(!is_packed::<Box<u32>>(0));
        assert!(!is_packed::<Rc<u32>>(0));
        assert!(!is_packed::<Arc<u32>>(0));
        assert!(!is_packed::<Cow<'_, u32>>(0));
        assert!(!is_packed::<RefCell<u32>>(0));
    }

    #[test]
    fn smart_pointers_are_transparent_to_introspection() {
        let boxed = Box::new((1u8, 2u8));
        assert_eq!(boxed.introspect_value(), "");
        assert_eq!(boxed.introspect_len(), 2);
        assert_eq!(boxed.introspect_child(1).unwrap().key(), "1");
        assert_eq!(Rc::new(5u8).introspect_value(), "5");
        assert_eq!(Arc::new(5u8).introspect_len(), 0);
        assert_eq!(Cow::<str>::Borrowed("c").introspect_value(), "c");
    }

    #[test]
    fn cells_have_one_child_holding_the_value() {
        let cell = RefCell::new(8u8);
        assert_eq!(cell.introspect_value(), "");
        assert_eq!(cell.introspect_len(), 1);
        {
            let child = cell.introspect_child(0).unwrap();
            assert_eq!(
                (child.key(), child.val().introspect_value()),
                ("0", "8".into())
            );
            // The child holds a shared borrow while it lives.
            assert!(cell.try_borrow_mut().is_err());
        }
        assert!(cell.introspect_child(1).is_none());
        let writer = cell.borrow_mut();
        assert_eq!(
            cell.introspect_child(0).unwrap().val().introspect_value(),
            "<locked>"
        );
        drop(writer);

        let cell = Cell::new(9u8);
        assert_eq!(cell.introspect_value(), "");
        assert_eq!(cell.introspect_len(), 1);
        let child = cell.introspect_child(0).unwrap();
        assert_eq!(
            (child.key(), child.val().introspect_value()),
            ("0", "9".into())
        );
        assert!(cell.introspect_child(1).is_none());
    }
}
