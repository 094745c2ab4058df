//! Source files and the one door through which the core touches the outside
//! world. The core library does no I/O of its own: it reads `.pool` files,
//! `file(...)` inputs and environment variables through a [`Host`] that the
//! front-end supplies, and it records every path it read so `watch` knows
//! what to watch.

use crate::syntax::span::FileId;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the compiler may ask of the outside world. Shared by the threads
/// that read pools, so it must be `Sync`.
pub trait Host: Sync {
    /// The bytes of a file.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// A path's canonical identity (to load a file once and detect cycles).
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
    /// An environment variable, or `None` when it is unset.
    fn env_var(&self, name: &str) -> Option<String>;
}

#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as the user would write it (root as given, imports joined
    /// onto the importing file's folder).
    pub name: String,
    pub path: PathBuf,
    pub text: Arc<str>,
    /// Byte offset of the start of each line.
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(name: String, path: PathBuf, text: Arc<str>) -> SourceFile {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i as u32 + 1))
            .collect();
        SourceFile {
            name,
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let end = (offset as usize).min(self.text.len());
        let column = self
            .text
            .get(start..end)
            .map_or(end - start, |s| s.chars().count());
        (line + 1, column + 1)
    }
}

/// Every source file of one compilation, indexed by [`FileId`].
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, name: String, path: PathBuf, text: Arc<str>) -> FileId {
        self.files.push(SourceFile::new(name, path, text));
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}

/// An I/O error as a short phrase, without the OS error number.
pub fn describe_io(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::IsADirectory => "is a directory".into(),
        io::ErrorKind::InvalidData => error.to_string(),
        _ => {
            let text = error.to_string();
            text.split(" (os error").next().unwrap_or(&text).to_string()
        }
    }
}
