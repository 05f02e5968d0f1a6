//! Generic types: bounds, where clauses, lifetimes, and a parameter used only in
//! `PhantomData` that implements no savefile trait at all.
#![deny(warnings)]

use savefile::prelude::*;
use savefile_derive::Savefile;
use std::borrow::Cow;
use std::marker::PhantomData;

#[derive(Savefile, Debug, PartialEq)]
struct Borrowing<'a, T: Clone>
where
    T: Default,
{
    name: Cow<'a, str>,
    value: T,
}

#[derive(Savefile, Debug, PartialEq)]
enum Either<L, R> {
    Left(L),
    Right { value: R },
}

/// Implements nothing from savefile: only ever a `PhantomData` parameter.
struct NotSavefile;

#[derive(Savefile)]
struct Tagged<M> {
    id: u64,
    marker: PhantomData<M>,
}

#[derive(Savefile, Debug, PartialEq)]
struct Nested<T, const N: usize> {
    items: [T; N],
    inner: Option<Box<Nested<T, N>>>,
}

fn main() {
    let text = String::from("borrowed");
    let value = Borrowing {
        name: Cow::Borrowed(text.as_str()),
        value: vec![1u8, 2, 3],
    };
    let bytes = save_to_mem(0, &value).expect("save");
    let back: Borrowing<'static, Vec<u8>> = load_from_mem(&bytes, 0).expect("load");
    assert_eq!(back, value);

    for value in [
        Either::Left(5u8),
        Either::Right {
            value: "r".to_string(),
        },
    ] {
        let bytes = save_to_mem(0, &value).expect("save");
        let back: Either<u8, String> = load_from_mem(&bytes, 0).expect("load");
        assert_eq!(back, value);
    }

    let _never_saved = NotSavefile;
    let tagged: Tagged<NotSavefile> = Tagged {
        id: 42,
        marker: PhantomData,
    };
    let bytes = save_to_mem(0, &tagged).expect("save");
    let back: Tagged<NotSavefile> = load_from_mem(&bytes, 0).expect("load");
    assert_eq!(back.id, 42);
    assert_eq!(back.introspect_len(), 2);

    let nested = Nested {
        items: [1u16, 2],
        inner: Some(Box::new(Nested {
            items: [3, 4],
            inner: None,
        })),
    };
    let bytes = save_to_mem(0, &nested).expect("save");
    let back: Nested<u16, 2> = load_from_mem(&bytes, 0).expect("load");
    assert_eq!(back, nested);
}
