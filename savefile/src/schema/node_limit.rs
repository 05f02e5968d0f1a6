//! How many nodes a file's schema may have: about as many as the program's.

use crate::{SavefileError, SchemaDifference, SchemaMismatch};

/// How many more nodes a file's schema may have than the program's before decoding
/// stops: enough to show a precise difference for files of a nearby layout.
const NODE_SLACK: usize = 1024;

/// How many more schema nodes may be decoded.
///
/// A file's schema can only match the program's if the two have the same shape,
/// hence the same number of nodes. Stopping well past that number bounds the
/// memory a crafted schema can take (every node is a `Schema` of about 90 bytes,
/// which may take one byte in the file) by the program's types, not by the input.
pub(crate) struct NodeAllowance {
    /// Nodes the program's schema has, for the error message.
    program: usize,
    /// Nodes that may still be read.
    left: usize,
}

impl NodeAllowance {
    /// Room for a file schema that could match a program schema of `program` nodes.
    pub(crate) fn matching(program: usize) -> NodeAllowance {
        NodeAllowance {
            program,
            left: program.saturating_add(NODE_SLACK),
        }
    }

    /// No limit but the load's depth and memory limits.
    pub(crate) fn unlimited() -> NodeAllowance {
        NodeAllowance {
            program: usize::MAX,
            left: usize::MAX,
        }
    }

    /// Counts one node, or says why the schema cannot match.
    #[inline]
    pub(crate) fn take(&mut self) -> Result<(), SavefileError> {
        if self.left == 0 {
            return Err(SavefileError::IncompatibleSchema {
                mismatch: Box::new(SchemaMismatch {
                    path: ".".to_string(),
                    difference: SchemaDifference::NodeCount {
                        program: self.program,
                        file_more_than: self.program.saturating_add(NODE_SLACK),
                    },
                }),
            });
        }
        self.left -= 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{get_schema, load_from_mem, save_to_mem, Schema};

    #[test]
    fn nodes_are_counted_through_every_kind() {
        assert_eq!(get_schema::<u8>(0).node_count(), 1);
        assert_eq!(get_schema::<Option<Vec<[u8; 2]>>>(0).node_count(), 4);
        // A tuple is a struct: one node, plus one per field.
        assert_eq!(get_schema::<(u8, String, ())>(0).node_count(), 4);
        assert_eq!(Schema::Recursion(3).node_count(), 1);
    }

    #[test]
    fn the_allowance_stops_past_the_slack() {
        let mut nodes = NodeAllowance::matching(2);
        for _ in 0..2 + NODE_SLACK {
            nodes.take().unwrap();
        }
        let Err(SavefileError::IncompatibleSchema { mismatch }) = nodes.take() else {
            panic!("the allowance did not run out");
        };
        assert_eq!(mismatch.path, ".");
        assert_eq!(
            mismatch.difference,
            SchemaDifference::NodeCount {
                program: 2,
                file_more_than: 2 + NODE_SLACK
            }
        );
    }

    #[test]
    fn a_huge_file_schema_is_refused_by_its_size() {
        // A struct of 2 000 zero-sized fields, loaded as a u8: it cannot match, and
        // decoding stops after 1 025 nodes.
        let mut file = save_to_mem(0, &0u8).unwrap()[..16].to_vec();
        file.push(1); // struct
        file.extend_from_slice(&0u64.to_le_bytes()); // name ""
        file.extend_from_slice(&2000u64.to_le_bytes()); // fields
        file.extend_from_slice(&[0, 0]); // no size, no alignment
        for _ in 0..2000 {
            file.extend_from_slice(&0u64.to_le_bytes()); // name ""
            file.extend_from_slice(&[6, 0]); // zero-sized, no offset
        }
        let loaded = load_from_mem::<u8>(&file, 0);
        let Err(SavefileError::IncompatibleSchema { mismatch }) = loaded else {
            panic!("loaded: {loaded:?}");
        };
        assert!(matches!(
            mismatch.difference,
            SchemaDifference::NodeCount { program: 1, .. }
        ));
        // A nearby layout is decoded whole, so its difference is exact.
        let near = save_to_mem(0, &(1u8, 2u8)).unwrap();
        assert!(matches!(
            load_from_mem::<u8>(&near, 0),
            Err(SavefileError::IncompatibleSchema { mismatch })
                if matches!(mismatch.difference, SchemaDifference::Kind { .. })
        ));
    }
}
