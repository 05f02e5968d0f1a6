//! The `Introspect` and `IntrospectItem` traits: a value, its children, and their names.

/// The most children the default [`Introspect::introspect_len`] counts, so that a
/// faulty `introspect_child` cannot make it loop forever.
pub const MAX_CHILDREN: usize = 10000;

/// A value that can be looked into: a string for itself and a list of named children.
pub trait Introspect {
    /// The value itself as text, without its children: "42" for a number, the type
    /// name for a struct (or its key field, with `#[savefile_introspect_key]`).
    fn introspect_value(&self) -> String;

    /// The child at `index` (0, 1, 2 … with no gaps), or `None` past the last one.
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>>;

    /// The number of children.
    ///
    /// The default counts by asking for children until there is none, stopping at
    /// [`MAX_CHILDREN`]; types with many children override it.
    fn introspect_len(&self) -> usize {
        (0..MAX_CHILDREN)
            .find(|&i| self.introspect_child(i).is_none())
            .unwrap_or(MAX_CHILDREN)
    }
}

/// One child of an introspected value: a name and a value.
///
/// A trait rather than a pair so that a child can hold a guard (a `MutexGuard`,
/// a `Ref`) for as long as it is looked at.
pub trait IntrospectItem<'a> {
    /// The child's name: a field name, an index, a map key.
    fn key(&self) -> &str;
    /// The child's value.
    fn val(&self) -> &dyn Introspect;
}

/// The plain child: an owned name and a borrowed value.
pub struct IntrospectItemSimple<'a> {
    key: String,
    val: &'a dyn Introspect,
}

impl<'a> IntrospectItemSimple<'a> {
    /// A child named `key` with value `val`.
    pub fn new(key: String, val: &'a dyn Introspect) -> IntrospectItemSimple<'a> {
        IntrospectItemSimple { key, val }
    }
}

impl<'a> IntrospectItem<'a> for IntrospectItemSimple<'a> {
    fn key(&self) -> &str {
        &self.key
    }
    fn val(&self) -> &dyn Introspect {
        self.val
    }
}

/// A boxed [`IntrospectItemSimple`]: what most `introspect_child` implementations return.
pub fn introspect_item<'a>(
    key: String,
    val: &'a dyn Introspect,
) -> Box<dyn IntrospectItem<'a> + 'a> {
    Box::new(IntrospectItemSimple::new(key, val))
}
