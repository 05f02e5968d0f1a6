//! What `savefile dump` writes as it decodes (a visit of the file, no tree) is what the
//! tree `load_dynamic` builds renders to: the same bytes through `Value::visit`, and, for
//! JSON, the same document as one built from the tree by the documented mapping with
//! serde_json. On every compatibility fixture with a schema and on the log dataset, with
//! and without elision.

use std::path::{Path, PathBuf};

use savefile::{load_dynamic_from_mem, visit_dynamic_from_mem, LoadOptions, Value};
use savefile_cli::render::{self, Json, Style, Text};
use serde_json::json;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../savefile-test/tests/fixtures/compat");
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.ends_with(".schema.sav") || name.ends_with(".bz2.sav")
        })
        .collect();
    names.sort();
    names
}

/// The limits tried: none, and ones that elide.
const LIMITS: [usize; 4] = [usize::MAX, 0, 1, 3];

fn streamed_json(file: &[u8], style: Style) -> Vec<u8> {
    let mut json = Json::new(Vec::new(), style);
    visit_dynamic_from_mem(file, &LoadOptions::default(), &mut json).unwrap();
    json.finish().unwrap()
}

fn streamed_text(file: &[u8], style: Style) -> Vec<u8> {
    let mut text = Text::new(Vec::new(), style);
    visit_dynamic_from_mem(file, &LoadOptions::default(), &mut text).unwrap();
    text.finish().unwrap()
}

/// A number as serde_json reads the text JSON writes for it.
fn number(text: String) -> serde_json::Value {
    serde_json::from_str(&text).unwrap()
}

/// `"… N more"` after `shown` of `len`, as the mapping elides.
fn elided(mut shown: Vec<serde_json::Value>, len: usize, limit: usize) -> serde_json::Value {
    if len > limit {
        shown.push(json!(format!("… {} more", len - limit)));
    }
    serde_json::Value::Array(shown)
}

/// The JSON document of `value` by the mapping of docs/inspect.md, elided past `limit`.
fn mapped(value: &Value, limit: usize) -> serde_json::Value {
    let fields = |fields: &[(std::sync::Arc<str>, Value)]| {
        let object = fields
            .iter()
            .map(|(name, value)| (name.to_string(), mapped(value, limit)))
            .collect();
        serde_json::Value::Object(object)
    };
    let float = |x: f64, text: String| match x {
        x if x.is_nan() => json!("NaN"),
        x if x.is_infinite() => json!(if x > 0.0 { "inf" } else { "-inf" }),
        _ => number(text),
    };
    match value {
        Value::Unit | Value::Option(None) => serde_json::Value::Null,
        Value::Option(Some(inner)) => mapped(inner, limit),
        Value::Bool(b) => json!(b),
        Value::Int(n) => number(n.to_string()),
        Value::UInt(n) => number(n.to_string()),
        Value::F32(x) => float(f64::from(*x), format!("{x:?}")),
        Value::F64(x) => float(*x, format!("{x:?}")),
        Value::Char(c) => json!(c.to_string()),
        Value::Str(s) => json!(s),
        Value::Timestamp(nanos) => json!(render::timestamp(*nanos)),
        Value::Canary => json!("Canary1"),
        Value::Bits { len, bytes } => {
            let bit = |i: u64| bytes[(i / 8) as usize] >> (i % 8) & 1 == 1;
            json!((0..*len)
                .map(|i| if bit(i) { '1' } else { '0' })
                .collect::<String>())
        }
        Value::Struct { fields: f, .. } => fields(f),
        Value::Enum {
            variant, fields: f, ..
        } if f.is_empty() => json!(&**variant),
        Value::Enum {
            variant, fields: f, ..
        } => json!({ variant.to_string(): fields(f) }),
        Value::Seq(items) | Value::Array(items) => {
            let shown = items.iter().take(limit).map(|v| mapped(v, limit)).collect();
            elided(shown, items.len(), limit)
        }
        Value::Map(entries) if entries.iter().all(|(k, _)| matches!(k, Value::Str(_))) => {
            let mut object = serde_json::Map::new();
            for (key, value) in entries.iter().take(limit) {
                let Value::Str(key) = key else { unreachable!() };
                object.insert(key.clone(), mapped(value, limit));
            }
            if entries.len() > limit {
                object.insert("…".to_string(), json!(entries.len() - limit));
            }
            serde_json::Value::Object(object)
        }
        Value::Map(entries) => {
            let shown = entries
                .iter()
                .take(limit)
                .map(|(k, v)| json!([mapped(k, limit), mapped(v, limit)]))
                .collect();
            elided(shown, entries.len(), limit)
        }
        packed => {
            let len = packed.packed_len().unwrap();
            let shown = (0..len.min(limit))
                .map(|i| mapped(&packed.packed_element(i).unwrap(), limit))
                .collect();
            elided(shown, len, limit)
        }
    }
}

/// The streamed renderings of `file` against those of its tree.
fn streamed_as_the_tree(file: &[u8], label: &str) {
    let tree = load_dynamic_from_mem(file).unwrap().value;
    for limit in LIMITS {
        let style = Style { limit };
        let streamed = streamed_json(file, style);
        let mut rendered = Vec::new();
        render::json(&mut rendered, &tree, style).unwrap();
        assert!(
            streamed == rendered,
            "{label}, limit {limit}: streamed JSON differs from the tree's:\n{}\n{}",
            String::from_utf8_lossy(&streamed),
            String::from_utf8_lossy(&rendered)
        );
        let parsed: serde_json::Value = serde_json::from_slice(&streamed)
            .unwrap_or_else(|e| panic!("{label}, limit {limit}: {e}"));
        assert_eq!(parsed, mapped(&tree, limit), "{label}, limit {limit}");
        let streamed = streamed_text(file, style);
        let mut rendered = Vec::new();
        render::text(&mut rendered, &tree, style).unwrap();
        assert!(
            streamed == rendered,
            "{label}, limit {limit}: streamed text differs from the tree's:\n{}\n{}",
            String::from_utf8_lossy(&streamed),
            String::from_utf8_lossy(&rendered)
        );
    }
}

#[test]
fn every_fixture_streams_as_its_tree_renders() {
    let files = fixtures();
    assert!(files.len() > 200);
    for path in &files {
        streamed_as_the_tree(&std::fs::read(path).unwrap(), &path.display().to_string());
    }
}

#[test]
fn the_log_dataset_streams_as_its_tree_renders() {
    let logs = savefile_test::datasets::log::generate();
    streamed_as_the_tree(&savefile::save_to_mem(0, &logs).unwrap(), "log");
}

#[test]
fn text_needing_escapes_streams_as_json_reads_it() {
    let value = (
        "quote \" backslash \\ newline \n tab \t bell \u{7} é ✓".to_string(),
        vec!['"', '\n', 'x'],
        vec![f32::NAN, f32::INFINITY, -0.0, 1e-40],
        std::collections::HashMap::from([(3u8, "three".to_string())]),
    );
    let file = savefile::save_to_mem(0, &value).unwrap();
    streamed_as_the_tree(&file, "escapes");
    let parsed: serde_json::Value =
        serde_json::from_slice(&streamed_json(&file, Style { limit: usize::MAX })).unwrap();
    assert_eq!(parsed["0"], json!(value.0));
    assert_eq!(parsed["1"], json!(["\"", "\n", "x"]));
    assert_eq!(parsed["2"], json!(["NaN", "inf", -0.0, 1e-40]));
    assert_eq!(parsed["3"], json!([[3, "three"]]));
}
