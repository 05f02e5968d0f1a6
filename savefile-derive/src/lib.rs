//! Derive macros for `savefile`: `#[derive(Savefile)]`, `SavefileNoIntrospect` and
//! `SavefileIntrospectOnly`.
//!
//! Each is a pipeline: parse the input into a typed model (modules `ast`, `attr`),
//! check the rules that span attributes (`check`), and expand one impl per trait
//! (`expand`). Every problem is reported at once, at the attribute it concerns, as
//! a compile error; the macros never panic.

#![forbid(unsafe_code)]

mod ast;
mod attr;
mod bounds;
mod check;
mod expand;

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use syn::DeriveInput;

use crate::ast::Input;
use crate::attr::Errors;

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
    derive(input, &[Trait::Serialization, Trait::Introspect])
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
    derive(input, &[Trait::Serialization])
}

/// Derives only `Introspect`.
#[proc_macro_derive(
    SavefileIntrospectOnly,
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
pub fn derive_savefile_introspect_only(input: TokenStream) -> TokenStream {
    derive(input, &[Trait::Introspect])
}

/// The groups of impls a derive can generate.
#[derive(PartialEq)]
enum Trait {
    /// `WithSchema`, `Serialize`, `Deserialize` and `Packed`.
    Serialization,
    Introspect,
}

fn derive(input: TokenStream, traits: &[Trait]) -> TokenStream {
    let input = syn::parse_macro_input!(input as DeriveInput);
    match expand_all(&input, traits) {
        Ok(tokens) => tokens.into(),
        Err(errors) => errors.to_compile_error().into(),
    }
}

/// parse -> check -> expand.
fn expand_all(input: &DeriveInput, traits: &[Trait]) -> syn::Result<TokenStream2> {
    let mut errors = Errors::default();
    let model = Input::from_syn(input, &mut errors);
    if let Some(model) = &model {
        check::check(model, &mut errors);
    }
    errors.finish()?;
    let Some(model) = model else {
        return Ok(TokenStream2::new());
    };
    let mut out = TokenStream2::new();
    if traits.contains(&Trait::Serialization) {
        out.extend(expand::with_schema(&model));
        out.extend(expand::serialize(&model));
        out.extend(expand::deserialize(&model));
        out.extend(expand::packed(&model));
    }
    if traits.contains(&Trait::Introspect) {
        out.extend(expand::introspect(&model));
    }
    // Enum variant mirrors are private to the impls that measure with them.
    match expand::mirrors(&model) {
        Some(mirrors) if traits.contains(&Trait::Serialization) => Ok(quote::quote! {
            const _: () = {
                #mirrors
                #out
            };
        }),
        _ => Ok(out),
    }
}
