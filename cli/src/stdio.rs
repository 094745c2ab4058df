//! Writing to stdout and stderr without panicking. `print!` and
//! `eprintln!` panic when the write fails: a reader that has gone
//! (`poolc fmt | head -1`) or a full disk would end poolc with a panic
//! (cli/clippy.toml refuses them).

use crate::{Outcome, trouble};
use poolc::describe_io;
use std::fmt::Display;
use std::io::{self, Write as _};

/// Writes `text` to stdout. A closed pipe is the reader's choice: the rest
/// is dropped and the command ends as it would have. Any other failure (a
/// full disk) is an I/O error, reported.
pub fn print(text: impl Display) -> Result<(), Outcome> {
    let mut out = io::stdout().lock();
    match write!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(trouble(format_args!(
            "cannot write to stdout: {}",
            describe_io(&e)
        ))),
        _ => Ok(()),
    }
}

/// Writes a line to stderr. A failure cannot be reported anywhere, so it
/// is ignored.
pub fn say(line: impl Display) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}
