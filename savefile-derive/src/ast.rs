//! The typed model of a derive input: the type, its fields and variants, with their
//! attributes parsed. Built from `syn`; validated by `check`; read by `expand`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Fields, Ident, Member, Type};

use crate::attr::{self, ContainerAttrs, Errors, FieldAttrs, Loc, VariantAttrs, VersionRange};

/// A struct or enum to derive for.
pub(crate) struct Input<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) generics: &'a syn::Generics,
    pub(crate) attrs: ContainerAttrs,
    pub(crate) body: Body<'a>,
}

pub(crate) enum Body<'a> {
    Struct(Shape<'a>),
    Enum(Vec<Variant<'a>>),
}

/// How fields are written in Rust.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Named,
    Tuple,
    Unit,
}

/// The fields of a struct or of one enum variant.
pub(crate) struct Shape<'a> {
    pub(crate) style: Style,
    pub(crate) fields: Vec<Field<'a>>,
}

pub(crate) struct Field<'a> {
    /// How to access the field: `self.name` or `self.0`.
    pub(crate) member: Member,
    /// The name in schemas and introspection: the identifier, or "0", "1" … for tuple fields.
    pub(crate) name: String,
    pub(crate) ty: &'a Type,
    pub(crate) attrs: FieldAttrs,
    /// The type is `Removed<T>` (matched by name, as the reference does).
    pub(crate) is_removed: bool,
    /// The field's name and type (not its attributes), for diagnostics.
    pub(crate) loc: Loc,
}

pub(crate) struct Variant<'a> {
    pub(crate) ident: &'a Ident,
    /// The declaration index: what is saved, whatever the Rust discriminant.
    pub(crate) index: u32,
    /// The explicit Rust discriminant (`A = 5`), if any.
    pub(crate) discriminant: Option<&'a syn::Expr>,
    pub(crate) attrs: VariantAttrs,
    pub(crate) shape: Shape<'a>,
}

impl<'a> Input<'a> {
    /// Builds the model, collecting every attribute error.
    pub(crate) fn from_syn(input: &'a DeriveInput, errors: &mut Errors) -> Option<Input<'a>> {
        let attrs = attr::container_attrs(&input.attrs, errors);
        let body = match &input.data {
            Data::Struct(data) => Body::Struct(Shape::from_syn(&data.fields, errors)),
            Data::Enum(data) => Body::Enum(
                data.variants
                    .iter()
                    .enumerate()
                    .map(|(index, v)| Variant {
                        ident: &v.ident,
                        index: index as u32,
                        discriminant: v.discriminant.as_ref().map(|(_, expr)| expr),
                        attrs: attr::variant_attrs(&v.attrs, errors),
                        shape: Shape::from_syn(&v.fields, errors),
                    })
                    .collect(),
            ),
            Data::Union(u) => {
                errors.error(
                    u.union_token,
                    "savefile cannot derive for unions: nothing records which field is in use; \
                     use an enum, or implement the savefile traits by hand",
                );
                return None;
            }
        };
        Some(Input {
            ident: &input.ident,
            generics: &input.generics,
            attrs,
            body,
        })
    }

    /// Every field of the type, of every variant.
    pub(crate) fn all_fields(&self) -> Box<dyn Iterator<Item = &Field<'a>> + '_> {
        match &self.body {
            Body::Struct(shape) => Box::new(shape.fields.iter()),
            Body::Enum(variants) => Box::new(variants.iter().flat_map(|v| v.shape.fields.iter())),
        }
    }
}

impl<'a> Shape<'a> {
    fn from_syn(fields: &'a Fields, errors: &mut Errors) -> Shape<'a> {
        let style = match fields {
            Fields::Named(_) => Style::Named,
            Fields::Unnamed(_) => Style::Tuple,
            Fields::Unit => Style::Unit,
        };
        let fields = fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let (member, name) = match &f.ident {
                    Some(ident) => (Member::Named(ident.clone()), ident.to_string()),
                    None => (Member::Unnamed(i.into()), i.to_string()),
                };
                Field {
                    member,
                    name,
                    ty: &f.ty,
                    attrs: attr::field_attrs(&f.attrs, errors),
                    is_removed: is_removed_type(&f.ty),
                    loc: match &f.ident {
                        Some(ident) => Loc::of(ident).to(Loc::of(&f.ty)),
                        None => Loc::of(&f.ty),
                    },
                }
            })
            .collect();
        Shape { style, fields }
    }

    /// Local names for the fields when destructuring: `f0`, `f1` ….
    pub(crate) fn bindings(&self) -> Vec<Ident> {
        (0..self.fields.len())
            .map(|i| format_ident!("f{}", i))
            .collect()
    }

    /// `{ a: f0, b: f1 }`, `(f0, f1)` or nothing: the pattern (or constructor) of the
    /// fields with the given values.
    pub(crate) fn construct(&self, values: &[TokenStream]) -> TokenStream {
        match self.style {
            Style::Named => {
                let members = self.fields.iter().map(|f| &f.member);
                quote! { { #(#members: #values),* } }
            }
            Style::Tuple => quote! { ( #(#values),* ) },
            Style::Unit => quote! {},
        }
    }
}

impl Field<'_> {
    /// True unless the field is `#[savefile_ignore]`d (it is then never saved).
    pub(crate) fn is_saved(&self) -> bool {
        self.attrs.ignore.is_none()
    }

    /// The versions in which the field is saved as its own type.
    pub(crate) fn range(&self) -> VersionRange {
        self.attrs.range()
    }
}

/// True for `Removed<T>` and `path::to::Removed<T>`.
fn is_removed_type(ty: &Type) -> bool {
    match ty {
        Type::Path(p) => p.path.segments.last().is_some_and(|s| s.ident == "Removed"),
        _ => false,
    }
}
