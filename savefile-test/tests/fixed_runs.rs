//! Runs of consecutive fixed-size fields of derived types are read as one block (one
//! bounds check for the run, `savefile::__private::read_field`). These tests check that
//! the block reads exactly what field-by-field reading does: the same values, the same
//! errors, and the same behaviour at the end of the input.

use savefile::prelude::*;
use savefile::{load_from_mem_noschema, Deserializer};

/// Three fixed-size fields whose memory has padding (so not copied in bulk).
#[derive(Savefile, Debug, PartialEq, Clone)]
struct Guidance {
    angle: u16,
    submerge: bool,
    velocity: i16,
}

/// Runs of fixed-size fields broken by a string, an option and a vector, with a
/// nested fixed-size struct, tuples, a char and an ignored field inside runs.
#[derive(Savefile, Debug, PartialEq, Clone)]
struct Mixed {
    damage: u8,
    id: u32,
    guidance: Guidance,
    name: String,
    position: (f32, f32),
    #[savefile_ignore]
    cache: u64,
    letter: char,
    flag: bool,
    player: Option<u16>,
    size: usize,
    turrets: Vec<u16>,
    last: (i8, bool),
}

/// A fieldless enum is its index: one byte here, part of the runs it sits in.
#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
enum Kind {
    Boat,
    Plane,
    #[savefile_versions = "1.."]
    Submarine,
}

/// Enums between fixed-size fields.
#[derive(Savefile, Debug, PartialEq, Clone)]
struct Tagged {
    kind: Kind,
    speed: u16,
    previous: Kind,
}

/// A versioned field takes its struct out of the fixed-size types.
#[derive(Savefile, Debug, PartialEq, Clone)]
struct Versioned {
    a: u8,
    #[savefile_versions = "1.."]
    b: u16,
}

fn mixed(n: u8) -> Mixed {
    Mixed {
        damage: n,
        id: 1000 + u32::from(n),
        guidance: Guidance {
            angle: 300 + u16::from(n),
            submerge: n % 2 == 0,
            velocity: -(i16::from(n)),
        },
        name: format!("ship {n}"),
        position: (f32::from(n) * 1.5, -2.25),
        cache: 0,
        letter: char::from(b'a' + n % 26),
        flag: n % 3 == 0,
        player: (n % 2 == 1).then_some(u16::from(n)),
        size: usize::from(n) * 7,
        turrets: (0..u16::from(n % 4)).collect(),
        last: (-(n as i8), true),
    }
}

fn bare<T: WithSchema + Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = Vec::new();
    save_noschema(&mut bytes, 1, value).unwrap();
    bytes
}

/// The length of the file header in front of the data.
const HEADER: usize = 16;

#[test]
fn fixed_sizes_are_known_exactly_for_fixed_layouts() {
    const {
        assert!(matches!(
            <(u8, u16, bool) as Deserialize>::__SAVEFILE_FIXED_SIZE,
            Some(4)
        ));
        assert!(matches!(
            <Guidance as Deserialize>::__SAVEFILE_FIXED_SIZE,
            Some(5)
        ));
        assert!(matches!(
            <(char, usize, f64) as Deserialize>::__SAVEFILE_FIXED_SIZE,
            Some(20)
        ));
        assert!(<Mixed as Deserialize>::__SAVEFILE_FIXED_SIZE.is_none());
        assert!(<Versioned as Deserialize>::__SAVEFILE_FIXED_SIZE.is_none());
        assert!(<String as Deserialize>::__SAVEFILE_FIXED_SIZE.is_none());
        assert!(<Option<u8> as Deserialize>::__SAVEFILE_FIXED_SIZE.is_none());
        assert!(matches!(
            <Tagged as Deserialize>::__SAVEFILE_FIXED_SIZE,
            Some(4)
        ));
    }
}

