//! Introspection: walking any loaded value as a tree of named children, read-only.

mod item;
mod navigator;
mod result;

pub use item::{introspect_item, Introspect, IntrospectItem, IntrospectItemSimple, MAX_CHILDREN};
pub use navigator::Introspector;
pub use result::{
    IntrospectedElement, IntrospectedElementKey, IntrospectionError, IntrospectionFrame,
    IntrospectionResult, IntrospectorNavCommand, Outline,
};

/// Implements [`Introspect`] for leaf types: the value is `$show(self)`, there are no
/// children.
macro_rules! introspect_leaf {
    ($show:expr => $($ty:ty),+ $(,)?) => {$(
        impl $crate::Introspect for $ty {
            fn introspect_value(&self) -> String {
                let show: fn(&$ty) -> String = $show;
                show(self)
            }
            fn introspect_child<'a>(
                &'a self,
                _index: usize,
            ) -> Option<Box<dyn $crate::IntrospectItem<'a> + 'a>> {
                None
            }
            fn introspect_len(&self) -> usize {
                0
            }
        }
    )+};
}
pub(crate) use introspect_leaf;
