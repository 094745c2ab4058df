//! The command-line front-end: one module per subcommand, each a thin
//! driver of the core library's pipeline ([`poolc::check_for`]
//! then [`poolc::render_pool`]).
//!
//! Exit codes: 0 success (warnings allowed), 1 errors in the input (or, with
//! `--check`, output that is not up to date), 2 usage or I/O errors.

mod build;
mod check;
mod completions;
mod config;
mod explain;
mod fmt;
pub mod host;
mod import;
mod lsp;
mod man;
mod output;
pub mod report;
mod stdio;
mod watch;

use clap::{Parser, Subcommand};
use report::ColorChoice;

/// A build allocates and frees a great many small objects (syntax trees,
/// values, Kubernetes objects) on several threads; mimalloc does it in
/// fewer instructions than the system allocator (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::ffi::OsString;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "poolc",
    version,
    about = "Compile .pool files to Spacelift worker pool manifests"
)]
struct Cli {
    /// When to colour diagnostics (NO_COLOR is honoured under `auto`).
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = ColorChoice::Auto,
        value_name = "WHEN"
    )]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile a site to Kubernetes manifests.
    Build(build::Args),
    /// Check a site and report problems, writing nothing.
    Check(check::Args),
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish.
    Completions(completions::Args),
    /// Explain a diagnostic code, e.g. `poolc explain E0604`.
    Explain(explain::Args),
    /// Rewrite .pool files in the canonical layout.
    Fmt(fmt::Args),
    /// Turn Helm values for the spacelift-worker chart into a .pool file.
    Import(import::Args),
    /// Run the language server (the Language Server Protocol on stdin and stdout).
    Lsp(lsp::Args),
    /// Print the man page, or write one per subcommand into a folder.
    Man(man::Args),
    /// Build, then build again whenever a file the build read changes.
    Watch(watch::Args),
}

/// The outcome of a command, as an exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// Errors in the input, or output that is not up to date.
    Failure,
    /// A usage or I/O error.
    Trouble,
}

impl From<Outcome> for u8 {
    fn from(outcome: Outcome) -> u8 {
        match outcome {
            Outcome::Success => 0,
            Outcome::Failure => 1,
            Outcome::Trouble => 2,
        }
    }
}

/// Runs the command `args` names: its exit status.
fn run(args: impl IntoIterator<Item = OsString>) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let outcome = match cli.command {
        Command::Build(args) => build::run(args, cli.color),
        Command::Check(args) => check::run(args, cli.color),
        Command::Completions(args) => completions::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Fmt(args) => fmt::run(args, cli.color),
        Command::Import(args) => import::run(args, cli.color),
        Command::Lsp(args) => lsp::run(args),
        Command::Man(args) => man::run(args),
        Command::Watch(args) => watch::run(args, cli.color),
    };
    outcome.into()
}

/// Writes generated text to stdout: a reader that closed the pipe
/// (`poolc man | head`) ends the command quietly; any other failure (a full
/// disk) is an I/O error.
fn write_stdout(bytes: &[u8]) -> Outcome {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Outcome::Success,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Outcome::Success,
        Err(e) => trouble(format_args!("cannot write to stdout: {e}")),
    }
}

/// `error: ...` on stderr, for usage and I/O errors.
fn trouble(message: impl std::fmt::Display) -> Outcome {
    stdio::say(format_args!("error: {message}"));
    Outcome::Trouble
}

fn main() -> ExitCode {
    leave(run(std::env::args_os()))
}

/// Ends the process with `code` once stdout and stderr are flushed,
/// without the C library's exit handlers. The one that runs in poolc is
/// mimalloc's, which walks the whole heap to hand its pages back to the
/// system one `madvise` at a time, for memory the process's end frees at
/// once: about 5% of the time of building one pool (docs/performance.md).
#[cfg(unix)]
fn leave(code: u8) -> ExitCode {
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: `_exit` ends the process at once. What it skips is the
    // destructors of what `main` still holds, which only free memory, and
    // the C library's exit handlers, of which poolc registers none (Rust's
    // stdout, flushed above, needs none).
    unsafe { libc::_exit(code.into()) }
}

#[cfg(not(unix))]
fn leave(code: u8) -> ExitCode {
    ExitCode::from(code)
}
