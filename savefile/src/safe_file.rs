//! Replacing a file so that neither an error nor a crash ever leaves it half-written.
//!
//! The new contents go to a temporary file next to the target (in the same
//! directory, hence on the same file system), which is flushed and synced to disk,
//! then renamed over the target. The rename is atomic: the target names either the
//! old file or the new one, complete, at every instant. On unix the directory is
//! synced as well, so that the rename itself survives a power cut. If anything
//! fails before the rename, the temporary file is removed and the target was never
//! touched.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use crate::error::FileOperation;
use crate::SavefileError;

/// Tells apart the temporary files of saves running at the same time in one process.
static NEXT_TEMP: AtomicU32 = AtomicU32::new(0);

/// How many names to try for the temporary file before giving up (names are
/// only taken by other saves in flight, or left behind by a process that was killed).
const TEMP_NAME_ATTEMPTS: u32 = 64;

/// The most bytes of the target's name kept in the temporary file's name.
const MAX_STEM_BYTES: usize = 200;

/// Writes the file at `path` with `write`, replacing any previous file only once
/// the new one is complete and on disk.
///
/// A symbolic link at `path` is followed: the file it points to is replaced and
/// the link is kept. On unix the new file gets the permissions of the old one.
pub(crate) fn replace_file(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), SavefileError>,
) -> Result<(), SavefileError> {
    let target = follow_symlink(path);
    let directory = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .ok_or_else(|| std::io::Error::new(ErrorKind::InvalidInput, "the path names no file"))
        .map_err(|e| SavefileError::from(e).in_file(FileOperation::CreatingTemporary, path))?;
    let (temp_path, file) = create_temp(&directory, &name.to_string_lossy())
        .map_err(|e| e.in_file(FileOperation::CreatingTemporary, path))?;
    let written = write_and_sync(file, write)
        .and_then(|()| keep_permissions(&target, &temp_path))
        .map_err(|e| e.in_file(FileOperation::Writing, path))
        .and_then(|()| {
            fs::rename(&temp_path, &target)
                .map_err(|e| SavefileError::from(e).in_file(FileOperation::Replacing, path))
        });
    if let Err(error) = written {
        // The target is untouched; the temporary file must not outlive the error.
        // Failing to remove it cannot be reported better than the error itself.
        let _ = fs::remove_file(&temp_path);
        return Err(error);
    }
    sync_directory(&directory);
    Ok(())
}

/// The file a symbolic link points to, or `path` itself (also for a dangling link,
/// which the save then replaces with a file).
fn follow_symlink(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => {
            fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// Creates a new, empty temporary file in `directory`, named after `name`.
///
/// The name starts with a dot and ends with `.tmp` so that directory listings and
/// backup tools pass over it; `create_new` guarantees that no other file is reused.
fn create_temp(directory: &Path, name: &str) -> Result<(PathBuf, File), SavefileError> {
    // Long names are cut so that the decorated name stays within the usual 255-byte
    // limit of file systems.
    let mut stem = String::new();
    for c in name.chars() {
        if stem.len() + c.len_utf8() > MAX_STEM_BYTES {
            break;
        }
        stem.push(c);
    }
    let process = std::process::id();
    let mut last_error = None;
    for _ in 0..TEMP_NAME_ATTEMPTS {
        let serial = NEXT_TEMP.fetch_add(1, Ordering::Relaxed);
        let temp_path = directory.join(format!(".{stem}.{process}-{serial}.tmp"));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp_path)
        {
            Ok(file) => return Ok((temp_path, file)),
            Err(error) if error.kind() == ErrorKind::AlreadyExists => last_error = Some(error),
            Err(error) => return Err(error.into()),
        }
    }
    Err(last_error
        .unwrap_or_else(|| std::io::Error::from(ErrorKind::AlreadyExists))
        .into())
}

/// Writes through a buffer, then flushes it and syncs the file's data to disk.
fn write_and_sync(
    file: File,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), SavefileError>,
) -> Result<(), SavefileError> {
    let mut writer = BufWriter::new(file);
    write(&mut writer)?;
    writer.flush()?;
    let file = writer.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    Ok(())
}

/// Gives the new file the permissions of the file it replaces, if there is one.
#[cfg(unix)]
fn keep_permissions(target: &Path, temp_path: &Path) -> Result<(), SavefileError> {
    match fs::metadata(target) {
        Ok(metadata) => Ok(fs::set_permissions(temp_path, metadata.permissions())?),
        Err(error) if error.kind() == ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error.into()),
    }
}

/// Elsewhere the only permission is "read-only", which a save must not copy.
#[cfg(not(unix))]
fn keep_permissions(_target: &Path, _temp_path: &Path) -> Result<(), SavefileError> {
    Ok(())
}

/// Syncs the directory, so that the rename is on disk too.
///
/// Best effort: the new file is already in place, and some file systems cannot
/// sync a directory, so a failure here is not reported as a failed save.
#[cfg(unix)]
fn sync_directory(directory: &Path) {
    if let Ok(handle) = File::open(directory) {
        let _ = handle.sync_all();
    }
}

/// Other systems have no portable way to sync a directory.
#[cfg(not(unix))]
fn sync_directory(_directory: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("savefile-safe-file-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_file_and_leaves_nothing_else() {
        let dir = scratch("replace");
        let path = dir.join("save.bin");
        replace_file(&path, |w| Ok(w.write_all(b"first")?)).unwrap();
        replace_file(&path, |w| Ok(w.write_all(b"second")?)).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert_eq!(entries(&dir), ["save.bin"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_error_keeps_the_old_file_and_removes_the_temporary_one() {
        let dir = scratch("error");
        let path = dir.join("save.bin");
        fs::write(&path, b"old").unwrap();
        let result = replace_file(&path, |w| {
            w.write_all(&[0u8; 100_000])?;
            Err(SavefileError::GeneralError {
                msg: "halfway".into(),
            })
        });
        assert!(matches!(result, Err(SavefileError::GeneralError { .. })));
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(entries(&dir), ["save.bin"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_directory_is_an_error() {
        let dir = scratch("missing");
        let path = dir.join("no/such/dir/save.bin");
        assert!(matches!(
            replace_file(&path, |w| Ok(w.write_all(b"x")?)),
            Err(SavefileError::IOError { .. })
        ));
        assert!(entries(&dir).is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_permissions_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("links");
        let real = dir.join("real.bin");
        fs::write(&real, b"old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.join("link.bin");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        replace_file(&link, |w| Ok(w.write_all(b"new")?)).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"new");
        let mode = fs::metadata(&real).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        assert_eq!(entries(&dir), ["link.bin", "real.bin"]);
        fs::remove_dir_all(&dir).unwrap();
    }
}
