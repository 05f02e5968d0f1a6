//! Generic bounds: each generated impl bounds only the type parameters that its
//! fields really use (a parameter seen only inside `PhantomData` needs nothing).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;
use syn::{GenericArgument, Generics, PathArguments, ReturnType, Type, TypeParamBound};

use crate::ast::{Field, Input};

/// The generics of the impl with `bound` added to every type parameter that one of
/// the `relevant` fields uses, and `extra` predicates appended.
pub(crate) fn with_bounds<'a>(
    input: &Input<'a>,
    relevant: impl Fn(&Field<'a>) -> bool,
    bound: TokenStream,
    extra: Vec<TokenStream>,
) -> Generics {
    let params: Vec<String> = input
        .generics
        .type_params()
        .map(|p| p.ident.to_string())
        .collect();
    let mut used = BTreeSet::new();
    for field in input.all_fields().filter(|f| relevant(f)) {
        collect(field.ty, &params, &mut used);
    }
    let mut generics = input.generics.clone();
    let where_clause = generics.make_where_clause();
    for param in input.generics.type_params() {
        if used.contains(&param.ident.to_string()) {
            let ident = &param.ident;
            where_clause
                .predicates
                .push(syn::parse_quote!(#ident: #bound));
        }
    }
    for predicate in extra {
        where_clause.predicates.push(syn::parse_quote!(#predicate));
    }
    generics
}

/// True if `ty` mentions one of `params` outside `PhantomData`.
pub(crate) fn uses_params(ty: &Type, params: &[String]) -> bool {
    let mut used = BTreeSet::new();
    collect(ty, params, &mut used);
    !used.is_empty()
}

/// The type parameter names of the input.
pub(crate) fn param_names(input: &Input<'_>) -> Vec<String> {
    input
        .generics
        .type_params()
        .map(|p| p.ident.to_string())
        .collect()
}

fn collect(ty: &Type, params: &[String], used: &mut BTreeSet<String>) {
    match ty {
        Type::Path(p) => {
            if p.qself.is_none() {
                if let Some(ident) = p.path.get_ident() {
                    let name = ident.to_string();
                    if params.contains(&name) {
                        used.insert(name);
                    }
                    return;
                }
            }
            if let Some(q) = &p.qself {
                collect(&q.ty, params, used);
            }
            // `T::Assoc` uses T.
            if let Some(first) = p.path.segments.first() {
                let name = first.ident.to_string();
                if p.path.segments.len() > 1 && params.contains(&name) {
                    used.insert(name);
                }
            }
            let Some(last) = p.path.segments.last() else {
                return;
            };
            if last.ident == "PhantomData" {
                return;
            }
            for segment in &p.path.segments {
                collect_args(&segment.arguments, params, used);
            }
        }
        Type::Array(a) => collect(&a.elem, params, used),
        Type::Slice(s) => collect(&s.elem, params, used),
        Type::Tuple(t) => t.elems.iter().for_each(|e| collect(e, params, used)),
        Type::Reference(r) => collect(&r.elem, params, used),
        Type::Ptr(p) => collect(&p.elem, params, used),
        Type::Paren(p) => collect(&p.elem, params, used),
        Type::Group(g) => collect(&g.elem, params, used),
        Type::BareFn(f) => {
            f.inputs.iter().for_each(|a| collect(&a.ty, params, used));
            if let ReturnType::Type(_, ty) = &f.output {
                collect(ty, params, used);
            }
        }
        Type::TraitObject(t) => collect_bounds(t.bounds.iter(), params, used),
        Type::ImplTrait(t) => collect_bounds(t.bounds.iter(), params, used),
        _ => {}
    }
}

fn collect_args(args: &PathArguments, params: &[String], used: &mut BTreeSet<String>) {
    match args {
        PathArguments::AngleBracketed(a) => {
            for arg in &a.args {
                match arg {
                    GenericArgument::Type(ty) => collect(ty, params, used),
                    GenericArgument::AssocType(assoc) => collect(&assoc.ty, params, used),
                    _ => {}
                }
            }
        }
        PathArguments::Parenthesized(p) => {
            p.inputs.iter().for_each(|ty| collect(ty, params, used));
            if let ReturnType::Type(_, ty) = &p.output {
                collect(ty, params, used);
            }
        }
        PathArguments::None => {}
    }
}

fn collect_bounds<'a>(
    bounds: impl Iterator<Item = &'a TypeParamBound>,
    params: &[String],
    used: &mut BTreeSet<String>,
) {
    for bound in bounds {
        if let TypeParamBound::Trait(t) = bound {
            for segment in &t.path.segments {
                collect_args(&segment.arguments, params, used);
            }
        }
    }
}

/// `where` predicates requiring `Default` for the given fields whose types use a
/// type parameter (concrete types are checked by the compiler where they are used).
pub(crate) fn default_predicates<'f, 'a: 'f>(
    fields: impl Iterator<Item = &'f Field<'a>>,
    params: &[String],
) -> Vec<TokenStream> {
    fields
        .filter(|f| uses_params(f.ty, params))
        .map(|f| {
            let ty = f.ty;
            quote!(#ty: ::core::default::Default)
        })
        .collect()
}

/// For a type with lifetime parameters: a `where` predicate `Ty: bound` for every type
/// read (the saved fields' types and the older types they were saved as) that
/// mentions one of them (for a type that names the type itself, its arguments' parts:
/// see [`borrowing_parts`]). An owned
/// `Deserialize` then applies only where its borrowing fields can be read owned (a
/// `Cow` can, a `&str` cannot), and is never an error. (Types that reach themselves
/// through another type with a lifetime still make a cycle of bounds: loading such a
/// type owned fails to compile with an overflow; docs/borrowed.md.)
pub(crate) fn borrowing_predicates(input: &Input<'_>, bound: TokenStream) -> Vec<TokenStream> {
    let lifetimes: Vec<String> = input
        .generics
        .lifetimes()
        .map(|l| l.lifetime.ident.to_string())
        .collect();
    if lifetimes.is_empty() {
        return Vec::new();
    }
    let mut predicates = Vec::new();
    let mut seen = BTreeSet::new();
    let read_types = input.all_fields().filter(|f| f.is_saved()).flat_map(|f| {
        std::iter::once(f.ty).chain(f.attrs.versions_as.iter().map(|entry| &entry.old_type))
    });
    let own = input.ident.to_string();
    let mut bounded = Vec::new();
    for ty in read_types {
        borrowing_parts(ty, &own, &lifetimes, &mut bounded);
    }
    for ty in bounded {
        if seen.insert(quote!(#ty).to_string()) {
            predicates.push(quote!(#ty: #bound));
        }
    }
    predicates
}

/// The parts of `ty` to bound for [`borrowing_predicates`]: `ty` itself when it names
/// one of `lifetimes` and not the type `own`; when it names `own` too (a recursive
/// field, `Vec<Node<'a>>`), the parts of its type arguments instead, since a bound
/// through the type itself would be a cycle, which the compiler reports as an overflow.
/// (The container's own requirements, `Ord` for a map's key say, hold or fail for its
/// arguments alone.)
fn borrowing_parts<'t>(ty: &'t Type, own: &str, lifetimes: &[String], out: &mut Vec<&'t Type>) {
    if !mentions_lifetime(quote!(#ty), lifetimes) {
        return;
    }
    if !names_ident(quote!(#ty), own) {
        out.push(ty);
        return;
    }
    match ty {
        Type::Path(p) => {
            for segment in &p.path.segments {
                if let PathArguments::AngleBracketed(args) = &segment.arguments {
                    for arg in &args.args {
                        if let GenericArgument::Type(inner) = arg {
                            borrowing_parts(inner, own, lifetimes, out);
                        }
                    }
                }
            }
        }
        Type::Reference(r) => borrowing_parts(&r.elem, own, lifetimes, out),
        Type::Array(a) => borrowing_parts(&a.elem, own, lifetimes, out),
        Type::Slice(s) => borrowing_parts(&s.elem, own, lifetimes, out),
        Type::Paren(p) => borrowing_parts(&p.elem, own, lifetimes, out),
        Type::Group(g) => borrowing_parts(&g.elem, own, lifetimes, out),
        Type::Tuple(t) => t
            .elems
            .iter()
            .for_each(|e| borrowing_parts(e, own, lifetimes, out)),
        _ => {}
    }
}

/// True if `tokens` name one of the `lifetimes` (a `'` followed by its identifier).
fn mentions_lifetime(tokens: TokenStream, lifetimes: &[String]) -> bool {
    let mut after_quote = false;
    for token in tokens {
        match token {
            proc_macro2::TokenTree::Group(group) => {
                if mentions_lifetime(group.stream(), lifetimes) {
                    return true;
                }
                after_quote = false;
            }
            proc_macro2::TokenTree::Punct(punct) => after_quote = punct.as_char() == '\'',
            proc_macro2::TokenTree::Ident(ident) => {
                if after_quote && lifetimes.contains(&ident.to_string()) {
                    return true;
                }
                after_quote = false;
            }
            proc_macro2::TokenTree::Literal(_) => after_quote = false,
        }
    }
    false
}

/// A `where` predicate `Ty: bound` for every type read (saved fields' types and the
/// older types they were saved as) that uses none of the type parameters `params` and
/// does not name the type itself: so that a field of a type lacking the trait (one with
/// a hand-written `Deserialize` only, say) makes the impl not apply instead of failing
/// to compile. Types that use a parameter are covered by the parameter's bound; types
/// that name the type itself are left out, as a bound through them would be a cycle.
pub(crate) fn concrete_predicates(
    input: &Input<'_>,
    params: &[String],
    bound: TokenStream,
) -> Vec<TokenStream> {
    let own = input.ident.to_string();
    let mut seen = BTreeSet::new();
    let read_types = input.all_fields().filter(|f| f.is_saved()).flat_map(|f| {
        std::iter::once(f.ty).chain(f.attrs.versions_as.iter().map(|entry| &entry.old_type))
    });
    read_types
        .filter(|ty| !uses_params(ty, params) && !names_ident(quote!(#ty), &own))
        .filter(|ty| seen.insert(quote!(#ty).to_string()))
        .map(|ty| quote!(#ty: #bound))
        .collect()
}

/// True if `tokens` hold the identifier `name` anywhere.
fn names_ident(tokens: TokenStream, name: &str) -> bool {
    tokens.into_iter().any(|token| match token {
        proc_macro2::TokenTree::Group(group) => names_ident(group.stream(), name),
        proc_macro2::TokenTree::Ident(ident) => ident == name,
        _ => false,
    })
}
