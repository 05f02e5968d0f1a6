//! Values as an indented text tree ([`Text`]) or as JSON ([`Json`]), with long
//! sequences elided past a limit.
//!
//! Both are visitors ([`savefile::Visit`]): the command renders a file as it decodes it
//! (`savefile::visit_dynamic_from_mem`), with no tree in between, and a value found in a
//! tree (`dump --path`) through [`savefile::Value::visit`], by the same code.

mod json;
mod output;
mod text;

use std::io::{self, Write};

use savefile::Value;

pub use json::Json;
pub use text::Text;

/// How to write a value.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Elements of a sequence, array or map written before the rest is elided.
    pub limit: usize,
}

/// Writes `value` as an indented tree, one line per value, children below their parent.
pub fn text(out: &mut impl Write, value: &Value, style: Style) -> io::Result<()> {
    let mut text = Text::new(out, style);
    value.visit(&mut text)?;
    text.finish().map(drop)
}

/// Writes `value` as JSON (see [`Json`]).
pub fn json(out: &mut impl Write, value: &Value, style: Style) -> io::Result<()> {
    let mut json = Json::new(out, style);
    value.visit(&mut json)?;
    json.finish().map(drop)
}

/// Whether what a visitor is told is written: not the elements of a sequence or map
/// past the limit, nor anything inside them, up to the end of that sequence or map.
#[derive(Default)]
struct Elision {
    /// The innermost open sequence or map is past its limit.
    eliding: bool,
    /// Values begun inside the elided elements and not yet ended.
    hidden: usize,
}

impl Elision {
    /// Whether a scalar, a field name, an element's index … is written.
    #[inline(always)]
    fn shows_value(&self) -> bool {
        !self.eliding
    }

    /// Whether a value with parts that begins is written.
    #[inline(always)]
    fn shows_begin(&mut self) -> bool {
        if self.eliding {
            self.hidden += 1;
        }
        !self.eliding
    }

    /// Whether the end of a value with parts is written: the end of the sequence or map
    /// being elided is, and ends the elision.
    #[inline(always)]
    fn shows_end(&mut self) -> bool {
        if !self.eliding {
            return true;
        }
        if self.hidden > 0 {
            self.hidden -= 1;
            return false;
        }
        self.eliding = false;
        true
    }

    /// The elements from here to the end of the innermost sequence or map are elided.
    fn start(&mut self) {
        self.eliding = true;
        self.hidden = 0;
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
