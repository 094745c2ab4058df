//! Syntax: what the parser cannot read.

use super::{D, one_of};
use crate::diagnostics::{Code, Diagnostic, Quoted};
use crate::syntax::span::Span;

#[derive(Clone, Debug)]
pub enum SyntaxProblem {
    Syntax {
        span: Span,
        found: Found,
        expected: Vec<&'static str>,
    },
    BadEscape {
        span: Span,
        escape: Quoted,
    },
    InterpolationNotAllowed {
        span: Span,
    },
    UnterminatedString {
        span: Span,
    },
    KeywordAsName {
        span: Span,
        keyword: &'static str,
    },
    TooDeep {
        span: Span,
        limit: usize,
    },
    UnterminatedHeredoc {
        span: Span,
        tag: Quoted,
    },
    /// An item runs into the next one: a bracket, quote or heredoc left
    /// open.
    UnclosedItem {
        span: Span,
        keyword: &'static str,
        opened: Span,
    },
    NotUtf8 {
        span: Span,
    },
}

/// What the parser ran into.
#[derive(Clone, Debug)]
pub enum Found {
    EndOfFile,
    EndOfLine,
    /// A word or a character.
    Text(Quoted),
}

impl std::fmt::Display for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Found::EndOfFile => f.write_str("end of file"),
            Found::EndOfLine => f.write_str("end of line"),
            Found::Text(text) if text.withheld().is_some() => {
                f.write_str("text (not shown: it may be secret)")
            }
            Found::Text(text) => write!(f, "`{text}`"),
        }
    }
}

impl From<SyntaxProblem> for Diagnostic {
    fn from(problem: SyntaxProblem) -> Diagnostic {
        use SyntaxProblem::*;
        let d = match problem {
            Syntax {
                span,
                found,
                expected,
            } => {
                let wants_equals = expected.contains(&"`=`");
                D::new(
                    Code::Syntax,
                    span,
                    format!("unexpected {found}"),
                    format!("expected {}", one_of(&expected)),
                )
                .maybe_help(wants_equals.then(|| {
                    "an attribute is written `name = value`, a block `name { ... }`".to_string()
                }))
            }
            BadEscape { span, escape } => D::new(
                Code::BadEscape,
                span,
                format!("unknown escape `{escape}`"),
                "not an escape",
            )
            .help(
                "the escapes are \\n \\r \\t \\\" \\\\ \\uXXXX and \\UXXXXXXXX; \
                write \\\\ for a backslash",
            ),
            UnclosedItem {
                span,
                keyword,
                opened,
            } => D::new(
                Code::Syntax,
                span,
                format!("`{keyword}` starts an item, but the item above is not closed"),
                "a new item here",
            )
            .also(opened, "this item is not closed")
            .help("close the item above (a `}`, `]`, `)`, quote or heredoc is missing)"),
            InterpolationNotAllowed { span } => D::new(
                Code::InterpolationNotAllowed,
                span,
                "interpolation is not allowed here",
                "names, labels and import paths are plain strings",
            )
            .help("write the name out in full"),
            UnterminatedString { span } => D::new(
                Code::UnterminatedString,
                span,
                "unterminated string",
                "the line ends before the closing `\"`",
            )
            .help(
                "close the string; text on several lines is written as a heredoc: <<EOT ... \
                    EOT",
            ),
            KeywordAsName { span, keyword } => D::new(
                Code::KeywordAsName,
                span,
                format!("`{keyword}` is a keyword, not a name"),
                "a keyword",
            )
            .help(
                "the keywords are let, import, pool, template, extends, true and false; \
                    choose another name",
            ),
            TooDeep { span, limit } => D::new(
                Code::TooDeep,
                span,
                "values nest too deeply",
                format!("more than {limit} levels deep here"),
            )
            .help("flatten the value; Kubernetes objects nest about ten levels at most"),
            UnterminatedHeredoc { span, tag } => D::new(
                Code::UnterminatedHeredoc,
                span,
                format!("heredoc `{tag}` is never closed"),
                "opened here",
            )
            .help(format!("end it with a line holding only `{tag}`")),
            NotUtf8 { span } => D::new(
                Code::NotUtf8,
                span,
                "the file is not UTF-8 text",
                "not UTF-8 from here",
            )
            .help("save the file as UTF-8; this byte and those after it are not read"),
        };
        d.into()
    }
}
