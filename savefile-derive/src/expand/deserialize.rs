//! `Deserialize`: reads exactly the fields of the file's version, converts fields
//! saved as an older type, and fills the rest with their defaults.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::{attributes, in_range, index_bytes, is_versioned, type_name};
use crate::ast::{Body, Field, Input, Shape, Variant};
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
    let mut extra = defaulted;
    extra.extend(bounds::borrowing_predicates(
        input,
        quote!(::savefile::Deserialize),
    ));
    let generics = bounds::with_bounds(
        input,
        Field::is_saved,
        quote!(::savefile::Deserialize + ::savefile::Packed),
        extra,
    );
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let version = format_ident!("version");
    let body = read_value(input, &version, Reader::Owned);
    let read_version = read_version_tokens(input, &version);
    let into = match &input.body {
        Body::Struct(shape) if !shape.fields.is_empty() => Some(deserialize_into(
            input,
            shape,
            &version,
            quote!(#read_version),
        )),
        _ => None,
    };
    let whole = whole_struct_reads(input, quote!(return ::core::result::Result::Ok(value);));
    // Flat when every type read is: then no input can make the read recurse.
    let read_types = input.all_fields().filter(|f| f.is_saved()).flat_map(|f| {
        std::iter::once(f.ty).chain(f.attrs.versions_as.iter().map(|entry| &entry.old_type))
    });
    let flat = quote!(true #(&& <#read_types as ::savefile::Deserialize>::__SAVEFILE_FLAT)*);
    let fixed = fixed_struct(input);
    let min = min_size(input);
    let read = one_level(
        quote!(<Self as ::savefile::Deserialize>::__SAVEFILE_FLAT),
        quote!(Self),
        quote! {
            #read_version
            #body
        },
    );
    let attrs = attributes(input);
    quote! {
        #attrs
        impl #impl_generics ::savefile::Deserialize for #ident #ty_generics #where_clause {
            const __SAVEFILE_FLAT: bool = #flat;

            #min

            #fixed

            #[inline]
            fn deserialize(
                deserializer: &mut ::savefile::Deserializer<impl ::std::io::Read>,
            ) -> ::core::result::Result<Self, ::savefile::SavefileError> {
                #whole
                #read
            }

            #into
        }
    }
}

