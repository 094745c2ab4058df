//! Source files and the one door through which the core touches the outside
//! world. The core library does no I/O of its own: it reads `.pool` files,
//! `file(...)` inputs and environment variables through a [`Host`] that the
//! front-end supplies, and it records every path it read so `watch` knows
//! what to watch.

mod memory;

pub use memory::MemoryHost;

use crate::syntax::span::FileId;
use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// What the compiler may ask of the outside world. Shared by the threads
/// that read pools, so it must be `Sync`.
pub trait Host: Sync {
    /// The bytes of the regular file at `path`. A host reads nothing from
    /// what is not a regular file (a FIFO would block, a device never end)
    /// and at most `limit + 1` bytes of a file: the core refuses a file
    /// longer than `limit` ([`read`]).
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError>;
    /// A path's canonical identity, links resolved (to load a file once,
    /// detect cycles, and keep reads inside the allowed folders).
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
    /// An environment variable, or `None` when it is unset.
    fn env_var(&self, name: &str) -> Option<String>;
    /// The syntax trees of the items this host's files held at the last
    /// check, for a host that checks the same files again and again (the
    /// watcher): unchanged items are not parsed again. None by default.
    fn item_cache(&self) -> Option<&crate::ItemCache> {
        None
    }
    /// The pools of the last check, for the same kind of host: pools whose
    /// text and surroundings are unchanged are not read again. None by
    /// default.
    fn pool_cache(&self) -> Option<&crate::PoolCache> {
        None
    }
}

/// Why a host read no file.
#[derive(Debug)]
pub enum ReadError {
    /// The path names something other than a regular file.
    NotAFile(FileKind),
    Io(io::Error),
}

impl From<io::Error> for ReadError {
    fn from(error: io::Error) -> ReadError {
        ReadError::Io(error)
    }
}

/// What a path names when it is not a regular file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Folder,
    Fifo,
    Device,
    Socket,
    Other,
}

impl FileKind {
    /// What a file type (from a host's metadata) names, when it is not a
    /// regular file.
    pub fn of(file_type: std::fs::FileType) -> FileKind {
        if file_type.is_dir() {
            return FileKind::Folder;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if file_type.is_fifo() {
                return FileKind::Fifo;
            }
            if file_type.is_char_device() || file_type.is_block_device() {
                return FileKind::Device;
            }
            if file_type.is_socket() {
                return FileKind::Socket;
            }
        }
        FileKind::Other
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileKind::Folder => "a folder",
            FileKind::Fifo => "a named pipe (FIFO)",
            FileKind::Device => "a device",
            FileKind::Socket => "a socket",
            FileKind::Other => "something else",
        })
    }
}

/// The most a `.pool` file may hold: ten thousand pools take about 3 MiB.
pub const MAX_SOURCE_BYTES: u64 = 16 << 20;
/// The most a `file(...)` input may hold: keys and certificates take a
/// few KiB.
pub const MAX_INPUT_BYTES: u64 = 1 << 20;

/// Why a file the source names was not read, as a diagnostic says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// The system's reason, e.g. "no such file".
    Io(String),
    NotAFile(FileKind),
    TooLarge {
        limit: u64,
    },
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreadable::Io(reason) => f.write_str(reason),
            Unreadable::NotAFile(kind) => write!(f, "{kind}, not a regular file"),
            Unreadable::TooLarge { limit } => write!(f, "larger than {}", size(*limit)),
        }
    }
}

impl Unreadable {
    /// The same, for the front-end to report as an I/O error.
    fn into_io(self, error: Option<io::Error>) -> io::Error {
        let kind = match self {
            Unreadable::TooLarge { .. } => io::ErrorKind::FileTooLarge,
            _ => io::ErrorKind::InvalidInput,
        };
        error.unwrap_or_else(|| io::Error::new(kind, self.to_string()))
    }
}

/// A size in the unit that says it shortest: `16 MiB`, `512 KiB`, `10 bytes`.
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// Reads a file through the host: a regular file of at most `limit` bytes.
pub fn read(host: &dyn Host, path: &Path, limit: u64) -> Result<Vec<u8>, Unreadable> {
    read_keeping_io(host, path, limit).map_err(|(unreadable, _)| unreadable)
}

/// Reads the root file: what stops it is an I/O error for the front-end.
pub fn read_root(host: &dyn Host, path: &Path) -> io::Result<Vec<u8>> {
    read_keeping_io(host, path, MAX_SOURCE_BYTES)
        .map_err(|(unreadable, error)| unreadable.into_io(error))
}

fn read_keeping_io(
    host: &dyn Host,
    path: &Path,
    limit: u64,
) -> Result<Vec<u8>, (Unreadable, Option<io::Error>)> {
    match host.read(path, limit) {
        Ok(bytes) if bytes.len() as u64 > limit => Err((Unreadable::TooLarge { limit }, None)),
        Ok(bytes) => Ok(bytes),
        Err(ReadError::NotAFile(kind)) => Err((Unreadable::NotAFile(kind), None)),
        Err(ReadError::Io(error)) => Err((Unreadable::Io(describe_io(&error)), Some(error))),
    }
}

/// The folders whose files a site may read: the root file's folder and
/// those the user allowed, each canonical. An `import` or `file(...)`
/// anywhere else (`../../etc`, `/proc/self/environ`, through a link) is
/// refused, so a change to a .pool file cannot make a build print what it
/// should not read.
#[derive(Clone, Debug, Default)]
pub struct Access {
    /// Folders allowed beyond the root file's, canonical.
    pub allowed: Vec<PathBuf>,
}

impl Access {
    /// Whether a canonical path lies in one of `folders`.
    pub(crate) fn allows(folders: &[PathBuf], canonical: &Path) -> bool {
        folders.iter().any(|folder| canonical.starts_with(folder))
    }

    /// The canonical form of `path` when it lies in one of `folders`;
    /// `Ok(None)` when it lies elsewhere. A path that cannot be resolved
    /// (it does not exist) is judged by its `.`s and `..`s, so that whether
    /// a file exists outside the folders is not told either.
    pub(crate) fn resolve(
        host: &dyn Host,
        folders: &[PathBuf],
        path: &Path,
    ) -> io::Result<Option<PathBuf>> {
        match host.canonicalize(path) {
            Ok(canonical) => Ok(Access::allows(folders, &canonical).then_some(canonical)),
            Err(_) if !Access::allows(folders, &lexically_normal(path)) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

/// `path` with `.` and `..` resolved by their names alone.
fn lexically_normal(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
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
        let ends = memchr::memchr_iter(b'\n', text.as_bytes());
        let line_starts = std::iter::once(0)
            .chain(ends.map(|i| i as u32 + 1))
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
