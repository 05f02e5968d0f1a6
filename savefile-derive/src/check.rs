//! Rules that span several attributes or fields, checked before any code is generated.
//! Every violation is reported, each at the attribute it concerns, with how to fix it.

use crate::ast::{Body, Field, Input, Shape};
use crate::attr::{Errors, IntRepr, Loc};

/// Checks the whole input, adding every problem to `errors`.
pub(crate) fn check(input: &Input<'_>, errors: &mut Errors) {
    match &input.body {
        Body::Struct(shape) => check_shape(shape, errors),
        Body::Enum(variants) => {
            for variant in variants {
                check_shape(&variant.shape, errors);
            }
            if let Some(repr) = input.attrs.int_repr {
                if let Some(bytes) = repr.index_bytes() {
                    let max = 1u64 << (8 * u32::from(bytes));
                    if variants.len() as u64 > max {
                        errors.error(
                            input.ident,
                            format!(
                                "{} variants do not fit the enum's #[repr({})], which holds at \
                                 most {max}; use a wider repr",
                                variants.len(),
                                repr.name()
                            ),
                        );
                    }
                }
            }
        }
    }
    if let Some(at) = input.attrs.require_fast {
        check_require_fast(input, at, errors);
    }
}

fn check_shape(shape: &Shape<'_>, errors: &mut Errors) {
    let mut first_key: Option<Loc> = None;
    for field in &shape.fields {
        check_field(field, errors);
        if let Some(at) = field.attrs.introspect_key {
            if let Some(first) = first_key {
                let mut e = at
                    .error("only one field can be #[savefile_introspect_key]; remove all but one");
                e.combine(first.error("the first key is here"));
                errors.push(e);
            } else {
                first_key = Some(at);
            }
        }
    }
}

fn check_field(field: &Field<'_>, errors: &mut Errors) {
    let attrs = &field.attrs;
    if let Some(ignore) = attrs.ignore {
        if let Some((_, at)) = attrs.versions {
            errors.error(
                at,
                "an ignored field is never saved, so it has no versions; remove \
                 #[savefile_versions] or #[savefile_ignore]",
            );
        }
        if let Some(entry) = attrs.versions_as.first() {
            errors.error(
                entry.loc,
                "an ignored field is never saved, so it has no old types; remove \
                 #[savefile_versions_as] or #[savefile_ignore]",
            );
        }
        if field.is_removed {
            errors.error(
                ignore,
                "a Removed<T> field is read from old files; it cannot be #[savefile_ignore]",
            );
        }
    }
    let range = field.range();
    if field.is_removed && attrs.ignore.is_none() {
        match attrs.versions {
            None => errors.error(
                field.loc,
                format!(
                    "the Removed<T> field `{}` needs the versions that still had it: add \
                     #[savefile_versions = \"..N\"] where N is the last version with the field",
                    field.name
                ),
            ),
            Some((r, at)) if r.is_open() => errors.error(
                at,
                format!(
                    "the Removed<T> field `{}` cannot be in every version from {} on: close the \
                     range with the last version that had it, as in \"{}..N\"",
                    field.name, r.from, r.from
                ),
            ),
            Some(_) => {}
        }
    }
    for (i, entry) in attrs.versions_as.iter().enumerate() {
        if entry.range.to >= range.from {
            let message = match attrs.versions {
                None => format!(
                    "savefile_versions_as range {} needs the field's own type to start after it, \
                     but without #[savefile_versions] the field has its own type in every \
                     version; add #[savefile_versions = \"{}..\"]",
                    entry.range.describe(),
                    entry.range.to.saturating_add(1)
                ),
                Some(_) if range.from == 0 => format!(
                    "savefile_versions_as range {} must end before the field's own versions \
                     ({}) begin, but those start at version 0; start #[savefile_versions] after {}",
                    entry.range.describe(),
                    range.describe(),
                    entry.range.to
                ),
                Some(_) => format!(
                    "savefile_versions_as range {} must end before the field's own versions \
                     ({}) begin; end it at {} or earlier, or start #[savefile_versions] later",
                    entry.range.describe(),
                    range.describe(),
                    range.from - 1
                ),
            };
            let mut e = entry.loc.error(message);
            if let Some((_, own)) = attrs.versions {
                e.combine(own.error("the field's own versions are set here"));
            }
            errors.push(e);
        }
        for other in &attrs.versions_as[..i] {
            if other.range.overlaps(entry.range) {
                let mut e = entry.loc.error(format!(
                    "savefile_versions_as range {} overlaps {}: each old version has one old \
                     type; make the ranges disjoint",
                    entry.range.describe(),
                    other.range.describe()
                ));
                e.combine(other.loc.error("the other range is here"));
                errors.push(e);
            }
        }
    }
}

/// With `#[savefile_require_fast]` on an enum: every Rust discriminant must be the
/// variant's declaration index, which is what is saved.
fn check_discriminants(input: &Input<'_>, errors: &mut Errors) {
    let Body::Enum(variants) = &input.body else {
        return;
    };
    let mut next: u64 = 0;
    for variant in variants {
        let value = match variant.discriminant {
            None => next,
            Some(expr) => match expr {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Int(int),
                    ..
                }) => int.base10_parse::<u64>().unwrap_or(u64::MAX),
                _ => u64::MAX,
            },
        };
        if value != u64::from(variant.index) {
            let at = variant
                .discriminant
                .map_or_else(|| Loc::of(variant.ident), |e| Loc::of(e));
            errors.error(
                at,
                format!(
                    "#[savefile_require_fast]: the discriminant of `{}` must be its position, {}, \
                     because the position is what is saved; remove the explicit discriminants",
                    variant.ident, variant.index
                ),
            );
            return;
        }
        next = value + 1;
    }
}

fn check_require_fast(input: &Input<'_>, at: Loc, errors: &mut Errors) {
    match &input.body {
        Body::Struct(_) => {
            if !input.attrs.repr_c {
                errors.error(
                    at,
                    "#[savefile_require_fast] needs a fixed field order: add #[repr(C)] to the \
                     struct",
                );
            }
        }
        Body::Enum(_) => {
            if !matches!(
                input.attrs.int_repr,
                Some(IntRepr::U8 | IntRepr::U16 | IntRepr::U32)
            ) {
                errors.error(
                    at,
                    "#[savefile_require_fast] on an enum needs a fixed discriminant: add \
                     #[repr(u8)], #[repr(u16)] or #[repr(u32)] to the enum",
                );
            } else if input.attrs.repr_c {
                errors.error(
                    at,
                    "#[savefile_require_fast]: with #[repr(C)] next to the integer repr, Rust \
                     aligns every variant's fields as a whole, leaving padding after the tag; \
                     remove `C` from the repr",
                );
            } else if !input.generics.params.is_empty() {
                errors.error(
                    at,
                    "#[savefile_require_fast] is not supported on generic enums: their layout \
                     cannot be measured at compile time",
                );
            }
            check_discriminants(input, errors);
        }
    }
    for field in input.all_fields() {
        if let Some(ignore) = field.attrs.ignore {
            errors.error(
                ignore,
                format!(
                    "#[savefile_require_fast]: the ignored field `{}` is in memory but not in \
                     the file, so the type cannot be copied as raw bytes; save the field or \
                     remove #[savefile_require_fast]",
                    field.name
                ),
            );
        }
    }
}
