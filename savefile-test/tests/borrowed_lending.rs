//! What borrowed loads lend: every `&str`, `&[u8]` and `Cow::Borrowed` of a loaded
//! value lies inside the input, and `Cow<[T]>` of numbers is borrowed exactly when its
//! elements lie at an address aligned for `T`, copied otherwise, with the same
//! contents either way; invalid elements are refused, never lent.

#[path = "borrowed/twins.rs"]
mod twins;

use std::borrow::Cow;

use savefile::prelude::*;
use savefile::AlignedBytes;

use twins::{events, file_of, load_borrowed, load_owned, record, Gapped, Record};

/// Asserts that every borrowing part of `record` lies inside `input`; the `Cow`s of
/// text borrowed, those of numbers borrowed only where `aligned` says so.
fn assert_lent(input: &[u8], record: &Record<'_>, aligned: [bool; 2]) {
    let lent = |part: &[u8], what: &str| assert!(twins::inside(input, part), "{what} was copied");
    lent(record.name.as_bytes(), "name");
    lent(record.raw, "raw");
    assert!(twins::inside(input, record.flags), "flags were copied");
    assert!(twins::inside(input, record.colors), "colors were copied");
    let Cow::Borrowed(note) = &record.note else {
        panic!("the note was copied")
    };
    lent(note.as_bytes(), "note");
    for tag in &record.tags {
        lent(tag.as_bytes(), "a tag");
    }
    for (key, value) in &record.parts {
        lent(key.as_bytes(), "a key");
        let Cow::Borrowed(value) = value else {
            panic!("a part was copied")
        };
        lent(value.as_bytes(), "a part");
    }
    match (&record.words, aligned[0]) {
        (Cow::Borrowed(words), true) => assert!(twins::inside(input, words)),
        (Cow::Owned(_), false) => {}
        (words, aligned) => panic!("aligned {aligned}, words {words:?}"),
    }
    match (&record.samples, aligned[1]) {
        (Cow::Borrowed(samples), true) => assert!(twins::inside(input, samples)),
        (Cow::Owned(_), false) => {}
        (samples, aligned) => panic!("aligned {aligned}, samples {samples:?}"),
    }
}

/// Where, in a file of `record` (with its schema or without), the elements of `words`
/// and of `samples` start.
fn number_offsets(record: &Record<'_>, with_schema: bool) -> [usize; 2] {
    let schema_len = match with_schema {
        true => file_of(record, true).len() - file_of(record, false).len(),
        false => 0,
    };
    let words = twins::HEADER_LEN
        + schema_len
        + [record.name.len(), record.note.len(), record.raw.len()]
            .iter()
            .map(|len| 8 + len)
            .sum::<usize>()
        + 8;
    [words, words + 4 * record.words.len() + 8]
}

#[test]
fn a_borrowed_load_lends_text_and_bytes_from_its_input_and_aligned_numbers_too() {
    // Names of every length up to 8 move the numbers across all alignments.
    for name in ["", "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg"] {
        let value = record(name);
        for with_schema in [true, false] {
            let file = file_of(&value, with_schema);
            let offsets = number_offsets(&value, with_schema);
            // The same bytes at every shift from an address aligned to 64.
            for shift in 0..8 {
                let mut buffer = AlignedBytes::zeroed(file.len() + shift);
                buffer.as_mut_slice()[shift..].copy_from_slice(&file);
                let input = &buffer.as_slice()[shift..];
                let loaded: Record<'_> = load_borrowed(input, with_schema).unwrap();
                assert_eq!(loaded, value, "{name:?}, shifted by {shift}");
                let aligned = [(shift + offsets[0]) % 4 == 0, (shift + offsets[1]) % 8 == 0];
                assert_lent(input, &loaded, aligned);
                if let Cow::Borrowed(words) = &loaded.words {
                    assert_eq!(
                        words.as_ptr() as usize,
                        input.as_ptr() as usize + offsets[0]
                    );
                }
            }
        }
    }
}

