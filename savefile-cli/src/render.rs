//! Values as an indented text tree or as JSON, with long sequences elided past a limit.

use std::io::{self, Write};

use savefile::Value;

/// How to write a value.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Elements of a sequence, array or map written before the rest is elided.
    pub limit: usize,
}

/// Writes `value` as an indented tree, one line per value, children below their parent.
pub fn text(out: &mut impl Write, value: &Value, style: Style) -> io::Result<()> {
    text_node(out, value, style, 0)?;
    writeln!(out)
}

fn indent(out: &mut impl Write, depth: usize) -> io::Result<()> {
    writeln!(out)?;
    for _ in 0..depth {
        out.write_all(b"  ")?;
    }
    Ok(())
}

/// Writes `value` after its label (already written), its children on the lines below.
fn text_node(out: &mut impl Write, value: &Value, style: Style, depth: usize) -> io::Result<()> {
    match value {
        Value::Struct { name, fields } => {
            write!(out, "{name}")?;
            for (field, value) in fields {
                indent(out, depth + 1)?;
                write!(out, "{field}: ")?;
                text_node(out, value, style, depth + 1)?;
            }
            Ok(())
        }
        Value::Enum {
            name,
            variant,
            fields,
        } => {
            write!(out, "{name}::{variant}")?;
            for (field, value) in fields {
                indent(out, depth + 1)?;
                write!(out, "{field}: ")?;
                text_node(out, value, style, depth + 1)?;
            }
            Ok(())
        }
        Value::Seq(items) | Value::Array(items) => {
            write!(out, "{} elements", items.len())?;
            for (index, item) in items.iter().take(style.limit).enumerate() {
                indent(out, depth + 1)?;
                write!(out, "{index}: ")?;
                text_node(out, item, style, depth + 1)?;
            }
            elided(out, items.len(), style, depth)
        }
        Value::Map(entries) => {
            write!(out, "{} entries", entries.len())?;
            for (key, value) in entries.iter().take(style.limit) {
                indent(out, depth + 1)?;
                match key.key_text() {
                    Some(text) if matches!(key, Value::Str(_)) => write!(out, "{text:?}: ")?,
                    Some(text) => write!(out, "{text}: ")?,
                    None => {
                        write!(out, "key: ")?;
                        text_node(out, key, style, depth + 2)?;
                        indent(out, depth + 1)?;
                        write!(out, "value: ")?;
                    }
                }
                text_node(out, value, style, depth + 1)?;
            }
            elided(out, entries.len(), style, depth)
        }
        Value::Option(None) => write!(out, "None"),
        Value::Option(Some(inner)) => {
            write!(out, "Some ")?;
            text_node(out, inner, style, depth)
        }
        Value::Bits { len, bytes } => {
            write!(out, "{len} bits ")?;
            let shown = (*len).min(style.limit.saturating_mul(8) as u64);
            for i in 0..shown {
                let bit = bytes
                    .get((i / 8) as usize)
                    .is_some_and(|b| b >> (i % 8) & 1 == 1);
                out.write_all(if bit { b"1" } else { b"0" })?;
            }
            if shown < *len {
                write!(out, "… ({} more)", len - shown)?;
            }
            Ok(())
        }
        scalar => {
            if let Some(len) = scalar.packed_len() {
                write!(out, "[")?;
                for index in 0..len.min(style.limit) {
                    if index > 0 {
                        write!(out, ", ")?;
                    }
                    if let Some(element) = scalar.packed_element(index) {
                        text_scalar(out, &element)?;
                    }
                }
                if len > style.limit {
                    write!(out, ", … {} more", len - style.limit)?;
                }
                return write!(out, "]");
            }
            text_scalar(out, scalar)
        }
    }
}

fn elided(out: &mut impl Write, len: usize, style: Style, depth: usize) -> io::Result<()> {
    if len > style.limit {
        indent(out, depth + 1)?;
        write!(out, "… {} more", len - style.limit)?;
    }
    Ok(())
}

