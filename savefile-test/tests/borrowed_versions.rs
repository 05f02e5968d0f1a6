//! Versioning through the derive, loaded borrowed: fields added, removed and saved
//! as older types, defaults, ignored fields and variants added later all load as
//! they do into the owned twin, for every data version of file and program, and a
//! file newer than the program is refused alike.

use std::borrow::Cow;

use savefile::prelude::*;
use savefile::{load_from_mem_borrowed, load_from_mem_noschema_borrowed};

/// The newest data version.
const CURRENT: u32 = 2;

/// The text an age saved as a number (version 0) becomes.
fn age_text(age: u32) -> Cow<'static, str> {
    Cow::Owned(format!("{age} years"))
}

fn no_email() -> &'static str {
    "(none)"
}

/// Version 2, borrowed: `legacy` went in version 1, `old_note` in version 2; `age`
/// was a number in version 0; `email` came in version 1, `level` in version 2.
#[derive(Savefile, Debug, PartialEq)]
struct Profile<'a> {
    name: &'a str,
    #[savefile_versions = "0..0"]
    legacy: Removed<&'a str>,
    #[savefile_versions = "0..1"]
    old_note: Removed<String>,
    #[savefile_versions_as = "0..0:age_text:u32"]
    #[savefile_versions = "1.."]
    age: Cow<'a, str>,
    #[savefile_versions = "1.."]
    #[savefile_default_fn = "no_email"]
    email: &'a str,
    #[savefile_versions = "2.."]
    #[savefile_default_val = "3"]
    level: u8,
    #[savefile_ignore]
    cache: Option<&'a str>,
    /// In version 0 a `&str`, converted with `From` (and so still lent).
    #[savefile_versions_as = "0..0:&'a str"]
    #[savefile_versions = "1.."]
    title: Cow<'a, str>,
    mood: Mood<'a>,
}

/// `Text` came in version 1, `Tagged` in version 2.
#[derive(Savefile, Debug, PartialEq)]
enum Mood<'a> {
    Calm,
    #[savefile_versions = "1.."]
    Text(&'a str),
    #[savefile_versions = "2.."]
    Tagged {
        tag: Cow<'a, str>,
    },
}

/// The owned twins, with the same attributes.
mod owned {
    use savefile::prelude::*;

    fn age_text(age: u32) -> String {
        format!("{age} years")
    }

    fn no_email() -> String {
        "(none)".into()
    }

    #[derive(Savefile, Debug, PartialEq)]
    pub(crate) struct Profile {
        pub(crate) name: String,
        #[savefile_versions = "0..0"]
        pub(crate) legacy: Removed<String>,
        #[savefile_versions = "0..1"]
        pub(crate) old_note: Removed<String>,
        #[savefile_versions_as = "0..0:age_text:u32"]
        #[savefile_versions = "1.."]
        pub(crate) age: String,
        #[savefile_versions = "1.."]
        #[savefile_default_fn = "no_email"]
        pub(crate) email: String,
        #[savefile_versions = "2.."]
        #[savefile_default_val = "3"]
        pub(crate) level: u8,
        #[savefile_ignore]
        pub(crate) cache: Option<String>,
        #[savefile_versions_as = "0..0:String"]
        #[savefile_versions = "1.."]
        pub(crate) title: String,
        pub(crate) mood: Mood,
    }

    #[derive(Savefile, Debug, PartialEq)]
    pub(crate) enum Mood {
        Calm,
        #[savefile_versions = "1.."]
        Text(String),
        #[savefile_versions = "2.."]
        Tagged {
            tag: String,
        },
    }
}

/// The program of version 0.
mod v0 {
    use savefile::prelude::*;

    #[derive(Savefile)]
    pub(crate) struct Profile {
        pub(crate) name: String,
        pub(crate) legacy: String,
        pub(crate) old_note: String,
        pub(crate) age: u32,
        pub(crate) title: String,
        pub(crate) mood: Mood,
    }

    #[derive(Savefile)]
    pub(crate) enum Mood {
        Calm,
    }
}

/// The program of version 1.
mod v1 {
    use savefile::prelude::*;

