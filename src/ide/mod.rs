//! What an editor asks of a checked site, independent of any editor or
//! protocol: hover, completion, go to definition, references, rename,
//! document symbols, folding ranges, semantic tokens, inlay hints and
//! quick fixes. Each is a function of a [`Checked`] site (its syntax trees,
//! scopes and diagnostics) and a byte offset in one of its files; the
//! language server (the `lsp/` crate) turns them into the protocol's
//! messages.
//!
//! Nothing here shows secret text: a hover never quotes a credential's
//! literal, nor the value `env(...)` or `file(...)` read (only what the
//! source says), and completion offers names from the language's tables
//! and the site's `let`s and templates.

mod complete;
mod context;
mod fields;
mod hover;
mod locate;
mod navigate;
mod outline;
mod place;
mod tokens;

use crate::semantics::Checked;
use crate::syntax::span::{FileId, Span};

pub use complete::complete;
pub use hover::hover;
pub use navigate::{definition, prepare_rename, references, rename};
pub use outline::{folds, inlay_hints, symbols};
pub use tokens::{Token, TokenKind, tokens};

/// Hover text, in Markdown, for the span it describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub span: Span,
    pub markdown: String,
}

/// What a completion offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    /// An attribute of a body or object (`replicas`).
    Field,
    /// A block (`launcher`).
    Block,
    /// A keyword value or block label (`statefulset`, `claim`).
    Value,
    /// A `let`.
    Let,
    /// A template (after `extends`).
    Template,
    Function,
    /// A word of the language (`pool`, `let`, `extends`).
    Keyword,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// A short type or summary (`duration`, `SPACELIFT_DEBUG`).
    pub detail: Option<String>,
    /// Markdown documentation.
    pub documentation: Option<String>,
    /// The text inserted, when not the label (`replicas = `).
    pub insert: Option<String>,
}

/// A text edit: the text at `span` becomes `text`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TextEdit {
    pub span: Span,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Pool,
    Template,
    Let,
    Import,
    Block,
    Attribute,
}

/// An entry of a file's outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub kind: SymbolKind,
    /// Extra text shown beside the name (`extends "base"`).
    pub detail: Option<String>,
    /// The whole definition.
    pub span: Span,
    /// Its name.
    pub selection: Span,
    pub children: Vec<Symbol>,
}

/// A hint shown at the end of `span` (a value), such as the launcher
/// variable a typed setting writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: u32,
    pub label: String,
    pub tooltip: Option<String>,
}

/// The file of `checked` read from `path` (as the host gave it, or
/// canonical), if the check read it.
pub fn file_of(checked: &Checked, path: &std::path::Path) -> Option<FileId> {
    checked
        .sources
        .files()
        .find(|(_, f)| f.path == path)
        .map(|(id, _)| id)
}

/// The edits of a diagnostic's fix, in the text the check read; `None`
/// when the diagnostic has no fix or the fix does not apply to the text.
pub fn fix_edits(checked: &Checked, fix: &crate::diagnostics::Fix) -> Option<Vec<TextEdit>> {
    let file = fix.edits.first()?.span.file;
    let text = &checked.sources.files().nth(file.0 as usize)?.1.text;
    let edits = fix.resolve(text)?;
    Some(
        edits
            .into_iter()
            .map(|(range, text)| TextEdit {
                span: Span::new(file, range.start, range.end),
                text,
            })
            .collect(),
    )
}

/// Did `file` parse without a syntax error? (A file being typed often does
/// not: its tree then lacks the items that did not parse, while its last
/// check that parsed still knows every name it defines.)
pub fn parsed(checked: &Checked, file: FileId) -> bool {
    !checked
        .diagnostics
        .iter()
        .any(|d| d.primary.span.file == file && d.is_error() && d.code.number() < 100)
}

/// The syntax tree of a file: the items of it that parsed.
fn syntax(checked: &Checked, file: FileId) -> Option<&crate::syntax::ast::File> {
    checked.program.files.get(file.0 as usize)
}

/// The source text of a span, with every secret literal in it masked.
fn source_text(checked: &Checked, span: Span) -> String {
    let text = &checked.sources.get(span.file).text;
    let mut shown = String::new();
    let mut at = span.start as usize;
    let secrets = checked
        .secrets
        .masked_in(span.file)
        .iter()
        .filter(|s| s.start < span.end && s.end > span.start);
    for secret in secrets {
        let start = (secret.start as usize).max(at);
        shown.push_str(text.get(at..start).unwrap_or_default());
        shown.push_str(crate::secrets::MARKER);
        at = at.max(secret.end as usize);
    }
    shown.push_str(text.get(at..span.end as usize).unwrap_or_default());
    shown
}
