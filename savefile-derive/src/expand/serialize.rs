//! `Serialize`: the fields present in the version being written, in order.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{attributes, in_range, index_bytes, is_versioned, type_name};
use crate::ast::{Body, Field, Input, Shape};
use crate::attr::VersionRange;
use crate::bounds;

pub(crate) fn expand(input: &Input<'_>) -> TokenStream {
    let ident = input.ident;
    let generics = bounds::with_bounds(
        input,
        Field::is_saved,
        quote!(::savefile::Serialize + ::savefile::Packed),
        Vec::new(),
    );
    let version = format_ident!("version");
    let mut bits = TokenStream::new();
    let body = match &input.body {
        Body::Struct(shape) => {
            let access: Vec<TokenStream> = shape
                .fields
                .iter()
                .map(|f| {
                    let member = &f.member;
                    quote!(&self.#member)
                })
                .collect();
            fields(&type_name(input), shape, &access)
        }
        // No value exists: the match is the whole body (code after it would be unreachable).
        Body::Enum(variants) if variants.is_empty() => {
            return impl_serialize(input, &generics, quote!(match *self {}), bits);
        }
        Body::Enum(variants) => {
            let write_index = match index_bytes(input) {
                1 => quote!(write_u8),
                2 => quote!(write_u16),
                _ => quote!(write_u32),
            };
            // When no variant writes fields, the match only picks the index, and one
            // write follows: usually no branch at all (the index is the discriminant)
            // instead of a jump per variant to its own write.
            let no_fields = variants
                .iter()
                .all(|v| v.shape.fields.iter().all(|f| !f.is_saved()));
            let arms: Vec<TokenStream> = variants
                .iter()
                .map(|variant| {
                    let name = variant.ident;
                    let bindings = variant.shape.bindings();
                    // Ignored fields are not written: do not bind them.
                    let pattern = variant.shape.construct(
                        &variant
                            .shape
                            .fields
                            .iter()
                            .zip(&bindings)
                            .map(|(f, b)| if f.is_saved() { quote!(#b) } else { quote!(_) })
                            .collect::<Vec<_>>(),
                    );
                    let access: Vec<TokenStream> = bindings.iter().map(|b| quote!(#b)).collect();
                    let index = proc_macro2::Literal::u64_unsuffixed(variant.index as u64);
                    let item = format!("{}::{}", type_name(input), name);
                    let check = variant_check(variant.attrs.range(), &item, &version);
                    let write = fields(&item, &variant.shape, &access);
                    if no_fields {
                        return quote! {
                            #ident::#name #pattern => {
                                #check
                                #index
                            }
                        };
                    }
                    quote! {
                        #ident::#name #pattern => {
                            #check
                            serializer.#write_index(#index)?;
                            #write
                        }
                    }
                })
                .collect();
            // A fieldless enum written in every version is its index: a small
            // fixed-size value that derived types gather with their neighbours.
            if no_fields
                && variants
                    .iter()
                    .all(|v| v.attrs.range() == VersionRange::ALL)
            {
                let size = index_bytes(input) as usize;
                bits = quote! {
                    const __SAVEFILE_BITS_SIZE: ::core::option::Option<usize> =
                        ::core::option::Option::Some(#size);

                    #[inline(always)]
                    fn __savefile_bits(&self) -> u64 {
                        let index = match self { #(#arms)* };
                        index as u64
                    }
                };
            }
            if no_fields {
                quote! {
                    let index = match self { #(#arms)* };
                    serializer.#write_index(index)?;
                }
            } else {
                quote!(match self { #(#arms)* })
            }
        }
    };
    let uses_version = input.all_fields().any(|f| f.is_saved() && is_versioned(f))
        || matches!(&input.body, Body::Enum(v) if v.iter().any(|v| v.attrs.versions.is_some()));
    let read_version = uses_version.then(|| quote!(let #version = serializer.file_version;));
    // A struct whose memory bytes are its saved bytes writes itself as one region.
    let whole = match &input.body {
        Body::Struct(shape) if shape.fields.iter().all(Field::is_saved) => Some(quote! {
            if let ::core::option::Option::Some(bytes) =
                ::savefile::__private::bytes_of(self, serializer.file_version)
            {
                return serializer.write_bytes(bytes);
            }
        }),
        _ => None,
    };
    impl_serialize(
        input,
        &generics,
        quote! {
            #whole
            #read_version
            #body
            ::core::result::Result::Ok(())
        },
        bits,
    )
}

/// Types with at most this many saved fields (over all variants) always have their
/// `serialize` inlined.
const INLINE_FIELDS: usize = 8;

/// The `Serialize` impl around the body of `serialize`, with `items` (the hidden
/// gathering constant and method, or nothing).
fn impl_serialize(
    input: &Input<'_>,
    generics: &syn::Generics,
    body: TokenStream,
    items: TokenStream,
) -> TokenStream {
    let ident = input.ident;
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let attrs = attributes(input);
    // A few field writes are cheaper inline than a call, which also returns its
    // `Result` through memory; LLVM's own estimate, once the writes are inlined into
    // it, often says otherwise. Larger types are left to its judgement.
    let inline = if input.all_fields().filter(|f| f.is_saved()).count() <= INLINE_FIELDS {
        quote!(#[inline(always)])
    } else {
        quote!(#[inline])
    };
    quote! {
        #attrs
        impl #impl_generics ::savefile::Serialize for #ident #ty_generics #where_clause {
            #inline
            fn serialize(
                &self,
                serializer: &mut ::savefile::Serializer<impl ::std::io::Write>,
            ) -> ::core::result::Result<(), ::savefile::SavefileError> {
                #body
            }

            #items
        }
    }
}

/// Refuses to write a variant in a version that did not have it yet.
fn variant_check(range: VersionRange, item: &str, version: &Ident) -> TokenStream {
    if range == VersionRange::ALL {
        return quote!();
    }
    let test = in_range(range, version);
    let refuse = not_in_version(item, version);
    quote! {
        if !(#test) { #refuse }
    }
}

/// `return Err(NotInVersion { .. })`.
fn not_in_version(item: &str, version: &Ident) -> TokenStream {
    quote! {
        return ::core::result::Result::Err(::savefile::SavefileError::NotInVersion {
            item: #item,
            version: #version,
        });
    }
}

/// Writes each saved field, given how to reach it (`&self.x` or a binding).
/// `owner` names the struct or variant in errors: `Type` or `Type::Variant`.
fn fields(owner: &str, shape: &Shape<'_>, access: &[TokenStream]) -> TokenStream {
    let version = format_ident!("version");
    let type_name = owner;
    let saved = shape
        .fields
        .iter()
        .zip(access)
        .filter(|(f, _)| f.is_saved());
    let writes = saved.map(|(field, access)| {
        let write = quote!(::savefile::Serialize::serialize(#access, serializer)?;);
        if !is_versioned(field) {
            // Small fixed-size fields in a row are written together.
            return quote! {
                ::savefile::__private::write_field(serializer, #access, &mut gathered)?;
            };
        }
        let own = in_range(field.range(), &version);
        let item = format!("{type_name}.{}", field.name);
        let older = field.attrs.versions_as.iter().map(|entry| {
            let test = in_range(entry.range, &version);
            let refuse = not_in_version(&item, &version);
            quote!(else if #test { #refuse })
        });
        quote! {
            gathered.flush(serializer)?;
            if #own { #write } #(#older)*
        }
    });
    quote! {
        let mut gathered = ::savefile::__private::Gathered::default();
        #(#writes)*
        gathered.flush(serializer)?;
    }
}
