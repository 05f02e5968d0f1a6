//! Rules that span several attributes or fields, checked before any code is generated.
//! Every violation is reported, each at the attribute it concerns, with how to fix it.

use crate::ast::{Body, Field, Input, Shape};
use crate::attr::{Errors, IntRepr};

/// Checks the whole input, adding every problem to `errors`.
pub(crate) fn check(input: &Input<'_>, errors: &mut Errors) {
    match &input.body {
        Body::Struct(shape) => check_shape(shape, errors),
        Body::Enum(variants) => {
            for variant in variants {
                check_shape(&variant.shape, errors);
            }
            if let (Some(bytes), Some(repr)) = (
                input.attrs.int_repr.and_then(IntRepr::index_bytes),
                input.attrs.int_repr,
            ) {
                let max = 1u64 << (8 * u32::from(bytes));
                if variants.len() as u64 > max {
                    errors.error(
                        input.ident.span(),
                        format!(
                            "{} variants do not fit the enum's #[repr({repr:?})]",
                            variants.len()
                        ),
                    );
                }
            }
        }
    }
    if let Some(span) = input.attrs.require_fast {
        check_require_fast(input, span, errors);
    }
}

fn check_shape(shape: &Shape<'_>, errors: &mut Errors) {
    let mut key: Option<&Field<'_>> = None;
    for field in &shape.fields {
        check_field(field, errors);
        if let Some(span) = field.attrs.introspect_key {
            if let Some(first) = key {
                let mut e =
                    syn::Error::new(span, "only one field can be #[savefile_introspect_key]");
                if let Some(first_span) = first.attrs.introspect_key {
                    e.combine(syn::Error::new(first_span, "the first key is here"));
                }
                errors.push(e);
            } else {
                key = Some(field);
            }
        }
    }
}

fn check_field(field: &Field<'_>, errors: &mut Errors) {
    let attrs = &field.attrs;
    if let Some(ignore) = attrs.ignore {
        if let Some((_, span)) = attrs.versions {
            errors.error(span, "an ignored field is never saved, so it has no versions; remove #[savefile_versions] or #[savefile_ignore]");
        }
        if let Some(entry) = attrs.versions_as.first() {
            errors.error(entry.span, "an ignored field is never saved; remove #[savefile_versions_as] or #[savefile_ignore]");
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
                field.span,
                format!(
                    "the Removed<T> field `{}` needs the versions that still had it: add \
                     #[savefile_versions = \"..N\"] where N is the last version with the field",
                    field.name
                ),
            ),
            Some((r, span)) if r.is_open() => errors.error(
                span,
                format!(
                    "the Removed<T> field `{}` cannot exist in every version from {} on: close the \
                     range with the last version that had it (\"{}..N\")",
                    field.name, r.from, r.from
                ),
            ),
            Some(_) => {}
        }
    }
    for (i, entry) in attrs.versions_as.iter().enumerate() {
        if entry.range.to >= range.from {
            let hint = if attrs.versions.is_none() {
                format!(
                    "; the field's own type then starts later: add #[savefile_versions = \"{}..\"]",
                    entry.range.to.saturating_add(1)
                )
            } else {
                String::new()
            };
            errors.error(
                entry.span,
                format!(
                    "savefile_versions_as range {} must end before the field's own versions ({}) begin{hint}",
                    entry.range.describe(),
                    range.describe()
                ),
            );
        }
        for other in &attrs.versions_as[..i] {
            if other.range.overlaps(entry.range) {
                let mut e = syn::Error::new(
                    entry.span,
                    format!(
                        "savefile_versions_as range {} overlaps {}: each old version has one old type",
                        entry.range.describe(),
                        other.range.describe()
                    ),
                );
                e.combine(syn::Error::new(other.span, "the other range is here"));
                errors.push(e);
            }
        }
    }
}

fn check_require_fast(input: &Input<'_>, span: proc_macro2::Span, errors: &mut Errors) {
    match &input.body {
        Body::Struct(_) => {
            if !input.attrs.repr_c {
                errors.error(
                    span,
                    "#[savefile_require_fast] needs a fixed field order: add #[repr(C)] to the struct",
                );
            }
        }
        Body::Enum(_) => {
            if !matches!(
                input.attrs.int_repr,
                Some(IntRepr::U8 | IntRepr::U16 | IntRepr::U32)
            ) {
                errors.error(
                    span,
                    "#[savefile_require_fast] on an enum needs #[repr(u8)], #[repr(u16)] or #[repr(u32)]",
                );
            }
        }
    }
    for field in input.all_fields() {
        if let Some(ignore) = field.attrs.ignore {
            errors.error(
                ignore,
                format!(
                    "#[savefile_require_fast]: the ignored field `{}` is in memory but not in the file, \
                     so the type cannot be copied as raw bytes",
                    field.name
                ),
            );
        }
    }
}
