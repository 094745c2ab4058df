//! Output folders: one `<pool>.yaml` per pool, written all or nothing
//! ([`write`]), readable by the owner only when it holds a Secret. A plan
//! compares what a build would write with what is there, so `build
//! --check` can show the difference and `build` and `watch` can touch only
//! what changed.
//!
//! poolc marks its files with a header naming the site ([`mark`]). A file
//! it would write must be absent or marked by the same site: a file without
//! the mark, or with another site's, is refused (nothing is written), and
//! so is anything but a regular file ([`existing`]). A file the site marked
//! whose pool no longer exists is stale and is removed; no other file is
//! ever touched.

mod diff;
mod existing;
mod mark;
pub mod write;

pub use diff::diff;
pub use existing::Refused;
pub use mark::{canonical_as_far_as_it_exists, header, mark};

use existing::Found;
use mark::Writer;
use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use write::{FolderLock, Mode};

/// One file a build writes.
pub struct OutputFile {
    pub path: PathBuf,
    pub contents: String,
    /// Holds a Secret: written with mode 0600.
    pub secret: bool,
    /// This process wrote exactly these contents to this path before
    /// (`watch`, for a pool a save did not change): while the file is
    /// there it is not read back to compare.
    pub written: bool,
}

pub enum Change {
    /// New or different content.
    Write {
        file: OutputFile,
        old: Option<String>,
    },
    /// A file poolc wrote for a pool that no longer exists.
    Delete { path: PathBuf, old: String },
}

/// Why a build cannot use its output folder.
#[derive(Debug)]
pub enum PlanError {
    /// A file in the way that poolc will not touch.
    Refused(Refused),
    Io(io::Error),
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Refused(refused) => refused.fmt(f),
            PlanError::Io(e) => f.write_str(&poolc::describe_io(e)),
        }
    }
}

impl From<io::Error> for PlanError {
    fn from(e: io::Error) -> PlanError {
        PlanError::Io(e)
    }
}

impl From<Refused> for PlanError {
    fn from(refused: Refused) -> PlanError {
        PlanError::Refused(refused)
    }
}

/// What a build changes in its output folder.
pub struct Plan {
    /// Writes in file order, then deletions.
    pub changes: Vec<Change>,
}

impl Plan {
    /// Compares `files` with what `dir` holds, for the site marked `mark`.
    /// `prune`: whether this site's files for other pools are stale (not
    /// when only some pools were selected).
    pub fn new(
        dir: &Path,
        mark: &str,
        files: Vec<OutputFile>,
        prune: bool,
    ) -> Result<Plan, PlanError> {
        let planned: HashSet<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
        let mut changes = Vec::new();
        for file in files {
            if file.written && existing::is_regular(&file.path) {
                continue;
            }
            let old = match existing::read(&file.path)? {
                Found::Nothing => None,
                Found::File(text) => Some(owned(&file.path, text, mark)?),
            };
            if old.as_deref() != Some(file.contents.as_str()) {
                changes.push(Change::Write { file, old });
            }
        }
        if prune && dir.is_dir() {
            changes.extend(stale(dir, mark, &planned)?);
        }
        Ok(Plan { changes })
    }

    /// Writes what changed and removes what is stale, all or nothing, in
    /// the folder `lock` holds; returns how many files changed.
    pub fn apply(self, _lock: &FolderLock) -> io::Result<usize> {
        let count = self.changes.len();
        let mut staged = Vec::new();
        let mut stale = Vec::new();
        for change in self.changes {
            match change {
                Change::Write { file, old } => {
                    let mode = if file.secret {
                        Mode::Private
                    } else {
                        Mode::Usual
                    };
                    staged.push(write::stage(
                        &file.path,
                        &file.contents,
                        mode,
                        old.is_none(),
                    )?);
                }
                Change::Delete { path, .. } => stale.push(path),
            }
        }
        write::commit(staged)?;
        for path in stale {
            fs::remove_file(path)?;
        }
        Ok(count)
    }
}

/// The text of a file the site may replace: one it marked.
fn owned(path: &Path, text: Option<String>, mark: &str) -> Result<String, Refused> {
    let refused = |reason: String| Refused {
        path: path.to_path_buf(),
        reason,
    };
    let text = text.unwrap_or_default();
    match mark::writer(&text, mark) {
        Writer::ThisSite => Ok(text),
        Writer::OtherSite(other) => Err(refused(format!(
            "was written by poolc from {other}, another site, which poolc will not overwrite"
        ))),
        Writer::Unknown => Err(refused(
            "lacks poolc's header: poolc did not write it and will not replace it".into(),
        )),
    }
}

/// The files of `dir` this site wrote for pools it no longer has, sorted.
/// Anything but a regular `.yaml` file is not the site's, and not read.
fn stale(dir: &Path, mark: &str, planned: &HashSet<PathBuf>) -> io::Result<Vec<Change>> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "yaml")
                && !planned.contains(p)
                && existing::is_regular(p)
        })
        .collect();
    entries.sort();
    Ok(entries
        .into_iter()
        .filter_map(|path| match existing::read(&path) {
            Ok(Found::File(Some(old))) if mark::writer(&old, mark) == Writer::ThisSite => {
                Some(Change::Delete { path, old })
            }
            _ => None,
        })
        .collect())
}

/// Whether `-o DIR` can name an output folder: absent (a build creates it)
/// or a folder. A file there is a mistake to say before building.
pub fn usable_folder(dir: &Path) -> Result<(), crate::Outcome> {
    match fs::metadata(dir) {
        Ok(found) if !found.is_dir() => Err(crate::trouble(format_args!(
            "{} is not a directory: -o names the folder that receives one <pool>.yaml per pool",
            dir.display()
        ))),
        _ => Ok(()),
    }
}
