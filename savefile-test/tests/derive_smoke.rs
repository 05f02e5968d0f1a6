//! Smoke test.
#![allow(unsafe_code)]
use savefile::prelude::*;
use std::marker::PhantomData;

#[derive(Savefile, Debug, PartialEq)]
struct Player {
    name: String,
    #[savefile_versions = "0..0"]
    strength: Removed<u32>,
    inventory: Vec<String>,
    #[savefile_versions = "1.."]
    skills: Vec<String>,
}

#[derive(Savefile, Debug, PartialEq)]
enum Shape {
    Empty,
    Circle(f32),
    Rect { w: u16, h: u16 },
}

#[derive(Savefile, Debug, PartialEq, Clone, Copy)]
#[repr(C)]
struct Position {
    x: u32,
    y: u32,
}

#[derive(Savefile, Debug, PartialEq)]
struct Wrapper<T, M> {
    value: T,
    marker: PhantomData<M>,
}

#[derive(Savefile, Debug, PartialEq)]
struct Unit;

#[derive(Savefile, Debug, PartialEq)]
struct Pair(u8, #[savefile_ignore] u32, String);

#[test]
fn smoke() {
    let p = Player {
        name: "Steve".into(),
        strength: Removed::new(),
        inventory: vec!["a".into()],
        skills: vec!["b".into()],
    };
    let bytes = save_to_mem(1, &p).unwrap();
    assert_eq!(load_from_mem::<Player>(&bytes, 1).unwrap(), p);
    for s in [Shape::Empty, Shape::Circle(1.5), Shape::Rect { w: 3, h: 4 }] {
        let bytes = save_to_mem(0, &s).unwrap();
        assert_eq!(load_from_mem::<Shape>(&bytes, 0).unwrap(), s);
    }
    let v = vec![Position { x: 1, y: 2 }];
    assert_eq!(
        load_from_mem::<Vec<Position>>(&save_to_mem(0, &v).unwrap(), 0).unwrap(),
        v
    );
    struct NotSavefile;
    let w: Wrapper<u8, NotSavefile> = Wrapper {
        value: 5,
        marker: PhantomData,
    };
    let back: Wrapper<u8, NotSavefile> = load_from_mem(&save_to_mem(0, &w).unwrap(), 0).unwrap();
    assert_eq!(back.value, 5);
    assert_eq!(
        load_from_mem::<Unit>(&save_to_mem(0, &Unit).unwrap(), 0).unwrap(),
        Unit
    );
    let pair = Pair(1, 99, "x".into());
    assert_eq!(
        load_from_mem::<Pair>(&save_to_mem(0, &pair).unwrap(), 0).unwrap(),
        Pair(1, 0, "x".into())
    );
    // SAFETY: only asks.
    assert!(unsafe { <Position as Packed>::repr_c_optimization_safe(0) }.is_yes());
    assert_eq!(Shape::Circle(1.0).introspect_value(), "Shape::Circle");
}
