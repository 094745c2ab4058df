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
//! parse without a diagnostic are formatted. For one that does not, it
//! says where the file may hold secrets, so its problems are shown with
//! them masked, as `check` shows them. Its cases are the pairs in
//! `tests/format/`, one named test each.

mod layout;
mod printer;

pub use layout::is_name;

use crate::diagnostics::{Diagnostics, Quoted, SyntaxProblem};
use crate::secrets::Secrets;
use crate::syntax::ast::{File, Item, Let};
use crate::syntax::span::FileId;
use std::collections::HashMap;

/// The width a line may reach before a construct written on one line is
/// broken over several.
pub const MAX_WIDTH: usize = 100;

/// Why a file cannot be formatted.
#[derive(Debug)]
pub struct Unformattable {
    /// Its syntax problems, with spans in file `FileId(0)`.
    pub diagnostics: Diagnostics,
    /// Where it may hold secrets.
    pub secrets: Secrets,
}

/// The source in the canonical layout, or why it cannot be formatted.
pub fn format(source: &str) -> Result<String, Unformattable> {
    let file = parsed(source)?;
    if !source.contains('\r') {
        return Ok(layout::file(source, &file));
    }
    // The grammar reads \r\n and \r as line breaks, as \n; with them
    // turned into \n (heredocs included) the file means the same.
    let unix = source.replace("\r\n", "\n").replace('\r', "\n");
    let file = parsed(&unix)?;
    Ok(layout::file(&unix, &file))
}

/// The syntax tree of a file without a syntax problem.
fn parsed(source: &str) -> Result<File, Unformattable> {
    let mut diagnostics = Diagnostics::default();
    let file = crate::syntax::parse(source, FileId(0), &mut diagnostics);
    if diagnostics.is_empty() && file.bad_escapes.is_empty() {
        return Ok(file);
    }
    // The file's own `let`s (an imported one cannot be seen from here).
    let lets: HashMap<&str, &Let> = file
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Let(binding) => Some((binding.name.name.as_str(), binding)),
            _ => None,
        })
        .collect();
    let lookup = |_: FileId, name: &str| lets.get(name).copied();
    let secrets = crate::secrets::find(&[(FileId(0), source, &file)], &lookup);
    for &span in &file.bad_escapes {
        let escape = source.get(span.range()).unwrap_or_default();
        diagnostics.push(SyntaxProblem::BadEscape {
            span,
            escape: Quoted::written(escape, span, &secrets),
        });
    }
    Err(Unformattable {
        diagnostics,
        secrets,
    })
}
