//! `DeserializeBorrowed<'de>`: the read of borrowed loads, generated for every type.
//!
//! A type without lifetimes or type parameters holds no borrows: it reads itself as
//! its `Deserialize` does, with the fast paths generated there (bulk copies, blocks
//! of fixed-size fields). Any other type reads its fields, in declaration order,
//! with their own `DeserializeBorrowed`, so that `&'a str` fields borrow and a type
//! parameter can be a borrowed type; versions, older types, defaults and enum
//! variants are decided as `Deserialize` decides them (the same helpers generate
//! both).
//!
//! The impl's own lifetime is `'__de`, the input's; every lifetime of the type is
//! outlived by it (`'__de: 'a`), as a value cannot borrow longer than its input lives.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{GenericParam, LifetimeParam};

use super::deserialize::{
    in_block, needs_default, one_level, read_value, read_version_tokens, Reader,
};
use super::{attributes, index_bytes};
use crate::ast::{Body, Field, Input};
use crate::attr::DefaultValue;
use crate::bounds;

pub(crate) fn expand(input: &Input<'_>) -> TokenStream {
    let ident = input.ident;
    let lifetimes: Vec<syn::Lifetime> = input
        .generics
        .lifetimes()
        .map(|l| l.lifetime.clone())
        .collect();
    let holds_no_borrows = lifetimes.is_empty() && input.generics.type_params().next().is_none();
    let mut generics = match holds_no_borrows {
        true => input.generics.clone(),
        false => {
            let params = bounds::param_names(input);
            let mut extra = bounds::default_predicates(
                input
                    .all_fields()
                    .filter(|f| needs_default(f) && matches!(f.attrs.default, DefaultValue::Trait)),
                &params,
            );
            extra.extend(bounds::concrete_predicates(
                input,
                &params,
                quote!(::savefile::DeserializeBorrowed<'__de>),
            ));
            bounds::with_bounds(
                input,
                Field::is_saved,
                quote!(::savefile::DeserializeBorrowed<'__de> + ::savefile::Packed),
                extra,
            )
        }
    };
    let mut input_lifetime = LifetimeParam::new(syn::parse_quote!('__de));
    input_lifetime.bounds.extend(lifetimes);
    generics
        .params
        .insert(0, GenericParam::Lifetime(input_lifetime));
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let (_, ty_generics, _) = input.generics.split_for_impl();
    let attrs = attributes(input);
    let items = match holds_no_borrows {
        true => as_owned(),
        false => field_by_field(input),
    };
    quote! {
        #attrs
        impl #impl_generics ::savefile::DeserializeBorrowed<'__de> for #ident #ty_generics #where_clause {
            #items
        }
    }
}

/// The impl's items for a type that holds no borrows: its `Deserialize`.
fn as_owned() -> TokenStream {
    quote! {
        const __SAVEFILE_FLAT: bool = <Self as ::savefile::Deserialize>::__SAVEFILE_FLAT;
        const __SAVEFILE_MIN_SIZE: usize = <Self as ::savefile::Deserialize>::__SAVEFILE_MIN_SIZE;

        #[inline]
        fn deserialize_borrowed(
            deserializer: &mut ::savefile::BorrowedDeserializer<'__de>,
        ) -> ::core::result::Result<Self, ::savefile::SavefileError> {
            <Self as ::savefile::Deserialize>::deserialize(deserializer)
        }
    }
}

/// The impl's items for a type with lifetimes or type parameters: each field read
/// with its own `DeserializeBorrowed`.
fn field_by_field(input: &Input<'_>) -> TokenStream {
    let version = format_ident!("version");
    let body = read_value(input, &version, Reader::Borrowed);
    let read_version = read_version_tokens(input, &version);
    let read = one_level(
        quote!(<Self as ::savefile::DeserializeBorrowed<'__de>>::__SAVEFILE_FLAT),
        quote!(Self),
        quote! {
            #read_version
            #body
        },
    );
    let read_types = input.all_fields().filter(|f| f.is_saved()).flat_map(|f| {
        std::iter::once(f.ty).chain(f.attrs.versions_as.iter().map(|entry| &entry.old_type))
    });
    let flat = quote! {
        true #(&& <#read_types as ::savefile::DeserializeBorrowed<'__de>>::__SAVEFILE_FLAT)*
    };
    let min = match &input.body {
        Body::Struct(shape) => {
            let parts = shape.fields.iter().filter(|f| in_block(f)).map(|f| {
                let ty = f.ty;
                quote!(<#ty as ::savefile::DeserializeBorrowed<'__de>>::__SAVEFILE_MIN_SIZE)
            });
            quote!(::savefile::__private::min_sum(&[#(#parts),*]))
        }
        Body::Enum(_) => {
            let index = usize::from(index_bytes(input));
            quote!(#index)
        }
    };
    quote! {
        const __SAVEFILE_FLAT: bool = #flat;
        const __SAVEFILE_MIN_SIZE: usize = #min;

        #[inline]
        fn deserialize_borrowed(
            deserializer: &mut ::savefile::BorrowedDeserializer<'__de>,
        ) -> ::core::result::Result<Self, ::savefile::SavefileError> {
            #read
        }
    }
}
