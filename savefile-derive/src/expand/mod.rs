//! Code generation: one file per generated trait, sharing the helpers here.

mod deserialize;
mod deserialize_borrowed;
mod introspect;
mod layout;
mod packed;
mod serialize;
mod with_schema;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ast::{Body, Field, Input};
use crate::attr::VersionRange;

pub(crate) use deserialize::expand as deserialize;
pub(crate) use deserialize_borrowed::expand as deserialize_borrowed;
pub(crate) use introspect::expand as introspect;
pub(crate) use layout::mirrors;
pub(crate) use packed::expand as packed;
pub(crate) use serialize::expand as serialize;
pub(crate) use with_schema::expand as with_schema;

/// True if the field is not saved the same way in every version: it has a version
/// range, or older types it was saved as.
pub(crate) fn is_versioned(field: &Field<'_>) -> bool {
    field.range() != VersionRange::ALL || !field.attrs.versions_as.is_empty()
}

/// `true` when `version` (a `u32` variable) lies in `range`, written without
/// comparisons that are always true (they would warn in the user's crate).
pub(crate) fn in_range(range: VersionRange, version: &Ident) -> TokenStream {
    match (range.from, range.is_open()) {
        (0, true) => quote!(true),
        (from, true) => quote!(#version >= #from),
        (0, false) => {
            let to = range.to;
            quote!(#version <= #to)
        }
        (from, false) if from == range.to => quote!(#version == #from),
        (from, false) => {
            let to = range.to;
            quote!((#from..=#to).contains(&#version))
        }
    }
}

/// How many bytes a saved variant index of the enum takes: fixed by an integer
/// repr, else 1 up to 256 variants, 2 up to 65536, 4 beyond.
pub(crate) fn index_bytes(input: &Input<'_>) -> u8 {
    if let Some(bytes) = input.attrs.int_repr.and_then(|r| r.index_bytes()) {
        return bytes;
    }
    match &input.body {
        Body::Enum(variants) if variants.len() > 65536 => 4,
        Body::Enum(variants) if variants.len() > 256 => 2,
        _ => 1,
    }
}

/// Wraps a generated impl: `#[automatically_derived]`, and `#[doc(hidden)]` when asked.
pub(crate) fn attributes(input: &Input<'_>) -> TokenStream {
    let hidden = input.attrs.doc_hidden.then(|| quote!(#[doc(hidden)]));
    quote! {
        #[automatically_derived]
        #hidden
    }
}

/// The type's name as a string literal, for schemas and messages.
pub(crate) fn type_name(input: &Input<'_>) -> String {
    input.ident.to_string()
}
