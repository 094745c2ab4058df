//! `poolc.toml`: a project's settings for poolc's commands, read from the
//! current folder or the nearest folder above it that has one. Today it
//! holds what `poolc fmt` leaves alone:
//!
//! ```toml
//! [fmt]
//! # Paths relative to this file; `*` stays within a folder, `**` crosses them.
//! exclude = ["tests/format/*.in.pool", "tests/snapshot/inputs/**"]
//! ```

use globset::{GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "poolc.toml";

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    fmt: FmtSection,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FmtSection {
    #[serde(default)]
    exclude: Vec<String>,
}

/// The settings in force for a command run from some folder.
#[derive(Default)]
pub struct Config {
    /// The folder holding `poolc.toml`, to which patterns are relative.
    root: PathBuf,
    fmt_exclude: GlobSet,
}

impl Config {
    /// The settings of the nearest `poolc.toml` at or above `start`, or the
    /// defaults; an unreadable or invalid file is an error saying why.
    pub fn find(start: &Path) -> Result<Config, String> {
        let start = std::path::absolute(start).map_err(|e| e.to_string())?;
        for dir in start.ancestors() {
            let path = dir.join(FILE_NAME);
            match std::fs::read_to_string(&path) {
                Ok(text) => return Config::parse(dir, &text).map_err(|e| describe(&path, e)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(describe(&path, poolc::describe_io(&e))),
            }
        }
        Ok(Config::default())
    }

    fn parse(root: &Path, text: &str) -> Result<Config, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut exclude = GlobSetBuilder::new();
        for pattern in &file.fmt.exclude {
            let glob = globset::GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("[fmt] exclude: {e}"))?;
            exclude.add(glob);
        }
        Ok(Config {
            root: root.to_path_buf(),
            fmt_exclude: exclude.build().map_err(|e| e.to_string())?,
        })
    }

    /// Whether `poolc fmt` leaves `path` (or the folder it is in) alone.
    pub fn fmt_excludes(&self, path: &Path) -> bool {
        let Ok(absolute) = std::path::absolute(path) else {
            return false;
        };
        let Ok(relative) = absolute.strip_prefix(&self.root) else {
            return false;
        };
        relative
            .ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .any(|p| self.fmt_exclude.is_match(p))
    }
}

fn describe(path: &Path, error: impl std::fmt::Display) -> String {
    format!("{}: {error}", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        Config::parse(Path::new("/repo"), text).unwrap()
    }

    #[test]
    fn patterns_are_relative_to_the_file_and_cover_folders() {
        let config = config("[fmt]\nexclude = [\"tests/format/*.in.pool\", \"fixtures\"]\n");
        assert!(config.fmt_excludes(Path::new("/repo/tests/format/a.in.pool")));
        assert!(!config.fmt_excludes(Path::new("/repo/tests/format/a.out.pool")));
        assert!(!config.fmt_excludes(Path::new("/repo/tests/format/deeper/a.in.pool")));
        assert!(config.fmt_excludes(Path::new("/repo/fixtures/x/y.pool")));
        assert!(!config.fmt_excludes(Path::new("/elsewhere/fixtures/y.pool")));
    }

    #[test]
    fn unknown_settings_and_bad_patterns_are_errors() {
        let root = Path::new("/repo");
        assert!(Config::parse(root, "[fmt]\nexclud = []\n").is_err());
        assert!(Config::parse(root, "[fmt]\nexclude = [\"a[\"]\n").is_err());
        assert!(Config::parse(root, "").is_ok());
    }
}
