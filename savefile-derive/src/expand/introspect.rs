//! `Introspect`: the value is the type's name (or its key field's value, or the
//! variant's name), the children are the fields not marked `savefile_introspect_ignore`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{attributes, type_name};
use crate::ast::{Body, Field, Input, Shape};
use crate::bounds;

fn shown(field: &Field<'_>) -> bool {
    !field.attrs.introspect_ignore
}

pub(crate) fn expand(input: &Input<'_>) -> TokenStream {
    let ident = input.ident;
    let generics = bounds::with_bounds(input, shown, quote!(::savefile::Introspect), Vec::new());
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let (value, child, len) = match &input.body {
        Body::Struct(shape) => {
            let access: Vec<TokenStream> = shape
                .fields
                .iter()
                .map(|f| {
                    let member = &f.member;
                    quote!(&self.#member)
                })
                .collect();
            let name = type_name(input);
            let value = key_value(shape, &access)
                .unwrap_or_else(|| quote!(::std::string::String::from(#name)));
            let (child, len) = children(shape, &access);
            (value, child, len)
        }
        Body::Enum(variants) if variants.is_empty() => (
            quote!(match *self {}),
            quote!(match *self {}),
            quote!(match *self {}),
        ),
        Body::Enum(variants) => {
            let mut values = Vec::new();
            let mut childs = Vec::new();
            let mut lens = Vec::new();
            for variant in variants {
                let name = variant.ident;
                let bindings = variant.shape.bindings();
                let binding_tokens: Vec<TokenStream> =
                    bindings.iter().map(|b| quote!(#b)).collect();
                let pattern = variant.shape.construct(&binding_tokens);
                let ignore_all = variant.shape.construct(&vec![quote!(_); bindings.len()]);
                // As the reference crate shows a variant: `Enum::Variant`.
                let variant_name = format!("{}::{}", type_name(input), name);
                let value = key_value(&variant.shape, &binding_tokens)
                    .unwrap_or_else(|| quote!(::std::string::String::from(#variant_name)));
                let (child, len) = children(&variant.shape, &binding_tokens);
                // Bind only the key field (if any) for the value.
                let key_only: Vec<TokenStream> = variant
                    .shape
                    .fields
                    .iter()
                    .zip(&binding_tokens)
                    .map(|(f, b)| {
                        if f.attrs.introspect_key.is_some() {
                            b.clone()
                        } else {
                            quote!(_)
                        }
                    })
                    .collect();
                let value_pattern = variant.shape.construct(&key_only);
                values.push(quote!(#ident::#name #value_pattern => #value,));
                childs.push(quote!(#ident::#name #pattern => #child,));
                lens.push(quote!(#ident::#name #ignore_all => #len,));
            }
            (
                quote!(match self { #(#values)* }),
                quote!(match self { #(#childs)* }),
                quote!(match self { #(#lens)* }),
            )
        }
    };
    let attrs = attributes(input);
    quote! {
        #attrs
        impl #impl_generics ::savefile::Introspect for #ident #ty_generics #where_clause {
            fn introspect_value(&self) -> ::std::string::String {
                #value
            }
            fn introspect_child<'savefile_a>(
                &'savefile_a self,
                index: usize,
            ) -> ::core::option::Option<::std::boxed::Box<dyn ::savefile::IntrospectItem<'savefile_a> + 'savefile_a>> {
                #child
            }
            fn introspect_len(&self) -> usize {
                #len
            }
        }
    }
}

/// The key field's value, if the shape has a `savefile_introspect_key`.
fn key_value(shape: &Shape<'_>, access: &[TokenStream]) -> Option<TokenStream> {
    shape
        .fields
        .iter()
        .zip(access)
        .find(|(f, _)| f.attrs.introspect_key.is_some())
        .map(|(_, access)| quote!(::savefile::Introspect::introspect_value(#access)))
}

/// The `introspect_child` match and the child count.
fn children(shape: &Shape<'_>, access: &[TokenStream]) -> (TokenStream, TokenStream) {
    let visible: Vec<_> = shape
        .fields
        .iter()
        .zip(access)
        .filter(|(f, _)| shown(f))
        .collect();
    let count = visible.len();
    let arms = visible.iter().enumerate().map(|(i, (field, access))| {
        let name = &field.name;
        quote!(#i => ::core::option::Option::Some(::savefile::introspect_item(::std::string::String::from(#name), #access)),)
    });
    // Bindings unused by a variant with no visible fields must not warn.
    let silence: Vec<TokenStream> = shape
        .fields
        .iter()
        .zip(access)
        .filter(|(f, _)| !shown(f))
        .map(|(_, access)| quote!(let _ = #access;))
        .collect();
    (
        quote! {{
            #(#silence)*
            match index {
                #(#arms)*
                _ => ::core::option::Option::None,
            }
        }},
        quote!(#count),
    )
}