fn text_scalar(out: &mut impl Write, value: &Value) -> io::Result<()> {
    match value {
        Value::Unit => write!(out, "()"),
        Value::Bool(b) => write!(out, "{b}"),
        Value::Int(n) => write!(out, "{n}"),
        Value::UInt(n) => write!(out, "{n}"),
        Value::F32(x) => write!(out, "{x:?}"),
        Value::F64(x) => write!(out, "{x:?}"),
        Value::Char(c) => write!(out, "{c:?}"),
        Value::Str(s) => write!(out, "{s:?}"),
        Value::Timestamp(nanos) => write!(out, "{}", timestamp(*nanos)),
        Value::Canary => write!(out, "Canary1"),
        other => write!(out, "{other:?}"),
    }
}

/// Writes `value` as JSON: structs as objects, sequences as arrays, enums as
/// `"Variant"` or `{"Variant": {fields}}`, options as `null` or the value, maps whose
/// keys are all strings as objects (others as arrays of `[key, value]`), timestamps as
/// RFC 3339 text, bit vectors as strings of `0` and `1`, and floats that JSON cannot
/// hold (NaN, infinities) as the strings `"NaN"`, `"inf"`, `"-inf"`. Sequences longer
/// than the limit end with a string `"… N more"`.
pub fn json(out: &mut impl Write, value: &Value, style: Style) -> io::Result<()> {
    json_node(out, value, style)?;
    writeln!(out)
}

fn json_str(out: &mut impl Write, text: &str) -> io::Result<()> {
    // Most text needs no escape: written as it is, between quotes.
    if text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.write_all(b"\"")?;
        out.write_all(text.as_bytes())?;
        return out.write_all(b"\"");
    }
    serde_json::to_writer(&mut *out, text).map_err(io::Error::other)
}

/// Writes an integer, through u64 or i64 when it fits (128-bit formatting is slow).
fn json_int(out: &mut impl Write, n: i128) -> io::Result<()> {
    match i64::try_from(n) {
        Ok(small) => write!(out, "{small}"),
        Err(_) => write!(out, "{n}"),
    }
}

fn json_uint(out: &mut impl Write, n: u128) -> io::Result<()> {
    match u64::try_from(n) {
        Ok(small) => write!(out, "{small}"),
        Err(_) => write!(out, "{n}"),
    }
}

fn json_fields(
    out: &mut impl Write,
    fields: &[(std::sync::Arc<str>, Value)],
    style: Style,
) -> io::Result<()> {
    out.write_all(b"{")?;
    for (index, (name, value)) in fields.iter().enumerate() {
        if index > 0 {
            out.write_all(b",")?;
        }
        json_str(out, name)?;
        out.write_all(b":")?;
        json_node(out, value, style)?;
    }
    out.write_all(b"}")
}

fn json_more(out: &mut impl Write, len: usize, style: Style, any: bool) -> io::Result<()> {
    if len > style.limit {
        if any {
            out.write_all(b",")?;
        }
        json_str(out, &format!("… {} more", len - style.limit))?;
    }
    Ok(())
}

