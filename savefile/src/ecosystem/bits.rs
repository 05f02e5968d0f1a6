//! `BitVec` of bit-vec 0.6 and 0.8 and `BitSet` of bit-set 0.5 and 0.8 (features
//! `bit-vec`, `bit-vec08`, `bit-set`, `bit-set08`), with the default `u32` blocks.
//!
//! Saved as savefile 0.20 saves them: the number of bits (u64), then the number of
//! bytes that follow with the top bit set (u64), then the blocks as little-endian
//! `u32`s, so bit `i` is bit `i % 8` of byte `i / 8`. A set is saved as its bit
//! vector. The schema, also 0.20's, is a struct "BitVec" (or "BitSet") of fields
//! `num_bits: usize`, `num_bytes: usize` and `buffer: Vec<u8>`, which is not quite
//! what is written (the byte count has its top bit set and the bytes have no count of
//! their own); kept for the files' sake. Both bit-vec versions write the same bytes
//! and schema, so a file saved with one loads with the other.
//!
//! Loading also reads the older form savefile wrote before the top bit was used (a
//! plain byte count, then the bytes of `BitVec::to_bytes`, most significant bit
//! first). A byte count that is not a whole number of blocks, or fewer bits than the
//! bit count needs, is refused as corrupt; bits past the bit count are cleared, as
//! bit-vec requires.

/// The bit that marks a byte count as one of whole little-endian `u32` blocks.
const BLOCK_BYTES_FLAG: u64 = 1 << 63;

/// The error for a bit vector whose counts disagree.
fn corrupt(num_bits: u64, num_bytes: u64) -> crate::SavefileError {
    crate::SavefileError::general(format!(
        "a saved bit vector of {num_bits} bits in {num_bytes} bytes is corrupt"
    ))
}

/// The schema of a saved bit vector or bit set, named `name`.
fn bits_schema(name: &str, version: u32, context: &mut crate::WithSchemaContext) -> crate::Schema {
    use crate::{Field, Schema, SchemaStruct, VecOrStringLayout, WithSchema};
    Schema::Struct(SchemaStruct::new(
        name.to_string(),
        vec![
            Field::new(
                "num_bits".to_string(),
                Box::new(usize::schema(version, context)),
            ),
            Field::new(
                "num_bytes".to_string(),
                Box::new(usize::schema(version, context)),
            ),
            Field::new(
                "buffer".to_string(),
                Box::new(Schema::Vector(
                    Box::new(u8::schema(version, context)),
                    VecOrStringLayout::Unknown,
                )),
            ),
        ],
    ))
}

/// Reads the counts and bytes of a saved bit vector: the number of bits, and the
/// bytes ready for `BitVec::from_bytes` (most significant bit first in each byte).
fn read_bit_bytes(
    deserializer: &mut crate::Deserializer<impl std::io::Read>,
) -> Result<(usize, Vec<u8>), crate::SavefileError> {
    let num_bits = deserializer.read_u64()?;
    let saved_bytes = deserializer.read_u64()?;
    let blocks = saved_bytes & BLOCK_BYTES_FLAG != 0;
    let num_bytes = saved_bytes & !BLOCK_BYTES_FLAG;
    if (blocks && num_bytes % 4 != 0) || num_bytes.checked_mul(8).is_none_or(|bits| bits < num_bits)
    {
        return Err(corrupt(num_bits, num_bytes));
    }
    let len = deserializer.check_count(num_bytes, 1)?;
    let mut bytes = deserializer.read_bytes(len)?;
    if blocks {
        // `from_bytes` takes the most significant bit of each byte first.
        for byte in &mut bytes {
            *byte = byte.reverse_bits();
        }
    }
    // At most `num_bytes * 8`, checked above, which fits in u64; and as many bytes
    // are in memory, so the bit count fits in usize.
    Ok((num_bits as usize, bytes))
}

/// The saved bytes of blocks `storage`: each block little-endian.
fn block_bytes(storage: &[u32]) -> Vec<u8> {
    storage
        .iter()
        .flat_map(|block| block.to_le_bytes())
        .collect()
}

