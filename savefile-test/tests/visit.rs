//! Visited loads (`visit_dynamic_*`): a visitor is told what the tree `load_dynamic`
//! builds tells when replayed (`Value::visit`), on every compatibility fixture with a
//! schema and on the datasets; the visit fails where and as `load_dynamic` does, under
//! any memory limit; strings are lent from the input; a visitor's error stops the load.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;

use savefile::{
    load_dynamic, load_dynamic_from_mem_with, save_to_mem, visit_dynamic, visit_dynamic_from_mem,
    LoadOptions, NumberType, Numbers, SeqKind, Visit, VisitError,
};

fn fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compat");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.ends_with(".schema.sav") || name.ends_with(".bz2.sav")
        })
        .collect();
    files.sort();
    files
}

/// Every call a visitor is given, as text: what is compared. Runs of numbers are
/// joined into one (a load lends them a few hundred at a time, a replay in one run),
/// `reserve` is only checked to be at most the length, and the string-keys flag of a
/// map without entries is left out (a replay cannot know the schema's key type).
#[derive(Default)]
struct Record {
    calls: Vec<String>,
    /// The kinds of the values begun and not yet ended, to check that they pair up.
    open: Vec<&'static str>,
}

impl Record {
    fn call(&mut self, call: String) -> Result<(), Infallible> {
        self.calls.push(call);
        Ok(())
    }

    fn begin(&mut self, kind: &'static str, call: String) -> Result<(), Infallible> {
        self.open.push(kind);
        self.call(call)
    }

    fn end(&mut self, kind: &'static str) -> Result<(), Infallible> {
        assert_eq!(self.open.pop(), Some(kind), "an end without its begin");
        self.call(format!("end {kind}"))
    }
}

impl Visit for Record {
    type Error = Infallible;

