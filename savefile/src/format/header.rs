//! The 16-byte header that starts every savefile.
//!
//! | offset | size | content                                      |
//! |--------|------|----------------------------------------------|
//! | 0      | 9    | magic `savefile\0`                           |
//! | 9      | 2    | u16 LE savefile format version (2)           |
//! | 11     | 4    | u32 LE user data version                     |
//! | 15     | 1    | compression: 0 none, 1 bzip2                 |

use super::CURRENT_SAVEFILE_LIB_VERSION;
use crate::SavefileError;

/// The bytes every savefile starts with.
pub(crate) const MAGIC: &[u8; 9] = b"savefile\0";

/// The size of the header in bytes.
pub(crate) const HEADER_LEN: usize = 16;

const COMPRESSION_NONE: u8 = 0;
const COMPRESSION_BZIP2: u8 = 1;

/// The 16 bytes every savefile starts with, decoded and checked: what
/// [`crate::read_header`] returns without reading further.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Header {
    /// The savefile format version (0, 1 or 2): it decides how the schema is encoded.
    pub format_version: u16,
    /// The user's data version, passed to `save`.
    pub data_version: u32,
    /// Whether schema and data are one bzip2 stream.
    pub compressed: bool,
}

impl Header {
    /// The header of a file this library writes.
    pub(crate) fn current(data_version: u32, compressed: bool) -> Header {
        Header {
            format_version: CURRENT_SAVEFILE_LIB_VERSION,
            data_version,
            compressed,
        }
    }

    /// The header's 16 bytes.
    pub(crate) fn to_bytes(self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        out[..9].copy_from_slice(MAGIC);
        out[9..11].copy_from_slice(&self.format_version.to_le_bytes());
        out[11..15].copy_from_slice(&self.data_version.to_le_bytes());
        out[15] = if self.compressed {
            COMPRESSION_BZIP2
        } else {
            COMPRESSION_NONE
        };
        out
    }

    /// Decodes and checks a header, in the order the format prescribes: magic,
    /// format version, data version against the program's, compression method.
    ///
    /// `bytes` may be shorter than a header when the input was truncated; that is
    /// reported as "not a savefile" if even the magic is wrong, as a short read otherwise.
    pub(crate) fn parse(bytes: &[u8], program_version: u32) -> Result<Header, SavefileError> {
        let magic_len = bytes.len().min(MAGIC.len());
        if bytes[..magic_len] != MAGIC[..magic_len] {
            return Err(SavefileError::NotASavefile);
        }
        let Some(bytes) = bytes.first_chunk::<HEADER_LEN>() else {
            return Err(SavefileError::ShortRead);
        };
        let format_version = u16::from_le_bytes([bytes[9], bytes[10]]);
        if format_version > CURRENT_SAVEFILE_LIB_VERSION {
            return Err(SavefileError::IncompatibleSavefileLibraryVersion {
                file_format: format_version,
                supported: CURRENT_SAVEFILE_LIB_VERSION,
            });
        }
        let data_version = u32::from_le_bytes([bytes[11], bytes[12], bytes[13], bytes[14]]);
        if data_version > program_version {
            return Err(SavefileError::WrongVersion {
                file_version: data_version,
                program_version,
            });
        }
        let compressed = match bytes[15] {
            COMPRESSION_NONE => false,
            COMPRESSION_BZIP2 => true,
            method => return Err(SavefileError::UnknownCompression { method }),
        };
        Ok(Header {
            format_version,
            data_version,
            compressed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_header_bytes() {
        let h = Header::current(0x0102_0304, false);
        assert_eq!(
            h.to_bytes(),
            [
                0x73, 0x61, 0x76, 0x65, 0x66, 0x69, 0x6C, 0x65, 0x00, // savefile\0
                0x02, 0x00, // format version 2
                0x04, 0x03, 0x02, 0x01, // data version
                0x00, // not compressed
            ]
        );
        assert_eq!(Header::current(7, true).to_bytes()[15], 1);
    }

    #[test]
    fn parse_round_trips_and_checks_in_order() {
        let h = Header::current(3, true);
        assert_eq!(Header::parse(&h.to_bytes(), 3).unwrap(), h);
        assert!(matches!(
            Header::parse(&h.to_bytes(), 2),
            Err(SavefileError::WrongVersion {
                file_version: 3,
                program_version: 2
            })
        ));
        let mut newer = h.to_bytes();
        newer[9] = 3;
        newer[11] = 200; // also a wrong data version: the format version is checked first
        assert!(matches!(
            Header::parse(&newer, 0),
            Err(SavefileError::IncompatibleSavefileLibraryVersion {
                file_format: 3,
                supported: 2
            })
        ));
        let mut odd = h.to_bytes();
        odd[15] = 9;
        assert!(matches!(
            Header::parse(&odd, 3),
            Err(SavefileError::UnknownCompression { method: 9 })
        ));
    }

    #[test]
    fn short_and_foreign_inputs() {
        assert!(matches!(
            Header::parse(b"PK\x03\x04", 0),
            Err(SavefileError::NotASavefile)
        ));
        assert!(matches!(
            Header::parse(b"", 0),
            Err(SavefileError::ShortRead)
        ));
        assert!(matches!(
            Header::parse(b"savefile\0\x02", 0),
            Err(SavefileError::ShortRead)
        ));
        let mut older = Header::current(0, false).to_bytes();
        older[9] = 0;
        assert_eq!(Header::parse(&older, 0).unwrap().format_version, 0);
    }
}
