//! Printing diagnostics to stderr in the chosen form.

use super::host::{self, FsHost, StdinHost, read_regular};
use super::{Outcome, stdio, trouble};
use clap::ValueEnum;
use poolc::diagnostics::render::{self, Sources, Style};
use poolc::diagnostics::{Diagnostic, Diagnostics};
use poolc::syntax::span::FileId;
use poolc::{Access, Checked, MAX_SOURCE_BYTES, ReadError, Secrets, SourceMap, describe_io};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// Reports with source snippets, labels and help.
    Human,
    /// One line per diagnostic: FILE:LINE:COL: SEVERITY: MESSAGE: LABEL; help: HELP [CODE].
    Short,
    /// One JSON object per line.
    Json,
}

/// `--target`: what every pool is compiled to, whatever it says itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TargetArg {
    /// The spacelift-worker Helm chart's objects.
    Chart,
    /// A WorkerPool of the Spacelift workerpool operator.
    Operator,
}

impl From<TargetArg> for poolc::model::Target {
    fn from(target: TargetArg) -> Self {
        match target {
            TargetArg::Chart => poolc::model::Target::Chart,
            TargetArg::Operator => poolc::model::Target::Operator,
        }
    }
}

/// Width of reports when stderr is not a terminal, so output is stable.
const DEFAULT_WIDTH: usize = 100;

pub fn style(format: MessageFormat, color: ColorChoice) -> Style {
    match format {
        MessageFormat::Short => Style::Short,
        MessageFormat::Json => Style::Json,
        MessageFormat::Human => {
            let terminal = std::io::stderr().is_terminal();
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let color = match color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => terminal && !no_color,
            };
            let width = if terminal {
                terminal_size::terminal_size_of(std::io::stderr())
                    .map_or(DEFAULT_WIDTH, |(w, _)| usize::from(w.0))
            } else {
                DEFAULT_WIDTH
            };
            Style::Human { color, width }
        }
    }
}

/// Where a command writes its diagnostics. `check` writes the short and
/// JSON forms on stdout, for tools to read as cargo's and ruff's are (it
/// writes nothing else there); every other command writes them on stderr,
/// beside its output on stdout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Prints every diagnostic of a site on stderr, then (for people) a summary
/// line.
pub fn print(checked: &Checked, style: Style) {
    print_to(checked, style, Stream::Stderr);
}

/// [`print`], the diagnostics on `stream`.
pub fn print_to(checked: &Checked, style: Style, stream: Stream) {
    let diagnostics = (&checked.sources, &checked.secrets, &checked.diagnostics[..]);
    match stream {
        Stream::Stderr => write_diagnostics(&mut std::io::stderr().lock(), diagnostics, style),
        Stream::Stdout => write_diagnostics(&mut std::io::stdout().lock(), diagnostics, style),
    }
    if let Style::Human { .. } = style
        && let Some(summary) = render::summary(&checked.diagnostics, "compile")
    {
        stdio::say(summary);
    }
}

/// Prints diagnostics on stderr in `style`, the `secrets` of `sources`
/// masked wherever source is shown.
pub fn print_diagnostics(
    sources: &SourceMap,
    secrets: &Secrets,
    diagnostics: &[Diagnostic],
    style: Style,
) {
    write_diagnostics(
        &mut std::io::stderr().lock(),
        (sources, secrets, diagnostics),
        style,
    );
}

/// Writes diagnostics to `out`. A reader that has gone is not an error of
/// the input: the rest is dropped, and the command ends as it would have.
fn write_diagnostics(
    out: &mut dyn Write,
    (sources, secrets, diagnostics): (&SourceMap, &Secrets, &[Diagnostic]),
    style: Style,
) {
    let sources = Sources::new(sources, secrets);
    for diagnostic in diagnostics {
        let text = render::render(diagnostic, &sources, style);
        if writeln!(out, "{}", text.trim_end_matches('\n')).is_err() {
            return;
        }
    }
    let _ = out.flush();
}

