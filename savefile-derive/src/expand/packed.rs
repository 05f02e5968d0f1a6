//! `Packed`: whether (and how) the type's memory bytes are its saved bytes, per version.
//!
//! A struct is copied in bulk for a version when, in declaration order, the fields
//! saved in that version sit back to back from offset 0 to the end of the type (no
//! padding anywhere, and no reordering: without `#[repr(C)]` Rust may reorder fields,
//! which the measurement then catches), each is copied in bulk itself, the fields absent from
//! that version take no memory, no field is saved as an older type, and the host is
//! little-endian. It is *plain* (`repr_c_optimization_safe` says yes) when every
//! field is; when some field needs its bytes checked (a `bool`, a `char`, an enum),
//! so does the struct, field by field at its offset.
//!
//! A `#[repr(u8/u16/u32)]` enum (not also `repr(C)`) without generics is copied in
//! bulk, always checked, when its Rust discriminants are its declaration indexes and
//! every variant, laid out as Rust lays out such enums (a `#[repr(C)]` struct of the
//! tag and the variant's fields), has its fields right after the tag, back to back,
//! ending exactly at the enum's size, each copied in bulk itself. The check reads the
//! tag, refuses indexes that are not variants of the file's version, and checks the
//! variant's fields. Everything is measured with `size_of` and `offset_of!`; with
//! `#[savefile_require_fast]`, padding is also a compile error.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};

use super::layout::{self, field_offset, mirror_name, tag_type};

use super::{attributes, in_range, index_bytes, type_name};
use crate::ast::{Body, Field, Input, Shape, Variant};
use crate::attr::IntRepr;
use crate::bounds;

pub(crate) fn expand(input: &Input<'_>) -> TokenStream {
    let ident = input.ident;
    let generics = bounds::with_bounds(
        input,
        Field::is_saved,
        quote!(::savefile::Packed),
        Vec::new(),
    );
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let attrs = attributes(input);
    let methods = match &input.body {
        Body::Struct(shape) if shape.fields.iter().all(Field::is_saved) => {
            Some(struct_methods(shape))
        }
        Body::Enum(variants) if enum_is_candidate(input, variants) => {
            Some(enum_methods(input, variants))
        }
        _ => None,
    };
    let compile_time = compile_time_check(input).or_else(|| enum_compile_time_check(input));
    quote! {
        #attrs
        impl #impl_generics ::savefile::Packed for #ident #ty_generics #where_clause {
            #methods
        }
        #compile_time
    }
}

/// `repr_c_optimization_safe` from `__savefile_bulk_copy`: yes only for `Plain`.
fn plain_from_bulk() -> TokenStream {
    quote! {
        #[inline]
        unsafe fn repr_c_optimization_safe(version: u32) -> ::savefile::IsPacked {
            // SAFETY: asking has no preconditions.
            let bulk = unsafe { <Self as ::savefile::Packed>::__savefile_bulk_copy(version) };
            if bulk == ::savefile::__private::BulkCopy::Plain {
                // SAFETY: `Plain` was established by `__savefile_bulk_copy` below, whose
                // comments give the reasons; it is exactly this promise.
                unsafe { ::savefile::IsPacked::yes() }
            } else {
                ::savefile::IsPacked::no()
            }
        }
    }
}

