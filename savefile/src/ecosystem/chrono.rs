//! `chrono::DateTime<Utc>` (chrono 0.4), as savefile 0.20 saves it: an i64 count of
//! nanoseconds since 1970-01-01 00:00 UTC, with its own schema node,
//! [`Schema::UtcTimestamp`], which matches nothing else (not an `i64`, not a
//! `SystemTime`).
//!
//! Every i64 is a valid time, so loading never fails on the value; saving a time the
//! i64 cannot hold (before 1677-09-21 or after 2262-04-11) is
//! [`SavefileError::TimestampOutOfRange`]. Never packed: chrono's memory is not
//! that count.

use std::io::{Read, Write};

use chrono::{DateTime, Utc};

use crate::{
    Deserialize, Deserializer, Introspect, IntrospectItem, Packed, SavefileError, Schema,
    Serialize, Serializer, WithSchema, WithSchemaContext,
};

impl WithSchema for DateTime<Utc> {
    fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
        Schema::UtcTimestamp
    }
}

impl Serialize for DateTime<Utc> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        let nanos = self
            .timestamp_nanos_opt()
            .ok_or(SavefileError::TimestampOutOfRange)?;
        serializer.write_i64(nanos)
    }
}

crate::borrowed::borrowed_as_owned!(impl[] DateTime<Utc>);

impl Deserialize for DateTime<Utc> {
    const __SAVEFILE_FLAT: bool = true;
    const __SAVEFILE_FIXED_SIZE: Option<usize> = Some(8);

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        Ok(DateTime::from_timestamp_nanos(deserializer.read_i64()?))
    }

    #[inline]
    fn __savefile_read_fixed(bytes: &[u8], _version: u32) -> Result<Self, SavefileError> {
        let bytes: [u8; 8] = bytes.try_into().map_err(|_| SavefileError::ShortRead)?;
        Ok(DateTime::from_timestamp_nanos(i64::from_le_bytes(bytes)))
    }
}

impl Packed for DateTime<Utc> {}

/// Its value is the time in RFC 3339 form, to the nanosecond; no children.
impl Introspect for DateTime<Utc> {
    fn introspect_value(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
    fn introspect_child<'a>(&'a self, _index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        None
    }
    fn introspect_len(&self) -> usize {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impls::test_support::assert_roundtrip;

    fn at(nanos: i64) -> DateTime<Utc> {
        DateTime::from_timestamp_nanos(nanos)
    }

    #[test]
    fn a_time_is_its_nanoseconds_since_1970() {
        let time = at(1_700_000_000_123_456_789);
        assert_eq!(
            assert_roundtrip(&time),
            1_700_000_000_123_456_789i64.to_le_bytes()
        );
        assert_eq!(assert_roundtrip(&at(-1)), (-1i64).to_le_bytes());
        assert_roundtrip(&at(i64::MIN));
        assert_roundtrip(&at(i64::MAX));
        assert_roundtrip(&vec![at(0), at(5), at(-5)]);
        assert_eq!(crate::get_schema::<DateTime<Utc>>(0), Schema::UtcTimestamp);
        assert_eq!(time.introspect_value(), "2023-11-14T22:13:20.123456789Z");
    }

    #[test]
    fn a_time_outside_64_bits_of_nanoseconds_is_not_saved() {
        let far = DateTime::<Utc>::from_timestamp(20_000_000_000, 0).unwrap();
        assert!(matches!(
            crate::save_to_mem(0, &far),
            Err(SavefileError::TimestampOutOfRange)
        ));
    }

    #[test]
    fn it_is_not_an_i64_nor_a_system_time() {
        let bytes = crate::save_to_mem(0, &at(7)).unwrap();
        assert!(matches!(
            crate::load_from_mem::<i64>(&bytes, 0),
            Err(SavefileError::IncompatibleSchema { .. })
        ));
        let bytes = crate::save_to_mem(0, &7i64).unwrap();
        assert!(matches!(
            crate::load_from_mem::<DateTime<Utc>>(&bytes, 0),
            Err(SavefileError::IncompatibleSchema { .. })
        ));
        // Without a schema the bytes are an i64's.
        let mut bare = Vec::new();
        crate::save_noschema(&mut bare, 0, &7i64).unwrap();
        let back: DateTime<Utc> = crate::load_from_mem_noschema(&bare, 0).unwrap();
        assert_eq!(back, at(7));
    }
}
