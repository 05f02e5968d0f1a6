//! Time: `Duration` and `SystemTime`, both saved as a u128 count of nanoseconds.
//!
//! A `Duration` is its total nanoseconds. A `SystemTime` is the nanoseconds since
//! `UNIX_EPOCH`; a time before the epoch sets bit 127 and keeps the distance to the
//! epoch in the low bits. Each is described as a one-field struct around a u128,
//! named as savefile 0.20 names them, so files of either crate load in the other.
//!
//! Loading is strict where 0.20 wraps or panics: a count too large for `Duration`,
//! or a time this platform's `SystemTime` cannot hold, is an error.

use std::io::{Read, Write};
use std::time::{Duration, SystemTime};

use crate::{
    Deserialize, Deserializer, Field, Introspect, IntrospectItem, Packed, SavefileError, Schema,
    SchemaPrimitive, SchemaStruct, Serialize, Serializer, WithSchema, WithSchemaContext,
};

/// Nanoseconds in one second.
const NANOS_PER_SEC: u128 = 1_000_000_000;

/// The bit of a saved `SystemTime` that marks a time before `UNIX_EPOCH`.
const BEFORE_EPOCH: u128 = 1 << 127;

/// A struct schema named `name` with one u128 field named `field`, the shape
/// savefile 0.20 gives both time types (no memory layout recorded).
fn u128_wrapper(name: &str, field: &str) -> Schema {
    let nanos = Schema::Primitive(SchemaPrimitive::schema_u128);
    Schema::Struct(SchemaStruct::new(
        name.to_string(),
        vec![Field::new(field.to_string(), Box::new(nanos))],
    ))
}

/// The `Duration` of `nanos` nanoseconds, if `Duration` can hold it.
///
/// `Duration` holds up to `u64::MAX` whole seconds, so the whole seconds alone
/// decide; `Err` carries them (they always fit in an i128, unlike the nanoseconds).
fn duration_from_nanos(nanos: u128) -> Result<Duration, u128> {
    let secs = nanos / NANOS_PER_SEC;
    let subsec = (nanos % NANOS_PER_SEC) as u32;
    u64::try_from(secs)
        .map(|secs| Duration::new(secs, subsec))
        .map_err(|_| secs)
}

impl WithSchema for Duration {
    fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
        u128_wrapper("Duration", "Duration")
    }
}

impl Serialize for Duration {
    #[inline]
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        serializer.write_u128(self.as_nanos())
    }
}

// Borrowed loads read these as owned loads do: they hold no borrows.
crate::borrowed::borrowed_as_owned!(impl[] Duration, impl[] SystemTime);

impl Deserialize for Duration {
    const __SAVEFILE_MIN_SIZE: usize = 16;
    const __SAVEFILE_FLAT: bool = true;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        let nanos = deserializer.read_u128()?;
        // The nanoseconds may exceed i128, so the error names the whole seconds.
        duration_from_nanos(nanos)
            .map_err(|secs| SavefileError::out_of_range("Duration (whole seconds)", secs as i128))
    }
}

// A Duration's memory (u64 seconds, u32 nanoseconds, padding) is not its u128 on disk.
impl Packed for Duration {}

crate::introspect::introspect_leaf!(|value| format!("{value:?}") => Duration);

impl WithSchema for SystemTime {
    fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
        u128_wrapper("SystemTime", "SystemTimeDuration")
    }
}

impl Serialize for SystemTime {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        // `as_nanos` of any Duration is below 2^95, so bit 127 is always free for the sign.
        let saved = match self.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(after) => after.as_nanos(),
            Err(before) => before.duration().as_nanos() | BEFORE_EPOCH,
        };
        serializer.write_u128(saved)
    }
}

