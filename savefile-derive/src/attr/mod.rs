//! The `savefile_*` attributes, parsed into typed values. Every keyword is a named
//! constant; an unknown `savefile_*` attribute is an error that lists the known ones.

mod version;

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Lit, Meta};

pub(crate) use version::{VersionRange, VersionsAs};

pub(crate) const VERSIONS: &str = "savefile_versions";
pub(crate) const VERSIONS_AS: &str = "savefile_versions_as";
pub(crate) const DEFAULT_VAL: &str = "savefile_default_val";
pub(crate) const DEFAULT_FN: &str = "savefile_default_fn";
pub(crate) const IGNORE: &str = "savefile_ignore";
pub(crate) const INTROSPECT_IGNORE: &str = "savefile_introspect_ignore";
pub(crate) const INTROSPECT_KEY: &str = "savefile_introspect_key";
pub(crate) const REQUIRE_FAST: &str = "savefile_require_fast";
pub(crate) const DOC_HIDDEN: &str = "savefile_doc_hidden";

/// Every attribute the derives accept, for the "unknown attribute" message.
const KNOWN: [&str; 9] = [
    VERSIONS,
    VERSIONS_AS,
    DEFAULT_VAL,
    DEFAULT_FN,
    IGNORE,
    INTROSPECT_IGNORE,
    INTROSPECT_KEY,
    REQUIRE_FAST,
    DOC_HIDDEN,
];

/// How a field gets its value when the file does not hold it.
#[derive(Clone)]
pub(crate) enum DefaultValue {
    /// `Default::default()`.
    Trait,
    /// `#[savefile_default_val = "text"]`: parsed with `FromStr` when needed, as the
    /// reference crate does (so it works for any `FromStr` type, strings included).
    Parsed(String),
    /// `#[savefile_default_val = expr]` with a non-string expression: used as it is.
    Value(Expr),
    /// `#[savefile_default_fn = "path"]`.
    Function(syn::Path),
}

/// The attributes of one field.
#[derive(Clone)]
pub(crate) struct FieldAttrs {
    /// `savefile_versions`, with the attribute's span.
    pub(crate) versions: Option<(VersionRange, Span)>,
    pub(crate) versions_as: Vec<VersionsAs>,
    pub(crate) default: DefaultValue,
    pub(crate) default_span: Option<Span>,
    pub(crate) ignore: Option<Span>,
    pub(crate) introspect_ignore: bool,
    pub(crate) introspect_key: Option<Span>,
}

impl FieldAttrs {
    /// The versions in which the field is saved as its own type.
    pub(crate) fn range(&self) -> VersionRange {
        self.versions.map(|(r, _)| r).unwrap_or(VersionRange::ALL)
    }
}

/// The attributes of one enum variant.
#[derive(Clone, Copy)]
pub(crate) struct VariantAttrs {
    pub(crate) versions: Option<(VersionRange, Span)>,
}

impl VariantAttrs {
    /// The versions in which the variant exists.
    pub(crate) fn range(&self) -> VersionRange {
        self.versions.map(|(r, _)| r).unwrap_or(VersionRange::ALL)
    }
}

/// An integer `#[repr]` of an enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IntRepr {
    U8,
    I8,
    U16,
    I16,
    U32,
    I32,
    Other,
}

impl IntRepr {
    /// The bytes of the saved variant index for this repr, if it fixes them.
    pub(crate) fn index_bytes(self) -> Option<u8> {
        match self {
            IntRepr::U8 | IntRepr::I8 => Some(1),
            IntRepr::U16 | IntRepr::I16 => Some(2),
            IntRepr::U32 | IntRepr::I32 => Some(4),
            IntRepr::Other => None,
        }
    }
}

/// The attributes of the type itself, `savefile_*` and `repr`.
#[derive(Clone, Default)]
pub(crate) struct ContainerAttrs {
    pub(crate) require_fast: Option<Span>,
    pub(crate) doc_hidden: bool,
    /// `#[repr(C)]` (or `transparent`): a defined field order.
    pub(crate) repr_c: bool,
    /// An integer repr, for enums.
    pub(crate) int_repr: Option<IntRepr>,
}

