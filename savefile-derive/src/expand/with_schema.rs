//! `WithSchema`: the schema of the type as of any data version.
//!
//! As savefile 0.20 describes them: a struct records its size and alignment, and
//! each field its offset when the field is saved up to the newest version (older
//! fields and `savefile_versions_as` stand-ins get none); fields absent from a
//! version are left out of its schema. An enum records the declaration index of
//! each variant present in the version (variants added later are left out, the
//! others keep their index), its index width, whether it is `#[repr(C)]`, and its
//! size and alignment. Ignored fields are never in a schema.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{attributes, in_range, index_bytes, layout, type_name};
use crate::ast::{Body, Field, Input, Shape};
use crate::attr::VersionRange;
use crate::bounds;

pub(crate) fn expand(input: &Input<'_>) -> TokenStream {
    let ident = input.ident;
    let generics = bounds::with_bounds(
        input,
        Field::is_saved,
        quote!(::savefile::WithSchema),
        Vec::new(),
    );
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let version = format_ident!("version");
    let name = type_name(input);
    let body = match &input.body {
        Body::Struct(shape) => {
            let fields = fields(shape, &version, |_, field| {
                let member = &field.member;
                Some(quote!(::core::mem::offset_of!(Self, #member)))
            });
            quote! {
                #fields
                ::savefile::Schema::Struct(::savefile::SchemaStruct::new_with_layout(
                    ::std::string::String::from(#name),
                    fields,
                    ::core::option::Option::Some(::core::mem::size_of::<Self>()),
                    ::core::option::Option::Some(::core::mem::align_of::<Self>()),
                ))
            }
        }
        Body::Enum(variants) => {
            let pushes = variants.iter().map(|variant| {
                let variant_name = variant.ident.to_string();
                // The saved discriminant is the declaration index, truncated to a byte.
                let discriminant = variant.index as u8;
                // Variant field offsets are known only through the mirror structs of
                // enums with a primitive representation (as savefile 0.20 records them).
                let mirrored = layout::has_mirrors(input);
                let fields = fields(&variant.shape, &version, |i, _| {
                    mirrored.then(|| layout::field_offset(variant, i))
                });
                let push = quote! {{
                    #fields
                    variants.push(::savefile::Variant {
                        name: ::std::string::String::from(#variant_name),
                        discriminant: #discriminant,
                        fields,
                    });
                }};
                if variant.attrs.range() == VersionRange::ALL {
                    push
                } else {
                    let test = in_range(variant.attrs.range(), &version);
                    quote!(if #test #push)
                }
            });
            let discriminant_size = index_bytes(input);
            let repr_c = input.attrs.repr_c;
            quote! {
                let mut variants = ::std::vec::Vec::new();
                #(#pushes)*
                ::savefile::Schema::Enum(::savefile::SchemaEnum {
                    dbg_name: ::std::string::String::from(#name),
                    variants,
                    discriminant_size: #discriminant_size,
                    has_explicit_repr: #repr_c,
                    size: ::core::option::Option::Some(::core::mem::size_of::<Self>()),
                    alignment: ::core::option::Option::Some(::core::mem::align_of::<Self>()),
                })
            }
        }
    };
    let attrs = attributes(input);
    quote! {
        #attrs
        impl #impl_generics ::savefile::WithSchema for #ident #ty_generics #where_clause {
            fn schema(
                #version: u32,
                context: &mut ::savefile::WithSchemaContext,
            ) -> ::savefile::Schema {
                let _ = (&#version, &context);
                #body
            }
        }
    }
}

/// Declares `fields` and pushes the schema of every field the version saves.
/// `offset` gives the expression of a field's memory offset (by position), or
/// `None` when it cannot be measured; only current fields record theirs.
fn fields(
    shape: &Shape<'_>,
    version: &Ident,
    offset: impl Fn(usize, &Field<'_>) -> Option<TokenStream>,
) -> TokenStream {
    let pushes = shape.fields.iter().enumerate().filter(|(_, f)| f.is_saved()).map(|(i, field)| {
        let name = &field.name;
        let ty = field.ty;
        let offset = match offset(i, field) {
            Some(measured) if field.range().is_open() => quote!(::core::option::Option::Some(#measured)),
            _ => quote!(::core::option::Option::None),
        };
        let own = quote! {
            fields.push(::savefile::Field::new_with_offset(
                ::std::string::String::from(#name),
                ::std::boxed::Box::new(<#ty as ::savefile::WithSchema>::schema(#version, context)),
                #offset,
            ));
        };
        if field.range() == VersionRange::ALL && field.attrs.versions_as.is_empty() {
            return own;
        }
        let test = in_range(field.range(), version);
        let older = field.attrs.versions_as.iter().map(|entry| {
            let test = in_range(entry.range, version);
            let old_type = &entry.old_type;
            quote! {
                else if #test {
                    fields.push(::savefile::Field::new(
                        ::std::string::String::from(#name),
                        ::std::boxed::Box::new(<#old_type as ::savefile::WithSchema>::schema(#version, context)),
                    ));
                }
            }
        });
        quote!(if #test { #own } #(#older)*)
    });
    quote! {
        #[allow(unused_mut)]
        let mut fields = ::std::vec::Vec::<::savefile::Field>::new();
        #(#pushes)*
    }
}
