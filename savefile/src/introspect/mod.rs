//! Introspection: walking any loaded value as a tree of named children, read-only.

mod item;

pub use item::{introspect_item, Introspect, IntrospectItem, IntrospectItemSimple, MAX_CHILDREN};