/// Collects errors so that all problems of an item are reported together.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub(crate) fn error(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    /// Keeps the value of a result, or records its error.
    pub(crate) fn take<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|e| self.push(e)).ok()
    }

    pub(crate) fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// The name of a `savefile_*` attribute, or `None` for other attributes.
fn savefile_name(attr: &Attribute) -> Option<String> {
    let ident = attr.path().get_ident()?.to_string();
    ident.starts_with("savefile_").then_some(ident)
}

/// The string of `#[name = "value"]`.
fn string_value(attr: &Attribute, name: &str, errors: &mut Errors) -> Option<String> {
    if let Meta::NameValue(nv) = &attr.meta {
        if let Expr::Lit(lit) = &nv.value {
            if let Lit::Str(s) = &lit.lit {
                return Some(s.value());
            }
        }
    }
    errors.error(
        attr.span(),
        format!("expected #[{name} = \"...\"] with a string value"),
    );
    None
}

/// Checks that a flag attribute carries no value.
fn flag(attr: &Attribute, name: &str, errors: &mut Errors) -> Span {
    if !matches!(attr.meta, Meta::Path(_)) {
        errors.error(attr.span(), format!("#[{name}] takes no value"));
    }
    attr.span()
}

fn unknown(attr: &Attribute, name: &str, allowed: &[&str], errors: &mut Errors) {
    let message = if KNOWN.contains(&name) {
        format!(
            "#[{name}] cannot be used here; here savefile accepts: {}",
            list(allowed)
        )
    } else {
        format!(
            "unknown attribute #[{name}]; savefile's attributes are: {}",
            list(&KNOWN)
        )
    };
    errors.error(attr.span(), message);
}

