//! Recursion tracking while a schema is built, so that recursive types describe themselves finitely.

use super::types::Schema;

/// Keeps track of the types whose schemas are being built, outermost first.
///
/// A type that may contain itself (through `Box`, `Vec`, `Option` …) builds its
/// schema inside [`WithSchemaContext::possible_recursion`]; meeting itself again
/// yields [`Schema::Recursion`] instead of an infinite tree.
#[derive(Debug, Default)]
pub struct WithSchemaContext {
    /// The types being described, as `std::any::type_name` strings, outermost first.
    ///
    /// Names rather than `TypeId`s so that types with lifetimes need no `'static` bound.
    stack: Vec<&'static str>,
}

impl WithSchemaContext {
    /// An empty context, for the root of a schema.
    pub fn new() -> WithSchemaContext {
        WithSchemaContext::default()
    }

    /// Builds the schema of `T` with `build`, unless `T` is already being built
    /// further up, in which case the result is `Schema::Recursion(n)`: `n` counts
    /// the types registered here from the innermost one out to that outer `T`
    /// (1 when `T` contains itself directly), as savefile 0.20 counts them.
    pub fn possible_recursion<T: ?Sized>(
        &mut self,
        build: impl FnOnce(&mut WithSchemaContext) -> Schema,
    ) -> Schema {
        let name = std::any::type_name::<T>();
        if let Some(index) = self.stack.iter().rposition(|&seen| seen == name) {
            return Schema::Recursion(self.stack.len() - index);
        }
        self.stack.push(name);
        let schema = build(self);
        self.stack.pop();
        schema
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Tree;
    struct Forest;

    #[test]
    fn recursion_reports_levels_up() {
        let mut ctx = WithSchemaContext::new();
        let schema = ctx.possible_recursion::<Tree>(|ctx| {
            ctx.possible_recursion::<Forest>(|ctx| {
                Schema::SchemaOption(Box::new(
                    ctx.possible_recursion::<Tree>(|_| Schema::ZeroSize),
                ))
            })
        });
        assert_eq!(schema, Schema::SchemaOption(Box::new(Schema::Recursion(2))));
        let direct = ctx
            .possible_recursion::<Tree>(|ctx| ctx.possible_recursion::<Tree>(|_| Schema::ZeroSize));
        assert_eq!(direct, Schema::Recursion(1));
        // The stack unwinds: a later, unrelated use of Tree is built normally.
        assert_eq!(
            ctx.possible_recursion::<Tree>(|_| Schema::ZeroSize),
            Schema::ZeroSize
        );
    }
}