/// The bytes of the field at `offset` within `bytes`, or a short-read error.
fn field_bytes(offset: TokenStream, ty: &syn::Type) -> TokenStream {
    quote! {
        bytes
            .get(#offset..#offset + ::core::mem::size_of::<#ty>())
            .ok_or(::savefile::SavefileError::ShortRead)?
    }
}

/// The `Packed` methods of a struct.
fn struct_methods(shape: &Shape<'_>) -> TokenStream {
    let version = format_ident!("version");
    let steps = shape.fields.iter().map(|field| {
        let ty = field.ty;
        let member = &field.member;
        let own = in_range(field.range(), &version);
        let older = field.attrs.versions_as.iter().map(|entry| {
            let test = in_range(entry.range, &version);
            quote!(else if #test { bulk = ::savefile::__private::BulkCopy::No; })
        });
        quote! {
            if #own {
                let offset = ::core::mem::offset_of!(Self, #member);
                bulk = bulk.then(::savefile::__private::bulk_copy::<#ty>(version), offset == end);
                end = offset + ::core::mem::size_of::<#ty>();
            } #(#older)* else if ::core::mem::size_of::<#ty>() != 0 {
                // Absent from this version's bytes: fine only if absent from memory too.
                bulk = ::savefile::__private::BulkCopy::No;
            }
        }
    });
    let checks = shape.fields.iter().map(|field| {
        let ty = field.ty;
        let member = &field.member;
        let own = in_range(field.range(), &version);
        let bytes = field_bytes(quote!(::core::mem::offset_of!(Self, #member)), ty);
        quote! {
            if #own {
                <#ty as ::savefile::Packed>::__savefile_check(version, #bytes)?;
            }
        }
    });
    let plain = plain_from_bulk();
    quote! {
        #plain

        #[inline]
        unsafe fn __savefile_bulk_copy(version: u32) -> ::savefile::__private::BulkCopy {
            // The fields saved in this version must lie in declaration order, contiguous
            // from offset 0 to the end of the type (no padding, measured here with the
            // layout the compiler chose, whatever the repr), each copied in bulk itself; those not saved in
            // this version must take no memory; the host must be little-endian. Then
            // the struct's memory bytes are its saved bytes, and a value is valid when
            // each field's bytes are, which `__savefile_check` verifies field by field.
            let mut bulk = if cfg!(target_endian = "little") {
                ::savefile::__private::BulkCopy::Plain
            } else {
                ::savefile::__private::BulkCopy::No
            };
            let mut end = 0usize;
            #(#steps)*
            if end != ::core::mem::size_of::<Self>() {
                bulk = ::savefile::__private::BulkCopy::No;
            }
            bulk
        }

        #[inline]
        fn __savefile_check(
            version: u32,
            bytes: &[u8],
        ) -> ::core::result::Result<(), ::savefile::SavefileError> {
            #(#checks)*
            ::core::result::Result::Ok(())
        }
    }
}

/// True if the enum may be copied in bulk: an unsigned integer repr of 1, 2 or 4
/// bytes without `repr(C)`, no generics, and Rust discriminants equal to the
/// declaration indexes.
fn enum_is_candidate(input: &Input<'_>, variants: &[Variant<'_>]) -> bool {
    let unsigned = matches!(
        input.attrs.int_repr,
        Some(IntRepr::U8 | IntRepr::U16 | IntRepr::U32)
    );
    unsigned
        && layout::has_mirrors(input)
        && !variants.is_empty()
        && discriminants_are_indexes(variants)
}

/// True if every variant's Rust discriminant is its declaration index.
fn discriminants_are_indexes(variants: &[Variant<'_>]) -> bool {
    let mut next: u64 = 0;
    for variant in variants {
        let value = match variant.discriminant {
            None => next,
            Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(int),
                ..
            })) => match int.base10_parse::<u64>() {
                Ok(value) => value,
                Err(_) => return false,
            },
            Some(_) => return false,
        };
        if value != u64::from(variant.index) {
            return false;
        }
        next = value + 1;
    }
    true
}

/// The `Packed` methods of an enum copied in bulk, measured with the variants'
/// mirror structs (see `layout`).
fn enum_methods(input: &Input<'_>, variants: &[Variant<'_>]) -> TokenStream {
    let tag = tag_type(input);
    let version = format_ident!("version");
    let layout = variants.iter().map(|variant| {
        let mirror = mirror_name(variant);
        let steps = variant.shape.fields.iter().enumerate().map(|(i, field)| {
            let ty = field.ty;
            let own = in_range(field.range(), &version);
            let older = field.attrs.versions_as.iter().map(|entry| {
                let test = in_range(entry.range, &version);
                quote!(else if #test { bulk = ::savefile::__private::BulkCopy::No; })
            });
            let ignored = (!field.is_saved()).then(|| quote!(bulk = ::savefile::__private::BulkCopy::No;));
            let offset = field_offset(variant, i);
            quote! {
                #ignored
                if #own {
                    let offset = #offset;
                    bulk = bulk.then(::savefile::__private::bulk_copy::<#ty>(version), offset == end);
                    end = offset + ::core::mem::size_of::<#ty>();
                } #(#older)* else if ::core::mem::size_of::<#ty>() != 0 {
                    bulk = ::savefile::__private::BulkCopy::No;
                }
            }
        });
        quote! {{
            let mut end = ::core::mem::size_of::<#tag>();
            if ::core::mem::size_of::<#mirror>() != ::core::mem::size_of::<Self>() {
                bulk = ::savefile::__private::BulkCopy::No;
            }
            #(#steps)*
            if end != ::core::mem::size_of::<Self>() {
                bulk = ::savefile::__private::BulkCopy::No;
            }
        }}
    });
    let type_name = type_name(input);
    let tag_bytes = index_bytes(input) as usize;
    let arms = variants.iter().map(|variant| {
        let index = variant.index;
        let guard = (variant.attrs.range() != crate::attr::VersionRange::ALL).then(|| {
            let test = in_range(variant.attrs.range(), &version);
            quote!(if #test)
        });
        let checks = variant.shape.fields.iter().enumerate().map(|(i, field)| {
            let ty = field.ty;
            let own = in_range(field.range(), &version);
            let bytes = field_bytes(field_offset(variant, i), ty);
            quote! {
                if #own {
                    <#ty as ::savefile::Packed>::__savefile_check(version, #bytes)?;
                }
            }
        });
        quote!(#index #guard => { #(#checks)* ::core::result::Result::Ok(()) })
    });
    let methods = quote! {
        #[inline]
        unsafe fn repr_c_optimization_safe(_version: u32) -> ::savefile::IsPacked {
            // Not every tag is a variant: never plain, at best checked.
            ::savefile::IsPacked::no()
        }

        #[inline]
        unsafe fn __savefile_bulk_copy(version: u32) -> ::savefile::__private::BulkCopy {
            // An enum with a primitive repr is laid out as a union of #[repr(C)]
            // structs, one per variant: the tag (the Rust discriminant, here equal to
            // the declaration index that is saved), then the variant's fields. Each
            // mirror struct has that layout. When every variant's fields follow the
            // tag back to back and end exactly at the enum's size, each copied in bulk
            // itself, and the host is little-endian, the enum's memory bytes are its
            // saved bytes; `__savefile_check` then verifies the tag names a variant of
            // the file's version and that variant's fields are valid.
            let mut bulk = if cfg!(target_endian = "little") {
                ::savefile::__private::BulkCopy::Checked
            } else {
                ::savefile::__private::BulkCopy::No
            };
            #(#layout)*
            bulk
        }

        #[inline]
        fn __savefile_check(
            version: u32,
            bytes: &[u8],
        ) -> ::core::result::Result<(), ::savefile::SavefileError> {
            let _ = version;
            let mut tag = [0u8; 4];
            tag[..#tag_bytes].copy_from_slice(
                bytes.get(..#tag_bytes).ok_or(::savefile::SavefileError::ShortRead)?,
            );
            let tag = u32::from_le_bytes(tag);
            match tag {
                #(#arms)*
                _ => ::core::result::Result::Err(::savefile::SavefileError::InvalidTag {
                    type_name: #type_name,
                    tag: tag as u64,
                }),
            }
        }
    };
    methods
}

/// With `#[savefile_require_fast]` on an enum measured through mirror structs: a
/// compile-time check that every variant's fields follow the tag without padding
/// and end exactly at the enum's size, naming the first gap.
fn enum_compile_time_check(input: &Input<'_>) -> Option<TokenStream> {
    input.attrs.require_fast?;
    let Body::Enum(variants) = &input.body else {
        return None;
    };
    if !layout::has_mirrors(input) {
        return None;
    }
    let ident = input.ident;
    let name = type_name(input);
    let tag = tag_type(input);
    let checks = variants.iter().map(|variant| {
        let variant_name = variant.ident.to_string();
        let steps = variant.shape.fields.iter().enumerate().filter(|(_, f)| f.range().is_open()).map(|(i, field)| {
            let ty = field.ty;
            let offset = field_offset(variant, i);
            let message = format!(
                "#[savefile_require_fast]: in `{name}::{variant_name}`, there is padding before field `{}`; \
                 reorder the fields or add explicit padding fields so that every byte belongs to a field",
                field.name
            );
            let fail = quote_spanned!(field.loc.start()=> ::core::panic!(#message));
            quote! {
                if #offset != end {
                    #fail;
                }
                end = #offset + ::core::mem::size_of::<#ty>();
            }
        });
        let short = format!(
            "#[savefile_require_fast]: `{name}::{variant_name}` does not fill the enum: there is padding \
             after its last field; add a padding field (like `_pad: [u8; N]`) so that every variant \
             has the same size"
        );
        let fail = quote_spanned!(variant.ident.span()=> ::core::panic!(#short));
        quote! {{
            let mut end = ::core::mem::size_of::<#tag>();
            #(#steps)*
            if end != ::core::mem::size_of::<#ident>() {
                #fail;
            }
        }}
    });
    Some(quote! {
        const _: () = {
            #(#checks)*
        };
    })
}

/// With `#[savefile_require_fast]` on a non-generic struct: a compile-time check that
/// the fields of the current layout leave no padding, naming the first gap.
fn compile_time_check(input: &Input<'_>) -> Option<TokenStream> {
    input.attrs.require_fast?;
    if input.generics.type_params().next().is_some() || input.generics.lifetimes().next().is_some()
    {
        return None;
    }
    let Body::Struct(shape) = &input.body else {
        return None;
    };
    if !input.attrs.repr_c {
        return None;
    }
    let ident = input.ident;
    let name = type_name(input);
    // The current layout: fields that are saved from some version on, without end.
    let current: Vec<&Field<'_>> = shape
        .fields
        .iter()
        .filter(|f| f.is_saved() && f.range().is_open())
        .collect();
    // Each panic carries the span of the field it names, so the compiler's
    // "evaluation panicked" error points at that field.
    let steps = current.iter().map(|field| {
        let member = &field.member;
        let ty = field.ty;
        let message = format!(
            "#[savefile_require_fast]: `{name}` has padding before field `{}`; add explicit \
             padding fields (like `_pad: [u8; N]`) so that every byte belongs to a field",
            field.name
        );
        let fail = quote_spanned!(field.loc.start()=> ::core::panic!(#message));
        quote! {
            if ::core::mem::offset_of!(#ident, #member) != end {
                #fail;
            }
            end = ::core::mem::offset_of!(#ident, #member) + ::core::mem::size_of::<#ty>();
        }
    });
    let (tail_span, last) = match current.last() {
        Some(field) => (field.loc.start(), format!(" `{}`", field.name)),
        None => (ident.span(), String::new()),
    };
    let tail = format!(
        "#[savefile_require_fast]: `{name}` has padding after its last field{last}; add explicit \
         padding fields (like `_pad: [u8; N]`) so that every byte belongs to a field"
    );
    let tail_fail = quote_spanned!(tail_span=> ::core::panic!(#tail));
    Some(quote! {
        const _: () = {
            let mut end = 0usize;
            #(#steps)*
            if ::core::mem::size_of::<#ident>() != end {
                #tail_fail;
            }
        };
    })
}
