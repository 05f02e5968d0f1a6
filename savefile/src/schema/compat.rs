//! Whether a file's schema can be read as the program's, and if not, where and why.
//!
//! Only what decides the bytes is compared: field counts and field schemas by
//! position, enum variant names, discriminants and index width, primitive kinds,
//! array lengths, custom names and recursion depths. Struct and field names, sizes,
//! alignments, offsets and vector layouts are not, so renamed fields still load.

use super::types::{Field, Schema};
use crate::error::SchemaDifference;

/// Compares the program's schema `program` with a file's schema `file`.
///
/// Returns `None` when data saved as `file` can be read as `program`, else a
/// description that names the place (starting from `path`) and both sides.
/// The path grows by struct and enum names, field and variant names, and `*` for
/// the elements of vectors and arrays: `./Player/inventory/*`.
///
/// `is_return_pos` is there for the signature of savefile 0.20, where it tells
/// savefile-abi that the schemas describe a return value; it only matters for the
/// schema nodes of trait objects and closures, which this crate does not have, so
/// either value gives the same answer.
pub fn diff_schema(
    program: &Schema,
    file: &Schema,
    path: String,
    is_return_pos: bool,
) -> Option<String> {
    let _ = is_return_pos;
    let mut path = path;
    walk(program, file, &mut path).map(|difference| format!("at `{path}`: {difference}"))
}

/// Like [`diff_schema`] from the root `.`, with the place and the difference apart.
pub(crate) fn find_difference(
    program: &Schema,
    file: &Schema,
) -> Option<(String, SchemaDifference)> {
    let mut path = String::from(".");
    walk(program, file, &mut path).map(|difference| (path, difference))
}

/// Walks both trees together. On a difference, `path` is left pointing at it.
fn walk(program: &Schema, file: &Schema, path: &mut String) -> Option<SchemaDifference> {
    match (program, file) {
        (Schema::Struct(p), Schema::Struct(f)) => {
            let mark = push(path, &p.dbg_name);
            if p.fields.len() != f.fields.len() {
                return Some(SchemaDifference::FieldCount {
                    program: p.fields.len(),
                    file: f.fields.len(),
                });
            }
            let found = walk_fields(&p.fields, &f.fields, path);
            restore(path, mark, found)
        }
        (Schema::Enum(p), Schema::Enum(f)) => {
            let mark = push(path, &p.dbg_name);
            if p.variants.len() != f.variants.len() {
                return Some(SchemaDifference::VariantCount {
                    program: p.variants.len(),
                    file: f.variants.len(),
                });
            }
            if p.discriminant_size != f.discriminant_size {
                return Some(SchemaDifference::DiscriminantSize {
                    program: p.discriminant_size,
                    file: f.discriminant_size,
                });
            }
            for (pv, fv) in p.variants.iter().zip(&f.variants) {
                let variant_mark = push(path, &pv.name);
                if pv.name != fv.name {
                    return Some(SchemaDifference::VariantName {
                        program: pv.name.clone(),
                        file: fv.name.clone(),
                    });
                }
                if pv.discriminant != fv.discriminant {
                    return Some(SchemaDifference::VariantDiscriminant {
                        program: pv.discriminant,
                        file: fv.discriminant,
                    });
                }
                if pv.fields.len() != fv.fields.len() {
                    return Some(SchemaDifference::FieldCount {
                        program: pv.fields.len(),
                        file: fv.fields.len(),
                    });
                }
                if let Some(found) = walk_fields(&pv.fields, &fv.fields, path) {
                    return Some(found);
                }
                path.truncate(variant_mark);
            }
            restore(path, mark, None)
        }
        (Schema::Primitive(p), Schema::Primitive(f)) if p.same_data(*f) => None,
        (Schema::Vector(p, _), Schema::Vector(f, _)) => element(p, f, path),
        (Schema::SchemaOption(p), Schema::SchemaOption(f)) => walk(p, f, path),
        (Schema::Array(p), Schema::Array(f)) => {
            if p.count != f.count {
                return Some(SchemaDifference::ArrayLength {
                    program: p.count,
                    file: f.count,
                });
            }
            element(&p.item_type, &f.item_type, path)
        }
        (Schema::Custom(p), Schema::Custom(f)) => (p != f).then(|| SchemaDifference::Custom {
            program: p.clone(),
            file: f.clone(),
        }),
        (Schema::Recursion(p), Schema::Recursion(f)) => {
            (p != f).then_some(SchemaDifference::RecursionDepth {
                program: *p,
                file: *f,
            })
        }
        (Schema::ZeroSize, Schema::ZeroSize) | (Schema::UtcTimestamp, Schema::UtcTimestamp) => None,
        (program, file) => Some(SchemaDifference::Kind {
            program: program.describe(),
            file: file.describe(),
        }),
    }
}

