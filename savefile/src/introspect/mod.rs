//! Introspection: walking any loaded value as a tree of named children, read-only.

mod item;
mod navigator;
mod result;

pub use item::{introspect_item, Introspect, IntrospectItem, IntrospectItemSimple, MAX_CHILDREN};
pub use navigator::Introspector;
pub use result::{
    IntrospectedElement, IntrospectedElementKey, IntrospectionError, IntrospectionFrame,
    IntrospectionResult, IntrospectorNavCommand,
};
