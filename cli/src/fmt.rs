//! `poolc fmt [--check] [--diff] [FILES...]`: rewrites .pool files in the
//! canonical layout ([`poolc::format`]), atomically; with `--check`, writes
//! nothing and lists the files that would change; with `--diff`, shows the
//! changes instead of making them. A file that does not parse is reported
//! with its diagnostics and left as it is. Folders are walked as git sees
//! them (.gitignore, hidden files), less `poolc.toml`'s `[fmt] exclude`.

use super::config::Config;
use super::host::{STDIN_NAME, is_stdin};
use super::output::write::{self, write_atomically};
use super::report::counted;
use super::report::{self, ColorChoice, MessageFormat};
use super::{Outcome, stdio, trouble};
use poolc::SourceMap;
use poolc::describe_io;
use poolc::diagnostics::render::Style;
use std::fmt::Display;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Files or folders to format (default: the current folder). A folder
    /// gives every .pool file under it that git would not ignore, less the
    /// `[fmt] exclude` patterns of poolc.toml; a file named here is
    /// formatted whatever the patterns say. `-` formats stdin to stdout.
    files: Vec<PathBuf>,
    /// Write nothing; exit 1 and list the files that are not formatted.
    #[arg(long)]
    check: bool,
    /// Write nothing; print a unified diff of what formatting would change
    /// (exit 1 when anything would).
    #[arg(long)]
    diff: bool,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, value_name = "FORMAT")]
    message_format: MessageFormat,
    /// Print no summary line on stderr (files and problems are still
    /// printed).
    #[arg(short, long)]
    quiet: bool,
}

/// What `poolc fmt` does with a file that is not formatted.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Write,
    /// List it.
    Check,
    /// Show the changes.
    Diff,
}

/// What became of one file.
enum Status {
    Formatted,
    Changed,
    Unparsable,
    Trouble,
}

pub fn run(args: Args, color: ColorChoice) -> Outcome {
    let from_stdin = args.files.iter().any(|f| is_stdin(f));
    if from_stdin && args.files.len() > 1 {
        return trouble("`-` (stdin) must be the only file to format");
    }
    let roots = if args.files.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.files.clone()
    };
    let config = match Config::find(Path::new(".")) {
        Ok(config) => config,
        Err(e) => return trouble(e),
    };
    let mut files = Vec::new();
    for root in &roots {
        if let Err(e) = collect(root, &config, &mut files) {
            return trouble(format_args!("cannot read {}: {e}", root.display()));
        }
    }
    let style = report::style(args.message_format, color);
    let mode = match (args.diff, args.check) {
        (true, _) => Mode::Diff,
        (false, true) => Mode::Check,
        (false, false) => Mode::Write,
    };
    let mut listing = Listing { failed: false };
    let statuses: Vec<Status> = files
        .iter()
        .map(|file| format_file(file, mode, style, &mut listing))
        .collect();
    let count = |wanted: fn(&Status) -> bool| statuses.iter().filter(|s| wanted(s)).count();
    let (changed, unparsable, troubled) = (
        count(|s| matches!(s, Status::Changed)),
        count(|s| matches!(s, Status::Unparsable)),
        count(|s| matches!(s, Status::Trouble)),
    );
    if mode != Mode::Write && changed > 0 {
        let (files, are) = (
            counted(changed, "file"),
            if changed == 1 { "is" } else { "are" },
        );
        stdio::say(format_args!(
            "error: {files} {are} not formatted; run `poolc fmt` to format them"
        ));
    }
    if unparsable > 0 {
        let (files, it) = (
            counted(unparsable, "file"),
            if unparsable == 1 {
                "it does"
            } else {
                "they do"
            },
        );
        stdio::say(format_args!(
            "error: {files} could not be formatted: {it} not parse"
        ));
    }
    let fine = statuses.len() - changed - unparsable - troubled;
    if !from_stdin && unparsable + troubled == 0 && (mode == Mode::Write || changed == 0) {
        let summary = match (mode, changed) {
            (Mode::Write, 1..) => format!(
                "{} reformatted, {fine} left unchanged",
                counted(changed, "file")
            ),
            (Mode::Write, 0) => format!("{} left unchanged", counted(fine, "file")),
            _ => format!("{} already formatted", counted(fine, "file")),
        };
        report::summarize(args.quiet, summary);
    }
    if troubled > 0 || listing.failed {
        Outcome::Trouble
    } else if unparsable > 0 || (mode != Mode::Write && changed > 0) {
        Outcome::Failure
    } else {
        Outcome::Success
    }
}