    #[derive(Savefile)]
    pub(crate) struct Profile<'a> {
        pub(crate) name: &'a str,
        pub(crate) old_note: &'a str,
        pub(crate) age: &'a str,
        pub(crate) email: &'a str,
        pub(crate) title: &'a str,
        pub(crate) mood: Mood<'a>,
    }

    #[derive(Savefile)]
    pub(crate) enum Mood<'a> {
        Calm,
        Text(&'a str),
    }
}

impl Profile<'_> {
    fn owned(&self) -> owned::Profile {
        owned::Profile {
            name: self.name.into(),
            legacy: Removed::new(),
            old_note: Removed::new(),
            age: self.age.to_string(),
            email: self.email.into(),
            level: self.level,
            cache: self.cache.map(String::from),
            title: self.title.to_string(),
            mood: match &self.mood {
                Mood::Calm => owned::Mood::Calm,
                Mood::Text(text) => owned::Mood::Text(text.to_string()),
                Mood::Tagged { tag } => owned::Mood::Tagged {
                    tag: tag.to_string(),
                },
            },
        }
    }
}

/// The files of each data version, with schema and without: (version, schema file,
/// no-schema file).
fn files() -> Vec<(u32, Vec<u8>, Vec<u8>)> {
    fn both<T: WithSchema + Serialize>(version: u32, value: &T) -> (u32, Vec<u8>, Vec<u8>) {
        let mut bare = Vec::new();
        save_noschema(&mut bare, version, value).unwrap();
        (version, save_to_mem(version, value).unwrap(), bare)
    }
    vec![
        both(
            0,
            &v0::Profile {
                name: "ann".into(),
                legacy: "gone".into(),
                old_note: "old".into(),
                age: 42,
                title: "Dr".into(),
                mood: v0::Mood::Calm,
            },
        ),
        both(
            1,
            &v1::Profile {
                name: "bob",
                old_note: "old",
                age: "young",
                email: "bob@example.org",
                title: "Mr",
                mood: v1::Mood::Text("fine"),
            },
        ),
        both(
            2,
            &Profile {
                name: "cy",
                legacy: Removed::new(),
                old_note: Removed::new(),
                age: Cow::Borrowed("ageless"),
                email: "cy@example.org",
                level: 9,
                cache: Some("not saved"),
                title: Cow::Owned("Mx".into()),
                mood: Mood::Tagged {
                    tag: Cow::Borrowed("t"),
                },
            },
        ),
    ]
}

#[test]
fn every_older_file_loads_borrowed_as_it_loads_owned() {
    for (version, with_schema, bare) in files() {
        // Any program of the file's version or newer reads it.
        for program in version..=CURRENT {
            let loads = [
                (
                    load_from_mem_borrowed::<Profile<'_>>(&with_schema, program),
                    load_from_mem::<owned::Profile>(&with_schema, program),
                ),
                (
                    load_from_mem_noschema_borrowed::<Profile<'_>>(&bare, program),
                    load_from_mem_noschema::<owned::Profile>(&bare, program),
                ),
            ];
            for (borrowed, owned) in loads {
                let context = format!("file version {version}, program version {program}");
                let borrowed = borrowed.unwrap_or_else(|e| panic!("{context}: {e}"));
                let owned = owned.unwrap_or_else(|e| panic!("{context}: {e}"));
                assert_eq!(borrowed.owned(), owned, "{context}");
                assert_eq!(borrowed.cache, None, "{context}: an ignored field");
                // What each version saved, defaulted or converted.
                let expected = match version {
                    0 => ("42 years", "(none)", 3, Mood::Calm),
                    1 => ("young", "bob@example.org", 3, Mood::Text("fine")),
                    _ => (
                        "ageless",
                        "cy@example.org",
                        9,
                        Mood::Tagged {
                            tag: Cow::Borrowed("t"),
                        },
                    ),
                };
                assert_eq!(
                    (
                        &*borrowed.age,
                        borrowed.email,
                        borrowed.level,
                        borrowed.mood
                    ),
                    expected,
                    "{context}"
                );
                assert_eq!(
                    &*borrowed.title,
                    ["Dr", "Mr", "Mx"][version as usize],
                    "{context}"
                );
                // The converted number is owned; text saved as text is lent, also
                // when converted from the `&str` of version 0.
                assert_eq!(
                    matches!(borrowed.age, Cow::Owned(_)),
                    version == 0,
                    "{context}"
                );
                assert!(matches!(borrowed.title, Cow::Borrowed(_)), "{context}");
            }
        }
    }
}

