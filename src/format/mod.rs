//! The canonical layout of a .pool file (`poolc fmt`). docs/fmt.md states
//! the rules for users:
//!
//! - two spaces of indentation per level;
//! - entries of a multi-line body or object one per line, without commas;
//!   the `=` of a run of one-line attributes (or of `let`s) aligned; a
//!   blank line, a comment on its own line, a block or a multi-line value
//!   ends the run;
//! - a list, object, call or block written on one line stays on one line
//!   while it fits in [`MAX_WIDTH`] columns, as `[a, b]`, `{ k = v }`,
//!   `f(a)`, `kind label { k = v, ... }`; otherwise it is broken, one item
//!   per line, and a multi-line list or call ends each item with a comma;
//!   a sequence whose only item is a multi-line object, list or heredoc
//!   written right after the opening bracket hugs it (`[{` ... `}]`);
//!   empty ones are `[]`, `{}`, `f()`;
//! - at most one blank line in a row, none after an opening bracket or
//!   before a closing one, exactly one around each pool and template;
//! - object keys bare when they are names, quoted otherwise; strings,
//!   heredocs, numbers, labels and the order of everything as written;
//! - comments stay where they were: one that followed code on its line
//!   ends the line of that construct, one on its own line stays on its own
//!   line before what followed it, at that construct's indentation.
//!
//! The formatter is a function of the text: no I/O, and only files that
//! parse without a diagnostic are formatted. Its cases are the pairs in
//! `tests/format/`, one named test each.

mod layout;
mod printer;

pub use layout::is_name;

use crate::diagnostics::Diagnostics;
use crate::syntax::span::FileId;

/// The width a line may reach before a construct written on one line is
/// broken over several.
pub const MAX_WIDTH: usize = 100;

/// The source in the canonical layout, or the syntax diagnostics (with
/// spans in file `FileId(0)`) when it does not parse.
pub fn format(source: &str) -> Result<String, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let parsed = crate::syntax::parse(source, FileId(0), &mut diagnostics);
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let file = parsed;
    if !source.contains('\r') {
        return Ok(layout::file(source, &file));
    }
    // The grammar reads \r\n and \r as line breaks, as \n; with them
    // turned into \n (heredocs included) the file means the same.
    let unix = source.replace("\r\n", "\n").replace('\r', "\n");
    let mut diagnostics = Diagnostics::default();
    let file = crate::syntax::parse(&unix, FileId(0), &mut diagnostics);
    if diagnostics.is_empty() {
        Ok(layout::file(&unix, &file))
    } else {
        Err(diagnostics)
    }
}