impl Deserialize for SystemTime {
    const __SAVEFILE_MIN_SIZE: usize = 16;
    const __SAVEFILE_FLAT: bool = true;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        let saved = deserializer.read_u128()?;
        let before = saved & BEFORE_EPOCH != 0;
        let magnitude = saved & !BEFORE_EPOCH;
        // The magnitude is below 2^127, so the signed nanoseconds always fit an i128.
        let signed = if before {
            -(magnitude as i128)
        } else {
            magnitude as i128
        };
        let out_of_range = || SavefileError::out_of_range("SystemTime", signed);
        let offset = duration_from_nanos(magnitude).map_err(|_| out_of_range())?;
        let time = if before {
            SystemTime::UNIX_EPOCH.checked_sub(offset)
        } else {
            SystemTime::UNIX_EPOCH.checked_add(offset)
        };
        time.ok_or_else(out_of_range)
    }
}

// A SystemTime's memory is platform-defined and never the saved u128.
impl Packed for SystemTime {}

impl Introspect for SystemTime {
    /// The time as an offset from the epoch (`UNIX_EPOCH + 1.5s`): the saved value
    /// itself, the same on every platform (std's `Debug` for it is not).
    fn introspect_value(&self) -> String {
        match self.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(after) => format!("UNIX_EPOCH + {after:?}"),
            Err(before) => format!("UNIX_EPOCH - {:?}", before.duration()),
        }
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
    use crate::packed::is_packed;
    use crate::Introspect;

    /// The saved bytes of a u128.
    fn le(value: u128) -> Vec<u8> {
        value.to_le_bytes().to_vec()
    }

    /// Loads `value` as a `T` from no-schema bytes.
    fn load_u128<T: Deserialize>(value: u128) -> Result<T, SavefileError> {
        T::deserialize(&mut Deserializer::from_slice(&value.to_le_bytes(), 0))
    }

