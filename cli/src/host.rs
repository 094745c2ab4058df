//! The real file system and environment, for the core's [`Host`].

use poolc::{FileKind, Host, ItemCache, PoolCache, ReadError};
use std::fs::{File, OpenOptions};
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};

pub struct FsHost;

impl Host for FsHost {
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        read_regular(path, limit)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }

    fn env_var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

/// The file system, keeping the syntax trees of the items it read and the
/// pools read from them for the next check (the watcher's, which hands
/// the trees back once it has built).
pub struct CachingFsHost {
    items: ItemCache,
    pools: PoolCache,
}

impl Default for CachingFsHost {
    fn default() -> CachingFsHost {
        CachingFsHost {
            items: ItemCache::handing_back(),
            pools: PoolCache::new(),
        }
    }
}

impl Host for CachingFsHost {
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        FsHost.read(path, limit)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        FsHost.canonicalize(path)
    }

    fn env_var(&self, name: &str) -> Option<String> {
        FsHost.env_var(name)
    }

    fn item_cache(&self) -> Option<&ItemCache> {
        Some(&self.items)
    }

    fn pool_cache(&self) -> Option<&PoolCache> {
        Some(&self.pools)
    }
}

/// The bytes of the regular file at `path` (a link to one is followed),
/// at most `limit + 1` of them. Anything else is refused unread: opening
/// a FIFO would wait for a writer, and a device may never end.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_without_waiting(path, false)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(ReadError::NotAFile(FileKind::of(metadata.file_type())));
    }
    let mut bytes = Vec::with_capacity(metadata.len().min(limit + 1) as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Opens `path` for reading without blocking on a FIFO (non-blocking
/// reads do not matter for the regular files that are then read); with
/// `no_follow`, a link at `path` itself is refused (`ELOOP`) rather than
/// followed.
pub fn open_without_waiting(path: &Path, no_follow: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let follow = if no_follow { libc::O_NOFOLLOW } else { 0 };
        options.custom_flags(libc::O_NONBLOCK | follow);
    }
    #[cfg(not(unix))]
    if no_follow && std::fs::symlink_metadata(path)?.is_symlink() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "is a symbolic link",
        ));
    }
    options.open(path)
}

/// The name a source read from stdin goes by in messages; it stands in the
/// current folder, so its imports and `file(...)` inputs are read from
/// there.
pub const STDIN_NAME: &str = "<stdin>";

/// Whether the command line's FILE is `-`: the source comes from stdin.
pub fn is_stdin(file: &Path) -> bool {
    file.as_os_str() == "-"
}

/// Stdin to its end, or `limit + 1` bytes: enough to tell a source that
/// is too long.
pub fn read_stdin(limit: u64) -> io::Result<Vec<u8>> {
    let mut text = Vec::new();
    io::stdin().lock().take(limit + 1).read_to_end(&mut text)?;
    Ok(text)
}

/// The real file system, but for the root source, which was read from
/// stdin.
pub struct StdinHost {
    text: Vec<u8>,
}

impl StdinHost {
    /// Reads stdin to its end: at most `limit + 1` bytes, so that the core
    /// refuses a source that is too long as it would a file.
    pub fn read(limit: u64) -> io::Result<StdinHost> {
        read_stdin(limit).map(|text| StdinHost { text })
    }

    fn is_root(path: &Path) -> bool {
        path.as_os_str() == STDIN_NAME
    }
}

impl Host for StdinHost {
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        if StdinHost::is_root(path) {
            let end = self
                .text
                .len()
                .min(usize::try_from(limit).unwrap_or(usize::MAX) + 1);
            return Ok(self.text[..end].to_vec());
        }
        FsHost.read(path, limit)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        if StdinHost::is_root(path) {
            return Ok(std::fs::canonicalize(".")?.join(STDIN_NAME));
        }
        FsHost.canonicalize(path)
    }

    fn env_var(&self, name: &str) -> Option<String> {
        FsHost.env_var(name)
    }
}
