//! The borrowed twin of [`crate::Node`]: the same schema, with text and vectors lent
//! from the input (`&str`, `&[T]`, `Cow`), and the check that a borrowed load of any
//! bytes gives what the owned load gives.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, LinkedList};

use savefile::prelude::*;
use savefile::{load_from_mem_borrowed_with, load_from_mem_noschema_borrowed_with};

use crate::{Gapped, Holdings, Kind, Point, VERSION};

/// [`crate::Shape`], borrowing.
#[derive(Savefile, Debug, PartialEq)]
pub enum Shape<'a> {
    Empty,
    Circle { radius: u32 },
    Polygon(Cow<'a, [(i16, i16)]>),
    Named(&'a str, Option<Box<Shape<'a>>>),
}

/// [`crate::Node`], borrowing: every `String` is a `&str` or a `Cow<str>`, every
/// vector of plain data a slice or a `Cow` of one; the rest as there.
#[derive(Savefile, Debug, PartialEq)]
pub struct Node<'a> {
    pub name: &'a str,
    pub tags: BTreeMap<&'a str, u64>,
    pub counts: HashMap<u16, &'a [u8]>,
    pub flags: &'a [bool],
    pub letters: Cow<'a, [char]>,
    pub points: Cow<'a, [Point]>,
    pub kinds: &'a [Kind],
    pub gapped: Cow<'a, [Gapped]>,
    pub shape: Shape<'a>,
    pub maybe: Option<u64>,
    pub outcome: Result<u8, Cow<'a, str>>,
    pub array: [u16; 3],
    pub text: &'a str,
    pub set: BTreeSet<i32>,
    pub list: LinkedList<u8>,
    pub units: Vec<()>,
    pub holdings: Option<Box<Holdings>>,
    #[savefile_versions = "1.."]
    #[savefile_default_val = "7"]
    pub added: u32,
    pub children: Vec<Node<'a>>,
    pub link: Option<Box<Node<'a>>>,
}

impl Shape<'_> {
    /// The owned twin.
    pub fn owned(&self) -> crate::Shape {
        match self {
            Shape::Empty => crate::Shape::Empty,
            Shape::Circle { radius } => crate::Shape::Circle { radius: *radius },
            Shape::Polygon(points) => crate::Shape::Polygon(points.to_vec()),
            Shape::Named(name, inner) => crate::Shape::Named(
                name.to_string(),
                inner.as_ref().map(|inner| Box::new(inner.owned())),
            ),
        }
    }
}

impl Node<'_> {
    /// The owned twin.
    pub fn owned(&self) -> crate::Node {
        crate::Node {
            name: self.name.to_string(),
            tags: self.tags.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            counts: self.counts.iter().map(|(k, v)| (*k, v.to_vec())).collect(),
            flags: self.flags.to_vec(),
            letters: self.letters.to_vec(),
            points: self.points.to_vec(),
            kinds: self.kinds.to_vec(),
            gapped: self.gapped.to_vec(),
            shape: self.shape.owned(),
            maybe: self.maybe,
            outcome: self.outcome.clone().map_err(String::from),
            array: self.array,
            text: self.text.into(),
            set: self.set.clone(),
            list: self.list.clone(),
            units: self.units.clone(),
            holdings: self.holdings.as_ref().map(|h| Box::new(clone_holdings(h))),
            added: self.added,
            children: self.children.iter().map(Node::owned).collect(),
            link: self.link.as_ref().map(|link| Box::new(link.owned())),
        }
    }
}

fn clone_holdings(h: &Holdings) -> Holdings {
    Holdings {
        stock: h.stock.clone(),
        seen: h.seen.clone(),
        hotbar: h.hotbar.clone(),
        title: h.title,
        path: h.path.clone(),
        explored: h.explored.clone(),
        flags: h.flags.clone(),
        saved_at: h.saved_at,
    }
}

/// Loads `data` borrowed as a [`Node`] with `options` and checks it against `owned`,
/// the owned load of the same bytes from memory: a value that loads owned loads
/// borrowed and equal; what the owned load refuses, the borrowed load refuses too,
/// but for the memory limit (a borrowed load allocates no text, so it is charged
/// less). A compressed file is refused borrowed whatever it holds.
pub fn check_borrowed(
    data: &[u8],
    with_schema: bool,
    options: &LoadOptions,
    owned: &Result<crate::Node, SavefileError>,
) {
    let borrowed = if with_schema {
        load_from_mem_borrowed_with::<Node<'_>>(data, VERSION, options)
    } else {
        load_from_mem_noschema_borrowed_with::<Node<'_>>(data, VERSION, options)
    };
    let compressed = data.get(15) == Some(&1);
    match (owned, &borrowed) {
        (Ok(owned), Ok(borrowed)) => {
            assert_eq!(&borrowed.owned(), owned, "the borrowed load differs");
            // The borrowed value saves, and loads back owned as the owned one. (Not
            // compared by bytes: hash maps save in the order of their own hashers.)
            let mut saved = Vec::new();
            save_noschema(&mut saved, VERSION, borrowed).expect("a borrowed value saves");
            match load_from_mem_noschema::<crate::Node>(&saved, VERSION) {
                Ok(back) => assert_eq!(&back, owned, "a borrowed value loads back different"),
                Err(e) => panic!("a borrowed value, saved, does not load: {e}"),
            }
        }
        (_, Err(SavefileError::CompressedBorrow)) => {
            assert!(compressed, "an uncompressed file refused as compressed");
        }
        (Ok(_), Err(e)) => panic!("the owned load succeeded, the borrowed load failed: {e}"),
        (Err(SavefileError::MemoryLimitExceeded { .. }), Ok(_)) => {}
        (Err(e), Ok(_)) => panic!("the borrowed load succeeded, the owned load failed: {e}"),
        (Err(_), Err(_)) => {}
    }
}
