//! Reading what an output folder holds. The folder may come from a pull
//! request: a link planted at `DIR/<pool>.yaml` (to `/proc/self/environ`,
//! say) must not be followed, lest `build --check` print its target into
//! a CI log, nor a FIFO be waited on. Only regular files are read, never
//! through a link, and only so much of them.

use crate::host::open_without_waiting;
use poolc::FileKind;
use poolc::describe_io;
use std::fmt;
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};

/// The most poolc reads of a file in an output folder; what it writes for
/// a pool is far smaller.
pub const MAX_OUTPUT_BYTES: u64 = 64 << 20;

/// Why a file in an output folder is left alone, and the build with it.
#[derive(Debug)]
pub struct Refused {
    pub path: PathBuf,
    pub reason: String,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.path.display(), self.reason)
    }
}

/// What is at a path of the output folder.
pub enum Found {
    Nothing,
    /// A regular file, and its text (`None` when it is not UTF-8).
    File(Option<String>),
}

/// What is at `path`: nothing, or a regular file read whole. Anything
/// else (a link, a folder, a FIFO, a device) is refused unread.
pub fn read(path: &Path) -> Result<Found, Refused> {
    let refused = |reason: String| Refused {
        path: path.to_path_buf(),
        reason,
    };
    let file = match open_without_waiting(path, true) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Found::Nothing),
        Err(e) => {
            return Err(match std::fs::symlink_metadata(path) {
                Ok(m) if m.is_symlink() => {
                    refused("is a symbolic link, which poolc neither follows nor replaces".into())
                }
                _ => refused(format!("cannot be read: {}", describe_io(&e))),
            });
        }
    };
    let metadata = file
        .metadata()
        .map_err(|e| refused(format!("cannot be read: {}", describe_io(&e))))?;
    if !metadata.is_file() {
        let kind = FileKind::of(metadata.file_type());
        return Err(refused(format!("is {kind}, not a regular file")));
    }
    if metadata.len() > MAX_OUTPUT_BYTES {
        return Err(refused(format!(
            "is larger than {}, more than poolc writes for a pool",
            poolc::size(MAX_OUTPUT_BYTES)
        )));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(MAX_OUTPUT_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| refused(format!("cannot be read: {}", describe_io(&e))))?;
    Ok(Found::File(String::from_utf8(bytes).ok()))
}

/// Whether `path` is a regular file (not a link to one).
pub fn is_regular(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("target"), "secret").unwrap();
        let link = dir.path().join("a.yaml");
        std::os::unix::fs::symlink(dir.path().join("target"), &link).unwrap();
        let refused = read(&link).err().unwrap();
        assert!(refused.reason.starts_with("is a symbolic link"));
    }

    #[test]
    fn a_fifo_is_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("a.yaml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let refused = read(&fifo).err().unwrap();
        assert!(
            refused
                .reason
                .starts_with("is a named pipe (FIFO), not a regular file")
        );
    }

    #[test]
    fn a_missing_file_is_nothing_and_a_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read(&dir.path().join("a.yaml")),
            Ok(Found::Nothing)
        ));
        std::fs::write(dir.path().join("a.yaml"), "text").unwrap();
        assert!(matches!(
            read(&dir.path().join("a.yaml")),
            Ok(Found::File(Some(text))) if text == "text"
        ));
    }
}
