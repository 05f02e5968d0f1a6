//! Version ranges as written in attributes: `"N.."`, `"..N"`, `"N..M"` (inclusive),
//! and the `savefile_versions_as` form `"A..B:OldType"` / `"A..B:convert_fn:OldType"`.

use super::Loc;

/// An inclusive range of data versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct VersionRange {
    /// The first version the range covers.
    pub(crate) from: u32,
    /// The last version the range covers; `u32::MAX` when the range is open.
    pub(crate) to: u32,
}

impl VersionRange {
    /// Every version.
    pub(crate) const ALL: VersionRange = VersionRange {
        from: 0,
        to: u32::MAX,
    };

    /// True if the range has no upper end.
    pub(crate) fn is_open(self) -> bool {
        self.to == u32::MAX
    }

    /// True if the two ranges share a version.
    pub(crate) fn overlaps(self, other: VersionRange) -> bool {
        self.from <= other.to && other.from <= self.to
    }

    /// The range as the user would write it.
    pub(crate) fn describe(self) -> String {
        match (self.from, self.is_open()) {
            (0, true) => "every version".to_string(),
            (from, true) => format!("{from}.."),
            (from, false) => format!("{from}..{}", self.to),
        }
    }

    /// Parses `"N.."`, `"..N"` or `"N..M"`; errors point `at` the string literal.
    pub(crate) fn parse(text: &str, at: Loc) -> syn::Result<VersionRange> {
        let fail = |why: &str| {
            at.error(format!(
                "invalid version range \"{text}\": {why}; write \"N..\" (from version N on), \
                     \"..N\" (up to and including N) or \"N..M\" (N to M inclusive)"
            ))
        };
        let (start, end) =
            text.trim()
                .split_once("..")
                .ok_or_else(|| match text.trim().parse::<u32>() {
                    Ok(n) => fail(&format!(
                    "a single number is not a range (a field added in version {n} is \"{n}..\")"
                )),
                    Err(_) => fail("it has no `..`"),
                })?;
        let number = |part: &str, which: &str| -> syn::Result<Option<u32>> {
            let part = part.trim();
            if part.is_empty() {
                return Ok(None);
            }
            if part.starts_with('=') {
                return Err(fail("`..=` is not used; ranges are inclusive already"));
            }
            part.parse::<u32>()
                .map(Some)
                .map_err(|_| fail(&format!("the {which} `{part}` is not a version number")))
        };
        let from = number(start, "start")?;
        let to = number(end, "end")?;
        let range = match (from, to) {
            (None, None) => return Err(fail("it names no version")),
            (Some(from), None) => VersionRange { from, to: u32::MAX },
            (None, Some(to)) => VersionRange { from: 0, to },
            (Some(from), Some(to)) => VersionRange { from, to },
        };
        if range.from > range.to {
            return Err(fail(&format!(
                "it is reversed ({} is after {})",
                range.from, range.to
            )));
        }
        if range.to == u32::MAX && to.is_some() {
            return Err(fail("its end is too large"));
        }
        Ok(range)
    }
}

/// One `savefile_versions_as` entry: in `range`, the field was saved as `old_type`,
/// converted with `convert` (or `From` when absent).
#[derive(Clone)]
pub(crate) struct VersionsAs {
    pub(crate) range: VersionRange,
    pub(crate) convert: Option<syn::Path>,
    pub(crate) old_type: syn::Type,
    /// Where the attribute's string is.
    pub(crate) loc: Loc,
}

impl VersionsAs {
    /// Parses `"A..B:OldType"` or `"A..B:convert_fn:OldType"`; `at` is the string literal.
    pub(crate) fn parse(text: &str, at: Loc) -> syn::Result<VersionsAs> {
        let usage = "write \"A..B:OldType\" (converted with `From`) or \"A..B:convert_fn:OldType\"";
        let (range_text, rest) = text
            .split_once(':')
            .ok_or_else(|| at.error(format!("invalid savefile_versions_as \"{text}\": {usage}")))?;
        let range = VersionRange::parse(range_text, at)?;
        if range.is_open() {
            return Err(at.error(format!(
                "savefile_versions_as \"{text}\" needs a closed range (\"A..B\"): the old type \
                     applies to versions before the field's current type"
            )));
        }
        // The old type may itself contain `::` (a path), so split on the first single colon.
        let (convert, type_text) = match split_single_colon(rest) {
            Some((convert, ty)) => (Some(convert), ty),
            None => (None, rest),
        };
        let old_type = syn::parse_str::<syn::Type>(type_text.trim()).map_err(|e| {
            at.error(format!(
                "invalid old type `{}` in savefile_versions_as: {e}",
                type_text.trim()
            ))
        })?;
        let convert = convert
            .map(|c| {
                syn::parse_str::<syn::Path>(c.trim()).map_err(|e| {
                    at.error(format!(
                        "invalid conversion function `{}` in savefile_versions_as: {e}",
                        c.trim()
                    ))
                })
            })
            .transpose()?;
        Ok(VersionsAs {
            range,
            convert,
            old_type,
            loc: at,
        })
    }
}

/// Splits at the first `:` that is not part of a `::`.
fn split_single_colon(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' {
            if bytes.get(i + 1) == Some(&b':') {
                i += 2;
                continue;
            }
            return Some((&text[..i], &text[i + 1..]));
        }
        i += 1;
    }
    None
}