    fn unit(&mut self) -> Result<(), Infallible> {
        self.call("()".into())
    }
    fn bool(&mut self, value: bool) -> Result<(), Infallible> {
        self.call(format!("{value}"))
    }
    fn int(&mut self, value: i128) -> Result<(), Infallible> {
        self.call(format!("int {value}"))
    }
    fn uint(&mut self, value: u128) -> Result<(), Infallible> {
        self.call(format!("uint {value}"))
    }
    fn f32(&mut self, value: f32) -> Result<(), Infallible> {
        self.call(format!("f32 {:?}", value.to_bits()))
    }
    fn f64(&mut self, value: f64) -> Result<(), Infallible> {
        self.call(format!("f64 {:?}", value.to_bits()))
    }
    fn char(&mut self, value: char) -> Result<(), Infallible> {
        self.call(format!("{value:?}"))
    }
    fn str(&mut self, value: &str) -> Result<(), Infallible> {
        self.call(format!("{value:?}"))
    }
    fn timestamp(&mut self, nanos: i64) -> Result<(), Infallible> {
        self.call(format!("at {nanos}"))
    }
    fn bits(&mut self, len: u64, bytes: Vec<u8>) -> Result<(), Infallible> {
        self.call(format!("{len} bits {bytes:?}"))
    }
    fn canary(&mut self) -> Result<(), Infallible> {
        self.call("canary".into())
    }
    fn none(&mut self) -> Result<(), Infallible> {
        self.call("None".into())
    }
    fn some(&mut self) -> Result<(), Infallible> {
        self.call("Some".into())
    }
    fn begin_struct(&mut self, name: &Arc<str>, fields: usize) -> Result<(), Infallible> {
        self.begin("struct", format!("struct {name} of {fields}"))
    }
    fn field(&mut self, index: usize, name: &Arc<str>) -> Result<(), Infallible> {
        self.call(format!("field {index} {name}"))
    }
    fn end_struct(&mut self) -> Result<(), Infallible> {
        self.end("struct")
    }
    fn begin_enum(
        &mut self,
        name: &Arc<str>,
        variant: &Arc<str>,
        fields: usize,
    ) -> Result<(), Infallible> {
        self.begin("enum", format!("enum {name}::{variant} of {fields}"))
    }
    fn end_enum(&mut self) -> Result<(), Infallible> {
        self.end("enum")
    }
    fn begin_seq(&mut self, kind: SeqKind, len: usize, reserve: usize) -> Result<(), Infallible> {
        assert!(reserve <= len);
        self.begin("seq", format!("{kind:?} of {len}"))
    }
    fn element(&mut self, index: usize) -> Result<(), Infallible> {
        self.call(format!("element {index}"))
    }
    fn end_seq(&mut self) -> Result<(), Infallible> {
        self.end("seq")
    }
    fn begin_map(&mut self, len: usize, reserve: usize, keys: bool) -> Result<(), Infallible> {
        assert!(reserve <= len);
        let keys = if len > 0 {
            format!(", string keys {keys}")
        } else {
            String::new()
        };
        self.begin("map", format!("map of {len}{keys}"))
    }
    fn entry_key(&mut self, index: usize) -> Result<(), Infallible> {
        self.call(format!("key {index}"))
    }
    fn entry_value(&mut self) -> Result<(), Infallible> {
        self.call("value".into())
    }
    fn end_map(&mut self) -> Result<(), Infallible> {
        self.end("map")
    }
    fn begin_numbers(
        &mut self,
        number: NumberType,
        len: usize,
        reserve: usize,
    ) -> Result<(), Infallible> {
        assert!(reserve <= len);
        self.begin("numbers", format!("{number:?} of {len}"))?;
        self.call(String::new())
    }
    fn numbers(&mut self, run: Numbers<'_>) -> Result<(), Infallible> {
        let text = match run {
            Numbers::U8(v) => format!("{v:?}"),
            Numbers::I8(v) => format!("{v:?}"),
            Numbers::U16(v) => format!("{v:?}"),
            Numbers::I16(v) => format!("{v:?}"),
            Numbers::U32(v) => format!("{v:?}"),
            Numbers::I32(v) => format!("{v:?}"),
            Numbers::U64(v) => format!("{v:?}"),
            Numbers::I64(v) => format!("{v:?}"),
            Numbers::U128(v) => format!("{v:?}"),
            Numbers::I128(v) => format!("{v:?}"),
            Numbers::F32(v) => format!("{:?}", v.iter().map(|x| x.to_bits()).collect::<Vec<_>>()),
            Numbers::F64(v) => format!("{:?}", v.iter().map(|x| x.to_bits()).collect::<Vec<_>>()),
            other => panic!("a new number type: {other:?}"),
        };
        // Joined into the text the begin added.
        self.calls.last_mut().unwrap().push_str(&text);
        Ok(())
    }
    fn end_numbers(&mut self) -> Result<(), Infallible> {
        self.end("numbers")
    }
}

/// What a visit of `file` from memory tells, checked against a visit from a stream and
/// the replay of the tree `load_dynamic` builds.
fn visit_agrees(file: &[u8], label: &str) {
    let options = LoadOptions::default();
    let mut visited = Record::default();
    let found = visit_dynamic_from_mem(file, &options, &mut visited)
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    assert!(visited.open.is_empty(), "{label}");
    let mut streamed = Record::default();
    visit_dynamic(&mut &file[..], &options, &mut streamed).unwrap();
    assert_eq!(visited.calls, streamed.calls, "{label}: from a stream");
    let dynamic = load_dynamic_from_mem_with(file, &options).unwrap();
    assert_eq!(
        (found.header, &found.schema),
        (dynamic.header, &dynamic.schema)
    );
    let mut replayed = Record::default();
    dynamic.value.visit(&mut replayed).unwrap();
    if let Some(at) = (0..visited.calls.len().min(replayed.calls.len()))
        .find(|&i| visited.calls[i] != replayed.calls[i])
    {
        panic!(
            "{label}: call {at}: visited {:?}, replayed {:?}",
            visited.calls[at], replayed.calls[at]
        );
    }
    assert_eq!(visited.calls.len(), replayed.calls.len(), "{label}");
}

#[test]
fn every_fixture_visits_as_its_tree_replays() {
    let files = fixtures();
    assert!(files.len() > 200, "{}", files.len());
    for path in &files {
        visit_agrees(&std::fs::read(path).unwrap(), &path.display().to_string());
    }
}

