//! One watcher per output folder: two would overwrite each other's files.
//!
//! The lock is an advisory lock on a file named after the output folder (a
//! hash of its canonical path) in the user's runtime folder
//! (`$XDG_RUNTIME_DIR/poolc`, else `$XDG_CACHE_HOME/poolc` or
//! `~/.cache/poolc`), never in the output folder, where it would be
//! committed with the manifests. The file holds the watcher's process id
//! for the message a second watcher prints. The system releases the lock
//! when the file is closed, so it is never left held, whether poolc exits
//! or is killed. The file itself stays: removing it on exit would let a new
//! watcher lock a fresh file while another still holds the removed one.

use crate::output::canonical_as_far_as_it_exists;
use crate::{Outcome, trouble};
use poolc::describe_io;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};

/// Held while the watcher runs.
pub struct Lock {
    _file: File,
}

/// Locks the output folder `dir` (which need not exist yet: the first
/// build that succeeds creates it), or says who holds it.
pub fn acquire(dir: &Path) -> Result<Lock, Outcome> {
    let locks = locks_folder().map_err(|e| {
        trouble(format_args!(
            "cannot lock {}: {}",
            dir.display(),
            describe_io(&e)
        ))
    })?;
    acquire_in(dir, &locks)
}

/// [`acquire`], the lock file in the folder `locks`.
fn acquire_in(dir: &Path, locks: &Path) -> Result<Lock, Outcome> {
    let path = lock_path(dir, locks).map_err(|e| {
        trouble(format_args!(
            "cannot lock {}: {}",
            dir.display(),
            describe_io(&e)
        ))
    })?;
    let cannot = |e: io::Error| {
        trouble(format_args!(
            "cannot lock {} with {}: {}",
            dir.display(),
            path.display(),
            describe_io(&e)
        ))
    };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(cannot)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let pid = holder
                .trim()
                .parse::<u32>()
                .map_or(String::new(), |pid| format!(" (pid {pid})"));
            return Err(trouble(format_args!(
                "another poolc watch{pid} is already writing to {}; stop it first, or write to \
                another folder",
                dir.display()
            )));
        }
        Err(TryLockError::Error(e)) => return Err(cannot(e)),
    }
    file.set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| writeln!(file, "{}", std::process::id()))
        .map_err(cannot)?;
    Ok(Lock { _file: file })
}

/// The lock file of the output folder `dir` in `locks`, which is created.
fn lock_path(dir: &Path, locks: &Path) -> io::Result<PathBuf> {
    let folder = canonical_as_far_as_it_exists(dir)?;
    fs::create_dir_all(locks)?;
    let name = fnv1a(folder.as_os_str().as_encoded_bytes());
    Ok(locks.join(format!("watch-{name:016x}.lock")))
}

/// The user's own folder for the locks: a per-user runtime or cache
/// folder, never a folder shared with other users (a lock file there could
/// be planted).
fn locks_folder() -> io::Result<PathBuf> {
    let under = |variable: &str, rest: &str| {
        std::env::var_os(variable)
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
            .map(|path| path.join(rest))
    };
    under("XDG_RUNTIME_DIR", "poolc")
        .or_else(|| under("XDG_CACHE_HOME", "poolc"))
        .or_else(|| under("HOME", ".cache/poolc"))
        .or_else(|| under("LOCALAPPDATA", "poolc"))
        .ok_or_else(|| {
            io::Error::other("no runtime or home folder to keep the lock in; set XDG_RUNTIME_DIR")
        })
}

/// FNV-1a, 64 bits: a name that is the same in every run for the same
/// folder (the standard library's hashers are seeded per process).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_folder_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let locks = dir.path().join("runtime/poolc");
        let acquire = |out: &Path| acquire_in(out, &locks);
        let out = dir.path().join("out");
        let first = acquire(&out).ok().unwrap();
        assert!(matches!(acquire(&out), Err(Outcome::Trouble)));
        // The same folder written another way is the same folder.
        assert!(matches!(
            acquire(&dir.path().join("./out")),
            Err(Outcome::Trouble)
        ));
        assert!(acquire(dir.path()).is_ok(), "another folder is not locked");
        drop(first);
        assert!(acquire(&out).is_ok());
        assert!(!out.exists(), "locking does not create the folder");
        let holder = fs::read_to_string(lock_path(&out, &locks).unwrap()).unwrap();
        assert_eq!(holder.trim(), std::process::id().to_string());
    }

    #[test]
    fn the_hash_names_folders_apart_and_is_stable() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(fnv1a(b"/x/out"), fnv1a(b"/y/out"));
    }
}
