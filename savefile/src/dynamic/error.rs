//! Why a dynamic load or visit failed, and where: [`DynamicError`] and [`VisitError`].

use std::fmt;

use super::decode::{Failure, Stop};
use crate::SavefileError;

/// Which part of a file a [`DynamicError`] is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FilePart {
    /// The 16-byte header (or opening and reading the file at all).
    Header,
    /// The schema after the header.
    Schema,
    /// The data after the schema.
    Data,
}

/// Why a dynamic load failed, and where.
#[derive(Debug)]
pub struct DynamicError {
    /// What went wrong, as a typed load would say it.
    pub error: SavefileError,
    /// The part of the file it went wrong in.
    pub part: FilePart,
    /// In the data: the path to the value that could not be read, from the root `.`
    /// through field names, variant names and element indices (`./players/3/name`).
    pub path: String,
    /// How many bytes had been read when it went wrong: from the start of the file, or,
    /// for a compressed file, from the start of the decompressed schema and data.
    pub offset: Option<u64>,
    /// Whether `offset` counts decompressed bytes.
    pub decompressed: bool,
}

impl DynamicError {
    pub(super) fn header(error: SavefileError) -> DynamicError {
        DynamicError {
            error,
            part: FilePart::Header,
            path: String::new(),
            offset: None,
            decompressed: false,
        }
    }

    /// Whether the file may be one saved without a schema, which would explain the error.
    pub fn may_lack_schema(&self) -> bool {
        // Data read as a schema: a tag, count or text no schema has, or bytes left over.
        let malformed = matches!(
            self.error,
            SavefileError::InvalidSchema { .. }
                | SavefileError::InvalidTag { .. }
                | SavefileError::InvalidUtf8 { .. }
                | SavefileError::LengthTooLarge { .. }
                | SavefileError::IntegerOutOfRange { .. }
                | SavefileError::DepthLimitExceeded { .. }
        );
        self.part == FilePart::Schema && malformed
            || matches!(self.error, SavefileError::TrailingBytes { .. }) && self.path == "."
    }
}

impl fmt::Display for DynamicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = |f: &mut fmt::Formatter<'_>| match self.offset {
            Some(offset) if self.decompressed => {
                write!(f, " at byte {offset} of the decompressed data")
            }
            Some(offset) => write!(f, " at byte {offset}"),
            None => Ok(()),
        };
        match self.part {
            FilePart::Header => write!(f, "{}", self.error)?,
            FilePart::Schema => {
                write!(f, "the file's schema cannot be read")?;
                place(f)?;
                write!(f, ": {}", self.error)?;
            }
            FilePart::Data => {
                write!(f, "the value at `{}` cannot be read", self.path)?;
                place(f)?;
                write!(f, ": {}", self.error)?;
            }
        }
        if self.may_lack_schema() {
            write!(
                f,
                " (a file saved without a schema, by a `*_noschema` function, cannot be \
                 decoded without its program's types)"
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for DynamicError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl From<DynamicError> for SavefileError {
    fn from(error: DynamicError) -> SavefileError {
        error.error
    }
}

/// Why a visited load ([`crate::visit_dynamic_from_mem`] and its siblings) stopped:
/// the file could not be read, or the visitor stopped it.
#[derive(Debug)]
pub enum VisitError<E> {
    /// The file is invalid or unreadable: what [`crate::load_dynamic`] says of it.
    Load(DynamicError),
    /// A callback of the visitor returned this error.
    Visitor(E),
}

impl<E: fmt::Display> fmt::Display for VisitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VisitError::Load(error) => error.fmt(f),
            VisitError::Visitor(error) => error.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for VisitError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            VisitError::Load(error) => Some(error),
            VisitError::Visitor(error) => Some(error),
        }
    }
}

impl<E> From<DynamicError> for VisitError<E> {
    fn from(error: DynamicError) -> VisitError<E> {
        VisitError::Load(error)
    }
}

impl VisitError<std::convert::Infallible> {
    /// The load's error, the only one a visitor that cannot fail leaves.
    pub(super) fn into_load(self) -> DynamicError {
        match self {
            VisitError::Load(error) => error,
            VisitError::Visitor(never) => match never {},
        }
    }
}

/// The error of bytes left after the value.
pub(super) fn trailing_error(count: u64, offset: Option<u64>, decompressed: bool) -> DynamicError {
    DynamicError {
        error: SavefileError::TrailingBytes { count },
        part: FilePart::Data,
        path: ".".to_string(),
        offset,
        decompressed,
    }
}

/// Why decoding the data stopped, as the visit's error.
pub(super) fn data_error<E>(stop: Stop<E>, decompressed: bool) -> VisitError<E> {
    let failure: Failure = match stop {
        Stop::Failed(failure) => *failure,
        Stop::Visitor(error) => return VisitError::Visitor(error),
    };
    let mut path = String::from(".");
    for step in failure.steps.iter().rev() {
        path.push('/');
        path.push_str(step);
    }
    VisitError::Load(DynamicError {
        error: failure.error,
        part: FilePart::Data,
        path,
        offset: Some(failure.offset),
        decompressed,
    })
}
