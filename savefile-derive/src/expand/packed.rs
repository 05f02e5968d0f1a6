//! `Packed`: whether the type's memory bytes are its saved bytes, per version.
//!
//! A `#[repr(C)]` struct is packed for a version when, in declaration order, the
//! fields saved in that version sit back to back from offset 0 to the end of the
//! type (no padding anywhere), each is packed itself, the fields absent from that
//! version take no memory, no field is saved as an older type, and the host is
//! little-endian. The generated function measures this with `offset_of!` and
//! `size_of`; with `#[savefile_require_fast]`, padding is also a compile error.
//! Enums are not packed yet; they take the field-by-field path.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};

use super::{attributes, in_range, type_name};
use crate::ast::{Body, Field, Input, Shape};
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
    let body = match &input.body {
        Body::Struct(shape) if input.attrs.repr_c && shape.fields.iter().all(Field::is_saved) => {
            Some(struct_check(shape))
        }
        _ => None,
    };
    let method = body.map(|body| {
        quote! {
            unsafe fn repr_c_optimization_safe(version: u32) -> ::savefile::IsPacked {
                #body
            }
        }
    });
    let compile_time = compile_time_check(input);
    quote! {
        #attrs
        impl #impl_generics ::savefile::Packed for #ident #ty_generics #where_clause {
            #method
        }
        #compile_time
    }
}

/// The body of `repr_c_optimization_safe` for a `#[repr(C)]` struct.
fn struct_check(shape: &Shape<'_>) -> TokenStream {
    let version = format_ident!("version");
    let steps = shape.fields.iter().map(|field| {
        let ty = field.ty;
        let member = &field.member;
        let own = in_range(field.range(), &version);
        let older = field.attrs.versions_as.iter().map(|entry| {
            let test = in_range(entry.range, &version);
            quote!(else if #test { packed = false; })
        });
        quote! {
            if #own {
                let offset = ::core::mem::offset_of!(Self, #member);
                // SAFETY: asking whether a field type is packed has no preconditions.
                let field_packed = unsafe { <#ty as ::savefile::Packed>::repr_c_optimization_safe(version) };
                packed = packed && offset == end && field_packed.is_yes();
                end = offset + ::core::mem::size_of::<#ty>();
            } #(#older)* else {
                // Absent from this version's bytes: fine only if absent from memory too.
                packed = packed && ::core::mem::size_of::<#ty>() == 0;
            }
        }
    });
    quote! {
        let mut packed = cfg!(target_endian = "little");
        let mut end = 0usize;
        #(#steps)*
        if packed && end == ::core::mem::size_of::<Self>() {
            // SAFETY: the struct is #[repr(C)], so its fields lie in declaration order.
            // The fields saved in this version were just measured to be contiguous from
            // offset 0 to the end of the type (no padding), each is itself packed (its
            // memory bytes are its saved bytes, every bit pattern valid), the fields not
            // saved in this version are zero-sized, and the host is little-endian: the
            // struct's memory bytes are exactly its saved bytes for this version.
            unsafe { ::savefile::IsPacked::yes() }
        } else {
            ::savefile::IsPacked::no()
        }
    }
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