/// What `fmt` prints on stdout: the changed files, or the diffs.
struct Listing {
    /// stdout failed (and said so once): the files are still formatted.
    failed: bool,
}

impl Listing {
    fn print(&mut self, text: impl Display) {
        if !self.failed {
            self.failed = stdio::print(text).is_err();
        }
    }
}

/// Formats one file (or only compares); prints its path on stdout when it
/// is or would be changed, or the diff in `Mode::Diff`.
fn format_file(path: &Path, mode: Mode, style: Style, listing: &mut Listing) -> Status {
    let mut sources = SourceMap::default();
    let text = match report::read_source(path, &mut sources, style) {
        Ok(id) => sources.get(id).text.clone(),
        Err(Outcome::Failure) => return Status::Unparsable,
        Err(_) => return Status::Trouble,
    };
    let formatted = match poolc::format(&text) {
        Ok(formatted) => formatted,
        Err(unformattable) => {
            let diagnostics = unformattable.diagnostics.into_sorted();
            report::print_diagnostics(&sources, &unformattable.secrets, &diagnostics, style);
            return Status::Unparsable;
        }
    };
    if is_stdin(path) {
        return stdin_formatted(mode, &text, &formatted, listing);
    }
    if *formatted == *text {
        return Status::Formatted;
    }
    match mode {
        Mode::Write => {
            if let Err(e) = rewrite(path, &formatted) {
                trouble(format_args!(
                    "cannot write {}: {}",
                    path.display(),
                    describe_io(&e)
                ));
                return Status::Trouble;
            }
            listing.print(format_args!("{}\n", path.display()));
        }
        Mode::Check => listing.print(format_args!("{}\n", path.display())),
        Mode::Diff => listing.print(diff(path, &text, &formatted)),
    }
    Status::Changed
}

/// Stdin formatted: the text on stdout (whether it changed or not), or
/// with `--check` nothing, or with `--diff` the diff.
fn stdin_formatted(mode: Mode, text: &str, formatted: &str, listing: &mut Listing) -> Status {
    match mode {
        Mode::Write => listing.print(formatted),
        Mode::Check => {}
        Mode::Diff => listing.print(diff(Path::new(STDIN_NAME), text, formatted)),
    }
    match (mode, text == formatted) {
        (Mode::Write, _) | (_, true) => Status::Formatted,
        _ => Status::Changed,
    }
}

/// Replaces a file's contents atomically, through a symbolic link to its
/// target, keeping its mode and (where the system lets poolc) its owner.
fn rewrite(path: &Path, contents: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let metadata = std::fs::metadata(&target)?;
    write_atomically(&target, contents, write::Mode::Like(&metadata))
}

/// A unified diff from `old` to `new`, both named after `path`.
fn diff(path: &Path, old: &str, new: &str) -> String {
    let name = path.display().to_string();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&name, &name)
        .to_string()
}

/// `path` itself when it is a file; when it is a folder (like `terraform
/// fmt`), every .pool file under it, sorted, that git would not ignore
/// (.gitignore, hidden files; `target/` and `node_modules/` too) and that
/// `config` does not exclude.
fn collect(path: &Path, config: &Config, out: &mut Vec<PathBuf>) -> Result<(), String> {
    if is_stdin(path) {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let metadata = std::fs::metadata(path).map_err(|e| describe_io(&e))?;
    if !metadata.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let walk = ignore::WalkBuilder::new(path)
        .require_git(false)
        .filter_entry(|entry| {
            let name = entry.file_name();
            name != "target" && name != "node_modules"
        })
        .sort_by_file_path(|a, b| a.cmp(b))
        .build();
    for entry in walk {
        let entry = entry.map_err(|e| e.to_string())?;
        let file = entry.path();
        let is_pool = file.extension().is_some_and(|e| e == "pool");
        if is_pool && entry.file_type().is_some_and(|t| t.is_file()) && !config.fmt_excludes(file) {
            // `./a.pool` is shown as `a.pool`.
            out.push(file.strip_prefix(".").unwrap_or(file).to_path_buf());
        }
    }
    Ok(())
}
