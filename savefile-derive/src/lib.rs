//! Derive macros for `savefile`: `#[derive(Savefile)]`, `SavefileNoIntrospect` and
//! `SavefileIntrospectOnly`.
//!
//! Each is a pipeline: parse the input into a typed model (`ast`, `attr`), check
//! the rules that span attributes (`check`), and expand one impl per trait
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

/// Derives `WithSchema`, `Serialize`, `Deserialize`, `DeserializeBorrowed`, `Packed`
/// and `Introspect`.
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
        out.extend(expand::deserialize_borrowed(&model));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated code of `#[derive(Savefile)]` on `item`, without whitespace.
    fn expanded(item: &str) -> String {
        let input: DeriveInput = syn::parse_str(item).expect("the test's item parses");
        let tokens = expand_all(&input, &[Trait::Serialization, Trait::Introspect])
            .expect("the test's item derives");
        tokens.to_string().split_whitespace().collect()
    }

    /// The functions among `names` that `code` defines without `#[inline]` or
    /// `#[inline(always)]` right before them (each must be defined at least once).
    fn without_inline(code: &str, names: &[&str]) -> Vec<String> {
        let mut missing = Vec::new();
        for name in names {
            let definition = format!("fn{name}(");
            let starts: Vec<usize> = code.match_indices(&definition).map(|(at, _)| at).collect();
            assert!(!starts.is_empty(), "`{name}` is not generated");
            for at in starts {
                let before = code[..at].strip_suffix("unsafe").unwrap_or(&code[..at]);
                if !before.ends_with("#[inline]") && !before.ends_with("#[inline(always)]") {
                    missing.push(name.to_string());
                }
            }
        }
        missing
    }

    /// The methods that run once per element of a vector, inside a loop compiled in
    /// the crate that saves or loads it, must be inlinable there: a call per element
    /// to a function that only answers a constant was 7.5 % of a save (see
    /// docs/performance.md).
    #[test]
    fn per_element_methods_are_inline() {
        let per_element = [
            "serialize",
            "deserialize",
            "__savefile_deserialize_into",
            "repr_c_optimization_safe",
            "__savefile_bulk_copy",
            "__savefile_check",
        ];
        let with_string = expanded("struct Log { address: [u8; 4], name: String, size: u64 }");
        assert_eq!(
            without_inline(&with_string, &per_element),
            Vec::<String>::new()
        );
        let plain = expanded("#[repr(C)] struct Point { x: f32, y: f32 }");
        assert_eq!(without_inline(&plain, &per_element), Vec::<String>::new());
        let tagged = expanded("#[repr(u8)] enum Kind { A, B(u16), C { x: u8 } }");
        let enum_methods = [
            "serialize",
            "deserialize",
            "__savefile_bulk_copy",
            "__savefile_check",
        ];
        assert_eq!(without_inline(&tagged, &enum_methods), Vec::<String>::new());
    }
}
