//! The `savefile_*` attributes, parsed into typed values. Every keyword is a named
//! constant; an unknown `savefile_*` attribute is an error that lists the known ones.

mod version;

use proc_macro2::{Punct, Spacing, Span, TokenStream, TokenTree};
use quote::ToTokens;
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

/// A stretch of source code, from its first token to its last, so that a diagnostic
/// underlines a whole attribute or field. (On stable Rust two spans cannot be joined
/// into one `Span`, and `Spanned::span` falls back to the first token: `#` alone.)
#[derive(Clone, Copy)]
pub(crate) struct Loc {
    start: Span,
    end: Span,
}

impl Loc {
    /// The stretch covered by `tokens`.
    pub(crate) fn of(tokens: &dyn ToTokens) -> Loc {
        let mut trees = tokens.to_token_stream().into_iter();
        let start = trees.next().map_or_else(Span::call_site, |t| t.span());
        let end = trees.last().map_or(start, |t| t.span());
        Loc { start, end }
    }

    /// From the start of `self` to the end of `other`.
    pub(crate) fn to(self, other: Loc) -> Loc {
        Loc {
            start: self.start,
            end: other.end,
        }
    }

    /// The first token's span, for generated code that should point here.
    pub(crate) fn start(self) -> Span {
        self.start
    }

    /// An error underlining this stretch.
    pub(crate) fn error(self, message: impl std::fmt::Display) -> syn::Error {
        syn::Error::new_spanned(self, message)
    }
}

impl ToTokens for Loc {
    /// Two placeholder tokens carrying the two spans: all that `syn::Error::new_spanned`
    /// reads from its argument.
    fn to_tokens(&self, out: &mut TokenStream) {
        for span in [self.start, self.end] {
            let mut punct = Punct::new('#', Spacing::Alone);
            punct.set_span(span);
            out.extend([TokenTree::Punct(punct)]);
        }
    }
}

/// How a field gets its value when the file does not hold it.
#[derive(Clone)]
pub(crate) enum DefaultValue {
    /// `Default::default()`.
    Trait,
    /// `#[savefile_default_val = "text"]`: parsed with `FromStr` when needed, as the
    /// reference crate does (so it works for any `FromStr` type, strings included);
    /// checked when the crate is compiled where the field's type allows (see
    /// `expand/deserialize.rs`).
    Parsed(syn::LitStr),
    /// `#[savefile_default_val = expr]` with a non-string expression: used as it is.
    Value(Expr),
    /// `#[savefile_default_fn = "path"]`.
    Function(syn::Path),
}

/// The attributes of one field.
#[derive(Clone)]
pub(crate) struct FieldAttrs {
    /// `savefile_versions`, with where the attribute is.
    pub(crate) versions: Option<(VersionRange, Loc)>,
    pub(crate) versions_as: Vec<VersionsAs>,
    pub(crate) default: DefaultValue,
    /// Where the default attribute is, if there is one.
    pub(crate) default_loc: Option<Loc>,
    pub(crate) ignore: Option<Loc>,
    pub(crate) introspect_ignore: bool,
    pub(crate) introspect_key: Option<Loc>,
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
    pub(crate) versions: Option<(VersionRange, Loc)>,
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

    /// The repr as written in `#[repr(..)]`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            IntRepr::U8 => "u8",
            IntRepr::I8 => "i8",
            IntRepr::U16 => "u16",
            IntRepr::I16 => "i16",
            IntRepr::U32 => "u32",
            IntRepr::I32 => "i32",
            IntRepr::Other => "a wider integer",
        }
    }
}

/// The attributes of the type itself, `savefile_*` and `repr`.
#[derive(Clone, Default)]
pub(crate) struct ContainerAttrs {
    pub(crate) require_fast: Option<Loc>,
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

