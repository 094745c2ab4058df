//! A site held in memory: the [`Host`] of tests, fuzzing and benchmarks,
//! which must not depend on the disk.

use super::{Host, ReadError, lexically_normal};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// Files and environment variables in memory. A path is taken by its names
/// alone (`.` and `..` resolved), under `/`: `site.pool` is `/site.pool`.
#[derive(Clone, Debug, Default)]
pub struct MemoryHost {
    files: BTreeMap<PathBuf, Vec<u8>>,
    env: BTreeMap<String, String>,
}

impl MemoryHost {
    /// A site of one file, `site.pool`.
    pub fn site(text: &str) -> MemoryHost {
        MemoryHost::default().with_file("site.pool", text)
    }

    pub fn with_file(mut self, path: impl AsRef<Path>, bytes: impl Into<Vec<u8>>) -> MemoryHost {
        self.files.insert(place(path.as_ref()), bytes.into());
        self
    }

    pub fn with_env(mut self, name: &str, value: &str) -> MemoryHost {
        self.env.insert(name.into(), value.into());
        self
    }
}

/// Where `path` is in memory: absolute, by its names alone.
fn place(path: &Path) -> PathBuf {
    lexically_normal(&Path::new("/").join(path))
}

fn not_found() -> io::Error {
    io::ErrorKind::NotFound.into()
}

impl Host for MemoryHost {
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        let bytes = self.files.get(&place(path)).ok_or_else(not_found)?;
        let end = bytes
            .len()
            .min(usize::try_from(limit).unwrap_or(usize::MAX) + 1);
        Ok(bytes[..end].to_vec())
    }

    /// A file's place, or a folder's that holds one.
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        let place = place(path);
        let known = self.files.keys().any(|file| file.starts_with(&place));
        known.then_some(place).ok_or_else(not_found)
    }

    fn env_var(&self, name: &str) -> Option<String> {
        self.env.get(name).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_taken_by_their_names_under_the_root() {
        let host = MemoryHost::site("pool").with_file("lib/a.pool", "a");
        assert_eq!(host.read(Path::new("./site.pool"), 10).unwrap(), b"pool");
        assert_eq!(
            host.read(Path::new("/lib/../lib/a.pool"), 10).unwrap(),
            b"a"
        );
        assert_eq!(
            host.read(Path::new("site.pool"), 1).unwrap(),
            b"po",
            "limit + 1"
        );
        assert!(host.read(Path::new("b.pool"), 10).is_err());
        assert_eq!(
            host.canonicalize(Path::new("lib")).unwrap(),
            Path::new("/lib")
        );
        assert!(host.canonicalize(Path::new("elsewhere")).is_err());
        let host = host.with_env("A", "1");
        assert_eq!(host.env_var("A").as_deref(), Some("1"));
        assert_eq!(host.env_var("B"), None);
    }
}
