//! The real file system and environment, for the core's [`Host`].

use poolc::Host;
use std::io;
use std::path::{Path, PathBuf};

pub struct FsHost;

impl Host for FsHost {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }

    fn env_var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}
