//! The open buffers over the disk: the core reads a file the editor has
//! open as the editor has it, unsaved edits included, and every other file
//! from the disk.

use poolc::Host;
use std::collections::HashMap;
use std::io;
use std::path::{Component, Path, PathBuf};

pub struct Overlay<'d> {
    /// The open files' texts, by canonical path.
    pub open: &'d HashMap<PathBuf, String>,
}

impl Host for Overlay<'_> {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.open.get(&canonical(path)) {
            Some(text) => Ok(text.clone().into_bytes()),
            None => std::fs::read(path),
        }
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