/// The read of a whole value, field by field through `reader`: a struct's fields, or an
/// enum's index and the fields of the variant it names. Evaluates to a `Result<Self, _>`.
pub(super) fn read_value(input: &Input<'_>, version: &Ident, reader: Reader) -> TokenStream {
    let ident = input.ident;
    match &input.body {
        Body::Struct(shape) => {
            let construct = shape.construct(&values(&type_name(input), shape, version, reader));
            quote!(::core::result::Result::Ok(#ident #construct))
        }
        Body::Enum(variants) => {
            let read_index = match index_bytes(input) {
                1 => quote!(deserializer.read_u8()? as u32),
                2 => quote!(deserializer.read_u16()? as u32),
                _ => quote!(deserializer.read_u32()?),
            };
            variant_match(input, variants, version, read_index, reader)
        }
    }
}

/// `__SAVEFILE_MIN_SIZE`: for a struct, the least sizes of the fields saved in every
/// version, added up (a field saved only in some versions may take no bytes); for an
/// enum, its index, which every value starts with.
fn min_size(input: &Input<'_>) -> TokenStream {
    let size = match &input.body {
        Body::Struct(shape) => {
            let parts = shape.fields.iter().filter(|f| in_block(f)).map(|f| {
                let ty = f.ty;
                quote!(<#ty as ::savefile::Deserialize>::__SAVEFILE_MIN_SIZE)
            });
            quote!(::savefile::__private::min_sum(&[#(#parts),*]))
        }
        Body::Enum(_) => {
            let index = usize::from(index_bytes(input));
            quote!(#index)
        }
    };
    quote!(const __SAVEFILE_MIN_SIZE: usize = #size;)
}

/// Reads an enum's index with `read_index` (a `u32` expression) and builds the variant
/// it names, refusing indexes that are not variants of the file's version.
pub(super) fn variant_match(
    input: &Input<'_>,
    variants: &[Variant<'_>],
    version: &Ident,
    read_index: TokenStream,
    reader: Reader,
) -> TokenStream {
    let ident = input.ident;
    let arms = variants.iter().map(|variant| {
        let name = variant.ident;
        let index = variant.index;
        let guard = (variant.attrs.range() != VersionRange::ALL).then(|| {
            let test = in_range(variant.attrs.range(), version);
            quote!(if #test)
        });
        let owner = format!("{}::{}", type_name(input), name);
        let construct = variant
            .shape
            .construct(&values(&owner, &variant.shape, version, reader));
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

/// `let version = deserializer.file_version;` when some field or variant needs it.
pub(super) fn read_version_tokens(input: &Input<'_>, version: &Ident) -> Option<TokenStream> {
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
    setup: TokenStream,
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
        if in_block(field) {
            // A fixed-size field comes from the block of its run; any other is read
            // in place too, so that a nested struct is not assembled elsewhere and
            // copied either.
            let run = run_len(&shape.fields, index);
            return quote! {
                let _: ::savefile::__private::Written = ::savefile::__private::read_field_into::<#ty>(
                    deserializer,
                    #run,
                    // SAFETY: the field's place within the slot's storage is valid and
                    // aligned for the field's type, and `MaybeUninit<F>` has the layout
                    // of `F`; nothing else refers to it while it is written.
                    unsafe {
                        &mut *::core::ptr::addr_of_mut!((*place).#member)
                            .cast::<::core::mem::MaybeUninit<#ty>>()
                    },
                )?;
                guard.done = #done;
            };
        }
        let value = value(&owner, field, version, Reader::Owned);
        quote! {
            let value = #value;
            // SAFETY: `place` is the slot's storage, valid and aligned for a `Self`;
            // each field is written exactly once, before `done` counts it.
            unsafe { ::core::ptr::addr_of_mut!((*place).#member).write(value) };
            guard.done = #done;
        }
    });
    let whole = whole_struct_reads(
        input,
        quote! {
            slot.write(value);
            // SAFETY: `slot` was just initialised with a value.
            return ::core::result::Result::Ok(unsafe { ::savefile::__private::Written::new() });
        },
    );
    let write = one_level(
        quote!(<Self as ::savefile::Deserialize>::__SAVEFILE_FLAT),
        quote!(()),
        quote! {
            #setup
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
        },
    );
    quote! {
        #[inline]
        fn __savefile_deserialize_into(
            deserializer: &mut ::savefile::Deserializer<impl ::std::io::Read>,
            slot: &mut ::core::mem::MaybeUninit<Self>,
        ) -> ::core::result::Result<::savefile::__private::Written, ::savefile::SavefileError> {
            #whole
            let place: *mut Self = slot.as_mut_ptr();
            let written: ::core::result::Result<(), ::savefile::SavefileError> = #write;
            written?;
            // SAFETY: every field of the value at `place` was written above.
            ::core::result::Result::Ok(unsafe { ::savefile::__private::Written::new() })
        }
    }
}

/// The early returns of a struct's reads that take the whole value at once, each
/// followed by `finish` (which has the value in `value`): a struct whose memory
/// bytes are its saved bytes in the file's version (see `expand/packed.rs`) is read
/// with one copy, as `Serialize` writes it; a struct of fixed size is read as one
/// block when it is all in memory. Nothing for enums (a fieldless enum is one read
/// of its index either way).
fn whole_struct_reads(input: &Input<'_>, finish: TokenStream) -> TokenStream {
    let Body::Struct(shape) = &input.body else {
        return TokenStream::new();
    };
    let copied = shape.fields.iter().all(Field::is_saved).then(|| {
        quote! {
            if let ::core::option::Option::Some(value) =
                ::savefile::__private::read_value::<Self>(deserializer)?
            {
                #finish
            }
        }
    });
    let fixed = fixed_struct(input).is_some().then(|| {
        quote! {
            if let ::core::option::Option::Some(value) =
                ::savefile::__private::read_whole_fixed::<Self>(deserializer)?
            {
                #finish
            }
        }
    });
    quote!(#copied #fixed)
}

/// `read`, a block that evaluates to a `Result<ok, _>`, as one level of nesting:
/// every derived value that could contain another of its kind is one, so recursive
/// data cannot go deeper than the deserializer's limit, whatever the input says.
pub(super) fn one_level(flat: TokenStream, ok: TokenStream, read: TokenStream) -> TokenStream {
    quote! {{
        let nests = !#flat;
        if nests {
            deserializer.enter_nested()?;
        }
        let result = (|| -> ::core::result::Result<#ok, ::savefile::SavefileError> {
            #read
        })();
        if nests {
            deserializer.leave_nested();
        }
        result
    }}
}

/// True if some version (or every one, for ignored fields) takes the field's default.
pub(super) fn needs_default(field: &Field<'_>) -> bool {
    !field.is_saved() || field.range() != VersionRange::ALL
}

/// The value expression of each field, in declaration order (which is also the
/// order in which a struct expression evaluates them, and so the order of reading).
pub(super) fn values(
    owner: &str,
    shape: &Shape<'_>,
    version: &Ident,
    reader: Reader,
) -> Vec<TokenStream> {
    (0..shape.fields.len())
        .map(
            |index| match reader == Reader::Owned && in_block(&shape.fields[index]) {
                true => fixed_read(&shape.fields, index),
                false => value(owner, &shape.fields[index], version, reader),
            },
        )
        .collect()
}

/// True for the fields that may be read as part of a block of fixed-size fields:
/// those saved in every version as their own type.
pub(super) fn in_block(field: &Field<'_>) -> bool {
    field.is_saved() && !is_versioned(field)
}

/// The sizes of the run of fixed-size fields that starts at field `index`, as a
/// constant expression: up to the first field without a fixed size (or not read from
/// a block), so runs are maximal and the block is empty again after a run's last field.
fn run_len(fields: &[Field<'_>], index: usize) -> TokenStream {
    let run = fields[index..].iter().map(|field| {
        let ty = field.ty;
        match in_block(field) {
            true => quote!(<#ty as ::savefile::Deserialize>::__SAVEFILE_FIXED_SIZE),
            false => quote!(::core::option::Option::None),
        }
    });
    quote!(const { ::savefile::__private::fixed_run(&[#(#run),*]) })
}

/// The expression that reads field `index` of `fields` (a field `in_block`): when
/// its type has a fixed size, from the block of its run of fixed-size fields (see
/// `savefile::__private::read_field`).
fn fixed_read(fields: &[Field<'_>], index: usize) -> TokenStream {
    let ty = fields[index].ty;
    let run = run_len(fields, index);
    quote! {
        ::savefile::__private::read_field::<#ty>(deserializer, #run)?
    }
}

/// `__SAVEFILE_FIXED_SIZE` and `__savefile_read_fixed` for an enum whose variants all
/// have no fields: its index, of the enum's index width, is all there is to read.
fn fixed_enum(input: &Input<'_>, variants: &[Variant<'_>]) -> Option<TokenStream> {
    if variants.iter().any(|v| !v.shape.fields.is_empty()) {
        return None;
    }
    let version = format_ident!("version");
    let size = usize::from(index_bytes(input));
    let decode = match size {
        1 => quote!(u8::from_le_bytes(bytes) as u32),
        2 => quote!(u16::from_le_bytes(bytes) as u32),
        _ => quote!(u32::from_le_bytes(bytes)),
    };
    let read = variant_match(input, variants, &version, decode, Reader::Owned);
    Some(quote! {
        const __SAVEFILE_FIXED_SIZE: ::core::option::Option<usize> =
            ::core::option::Option::Some(#size);

        #[inline]
        fn __savefile_read_fixed(
            bytes: &[u8],
            #version: u32,
        ) -> ::core::result::Result<Self, ::savefile::SavefileError> {
            let _ = #version;
            let bytes: [u8; #size] = bytes
                .try_into()
                .map_err(|_| ::savefile::SavefileError::ShortRead)?;
            #read
        }
    })
}

/// `__SAVEFILE_FIXED_SIZE` and `__savefile_read_fixed` for a struct whose fields are
/// all saved in every version as their own type (ignored fields take their default):
/// the sum of the saved fields' sizes, when they all have one.
fn fixed_struct(input: &Input<'_>) -> Option<TokenStream> {
    let shape = match &input.body {
        Body::Struct(shape) => shape,
        Body::Enum(variants) => return fixed_enum(input, variants),
    };
    if shape.fields.iter().any(|f| f.is_saved() && is_versioned(f)) {
        return None;
    }
    let ident = input.ident;
    let owner = type_name(input);
    let saved = shape.fields.iter().filter(|f| f.is_saved()).map(|f| f.ty);
    let values: Vec<TokenStream> = shape
        .fields
        .iter()
        .map(|field| {
            let ty = field.ty;
            match field.is_saved() {
                true => quote!(::savefile::__private::read_fixed_part::<#ty>(&mut block, version)?),
                false => value(&owner, field, &format_ident!("version"), Reader::Owned),
            }
        })
        .collect();
    let construct = shape.construct(&values);
    Some(quote! {
        const __SAVEFILE_FIXED_SIZE: ::core::option::Option<usize> =
            ::savefile::__private::fixed_sum(&[
                #(<#saved as ::savefile::Deserialize>::__SAVEFILE_FIXED_SIZE),*
            ]);

        #[inline]
        fn __savefile_read_fixed(
            bytes: &[u8],
            version: u32,
        ) -> ::core::result::Result<Self, ::savefile::SavefileError> {
            let _ = version;
            let mut block = bytes;
            ::core::result::Result::Ok(#ident #construct)
        }
    })
}

/// Which trait a generated read goes through.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Reader {
    /// `Deserialize`, for owned loads.
    Owned,
    /// `DeserializeBorrowed<'__de>`, for borrowed loads (see `deserialize_borrowed.rs`).
    Borrowed,
}

impl Reader {
    /// The expression that reads a `ty` from `deserializer`, `?` applied.
    pub(super) fn read(self, ty: &syn::Type) -> TokenStream {
        match self {
            Reader::Owned => quote!(<#ty as ::savefile::Deserialize>::deserialize(deserializer)?),
            Reader::Borrowed => quote! {
                <#ty as ::savefile::DeserializeBorrowed<'__de>>::deserialize_borrowed(deserializer)?
            },
        }
    }
}

/// The value expression of one field: read as its own type, or as the older type it
/// was saved as in the file's version (converted), or its default.
pub(super) fn value(
    owner: &str,
    field: &Field<'_>,
    version: &Ident,
    reader: Reader,
) -> TokenStream {
    let ty = field.ty;
    let default = match &field.attrs.default {
        // Spanned on the field's type, so that a type without `Default` is reported
        // at the field that needs it, not at the derive.
        DefaultValue::Trait => {
            quote_spanned!(ty.span()=> <#ty as ::core::default::Default>::default())
        }
        DefaultValue::Value(expr) => quote!(#expr),
        DefaultValue::Function(path) => quote!(#path()),
        DefaultValue::Parsed(literal) => {
            if let Some(error) = check_default_text(ty, literal) {
                return error;
            }
            let item = format!("{owner}.{}", field.name);
            // Spanned on the attribute's text: a type that cannot be parsed from a
            // string is reported there (the type is inferred, not written, so the
            // error has no other place to point at).
            let parsed =
                quote_spanned!(literal.span()=> ::savefile::__private::parse_default(#literal));
            quote! {{
                let parsed: ::core::option::Option<#ty> = #parsed;
                match parsed {
                    ::core::option::Option::Some(value) => value,
                    ::core::option::Option::None => {
                        return ::core::result::Result::Err(::savefile::SavefileError::InvalidDefault {
                            item: #item,
                        })
                    }
                }
            }}
        }
    };
    if !field.is_saved() {
        return default;
    }
    let read = reader.read(ty);
    if !is_versioned(field) {
        return read;
    }
    let own = in_range(field.range(), version);
    let older = field.attrs.versions_as.iter().map(|entry| {
        let test = in_range(entry.range, version);
        let old_type = &entry.old_type;
        let old = reader.read(old_type);
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

/// A compile error at `literal` if the field's type is a primitive (named as one, without
/// a path) that cannot parse the text of `#[savefile_default_val = "..."]`: what the load
/// would otherwise report as `InvalidDefault` when it first needs the default.
fn check_default_text(ty: &syn::Type, literal: &syn::LitStr) -> Option<TokenStream> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let name = path.path.get_ident()?.to_string();
    let text = literal.value();
    let parses = match name.as_str() {
        "u8" => text.parse::<u8>().is_ok(),
        "u16" => text.parse::<u16>().is_ok(),
        "u32" => text.parse::<u32>().is_ok(),
        "u64" | "usize" => text.parse::<u64>().is_ok(),
        "u128" => text.parse::<u128>().is_ok(),
        "i8" => text.parse::<i8>().is_ok(),
        "i16" => text.parse::<i16>().is_ok(),
        "i32" => text.parse::<i32>().is_ok(),
        "i64" | "isize" => text.parse::<i64>().is_ok(),
        "i128" => text.parse::<i128>().is_ok(),
        "f32" => text.parse::<f32>().is_ok(),
        "f64" => text.parse::<f64>().is_ok(),
        "bool" => text.parse::<bool>().is_ok(),
        "char" => text.parse::<char>().is_ok(),
        _ => return None,
    };
    if parses {
        return None;
    }
    let message = format!(
        "savefile_default_val: {text:?} is not a valid `{name}` (the text is parsed with `FromStr`)"
    );
    Some(quote_spanned!(literal.span()=> ::core::compile_error!(#message)))
}