fn list(names: &[&str]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

/// Parses the attributes of a field.
pub(crate) fn field_attrs(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut out = FieldAttrs {
        versions: None,
        versions_as: Vec::new(),
        default: DefaultValue::Trait,
        default_span: None,
        ignore: None,
        introspect_ignore: false,
        introspect_key: None,
    };
    for attr in attrs {
        let Some(name) = savefile_name(attr) else {
            continue;
        };
        match name.as_str() {
            VERSIONS => {
                let Some(text) = string_value(attr, VERSIONS, errors) else {
                    continue;
                };
                let Some(range) = errors.take(VersionRange::parse(&text, attr.span())) else {
                    continue;
                };
                if let Some((_, first)) = out.versions {
                    let mut e = syn::Error::new(
                        attr.span(),
                        "a field takes one #[savefile_versions]; merge the ranges into one",
                    );
                    e.combine(syn::Error::new(
                        first,
                        "the first #[savefile_versions] is here",
                    ));
                    errors.push(e);
                } else {
                    out.versions = Some((range, attr.span()));
                }
            }
            VERSIONS_AS => {
                let Some(text) = string_value(attr, VERSIONS_AS, errors) else {
                    continue;
                };
                if let Some(entry) = errors.take(VersionsAs::parse(&text, attr.span())) {
                    out.versions_as.push(entry);
                }
            }
            DEFAULT_VAL | DEFAULT_FN => {
                if out.default_span.is_some() {
                    errors.error(
                        attr.span(),
                        "a field takes one default: #[savefile_default_val] or #[savefile_default_fn], not both or twice",
                    );
                    continue;
                }
                let default = if name == DEFAULT_VAL {
                    match &attr.meta {
                        Meta::NameValue(nv) => match &nv.value {
                            Expr::Lit(syn::ExprLit {
                                lit: Lit::Str(text),
                                ..
                            }) => Some(DefaultValue::Parsed(text.value())),
                            expr => Some(DefaultValue::Value(expr.clone())),
                        },
                        _ => {
                            errors
                                .error(attr.span(), "expected #[savefile_default_val = \"value\"]");
                            None
                        }
                    }
                } else {
                    string_value(attr, DEFAULT_FN, errors).and_then(|text| {
                        match syn::parse_str::<syn::Path>(&text) {
                            Ok(path) => Some(DefaultValue::Function(path)),
                            Err(e) => {
                                errors.error(attr.span(), format!("#[savefile_default_fn = \"{text}\"] is not a function path: {e}"));
                                None
                            }
                        }
                    })
                };
                if let Some(default) = default {
                    out.default = default;
                    out.default_span = Some(attr.span());
                }
            }
            IGNORE => out.ignore = Some(flag(attr, IGNORE, errors)),
            INTROSPECT_IGNORE => {
                flag(attr, INTROSPECT_IGNORE, errors);
                out.introspect_ignore = true;
            }
            INTROSPECT_KEY => out.introspect_key = Some(flag(attr, INTROSPECT_KEY, errors)),
            other => unknown(
                attr,
                other,
                &[
                    VERSIONS,
                    VERSIONS_AS,
                    DEFAULT_VAL,
                    DEFAULT_FN,
                    IGNORE,
                    INTROSPECT_IGNORE,
                    INTROSPECT_KEY,
                ],
                errors,
            ),
        }
    }
    out
}

/// Parses the attributes of an enum variant.
pub(crate) fn variant_attrs(attrs: &[Attribute], errors: &mut Errors) -> VariantAttrs {
    let mut out = VariantAttrs { versions: None };
    for attr in attrs {
        let Some(name) = savefile_name(attr) else {
            continue;
        };
        if name != VERSIONS {
            unknown(attr, &name, &[VERSIONS], errors);
            continue;
        }
        let Some(text) = string_value(attr, VERSIONS, errors) else {
            continue;
        };
        let Some(range) = errors.take(VersionRange::parse(&text, attr.span())) else {
            continue;
        };
        if out.versions.is_some() {
            errors.error(attr.span(), "a variant takes one #[savefile_versions]");
        } else if range.from > 0 && !range.is_open() {
            errors.error(
                attr.span(),
                "enum variants cannot be removed (their index is saved); a variant range must be \"N..\"",
            );
        } else {
            out.versions = Some((range, attr.span()));
        }
    }
    out
}

/// Parses the attributes of the type: `savefile_*` ones and `repr`.
pub(crate) fn container_attrs(attrs: &[Attribute], errors: &mut Errors) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    for attr in attrs {
        if attr.path().is_ident("repr") {
            let parsed = attr.parse_nested_meta(|meta| {
                let Some(ident) = meta.path.get_ident() else {
                    return Ok(());
                };
                match ident.to_string().as_str() {
                    "C" | "transparent" => out.repr_c = true,
                    "u8" => out.int_repr = Some(IntRepr::U8),
                    "i8" => out.int_repr = Some(IntRepr::I8),
                    "u16" => out.int_repr = Some(IntRepr::U16),
                    "i16" => out.int_repr = Some(IntRepr::I16),
                    "u32" => out.int_repr = Some(IntRepr::U32),
                    "i32" => out.int_repr = Some(IntRepr::I32),
                    "u64" | "i64" | "u128" | "i128" | "usize" | "isize" => {
                        out.int_repr = Some(IntRepr::Other)
                    }
                    _ => {
                        // `align(N)`, `packed(N)`: skip their arguments.
                        if meta.input.peek(syn::token::Paren) {
                            let _content;
                            syn::parenthesized!(_content in meta.input);
                        }
                    }
                }
                Ok(())
            });
            errors.take(parsed);
            continue;
        }
        let Some(name) = savefile_name(attr) else {
            continue;
        };
        match name.as_str() {
            REQUIRE_FAST => out.require_fast = Some(flag(attr, REQUIRE_FAST, errors)),
            DOC_HIDDEN => {
                flag(attr, DOC_HIDDEN, errors);
                out.doc_hidden = true;
            }
            other => unknown(attr, other, &[REQUIRE_FAST, DOC_HIDDEN], errors),
        }
    }
    out
}
