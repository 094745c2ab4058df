//! Printing diagnostics to stderr in the chosen form.

use super::host::{FsHost, read_regular};
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

/// Prints every diagnostic of a site, then (for people) a summary line.
pub fn print(checked: &Checked, style: Style) {
    print_diagnostics(
        &checked.sources,
        &checked.secrets,
        &checked.diagnostics,
        style,
    );
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
    let sources = Sources::new(sources, secrets);
    let mut err = std::io::stderr().lock();
    for diagnostic in diagnostics {
        let text = render::render(diagnostic, &sources, style);
        let _ = writeln!(err, "{}", text.trim_end_matches('\n'));
    }
}

/// The bytes of a regular file of at most [`MAX_SOURCE_BYTES`], or
/// (reported as trouble) why it cannot be read.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Outcome> {
    let cannot = |reason: String| trouble(format_args!("cannot read {}: {reason}", path.display()));
    match read_regular(path, MAX_SOURCE_BYTES) {
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
    sources.add(path.display().to_string(), path.to_path_buf(), text.into());
    if decoded.is_err() {
        print_diagnostics(sources, &Secrets::default(), &found.into_sorted(), style);
        return Err(Outcome::Failure);
    }
    Ok(id)
}

/// Folders beyond the root file's whose files a site may read.
#[derive(clap::Args)]
pub struct AccessArgs {
    /// Let `import` and `file(...)` read files under DIR too (repeatable).
    /// Without it, a site reads only files under its root file's folder.
    #[arg(long = "allow-path", value_name = "DIR")]
    allow: Vec<PathBuf>,
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

/// Checks the site rooted at `file` (every pool for `target`, when given;
/// reading files in the folders `access` allows) and prints its
/// diagnostics: the checked site when it has no errors, else the outcome
/// the command ends with.
pub fn check_site(
    file: &Path,
    access: &Access,
    style: Style,
    target: Option<TargetArg>,
) -> Result<Checked, Outcome> {
    let checked =
        poolc::check_with(file, &FsHost, target.map(Into::into), access).map_err(|e| {
            trouble(format_args!(
                "cannot read {}: {}",
                file.display(),
                describe_io(&e)
            ))
        })?;
    print(&checked, style);
    if checked.has_errors() {
        Err(Outcome::Failure)
    } else {
        Ok(checked)
    }
}
