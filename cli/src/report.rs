//! Printing diagnostics to stderr in the chosen form.

use super::{Outcome, host::FsHost, trouble};
use clap::ValueEnum;
use poolc::diagnostics::Diagnostic;
use poolc::diagnostics::render::{self, Sources, Style};
use poolc::{Checked, Secrets, SourceMap, describe_io};
use std::io::{IsTerminal, Write};
use std::path::Path;

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
        eprintln!("{summary}");
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

/// A text file's contents, or (reported as trouble) why it cannot be read.
pub fn read_text(path: &Path) -> Result<String, Outcome> {
    match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(_)) => Err(trouble(format_args!(
            "cannot read {}: not UTF-8 text",
            path.display()
        ))),
        Err(e) => Err(trouble(format_args!(
            "cannot read {}: {}",
            path.display(),
            describe_io(&e)
        ))),
    }
}

/// Checks the site rooted at `file` (every pool for `target`, when given)
/// and prints its diagnostics: the checked site when it has no errors, else
/// the outcome the command ends with.
pub fn check_site(
    file: &Path,
    style: Style,
    target: Option<TargetArg>,
) -> Result<Checked, Outcome> {
    let checked = poolc::check_for(file, &FsHost, target.map(Into::into)).map_err(|e| {
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
