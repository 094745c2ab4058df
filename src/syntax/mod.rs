//! Syntax: the grammar (`grammar/pool.pest`), the parser, and the syntax
//! tree with spans. Nothing here knows what a pool is.

pub mod ast;
pub mod cache;
pub mod parser;
pub mod span;

pub use parser::parse;

use crate::diagnostics::{Diagnostics, SyntaxProblem};
use span::{FileId, Span};

/// The text of a source file. Invalid UTF-8 is reported at its first bad
/// byte and gives `Err` with the text a report may show, which is not
/// parsed: the file up to that byte with every character but line breaks
/// blanked (a file that cannot be read cannot say which of its lines hold
/// secrets), then U+FFFD, so that lines and columns stay those of the file.
pub fn decode(
    bytes: Vec<u8>,
    file: FileId,
    diagnostics: &mut Diagnostics,
) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let mut shown: String = String::from_utf8_lossy(valid)
            .chars()
            .map(|c| if c == '\n' || c == '\r' { c } else { ' ' })
            .collect();
        let at = shown.len();
        shown.push(char::REPLACEMENT_CHARACTER);
        diagnostics.push(SyntaxProblem::NotUtf8 {
            span: Span::new(file, at, shown.len()),
        });
        shown
    })
}