/// The bytes of a regular file of at most [`MAX_SOURCE_BYTES`] (`-`:
/// stdin), or (reported as trouble) why it cannot be read.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Outcome> {
    let cannot = |reason: String| trouble(format_args!("cannot read {}: {reason}", path.display()));
    let read = if host::is_stdin(path) {
        host::read_stdin(MAX_SOURCE_BYTES).map_err(ReadError::Io)
    } else {
        read_regular(path, MAX_SOURCE_BYTES)
    };
    match read {
        Ok(bytes) if bytes.len() as u64 > MAX_SOURCE_BYTES => Err(cannot(format!(
            "larger than {}",
            poolc::size(MAX_SOURCE_BYTES)
        ))),
        Ok(bytes) => Ok(bytes),
        Err(ReadError::NotAFile(kind)) => Err(cannot(format!("{kind}, not a regular file"))),
        Err(ReadError::Io(e)) => Err(cannot(describe_io(&e))),
    }
}

/// Reads a source file (a .pool or a values file) into `sources`. Text
/// that is not UTF-8 is an error in the input: reported at its first bad
/// byte, it gives `Err(Outcome::Failure)`.
pub fn read_source(path: &Path, sources: &mut SourceMap, style: Style) -> Result<FileId, Outcome> {
    let bytes = read_bytes(path)?;
    let id = FileId(sources.files().count() as u32);
    let mut found = Diagnostics::default();
    let decoded = poolc::syntax::decode(bytes, id, &mut found);
    let text = match &decoded {
        Ok(text) | Err(text) => text.clone(),
    };
    let name = if host::is_stdin(path) {
        host::STDIN_NAME.to_string()
    } else {
        path.display().to_string()
    };
    sources.add(name, path.to_path_buf(), text.into());
    if decoded.is_err() {
        print_diagnostics(sources, &Secrets::default(), &found.into_sorted(), style);
        return Err(Outcome::Failure);
    }
    Ok(id)
}

/// `1 pool`, `2 pools`, `0 files`.
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A success line on stderr, unless the user asked for quiet.
pub fn summarize(quiet: bool, line: impl std::fmt::Display) {
    if !quiet {
        stdio::say(line);
    }
}

/// `3 pools in 2 files` (`preposition` between), then how many warnings
/// the site has, if any: what a command did with a site.
pub fn site_size(checked: &Checked, pools: usize, preposition: &str) -> String {
    let mut size = format!(
        "{} {preposition} {}",
        counted(pools, "pool"),
        counted(checked.sources.files().count(), "file")
    );
    if !checked.diagnostics.is_empty() {
        size += &format!(" ({})", counted(checked.diagnostics.len(), "warning"));
    }
    size
}

/// Folders beyond the root file's whose files a site may read.
#[derive(clap::Args)]
pub struct AccessArgs {
    /// Let `import` and `file(...)` read files under DIR too (repeatable).
    /// Without it, a site reads only files under its root file's folder.
    #[arg(long = "allow-path", value_name = "DIR")]
    pub allow: Vec<PathBuf>,
}

impl AccessArgs {
    pub fn access(&self) -> Result<Access, Outcome> {
        let allowed = self
            .allow
            .iter()
            .map(|dir| {
                std::fs::canonicalize(dir).map_err(|e| {
                    trouble(format_args!(
                        "cannot allow {}: {}",
                        dir.display(),
                        describe_io(&e)
                    ))
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Access { allowed })
    }
}

/// Checks the site rooted at `file` (`-`: read from stdin; every pool for
/// `target`, when given; reading files in the folders `access` allows) and
/// prints its diagnostics on `stream`: the checked site when it has no
/// errors, else the outcome the command ends with.
pub fn check_site(
    file: &Path,
    access: &Access,
    (style, stream): (Style, Stream),
    target: Option<TargetArg>,
) -> Result<Checked, Outcome> {
    let cannot_read = |name: &Path, e: std::io::Error| {
        trouble(format_args!(
            "cannot read {}: {}",
            name.display(),
            describe_io(&e)
        ))
    };
    let target = target.map(Into::into);
    let checked = if host::is_stdin(file) {
        let stdin = StdinHost::read(MAX_SOURCE_BYTES).map_err(|e| cannot_read(file, e))?;
        poolc::check_with(Path::new(host::STDIN_NAME), &stdin, target, access)
            .map_err(|e| cannot_read(Path::new(host::STDIN_NAME), e))?
    } else {
        poolc::check_with(file, &FsHost, target, access).map_err(|e| cannot_read(file, e))?
    };
    print_to(&checked, style, stream);
    if checked.has_errors() {
        Err(Outcome::Failure)
    } else {
        Ok(checked)
    }
}