#[test]
fn a_vector_of_u32_is_borrowed_when_its_elements_are_aligned_and_copied_otherwise() {
    let words: Vec<u32> = (0..10).map(|i| i * 0x0101_0101).collect();
    for with_schema in [true, false] {
        let file = file_of(&words, with_schema);
        let data_at = file.len() - 4 * words.len();
        assert_eq!(data_at % 4, 0, "a lone vector's elements are aligned");
        for shift in 0..4 {
            let mut buffer = AlignedBytes::zeroed(file.len() + shift);
            buffer.as_mut_slice()[shift..].copy_from_slice(&file);
            let input = &buffer.as_slice()[shift..];
            let loaded: Cow<'_, [u32]> = load_borrowed(input, with_schema).unwrap();
            assert_eq!(*loaded, words[..]);
            match (&loaded, shift) {
                (Cow::Borrowed(view), 0) => {
                    assert_eq!(view.as_ptr().cast::<u8>(), input[data_at..].as_ptr());
                }
                (Cow::Owned(_), 1..) => {}
                (loaded, shift) => panic!("shifted by {shift}: {loaded:?}"),
            }
        }
    }
}

#[test]
fn slices_of_elements_stored_by_index_are_copied() {
    let gapped = vec![Gapped::Five, Gapped::One];
    let file = file_of(&gapped, true);
    let loaded: Cow<'_, [Gapped]> = load_borrowed(&file, true).unwrap();
    assert!(
        matches!(loaded, Cow::Owned(ref v) if *v == gapped),
        "{loaded:?}"
    );
}

#[test]
fn events_lend_their_payloads() {
    let all = events("someone");
    let file = file_of(&all, false);
    let loaded: Vec<twins::Event<'_>> = load_borrowed(&file, false).unwrap();
    assert_eq!(loaded, all);
    let mut lent = 0;
    let mut pending: Vec<&twins::Event<'_>> = loaded.iter().collect();
    while let Some(event) = pending.pop() {
        match event {
            twins::Event::Quit => {}
            twins::Event::Say { who, text } => {
                assert!(twins::inside(&file, who.as_bytes()));
                assert!(matches!(text, Cow::Borrowed(t) if twins::inside(&file, t.as_bytes())));
                lent += 2;
            }
            twins::Event::Data(bytes, _) => {
                assert!(twins::inside(&file, bytes));
                lent += 1;
            }
            twins::Event::Batch(records) => {
                for record in records {
                    assert!(twins::inside(&file, record.name.as_bytes()));
                    lent += 1;
                }
            }
            twins::Event::Next(next) => pending.extend(next.as_deref()),
        }
    }
    assert_eq!(lent, 7);
}

#[test]
fn an_invalid_bool_is_refused_not_lent() {
    let flags = vec![true, false, true];
    for with_schema in [true, false] {
        let mut file = file_of(&flags, with_schema);
        *file.last_mut().unwrap() = 2;
        let refused = |loaded: Result<(), SavefileError>, what: &str| match loaded {
            Err(SavefileError::InvalidBool { value: 2 }) => {}
            other => panic!("{what}: {other:?}"),
        };
        refused(
            load_borrowed::<Cow<'_, [bool]>>(&file, with_schema).map(drop),
            "Cow<[bool]>",
        );
        refused(
            load_borrowed::<&[bool]>(&file, with_schema).map(drop),
            "&[bool]",
        );
        refused(
            load_owned::<Vec<bool>>(&file, with_schema).map(drop),
            "Vec<bool>",
        );
    }
    // Inside a record, in every alignment.
    let value = record("r");
    let mut file = file_of(&value, false);
    let flag_at = file.len()
        - file_of(
            &(
                value.flags,
                value.colors,
                value.id,
                &value.tags,
                &value.parts,
            ),
            false,
        )
        .len()
        + twins::HEADER_LEN
        + 8;
    assert_eq!(file[flag_at], 1);
    file[flag_at] = 2;
    for shift in 0..4 {
        let mut buffer = AlignedBytes::zeroed(file.len() + shift);
        buffer.as_mut_slice()[shift..].copy_from_slice(&file);
        let loaded = load_borrowed::<Record<'_>>(&buffer.as_slice()[shift..], false);
        assert!(
            matches!(loaded, Err(SavefileError::InvalidBool { value: 2 })),
            "{loaded:?}"
        );
    }
}
