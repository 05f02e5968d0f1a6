//! The reads of borrowed loads: byte strings and text handed out as slices of the
//! caller's input, for as long as that input lives, instead of copied.
//!
//! Only a deserializer over bytes in memory ([`Deserializer::from_slice`], the one
//! [`crate::load_from_mem_borrowed`] makes) can lend its input: a stream's bytes
//! live in a buffer that the next read overwrites. Lengths are checked against the
//! bytes that remain before anything is taken, and text is checked to be UTF-8,
//! exactly as the owned reads do; nothing is allocated, so nothing is charged to the
//! load's memory budget.

use super::utf8;
use super::Deserializer;
use crate::SavefileError;

/// A deserializer whose input is the caller's bytes in memory, of lifetime `'de`:
/// what borrowed loads read from (see [`crate::DeserializeBorrowed`]).
pub type BorrowedDeserializer<'de> = Deserializer<'de, std::io::Empty>;

impl<'de> Deserializer<'de, std::io::Empty> {
    /// Reads a byte string (a u64 length, then the bytes) and lends its bytes,
    /// which stay borrowed from the input for `'de`.
    #[inline]
    pub fn read_borrowed_bytes(&mut self) -> Result<&'de [u8], SavefileError> {
        let len = self.read_borrowed_len()?;
        self.take_borrowed(len)
    }

    /// Reads a string (a u64 length, then UTF-8 bytes) and lends it: checked to be
    /// UTF-8, never copied.
    #[inline(always)]
    pub fn read_borrowed_str(&mut self) -> Result<&'de str, SavefileError> {
        match self.input.take_borrowed_str() {
            Some(text) => Ok(text),
            None => self.read_borrowed_str_general(),
        }
    }

    /// [`Self::read_borrowed_str`] for what its fast path leaves: text that is not
    /// all ASCII, and errors to report.
    #[inline(never)]
    fn read_borrowed_str_general(&mut self) -> Result<&'de str, SavefileError> {
        let len = self.read_borrowed_len()?;
        let ahead = self.input.borrowed().unwrap_or_default();
        let text = ahead.get(..len).ok_or(SavefileError::ShortRead)?;
        let text = utf8::leading_to_str(text, ahead)
            .map_err(|source| SavefileError::InvalidUtf8 { source })?;
        self.input.skip(len);
        Ok(text)
    }

    /// The next `len` bytes of the input, consumed and lent for `'de`.
    #[inline]
    pub fn take_borrowed(&mut self, len: usize) -> Result<&'de [u8], SavefileError> {
        self.input
            .take_borrowed(len)
            .ok_or(SavefileError::ShortRead)
    }

    /// The unread input, lent for `'de`; not consumed.
    #[inline]
    pub(crate) fn borrowed_input(&self) -> &'de [u8] {
        self.input.borrowed().unwrap_or_default()
    }

    /// Reads a u64 byte count that the bytes in memory can hold.
    #[inline(always)]
    fn read_borrowed_len(&mut self) -> Result<usize, SavefileError> {
        let len = self.read_u64()?;
        match usize::try_from(len) {
            Ok(len) if len <= self.input.len() => Ok(len),
            _ => Err(SavefileError::LengthTooLarge {
                length: len,
                remaining: self.input.len() as u64,
            }),
        }
    }
}