fn json_node(out: &mut impl Write, value: &Value, style: Style) -> io::Result<()> {
    match value {
        Value::Struct { fields, .. } => json_fields(out, fields, style),
        Value::Enum {
            variant, fields, ..
        } => {
            if fields.is_empty() {
                return json_str(out, variant);
            }
            out.write_all(b"{")?;
            json_str(out, variant)?;
            out.write_all(b":")?;
            json_fields(out, fields, style)?;
            out.write_all(b"}")
        }
        Value::Seq(items) | Value::Array(items) => {
            out.write_all(b"[")?;
            for (index, item) in items.iter().take(style.limit).enumerate() {
                if index > 0 {
                    out.write_all(b",")?;
                }
                json_node(out, item, style)?;
            }
            json_more(
                out,
                items.len(),
                style,
                !items.is_empty() && style.limit > 0,
            )?;
            out.write_all(b"]")
        }
        Value::Map(entries) => {
            let object = entries.iter().all(|(key, _)| matches!(key, Value::Str(_)));
            out.write_all(if object { b"{" } else { b"[" })?;
            for (index, (key, value)) in entries.iter().take(style.limit).enumerate() {
                if index > 0 {
                    out.write_all(b",")?;
                }
                if let (true, Value::Str(key)) = (object, key) {
                    json_str(out, key)?;
                    out.write_all(b":")?;
                    json_node(out, value, style)?;
                } else {
                    out.write_all(b"[")?;
                    json_node(out, key, style)?;
                    out.write_all(b",")?;
                    json_node(out, value, style)?;
                    out.write_all(b"]")?;
                }
            }
            if object {
                if entries.len() > style.limit {
                    if style.limit > 0 {
                        out.write_all(b",")?;
                    }
                    json_str(out, "…")?;
                    write!(out, ":{}", entries.len() - style.limit)?;
                }
                out.write_all(b"}")
            } else {
                json_more(out, entries.len(), style, style.limit > 0)?;
                out.write_all(b"]")
            }
        }
        Value::Option(None) | Value::Unit => out.write_all(b"null"),
        Value::Option(Some(inner)) => json_node(out, inner, style),
        Value::Bool(b) => write!(out, "{b}"),
        Value::Int(n) => json_int(out, *n),
        Value::UInt(n) => json_uint(out, *n),
        // Debug, not Display: exponents keep extreme values short and JSON-readable.
        Value::F32(x) => json_float(out, *x as f64, &format!("{x:?}")),
        Value::F64(x) => json_float(out, *x, &format!("{x:?}")),
        Value::Char(c) => json_str(out, c.encode_utf8(&mut [0; 4])),
        Value::Str(s) => json_str(out, s),
        Value::Timestamp(nanos) => json_str(out, &timestamp(*nanos)),
        Value::Canary => json_str(out, "Canary1"),
        Value::Bits { len, bytes } => {
            let bits: String = (0..*len)
                .map(|i| {
                    let set = bytes
                        .get((i / 8) as usize)
                        .is_some_and(|b| b >> (i % 8) & 1 == 1);
                    if set {
                        '1'
                    } else {
                        '0'
                    }
                })
                .collect();
            json_str(out, &bits)
        }
        packed => {
            let len = packed.packed_len().unwrap_or(0);
            out.write_all(b"[")?;
            for index in 0..len.min(style.limit) {
                if index > 0 {
                    out.write_all(b",")?;
                }
                if let Some(element) = packed.packed_element(index) {
                    json_node(out, &element, style)?;
                }
            }
            json_more(out, len, style, len > 0 && style.limit > 0)?;
            out.write_all(b"]")
        }
    }
}

fn json_float(out: &mut impl Write, x: f64, text: &str) -> io::Result<()> {
    if x.is_nan() {
        json_str(out, "NaN")
    } else if x.is_infinite() {
        json_str(out, if x > 0.0 { "inf" } else { "-inf" })
    } else {
        out.write_all(text.as_bytes())
    }
}

/// Nanoseconds since 1970 as RFC 3339 UTC text: `2023-11-14T22:13:20.123456789Z`.
pub fn timestamp(nanos: i64) -> String {
    let seconds = nanos.div_euclid(1_000_000_000);
    let fraction = nanos.rem_euclid(1_000_000_000);
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    // Days to a civil date (the proleptic Gregorian calendar), after H. Hinnant.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{fraction:09}Z",
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_as_dates() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00.000000000Z");
        assert_eq!(
            timestamp(1_700_000_000_123_456_789),
            "2023-11-14T22:13:20.123456789Z"
        );
        assert_eq!(timestamp(-1), "1969-12-31T23:59:59.999999999Z");
    }

    #[test]
    fn json_parses() {
        let value = Value::Struct {
            name: "S".into(),
            fields: vec![
                ("a".into(), Value::F32s(vec![1.5, f32::NAN])),
                ("b".into(), Value::Option(None)),
                ("c\"".into(), Value::Str("x\ny".into())),
            ],
        };
        let mut out = Vec::new();
        json(&mut out, &value, Style { limit: usize::MAX }).unwrap();
        let parsed: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(parsed["a"][0], 1.5);
        assert_eq!(parsed["a"][1], "NaN");
        assert_eq!(parsed["c\""], "x\ny");
    }
}