#[test]
fn fieldless_enums_in_runs_check_their_index_and_version() {
    let tagged = Tagged {
        kind: Kind::Submarine,
        speed: 12,
        previous: Kind::Plane,
    };
    let bytes = bare(&tagged);
    assert_eq!(&bytes[HEADER..], [2, 12, 0, 1]);
    assert_eq!(load_from_mem_noschema::<Tagged>(&bytes, 1).unwrap(), tagged);
    let in_vec = vec![tagged.clone(); 3];
    assert_eq!(
        load_from_mem_noschema::<Vec<Tagged>>(&bare(&in_vec), 1).unwrap(),
        in_vec
    );
    // An index past the last variant, and a variant that version 0 did not have.
    let mut bad = bytes.clone();
    bad[HEADER + 3] = 3;
    assert!(matches!(
        load_from_mem_noschema::<Tagged>(&bad, 1),
        Err(SavefileError::InvalidTag { tag: 3, .. })
    ));
    let old = Tagged {
        kind: Kind::Boat,
        ..tagged.clone()
    };
    let mut old_file = Vec::new();
    save_noschema(&mut old_file, 0, &old).unwrap();
    assert_eq!(load_from_mem_noschema::<Tagged>(&old_file, 0).unwrap(), old);
    old_file[HEADER] = 2;
    assert!(matches!(
        load_from_mem_noschema::<Tagged>(&old_file, 0),
        Err(SavefileError::InvalidTag { tag: 2, .. })
    ));
}

#[test]
fn runs_load_the_values_that_were_saved() {
    let values: Vec<Mixed> = (0..40).map(mixed).collect();
    let bytes = bare(&values);
    let from_memory: Vec<Mixed> = load_from_mem_noschema(&bytes, 1).unwrap();
    assert_eq!(from_memory, values);
    // A stream has nothing in memory: every field is read on its own.
    let from_stream: Vec<Mixed> = load_noschema(&mut &bytes[..], 1).unwrap();
    assert_eq!(from_stream, values);
    // One value on its own, whose last run ends exactly at the end of the input.
    let one = bare(&mixed(5));
    assert_eq!(load_from_mem_noschema::<Mixed>(&one, 1).unwrap(), mixed(5));
    let versioned = Versioned { a: 1, b: 2 };
    assert_eq!(
        load_from_mem_noschema::<Versioned>(&bare(&versioned), 1).unwrap(),
        versioned
    );
}

#[test]
fn a_run_cut_short_by_the_end_of_the_input_falls_back_to_reading_field_by_field() {
    // Split the data anywhere: a deserializer over the first part alone has some runs
    // whole, one cut short (taken field by field until a field is missing) and the
    // rest absent, and must fail (a short read, or a length longer than what is
    // left), never read past its input; one
    // over a reader of both parts (nothing in memory, so no blocks at all) loads the
    // value.
    let file = bare(&mixed(9));
    let bytes = &file[HEADER..];
    for split in 0..bytes.len() {
        let (head, tail) = bytes.split_at(split);
        let mut cut = Deserializer::from_slice(head, 1);
        let result = Mixed::deserialize(&mut cut);
        assert!(
            matches!(
                result,
                Err(SavefileError::ShortRead | SavefileError::LengthTooLarge { .. })
            ),
            "split at {split}: {result:?}"
        );
        let mut chained = Deserializer::from_reader(std::io::Read::chain(head, tail), 1);
        assert_eq!(
            Mixed::deserialize(&mut chained).ok(),
            Some(mixed(9)),
            "split at {split}"
        );
    }
}

#[test]
fn invalid_values_inside_a_run_are_the_same_errors() {
    let value = mixed(4);
    let bytes = bare(&value);
    // `submerge` is the 8th byte of the first run (1 + 4 + 2 + 1).
    let mut bad = bytes.clone();
    assert_eq!(bad[HEADER + 7], 1);
    bad[HEADER + 7] = 2;
    assert!(matches!(
        load_from_mem_noschema::<Mixed>(&bad, 1),
        Err(SavefileError::InvalidBool { value: 2 })
    ));
    assert!(matches!(
        load_noschema::<Mixed>(&mut &bad[..], 1),
        Err(SavefileError::InvalidBool { value: 2 })
    ));
    // Every truncation is an error, from memory and from a stream.
    for len in 0..bytes.len() {
        assert!(
            load_from_mem_noschema::<Mixed>(&bytes[..len], 1).is_err(),
            "{len}"
        );
        assert!(
            load_noschema::<Mixed>(&mut &bytes[..len], 1).is_err(),
            "{len}"
        );
    }
}
