//! `poolc fmt [--check] [FILES...]`: rewrites .pool files in the canonical
//! layout ([`poolc::format`]), atomically; with `--check`, writes nothing
//! and lists the files that would change. A file that does not parse is
//! reported with its diagnostics and left as it is.

use super::output::write::{Mode, write_atomically};
use super::report::{self, ColorChoice, MessageFormat};
use super::{Outcome, stdio, trouble};
use poolc::SourceMap;
use poolc::describe_io;
use poolc::diagnostics::render::Style;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Files or folders to format (default: every .pool file under the
    /// current folder, skipping target/, node_modules/ and hidden folders).
    files: Vec<PathBuf>,
    /// Write nothing; exit 1 and list the files that are not formatted.
    #[arg(long)]
    check: bool,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, value_name = "FORMAT")]
    message_format: MessageFormat,
}

/// What became of one file.
enum Status {
    Formatted,
    Changed,
    Unparsable,
    Trouble,
}

pub fn run(args: Args, color: ColorChoice) -> Outcome {
    let roots = if args.files.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.files.clone()
    };
    let mut files = Vec::new();
    for root in &roots {
        if let Err(e) = collect(root, &mut files) {
            return trouble(format_args!(
                "cannot read {}: {}",
                root.display(),
                describe_io(&e)
            ));
        }
    }
    let style = report::style(args.message_format, color);
    let mut listing = Listing { failed: false };
    let statuses: Vec<Status> = files
        .iter()
        .map(|file| format_file(file, args.check, style, &mut listing))
        .collect();
    let count = |wanted: fn(&Status) -> bool| statuses.iter().filter(|s| wanted(s)).count();
    let (changed, unparsable, troubled) = (
        count(|s| matches!(s, Status::Changed)),
        count(|s| matches!(s, Status::Unparsable)),
        count(|s| matches!(s, Status::Trouble)),
    );
    if args.check && changed > 0 {
        stdio::say(format_args!(
            "error: {changed} file(s) are not formatted; run `poolc fmt` to format them"
        ));
    }
    if unparsable > 0 {
        stdio::say(format_args!(
            "error: {unparsable} file(s) could not be formatted: they do not parse"
        ));
    }
    if troubled > 0 || listing.failed {
        Outcome::Trouble
    } else if unparsable > 0 || (args.check && changed > 0) {
        Outcome::Failure
    } else {
        Outcome::Success
    }
}

/// The changed files, one path a line on stdout.
struct Listing {
    /// stdout failed (and said so once): the files are still formatted.
    failed: bool,
}

impl Listing {
    fn list(&mut self, path: &Path) {
        if !self.failed {
            self.failed = stdio::print(format_args!("{}\n", path.display())).is_err();
        }
    }
}

/// Formats one file (or, with `check`, only compares); lists its path when
/// it is or would be changed.
fn format_file(path: &Path, check: bool, style: Style, listing: &mut Listing) -> Status {
    let mut sources = SourceMap::default();
    let text = match report::read_source(path, &mut sources, style) {
        Ok(id) => sources.get(id).text.clone(),
        Err(Outcome::Failure) => return Status::Unparsable,
        Err(_) => return Status::Trouble,
    };
    let formatted = match poolc::format(&text) {
        Ok(formatted) => formatted,
        Err(diagnostics) => {
            report::print_diagnostics(&sources, &[], &diagnostics.into_sorted(), style);
            return Status::Unparsable;
        }
    };
    if formatted == *text {
        return Status::Formatted;
    }
    if !check && let Err(e) = rewrite(path, &formatted) {
        trouble(format_args!(
            "cannot write {}: {}",
            path.display(),
            describe_io(&e)
        ));
        return Status::Trouble;
    }
    listing.list(path);
    Status::Changed
}

/// Replaces a file's contents atomically, through a symbolic link to its
/// target, keeping its mode and (where the system lets poolc) its owner.
fn rewrite(path: &Path, contents: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let metadata = std::fs::metadata(&target)?;
    write_atomically(&target, contents, Mode::Like(&metadata))
}

/// `path` itself when it is a file; every .pool file under it, sorted,
/// when it is a folder (like `terraform fmt`).
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !std::fs::metadata(path)?.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for entry in entries {
        // `./a.pool` is shown as `a.pool`.
        let entry = entry
            .strip_prefix(".")
            .map_or_else(|_| entry.clone(), Path::to_path_buf);
        let name = entry.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        if entry.is_dir() {
            if !(name.starts_with('.') || name == "target" || name == "node_modules") {
                collect(&entry, out)?;
            }
        } else if name.ends_with(".pool") {
            out.push(entry);
        }
    }
    Ok(())
}
