//! Which folders to watch for a build's input files, and which paths in
//! them call for a rebuild.
//!
//! poolc watches folders, not files. Editors that save by writing a
//! temporary file and renaming it over the original (Vim, VS Code,
//! JetBrains) replace the file: a watch on the file itself would follow the
//! discarded one. A file that is deleted can only be seen coming back from
//! its folder. Each folder is watched non-recursively and events are kept
//! only for the paths that matter.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
pub struct WatchSet {
    /// Canonical folders, each watched non-recursively.
    pub folders: BTreeSet<PathBuf>,
    /// Paths as the watcher reports them (a watched folder joined with an
    /// entry's name) whose change calls for a rebuild: the input files, a
    /// missing folder on the way to one, and the watched folders themselves
    /// (moved or deleted).
    paths: HashSet<PathBuf>,
}

impl WatchSet {
    pub fn of(files: &[PathBuf]) -> WatchSet {
        let mut set = WatchSet::default();
        for (folder, entry) in files.iter().filter_map(|file| anchor(file)) {
            set.paths.insert(entry);
            set.paths.insert(folder.clone());
            set.folders.insert(folder);
        }
        set
    }

    pub fn matters(&self, path: &Path) -> bool {
        self.paths.contains(path)
    }
}

/// Where to listen for a file: the nearest of its folders that exists
/// (canonical), and the entry in it that leads to the file (the file
/// itself, or the first missing folder on the way to it).
fn anchor(file: &Path) -> Option<(PathBuf, PathBuf)> {
    let mut entry = file;
    loop {
        let folder = entry.parent()?;
        let folder_here = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        if let Ok(canonical) = fs::canonicalize(folder_here)
            && canonical.is_dir()
        {
            let path = canonical.join(entry.file_name()?);
            return Some((canonical, path));
        }
        entry = folder;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_watched_from_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        fs::write(root.join("site.pool"), "").unwrap();
        let set = WatchSet::of(&[dir.path().join("site.pool")]);
        assert_eq!(set.folders, BTreeSet::from([root.clone()]));
        assert!(set.matters(&root.join("site.pool")));
        assert!(set.matters(&root), "the folder itself moving or going");
        assert!(!set.matters(&root.join("other.pool")));
    }

    #[test]
    fn a_missing_file_is_watched_from_its_nearest_existing_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        let set = WatchSet::of(&[dir.path().join("lib/shared/base.pool")]);
        assert_eq!(set.folders, BTreeSet::from([root.clone()]));
        assert!(
            set.matters(&root.join("lib")),
            "the missing folder appearing"
        );
    }

    #[test]
    fn paths_through_dot_dot_are_resolved() {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir(root.join("sites")).unwrap();
        let set = WatchSet::of(&[root.join("sites/../common.pool")]);
        assert_eq!(set.folders, BTreeSet::from([root.clone()]));
        assert!(set.matters(&root.join("common.pool")));
    }

    #[test]
    fn files_in_one_folder_share_its_watch() {
        let dir = tempfile::tempdir().unwrap();
        let set = WatchSet::of(&[dir.path().join("a.pool"), dir.path().join("b.pool")]);
        assert_eq!(set.folders.len(), 1);
    }
}
