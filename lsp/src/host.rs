//! The open buffers over the disk: the core reads a file the editor has
//! open as the editor has it, unsaved edits included, and every other file
//! from the disk.

use poolc::{FileKind, Host, ItemCache, PoolCache, ReadError};
use std::collections::HashMap;
use std::io::{self, Read as _};
use std::path::{Component, Path, PathBuf};

pub struct Overlay<'d> {
    /// The open files' texts, by canonical path.
    pub open: &'d HashMap<PathBuf, String>,
    /// The site's items as last parsed (see [`ItemCache`]).
    pub items: &'d ItemCache,
    /// The site's pools as last read (see [`PoolCache`]).
    pub pools: &'d PoolCache,
}

impl Host for Overlay<'_> {
    /// An open file's text, or a regular file's first `limit + 1` bytes
    /// (a FIFO or a device is not opened: it could block or never end).
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        if let Some(text) = self.open.get(&canonical(path)) {
            return Ok(text.clone().into_bytes());
        }
        let metadata = std::fs::metadata(path)?;
        if !metadata.is_file() {
            return Err(ReadError::NotAFile(FileKind::of(metadata.file_type())));
        }
        let mut bytes = Vec::new();
        std::fs::File::open(path)?
            .take(limit + 1)
            .read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        let path = canonical(path);
        if self.open.contains_key(&path) || path.exists() {
            Ok(path)
        } else {
            Err(io::Error::new(io::ErrorKind::NotFound, "no such file"))
        }
    }

    fn env_var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    fn item_cache(&self) -> Option<&ItemCache> {
        Some(self.items)
    }

    fn pool_cache(&self) -> Option<&PoolCache> {
        Some(self.pools)
    }
}

/// A path's canonical form: the file system's, or for a file that is not
/// on disk (a new buffer), the path with `.` and `..` resolved.
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| {
        let mut out = PathBuf::new();
        for component in path.components() {
            match component {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                other => out.push(other),
            }
        }
        out
    })
}