#[test]
fn the_datasets_visit_as_their_trees_replay() {
    use savefile_test::datasets;
    visit_agrees(&save_to_mem(0, &datasets::log::generate()).unwrap(), "log");
    visit_agrees(
        &save_to_mem(0, &datasets::mesh::generate()).unwrap(),
        "mesh",
    );
    let minecraft = save_to_mem(0, &datasets::minecraft::generate()).unwrap();
    visit_agrees(&minecraft, "minecraft");
    visit_agrees(
        &save_to_mem(0, &datasets::mk48::generate()).unwrap(),
        "mk48",
    );
}

/// The error of a visit, as text, and that of `load_dynamic`, for the same input.
fn both_errors(file: &[u8], options: &LoadOptions) -> (Option<String>, Option<String>) {
    let describe = |e: &savefile::DynamicError| format!("{e} / {} / {:?}", e.path, e.offset);
    let visited = match visit_dynamic_from_mem(file, options, &mut Record::default()) {
        Ok(_) => None,
        Err(VisitError::Load(e)) => Some(describe(&e)),
        Err(VisitError::Visitor(never)) => match never {},
    };
    let loaded = load_dynamic_from_mem_with(file, options).err();
    (visited, loaded.as_ref().map(describe))
}

#[test]
fn visits_fail_where_and_as_loads_do() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compat");
    let options = LoadOptions::default();
    for name in [
        "ecosystem_struct.schema.sav",
        "enum_struct_variant.schema.sav",
        "recursive_tree.bz2.sav",
        "socketaddr_v6.schema.sav",
    ] {
        let file = std::fs::read(dir.join(name)).unwrap();
        for len in 0..file.len() {
            let (visited, loaded) = both_errors(&file[..len], &options);
            assert!(loaded.is_some(), "{name}[..{len}]");
            assert_eq!(visited, loaded, "{name}[..{len}]");
            let mut stream = &file[..len];
            let streamed = visit_dynamic(&mut stream, &options, &mut Record::default());
            let mut stream = &file[..len];
            assert_eq!(
                streamed.err().map(|e| e.to_string()),
                load_dynamic(&mut stream).err().map(|e| e.to_string()),
                "{name}[..{len}] from a stream"
            );
        }
        // Under every memory limit up to the one that suffices, the same refusal.
        let needed = (0..)
            .map(|k| 64u64 << k)
            .find(|&limit| {
                both_errors(&file, &LoadOptions::default().max_bytes(limit))
                    .1
                    .is_none()
            })
            .unwrap();
        for limit in (0..needed).step_by(((needed / 500) as usize).max(1)) {
            let (visited, loaded) = both_errors(&file, &LoadOptions::default().max_bytes(limit));
            assert_eq!(visited, loaded, "{name} under {limit} bytes");
        }
    }
}

#[test]
fn strings_are_lent_from_the_input() {
    /// Where the strings it is lent are.
    struct Addresses(Vec<std::ops::Range<usize>>);
    impl Visit for Addresses {
        type Error = Infallible;
        fn str(&mut self, text: &str) -> Result<(), Infallible> {
            let start = text.as_ptr() as usize;
            self.0.push(start..start + text.len());
            Ok(())
        }
    }
    let names: Vec<String> = (0..100).map(|i| format!("player {i}")).collect();
    let file = save_to_mem(0, &names).unwrap();
    let mut lent = Addresses(Vec::new());
    visit_dynamic_from_mem(&file, &LoadOptions::default(), &mut lent).unwrap();
    let input = file.as_ptr() as usize..file.as_ptr() as usize + file.len();
    assert_eq!(lent.0.len(), 100);
    for range in &lent.0 {
        assert!(input.contains(&range.start) && range.end <= input.end);
    }
}

#[test]
fn a_visitor_error_stops_the_load() {
    /// Stops at the third string.
    struct Third(usize);
    impl Visit for Third {
        type Error = &'static str;
        fn str(&mut self, _: &str) -> Result<(), &'static str> {
            self.0 += 1;
            match self.0 {
                3 => Err("enough"),
                _ => Ok(()),
            }
        }
    }
    let file = save_to_mem(0, &vec!["a".to_string(); 10]).unwrap();
    let mut third = Third(0);
    let stopped = visit_dynamic_from_mem(&file, &LoadOptions::default(), &mut third);
    assert!(matches!(stopped, Err(VisitError::Visitor("enough"))));
    assert_eq!(third.0, 3);
}