fn walk_fields(program: &[Field], file: &[Field], path: &mut String) -> Option<SchemaDifference> {
    for (p, f) in program.iter().zip(file) {
        let mark = push(path, &p.name);
        if let Some(found) = walk(&p.value, &f.value, path) {
            return Some(found);
        }
        path.truncate(mark);
    }
    None
}

fn element(program: &Schema, file: &Schema, path: &mut String) -> Option<SchemaDifference> {
    let mark = push(path, "*");
    let found = walk(program, file, path);
    restore(path, mark, found)
}

/// Appends `/segment` and returns the length to truncate back to.
fn push(path: &mut String, segment: &str) -> usize {
    let mark = path.len();
    path.push('/');
    path.push_str(segment);
    mark
}

/// Keeps the path when a difference was found below, else truncates it.
fn restore(
    path: &mut String,
    mark: usize,
    found: Option<SchemaDifference>,
) -> Option<SchemaDifference> {
    if found.is_none() {
        path.truncate(mark);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{SchemaEnum, SchemaPrimitive, SchemaStruct, Variant, VecOrStringLayout};

    fn player(inventory_item: Schema) -> Schema {
        Schema::Struct(SchemaStruct::new(
            "Player".into(),
            vec![
                Field::new("name".into(), Box::new(Schema::string())),
                Field::new(
                    "inventory".into(),
                    Box::new(Schema::Vector(
                        Box::new(inventory_item),
                        VecOrStringLayout::Unknown,
                    )),
                ),
            ],
        ))
    }

    #[test]
    fn identical_and_layout_only_differences_are_compatible() {
        let a = player(Schema::string());
        let b = player(Schema::Primitive(SchemaPrimitive::schema_string(
            VecOrStringLayout::DataCapacityLength,
        )));
        assert_eq!(diff_schema(&a, &b, ".".into(), false), None);
    }

    #[test]
    fn a_retyped_element_names_the_path_and_both_types() {
        let program = player(Schema::Primitive(SchemaPrimitive::schema_u32));
        let file = player(Schema::string());
        let (path, difference) = find_difference(&program, &file).unwrap();
        assert_eq!(path, "./Player/inventory/*");
        assert_eq!(
            difference,
            SchemaDifference::Kind {
                program: "u32".into(),
                file: "a string".into()
            }
        );
        assert_eq!(
            diff_schema(&program, &file, ".".into(), false).unwrap(),
            "at `./Player/inventory/*`: the program has u32, the file has a string"
        );
    }

    #[test]
    fn enum_differences() {
        let e = |names: &[&str], size: u8| {
            Schema::Enum(SchemaEnum::new(
                "E".into(),
                size,
                names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| Variant {
                        name: n.to_string(),
                        discriminant: i as u8,
                        fields: vec![],
                    })
                    .collect(),
            ))
        };
        assert!(find_difference(&e(&["A", "B"], 1), &e(&["A", "B"], 1)).is_none());
        assert_eq!(
            find_difference(&e(&["A", "B"], 1), &e(&["A", "C"], 1)),
            Some((
                "./E/B".to_string(),
                SchemaDifference::VariantName {
                    program: "B".into(),
                    file: "C".into()
                }
            ))
        );
        assert!(matches!(
            find_difference(&e(&["A"], 1), &e(&["A", "B"], 1)),
            Some((
                _,
                SchemaDifference::VariantCount {
                    program: 1,
                    file: 2
                }
            ))
        ));
        assert!(matches!(
            find_difference(&e(&["A"], 1), &e(&["A"], 2)),
            Some((
                _,
                SchemaDifference::DiscriminantSize {
                    program: 1,
                    file: 2
                }
            ))
        ));
    }

    #[test]
    fn kinds_that_differ() {
        assert!(find_difference(&Schema::ZeroSize, &Schema::Undefined).is_some());
        assert!(find_difference(&Schema::Undefined, &Schema::Undefined).is_some());
        assert!(find_difference(&Schema::Recursion(1), &Schema::Recursion(2)).is_some());
        assert!(
            find_difference(&Schema::Custom("a".into()), &Schema::Custom("a".into())).is_none()
        );
    }
}
