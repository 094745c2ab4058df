//! `poolc import VALUES [-f MORE]... --name RELEASE [-o FILE] [--inline-secrets]`:
//! Helm values to a .pool file ([`poolc::import`]), printed or written
//! atomically; diagnostics point at the values files.

use super::output::write::{Mode, write_atomically};
use super::report::{self, ColorChoice, MessageFormat};
use super::{Outcome, stdio, trouble};
use poolc::SourceMap;
use poolc::describe_io;
use poolc::diagnostics::render::{self, Style};
use poolc::import::{Imported, Request};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The Helm values file (`-`: read it from stdin).
    values: PathBuf,
    /// More values files, merged over the first in order, as `helm -f` does.
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    more: Vec<PathBuf>,
    /// The Helm release name, which becomes the pool's name.
    #[arg(long, value_name = "RELEASE")]
    name: String,
    /// Write the .pool file here instead of printing it.
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    out: Option<PathBuf>,
    /// Write the credentials into the .pool file instead of reading them
    /// from environment variables.
    #[arg(long)]
    inline_secrets: bool,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, value_name = "FORMAT")]
    message_format: MessageFormat,
}

pub fn run(args: Args, color: ColorChoice) -> Outcome {
    if let Err(reason) = poolc::release_name(&args.name) {
        return trouble(format_args!(
            "`{}` is not a valid release name: {reason}",
            args.name
        ));
    }
    let all = || std::iter::once(&args.values).chain(&args.more);
    if all().filter(|path| super::host::is_stdin(path)).count() > 1 {
        return trouble("`-` (stdin) can be read once: name it as one values file only");
    }
    let style = report::style(args.message_format, color);
    let mut sources = SourceMap::default();
    let mut files = Vec::new();
    for path in all() {
        match report::read_source(path, &mut sources, style) {
            Ok(file) => files.push(file),
            Err(outcome) => return outcome,
        }
    }
    let request = Request {
        files: &files,
        release: &args.name,
        inline_secrets: args.inline_secrets,
    };
    let imported = poolc::import::import(&sources, &request);
    report::print_diagnostics(&sources, &imported.secrets, &imported.diagnostics, style);
    print_summary(&imported, style);
    let Some(source) = &imported.source else {
        return Outcome::Failure;
    };
    match &args.out {
        None => match stdio::print(source) {
            Ok(()) => Outcome::Success,
            Err(outcome) => outcome,
        },
        Some(path) => match write_atomically(path, source, mode(imported.holds_secrets)) {
            Ok(()) => Outcome::Success,
            Err(e) => trouble(format_args!(
                "cannot write {}: {}",
                path.display(),
                describe_io(&e)
            )),
        },
    }
}

/// For people: which variables to set, then the count of problems.
fn print_summary(imported: &Imported, style: Style) {
    if !matches!(style, Style::Human { .. }) {
        return;
    }
    let errors = imported.diagnostics.iter().any(|d| d.is_error());
    if !errors && !imported.variables.is_empty() {
        let names: Vec<&str> = imported
            .variables
            .iter()
            .map(|v| v.variable.as_str())
            .collect();
        stdio::say(format_args!(
            "note: the credentials are not copied: the .pool reads them from {}; set {} before \
            `poolc build`",
            names.join(" and "),
            if names.len() == 1 { "it" } else { "them" }
        ));
    }
    if let Some(summary) = render::summary(&imported.diagnostics, "import") {
        stdio::say(summary);
    }
}

/// Who may read the .pool file written with `-o`: the owner only when it
/// holds credentials.
fn mode(holds_secrets: bool) -> Mode<'static> {
    if holds_secrets {
        Mode::Private
    } else {
        Mode::Usual
    }
}