    /// Records an error underlining `at` (a `Loc`, or any tokens of the input).
    pub(crate) fn error(&mut self, at: impl ToTokens, message: impl std::fmt::Display) {
        self.push(syn::Error::new_spanned(at, message));
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

/// The string of `#[name = "value"]`, and where the string literal is.
fn string_value(attr: &Attribute, name: &str, errors: &mut Errors) -> Option<(String, Loc)> {
    if let Meta::NameValue(nv) = &attr.meta {
        if let Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) = &nv.value
        {
            return Some((s.value(), Loc::of(s)));
        }
    }
    errors.error(
        attr,
        format!("expected #[{name} = \"...\"] with a string value"),
    );
    None
}

/// Checks that a flag attribute carries no value.
fn flag(attr: &Attribute, name: &str, errors: &mut Errors) -> Loc {
    if !matches!(attr.meta, Meta::Path(_)) {
        errors.error(
            attr,
            format!("#[{name}] takes no value: write #[{name}] alone"),
        );
    }
    Loc::of(attr)
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
    errors.error(attr, message);
}

fn list(names: &[&str]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

/// Parses `#[savefile_versions = "..."]`.
fn versions(attr: &Attribute, errors: &mut Errors) -> Option<VersionRange> {
    let (text, at) = string_value(attr, VERSIONS, errors)?;
    errors.take(VersionRange::parse(&text, at))
}

/// An error at `second` with a note at `first`: the attribute that may appear once.
fn duplicate(second: Loc, message: &str, first: Loc, note: &str) -> syn::Error {
    let mut error = second.error(message);
    error.combine(first.error(note));
    error
}

/// Parses `#[savefile_default_val = ...]` or `#[savefile_default_fn = "path"]`.
fn default_value(attr: &Attribute, name: &str, errors: &mut Errors) -> Option<DefaultValue> {
    if name == DEFAULT_VAL {
        return match &attr.meta {
            Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(text),
                    ..
                }) => Some(DefaultValue::Parsed(text.clone())),
                expr => Some(DefaultValue::Value(expr.clone())),
            },
            _ => {
                errors.error(
                    attr,
                    "expected #[savefile_default_val = \"value\"] (or = an expression)",
                );
                None
            }
        };
    }
    let (text, at) = string_value(attr, DEFAULT_FN, errors)?;
    match syn::parse_str::<syn::Path>(&text) {
        Ok(path) => Some(DefaultValue::Function(path)),
        Err(e) => {
            errors.error(
                at,
                format!(
                    "#[savefile_default_fn = \"{text}\"] is not a function path ({e}); \
                     name a function taking no arguments, like \"make_default\""
                ),
            );
            None
        }
    }
}

/// Parses the attributes of a field.
pub(crate) fn field_attrs(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut out = FieldAttrs {
        versions: None,
        versions_as: Vec::new(),
        default: DefaultValue::Trait,
        default_loc: None,
        ignore: None,
        introspect_ignore: false,
        introspect_key: None,
    };
    for attr in attrs {
        let Some(name) = savefile_name(attr) else {
            continue;
        };
        let here = Loc::of(attr);
        match name.as_str() {
            VERSIONS => {
                let Some(range) = versions(attr, errors) else {
                    continue;
                };
                if let Some((_, first)) = out.versions {
                    errors.push(duplicate(
                        here,
                        "a field takes one #[savefile_versions]; merge the two ranges into one",
                        first,
                        "the first #[savefile_versions] is here",
                    ));
                } else {
                    out.versions = Some((range, here));
                }
            }
            VERSIONS_AS => {
                let Some((text, at)) = string_value(attr, VERSIONS_AS, errors) else {
                    continue;
                };
                if let Some(entry) = errors.take(VersionsAs::parse(&text, at)) {
                    out.versions_as.push(entry);
                }
            }
            DEFAULT_VAL | DEFAULT_FN => {
                if let Some(first) = out.default_loc {
                    errors.push(duplicate(
                        here,
                        "a field takes one default: keep either #[savefile_default_val] or \
                         #[savefile_default_fn], not both",
                        first,
                        "the first default is here",
                    ));
                    continue;
                }
                if let Some(default) = default_value(attr, &name, errors) {
                    out.default = default;
                    out.default_loc = Some(here);
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
        let Some(range) = versions(attr, errors) else {
            continue;
        };
        let here = Loc::of(attr);
        if let Some((_, first)) = out.versions {
            errors.push(duplicate(
                here,
                "a variant takes one #[savefile_versions]",
                first,
                "the first #[savefile_versions] is here",
            ));
        } else if !range.is_open() {
            // A saved file holds the variant's index; a later version must still be
            // able to read it, so a variant can be added but never dropped.
            let fix = if range.from == 0 {
                "remove the attribute (the variant then exists in every version)".to_string()
            } else {
                format!("write #[savefile_versions = \"{}..\"]", range.from)
            };
            errors.error(
                here,
                format!(
                    "enum variants cannot be removed, only added, so a variant's range must be \
                     open: {fix}, and keep the variant even if it is no longer used"
                ),
            );
        } else {
            out.versions = Some((range, here));
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
                            let content;
                            syn::parenthesized!(content in meta.input);
                            content.parse::<proc_macro2::TokenStream>()?;
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
