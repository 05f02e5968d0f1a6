//! Types that contain themselves, directly or through another type, save and load
//! with their schema: the schema describes each recursive type once and then points
//! back up with `Schema::Recursion(levels)`, and a change of shape is still caught.

use savefile::prelude::*;
use savefile::SchemaDifference;
use savefile_test::roundtrip;

/// A binary tree: recursion through an enum variant.
#[derive(Savefile, Debug, PartialEq)]
enum Tree {
    Leaf,
    Node(Box<Tree>, Box<Tree>),
}

/// A linked list: recursion through `Option<Box<_>>`.
#[derive(Savefile, Debug, PartialEq)]
struct Doc {
    text: String,
    next: Option<Box<Doc>>,
}

/// Mutual recursion: an A holds Bs, a B may hold an A.
#[derive(Savefile, Debug, PartialEq)]
struct A {
    bs: Vec<B>,
}

#[derive(Savefile, Debug, PartialEq)]
struct B {
    a: Option<Box<A>>,
}

/// A schema in one line: structs and enums as `Name{field:…}`, variants as
/// `Variant(…)`, vectors as `[…]`, options as `?…`, recursion as `^levels`.
fn outline(schema: &Schema) -> String {
    let fields = |fields: &[Field]| {
        fields
            .iter()
            .map(|f| format!("{}:{}", f.name, outline(&f.value)))
            .collect::<Vec<_>>()
            .join(",")
    };
    match schema {
        Schema::Struct(s) => format!("{}{{{}}}", s.dbg_name, fields(&s.fields)),
        Schema::Enum(e) => {
            let variants: Vec<String> = e
                .variants
                .iter()
                .map(|v| format!("{}({})", v.name, fields(&v.fields)))
                .collect();
            format!("{}{{{}}}", e.dbg_name, variants.join(","))
        }
        Schema::Primitive(p) => p.name().replace("a ", ""),
        Schema::Vector(item, _) => format!("[{}]", outline(item)),
        Schema::SchemaOption(inner) => format!("?{}", outline(inner)),
        Schema::Recursion(levels) => format!("^{levels}"),
        other => format!("<{other:?}>"),
    }
}

fn leaf() -> Box<Tree> {
    Box::new(Tree::Leaf)
}

fn node(left: Box<Tree>, right: Box<Tree>) -> Box<Tree> {
    Box::new(Tree::Node(left, right))
}

#[test]
fn a_tree_round_trips_with_its_schema() {
    roundtrip(&Tree::Leaf);
    let tree = Tree::Node(node(leaf(), node(leaf(), leaf())), leaf());
    let bare = roundtrip(&tree);
    // Pre-order: Node, Node, Leaf, Node, Leaf, Leaf, Leaf.
    assert_eq!(&bare[16..], [1, 1, 0, 1, 0, 0, 0]);
    // Deeper than any schema: the data nests 200 levels, the schema two.
    let mut deep = leaf();
    for _ in 0..200 {
        deep = node(deep, leaf());
    }
    roundtrip(&deep);
}

#[test]
fn a_tree_schema_points_back_up_through_the_box() {
    // The root describes Tree; each Box<Tree> describes it once more, and inside
    // that, Tree is already being described one level up.
    assert_eq!(
        outline(&get_schema::<Tree>(0)),
        "Tree{Leaf(),Node(0:Tree{Leaf(),Node(0:^1,1:^1)},1:Tree{Leaf(),Node(0:^1,1:^1)})}"
    );
}

#[test]
fn a_linked_list_round_trips_with_its_schema() {
    let list = Doc {
        text: "one".into(),
        next: Some(Box::new(Doc {
            text: "two".into(),
            next: Some(Box::new(Doc {
                text: "three".into(),
                next: None,
            })),
        })),
    };
    roundtrip(&list);
    roundtrip(&Doc {
        text: String::new(),
        next: None,
    });
    assert_eq!(
        outline(&get_schema::<Doc>(0)),
        "Doc{text:string,next:?Doc{text:string,next:?^1}}"
    );
}

#[test]
fn mutual_recursion_round_trips_with_its_schema() {
    let value = A {
        bs: vec![
            B { a: None },
            B {
                a: Some(Box::new(A {
                    bs: vec![B {
                        a: Some(Box::new(A { bs: vec![] })),
                    }],
                })),
            },
        ],
    };
    roundtrip(&value);
    roundtrip(&B { a: None });
    // From A: the Vec registers B, B's Box registers A, and A's Vec meets B two
    // registrations up.
    assert_eq!(outline(&get_schema::<A>(0)), "A{bs:[B{a:?A{bs:[^2]}}]}");
    assert_eq!(outline(&get_schema::<B>(0)), "B{a:?A{bs:[B{a:?^2}]}}");
}