/// The traits for one bit-vec crate's `BitVec`.
macro_rules! bit_vec_impls {
    ($bit_vec:ident) => {
        use std::io::{Read, Write};

        use $bit_vec::BitVec;

        use super::{bits_schema, block_bytes, read_bit_bytes, BLOCK_BYTES_FLAG};
        use crate::format::footprint;
        use crate::{
            Deserialize, Deserializer, Introspect, IntrospectItem, Packed, SavefileError, Schema,
            Serialize, Serializer, WithSchema, WithSchemaContext,
        };

        impl WithSchema for BitVec {
            fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
                bits_schema("BitVec", version, context)
            }
        }

        impl Serialize for BitVec {
            fn serialize(
                &self,
                serializer: &mut Serializer<impl Write>,
            ) -> Result<(), SavefileError> {
                let storage = self.storage();
                serializer.write_usize(self.len())?;
                serializer.write_u64((4 * storage.len()) as u64 | BLOCK_BYTES_FLAG)?;
                serializer.write_bytes(&block_bytes(storage))
            }
        }

        crate::borrowed::borrowed_as_owned!(impl[] BitVec);

        impl Deserialize for BitVec {
            const __SAVEFILE_MIN_SIZE: usize = 16;
            const __SAVEFILE_FLAT: bool = true;

            fn deserialize(
                deserializer: &mut Deserializer<impl Read>,
            ) -> Result<Self, SavefileError> {
                let (num_bits, bytes) = read_bit_bytes(deserializer)?;
                // The blocks `from_bytes` makes, beside the bytes until they are dropped.
                deserializer.charge_memory(footprint::buffer::<u32>(bytes.len().div_ceil(4)))?;
                let mut bits = BitVec::from_bytes(&bytes);
                bits.truncate(num_bits);
                deserializer.release_memory(footprint::block(bytes.len()));
                Ok(bits)
            }
        }

        /// Never packed: its memory is a vector of blocks and a length.
        impl Packed for BitVec {}

        /// Its value is its bits, `0` and `1`, first bit first; no children.
        impl Introspect for BitVec {
            fn introspect_value(&self) -> String {
                self.iter().map(|bit| if bit { '1' } else { '0' }).collect()
            }
            fn introspect_child<'a>(
                &'a self,
                _index: usize,
            ) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
                None
            }
            fn introspect_len(&self) -> usize {
                0
            }
        }
    };
}

/// The traits for one bit-set crate's `BitSet`, saved as its bit vector.
#[cfg(any(feature = "bit-set", feature = "bit-set08"))]
macro_rules! bit_set_impls {
    ($bit_set:ident, $bit_vec:ident) => {
        use $bit_set::BitSet;

        impl WithSchema for BitSet {
            fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
                bits_schema("BitSet", version, context)
            }
        }

        impl Serialize for BitSet {
            fn serialize(
                &self,
                serializer: &mut Serializer<impl Write>,
            ) -> Result<(), SavefileError> {
                self.get_ref().serialize(serializer)
            }
        }

        crate::borrowed::borrowed_as_owned!(impl[] BitSet);

        impl Deserialize for BitSet {
            const __SAVEFILE_MIN_SIZE: usize = 16;
            const __SAVEFILE_FLAT: bool = true;

            fn deserialize(
                deserializer: &mut Deserializer<impl Read>,
            ) -> Result<Self, SavefileError> {
                Ok(BitSet::from_bit_vec(BitVec::deserialize(deserializer)?))
            }
        }

        /// Never packed: its memory is a bit vector's.
        impl Packed for BitSet {}

        /// Its value is its members in increasing order, separated by spaces; no children.
        impl Introspect for BitSet {
            fn introspect_value(&self) -> String {
                let members: Vec<String> = self.iter().map(|member| member.to_string()).collect();
                members.join(" ")
            }
            fn introspect_child<'a>(
                &'a self,
                _index: usize,
            ) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
                None
            }
            fn introspect_len(&self) -> usize {
                0
            }
        }
    };
}

#[cfg(feature = "bit-vec")]
mod v06 {
    bit_vec_impls!(bit_vec);
    #[cfg(feature = "bit-set")]
    mod set {
        use super::*;
        bit_set_impls!(bit_set, bit_vec);
    }
}

#[cfg(feature = "bit-vec08")]
mod v08 {
    bit_vec_impls!(bit_vec08);
    #[cfg(feature = "bit-set08")]
    mod set {
        use super::*;
        bit_set_impls!(bit_set08, bit_vec08);
    }
}

#[cfg(all(test, feature = "bit-vec", feature = "bit-vec08"))]
mod tests {
    use super::*;
    use crate::impls::test_support::assert_roundtrip;
    use crate::Introspect;

    /// Bits 0, 3 and 33 of 40.
    fn sample() -> bit_vec::BitVec {
        let mut bits = bit_vec::BitVec::from_elem(40, false);
        for i in [0, 3, 33] {
            bits.set(i, true);
        }
        bits
    }

