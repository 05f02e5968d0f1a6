//! Mirror structs that describe how Rust lays out the variants of an enum with a
//! primitive representation, so that their field offsets can be measured.
//!
//! An enum with `#[repr(u8)]` (or another integer, without `repr(C)`) is laid out as
//! a union of `#[repr(C)]` structs, one per variant, each holding the tag and then
//! the variant's fields. A `#[repr(C)]` tuple struct `(Tag, F1, F2, …)` has exactly
//! that layout, and `offset_of!` works on it where it does not (on stable) on enum
//! variants. Generic enums get no mirrors: items cannot use the enum's parameters.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::index_bytes;
use crate::ast::{Body, Input, Variant};
use crate::attr::IntRepr;

/// True if the enum's variants can be measured through mirror structs.
pub(crate) fn has_mirrors(input: &Input<'_>) -> bool {
    let int_repr = matches!(
        input.attrs.int_repr,
        Some(IntRepr::U8 | IntRepr::I8 | IntRepr::U16 | IntRepr::I16 | IntRepr::U32 | IntRepr::I32)
    );
    matches!(input.body, Body::Enum(_))
        && int_repr
        && !input.attrs.repr_c
        && input.generics.params.is_empty()
}

/// The name of the mirror struct of a variant.
pub(crate) fn mirror_name(variant: &Variant<'_>) -> Ident {
    format_ident!("__SavefileVariant{}", variant.index)
}

/// The unsigned integer type of the tag.
pub(crate) fn tag_type(input: &Input<'_>) -> TokenStream {
    match index_bytes(input) {
        1 => quote!(u8),
        2 => quote!(u16),
        _ => quote!(u32),
    }
}

/// `offset_of!` the field at `position` (0-based) of the variant, inside the enum.
pub(crate) fn field_offset(variant: &Variant<'_>, position: usize) -> TokenStream {
    let mirror = mirror_name(variant);
    let index = syn::Index::from(position + 1);
    quote!(::core::mem::offset_of!(#mirror, #index))
}

/// The mirror structs of every variant, when the enum has them.
pub(crate) fn mirrors(input: &Input<'_>) -> Option<TokenStream> {
    if !has_mirrors(input) {
        return None;
    }
    let Body::Enum(variants) = &input.body else {
        return None;
    };
    let tag = tag_type(input);
    let mirrors = variants.iter().map(|variant| {
        let name = mirror_name(variant);
        let types = variant.shape.fields.iter().map(|f| f.ty);
        quote! {
            #[repr(C)]
            #[allow(dead_code, non_camel_case_types)]
            struct #name(#tag, #(#types),*);
        }
    });
    Some(quote!(#(#mirrors)*))
}
