//! Writing files so that no reader ever sees a mixture: each file is
//! written to a temporary file (`.poolc-*.tmp`) in its folder, then renamed
//! over the old one. Several files are written all or nothing: every
//! temporary file first, and the renames only when all were written (a
//! full disk leaves the folder as it was, and the temporary files are
//! removed).
//!
//! While poolc has temporary files in a folder it holds an advisory lock on
//! the folder itself (which leaves no file behind): a second poolc writing
//! there waits, and temporary files found by the holder of the lock were
//! left by a run that was killed, so they are removed.
//!
//! Files are not fsynced: that would only guard against a machine crash
//! mid-build, which a second build repairs, and ten thousand fsyncs cost
//! far more than the build itself.

use std::fs::{self, File, Metadata};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use tempfile::TempPath;

const TEMPORARY_PREFIX: &str = ".poolc-";
const TEMPORARY_SUFFIX: &str = ".tmp";

/// Who may read a file poolc writes.
#[derive(Clone, Copy)]
pub enum Mode<'m> {
    /// The owner only (0600): the file holds a Secret.
    Private,
    /// As for any new file (0666 less the umask).
    Usual,
    /// The mode and owner of the file it replaces (`fmt`).
    Like(&'m Metadata),
}

/// The lock on a folder poolc writes into, held until dropped.
pub struct FolderLock {
    _folder: Option<File>,
}

/// Creates `dir` if need be and locks it, waiting for another poolc that
/// holds it; then removes the temporary files a killed run left there.
pub fn lock(dir: &Path) -> io::Result<FolderLock> {
    fs::create_dir_all(dir)?;
    let lock = FolderLock {
        _folder: lock_folder(dir)?,
    };
    remove_temporaries(dir)?;
    Ok(lock)
}

#[cfg(unix)]
fn lock_folder(dir: &Path) -> io::Result<Option<File>> {
    let folder = File::open(dir)?;
    folder.lock()?;
    Ok(Some(folder))
}

/// Other systems cannot open a folder as a file to lock it.
#[cfg(not(unix))]
fn lock_folder(_: &Path) -> io::Result<Option<File>> {
    Ok(None)
}

fn remove_temporaries(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMPORARY_PREFIX)
            && name.ends_with(TEMPORARY_SUFFIX)
            && !entry.file_type()?.is_dir()
        {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// A file written to its temporary name, to be renamed into place. It is
/// closed (a build may stage ten thousand files) and removed when dropped.
pub struct Staged {
    temporary: TempPath,
    target: PathBuf,
    /// Nothing was at the target: the rename must not replace what a
    /// writer other than poolc may have put there since.
    new: bool,
}

/// Writes `contents` to a temporary file beside `target` (whose folder
/// the caller has locked).
pub fn stage(target: &Path, contents: &str, mode: Mode, new: bool) -> io::Result<Staged> {
    let dir = folder_of(target);
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY_PREFIX).suffix(TEMPORARY_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // 0666 is narrowed by the umask, as for any new file.
        let created = if matches!(mode, Mode::Private) {
            0o600
        } else {
            0o666
        };
        builder.permissions(fs::Permissions::from_mode(created));
    }
    let mut temporary = builder.tempfile_in(dir)?;
    if let Mode::Like(original) = mode {
        keep_mode_and_owner(temporary.as_file(), original)?;
    }
    temporary.write_all(contents.as_bytes())?;
    Ok(Staged {
        temporary: temporary.into_temp_path(),
        target: target.to_path_buf(),
        new,
    })
}

#[cfg(unix)]
fn keep_mode_and_owner(file: &File, original: &Metadata) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    // Only root may give a file away; anyone may keep a group they are in.
    // A change of owner clears the set-id bits, so the mode comes after.
    if std::os::unix::fs::fchown(file, Some(original.uid()), Some(original.gid())).is_err() {
        let _ = std::os::unix::fs::fchown(file, None, Some(original.gid()));
    }
    file.set_permissions(fs::Permissions::from_mode(original.mode() & 0o7777))
}

#[cfg(not(unix))]
fn keep_mode_and_owner(file: &File, original: &Metadata) -> io::Result<()> {
    file.set_permissions(original.permissions())
}

/// Renames every staged file into place.
pub fn commit(staged: Vec<Staged>) -> io::Result<()> {
    for file in staged {
        if file.new {
            file.temporary
                .persist_noclobber(&file.target)
                .map_err(|e| e.error)?;
        } else {
            file.temporary.persist(&file.target).map_err(|e| e.error)?;
        }
    }
    Ok(())
}

/// Writes one file atomically (`fmt`, `import -o`).
pub fn write_atomically(path: &Path, contents: &str, mode: Mode) -> io::Result<()> {
    let _lock = lock(folder_of(path))?;
    let staged = stage(path, contents, mode, false)?;
    commit(vec![staged])
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn atomic_write_replaces_content_and_sets_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        write_atomically(&path, "one", Mode::Usual).unwrap();
        write_atomically(&path, "two", Mode::Private).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert_eq!(entries(dir.path()), ["a.yaml"], "nothing is left behind");
    }

    #[test]
    fn staged_files_dropped_before_the_commit_leave_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let _lock = lock(dir.path()).unwrap();
        let staged = stage(&dir.path().join("a.yaml"), "a", Mode::Usual, true).unwrap();
        assert_eq!(entries(dir.path()).len(), 1);
        drop(staged);
        assert!(entries(dir.path()).is_empty());
    }

    #[test]
    fn the_holder_of_the_lock_removes_temporaries_left_by_a_killed_run() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".poolc-abc123.tmp"), "half").unwrap();
        fs::write(dir.path().join("notes.tmp"), "kept").unwrap();
        let _lock = lock(dir.path()).unwrap();
        assert_eq!(entries(dir.path()), ["notes.tmp"]);
    }

    #[test]
    fn a_new_file_does_not_replace_one_that_appeared() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        let staged = stage(&path, "poolc", Mode::Usual, true).unwrap();
        fs::write(&path, "someone else").unwrap();
        assert!(commit(vec![staged]).is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "someone else");
    }
}
