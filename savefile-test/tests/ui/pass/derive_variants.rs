//! `SavefileNoIntrospect` and `SavefileIntrospectOnly` derive exactly their part.
#![deny(warnings)]

use savefile::prelude::*;
use savefile_derive::{SavefileIntrospectOnly, SavefileNoIntrospect};

/// Serializable; its `Introspect` is written by hand, which would conflict with a
/// derived one.
#[derive(SavefileNoIntrospect, Debug, PartialEq)]
struct Secret {
    user: String,
    pin: u16,
}

impl Introspect for Secret {
    fn introspect_value(&self) -> String {
        format!("Secret for {}", self.user)
    }
    fn introspect_child<'a>(&'a self, _index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        None
    }
    fn introspect_len(&self) -> usize {
        0
    }
}

/// Introspectable only: the function pointer cannot be saved, and need not be.
#[derive(SavefileIntrospectOnly)]
struct Task {
    #[savefile_introspect_key]
    name: String,
    runs: u32,
    #[savefile_introspect_ignore]
    action: fn(u32) -> u32,
}

fn main() {
    let secret = Secret {
        user: "ann".into(),
        pin: 1234,
    };
    let bytes = save_to_mem(0, &secret).expect("save");
    let back: Secret = load_from_mem(&bytes, 0).expect("load");
    assert_eq!(back, secret);
    assert_eq!(back.introspect_value(), "Secret for ann");

    let task = Task {
        name: "double".into(),
        runs: 3,
        action: |x| x * 2,
    };
    assert_eq!((task.action)(task.runs), 6);
    assert_eq!(task.introspect_value(), "double");
    assert_eq!(task.introspect_len(), 2);
    let child = task.introspect_child(1).expect("runs");
    assert_eq!(child.key(), "runs");
    assert_eq!(child.val().introspect_value(), "3");
}