#[test]
fn a_file_newer_than_the_program_is_refused_alike() {
    for (version, with_schema, bare) in files() {
        for program in 0..version {
            let refusals = [
                (
                    load_from_mem_borrowed::<Profile<'_>>(&with_schema, program).unwrap_err(),
                    load_from_mem::<owned::Profile>(&with_schema, program).unwrap_err(),
                ),
                (
                    load_from_mem_noschema_borrowed::<Profile<'_>>(&bare, program).unwrap_err(),
                    load_from_mem_noschema::<owned::Profile>(&bare, program).unwrap_err(),
                ),
            ];
            for (borrowed, owned) in refusals {
                assert!(
                    matches!(borrowed, SavefileError::WrongVersion { .. }),
                    "{borrowed:?}"
                );
                assert_eq!(borrowed.to_string(), owned.to_string());
            }
        }
    }
}

#[test]
fn a_variant_from_a_later_version_is_refused_in_an_older_file() {
    // A version-0 file whose mood is variant 1 (`Text`), which version 0 lacked.
    let (_, mut with_schema, mut bare) = files().swap_remove(0);
    for file in [&mut with_schema, &mut bare] {
        *file.last_mut().unwrap() = 1;
        file.extend(5u64.to_le_bytes());
        file.extend(b"hello");
    }
    let refusals = [
        (
            load_from_mem_borrowed::<Profile<'_>>(&with_schema, CURRENT).unwrap_err(),
            load_from_mem::<owned::Profile>(&with_schema, CURRENT).unwrap_err(),
        ),
        (
            load_from_mem_noschema_borrowed::<Profile<'_>>(&bare, CURRENT).unwrap_err(),
            load_from_mem_noschema::<owned::Profile>(&bare, CURRENT).unwrap_err(),
        ),
    ];
    for (borrowed, owned) in refusals {
        assert!(
            matches!(
                borrowed,
                SavefileError::InvalidTag {
                    type_name: "Mood",
                    tag: 1
                }
            ),
            "{borrowed:?}"
        );
        assert_eq!(borrowed.to_string(), owned.to_string());
    }
}

#[test]
fn a_borrowed_value_saves_as_its_owned_twin_in_every_version_it_can() {
    let value = Profile {
        name: "dee",
        legacy: Removed::new(),
        old_note: Removed::new(),
        age: Cow::Borrowed("old"),
        email: "dee@example.org",
        level: 1,
        cache: None,
        title: Cow::Borrowed(""),
        mood: Mood::Calm,
    };
    let owned = value.owned();
    let mut ours = Vec::new();
    save_noschema(&mut ours, CURRENT, &value).unwrap();
    let mut theirs = Vec::new();
    save_noschema(&mut theirs, CURRENT, &owned).unwrap();
    assert_eq!(ours, theirs);
    let back: owned::Profile =
        load_from_mem(&save_to_mem(CURRENT, &value).unwrap(), CURRENT).unwrap();
    assert_eq!(back, owned);
    // Versions with a removed field cannot be written, by either.
    for version in [0, 1] {
        assert!(save_to_mem(version, &value).is_err());
        assert!(save_to_mem(version, &owned).is_err());
    }
}

#[test]
fn a_vector_of_version_0_values_loads_borrowed_as_owned() {
    // The count of a vector is checked against the fewest bytes an element takes,
    // which must hold for the oldest version's elements too.
    let old: Vec<v0::Profile> = (0..3)
        .map(|age| v0::Profile {
            name: String::new(),
            legacy: String::new(),
            old_note: String::new(),
            age,
            title: String::new(),
            mood: v0::Mood::Calm,
        })
        .collect();
    let file = save_to_mem(0, &old).unwrap();
    let borrowed: Vec<Profile<'_>> = load_from_mem_borrowed(&file, CURRENT).unwrap();
    let owned: Vec<owned::Profile> = load_from_mem(&file, CURRENT).unwrap();
    let converted: Vec<owned::Profile> = borrowed.iter().map(Profile::owned).collect();
    assert_eq!(converted, owned);
    assert_eq!(borrowed[2].age, "2 years");
}
