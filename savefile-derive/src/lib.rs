//! Derive macros for `savefile`: `#[derive(Savefile)]`, `SavefileNoIntrospect` and
//! `SavefileIntrospectOnly`.
//!
//! The macros are being built (see the project's derive issue); until then each
//! entry point reports a clear compile error instead of generating code.

#![forbid(unsafe_code)]

use proc_macro::TokenStream;

/// Derives `WithSchema`, `Serialize`, `Deserialize`, `Packed` and `Introspect`.
#[proc_macro_derive(
    Savefile,
    attributes(
        savefile_versions,
        savefile_versions_as,
        savefile_default_val,
        savefile_default_fn,
        savefile_ignore,
        savefile_introspect_ignore,
        savefile_introspect_key,
        savefile_require_fast,
        savefile_doc_hidden
    )
)]
pub fn derive_savefile(input: TokenStream) -> TokenStream {
    not_yet(input, "Savefile")
}

/// Derives everything `Savefile` does except `Introspect`.
#[proc_macro_derive(
    SavefileNoIntrospect,
    attributes(
        savefile_versions,
        savefile_versions_as,
        savefile_default_val,
        savefile_default_fn,
        savefile_ignore,
        savefile_introspect_ignore,
        savefile_introspect_key,
        savefile_require_fast,
        savefile_doc_hidden
    )
)]
pub fn derive_savefile_no_introspect(input: TokenStream) -> TokenStream {
    not_yet(input, "SavefileNoIntrospect")
}

/// Derives only `Introspect`.
#[proc_macro_derive(
    SavefileIntrospectOnly,
    attributes(savefile_introspect_ignore, savefile_introspect_key)
)]
pub fn derive_savefile_introspect_only(input: TokenStream) -> TokenStream {
    not_yet(input, "SavefileIntrospectOnly")
}

fn not_yet(input: TokenStream, which: &str) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    let message =
        format!("#[derive({which})] is not implemented in this version of savefile-derive");
    syn::Error::new_spanned(&input.ident, message)
        .to_compile_error()
        .into()
}
