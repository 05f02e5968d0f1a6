//! Every difference between two schemas, not only the first one a load reports.

use super::types::{Field, Schema};
use crate::{SchemaDifference, SchemaMismatch};

/// Every place where data saved as `file` cannot be read as `program`, each with its
/// path and its difference in the words of [`crate::SavefileError::IncompatibleSchema`].
///
/// The comparison is the load's (docs/format.md, section 4), carried on past a
/// difference: where two structs or variants differ in field count, or two enums in
/// variant count, their members are not compared (positions no longer correspond);
/// everywhere else the walk goes on. Empty when the file loads as the program's type;
/// the first element is then always the difference the load reports.
pub fn schema_differences(program: &Schema, file: &Schema) -> Vec<SchemaMismatch> {
    let mut found = Vec::new();
    walk(program, file, &mut String::from("."), &mut found);
    found
}

fn report(found: &mut Vec<SchemaMismatch>, path: &str, difference: SchemaDifference) {
    found.push(SchemaMismatch {
        path: path.to_string(),
        difference,
    });
}

fn walk(program: &Schema, file: &Schema, path: &mut String, found: &mut Vec<SchemaMismatch>) {
    match (program, file) {
        (Schema::Struct(p), Schema::Struct(f)) => {
            let mark = push(path, &p.dbg_name);
            if p.fields.len() != f.fields.len() {
                let difference = SchemaDifference::FieldCount {
                    program: p.fields.len(),
                    file: f.fields.len(),
                };
                report(found, path, difference);
            } else {
                fields(&p.fields, &f.fields, path, found);
            }
            path.truncate(mark);
        }
        (Schema::Enum(p), Schema::Enum(f)) => {
            let mark = push(path, &p.dbg_name);
            if p.variants.len() != f.variants.len() {
                let difference = SchemaDifference::VariantCount {
                    program: p.variants.len(),
                    file: f.variants.len(),
                };
                report(found, path, difference);
                path.truncate(mark);
                return;
            }
            if p.discriminant_size != f.discriminant_size {
                let difference = SchemaDifference::DiscriminantSize {
                    program: p.discriminant_size,
                    file: f.discriminant_size,
                };
                report(found, path, difference);
            }
            for (pv, fv) in p.variants.iter().zip(&f.variants) {
                let variant_mark = push(path, &pv.name);
                if pv.name != fv.name {
                    let difference = SchemaDifference::VariantName {
                        program: pv.name.clone(),
                        file: fv.name.clone(),
                    };
                    report(found, path, difference);
                }
                if pv.discriminant != fv.discriminant {
                    let difference = SchemaDifference::VariantDiscriminant {
                        program: pv.discriminant,
                        file: fv.discriminant,
                    };
                    report(found, path, difference);
                }
                if pv.fields.len() != fv.fields.len() {
                    let difference = SchemaDifference::FieldCount {
                        program: pv.fields.len(),
                        file: fv.fields.len(),
                    };
                    report(found, path, difference);
                } else {
                    fields(&pv.fields, &fv.fields, path, found);
                }
                path.truncate(variant_mark);
            }
            path.truncate(mark);
        }
        (Schema::Primitive(p), Schema::Primitive(f)) if p.same_data(*f) => {}
        (Schema::Vector(p, _), Schema::Vector(f, _)) => element(p, f, path, found),
        (Schema::SchemaOption(p), Schema::SchemaOption(f)) => walk(p, f, path, found),
        (Schema::Array(p), Schema::Array(f)) => {
            if p.count != f.count {
                let difference = SchemaDifference::ArrayLength {
                    program: p.count,
                    file: f.count,
                };
                report(found, path, difference);
            }
            element(&p.item_type, &f.item_type, path, found);
        }
        (Schema::Custom(p), Schema::Custom(f)) if p == f => {}
        (Schema::Custom(p), Schema::Custom(f)) => {
            let difference = SchemaDifference::Custom {
                program: p.clone(),
                file: f.clone(),
            };
            report(found, path, difference);
        }
        (Schema::Recursion(p), Schema::Recursion(f)) if p == f => {}
        (Schema::Recursion(p), Schema::Recursion(f)) => {
            let difference = SchemaDifference::RecursionDepth {
                program: *p,
                file: *f,
            };
            report(found, path, difference);
        }
        (Schema::ZeroSize, Schema::ZeroSize) | (Schema::UtcTimestamp, Schema::UtcTimestamp) => {}
        (program, file) => {
            let difference = SchemaDifference::Kind {
                program: program.describe(),
                file: file.describe(),
            };
            report(found, path, difference);
        }
    }
}

fn fields(program: &[Field], file: &[Field], path: &mut String, found: &mut Vec<SchemaMismatch>) {
    for (p, f) in program.iter().zip(file) {
        let mark = push(path, &p.name);
        walk(&p.value, &f.value, path, found);
        path.truncate(mark);
    }
}

fn element(program: &Schema, file: &Schema, path: &mut String, found: &mut Vec<SchemaMismatch>) {
    let mark = push(path, "*");
    walk(program, file, path, found);
    path.truncate(mark);
}

/// Appends `/segment` and returns the length to truncate back to.
fn push(path: &mut String, segment: &str) -> usize {
    let mark = path.len();
    path.push('/');
    path.push_str(segment);
    mark
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::find_difference;
    use crate::{SchemaPrimitive, SchemaStruct};

    fn pair(a: Schema, b: Schema) -> Schema {
        Schema::Struct(SchemaStruct::new(
            "Pair".into(),
            vec![
                Field::new("a".into(), Box::new(a)),
                Field::new("b".into(), Box::new(b)),
            ],
        ))
    }

    #[test]
    fn every_difference_and_the_first_is_the_loads() {
        let u32_ = || Schema::Primitive(SchemaPrimitive::schema_u32);
        let program = pair(u32_(), u32_());
        let file = pair(Schema::string(), Schema::ZeroSize);
        let all = schema_differences(&program, &file);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].path, "./Pair/a");
        assert_eq!(all[1].path, "./Pair/b");
        let (path, difference) = find_difference(&program, &file).unwrap();
        assert_eq!(
            (path, difference),
            (all[0].path.clone(), all[0].difference.clone())
        );
        assert!(schema_differences(&program, &program).is_empty());
    }
}