    #[test]
    fn a_bit_vector_is_its_counts_and_little_endian_blocks() {
        let bits = sample();
        let mut expected = 40u64.to_le_bytes().to_vec();
        expected.extend_from_slice(&(8u64 | BLOCK_BYTES_FLAG).to_le_bytes());
        expected.extend_from_slice(&[0b1001, 0, 0, 0, 0b10, 0, 0, 0]);
        assert_eq!(assert_roundtrip(&bits), expected);
        assert_eq!(assert_roundtrip(&bit_vec::BitVec::new()), {
            let mut empty = 0u64.to_le_bytes().to_vec();
            empty.extend_from_slice(&BLOCK_BYTES_FLAG.to_le_bytes());
            empty
        });
        assert_roundtrip(&bit_vec::BitVec::from_elem(1000, true));
        assert_eq!(
            bits.introspect_value(),
            "1001000000000000000000000000000001000000"
        );
    }

    #[test]
    fn both_versions_write_the_same_and_read_each_other() {
        let old = sample();
        let new: bit_vec08::BitVec = bit_vec08::BitVec::from_bytes(&old.to_bytes());
        assert_eq!(
            crate::save_to_mem(0, &old).unwrap(),
            crate::save_to_mem(0, &new).unwrap()
        );
        let bytes = crate::save_to_mem(0, &old).unwrap();
        let back: bit_vec08::BitVec = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(back, new);
        assert_roundtrip(&new);
    }

    #[test]
    fn sets_are_saved_as_their_bit_vectors() {
        let set = bit_set::BitSet::from_bit_vec(sample());
        let bytes = assert_roundtrip(&set);
        let mut bare = Vec::new();
        crate::save_noschema(&mut bare, 0, &sample()).unwrap();
        assert_eq!(bytes, bare[16..]);
        assert_eq!(set.introspect_value(), "0 3 33");
        let newer: bit_set08::BitSet = [2usize, 70].into_iter().collect();
        assert_roundtrip(&newer);
        assert_eq!(newer.introspect_value(), "2 70");
        // The schemas differ in the struct's name only, which the check does not
        // compare (nor does savefile 0.20's): a set loads as a vector and back.
        let bytes = crate::save_to_mem(0, &set).unwrap();
        let bits: bit_vec::BitVec = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(bits, sample());
    }

    /// A no-schema file of a bit vector with these counts and bytes.
    fn saved(num_bits: u64, num_bytes: u64, bytes: &[u8]) -> Vec<u8> {
        let mut file = Vec::new();
        crate::save_noschema(&mut file, 0, &()).unwrap();
        file.extend_from_slice(&num_bits.to_le_bytes());
        file.extend_from_slice(&num_bytes.to_le_bytes());
        file.extend_from_slice(bytes);
        file
    }

    #[test]
    fn the_older_form_of_plain_bytes_loads() {
        let file = saved(10, 2, &[0b1000_0001, 0b0100_0000]);
        let bits: bit_vec::BitVec = crate::load_from_mem_noschema(&file, 0).unwrap();
        assert_eq!(bits.len(), 10);
        assert_eq!(bits.iter().collect::<Vec<_>>(), {
            let mut expected = vec![false; 10];
            expected[0] = true;
            expected[7] = true;
            expected[9] = true;
            expected
        });
    }

    #[test]
    fn bits_past_the_count_are_cleared() {
        let file = saved(3, 4 | BLOCK_BYTES_FLAG, &[0xff; 4]);
        let bits: bit_vec08::BitVec = crate::load_from_mem_noschema(&file, 0).unwrap();
        assert_eq!(bits.len(), 3);
        assert!(bits.all());
        assert_eq!(bits, bit_vec08::BitVec::from_elem(3, true));
        assert_eq!(bits.storage(), [0b111]);
    }

    #[test]
    fn counts_that_disagree_are_refused() {
        for file in [
            // More bits than bytes hold.
            saved(33, 4 | BLOCK_BYTES_FLAG, &[0; 4]),
            // Not whole blocks.
            saved(8, 3 | BLOCK_BYTES_FLAG, &[0; 3]),
            // More bytes than the file has.
            saved(8, 1 << 40 | BLOCK_BYTES_FLAG, &[0; 4]),
            saved(u64::MAX, u64::MAX, &[]),
        ] {
            let result = crate::load_from_mem_noschema::<bit_vec::BitVec>(&file, 0);
            assert!(result.is_err(), "{result:?}");
            let result = crate::load_noschema::<bit_set08::BitSet>(&mut &file[..], 0);
            assert!(result.is_err(), "{result:?}");
        }
    }
}
