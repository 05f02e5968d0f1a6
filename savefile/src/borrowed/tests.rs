//! The borrowing reads on their own: where they lend, where they copy, and what they refuse.
//! (Run under valgrind in CI with the other unsafe paths.)

use std::borrow::Cow;

use crate::{
    load_from_mem_noschema_borrowed, save_noschema, AlignedBytes, DeserializeBorrowed,
    SavefileError, Serialize, WithSchema,
};

/// `value`'s no-schema file.
fn file_of<T: Serialize + WithSchema + ?Sized>(value: &T) -> Vec<u8> {
    let mut bytes = Vec::new();
    save_noschema(&mut bytes, 0, value).unwrap();
    bytes
}

/// Loads a `T` borrowed from `bytes`.
fn load<'de, T: DeserializeBorrowed<'de>>(bytes: &'de [u8]) -> Result<T, SavefileError> {
    load_from_mem_noschema_borrowed(bytes, 0)
}

/// True if `part` lies inside `whole`.
fn inside<T>(whole: &[u8], part: &[T]) -> bool {
    whole.as_ptr_range().contains(&part.as_ptr().cast::<u8>())
}

#[test]
fn strings_are_lent_whether_ascii_or_not() {
    for text in ["", "plain", "héllo ✓ 𝄞", &"long ascii text ".repeat(10)] {
        let bytes = file_of(&text.to_string());
        let lent: &str = load(&bytes).unwrap();
        assert_eq!(lent, text);
        assert!(text.is_empty() || inside(&bytes, lent.as_bytes()));
        let cow: Cow<'_, str> = load(&bytes).unwrap();
        assert!(matches!(cow, Cow::Borrowed(t) if t == text));
    }
}

#[test]
fn invalid_utf8_and_short_input_are_refused() {
    let mut bytes = file_of(&"abcd".to_string());
    let last = bytes.len() - 1;
    bytes[last] = 0xff;
    assert!(matches!(
        load::<&str>(&bytes),
        Err(SavefileError::InvalidUtf8 { .. })
    ));
    let bytes = file_of(&"abcd".to_string());
    for cut in 0..bytes.len() {
        assert!(load::<&str>(&bytes[..cut]).is_err(), "cut at {cut}");
        assert!(load::<&[u8]>(&bytes[..cut]).is_err(), "cut at {cut}");
    }
}

#[test]
fn byte_slices_and_checked_one_byte_types_are_lent() {
    let bytes = file_of(&vec![1u8, 2, 3]);
    let lent: &[u8] = load(&bytes).unwrap();
    assert_eq!(lent, [1, 2, 3]);
    assert!(inside(&bytes, lent));
    let mut bools = file_of(&vec![true, false, true]);
    let lent: &[bool] = load(&bools).unwrap();
    assert_eq!(lent, [true, false, true]);
    let last = bools.len() - 1;
    bools[last] = 2;
    assert!(matches!(
        load::<&[bool]>(&bools),
        Err(SavefileError::InvalidBool { .. })
    ));
    assert!(matches!(
        load::<Cow<'_, [bool]>>(&bools),
        Err(SavefileError::InvalidBool { .. })
    ));
}

#[test]
fn number_slices_are_lent_where_aligned_and_copied_where_not() {
    let numbers: Vec<u32> = (0..100).collect();
    let file = file_of(&numbers);
    // The elements start 4 bytes before the end of the count: at `len - 400`.
    let start = file.len() - 400;
    for shift in 0..4 {
        // Place the file so that its elements land `shift` bytes past a multiple of 4.
        let offset = (4 - start % 4 + shift) % 4;
        let mut buffer = AlignedBytes::zeroed(offset + file.len());
        buffer[offset..].copy_from_slice(&file);
        let input = &buffer[offset..];
        let loaded: Cow<'_, [u32]> = load(input).unwrap();
        assert_eq!(&*loaded, &numbers[..]);
        match shift {
            0 => assert!(matches!(&loaded, Cow::Borrowed(s) if inside(input, s))),
            _ => assert!(matches!(loaded, Cow::Owned(_)), "shift {shift}"),
        }
    }
}

#[cfg(feature = "compression")]
#[test]
fn compressed_files_cannot_be_borrowed() {
    let mut bytes = Vec::new();
    crate::save_compressed(&mut bytes, 0, &"text".to_string()).unwrap();
    assert!(matches!(
        crate::load_from_mem_borrowed::<&str>(&bytes, 0),
        Err(SavefileError::CompressedBorrow)
    ));
}
