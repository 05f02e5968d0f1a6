//! Network addresses: `Ipv4Addr`, `Ipv6Addr`, `IpAddr` and the three socket address types.
//!
//! `IpAddr` and `SocketAddr` are saved exactly as savefile 0.20 saves them, schema
//! included (the compatibility fixtures in `savefile-test/tests/fixtures/compat/`
//! prove it):
//! - `IpAddr` is a u8 tag (0 for V4, 1 for V6), then the address as its `to_bits`
//!   integer (u32 or u128, little-endian). Its schema is enum `IpAddr` with the
//!   variants `IPV4 { "0": u32 }` and `IPV6 { "0": u128 }`, a 1-byte index, no
//!   explicit repr and no memory layout.
//! - `SocketAddr` is the same tag, then the u16 port, then the address integer, and
//!   for V6 the u32 flowinfo and the u32 scope_id. Its schema is savefile 0.20's:
//!   enum `SocketAddr` with the same two variants as `IpAddr`. That schema describes
//!   only the address, not the port, flowinfo or scope_id, so the schema check cannot
//!   tell a `SocketAddr` file from an `IpAddr` one; we keep it all the same, because
//!   any other schema would refuse 0.20's files and make ours unloadable there.
//!
//! **Our extension, not in savefile 0.20:** the bare addresses and the two socket
//! address structs.
//! - `Ipv4Addr` is struct `Ipv4Addr { Ipv4Addr: u32 }` and `Ipv6Addr` is struct
//!   `Ipv6Addr { Ipv6Addr: u128 }`, one-field wrappers like 0.20's `Duration`, so
//!   that a bare integer and an address do not load as each other.
//! - `SocketAddrV4` and `SocketAddrV6` are saved as the payload of the matching
//!   `SocketAddr` variant, port first: struct `SocketAddrV4 { port: u16, ip }` and
//!   struct `SocketAddrV6 { port: u16, ip, flowinfo: u32, scope_id: u32 }`.
//!
//! None of these types is packed: std does not guarantee how they are laid out.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use crate::{
    Deserialize, Deserializer, Field, Packed, SavefileError, Schema, SchemaEnum, SchemaPrimitive,
    SchemaStruct, Serialize, Serializer, Variant, WithSchema, WithSchemaContext,
};

/// The tag of the V4 variant of `IpAddr` and `SocketAddr`.
const TAG_V4: u8 = 0;
/// The tag of the V6 variant of `IpAddr` and `SocketAddr`.
const TAG_V6: u8 = 1;

/// A named field of `schema`, with no offset.
fn field(name: &str, schema: Schema) -> Field {
    Field::new(name.to_string(), Box::new(schema))
}

/// A struct schema with no memory layout.
fn structure(name: &str, fields: Vec<Field>) -> Schema {
    Schema::Struct(SchemaStruct::new(name.to_string(), fields))
}

/// The schema savefile 0.20 gives both `IpAddr` and `SocketAddr`: enum `name` with
/// the variants `IPV4 { "0": u32 }` and `IPV6 { "0": u128 }`.
fn ip_variants(name: &str) -> Schema {
    let variant = |name: &str, discriminant: u8, bits: SchemaPrimitive| Variant {
        name: name.to_string(),
        discriminant,
        fields: vec![field("0", Schema::Primitive(bits))],
    };
    Schema::Enum(SchemaEnum::new(
        name.to_string(),
        1,
        vec![
            variant("IPV4", TAG_V4, SchemaPrimitive::schema_u32),
            variant("IPV6", TAG_V6, SchemaPrimitive::schema_u128),
        ],
    ))
}

/// Reads the tag of `IpAddr` or `SocketAddr`: true for V6.
fn read_is_v6(
    deserializer: &mut Deserializer<impl Read>,
    type_name: &'static str,
) -> Result<bool, SavefileError> {
    match deserializer.read_u8()? {
        TAG_V4 => Ok(false),
        TAG_V6 => Ok(true),
        tag => Err(SavefileError::InvalidTag {
            type_name,
            tag: tag as u64,
        }),
    }
}

/// Implements `Introspect` as a scalar shown by its `Display`, and the default
/// (not packed) `Packed`.
macro_rules! scalar_address {
    ($($ty:ty),*) => {$(
        // std does not guarantee the memory layout of its address types.
        impl Packed for $ty {}

        crate::introspect::introspect_leaf!(|value| value.to_string() => $ty);
    )*};
}