    #[test]
    fn durations_are_total_nanoseconds() {
        assert_eq!(
            assert_roundtrip(&Duration::from_millis(1500)),
            le(1_500_000_000)
        );
        assert_eq!(assert_roundtrip(&Duration::ZERO), le(0));
        assert_eq!(
            assert_roundtrip(&Duration::from_nanos(1)),
            [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        );
        assert_eq!(
            assert_roundtrip(&Duration::MAX),
            le(Duration::MAX.as_nanos())
        );
    }

    #[test]
    fn a_duration_too_long_for_this_type_is_an_error() {
        let just_over = (u64::MAX as u128 + 1) * NANOS_PER_SEC;
        assert!(load_u128::<Duration>(just_over - 1).is_ok());
        for saved in [just_over, u128::MAX] {
            let err = load_u128::<Duration>(saved).unwrap_err();
            match err {
                SavefileError::IntegerOutOfRange { type_name, value } => {
                    assert_eq!(type_name, "Duration (whole seconds)");
                    assert_eq!(*value, (saved / NANOS_PER_SEC) as i128);
                }
                other => panic!("unexpected error {other:?}"),
            }
        }
    }

    #[test]
    fn system_times_are_signed_nanoseconds_from_the_epoch() {
        let epoch = SystemTime::UNIX_EPOCH;
        assert_eq!(assert_roundtrip(&epoch), le(0));
        let after = epoch + Duration::from_secs(1);
        assert_eq!(assert_roundtrip(&after), le(1_000_000_000));
        let before = epoch - Duration::from_secs(1);
        let bytes = assert_roundtrip(&before);
        assert_eq!(bytes, le(1_000_000_000 | BEFORE_EPOCH));
        assert_eq!(bytes[15], 0x80);
        let fine = epoch - Duration::new(3, 250);
        assert_eq!(assert_roundtrip(&fine), le(3_000_000_250 | BEFORE_EPOCH));
    }

    #[test]
    fn a_negative_zero_is_the_epoch() {
        assert_eq!(
            load_u128::<SystemTime>(BEFORE_EPOCH).unwrap(),
            SystemTime::UNIX_EPOCH
        );
    }

    #[test]
    fn a_time_this_platform_cannot_hold_is_an_error_not_a_panic() {
        // Too far for Duration itself, in both directions.
        let huge = BEFORE_EPOCH - 1;
        for (saved, signed) in [(huge, huge as i128), (huge | BEFORE_EPOCH, -(huge as i128))] {
            match load_u128::<SystemTime>(saved).unwrap_err() {
                SavefileError::IntegerOutOfRange { type_name, value } => {
                    assert_eq!(type_name, "SystemTime");
                    assert_eq!(*value, signed);
                }
                other => panic!("unexpected error {other:?}"),
            }
        }
        // A Duration-sized offset that no platform's SystemTime reaches.
        let max = Duration::MAX.as_nanos();
        for saved in [max, max | BEFORE_EPOCH] {
            assert!(matches!(
                load_u128::<SystemTime>(saved),
                Err(SavefileError::IntegerOutOfRange {
                    type_name: "SystemTime",
                    ..
                })
            ));
        }
    }

    #[test]
    fn schemas_are_named_u128_wrappers() {
        let nanos = Box::new(Schema::Primitive(SchemaPrimitive::schema_u128));
        let duration = crate::get_schema::<Duration>(0);
        assert_eq!(
            duration,
            Schema::Struct(SchemaStruct {
                dbg_name: "Duration".into(),
                size: None,
                alignment: None,
                fields: vec![Field {
                    name: "Duration".into(),
                    value: nanos.clone(),
                    offset: None
                }],
            })
        );
        let time = crate::get_schema::<SystemTime>(7);
        assert_eq!(
            time,
            Schema::Struct(SchemaStruct {
                dbg_name: "SystemTime".into(),
                size: None,
                alignment: None,
                fields: vec![Field {
                    name: "SystemTimeDuration".into(),
                    value: nanos,
                    offset: None
                }],
            })
        );
    }

    #[test]
    fn the_schema_bytes_are_those_of_savefile_0_20() {
        let file = crate::save_to_mem(0, &Duration::from_secs(2)).unwrap();
        let mut expected = Vec::new();
        expected.push(1); // Struct
        expected.extend_from_slice(&8u64.to_le_bytes());
        expected.extend_from_slice(b"Duration");
        expected.extend_from_slice(&1u64.to_le_bytes()); // one field
        expected.extend_from_slice(&[0, 0]); // size None, alignment None
        expected.extend_from_slice(&8u64.to_le_bytes());
        expected.extend_from_slice(b"Duration");
        expected.extend_from_slice(&[3, 15]); // Primitive u128
        expected.push(0); // offset None
        expected.extend_from_slice(&le(2_000_000_000));
        assert_eq!(&file[16..], &expected[..]);
    }

    #[test]
    fn times_and_durations_do_not_load_as_each_other_or_as_bare_u128() {
        // Same shape: a Duration file loads as a SystemTime (names are not compared).
        let bytes = crate::save_to_mem(0, &Duration::from_secs(1)).unwrap();
        let time: SystemTime = crate::load_from_mem(&bytes, 0).unwrap();
        assert_eq!(time, SystemTime::UNIX_EPOCH + Duration::from_secs(1));
        // A bare u128 is not a struct.
        let bytes = crate::save_to_mem(0, &5u128).unwrap();
        assert!(matches!(
            crate::load_from_mem::<Duration>(&bytes, 0),
            Err(SavefileError::IncompatibleSchema { .. })
        ));
    }

    #[test]
    fn neither_is_packed() {
        assert!(!is_packed::<Duration>(0));
        assert!(!is_packed::<SystemTime>(0));
    }

    #[test]
    fn introspection_shows_the_value() {
        let d = Duration::from_millis(1500);
        assert_eq!(d.introspect_value(), "1.5s");
        assert_eq!(d.introspect_len(), 0);
        assert!(d.introspect_child(0).is_none());
        let epoch = SystemTime::UNIX_EPOCH;
        assert_eq!(epoch.introspect_value(), "UNIX_EPOCH + 0ns");
        assert_eq!((epoch + d).introspect_value(), "UNIX_EPOCH + 1.5s");
        assert_eq!((epoch - d).introspect_value(), "UNIX_EPOCH - 1.5s");
        assert_eq!(epoch.introspect_len(), 0);
        assert!(epoch.introspect_child(0).is_none());
    }
}
