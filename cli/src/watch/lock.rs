//! One watcher per output folder: two would overwrite each other's files.
//!
//! The lock is an advisory lock on `.poolc-watch.lock` in the folder, which
//! holds the watcher's process id for the message a second watcher prints.
//! The system releases the lock when the file is closed, so it is never left
//! held, whether poolc exits or is killed. The file itself stays: removing
//! it on exit would let a new watcher lock a fresh file while another still
//! holds the removed one. It is not a `.yaml` file and has no poolc header,
//! so it is never taken for an output.

use crate::{Outcome, trouble};
use poolc::describe_io;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read as _, Seek as _, Write as _};
use std::path::Path;

pub const LOCK_FILE: &str = ".poolc-watch.lock";

/// Held while the watcher runs.
pub struct Lock {
    _file: File,
}

/// Locks `dir` (creating it), or says who holds it.
pub fn acquire(dir: &Path) -> Result<Lock, Outcome> {
    let path = dir.join(LOCK_FILE);
    let cannot = |e: std::io::Error| {
        trouble(format_args!(
            "cannot lock {}: {}",
            path.display(),
            describe_io(&e)
        ))
    };
    fs::create_dir_all(dir).map_err(cannot)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_folder_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path()).ok().unwrap();
        assert!(matches!(acquire(dir.path()), Err(Outcome::Trouble)));
        drop(first);
        assert!(acquire(dir.path()).is_ok());
        let holder = fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap();
        assert_eq!(holder.trim(), std::process::id().to_string());
    }
}