scalar_address!(
    Ipv4Addr,
    Ipv6Addr,
    IpAddr,
    SocketAddrV4,
    SocketAddrV6,
    SocketAddr
);

impl WithSchema for Ipv4Addr {
    fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
        structure(
            "Ipv4Addr",
            vec![field(
                "Ipv4Addr",
                Schema::Primitive(SchemaPrimitive::schema_u32),
            )],
        )
    }
}

impl Serialize for Ipv4Addr {
    #[inline]
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        serializer.write_u32(self.to_bits())
    }
}

// Borrowed loads read these as owned loads do: they hold no borrows.
crate::borrowed::borrowed_as_owned!(impl[] Ipv4Addr, impl[] Ipv6Addr, impl[] IpAddr, impl[] SocketAddrV4, impl[] SocketAddrV6, impl[] SocketAddr);

impl Deserialize for Ipv4Addr {
    const __SAVEFILE_MIN_SIZE: usize = 4;
    const __SAVEFILE_FLAT: bool = true;

    #[inline]
    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        Ok(Ipv4Addr::from_bits(deserializer.read_u32()?))
    }
}

impl WithSchema for Ipv6Addr {
    fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
        structure(
            "Ipv6Addr",
            vec![field(
                "Ipv6Addr",
                Schema::Primitive(SchemaPrimitive::schema_u128),
            )],
        )
    }
}

impl Serialize for Ipv6Addr {
    #[inline]
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        serializer.write_u128(self.to_bits())
    }
}

impl Deserialize for Ipv6Addr {
    const __SAVEFILE_MIN_SIZE: usize = 16;
    const __SAVEFILE_FLAT: bool = true;

    #[inline]
    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        Ok(Ipv6Addr::from_bits(deserializer.read_u128()?))
    }
}

impl WithSchema for IpAddr {
    fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
        ip_variants("IpAddr")
    }
}

impl Serialize for IpAddr {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        match self {
            IpAddr::V4(ip) => {
                serializer.write_u8(TAG_V4)?;
                ip.serialize(serializer)
            }
            IpAddr::V6(ip) => {
                serializer.write_u8(TAG_V6)?;
                ip.serialize(serializer)
            }
        }
    }
}

impl Deserialize for IpAddr {
    const __SAVEFILE_MIN_SIZE: usize = 5;
    const __SAVEFILE_FLAT: bool = true;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        Ok(if read_is_v6(deserializer, "IpAddr")? {
            IpAddr::V6(Ipv6Addr::deserialize(deserializer)?)
        } else {
            IpAddr::V4(Ipv4Addr::deserialize(deserializer)?)
        })
    }
}

impl WithSchema for SocketAddrV4 {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        structure(
            "SocketAddrV4",
            vec![
                field("port", Schema::Primitive(SchemaPrimitive::schema_u16)),
                field("ip", Ipv4Addr::schema(version, context)),
            ],
        )
    }
}

impl Serialize for SocketAddrV4 {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        serializer.write_u16(self.port())?;
        self.ip().serialize(serializer)
    }
}

impl Deserialize for SocketAddrV4 {
    const __SAVEFILE_MIN_SIZE: usize = 6;
    const __SAVEFILE_FLAT: bool = true;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        let port = deserializer.read_u16()?;
        let ip = Ipv4Addr::deserialize(deserializer)?;
        Ok(SocketAddrV4::new(ip, port))
    }
}

impl WithSchema for SocketAddrV6 {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        let u32_schema = || Schema::Primitive(SchemaPrimitive::schema_u32);
        structure(
            "SocketAddrV6",
            vec![
                field("port", Schema::Primitive(SchemaPrimitive::schema_u16)),
                field("ip", Ipv6Addr::schema(version, context)),
                field("flowinfo", u32_schema()),
                field("scope_id", u32_schema()),
            ],
        )
    }
}

impl Serialize for SocketAddrV6 {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        serializer.write_u16(self.port())?;
        self.ip().serialize(serializer)?;
        serializer.write_u32(self.flowinfo())?;
        serializer.write_u32(self.scope_id())
    }
}