/// The recursion nodes, depth first.
fn recursions(schema: &Schema, out: &mut Vec<usize>) {
    let mut fields = |fields: &[Field]| {
        for f in fields {
            recursions(&f.value, out);
        }
    };
    match schema {
        Schema::Struct(s) => fields(&s.fields),
        Schema::Enum(e) => e.variants.iter().for_each(|v| fields(&v.fields)),
        Schema::Vector(item, _) | Schema::SchemaOption(item) => recursions(item, out),
        Schema::Array(a) => recursions(&a.item_type, out),
        Schema::Recursion(levels) => out.push(*levels),
        _ => {}
    }
}

#[test]
fn every_recursive_schema_holds_recursion_nodes_and_is_saved_with_them() {
    let mut found = Vec::new();
    recursions(&get_schema::<Tree>(0), &mut found);
    assert_eq!(found, [1, 1, 1, 1]);
    found.clear();
    recursions(&get_schema::<Doc>(0), &mut found);
    assert_eq!(found, [1]);
    found.clear();
    recursions(&get_schema::<A>(0), &mut found);
    assert_eq!(found, [2]);

    // In the file: tag 16, then the levels as a u64.
    let file = save_to_mem(
        0,
        &Doc {
            text: String::new(),
            next: None,
        },
    )
    .unwrap();
    let mut recursion_node = vec![16u8];
    recursion_node.extend(1u64.to_le_bytes());
    assert!(
        file.windows(9).any(|w| w == recursion_node.as_slice()),
        "the file's schema holds Recursion(1)"
    );
}

mod changed {
    use savefile::prelude::*;

    /// The tree as saved before its nodes got a weight.
    pub(crate) mod v0 {
        use savefile::prelude::*;

        #[derive(Savefile)]
        pub(crate) enum Tree {
            Leaf,
            Node(Box<Tree>, Box<Tree>),
        }
    }

    /// Nodes now carry a weight, but the version was not bumped.
    #[derive(Savefile, Debug)]
    pub(crate) enum Tree {
        Leaf,
        Node(Box<Tree>, Box<Tree>, u8),
    }

    /// The list's link became a vector.
    #[derive(Savefile, Debug)]
    pub(crate) struct Doc {
        pub(crate) text: String,
        pub(crate) next: Vec<Doc>,
    }

    /// B now holds a B instead of an A: the recursion points elsewhere.
    #[derive(Savefile, Debug)]
    pub(crate) struct A {
        pub(crate) bs: Vec<B>,
    }

    #[derive(Savefile, Debug)]
    pub(crate) struct B {
        pub(crate) a: Option<Box<B>>,
    }
}

#[test]
fn a_recursive_type_whose_shape_changed_is_refused() {
    let old_tree = save_to_mem(
        0,
        &changed::v0::Tree::Node(
            Box::new(changed::v0::Tree::Leaf),
            Box::new(changed::v0::Tree::Leaf),
        ),
    )
    .unwrap();
    let err = load_from_mem::<changed::Tree>(&old_tree, 0).unwrap_err();
    let SavefileError::IncompatibleSchema { mismatch } = err else {
        panic!("{err:?}")
    };
    assert_eq!(mismatch.path, "./Tree/Node");
    assert_eq!(
        mismatch.difference,
        SchemaDifference::FieldCount {
            program: 3,
            file: 2
        }
    );

    let old_list = save_to_mem(
        0,
        &Doc {
            text: "x".into(),
            next: None,
        },
    )
    .unwrap();
    let err = load_from_mem::<changed::Doc>(&old_list, 0).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the file does not match the program's data layout at `./Doc/next`: \
         the program has a vector of `Doc`, the file has an Option of `Doc`"
    );

    let old_pair = save_to_mem(0, &A { bs: vec![] }).unwrap();
    let err = load_from_mem::<changed::A>(&old_pair, 0).unwrap_err();
    let SavefileError::IncompatibleSchema { mismatch } = err else {
        panic!("{err:?}")
    };
    assert_eq!(mismatch.path, "./A/bs/*/B/a");
    assert_eq!(
        mismatch.difference,
        SchemaDifference::Kind {
            program: "a recursive reference 1 level up".into(),
            file: "a struct `A` with 1 field".into()
        }
    );
}
