//! `Deserialize`: reads exactly the fields of the file's version, converts fields
//! saved as an older type, and fills the rest with their defaults.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{attributes, in_range, index_bytes, type_name};
use crate::ast::{Body, Field, Input, Shape};
use crate::attr::{DefaultValue, VersionRange};
use crate::bounds;

pub(crate) fn expand(input: &Input<'_>) -> TokenStream {
    let ident = input.ident;
    let params = bounds::param_names(input);
    let defaulted = bounds::default_predicates(
        input
            .all_fields()
            .filter(|f| needs_default(f) && matches!(f.attrs.default, DefaultValue::Trait)),
        &params,
    );
    let generics = bounds::with_bounds(
        input,
        Field::is_saved,
        quote!(::savefile::Deserialize + ::savefile::Packed),
        defaulted,
    );
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let version = format_ident!("version");
    let body = match &input.body {
        Body::Struct(shape) => {
            let construct = shape.construct(&values(&type_name(input), shape, &version));
            quote!(::core::result::Result::Ok(#ident #construct))
        }
        Body::Enum(variants) => {
            let read_index = match index_bytes(input) {
                1 => quote!(deserializer.read_u8()? as u32),
                2 => quote!(deserializer.read_u16()? as u32),
                _ => quote!(deserializer.read_u32()?),
            };
            let arms = variants.iter().map(|variant| {
                let name = variant.ident;
                let index = variant.index;
                let guard = (variant.attrs.range() != VersionRange::ALL).then(|| {
                    let test = in_range(variant.attrs.range(), &version);
                    quote!(if #test)
                });
                let owner = format!("{}::{}", type_name(input), name);
                let construct = variant
                    .shape
                    .construct(&values(&owner, &variant.shape, &version));
                quote!(#index #guard => ::core::result::Result::Ok(#ident::#name #construct),)
            });
            let type_name = type_name(input);
            quote! {
                let index: u32 = #read_index;
                match index {
                    #(#arms)*
                    _ => ::core::result::Result::Err(::savefile::SavefileError::InvalidTag {
                        type_name: #type_name,
                        tag: index as u64,
                    }),
                }
            }
        }
    };
    let read_version = read_version_tokens(input, &version);
    let into = match &input.body {
        Body::Struct(shape) if !shape.fields.is_empty() => Some(deserialize_into(
            input,
            shape,
            &version,
            read_version.clone(),
        )),
        _ => None,
    };
    // A struct whose memory bytes are its saved bytes in the file's version (see
    // `expand/packed.rs`) is read with one copy, as `Serialize` writes it.
    let whole = match &input.body {
        Body::Struct(shape) if shape.fields.iter().all(Field::is_saved) => Some(quote! {
            if let ::core::option::Option::Some(value) =
                ::savefile::__private::read_value::<Self>(deserializer)?
            {
                return ::core::result::Result::Ok(value);
            }
        }),
        _ => None,
    };
    // Flat when every type read is: then no input can make the read recurse.
    let read_types = input.all_fields().filter(|f| f.is_saved()).flat_map(|f| {
        std::iter::once(f.ty).chain(f.attrs.versions_as.iter().map(|entry| &entry.old_type))
    });
    let flat = quote!(true #(&& <#read_types as ::savefile::Deserialize>::__SAVEFILE_FLAT)*);
    let attrs = attributes(input);
    quote! {
        #attrs
        impl #impl_generics ::savefile::Deserialize for #ident #ty_generics #where_clause {
            const __SAVEFILE_FLAT: bool = #flat;

            #[inline]
            fn deserialize(
                deserializer: &mut ::savefile::Deserializer<impl ::std::io::Read>,
            ) -> ::core::result::Result<Self, ::savefile::SavefileError> {
                #whole
                // Every derived value that could contain another of its kind is one
                // level of nesting: recursive data cannot go deeper than the
                // deserializer's limit, whatever the input says.
                let nests = !<Self as ::savefile::Deserialize>::__SAVEFILE_FLAT;
                if nests {
                    deserializer.enter_nested()?;
                }
                let value = (|| -> ::core::result::Result<Self, ::savefile::SavefileError> {
                    #read_version
                    #body
                })();
                if nests {
                    deserializer.leave_nested();
                }
                value
            }

            #into
        }
    }
}

/// `let version = deserializer.file_version;` when some field or variant needs it.
fn read_version_tokens(input: &Input<'_>, version: &Ident) -> Option<TokenStream> {
    let uses_version = input.all_fields().any(|f| f.is_saved() && is_versioned(f))
        || matches!(&input.body, Body::Enum(v) if v.iter().any(|v| v.attrs.versions.is_some()));
    uses_version.then(|| quote!(let #version = deserializer.file_version;))
}

/// `__savefile_deserialize_into` for a struct: each field is read and written into
/// its place in the slot, in declaration order, with a guard that drops the fields
/// already written if a later one fails.
fn deserialize_into(
    input: &Input<'_>,
    shape: &Shape<'_>,
    version: &Ident,
    read_version: Option<TokenStream>,
) -> TokenStream {
    let owner = type_name(input);
    let members: Vec<_> = shape.fields.iter().map(|f| &f.member).collect();
    let drops = members.iter().enumerate().map(|(index, member)| {
        quote! {
            if done > #index {
                ::core::ptr::drop_in_place(::core::ptr::addr_of_mut!((*place).#member));
            }
        }
    });
    let writes = shape.fields.iter().enumerate().map(|(index, field)| {
        let member = &field.member;
        let ty = field.ty;
        let done = index + 1;
        if field.is_saved() && !is_versioned(field) {
            // Read in place too, so that a nested struct or a string is not assembled
            // elsewhere and copied either.
            return quote! {
                let _: ::savefile::__private::Written =
                    <#ty as ::savefile::Deserialize>::__savefile_deserialize_into(
                        deserializer,
                        // SAFETY: the field's place within the slot's storage is valid
                        // and aligned for the field's type, and `MaybeUninit<F>` has the
                        // layout of `F`; nothing else refers to it while it is written.
                        unsafe {
                            &mut *::core::ptr::addr_of_mut!((*place).#member)
                                .cast::<::core::mem::MaybeUninit<#ty>>()
                        },
                    )?;
                guard.done = #done;
            };
        }
        let value = value(&owner, field, version);
        quote! {
            let value = #value;
            // SAFETY: `place` is the slot's storage, valid and aligned for a `Self`;
            // each field is written exactly once, before `done` counts it.
            unsafe { ::core::ptr::addr_of_mut!((*place).#member).write(value) };
            guard.done = #done;
        }
    });
    let whole = shape.fields.iter().all(Field::is_saved).then(|| {
        quote! {
            if let ::core::option::Option::Some(value) =
                ::savefile::__private::read_value::<Self>(deserializer)?
            {
                slot.write(value);
                // SAFETY: `slot` was just initialised with a value.
                return ::core::result::Result::Ok(unsafe { ::savefile::__private::Written::new() });
            }
        }
    });
    quote! {
        #[inline]
        fn __savefile_deserialize_into(
            deserializer: &mut ::savefile::Deserializer<impl ::std::io::Read>,
            slot: &mut ::core::mem::MaybeUninit<Self>,
        ) -> ::core::result::Result<::savefile::__private::Written, ::savefile::SavefileError> {
            #whole
            let nests = !<Self as ::savefile::Deserialize>::__SAVEFILE_FLAT;
            if nests {
                deserializer.enter_nested()?;
            }
            let place: *mut Self = slot.as_mut_ptr();
            let written = (|| -> ::core::result::Result<(), ::savefile::SavefileError> {
                #read_version
                let mut guard = ::savefile::__private::PartialDrop {
                    place,
                    done: 0usize,
                    drop_fields: |place: *mut Self, done: usize| {
                        // SAFETY: the first `done` fields in declaration order were
                        // written below and not moved out since; each is dropped once.
                        unsafe { #(#drops)* }
                    },
                };
                #(#writes)*
                // Every field is written: the value is complete and the slot owns it.
                ::core::mem::forget(guard);
                ::core::result::Result::Ok(())
            })();
            if nests {
                deserializer.leave_nested();
            }
            written?;
            // SAFETY: every field of the value at `place` was written above.
            ::core::result::Result::Ok(unsafe { ::savefile::__private::Written::new() })
        }
    }
}

/// True if the field is not read in every version.
fn is_versioned(field: &Field<'_>) -> bool {
    field.range() != VersionRange::ALL || !field.attrs.versions_as.is_empty()
}

/// True if some version (or every one, for ignored fields) takes the field's default.
fn needs_default(field: &Field<'_>) -> bool {
    !field.is_saved() || field.range() != VersionRange::ALL
}

/// The value expression of each field, in declaration order (which is also the
/// order in which a struct expression evaluates them, and so the order of reading).
fn values(owner: &str, shape: &Shape<'_>, version: &Ident) -> Vec<TokenStream> {
    shape
        .fields
        .iter()
        .map(|f| value(owner, f, version))
        .collect()
}

fn value(owner: &str, field: &Field<'_>, version: &Ident) -> TokenStream {
    let ty = field.ty;
    let default = match &field.attrs.default {
        DefaultValue::Trait => quote!(::core::default::Default::default()),
        DefaultValue::Value(expr) => quote!(#expr),
        DefaultValue::Function(path) => quote!(#path()),
        DefaultValue::Parsed(text) => {
            let item = format!("{owner}.{}", field.name);
            quote! {
                match <#ty as ::core::str::FromStr>::from_str(#text) {
                    ::core::result::Result::Ok(value) => value,
                    ::core::result::Result::Err(_) => {
                        return ::core::result::Result::Err(::savefile::SavefileError::InvalidDefault {
                            item: #item,
                        })
                    }
                }
            }
        }
    };
    if !field.is_saved() {
        return default;
    }
    let read = quote!(<#ty as ::savefile::Deserialize>::deserialize(deserializer)?);
    if !is_versioned(field) {
        return read;
    }
    let own = in_range(field.range(), version);
    let older = field.attrs.versions_as.iter().map(|entry| {
        let test = in_range(entry.range, version);
        let old_type = &entry.old_type;
        let old = quote!(<#old_type as ::savefile::Deserialize>::deserialize(deserializer)?);
        let converted = match &entry.convert {
            Some(convert) => quote!(#convert(#old)),
            None => quote!(<#ty as ::core::convert::From<#old_type>>::from(#old)),
        };
        quote!(else if #test { #converted })
    });
    quote! {
        if #own { #read } #(#older)* else { #default }
    }
}