impl Deserialize for SocketAddrV6 {
    const __SAVEFILE_MIN_SIZE: usize = 26;
    const __SAVEFILE_FLAT: bool = true;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        let port = deserializer.read_u16()?;
        let ip = Ipv6Addr::deserialize(deserializer)?;
        let flowinfo = deserializer.read_u32()?;
        let scope_id = deserializer.read_u32()?;
        Ok(SocketAddrV6::new(ip, port, flowinfo, scope_id))
    }
}

impl WithSchema for SocketAddr {
    fn schema(_version: u32, _context: &mut WithSchemaContext) -> Schema {
        ip_variants("SocketAddr")
    }
}

impl Serialize for SocketAddr {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        match self {
            SocketAddr::V4(addr) => {
                serializer.write_u8(TAG_V4)?;
                addr.serialize(serializer)
            }
            SocketAddr::V6(addr) => {
                serializer.write_u8(TAG_V6)?;
                addr.serialize(serializer)
            }
        }
    }
}

impl Deserialize for SocketAddr {
    const __SAVEFILE_MIN_SIZE: usize = 7;
    const __SAVEFILE_FLAT: bool = true;

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        Ok(if read_is_v6(deserializer, "SocketAddr")? {
            SocketAddr::V6(SocketAddrV6::deserialize(deserializer)?)
        } else {
            SocketAddr::V4(SocketAddrV4::deserialize(deserializer)?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impls::test_support::assert_roundtrip;
    use crate::packed::is_packed;
    use crate::Introspect;

    const LOCALHOST_V4_BITS: [u8; 4] = [1, 0, 0, 127];

    fn localhost_v6_bits() -> Vec<u8> {
        1u128.to_le_bytes().to_vec()
    }

    #[test]
    fn addresses_are_their_bits() {
        assert_eq!(assert_roundtrip(&Ipv4Addr::LOCALHOST), LOCALHOST_V4_BITS);
        assert_eq!(
            assert_roundtrip(&Ipv4Addr::new(192, 168, 0, 2)),
            [2, 0, 168, 192]
        );
        assert_eq!(assert_roundtrip(&Ipv6Addr::LOCALHOST), localhost_v6_bits());
        let doc = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x42);
        assert_eq!(assert_roundtrip(&doc), doc.to_bits().to_le_bytes());
    }

    #[test]
    fn ip_addr_is_a_tag_then_the_bits() {
        let v4 = assert_roundtrip(&IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(v4, [0, 1, 0, 0, 127]);
        let v6 = assert_roundtrip(&IpAddr::V6(Ipv6Addr::LOCALHOST));
        assert_eq!(v6[0], 1);
        assert_eq!(&v6[1..], &localhost_v6_bits()[..]);
    }

    #[test]
    fn socket_addresses_put_the_port_first_as_savefile_0_20_does() {
        let v4 = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 8080);
        assert_eq!(assert_roundtrip(&v4), [0x90, 0x1f, 1, 0, 0, 127]);
        let tagged = assert_roundtrip(&SocketAddr::V4(v4));
        assert_eq!(tagged, [0, 0x90, 0x1f, 1, 0, 0, 127]);

        let v6 = SocketAddrV6::new(Ipv6Addr::LOCALHOST, 443, 0x0102_0304, 7);
        let mut expected = vec![0xbb, 0x01];
        expected.extend_from_slice(&localhost_v6_bits());
        expected.extend_from_slice(&[4, 3, 2, 1, 7, 0, 0, 0]);
        assert_eq!(assert_roundtrip(&v6), expected);
        let tagged = assert_roundtrip(&SocketAddr::V6(v6));
        assert_eq!(tagged[0], 1);
        assert_eq!(&tagged[1..], &expected[..]);
    }

    #[test]
    fn a_bad_tag_is_an_error() {
        for tag in [2u8, 0xff] {
            let mut bytes = vec![tag];
            bytes.extend_from_slice(&[0; 22]);
            let ip = IpAddr::deserialize(&mut Deserializer::from_slice(&bytes, 0));
            assert!(
                matches!(ip, Err(SavefileError::InvalidTag { type_name: "IpAddr", tag: t }) if t == tag as u64),
                "{ip:?}"
            );
            let socket = SocketAddr::deserialize(&mut Deserializer::from_slice(&bytes, 0));
            assert!(
                matches!(socket, Err(SavefileError::InvalidTag { type_name: "SocketAddr", tag: t }) if t == tag as u64),
                "{socket:?}"
            );
        }
    }

    #[test]
    fn ip_and_socket_addresses_have_savefile_0_20_schemas() {
        for (ty, schema) in [
            ("IpAddr", crate::get_schema::<IpAddr>(0)),
            ("SocketAddr", crate::get_schema::<SocketAddr>(0)),
        ] {
            let Schema::Enum(en) = schema else {
                panic!("{ty} is not an enum");
            };
            assert_eq!(en.dbg_name, ty);
            assert_eq!(en.discriminant_size, 1);
            assert!(!en.has_explicit_repr);
            assert_eq!((en.size, en.alignment), (None, None));
            let variants: Vec<_> = en
                .variants
                .iter()
                .map(|v| (v.name.as_str(), v.discriminant, v.fields.clone()))
                .collect();
            let bits = |p| vec![field("0", Schema::Primitive(p))];
            assert_eq!(
                variants,
                [
                    ("IPV4", 0, bits(SchemaPrimitive::schema_u32)),
                    ("IPV6", 1, bits(SchemaPrimitive::schema_u128)),
                ]
            );
        }
    }

    #[test]
    fn our_extensions_have_the_documented_shapes() {
        let u32_schema = Schema::Primitive(SchemaPrimitive::schema_u32);
        let v4 = structure("Ipv4Addr", vec![field("Ipv4Addr", u32_schema.clone())]);
        let v6 = structure(
            "Ipv6Addr",
            vec![field(
                "Ipv6Addr",
                Schema::Primitive(SchemaPrimitive::schema_u128),
            )],
        );
        assert_eq!(crate::get_schema::<Ipv4Addr>(0), v4);
        assert_eq!(crate::get_schema::<Ipv6Addr>(0), v6);
        let port = Schema::Primitive(SchemaPrimitive::schema_u16);
        let sv4 = structure(
            "SocketAddrV4",
            vec![field("port", port.clone()), field("ip", v4)],
        );
        let sv6 = structure(
            "SocketAddrV6",
            vec![
                field("port", port),
                field("ip", v6),
                field("flowinfo", u32_schema.clone()),
                field("scope_id", u32_schema),
            ],
        );
        assert_eq!(crate::get_schema::<SocketAddrV4>(0), sv4);
        assert_eq!(crate::get_schema::<SocketAddrV6>(0), sv6);
    }

    #[test]
    fn a_bare_integer_does_not_load_as_an_address() {
        let bytes = crate::save_to_mem(0, &0x7f00_0001u32).unwrap();
        assert!(matches!(
            crate::load_from_mem::<Ipv4Addr>(&bytes, 0),
            Err(SavefileError::IncompatibleSchema { .. })
        ));
    }

    #[test]
    fn an_ip_address_file_is_too_short_for_a_socket_address() {
        // The two schemas are savefile 0.20's and differ only in name, which the
        // check ignores; the missing port then runs past the end of the data.
        let bytes = crate::save_to_mem(0, &IpAddr::V4(Ipv4Addr::LOCALHOST)).unwrap();
        assert!(matches!(
            crate::load_from_mem::<SocketAddr>(&bytes, 0),
            Err(SavefileError::ShortRead)
        ));
    }

    #[test]
    fn none_is_packed() {
        assert!(!is_packed::<Ipv4Addr>(0));
        assert!(!is_packed::<Ipv6Addr>(0));
        assert!(!is_packed::<IpAddr>(0));
        assert!(!is_packed::<SocketAddrV4>(0));
        assert!(!is_packed::<SocketAddrV6>(0));
        assert!(!is_packed::<SocketAddr>(0));
    }

    #[test]
    fn introspection_shows_the_address() {
        assert_eq!(Ipv4Addr::LOCALHOST.introspect_value(), "127.0.0.1");
        assert_eq!(Ipv6Addr::LOCALHOST.introspect_value(), "::1");
        assert_eq!(IpAddr::V6(Ipv6Addr::LOCALHOST).introspect_value(), "::1");
        let socket = SocketAddr::from((Ipv4Addr::LOCALHOST, 8080));
        assert_eq!(socket.introspect_value(), "127.0.0.1:8080");
        assert_eq!(socket.introspect_len(), 0);
        assert!(socket.introspect_child(0).is_none());
        let v6 = SocketAddrV6::new(Ipv6Addr::LOCALHOST, 443, 0, 3);
        assert_eq!(v6.introspect_value(), "[::1%3]:443");
    }
}
